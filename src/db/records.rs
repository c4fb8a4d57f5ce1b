//! Everything in the database as plain records keyed by UUID, and merging such records back:
//! what a backup holds. Merging adds what is new, replaces what the records hold a later
//! version of, and keeps the rest, so restoring one backup twice changes nothing the second
//! time.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::Repository;
use super::attachments::{
    Attachment, NewAttachment, all_attachments, attachment_refs, content_hash, link_attachments,
    store_with_hash,
};
use super::contacts::{
    ContactDraft, all_contact_drafts, contacts_by_uuid, index_new_contacts, merge_contact,
};
use super::error::{DbError, DbResult};
use super::ids::{ContactId, NoteId, Timestamp, Version};
use super::notes::{Merged, NewNote, NoteMerge, merge_notes};
use super::revisions::{RevisionRecord, merge_revision_records};
use super::schema::{attachments, contacts, note_contacts, note_tags, notes, tags};
use super::search_index;

/// Where a note record came from.
///
/// * A **backup** record carries the `updated` time Folio stamped: the newer of it and the
///   stored note wins (a time more than a day in the future is not trusted to win).
/// * A **Markdown file** is an export that may have been edited since. Its modification time
///   proves nothing (a copy, a sync tool or a checkout sets it), so it replaces the stored note
///   only when the stored note has not changed since the export (its `updated` is not after the
///   front matter's `updated`) and the file differs. When both changed, the file's text is kept
///   as a conflict copy beside the note and the import's report says so.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RecordSource {
    #[default]
    Backup,
    File {
        /// The front matter's `updated`, when it has one.
        exported: Option<Timestamp>,
    },
}

/// A note with its tags and the UUIDs of the contacts it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteRecord {
    pub uuid: String,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub pinned: bool,
    pub created: Timestamp,
    pub updated: Timestamp,
    /// When it went to the trash; absent for a live note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<Timestamp>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// UUIDs of contacts.
    #[serde(default)]
    pub people: Vec<String>,
    /// Where the record came from, which decides when it may replace a stored note (see
    /// [`RecordSource`]).
    #[serde(skip)]
    pub source: RecordSource,
}

/// A contact with everything it holds; the draft carries its UUID and dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRecord {
    #[serde(flatten)]
    pub contact: ContactDraft,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<Timestamp>,
}

/// A file attached to notes, as a backup holds it: what it is and, in base64, its bytes.
/// Read from the database for an export, it comes without its bytes (`bytes` empty, `hash`
/// not theirs): they are read one file at a time while writing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRecord {
    #[serde(flatten)]
    pub attachment: Attachment,
    #[serde(
        default,
        with = "super::contact_types::base64_bytes",
        skip_serializing_if = "<[u8]>::is_empty"
    )]
    pub bytes: std::sync::Arc<[u8]>,
}

/// Every note and contact, in the order they were created, and every attachment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Records {
    pub notes: Vec<NoteRecord>,
    pub contacts: Vec<ContactRecord>,
    /// Notes name their attachments in their text (`attachment:UUID`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentRecord>,
    /// Notes' history, in a backup "with history" (see [`Repository::all_revisions`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<RevisionRecord>,
}

/// What a merge did, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MergeCounts {
    pub added: usize,
    pub updated: usize,
    /// Already there, as new or newer.
    pub kept: usize,
    /// Changed both here and in the file: the file's text was kept as a conflict copy.
    #[serde(default)]
    pub conflicts: usize,
}

impl MergeCounts {
    fn count(&mut self, merged: Merged) {
        match merged {
            Merged::Added => self.added += 1,
            Merged::Updated => self.updated += 1,
            Merged::Kept => self.kept += 1,
            Merged::Conflict => self.conflicts += 1,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MergeReport {
    pub notes: MergeCounts,
    pub contacts: MergeCounts,
    /// Notes whose record could not replace the stored note (see [`RecordSource`]): the
    /// record's index among the notes, and the conflict copy that keeps it.
    #[serde(skip)]
    pub note_conflicts: Vec<(usize, NoteId)>,
    /// Note–contact links added.
    pub links: usize,
    /// Attachments added (those already here, by UUID, are kept as they are).
    pub attachments: usize,
    /// Revisions added (those already here, same note, time and content, are not repeated).
    pub revisions: usize,
    /// The contacts added, in the records' order.
    #[serde(skip)]
    pub added_contacts: Vec<ContactId>,
}

/// How much the database holds (`folio stats`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Live notes.
    pub notes: i64,
    /// Live contacts.
    pub contacts: i64,
    /// Tags and groups (one vocabulary).
    pub tags: i64,
    /// Links between notes and contacts.
    pub links: i64,
    pub trashed_notes: i64,
    pub trashed_contacts: i64,
    /// Files attached to notes, and their bytes (a file attached twice counted once).
    pub attachments: i64,
    pub attachment_bytes: i64,
}

/// A note's columns as a backup holds them.
type NoteRow = (
    NoteId,
    String,
    String,
    String,
    bool,
    Timestamp,
    Timestamp,
    Option<Timestamp>,
);

impl Repository {
    pub fn stats(&mut self) -> DbResult<Stats> {
        let (attachments, attachment_bytes) = self.attachment_totals()?;
        let conn = &mut self.conn;
        Ok(Stats {
            attachments,
            attachment_bytes,
            notes: notes::table
                .filter(notes::deleted_at.is_null())
                .count()
                .get_result(conn)?,
            contacts: contacts::table
                .filter(contacts::deleted_at.is_null())
                .count()
                .get_result(conn)?,
            tags: tags::table.count().get_result(conn)?,
            links: note_contacts::table.count().get_result(conn)?,
            trashed_notes: notes::table
                .filter(notes::deleted_at.is_not_null())
                .count()
                .get_result(conn)?,
            trashed_contacts: contacts::table
                .filter(contacts::deleted_at.is_not_null())
                .count()
                .get_result(conn)?,
        })
    }

    /// Every note and contact, trashed ones included. A fixed number of queries.
    pub fn all_records(&mut self) -> DbResult<Records> {
        let conn = &mut self.conn;
        let rows: Vec<NoteRow> = notes::table
            .order(notes::id)
            .select((
                notes::id,
                notes::uuid,
                notes::title,
                notes::body,
                notes::pinned,
                notes::created_at,
                notes::updated_at,
                notes::deleted_at,
            ))
            .load(conn)?;
        let mut tags_of: HashMap<NoteId, Vec<String>> = HashMap::new();
        for (id, name) in note_tags::table
            .inner_join(tags::table)
            .order((note_tags::note_id, tags::name_key))
            .select((note_tags::note_id, tags::name))
            .load::<(NoteId, String)>(conn)?
        {
            tags_of.entry(id).or_default().push(name);
        }
        let mut people_of: HashMap<NoteId, Vec<String>> = HashMap::new();
        for (id, uuid) in note_contacts::table
            .inner_join(contacts::table)
            .order((note_contacts::note_id, contacts::uuid))
            .select((note_contacts::note_id, contacts::uuid))
            .load::<(NoteId, String)>(conn)?
        {
            people_of.entry(id).or_default().push(uuid);
        }
        let notes = rows
            .into_iter()
            .map(
                |(id, uuid, title, body, pinned, created, updated, deleted)| NoteRecord {
                    uuid,
                    title,
                    body,
                    pinned,
                    created,
                    updated,
                    deleted,
                    tags: tags_of.remove(&id).unwrap_or_default(),
                    people: people_of.remove(&id).unwrap_or_default(),
                    source: RecordSource::Backup,
                },
            )
            .collect();
        let contacts = all_contact_drafts(conn)?
            .into_iter()
            .map(|(contact, deleted)| ContactRecord { contact, deleted })
            .collect();
        let attachments = all_attachments(conn)?
            .into_iter()
            .map(|attachment| AttachmentRecord {
                attachment,
                bytes: std::sync::Arc::from(Vec::new()),
            })
            .collect();
        Ok(Records {
            notes,
            contacts,
            attachments,
            revisions: Vec::new(),
        })
    }

    /// Merges records by UUID in one transaction: all of them or, on any error, none. Contacts
    /// go first so notes can link to them; a link to a contact neither here nor in the records
    /// is left out.
    pub fn merge_records(&mut self, records: &Records) -> DbResult<MergeReport> {
        self.merge_records_with(records, &|_| true)
    }

    /// [`Repository::merge_records`], telling `keep_going` how many records are done after
    /// each; when it answers `false` the merge stops and the transaction is rolled back
    /// ([`DbError::Cancelled`]).
    pub fn merge_records_with(
        &mut self,
        records: &Records,
        keep_going: &dyn Fn(usize) -> bool,
    ) -> DbResult<MergeReport> {
        let mut done = 0;
        let mut step = || {
            done += 1;
            if keep_going(done) {
                Ok(())
            } else {
                Err(DbError::Cancelled)
            }
        };
        self.write(|conn| {
            let mut report = MergeReport::default();
            let mut tag_cache = HashMap::new();
            let mut contact_ids: HashMap<&str, ContactId> = HashMap::new();
            let mut added = Vec::new();
            let mut added_ids = std::collections::HashSet::new();
            let uuids: Vec<&str> = records
                .contacts
                .iter()
                .filter_map(|r| r.contact.uuid.as_deref())
                .collect();
            let mut stored = contacts_by_uuid(conn, &uuids)?;
            // A backup from before the address-book fields keeps them as vCard lines: they
            // move into the fields as the upgrade moved the database's own.
            let drafts: Vec<std::borrow::Cow<'_, ContactDraft>> = records
                .contacts
                .iter()
                .map(|r| {
                    let card_extra = &r.contact.card_extra;
                    if crate::exchange::vcard_fields::holds_lines_with_fields(card_extra) {
                        let mut draft = r.contact.clone();
                        crate::exchange::vcard_fields::move_kept_lines(&mut draft);
                        std::borrow::Cow::Owned(draft)
                    } else {
                        std::borrow::Cow::Borrowed(&r.contact)
                    }
                })
                .collect();
            for (record, draft) in records.contacts.iter().zip(&drafts) {
                let existing = record
                    .contact
                    .uuid
                    .as_ref()
                    .and_then(|u| stored.get(u).copied());
                let (id, merged) =
                    merge_contact(conn, draft, record.deleted, existing, &mut tag_cache)?;
                // A second record with the same UUID merges into the contact just written.
                if let Some(uuid) = &record.contact.uuid
                    && merged != Merged::Kept
                {
                    let updated = record.contact.updated.unwrap_or_else(Timestamp::now);
                    let version = existing.map_or(Version(1), |(.., v)| Version(v.0 + 1));
                    stored.insert(uuid.clone(), (id, updated, version));
                }
                report.contacts.count(merged);
                match merged {
                    Merged::Added => {
                        report.added_contacts.push(id);
                        added_ids.insert(id);
                        added.push((id, &**draft));
                    }
                    // Added earlier in these records, then updated (and indexed) by a later
                    // copy: the index takes that copy, not the first.
                    Merged::Updated if added_ids.contains(&id) => {
                        added.retain(|(a, _)| *a != id);
                    }
                    _ => {}
                }
                step()?;
                if let Some(uuid) = &record.contact.uuid {
                    contact_ids.insert(uuid.as_str(), id);
                }
            }
            index_new_contacts(conn, added)?;
            // Before the notes, whose text links them as each note is written.
            let restored = store_attachment_records(conn, &records.attachments)?;
            report.attachments = restored.len();
            let notes: Vec<NoteMerge> = records
                .notes
                .iter()
                .map(|record| NoteMerge {
                    note: NewNote {
                        title: record.title.clone(),
                        body: record.body.clone(),
                        pinned: record.pinned,
                        tags: record.tags.clone(),
                        uuid: Some(record.uuid.clone()),
                        created: Some(record.created),
                        updated: Some(record.updated),
                    },
                    deleted: record.deleted,
                    source: record.source,
                })
                .collect();
            // Before the notes, so a note the merge replaces keeps its state after them.
            report.revisions = merge_revision_records(conn, &records.revisions)?;
            let merged = merge_notes(conn, &notes, &mut tag_cache, &mut step)?;
            for (index, (record, (note_id, merged))) in records.notes.iter().zip(merged).enumerate()
            {
                report.notes.count(merged);
                if merged == Merged::Conflict {
                    report.note_conflicts.push((index, note_id));
                }
                // A note kept as it was keeps its people as they are (a link removed since
                // the backup stays removed); but a file it names that this restore brought
                // back is linked to it, and its name found with it.
                if merged == Merged::Kept {
                    if !restored.is_empty()
                        && attachment_refs(&record.body)
                            .iter()
                            .any(|uuid| restored.contains(uuid))
                    {
                        let (title, body): (String, String) = notes::table
                            .find(note_id)
                            .select((notes::title, notes::body))
                            .first(conn)?;
                        link_attachments(conn, note_id, &body)?;
                        search_index::index_note(
                            conn,
                            note_id,
                            &title,
                            &body,
                            search_index::Existing::Replace,
                        )?;
                    }
                    continue;
                }
                for person in &record.people {
                    let contact = match contact_ids.get(person.as_str()) {
                        Some(id) => Some(*id),
                        None => contacts::table
                            .filter(contacts::uuid.eq(person))
                            .select(contacts::id)
                            .first(conn)
                            .optional()?,
                    };
                    if let Some(contact) = contact {
                        report.links += diesel::insert_or_ignore_into(note_contacts::table)
                            .values((
                                note_contacts::note_id.eq(note_id),
                                note_contacts::contact_id.eq(contact),
                            ))
                            .execute(conn)?;
                    }
                }
            }
            Ok(report)
        })
    }
}

/// Stores the attachments of records that are not here yet (by UUID); returns their UUIDs.
/// Bytes that are not what their hash says mean a damaged backup, refused before anything is
/// kept.
fn store_attachment_records(
    conn: &mut SqliteConnection,
    records: &[AttachmentRecord],
) -> DbResult<std::collections::HashSet<String>> {
    let mut added = std::collections::HashSet::new();
    for record in records {
        let attachment = &record.attachment;
        let stored = attachments::table
            .filter(attachments::uuid.eq(&attachment.uuid))
            .count()
            .get_result::<i64>(conn)?
            > 0;
        if stored {
            continue;
        }
        let hash = content_hash(&record.bytes);
        if hash != attachment.hash {
            return Err(DbError::Invalid(format!(
                "The attachment “{}” is damaged: its bytes are not the ones its hash names.",
                attachment.file_name
            )));
        }
        store_with_hash(
            conn,
            &NewAttachment {
                file_name: &attachment.file_name,
                media_type: &attachment.media_type,
                bytes: &record.bytes,
                uuid: Some(&attachment.uuid),
                created: Some(attachment.created),
            },
            &hash,
        )?;
        added.insert(attachment.uuid.clone());
    }
    Ok(added)
}
