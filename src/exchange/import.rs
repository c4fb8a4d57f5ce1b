//! Importing files: Markdown and text notes, and Folio backups, in one transaction, with a
//! report of what was imported, kept and skipped.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::markdown::{self, ParsedNote};
use super::{ExchangeResult, Progress, backup, on_every_core};
use crate::db::{
    ContactDraft, ContactRecord, MergeCounts, NoteQuery, NoteRecord, Records, Repository, Timestamp,
};
use crate::search::fold;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub notes: MergeCounts,
    pub contacts: MergeCounts,
    /// Files left out, with why.
    pub skipped: Vec<FileNote>,
    /// Files imported with something odd tolerated.
    pub warnings: Vec<FileNote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileNote {
    pub file: PathBuf,
    pub reason: String,
}

/// Imports files and folders: notes from `.md`, `.markdown` and `.txt` files (folders are
/// searched), everything from Folio backups (`.json`). All of it is stored in one transaction:
/// if the database fails, nothing is imported. Notes and contacts with a UUID already here are
/// merged, so importing the same files twice adds nothing the second time.
pub fn import_paths(repo: &mut Repository, paths: &[PathBuf]) -> ExchangeResult<ImportReport> {
    import_paths_with(repo, paths, &Progress::default())
}

/// [`import_paths`], counting each file read and each record stored in `progress`, and
/// stopping with nothing changed when it is cancelled.
pub fn import_paths_with(
    repo: &mut Repository,
    paths: &[PathBuf],
    progress: &Progress,
) -> ExchangeResult<ImportReport> {
    let mut report = ImportReport::default();
    let mut records = Records::default();
    let mut people_of_notes: Vec<Vec<String>> = Vec::new();
    // The files named, and the note files in the folders named, read and parsed on every core;
    // then stored in their order.
    let files = markdown::note_files(paths)?;
    // Reading each file, then storing what it holds (about one record a file).
    progress.add_total(2 * files.len());
    for (file, outcome) in files.iter().zip(read_all(&files, progress)?) {
        match outcome {
            FileOutcome::Backup(backup) => {
                records.contacts.extend(backup.contacts);
                people_of_notes.extend(backup.notes.iter().map(|_| Vec::new()));
                records.notes.extend(backup.notes);
            }
            FileOutcome::Skipped(reason) => report.skipped.push(FileNote {
                file: file.clone(),
                reason,
            }),
            FileOutcome::Note {
                parsed,
                file_time,
                warnings,
            } => {
                report
                    .warnings
                    .extend(warnings.into_iter().map(|reason| FileNote {
                        file: file.clone(),
                        reason,
                    }));
                people_of_notes.push(parsed.people.clone());
                records.notes.push(note_record(parsed, file_time));
            }
        }
    }
    link_people_by_name(repo, &mut records, &people_of_notes)?;
    let merged = repo.merge_records_with(&records, &|_| progress.step().is_ok())?;
    report.notes = merged.notes;
    report.contacts = merged.contacts;
    Ok(report)
}

/// What reading one file gave.
enum FileOutcome {
    Backup(Records),
    Note {
        parsed: ParsedNote,
        file_time: Option<Timestamp>,
        warnings: Vec<String>,
    },
    Skipped(String),
}

/// Reads one file. A file that cannot be read, or JSON that is not a Folio backup, is skipped
/// with its reason; the rest of the import goes on.
fn read_file(file: &Path) -> ExchangeResult<FileOutcome> {
    if is_backup_file(file) {
        return Ok(match backup::read_backup(file) {
            Ok(records) => FileOutcome::Backup(records),
            Err(e) => FileOutcome::Skipped(e.to_string()),
        });
    }
    if !markdown::is_note_file(file) {
        return Ok(FileOutcome::Skipped(
            "Folio imports notes from .md, .markdown and .txt files and backups from .json files"
                .to_owned(),
        ));
    }
    let bytes = match fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) => return Ok(FileOutcome::Skipped(format!("it could not be read: {e}"))),
    };
    let (text, decode_warning) = match markdown::decode_text(&bytes) {
        Ok(decoded) => decoded,
        Err(skip) => return Ok(FileOutcome::Skipped(skip.to_string())),
    };
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut parsed = markdown::parse_note(&stem, &text);
    let warnings = [decode_warning, parsed.warning.take()]
        .into_iter()
        .flatten()
        .collect();
    Ok(FileOutcome::Note {
        parsed,
        file_time: modified_time(file),
        warnings,
    })
}

/// Reads every file, split over the cores; the outcomes come back in the files' order. The
/// first file that cannot be read at all stops the import.
fn read_all(files: &[PathBuf], progress: &Progress) -> ExchangeResult<Vec<FileOutcome>> {
    on_every_core(files, |part| {
        part.iter()
            .map(|f| {
                let outcome = read_file(f)?;
                progress.step()?;
                Ok(outcome)
            })
            .collect()
    })
}

fn is_backup_file(path: &Path) -> bool {
    path.is_file()
        && path
            .extension()
            .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("json"))
}

fn modified_time(path: &Path) -> Option<Timestamp> {
    let modified = fs::metadata(path).ok()?.modified().ok()?;
    let millis = modified
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_millis();
    i64::try_from(millis).ok().map(Timestamp)
}

/// A parsed file as a record: dates from the front matter, else the file's time, else now;
/// a new UUID when it has none.
fn note_record(parsed: ParsedNote, file_time: Option<Timestamp>) -> NoteRecord {
    let now = Timestamp::now();
    let updated = parsed.updated.or(file_time).unwrap_or(now);
    let created = parsed.created.unwrap_or(updated.min(now));
    NoteRecord {
        uuid: parsed
            .uuid
            .unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
        title: parsed.title,
        body: parsed.body,
        pinned: parsed.pinned,
        created,
        updated,
        deleted: None,
        tags: parsed.tags,
        people: Vec::new(),
        edited: file_time,
    }
}

/// Turns the people named in notes into links: to the contact of that name, or to a new
/// contact made for it.
fn link_people_by_name(
    repo: &mut Repository,
    records: &mut Records,
    people_of_notes: &[Vec<String>],
) -> ExchangeResult<()> {
    if people_of_notes.iter().all(Vec::is_empty) {
        return Ok(());
    }
    let mut by_name: HashMap<String, String> = HashMap::new();
    for record in repo
        .all_records()?
        .contacts
        .into_iter()
        .chain(records.contacts.clone())
    {
        if let Some(uuid) = &record.contact.uuid {
            by_name
                .entry(fold(&record.contact.label()))
                .or_insert_with(|| uuid.clone());
        }
    }
    for (note, names) in records.notes.iter_mut().zip(people_of_notes) {
        for name in names {
            let uuid = by_name
                .entry(fold(name))
                .or_insert_with(|| {
                    let uuid = uuid::Uuid::now_v7().to_string();
                    records.contacts.push(ContactRecord {
                        contact: ContactDraft {
                            display_name: name.clone(),
                            uuid: Some(uuid.clone()),
                            ..ContactDraft::default()
                        },
                        deleted: None,
                    });
                    uuid
                })
                .clone();
            note.people.push(uuid);
        }
    }
    Ok(())
}

/// Which notes an export writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteScope {
    /// Every live note.
    All,
    /// The notes of a list as shown: its filter and search (offset and limit are ignored).
    Shown(NoteQuery),
}

/// The notes of `scope`, in the order they were created.
fn notes_in(
    repo: &mut Repository,
    records: Records,
    scope: &NoteScope,
) -> ExchangeResult<Vec<NoteRecord>> {
    let wanted: Option<HashSet<String>> = match scope {
        NoteScope::All => None,
        NoteScope::Shown(query) => Some(
            repo.notes_page(&NoteQuery {
                offset: 0,
                limit: i64::MAX,
                ..query.clone()
            })?
            .into_iter()
            .map(|n| n.uuid)
            .collect(),
        ),
    };
    Ok(records
        .notes
        .into_iter()
        .filter(|n| match &wanted {
            Some(uuids) => uuids.contains(&n.uuid),
            None => n.deleted.is_none(),
        })
        .collect())
}

/// Exports the live notes as one HTML file (an existing file only when `replace`).
pub fn export_html_file(
    repo: &mut Repository,
    path: &Path,
    replace: bool,
    scope: &NoteScope,
) -> ExchangeResult<usize> {
    let records = repo.all_records()?;
    let notes = notes_in(repo, records, scope)?;
    super::html::export_html(&notes, path, replace)
}

/// Exports the live notes to a new folder of Markdown files. Returns how many were written.
pub fn export_markdown_folder(
    repo: &mut Repository,
    folder: &Path,
    scope: &NoteScope,
) -> ExchangeResult<usize> {
    let records = repo.all_records()?;
    let names: HashMap<String, String> = records
        .contacts
        .iter()
        .filter_map(|r| r.contact.uuid.clone().map(|uuid| (uuid, r.contact.label())))
        .collect();
    let notes = notes_in(repo, records, scope)?;
    markdown::export_markdown(&notes, &names, folder)
}
