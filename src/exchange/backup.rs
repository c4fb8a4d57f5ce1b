//! The JSON backup: every note, tag, contact (with its emails, phones, addresses and groups)
//! and link, keyed by the stable UUIDs, with a format version. Restoring merges by UUID.

use std::io::{BufReader, Read, Seek, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{ExchangeError, ExchangeResult, atomic};
use std::cell::RefCell;

use crate::db::{
    AttachmentRecord, ContactRecord, MergeReport, NoteRecord, Records, Repository, RevisionRecord,
};

/// What the `format` field of a Folio backup says.
pub const FORMAT: &str = "folio-backup";
/// The newest backup format this build reads and the one it writes.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct BackupOut<'a> {
    format: &'static str,
    version: u32,
    notes: &'a [NoteRecord],
    contacts: &'a [ContactRecord],
    attachments: AttachmentsWithBytes<'a, 'a>,
    #[serde(skip_serializing_if = "<[RevisionRecord]>::is_empty")]
    revisions: &'a [RevisionRecord],
}

/// The attachments of a backup, each written with its bytes read from the database just then:
/// a backup of many pictures never holds more than one in memory.
struct AttachmentsWithBytes<'a, 'r> {
    repo: &'a RefCell<&'r mut Repository>,
    attachments: &'a [AttachmentRecord],
}

impl Serialize for AttachmentsWithBytes<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = serializer.serialize_seq(Some(self.attachments.len()))?;
        for record in self.attachments {
            let attachment = &record.attachment;
            let bytes = self
                .repo
                .borrow_mut()
                .attachment_blob(&attachment.hash)
                .map_err(S::Error::custom)?
                .ok_or_else(|| {
                    S::Error::custom(format!(
                        "the bytes of “{}” are missing",
                        attachment.file_name
                    ))
                })?;
            seq.serialize_element(&AttachmentRecord {
                attachment: attachment.clone(),
                bytes: bytes.into(),
            })?;
        }
        seq.end()
    }
}

#[derive(Deserialize)]
struct BackupIn {
    format: String,
    version: u32,
    // Named, not flattened: serde buffers a flattened struct's whole input first, which for a
    // backup of pictures would hold every one twice.
    notes: Vec<NoteRecord>,
    contacts: Vec<ContactRecord>,
    #[serde(default)]
    attachments: Vec<AttachmentRecord>,
    #[serde(default)]
    revisions: Vec<RevisionRecord>,
}

/// How much a backup holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BackupSummary {
    pub notes: usize,
    pub contacts: usize,
    /// Revisions written (none unless the backup was asked to hold the history).
    pub revisions: usize,
}

/// Writes everything in the database to `path` (atomically; an existing file only when
/// `replace`).
pub fn write_backup(
    repo: &mut Repository,
    path: &Path,
    replace: bool,
) -> ExchangeResult<BackupSummary> {
    write_backup_with(repo, path, replace, false)
}

/// [`write_backup`], with every note's history too when `with_history`.
pub fn write_backup_with(
    repo: &mut Repository,
    path: &Path,
    replace: bool,
    with_history: bool,
) -> ExchangeResult<BackupSummary> {
    repo.read_consistently(|repo| write_snapshot(repo, path, replace, with_history))
}

/// [`write_backup`] inside its read transaction.
fn write_snapshot(
    repo: &mut Repository,
    path: &Path,
    replace: bool,
    with_history: bool,
) -> ExchangeResult<BackupSummary> {
    let mut records = repo.all_records()?;
    if with_history {
        records.revisions = repo.all_revisions()?;
    }
    // A backup Folio could not restore is not written: the attachments alone grow by a third
    // in base64.
    let text: u64 = records
        .notes
        .iter()
        .map(|n| (n.title.len() + n.body.len() + 256) as u64)
        .sum::<u64>()
        + 2048 * records.contacts.len() as u64
        + records
            .revisions
            .iter()
            .map(|r| (r.title.len() + r.body.len() + 256) as u64)
            .sum::<u64>();
    let attachments: u64 = records
        .attachments
        .iter()
        .map(|a| u64::try_from(a.attachment.size).unwrap_or(0) / 3 * 4 + 512)
        .sum();
    if text + attachments > super::MAX_BACKUP_BYTES {
        return Err(ExchangeError::Refused(format!(
            "A backup of everything would be about {:.1} GB ({:.1} GB of it attachments), more \
             than Folio restores ({} GB), so none was written. Export the notes as Markdown \
             instead: it writes the attachments as files.",
            (text + attachments) as f64 / 1e9,
            attachments as f64 / 1e9,
            super::MAX_BACKUP_BYTES / (1024 * 1024 * 1024)
        )));
    }
    let repo = RefCell::new(repo);
    atomic::write_private_file(path, replace, |out| {
        serde_json::to_writer(
            &mut *out,
            &BackupOut {
                format: FORMAT,
                version: VERSION,
                notes: &records.notes,
                contacts: &records.contacts,
                attachments: AttachmentsWithBytes {
                    repo: &repo,
                    attachments: &records.attachments,
                },
                revisions: &records.revisions,
            },
        )?;
        out.write_all(b"\n")
    })?;
    Ok(BackupSummary {
        notes: records.notes.len(),
        contacts: records.contacts.len(),
        revisions: records.revisions.len(),
    })
}

/// Reads a backup, refusing files that are not one or are from a newer Folio. The file is
/// parsed as it is read, never held whole in memory, and never past [`super::MAX_BACKUP_BYTES`].
pub fn read_backup(path: &Path) -> ExchangeResult<Records> {
    let not_backup = |reason| ExchangeError::NotBackup {
        path: path.to_owned(),
        reason,
    };
    let limit = super::MAX_BACKUP_BYTES;
    let (file, _) = super::open_regular_file(path, limit).map_err(not_backup)?;
    let file = &file;
    let records = parse_backup_stream(|| {
        let mut file = file;
        file.rewind()?;
        // A file that grows past the limit while it is read ends there, and reads as damaged.
        Ok(BufReader::new(file.take(limit)))
    });
    named_problem(records, path)
}

/// Parses the bytes of a backup read from `path` (named in the errors), refusing what is not
/// one or is from a newer Folio. [`read_backup`] does the same while reading the file.
pub fn parse_backup(bytes: &[u8], path: &Path) -> ExchangeResult<Records> {
    named_problem(parse_backup_stream(|| Ok(bytes)), path)
}

fn named_problem(parsed: Result<Records, BackupProblem>, path: &Path) -> ExchangeResult<Records> {
    parsed.map_err(|reason| match reason {
        BackupProblem::Newer(found) => ExchangeError::NewerBackup {
            path: path.to_owned(),
            found,
            supported: VERSION,
        },
        BackupProblem::Not(reason) => ExchangeError::NotBackup {
            path: path.to_owned(),
            reason,
        },
    })
}

enum BackupProblem {
    Not(String),
    Newer(u32),
}

/// Parses a backup from the reader `open` gives, twice: `open` starts the text again each
/// time.
fn parse_backup_stream<R: Read>(
    mut open: impl FnMut() -> std::io::Result<R>,
) -> Result<Records, BackupProblem> {
    // The header first, so a newer backup is named as such rather than as malformed. serde
    // skips the records of this first pass without keeping them.
    #[derive(Deserialize)]
    struct Header {
        format: Option<String>,
        version: Option<u32>,
    }
    let unreadable = |e: std::io::Error| BackupProblem::Not(format!("it could not be read: {e}"));
    let header: Header = serde_json::from_reader(open().map_err(unreadable)?)
        .map_err(|e| BackupProblem::Not(format!("it is not JSON ({e})")))?;
    if header.format.as_deref() != Some(FORMAT) {
        return Err(BackupProblem::Not(format!(
            "its \"format\" is not \"{FORMAT}\""
        )));
    }
    match header.version {
        Some(v) if v > VERSION => return Err(BackupProblem::Newer(v)),
        Some(_) => {}
        None => return Err(BackupProblem::Not("it has no \"version\"".to_owned())),
    }
    let backup: BackupIn = serde_json::from_reader(open().map_err(unreadable)?)
        .map_err(|e| BackupProblem::Not(format!("it is damaged ({e})")))?;
    debug_assert!(backup.format == FORMAT && backup.version <= VERSION);
    let mut records = Records {
        notes: backup.notes,
        contacts: backup.contacts,
        attachments: backup.attachments,
        revisions: backup.revisions,
    };
    canonical_uuids(&mut records)?;
    Ok(records)
}

/// Every UUID of a backup in the one form Folio stores (see [`super::canonical_uuid`]); a
/// backup naming something that is not a UUID is damaged, and refused before anything is
/// stored.
fn canonical_uuids(records: &mut Records) -> Result<(), BackupProblem> {
    let canonical = |uuid: &mut String| match super::canonical_uuid(uuid) {
        Some(canonical) => {
            *uuid = canonical;
            Ok(())
        }
        None => Err(BackupProblem::Not(format!(
            "it is damaged (\"{uuid}\" is not a UUID)"
        ))),
    };
    for note in &mut records.notes {
        canonical(&mut note.uuid)?;
        note.people.iter_mut().try_for_each(canonical)?;
    }
    for contact in &mut records.contacts {
        if let Some(uuid) = contact.contact.uuid.as_mut() {
            canonical(uuid)?;
        }
    }
    for attachment in &mut records.attachments {
        canonical(&mut attachment.attachment.uuid)?;
    }
    for revision in &mut records.revisions {
        canonical(&mut revision.note_uuid)?;
    }
    Ok(())
}

/// Restores a backup into the database, merging by UUID in one transaction.
pub fn restore_backup(repo: &mut Repository, path: &Path) -> ExchangeResult<MergeReport> {
    let records = read_backup(path)?;
    Ok(repo.merge_records(&records)?)
}

/// Whether a file looks like a Folio backup (for import, which takes any file).
pub fn looks_like_backup(bytes: &[u8]) -> bool {
    let start = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    start.trim_start().starts_with('{') && start.contains(FORMAT)
}
