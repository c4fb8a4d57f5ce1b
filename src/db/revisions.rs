//! Note history: the earlier states of notes, kept before anything replaces or removes them,
//! thinned by age, and restorable in place.
//!
//! A revision is kept
//! * at the first save of an editing session (the state the session started from, which is
//!   where the previous session ended): a session that saves a hundred times keeps one
//!   revision, and the note's current text is never stored twice;
//! * before the trash, delete for good, an import or a backup's restore over the note, and a
//!   restore of another revision.
//!
//! Revisions name their note by UUID, so a note deleted for good keeps them.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Repository;
use super::error::{DbError, DbResult};
use super::ids::{NoteId, RevisionId, Timestamp, Version};
use super::notes::{NewNote, Note, claim_note, insert_note_row, replace_note_tags, tags_of_notes};
use super::schema::{note_revisions, notes, revision_attachments};
use super::search_index::{self, Existing};

/// zstd's level for revision bodies: its default, about as fast as copying for note-sized text.
const COMPRESSION_LEVEL: i32 = 3;
/// A stored body claiming to be larger than this is damaged (a note's text is far smaller);
/// never allocated.
const MAX_BODY_BYTES: i64 = 256 * 1024 * 1024;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Why a revision was kept: what was about to replace or remove that state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RevisionReason {
    /// An editing session began over it.
    Edit,
    Trash,
    Delete,
    /// A Markdown file imported over it.
    Import,
    /// A backup restored over it.
    Backup,
    /// Another revision was restored over it.
    Restore,
}

impl RevisionReason {
    fn as_str(self) -> &'static str {
        match self {
            RevisionReason::Edit => "edit",
            RevisionReason::Trash => "trash",
            RevisionReason::Delete => "delete",
            RevisionReason::Import => "import",
            RevisionReason::Backup => "backup",
            RevisionReason::Restore => "restore",
        }
    }

    fn parse(text: &str) -> Self {
        match text {
            "trash" => RevisionReason::Trash,
            "delete" => RevisionReason::Delete,
            "import" => RevisionReason::Import,
            "backup" => RevisionReason::Backup,
            "restore" => RevisionReason::Restore,
            _ => RevisionReason::Edit,
        }
    }

    /// What happened next, for the History window: "before the trash".
    pub fn describe(self) -> &'static str {
        match self {
            RevisionReason::Edit => "before an edit",
            RevisionReason::Trash => "before the trash",
            RevisionReason::Delete => "before delete for good",
            RevisionReason::Import => "before an import",
            RevisionReason::Backup => "before a backup's restore",
            RevisionReason::Restore => "before a restore",
        }
    }
}

/// A revision as a list shows it: everything but its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionSummary {
    pub id: RevisionId,
    pub note_uuid: String,
    /// When this text was written.
    pub saved: Timestamp,
    /// When it became a revision.
    pub kept: Timestamp,
    pub reason: RevisionReason,
    pub title: String,
    /// The size of the body, uncompressed.
    pub bytes: i64,
}

/// A revision with its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub summary: RevisionSummary,
    pub body: String,
    pub tags: Vec<String>,
    /// When the note was created.
    pub created: Timestamp,
}

/// A revision as a backup holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionRecord {
    pub note_uuid: String,
    pub saved: Timestamp,
    pub kept: Timestamp,
    pub reason: RevisionReason,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// When the note was created (absent: when this text was written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<Timestamp>,
}

/// A note deleted for good that History… still has revisions of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedNote {
    pub uuid: String,
    /// Its newest revision's title.
    pub title: String,
    /// When its newest revision was kept: about when it was deleted.
    pub deleted: Timestamp,
    pub revisions: i64,
}

/// How long revisions are kept. By default: every revision for 30 days, then the last of each
/// day until a year, then the last of each month for ever.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HistoryRetention {
    /// Keep every revision for ever: nothing is thinned.
    pub keep_everything: bool,
    /// Every revision younger than this many days is kept.
    pub all_days: u32,
    /// Then the last revision of each day (UTC) younger than this many days.
    pub daily_days: u32,
    /// Then the last revision of each month: for ever when `None`, else for this many months;
    /// older revisions are removed.
    pub monthly_months: Option<u32>,
}

impl Default for HistoryRetention {
    fn default() -> Self {
        HistoryRetention {
            keep_everything: false,
            all_days: 30,
            daily_days: 365,
            monthly_months: None,
        }
    }
}

impl HistoryRetention {
    /// Which of one note's revisions (id, time kept), newest first, the rule removes at `now`.
    /// Revisions age from when they were kept, not from when their text was written: the last
    /// text of a note deleted for good today counts as today's, however old it is.
    pub fn to_remove(
        &self,
        newest_first: &[(RevisionId, Timestamp)],
        now: Timestamp,
    ) -> Vec<RevisionId> {
        if self.keep_everything {
            return Vec::new();
        }
        let all_until = now.0.saturating_sub(i64::from(self.all_days) * DAY_MS);
        let daily_until = now
            .0
            .saturating_sub(i64::from(self.daily_days.max(self.all_days)) * DAY_MS);
        let monthly_until = self.monthly_months.map(|months| {
            let days = i64::from(months) * 31 + i64::from(self.daily_days.max(self.all_days));
            now.0.saturating_sub(days * DAY_MS)
        });
        let mut buckets_seen: HashSet<(bool, i64)> = HashSet::new();
        let mut removed = Vec::new();
        for &(id, saved) in newest_first {
            let keep = if saved.0 >= all_until {
                true
            } else if saved.0 >= daily_until {
                buckets_seen.insert((false, saved.0.div_euclid(DAY_MS)))
            } else if monthly_until.is_none_or(|until| saved.0 >= until) {
                buckets_seen.insert((true, month_of(saved)))
            } else {
                false
            };
            if !keep {
                removed.push(id);
            }
        }
        removed
    }

    /// The time before which some revision may be removed.
    fn thinning_starts(&self, now: Timestamp) -> Timestamp {
        Timestamp(now.0.saturating_sub(i64::from(self.all_days) * DAY_MS))
    }
}

/// Months since year 0 of a time (UTC).
fn month_of(at: Timestamp) -> i64 {
    use chrono::Datelike;
    chrono::DateTime::from_timestamp_millis(at.0)
        .map_or(0, |t| i64::from(t.year()) * 12 + i64::from(t.month0()))
}

fn content_hash(title: &str, body: &str, tags: &[String]) -> Vec<u8> {
    let mut hasher = Sha256::new();
    for part in [title, body] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    for tag in tags {
        hasher.update((tag.len() as u64).to_le_bytes());
        hasher.update(tag.as_bytes());
    }
    hasher.finalize().to_vec()
}

/// Revisions stored against one key at most: past this, the next is stored whole and becomes
/// the key, so re-encoding the dependents when thinning removes a key stays short.
const MAX_DEPENDENTS: i64 = 64;

/// A text compressed on its own, or against a dictionary (another revision's text).
fn compress(text: &str, dictionary: Option<&str>) -> DbResult<Vec<u8>> {
    let failed = |e: std::io::Error| DbError::Other(format!("could not compress a revision: {e}"));
    match dictionary {
        None => zstd::bulk::compress(text.as_bytes(), COMPRESSION_LEVEL).map_err(failed),
        Some(dictionary) => {
            zstd::bulk::Compressor::with_dictionary(COMPRESSION_LEVEL, dictionary.as_bytes())
                .and_then(|mut c| c.compress(text.as_bytes()))
                .map_err(failed)
        }
    }
}

/// How one note's newest key is stored: its id, with its text.
fn newest_key(conn: &mut SqliteConnection, note_uuid: &str) -> DbResult<Option<(i64, String)>> {
    let key: Option<(i64, Vec<u8>, i64)> = note_revisions::table
        .filter(note_revisions::note_uuid.eq(note_uuid))
        .filter(note_revisions::base_id.is_null())
        .order(note_revisions::id.desc())
        .select((
            note_revisions::id,
            note_revisions::body_zstd,
            note_revisions::body_bytes,
        ))
        .first(conn)
        .optional()?;
    key.map(|(id, body, bytes)| Ok((id, decompress(&body, bytes, None)?)))
        .transpose()
}

/// Stores a revision unless the same state of the same note is kept already (then its "kept"
/// time and reason become the later ones: the trash, then delete for good, is one state kept
/// when it was deleted). Returns whether it was stored. The caller holds the transaction.
fn insert_revision(conn: &mut SqliteConnection, record: &RevisionRecord) -> DbResult<bool> {
    let hash = content_hash(&record.title, &record.body, &record.tags);
    // A time ahead of this clock (another machine's, in a backup) would keep it from ageing.
    let kept = record.kept.min(super::now());
    let existing: Option<(i64, i64)> = note_revisions::table
        .filter(note_revisions::note_uuid.eq(&record.note_uuid))
        .filter(note_revisions::saved_at.eq(record.saved.0))
        .filter(note_revisions::content_hash.eq(&hash))
        .select((note_revisions::id, note_revisions::kept_at))
        .first(conn)
        .optional()?;
    let (revision, stored) = match existing {
        Some((id, kept_at)) => {
            if kept.0 > kept_at {
                diesel::update(note_revisions::table.find(id))
                    .set((
                        note_revisions::kept_at.eq(kept.0),
                        note_revisions::reason.eq(record.reason.as_str()),
                    ))
                    .execute(conn)?;
            }
            (id, false)
        }
        None => {
            let tags = serde_json::to_string(&record.tags)
                .map_err(|e| DbError::Other(format!("could not write a revision's tags: {e}")))?;
            let whole = compress(&record.body, None)?;
            let key = newest_key(conn, &record.note_uuid)?;
            let dependents: i64 = match &key {
                Some((key_id, _)) => note_revisions::table
                    .filter(note_revisions::base_id.eq(key_id))
                    .count()
                    .get_result(conn)?,
                None => 0,
            };
            // Against the key when that is much smaller (the texts are alike).
            let (base, body) = match key.filter(|_| dependents < MAX_DEPENDENTS) {
                Some((key_id, key_text)) => {
                    let delta = compress(&record.body, Some(&key_text))?;
                    if delta.len() * 2 < whole.len() {
                        (Some(key_id), delta)
                    } else {
                        (None, whole)
                    }
                }
                None => (None, whole),
            };
            let id: i64 = diesel::insert_into(note_revisions::table)
                .values((
                    note_revisions::note_uuid.eq(&record.note_uuid),
                    note_revisions::saved_at.eq(record.saved.0),
                    note_revisions::kept_at.eq(kept.0),
                    note_revisions::created_at.eq(record.created.unwrap_or(record.saved).0),
                    note_revisions::reason.eq(record.reason.as_str()),
                    note_revisions::title.eq(&record.title),
                    note_revisions::tags.eq(&tags),
                    note_revisions::base_id.eq(base),
                    note_revisions::body_zstd.eq(&body),
                    note_revisions::body_bytes.eq(record.body.len() as i64),
                    note_revisions::content_hash.eq(&hash),
                ))
                .returning(note_revisions::id)
                .get_result(conn)?;
            (id, true)
        }
    };
    // The files it names are kept while it is: restoring it brings them back too. (Also for
    // a state kept already: a file may have arrived since, with a backup.)
    let named = super::attachments::attachment_ids_named_in(conn, &record.body)?;
    diesel::insert_or_ignore_into(revision_attachments::table)
        .values(
            named
                .iter()
                .map(|id| {
                    (
                        revision_attachments::revision_id.eq(revision),
                        revision_attachments::attachment_id.eq(*id),
                    )
                })
                .collect::<Vec<_>>(),
        )
        .execute(conn)?;
    Ok(stored)
}

/// Keeps the stored state of a note as a revision, because of `reason`; an empty note (a new
/// one not yet typed in) has nothing worth keeping. Returns whether a revision was stored. The
/// caller holds the transaction.
pub(super) fn keep_revision(
    conn: &mut SqliteConnection,
    id: NoteId,
    reason: RevisionReason,
) -> DbResult<bool> {
    let Some((uuid, title, body, updated, created)) = notes::table
        .find(id)
        .select((
            notes::uuid,
            notes::title,
            notes::body,
            notes::updated_at,
            notes::created_at,
        ))
        .first::<(String, String, String, Timestamp, Timestamp)>(conn)
        .optional()?
    else {
        return Ok(false);
    };
    if title.trim().is_empty() && body.trim().is_empty() {
        return Ok(false);
    }
    let tags = tags_of_notes(conn, &[id])?
        .remove(&id)
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.name)
        .collect();
    insert_revision(
        conn,
        &RevisionRecord {
            note_uuid: uuid,
            saved: updated,
            kept: super::now(),
            reason,
            title,
            body,
            tags,
            created: Some(created),
        },
    )
}

/// [`keep_revision`] for every note in the trash (before emptying it).
pub(super) fn keep_revisions_of_trash(conn: &mut SqliteConnection) -> DbResult<()> {
    let trashed: Vec<NoteId> = notes::table
        .filter(notes::deleted_at.is_not_null())
        .select(notes::id)
        .load(conn)?;
    for id in trashed {
        keep_revision(conn, id, RevisionReason::Delete)?;
    }
    Ok(())
}

/// The columns of a [`RevisionSummary`], as stored.
#[derive(Queryable, Selectable)]
#[diesel(table_name = note_revisions, check_for_backend(diesel::sqlite::Sqlite))]
struct SummaryRow {
    id: RevisionId,
    note_uuid: String,
    saved_at: Timestamp,
    kept_at: Timestamp,
    reason: String,
    title: String,
    body_bytes: i64,
}

impl From<SummaryRow> for RevisionSummary {
    fn from(row: SummaryRow) -> Self {
        RevisionSummary {
            id: row.id,
            note_uuid: row.note_uuid,
            saved: row.saved_at,
            kept: row.kept_at,
            reason: RevisionReason::parse(&row.reason),
            title: row.title,
            bytes: row.body_bytes,
        }
    }
}

/// A revision's row: its summary, tags (JSON), stored text, the note's creation time, and the
/// key it is stored against.
type RevisionRow = (SummaryRow, String, Vec<u8>, i64, Option<i64>);

/// A revision's text, from its bytes and, for one stored against its key, the key's text.
fn decompress(compressed: &[u8], bytes: i64, dictionary: Option<&str>) -> DbResult<String> {
    let damaged = || DbError::Corrupt {
        detail: "a revision's text cannot be read".to_owned(),
    };
    if !(0..=MAX_BODY_BYTES).contains(&bytes) {
        return Err(damaged());
    }
    let raw = match dictionary {
        None => zstd::bulk::decompress(compressed, bytes as usize),
        Some(dictionary) => zstd::bulk::Decompressor::with_dictionary(dictionary.as_bytes())
            .and_then(|mut d| d.decompress(compressed, bytes as usize)),
    }
    .map_err(|_| damaged())?;
    String::from_utf8(raw).map_err(|_| damaged())
}

/// The texts of these keys, by id, in one query.
fn key_texts(conn: &mut SqliteConnection, keys: &[i64]) -> DbResult<HashMap<i64, String>> {
    let mut texts = HashMap::new();
    for chunk in keys.chunks(10_000) {
        let rows: Vec<(i64, Vec<u8>, i64)> = note_revisions::table
            .filter(note_revisions::id.eq_any(chunk))
            .select((
                note_revisions::id,
                note_revisions::body_zstd,
                note_revisions::body_bytes,
            ))
            .load(conn)?;
        for (id, body, bytes) in rows {
            texts.insert(id, decompress(&body, bytes, None)?);
        }
    }
    Ok(texts)
}

fn read_revisions(
    conn: &mut SqliteConnection,
    query: note_revisions::BoxedQuery<'_, diesel::sqlite::Sqlite>,
) -> DbResult<Vec<Revision>> {
    let rows: Vec<RevisionRow> = query
        .select((
            SummaryRow::as_select(),
            note_revisions::tags,
            note_revisions::body_zstd,
            note_revisions::created_at,
            note_revisions::base_id,
        ))
        .load(conn)?;
    let mut keys: Vec<i64> = rows.iter().filter_map(|row| row.4).collect();
    keys.sort_unstable();
    keys.dedup();
    let keys = key_texts(conn, &keys)?;
    rows.into_iter()
        .map(|(row, tags, body, created, base)| {
            let summary = RevisionSummary::from(row);
            let dictionary =
                match base {
                    Some(base) => Some(keys.get(&base).map(String::as_str).ok_or_else(|| {
                        DbError::Corrupt {
                            detail: "a revision's text cannot be read".to_owned(),
                        }
                    })?),
                    None => None,
                };
            Ok(Revision {
                body: decompress(&body, summary.bytes, dictionary)?,
                tags: serde_json::from_str(&tags).unwrap_or_default(),
                created: Timestamp(created),
                summary,
            })
        })
        .collect()
}

impl Repository {
    /// The note with this UUID, if there is one (live or in the trash).
    pub fn note_by_uuid(&mut self, uuid: &str) -> DbResult<Option<Note>> {
        let id: Option<NoteId> = notes::table
            .filter(notes::uuid.eq(uuid))
            .select(notes::id)
            .first(&mut self.conn)
            .optional()?;
        id.map(|id| self.note(id)).transpose()
    }

    /// A note's revisions, newest first, without their text.
    pub fn note_revisions(&mut self, note_uuid: &str) -> DbResult<Vec<RevisionSummary>> {
        let rows: Vec<SummaryRow> = note_revisions::table
            .filter(note_revisions::note_uuid.eq(note_uuid))
            .order((note_revisions::saved_at.desc(), note_revisions::id.desc()))
            .select(SummaryRow::as_select())
            .load(&mut self.conn)?;
        Ok(rows.into_iter().map(RevisionSummary::from).collect())
    }

    /// A note's revisions, newest first, with their text (for the History window, which
    /// compares each with the next).
    pub fn note_revisions_with_text(&mut self, note_uuid: &str) -> DbResult<Vec<Revision>> {
        let query = note_revisions::table
            .filter(note_revisions::note_uuid.eq(note_uuid.to_owned()))
            .order((note_revisions::saved_at.desc(), note_revisions::id.desc()))
            .into_boxed();
        read_revisions(&mut self.conn, query)
    }

    pub fn revision(&mut self, id: RevisionId) -> DbResult<Revision> {
        let query = note_revisions::table
            .filter(note_revisions::id.eq(id.0))
            .into_boxed();
        read_revisions(&mut self.conn, query)?
            .pop()
            .ok_or_else(|| DbError::not_found("revision"))
    }

    /// Notes deleted for good that still have revisions, most recently deleted first.
    pub fn deleted_notes(&mut self) -> DbResult<Vec<DeletedNote>> {
        let rows: Vec<(String, Option<i64>, i64)> = note_revisions::table
            .filter(diesel::dsl::not(
                note_revisions::note_uuid.eq_any(notes::table.select(notes::uuid)),
            ))
            .group_by(note_revisions::note_uuid)
            .select((
                note_revisions::note_uuid,
                diesel::dsl::max(note_revisions::kept_at),
                diesel::dsl::count_star(),
            ))
            .load(&mut self.conn)?;
        // Each note's newest title, in one query (a subquery, not the UUIDs bound: there may
        // be more than SQLite binds).
        let mut titles: HashMap<String, String> = HashMap::new();
        let titled: Vec<(String, String)> = note_revisions::table
            .filter(diesel::dsl::not(
                note_revisions::note_uuid.eq_any(notes::table.select(notes::uuid)),
            ))
            .order((note_revisions::saved_at.asc(), note_revisions::id.asc()))
            .select((note_revisions::note_uuid, note_revisions::title))
            .load(&mut self.conn)?;
        for (uuid, title) in titled {
            titles.insert(uuid, title);
        }
        let mut deleted: Vec<DeletedNote> = rows
            .into_iter()
            .map(|(uuid, kept, revisions)| DeletedNote {
                title: titles.remove(&uuid).unwrap_or_default(),
                uuid,
                deleted: Timestamp(kept.unwrap_or_default()),
                revisions,
            })
            .collect();
        deleted.sort_by(|a, b| b.deleted.cmp(&a.deleted).then_with(|| a.uuid.cmp(&b.uuid)));
        Ok(deleted)
    }

    /// Puts revision `id` back as its note's text, title and tags, in place and under the same
    /// UUID, after keeping the note's current state as a revision; a note in the trash comes
    /// out of it. `seen` is the note and version the user looked at: another version by now,
    /// or another note than the revision's, is a [`DbError::Conflict`] and changes nothing. A
    /// note deleted for good is brought back as a live note with its creation time (`seen` is
    /// then not needed). Returns the note.
    pub fn restore_revision(
        &mut self,
        id: RevisionId,
        seen: Option<(NoteId, Version)>,
    ) -> DbResult<Note> {
        let note_id = self.write(|conn| {
            // Read in the write's transaction: thinning on another connection cannot take it
            // (or the files it names) away half-way.
            let query = note_revisions::table
                .filter(note_revisions::id.eq(id.0))
                .into_boxed();
            let revision = read_revisions(conn, query)?
                .pop()
                .ok_or_else(|| DbError::not_found("revision"))?;
            let existing: Option<NoteId> = notes::table
                .filter(notes::uuid.eq(&revision.summary.note_uuid))
                .select(notes::id)
                .first(conn)
                .optional()?;
            let Some(note_id) = existing else {
                let note = NewNote {
                    title: revision.summary.title.clone(),
                    body: revision.body.clone(),
                    pinned: false,
                    tags: revision.tags.clone(),
                    uuid: Some(revision.summary.note_uuid.clone()),
                    created: Some(revision.created),
                    updated: None,
                };
                let note_id = insert_note_row(conn, &note, &mut HashMap::new())?;
                search_index::index_note(conn, note_id, &note.title, &note.body, Existing::New)?;
                return Ok(note_id);
            };
            let seen = match seen {
                Some((seen_note, version)) if seen_note == note_id => version,
                _ => return Err(DbError::Conflict { what: "note" }),
            };
            let saved = claim_note(conn, note_id, seen)?;
            keep_revision(conn, note_id, RevisionReason::Restore)?;
            diesel::update(notes::table.find(note_id))
                .set((
                    notes::title.eq(&revision.summary.title),
                    notes::body.eq(&revision.body),
                    notes::updated_at.eq(saved.updated),
                    notes::version.eq(saved.version),
                    notes::deleted_at.eq(None::<Timestamp>),
                ))
                .execute(conn)?;
            replace_note_tags(conn, note_id, &revision.tags, &mut HashMap::new())?;
            super::attachments::link_attachments(conn, note_id, &revision.body)?;
            search_index::index_note(
                conn,
                note_id,
                &revision.summary.title,
                &revision.body,
                Existing::Replace,
            )?;
            Ok(note_id)
        })?;
        self.note(note_id)
    }

    /// Every revision with its text, for a backup "with history".
    pub fn all_revisions(&mut self) -> DbResult<Vec<RevisionRecord>> {
        let query = note_revisions::table
            .order((
                note_revisions::note_uuid.asc(),
                note_revisions::saved_at.asc(),
            ))
            .into_boxed();
        Ok(read_revisions(&mut self.conn, query)?
            .into_iter()
            .map(|r| RevisionRecord {
                note_uuid: r.summary.note_uuid,
                saved: r.summary.saved,
                kept: r.summary.kept,
                reason: r.summary.reason,
                title: r.summary.title,
                body: r.body,
                tags: r.tags,
                created: Some(r.created),
            })
            .collect())
    }

    /// How many revisions there are and their stored (compressed) bytes.
    pub fn history_totals(&mut self) -> DbResult<(i64, i64)> {
        let (count, bytes): (i64, Option<i64>) = note_revisions::table
            .select((
                diesel::dsl::count_star(),
                diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>>(
                    "sum(length(body_zstd) + length(title) + length(tags))",
                ),
            ))
            .first(&mut self.conn)?;
        Ok((count, bytes.unwrap_or(0)))
    }

    /// One short step of thinning revisions by `retention` at `now`: the notes after `after`
    /// (by UUID) with revisions old enough to thin, at most `notes_per_step` of them. Returns
    /// the UUID to go on after, or `None` when every note was looked at.
    pub fn thin_history_step(
        &mut self,
        retention: &HistoryRetention,
        now: Timestamp,
        after: Option<&str>,
        notes_per_step: i64,
    ) -> DbResult<Option<String>> {
        if retention.keep_everything {
            return Ok(None);
        }
        let starts = retention.thinning_starts(now).0;
        let after = after.unwrap_or_default().to_owned();
        self.write(|conn| {
            let uuids: Vec<String> = note_revisions::table
                .filter(note_revisions::note_uuid.gt(&after))
                .filter(note_revisions::kept_at.lt(starts))
                .select(note_revisions::note_uuid)
                .distinct()
                .order(note_revisions::note_uuid.asc())
                .limit(notes_per_step)
                .load(conn)?;
            let rows: Vec<(String, RevisionId, i64)> = note_revisions::table
                .filter(note_revisions::note_uuid.eq_any(&uuids))
                .filter(note_revisions::kept_at.lt(starts))
                .order((
                    note_revisions::note_uuid.asc(),
                    note_revisions::kept_at.desc(),
                    note_revisions::id.desc(),
                ))
                .select((
                    note_revisions::note_uuid,
                    note_revisions::id,
                    note_revisions::kept_at,
                ))
                .load(conn)?;
            let mut by_note: HashMap<&str, Vec<(RevisionId, Timestamp)>> = HashMap::new();
            for (uuid, id, saved) in &rows {
                by_note
                    .entry(uuid.as_str())
                    .or_default()
                    .push((*id, Timestamp(*saved)));
            }
            let removed: Vec<i64> = by_note
                .values()
                .flat_map(|revisions| retention.to_remove(revisions, now))
                .map(|id| id.0)
                .collect();
            rebase_before_removing(conn, &removed)?;
            let mut let_go: Vec<i32> = Vec::new();
            for chunk in removed.chunks(1000) {
                let_go.extend(
                    revision_attachments::table
                        .filter(revision_attachments::revision_id.eq_any(chunk))
                        .select(revision_attachments::attachment_id)
                        .load::<i32>(conn)?,
                );
            }
            // Those stored against a key first, then the keys, which nothing names by then.
            for chunk in removed.chunks(1000) {
                diesel::delete(
                    note_revisions::table
                        .filter(note_revisions::id.eq_any(chunk))
                        .filter(note_revisions::base_id.is_not_null()),
                )
                .execute(conn)?;
            }
            for chunk in removed.chunks(1000) {
                diesel::delete(note_revisions::table.filter(note_revisions::id.eq_any(chunk)))
                    .execute(conn)?;
            }
            let_go.sort_unstable();
            let_go.dedup();
            if !let_go.is_empty() {
                super::attachments::delete_kept_only_by_history(conn, &let_go)?;
                // Those a text let go of more than a week ago, held since by this history.
                super::attachments::delete_long_unlinked(conn)?;
            }
            Ok((uuids.len() as i64 == notes_per_step)
                .then(|| uuids.last().cloned())
                .flatten())
        })
    }
}

/// Before keys among `removed` go: the newest revision stored against each that stays is
/// stored whole and becomes the key of the others that stay. The caller holds the transaction.
fn rebase_before_removing(conn: &mut SqliteConnection, removed: &[i64]) -> DbResult<()> {
    let removed_set: HashSet<i64> = removed.iter().copied().collect();
    let mut staying: HashMap<i64, Vec<(i64, Vec<u8>, i64)>> = HashMap::new();
    for chunk in removed.chunks(1000) {
        let rows: Vec<(i64, Option<i64>, Vec<u8>, i64)> = note_revisions::table
            .filter(note_revisions::base_id.eq_any(chunk))
            .select((
                note_revisions::id,
                note_revisions::base_id,
                note_revisions::body_zstd,
                note_revisions::body_bytes,
            ))
            .load(conn)?;
        for (id, base, body, bytes) in rows {
            if let Some(base) = base.filter(|_| !removed_set.contains(&id)) {
                staying.entry(base).or_default().push((id, body, bytes));
            }
        }
    }
    if staying.is_empty() {
        return Ok(());
    }
    let keys: Vec<i64> = staying.keys().copied().collect();
    let key_texts = key_texts(conn, &keys)?;
    for (key, mut dependents) in staying {
        let key_text = key_texts.get(&key).ok_or_else(|| DbError::Corrupt {
            detail: "a revision's text cannot be read".to_owned(),
        })?;
        dependents.sort_by_key(|(id, ..)| std::cmp::Reverse(*id));
        let texts: Vec<(i64, String)> = dependents
            .iter()
            .map(|(id, body, bytes)| Ok((*id, decompress(body, *bytes, Some(key_text))?)))
            .collect::<DbResult<_>>()?;
        let Some(((new_key, new_key_text), others)) = texts.split_first() else {
            continue;
        };
        diesel::update(note_revisions::table.find(new_key))
            .set((
                note_revisions::base_id.eq(None::<i64>),
                note_revisions::body_zstd.eq(compress(new_key_text, None)?),
            ))
            .execute(conn)?;
        for (id, text) in others {
            diesel::update(note_revisions::table.find(id))
                .set((
                    note_revisions::base_id.eq(Some(*new_key)),
                    note_revisions::body_zstd.eq(compress(text, Some(new_key_text))?),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Stores the revisions a backup brings that are not here yet (same note, time and content).
/// The caller holds the transaction. Returns how many were stored.
pub(super) fn merge_revision_records(
    conn: &mut SqliteConnection,
    records: &[RevisionRecord],
) -> DbResult<usize> {
    let mut stored = 0;
    for record in records {
        stored += usize::from(insert_revision(conn, record)?);
    }
    Ok(stored)
}
