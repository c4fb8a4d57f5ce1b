//! Merging notes that arrive from files and backups into the database: which side wins, and
//! when both changed, a conflict copy beside the note instead of an overwrite.

use std::collections::HashMap;

use diesel::prelude::*;

use super::error::{DbError, DbResult};
use super::ids::{NoteId, TagId, Timestamp, Version};
use super::notes::*;
use super::now;
use super::records::RecordSource;
use super::revisions::RevisionReason;
use super::schema::notes;
use super::search_index::{self, Existing};
use super::tags::{clean_tag_names, tag_key};

/// What merging one record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merged {
    Added,
    Updated,
    /// The database's copy is as new or newer: kept.
    Kept,
    /// Both changed: the record was added as a conflict copy beside the stored one.
    Conflict,
}

/// Whether a record holds something other than the stored note (an unchanged file with a
/// later time is no newer version).
fn differs(
    conn: &mut SqliteConnection,
    id: NoteId,
    note: &NewNote,
    deleted: Option<Timestamp>,
    compare_trash: bool,
) -> DbResult<bool> {
    let (title, body, pinned, stored_deleted): (String, String, bool, Option<Timestamp>) =
        notes::table
            .find(id)
            .select((notes::title, notes::body, notes::pinned, notes::deleted_at))
            .first(conn)?;
    if compare_trash && stored_deleted.is_some() != deleted.is_some() {
        return Ok(true);
    }
    let mut tags: Vec<String> = tags_of_notes(conn, &[id])?
        .remove(&id)
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.name)
        .collect();
    let mut wanted: Vec<String> = clean_tag_names(&note.tags)
        .into_iter()
        .map(str::to_owned)
        .collect();
    tags.sort_by_key(|t| tag_key(t));
    wanted.sort_by_key(|t| tag_key(t));
    let same_tags = tags.len() == wanted.len()
        && tags
            .iter()
            .zip(&wanted)
            .all(|(a, b)| tag_key(a) == tag_key(b));
    Ok(title != note.title || body != note.body || pinned != note.pinned || !same_tags)
}

/// A note to merge, with its trash state and where it came from.
pub(super) struct NoteMerge {
    pub note: NewNote,
    pub deleted: Option<Timestamp>,
    pub source: RecordSource,
}

/// A time further ahead than this is a wrong clock, not a newer edit.
const TRUSTED_AHEAD_MS: i64 = 24 * 60 * 60 * 1000;

fn trusted(stamp: Timestamp, now: Timestamp) -> bool {
    stamp.0 <= now.0.saturating_add(TRUSTED_AHEAD_MS)
}

/// The UUID of the conflict copy a record makes: from the original's UUID and the record's
/// title and text.
fn conflict_copy_uuid(note: &NewNote) -> String {
    const NAMESPACE: uuid::Uuid = uuid::uuid!("9f4c2a1e-5b7d-4e8f-a0c3-6d1b2e4f8a95");
    let content = format!(
        "{}\n{}\n{}",
        note.uuid.as_deref().unwrap_or_default(),
        note.title,
        note.body
    );
    uuid::Uuid::new_v5(&NAMESPACE, content.as_bytes()).to_string()
}

/// What merging a record over a stored note does.
enum Decision {
    /// Nothing new, or the stored note is the newer.
    Keep,
    /// The record replaces the note; the note is then dated this.
    Replace(Timestamp),
    /// Both changed: the record is kept as a conflict copy beside the note.
    KeepBoth,
}

/// The rule of [`RecordSource`] for one record over the stored note (last changed `stored`).
fn decide(
    conn: &mut SqliteConnection,
    id: NoteId,
    merge: &NoteMerge,
    stored: Timestamp,
) -> DbResult<Decision> {
    // A Markdown file knows nothing of the trash: a note trashed since the export is not
    // brought back by importing the export again.
    let compare_trash = merge.source == RecordSource::Backup;
    if !differs(conn, id, &merge.note, merge.deleted, compare_trash)? {
        return Ok(Decision::Keep);
    }
    let now = now();
    let later_than_stored = |at: Timestamp| at.max(Timestamp(stored.0.saturating_add(1)));
    Ok(match merge.source {
        RecordSource::Backup => match merge.note.updated {
            Some(updated) if updated > stored && trusted(updated, now) => {
                Decision::Replace(updated)
            }
            // A wrong clock cannot say which is newer: keep both.
            Some(updated) if updated > stored => Decision::KeepBoth,
            _ => Decision::Keep,
        },
        RecordSource::File { exported } => match exported {
            // The note has not changed since the export; the file has: it is the newer.
            Some(exported) if stored <= exported && trusted(exported, now) => {
                Decision::Replace(if exported > stored {
                    exported
                } else {
                    later_than_stored(now)
                })
            }
            _ => Decision::KeepBoth,
        },
    })
}

/// Merges notes by their UUIDs: a note is added when new; over a stored note, the rule of
/// [`RecordSource`] says whether the record replaces it, is kept as a conflict copy beside
/// it, or changes nothing. `deleted` says whether each is in the trash. New notes are indexed
/// in batches, as an import does. Returns each record's note (the copy, for a conflict) and
/// what happened, in order. The caller holds the transaction.
pub(super) fn merge_notes(
    conn: &mut SqliteConnection,
    notes: &[NoteMerge],
    tag_cache: &mut HashMap<String, TagId>,
    after_each: &mut dyn FnMut() -> DbResult<()>,
) -> DbResult<Vec<(NoteId, Merged)>> {
    let mut stored: HashMap<String, (NoteId, Timestamp, Version)> = notes::table
        .select((notes::uuid, notes::id, notes::updated_at, notes::version))
        .load::<(String, NoteId, Timestamp, Version)>(conn)?
        .into_iter()
        .map(|(uuid, id, updated, version)| (uuid, (id, updated, version)))
        .collect();
    let mut outcome = Vec::with_capacity(notes.len());
    let mut pending: Vec<search_index::NoteDocuments> = Vec::with_capacity(INDEX_BATCH);
    for merge in notes {
        let NoteMerge { note, deleted, .. } = merge;
        let existing = note
            .uuid
            .as_ref()
            .and_then(|uuid| stored.get(uuid))
            .copied();
        let decision = match existing {
            None => None,
            Some((id, updated, _)) => Some(decide(conn, id, merge, updated)?),
        };
        let (id, merged, updated) = match (existing, decision) {
            (None, _) => {
                let id = insert_note_row(conn, note, tag_cache)?;
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
                (id, Merged::Added, note.updated.unwrap_or_else(now))
            }
            (Some((id, _, version)), Some(Decision::Replace(updated))) => {
                // A copy of this note may wait in the batch; index it first, so this newer
                // text is indexed last.
                search_index::index_new_notes(conn, &pending)?;
                pending.clear();
                let reason = match merge.source {
                    RecordSource::Backup => RevisionReason::Backup,
                    RecordSource::File { .. } => RevisionReason::Import,
                };
                super::revisions::keep_revision(conn, id, reason)?;
                // The version read in this transaction: nothing else can have written since.
                let replaced =
                    diesel::update(notes::table.find(id).filter(notes::version.eq(version)))
                        .set((
                            notes::title.eq(&note.title),
                            notes::body.eq(&note.body),
                            notes::pinned.eq(note.pinned),
                            notes::updated_at.eq(updated),
                            notes::created_at.eq(note.created.unwrap_or(updated)),
                            notes::version.eq(notes::version + 1),
                        ))
                        .execute(conn)?;
                if replaced == 0 {
                    return Err(DbError::Conflict { what: "note" });
                }
                // A backup says whether the note is in the trash; a Markdown file does not.
                if merge.source == RecordSource::Backup {
                    diesel::update(notes::table.find(id))
                        .set(notes::deleted_at.eq(deleted))
                        .execute(conn)?;
                }
                replace_note_tags(conn, id, &note.tags, tag_cache)?;
                super::attachments::link_attachments(conn, id, &note.body)?;
                search_index::index_note(conn, id, &note.title, &note.body, Existing::Replace)?;
                stored.insert(
                    note.uuid.clone().unwrap_or_default(),
                    (id, updated, Version(version.0 + 1)),
                );
                outcome.push((id, Merged::Updated));
                after_each()?;
                continue;
            }
            (Some(_), Some(Decision::KeepBoth)) => {
                // Named by the original and the record's text, so importing the same file
                // again finds this copy instead of making another.
                let copy_uuid = conflict_copy_uuid(note);
                if let Some((copy_id, ..)) = stored.get(&copy_uuid) {
                    outcome.push((*copy_id, Merged::Kept));
                    after_each()?;
                    continue;
                }
                let copy = NewNote {
                    title: conflict_title(&note.title, now()),
                    tags: note
                        .tags
                        .iter()
                        .cloned()
                        .chain([CONFLICT_TAG.to_owned()])
                        .collect(),
                    uuid: Some(copy_uuid.clone()),
                    pinned: false,
                    ..note.clone()
                };
                let copy_id = insert_note_row(conn, &copy, tag_cache)?;
                search_index::index_note(conn, copy_id, &copy.title, &copy.body, Existing::New)?;
                stored.insert(copy_uuid, (copy_id, now(), Version(1)));
                outcome.push((copy_id, Merged::Conflict));
                after_each()?;
                continue;
            }
            (Some((id, ..)), _) => {
                outcome.push((id, Merged::Kept));
                after_each()?;
                continue;
            }
        };
        // A new note is inserted live; only a trashed one needs its trash time.
        if deleted.is_some() {
            diesel::update(notes::table.find(id))
                .set(notes::deleted_at.eq(deleted))
                .execute(conn)?;
        }
        // The same UUID twice in one merge (a file given twice) merges with the first.
        if let Some(uuid) = &note.uuid {
            stored.insert(uuid.clone(), (id, updated, Version(1)));
        }
        outcome.push((id, merged));
        after_each()?;
    }
    search_index::index_new_notes(conn, &pending)?;
    Ok(outcome)
}
