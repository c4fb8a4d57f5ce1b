//! Notes: create, edit, tag, pin, trash, list and search.

use std::collections::HashMap;

use diesel::connection::DefaultLoadingMode;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;

use super::error::{DbError, DbResult};
use super::hits::{HitSet, in_order_of};
use super::ids::{NoteId, TagId, Timestamp, Version};
use super::schema::{note_tags, notes, tags};
use super::search_index::{self, Existing, IndexQuery};
use super::tags::{Tag, clean_tag_names, delete_if_unused, ensure_tags_cached};
use super::{Page, Repository, new_uuid, now};
use crate::search::{PhoneDigits, parse_query};

/// How many characters of the body a list row carries, enough for a one-line snippet. Bodies can
/// be megabytes; a list never loads them whole.
pub const PREVIEW_CHARS: i32 = 240;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: NoteId,
    pub uuid: String,
    pub title: String,
    pub body: String,
    pub pinned: bool,
    pub created: Timestamp,
    pub updated: Timestamp,
    /// When the note was moved to the trash; `None` for a live note.
    pub deleted: Option<Timestamp>,
    pub tags: Vec<Tag>,
    /// What every write to this note must name (see [`Version`]).
    pub version: Version,
}

/// A row of the notes list: everything but the full body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSummary {
    pub id: NoteId,
    pub uuid: String,
    pub title: String,
    /// The start of the body (at most [`PREVIEW_CHARS`] characters). For a search, the list
    /// replaces it with [`Repository::search_snippets`].
    pub preview: String,
    pub pinned: bool,
    pub created: Timestamp,
    pub updated: Timestamp,
    pub deleted: Option<Timestamp>,
    pub tags: Vec<Tag>,
    pub version: Version,
}

/// A note to create. Import fills in `uuid` and the timestamps to keep them; otherwise they are
/// made up on the spot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewNote {
    pub title: String,
    pub body: String,
    pub pinned: bool,
    pub tags: Vec<String>,
    pub uuid: Option<String>,
    pub created: Option<Timestamp>,
    pub updated: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NoteFilter {
    #[default]
    All,
    Pinned,
    Tag(TagId),
    Trash,
    /// Just these two notes, wherever they are: a note and its conflict copy, side by side.
    Pair(NoteId, NoteId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NoteSort {
    /// Most recently edited first.
    #[default]
    Updated,
    /// Newest first.
    Created,
    /// A to Z, ignoring ASCII case.
    Title,
}

/// Which notes to list. Pinned notes always come first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteQuery {
    pub filter: NoteFilter,
    /// Whitespace-separated terms; each must occur in the title or body (any substring, any
    /// case, any accents).
    pub search: String,
    pub sort: NoteSort,
    pub offset: i64,
    pub limit: i64,
}

impl Default for NoteQuery {
    fn default() -> Self {
        NoteQuery {
            filter: NoteFilter::All,
            search: String::new(),
            sort: NoteSort::Updated,
            offset: 0,
            limit: 50,
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = notes, check_for_backend(Sqlite))]
struct NoteRow {
    id: NoteId,
    uuid: String,
    title: String,
    body: String,
    pinned: bool,
    created_at: Timestamp,
    updated_at: Timestamp,
    deleted_at: Option<Timestamp>,
    version: Version,
}

#[derive(Insertable)]
#[diesel(table_name = notes)]
struct NoteInsert<'a> {
    uuid: &'a str,
    title: &'a str,
    body: &'a str,
    pinned: bool,
    created_at: Timestamp,
    updated_at: Timestamp,
}

type SummaryRow = (
    NoteId,
    String,
    String,
    String,
    bool,
    Timestamp,
    Timestamp,
    Option<Timestamp>,
    Version,
);

/// How many imported notes are written before their index entries. FTS5 flushes its pending
/// entries to disk whenever another statement opens a savepoint, so interleaving one note's row
/// and its index entry would write (and later merge) one tiny index segment per note. Writing
/// the entries of a whole batch back to back lets them share segments.
pub(super) const INDEX_BATCH: usize = 1024;

/// Inserts one note's row and tags; returns its id. The caller holds the transaction and must
/// index the note (see [`INDEX_BATCH`]).
pub(super) fn insert_note_row(
    conn: &mut SqliteConnection,
    note: &NewNote,
    tag_cache: &mut HashMap<String, TagId>,
) -> DbResult<NoteId> {
    let stamp = now();
    let uuid = note.uuid.clone().unwrap_or_else(new_uuid);
    let created = note.created.unwrap_or(stamp);
    let id: NoteId = diesel::insert_into(notes::table)
        .values(NoteInsert {
            uuid: &uuid,
            title: &note.title,
            body: &note.body,
            pinned: note.pinned,
            created_at: created,
            updated_at: note.updated.unwrap_or(created.max(stamp)),
        })
        .returning(notes::id)
        .get_result(conn)?;
    super::attachments::link_attachments(conn, id, &note.body)?;
    let tag_ids = ensure_tags_cached(conn, &clean_tag_names(&note.tags), tag_cache)?;
    diesel::insert_into(note_tags::table)
        .values(
            tag_ids
                .iter()
                .map(|t| (note_tags::note_id.eq(id), note_tags::tag_id.eq(t)))
                .collect::<Vec<_>>(),
        )
        .execute(conn)?;
    Ok(id)
}

/// Gives a note exactly these tags, creating tags on first use and dropping tags nothing uses
/// any more. Returns whether its tags changed. The caller holds the transaction.
pub(super) fn replace_note_tags<S: AsRef<str>>(
    conn: &mut SqliteConnection,
    id: NoteId,
    names: &[S],
    tag_cache: &mut HashMap<String, TagId>,
) -> DbResult<bool> {
    let wanted = ensure_tags_cached(conn, &clean_tag_names(names), tag_cache)?;
    let previous: Vec<TagId> = note_tags::table
        .filter(note_tags::note_id.eq(id))
        .select(note_tags::tag_id)
        .load(conn)?;
    diesel::delete(note_tags::table.filter(note_tags::note_id.eq(id))).execute(conn)?;
    diesel::insert_into(note_tags::table)
        .values(
            wanted
                .iter()
                .map(|t| (note_tags::note_id.eq(id), note_tags::tag_id.eq(t)))
                .collect::<Vec<_>>(),
        )
        .execute(conn)?;
    let dropped: Vec<TagId> = previous
        .iter()
        .copied()
        .filter(|t| !wanted.contains(t))
        .collect();
    delete_if_unused(conn, &dropped)?;
    Ok(previous != wanted)
}

pub use super::note_merge::*;

/// Where a save of typed text falls in its editing session (see [`Repository::update_note_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditSession {
    /// The first save of a session (the user opened the note, or came back after a pause):
    /// the state it started from is kept as a revision first.
    Starts,
    /// A later save of the same session: the session's own earlier saves are not kept.
    Continues,
}

/// What a save of a note stored: its new "updated" time and version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    pub updated: Timestamp,
    pub version: Version,
}

/// The tag conflict copies carry, so they can be found and cleaned up.
pub const CONFLICT_TAG: &str = "conflict";

/// "Title (conflict, 1 Dec 2026 14:03)", in local time.
pub fn conflict_title(title: &str, when: Timestamp) -> String {
    let local = chrono::DateTime::from_timestamp_millis(when.0)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%-d %b %Y %H:%M")
                .to_string()
        })
        .unwrap_or_default();
    let title = title.trim();
    if title.is_empty() {
        format!("(conflict, {local})")
    } else {
        format!("{title} (conflict, {local})")
    }
}

/// Checks, inside a write's transaction, that the note is still at version `seen`, and says
/// what the write stores ([`next_write`]).
pub(super) fn claim_note(
    conn: &mut SqliteConnection,
    id: NoteId,
    seen: Version,
) -> DbResult<Saved> {
    let stored: (Version, Timestamp) = notes::table
        .find(id)
        .select((notes::version, notes::updated_at))
        .first(conn)
        .optional()?
        .ok_or_else(|| DbError::not_found("note"))?;
    next_write("note", stored, seen)
}

/// What a write over `stored` (version and "updated" time) stores, if it was made from
/// version `seen`: the next version, and an "updated" time later than the stored one even when
/// the clock went back (so a later edit never looks older).
pub(super) fn next_write(
    what: &'static str,
    (version, updated): (Version, Timestamp),
    seen: Version,
) -> DbResult<Saved> {
    if version != seen {
        return Err(DbError::Conflict { what });
    }
    Ok(Saved {
        updated: now().max(Timestamp(updated.0.saturating_add(1))),
        version: Version(version.0 + 1),
    })
}

fn require_note(conn: &mut SqliteConnection, id: NoteId) -> DbResult<()> {
    let exists: bool =
        diesel::select(diesel::dsl::exists(notes::table.find(id))).get_result(conn)?;
    if exists {
        Ok(())
    } else {
        Err(DbError::not_found("note"))
    }
}

/// The tags of each of these notes, in one query.
pub(super) fn tags_of_notes(
    conn: &mut SqliteConnection,
    ids: &[NoteId],
) -> DbResult<HashMap<NoteId, Vec<Tag>>> {
    let rows: Vec<(NoteId, Tag)> = note_tags::table
        .inner_join(tags::table)
        .filter(note_tags::note_id.eq_any(ids))
        .order(tags::name_key)
        .select((note_tags::note_id, Tag::as_select()))
        .load(conn)?;
    let mut by_note: HashMap<NoteId, Vec<Tag>> = HashMap::new();
    for (note, tag) in rows {
        by_note.entry(note).or_default().push(tag);
    }
    Ok(by_note)
}

impl Repository {
    pub fn create_note(&mut self, note: &NewNote) -> DbResult<Note> {
        let id = self.write(|conn| {
            let id = insert_note_row(conn, note, &mut HashMap::new())?;
            search_index::index_note(conn, id, &note.title, &note.body, Existing::New)?;
            Ok(id)
        })?;
        self.note(id)
    }

    /// Creates many notes in one transaction: all of them or, on any error, none.
    pub fn import_notes(&mut self, notes: &[NewNote]) -> DbResult<Vec<NoteId>> {
        let mut ids = Vec::with_capacity(notes.len());
        self.import_notes_from(notes.iter().cloned().map(Ok::<_, DbError>), |id| {
            ids.push(id)
        })?;
        Ok(ids)
    }

    /// Creates notes as an iterator yields them, all in one transaction, without holding them
    /// all in memory. The first error (from the iterator or the database) rolls everything back.
    /// `on_created` hears each new id, for progress.
    pub fn import_notes_from<E>(
        &mut self,
        notes: impl IntoIterator<Item = Result<NewNote, E>>,
        mut on_created: impl FnMut(NoteId),
    ) -> Result<usize, E>
    where
        E: From<DbError>,
    {
        let mut failure = None;
        let outcome = self.write(|conn| {
            let mut tag_cache = HashMap::new();
            let mut count = 0;
            let mut pending: Vec<search_index::NoteDocuments> = Vec::with_capacity(INDEX_BATCH);
            for note in notes {
                let note = match note {
                    Ok(note) => note,
                    Err(e) => {
                        failure = Some(e);
                        return Err(DbError::Invalid("import stopped".to_owned()));
                    }
                };
                let id = insert_note_row(conn, &note, &mut tag_cache)?;
                pending.push(search_index::NoteDocuments::new(
                    conn,
                    id,
                    &note.title,
                    &note.body,
                )?);
                if pending.len() == INDEX_BATCH {
                    search_index::index_new_notes(conn, &pending)?;
                    pending.clear();
                }
                on_created(id);
                count += 1;
            }
            search_index::index_new_notes(conn, &pending)?;
            Ok(count)
        });
        match (outcome, failure) {
            (_, Some(e)) => Err(e),
            (Ok(count), None) => Ok(count),
            (Err(e), None) => Err(E::from(e)),
        }
    }

    /// The stored version of a note; `None` when it was deleted for good.
    pub fn note_version(&mut self, id: NoteId) -> DbResult<Option<Version>> {
        Ok(notes::table
            .find(id)
            .select(notes::version)
            .first(&mut self.conn)
            .optional()?)
    }

    pub fn note(&mut self, id: NoteId) -> DbResult<Note> {
        let row: NoteRow = notes::table
            .find(id)
            .select(NoteRow::as_select())
            .first(&mut self.conn)
            .optional()?
            .ok_or_else(|| DbError::not_found("note"))?;
        let mut tags = tags_of_notes(&mut self.conn, &[id])?;
        Ok(Note {
            id: row.id,
            uuid: row.uuid,
            title: row.title,
            body: row.body,
            pinned: row.pinned,
            created: row.created_at,
            updated: row.updated_at,
            deleted: row.deleted_at,
            tags: tags.remove(&id).unwrap_or_default(),
            version: row.version,
        })
    }

    /// Saves a new title and body (autosave) over version `seen` of the note, the one the text
    /// was edited from. Fails with [`DbError::Conflict`], changing nothing, when the stored note
    /// is another version by now; [`Repository::keep_conflict_copy`] then keeps the text.
    pub fn update_note(
        &mut self,
        id: NoteId,
        seen: Version,
        title: &str,
        body: &str,
    ) -> DbResult<Saved> {
        self.update_note_with(id, seen, title, body, EditSession::Continues)
    }

    /// [`Repository::update_note`] for a save at a point of an editing session: the first
    /// save of a session keeps the state it started from as a revision, in the same
    /// transaction.
    pub fn update_note_with(
        &mut self,
        id: NoteId,
        seen: Version,
        title: &str,
        body: &str,
        session: EditSession,
    ) -> DbResult<Saved> {
        self.write(|conn| {
            let saved = claim_note(conn, id, seen)?;
            if session == EditSession::Starts {
                super::revisions::keep_revision(conn, id, super::revisions::RevisionReason::Edit)?;
            }
            diesel::update(notes::table.find(id).filter(notes::version.eq(seen)))
                .set((
                    notes::title.eq(title),
                    notes::body.eq(body),
                    notes::updated_at.eq(saved.updated),
                    notes::version.eq(saved.version),
                ))
                .execute(conn)?;
            super::attachments::link_attachments(conn, id, body)?;
            search_index::index_note(conn, id, title, body, Existing::Replace)?;
            Ok(saved)
        })
    }

    /// Keeps text that could not be saved over a note changed elsewhere ([`DbError::Conflict`])
    /// as a new note beside it: "Title (conflict, 1 Dec 2026 14:03)", with the original's tags
    /// and the tag [`CONFLICT_TAG`]. The original is left as the other writer made it.
    pub fn keep_conflict_copy(
        &mut self,
        original: NoteId,
        title: &str,
        body: &str,
    ) -> DbResult<Note> {
        let id = self.write(|conn| {
            let mut tags: Vec<String> = tags_of_notes(conn, &[original])?
                .remove(&original)
                .unwrap_or_default()
                .into_iter()
                .map(|t| t.name)
                .collect();
            tags.push(CONFLICT_TAG.to_owned());
            let copy = NewNote {
                title: conflict_title(title, Timestamp::now()),
                body: body.to_owned(),
                tags,
                ..NewNote::default()
            };
            let id = insert_note_row(conn, &copy, &mut HashMap::new())?;
            search_index::index_note(conn, id, &copy.title, &copy.body, Existing::New)?;
            super::links::copy_note_links(conn, original, id)?;
            Ok(id)
        })?;
        self.note(id)
    }

    /// Replaces the tags of version `seen` of a note, creating tags on first use and dropping
    /// tags nothing uses any more. Returns the note's tags in name order and its new version.
    pub fn set_note_tags<S: AsRef<str>>(
        &mut self,
        id: NoteId,
        seen: Version,
        names: &[S],
    ) -> DbResult<(Vec<Tag>, Version)> {
        self.write(|conn| {
            let saved = claim_note(conn, id, seen)?;
            let target = notes::table.find(id).filter(notes::version.eq(seen));
            if replace_note_tags(conn, id, names, &mut HashMap::new())? {
                diesel::update(target)
                    .set((
                        notes::updated_at.eq(saved.updated),
                        notes::version.eq(saved.version),
                    ))
                    .execute(conn)?;
            } else {
                diesel::update(target)
                    .set(notes::version.eq(saved.version))
                    .execute(conn)?;
            }
            let tags = tags_of_notes(conn, &[id])?.remove(&id).unwrap_or_default();
            Ok((tags, saved.version))
        })
    }

    pub fn set_note_pinned(
        &mut self,
        id: NoteId,
        seen: Version,
        pinned: bool,
    ) -> DbResult<Version> {
        self.set_note_column(id, seen, notes::pinned.eq(pinned), |_| Ok(()))
    }

    /// Moves a note to the trash. It keeps its tags, links and place in search (in the Trash),
    /// and its state is kept as a revision.
    pub fn trash_note(&mut self, id: NoteId, seen: Version) -> DbResult<Version> {
        self.set_note_column(id, seen, notes::deleted_at.eq(Some(now())), |conn| {
            super::revisions::keep_revision(conn, id, super::revisions::RevisionReason::Trash)
                .map(drop)
        })
    }

    pub fn restore_note(&mut self, id: NoteId, seen: Version) -> DbResult<Version> {
        self.set_note_column(
            id,
            seen,
            notes::deleted_at.eq(None::<Timestamp>),
            |_| Ok(()),
        )
    }

    /// One column of version `seen` of a note, after `before` (in the same transaction);
    /// returns the new version. The "updated" time is the note's text's and stays.
    fn set_note_column<V>(
        &mut self,
        id: NoteId,
        seen: Version,
        change: V,
        before: impl FnOnce(&mut SqliteConnection) -> DbResult<()>,
    ) -> DbResult<Version>
    where
        V: diesel::AsChangeset<Target = notes::table>,
        V::Changeset: diesel::query_builder::QueryFragment<Sqlite>,
    {
        self.write(|conn| {
            let saved = claim_note(conn, id, seen)?;
            before(conn)?;
            diesel::update(notes::table.find(id).filter(notes::version.eq(seen)))
                .set(change)
                .execute(conn)?;
            diesel::update(notes::table.find(id))
                .set(notes::version.eq(saved.version))
                .execute(conn)?;
            Ok(saved.version)
        })
    }

    /// Deletes version `seen` of a note for good, if it is in the trash: a note restored or
    /// edited elsewhere since is left alone ([`DbError::Conflict`]). Its tag links and people
    /// links go with it (never the contacts), and so do the attachments no other note, live or
    /// in the trash, refers to. Its last state stays in its history (History… → Deleted
    /// notes) until the retention rule removes it.
    pub fn delete_note_permanently(&mut self, id: NoteId, seen: Version) -> DbResult<()> {
        self.write(|conn| {
            // Kept before the version check below only because a refused delete rolls the
            // whole transaction back, revision included.
            super::revisions::keep_revision(conn, id, super::revisions::RevisionReason::Delete)?;
            let tag_ids: Vec<TagId> = note_tags::table
                .filter(note_tags::note_id.eq(id))
                .select(note_tags::tag_id)
                .load(conn)?;
            let attachment_ids = super::attachments::attachments_of_deleted_notes(conn, Some(id))?;
            let deleted = diesel::delete(
                notes::table
                    .find(id)
                    .filter(notes::version.eq(seen))
                    .filter(notes::deleted_at.is_not_null()),
            )
            .execute(conn)?;
            if deleted == 0 {
                require_note(conn, id)?;
                return Err(DbError::Conflict { what: "note" });
            }
            search_index::unindex_note(conn, id)?;
            super::attachments::delete_unlinked(conn, &attachment_ids)?;
            super::attachments::delete_long_unlinked(conn)?;
            delete_if_unused(conn, &tag_ids)
        })
    }

    /// Deletes every note in the trash for good, each note's last state kept in its history.
    /// Returns how many.
    pub fn empty_note_trash(&mut self) -> DbResult<usize> {
        self.write(|conn| {
            super::revisions::keep_revisions_of_trash(conn)?;
            let trashed: Vec<NoteId> = notes::table
                .filter(notes::deleted_at.is_not_null())
                .select(notes::id)
                .load(conn)?;
            // A subquery, not the ids bound: a trash can hold more than SQLite's 32,766 values.
            let tag_ids: Vec<TagId> = note_tags::table
                .filter(
                    note_tags::note_id.eq_any(
                        notes::table
                            .filter(notes::deleted_at.is_not_null())
                            .select(notes::id),
                    ),
                )
                .select(note_tags::tag_id)
                .distinct()
                .load(conn)?;
            let attachment_ids = super::attachments::attachments_of_deleted_notes(conn, None)?;
            diesel::delete(notes::table.filter(notes::deleted_at.is_not_null())).execute(conn)?;
            for id in &trashed {
                search_index::unindex_note(conn, *id)?;
            }
            super::attachments::delete_unlinked(conn, &attachment_ids)?;
            super::attachments::delete_long_unlinked(conn)?;
            delete_if_unused(conn, &tag_ids)?;
            Ok(trashed.len())
        })
    }

    /// One page of notes with the number of notes in the whole list; a search reads the index
    /// once for both.
    pub fn list_notes(&mut self, query: &NoteQuery) -> DbResult<Page<NoteSummary>> {
        let hits = self.hits(query)?;
        let total = self.count_with(query, hits.as_ref())?;
        let items = self.page_with(query, hits.as_ref())?;
        Ok(Page { items, total })
    }

    /// How many notes the whole list holds (a screen asks once per change of query, not per
    /// page).
    pub fn count_notes(&mut self, query: &NoteQuery) -> DbResult<i64> {
        let hits = self.hits(query)?;
        self.count_with(query, hits.as_ref())
    }

    /// One page of notes in list order, with their tags. The number of queries does not depend
    /// on the page size: two without a search; with one, also an index read per index table and
    /// the ids of the page.
    pub fn notes_page(&mut self, query: &NoteQuery) -> DbResult<Vec<NoteSummary>> {
        let hits = self.hits(query)?;
        self.page_with(query, hits.as_ref())
    }

    fn hits(&mut self, query: &NoteQuery) -> DbResult<Option<HitSet<NoteId>>> {
        note_index_query(query)
            .map(|index| HitSet::find(&mut self.conn, &index, "note_search", "note_grams"))
            .transpose()
    }

    fn count_with(&mut self, query: &NoteQuery, hits: Option<&HitSet<NoteId>>) -> DbResult<i64> {
        let conn = &mut self.conn;
        let Some(hits) = hits else {
            return Ok(filtered_notes(query).count().get_result(conn)?);
        };
        if query.filter == NoteFilter::All {
            // The live list is nearly every note: all hits but those in the trash.
            let trashed: Vec<NoteId> = notes::table
                .filter(notes::deleted_at.is_not_null())
                .select(notes::id)
                .load(conn)?;
            let trashed_hits = hits.count_in(&trashed);
            return Ok(hits.len() as i64 - trashed_hits as i64);
        }
        let listed: Vec<NoteId> = filtered_notes(query).select(notes::id).load(conn)?;
        Ok(hits.count_in(&listed) as i64)
    }

    pub(super) fn page_with(
        &mut self,
        query: &NoteQuery,
        hits: Option<&HitSet<NoteId>>,
    ) -> DbResult<Vec<NoteSummary>> {
        let (offset, limit) = (query.offset.max(0), query.limit.max(0));
        if limit == 0 {
            return Ok(Vec::new());
        }
        let rows: Vec<SummaryRow> = match hits {
            None => ordered(filtered_notes(query), query.sort)
                .select(summary_columns())
                .limit(limit)
                .offset(offset)
                .load(&mut self.conn)?,
            // Nothing matched: no walk of the whole list looking for a hit.
            Some(hits) if hits.len() == 0 => Vec::new(),
            Some(hits) => {
                let notes_estimate: i64 = notes::table
                    .select(diesel::dsl::max(notes::id))
                    .first::<Option<NoteId>>(&mut self.conn)?
                    .map_or(0, |id| i64::from(id.0));
                let page_ids = if hits.should_bind(offset + limit, notes_estimate) {
                    // Few hits: let SQLite filter and order just those.
                    ordered(filtered_notes(query), query.sort)
                        .filter(notes::id.eq_any(hits.ids()))
                        .select(notes::id)
                        .limit(limit)
                        .offset(offset)
                        .load(&mut self.conn)?
                } else {
                    // Many hits: walk the list in order (a covering index) and keep hits until
                    // the page is full; a dense search stops after a few dozen rows.
                    let walk = ordered(filtered_notes(query), query.sort).select(notes::id);
                    hits.page_of_walk(
                        walk.load_iter::<NoteId, DefaultLoadingMode>(&mut self.conn)?,
                        offset,
                        limit,
                    )?
                };
                let mut rows: Vec<SummaryRow> = notes::table
                    .filter(notes::id.eq_any(&page_ids))
                    .select(summary_columns())
                    .load(&mut self.conn)?;
                in_order_of(&mut rows, &page_ids, |row| row.0);
                rows
            }
        };
        self.summaries_with_tags(rows)
    }

    /// For each of these notes, at most [`PREVIEW_CHARS`] characters of its body around the first
    /// match of `search` (or its start), so a list row shows why it matched. One query.
    pub fn search_snippets(
        &mut self,
        ids: &[NoteId],
        search: &str,
    ) -> DbResult<HashMap<NoteId, String>> {
        let terms = parse_query(search);
        let bodies: Vec<(NoteId, String)> = notes::table
            .filter(notes::id.eq_any(ids))
            .select((notes::id, notes::body))
            .load(&mut self.conn)?;
        Ok(bodies
            .into_iter()
            .map(|(id, body)| {
                let snippet = crate::search::snippet(&body, &terms, PREVIEW_CHARS as usize);
                (id, snippet)
            })
            .collect())
    }

    pub(crate) fn summaries_with_tags(
        &mut self,
        rows: Vec<SummaryRow>,
    ) -> DbResult<Vec<NoteSummary>> {
        let ids: Vec<NoteId> = rows.iter().map(|r| r.0).collect();
        let mut tags = if ids.is_empty() {
            HashMap::new()
        } else {
            tags_of_notes(&mut self.conn, &ids)?
        };
        Ok(rows
            .into_iter()
            .map(
                |(id, uuid, title, preview, pinned, created, updated, deleted, version)| {
                    NoteSummary {
                        id,
                        uuid,
                        title,
                        preview,
                        pinned,
                        created,
                        updated,
                        deleted,
                        tags: tags.remove(&id).unwrap_or_default(),
                        version,
                    }
                },
            )
            .collect())
    }
}

/// The columns of a [`NoteSummary`]: the body only as its preview.
pub(crate) fn summary_columns() -> (
    notes::id,
    notes::uuid,
    notes::title,
    diesel::expression::SqlLiteral<Text>,
    notes::pinned,
    notes::created_at,
    notes::updated_at,
    notes::deleted_at,
    notes::version,
) {
    (
        notes::id,
        notes::uuid,
        notes::title,
        sql::<Text>(&format!("substr(notes.body, 1, {PREVIEW_CHARS})")),
        notes::pinned,
        notes::created_at,
        notes::updated_at,
        notes::deleted_at,
        notes::version,
    )
}

fn note_index_query(query: &NoteQuery) -> Option<IndexQuery> {
    let terms = parse_query(&query.search);
    (!terms.is_empty()).then(|| search_index::index_query(&terms, PhoneDigits::Ignore))
}

fn ordered(
    selected: notes::BoxedQuery<'static, Sqlite>,
    sort: NoteSort,
) -> notes::BoxedQuery<'static, Sqlite> {
    match sort {
        NoteSort::Updated => selected.order((
            notes::pinned.desc(),
            notes::updated_at.desc(),
            notes::id.desc(),
        )),
        NoteSort::Created => selected.order((
            notes::pinned.desc(),
            notes::created_at.desc(),
            notes::id.desc(),
        )),
        NoteSort::Title => {
            selected.order((notes::pinned.desc(), notes::title.asc(), notes::id.asc()))
        }
    }
}

/// The notes a query's filter selects (the search is applied separately).
fn filtered_notes(query: &NoteQuery) -> notes::BoxedQuery<'static, Sqlite> {
    let selected = notes::table.into_boxed();
    match query.filter {
        NoteFilter::All => selected.filter(notes::deleted_at.is_null()),
        NoteFilter::Pinned => selected
            .filter(notes::deleted_at.is_null())
            .filter(notes::pinned.eq(true)),
        NoteFilter::Tag(tag) => selected.filter(notes::deleted_at.is_null()).filter(
            notes::id.eq_any(
                note_tags::table
                    .filter(note_tags::tag_id.eq(tag))
                    .select(note_tags::note_id),
            ),
        ),
        NoteFilter::Trash => selected.filter(notes::deleted_at.is_not_null()),
        NoteFilter::Pair(a, b) => selected.filter(notes::id.eq_any([a, b])),
    }
}
