//! Importing files: Markdown and text notes, and Folio backups, in one transaction, with a
//! report of what was imported, kept and skipped.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::markdown::{self, ParsedNote};
use super::{ExchangeResult, Progress, backup, contacts_csv, linked_files, on_every_core, vcard};
use crate::db::{
    ContactDraft, ContactRecord, MergeCounts, NoteRecord, PossibleDuplicate, RecordSource, Records,
    Repository, Timestamp,
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
    /// Notes changed both in Folio and in the file since it was exported: the file did not
    /// replace the note; its text was kept as a conflict copy beside it.
    pub conflicts: Vec<FileNote>,
    /// Contacts added that share an email or phone number with another contact.
    pub possible_duplicates: Vec<PossibleDuplicate>,
    /// CSV files whose columns Folio does not know (also among `skipped`): the window asks
    /// the user what each column holds, then imports them with [`import_csv_with`].
    #[serde(skip)]
    pub csv_to_map: Vec<(PathBuf, contacts_csv::CsvPreview)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileNote {
    pub file: PathBuf,
    pub reason: String,
}

/// Imports files and folders: notes from `.md`, `.markdown` and `.txt` files, contacts from
/// vCard files (`.vcf`; folders are searched for all three), everything from Folio backups
/// (`.json`). All of it is stored in one transaction:
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
    import_files(repo, paths, None, progress)
}

/// Imports the contacts of one CSV file whose columns hold `fields` (one per column, as the
/// user mapped them), like [`import_paths_with`].
pub fn import_csv_with(
    repo: &mut Repository,
    file: &Path,
    fields: &[contacts_csv::Field],
    progress: &Progress,
) -> ExchangeResult<ImportReport> {
    import_files(repo, &[file.to_owned()], Some(fields), progress)
}

/// The header row and first rows of a CSV file, read as an import reads it; why not, in words.
pub fn preview_csv_file(file: &Path) -> Result<contacts_csv::CsvPreview, String> {
    let bytes = super::read_regular_file(file, super::MAX_IMPORT_FILE_BYTES)?;
    let (text, _) = markdown::decode_text(&bytes).map_err(|skip| skip.to_string())?;
    contacts_csv::preview(&text).map_err(|e| e.to_string())
}

fn import_files(
    repo: &mut Repository,
    paths: &[PathBuf],
    csv_fields: Option<&[contacts_csv::Field]>,
    progress: &Progress,
) -> ExchangeResult<ImportReport> {
    let mut report = ImportReport::default();
    let mut records = Records::default();
    let mut people_of_notes: Vec<Vec<String>> = Vec::new();
    // The file each note record came from, for the report.
    let mut note_files: Vec<&Path> = Vec::new();
    // The attachments stored for local files the notes link to.
    let mut attached: Vec<String> = Vec::new();
    // The files named, and the note files in the folders named, read and parsed on every core;
    // then stored in their order.
    let files = markdown::note_files(paths)?;
    // Reading each file, then storing what it holds (about one record a file).
    progress.add_total(2 * files.len());
    for (file, outcome) in files.iter().zip(read_all(&files, csv_fields, progress)?) {
        match outcome {
            FileOutcome::Backup(backup) => {
                records.attachments.extend(backup.attachments);
                records.revisions.extend(backup.revisions);
                records.contacts.extend(backup.contacts);
                people_of_notes.extend(backup.notes.iter().map(|_| Vec::new()));
                note_files.extend(backup.notes.iter().map(|_| file.as_path()));
                records.notes.extend(backup.notes);
            }
            FileOutcome::Contacts {
                contacts,
                skipped,
                warnings,
            } => {
                let note = |reason: String| FileNote {
                    file: file.clone(),
                    reason,
                };
                report.skipped.extend(skipped.into_iter().map(note));
                report.warnings.extend(warnings.into_iter().map(note));
                records
                    .contacts
                    .extend(contacts.into_iter().map(|mut contact| {
                        if contact.uuid.is_none() {
                            contact.uuid = Some(content_uuid(&contact));
                        }
                        ContactRecord {
                            contact,
                            deleted: None,
                        }
                    }));
            }
            FileOutcome::NeedsMapping(preview) => {
                report.skipped.push(FileNote {
                    file: file.clone(),
                    reason: "its columns are not those of Google Contacts, Outlook or \
                             Thunderbird, so Folio needs to be told what each column holds"
                        .to_owned(),
                });
                report.csv_to_map.push((file.clone(), preview));
            }
            FileOutcome::Skipped(reason) => report.skipped.push(FileNote {
                file: file.clone(),
                reason,
            }),
            FileOutcome::Note {
                mut parsed,
                file_time,
                warnings,
            } => {
                let root = imported_folder(paths, file);
                let (body, problems) = linked_files::attach_linked_files(
                    repo,
                    root,
                    file,
                    &parsed.body,
                    &mut attached,
                );
                parsed.body = body;
                report
                    .warnings
                    .extend(warnings.into_iter().chain(problems).map(|reason| FileNote {
                        file: file.clone(),
                        reason,
                    }));
                people_of_notes.push(parsed.people.clone());
                note_files.push(file);
                records.notes.push(note_record(parsed, file_time));
            }
        }
    }
    let merged = link_people_by_name(repo, &mut records, &people_of_notes)
        .and_then(|()| Ok(repo.merge_records_with(&records, &|_| progress.step().is_ok())?));
    let merged = match merged {
        Ok(merged) => merged,
        Err(e) => {
            // The files stored for the notes' links, now linked by no note, go too: a failed
            // or cancelled import leaves nothing behind.
            if let Err(cleanup) = repo.delete_unlinked_attachments(&attached) {
                log::warn!("the files stored for a failed import stay: {cleanup}");
            }
            return Err(e);
        }
    };
    report.notes = merged.notes;
    report.contacts = merged.contacts;
    for (index, copy) in &merged.note_conflicts {
        let (Some(record), Some(file)) = (records.notes.get(*index), note_files.get(*index)) else {
            continue;
        };
        let copy_title = repo.note(*copy)?.title;
        report.conflicts.push(FileNote {
            file: file.to_path_buf(),
            reason: format!(
                "“{}” was changed in Folio since this file was written, so the file did not replace it; the file's text is kept beside it as “{copy_title}”",
                record.title
            ),
        });
    }
    report.possible_duplicates = repo.possible_duplicates(&merged.added_contacts)?;
    Ok(report)
}

/// The folder a note file was found in, as named to the import (the deepest one holding it),
/// or the file's own folder when it was named itself: what its links may not leave.
fn imported_folder<'p>(paths: &'p [PathBuf], file: &'p Path) -> &'p Path {
    paths
        .iter()
        .filter(|p| p.is_dir() && file.starts_with(p))
        .max_by_key(|p| p.components().count())
        .map(PathBuf::as_path)
        .or_else(|| file.parent())
        .unwrap_or(file)
}

/// A UUID made from what a contact holds, for a card or row that names none: importing the
/// same file again then finds the contacts already here instead of adding them twice.
fn content_uuid(contact: &ContactDraft) -> String {
    const NAMESPACE: uuid::Uuid = uuid::uuid!("3b0e8f52-6c1d-4a7e-b5f9-0d2c4e6a8b13");
    let content = serde_json::to_vec(contact).unwrap_or_default();
    uuid::Uuid::new_v5(&NAMESPACE, &content).to_string()
}

/// What reading one file gave.
enum FileOutcome {
    Backup(Records),
    /// Contacts, with what was left out and what was odd, in words.
    Contacts {
        contacts: Vec<ContactDraft>,
        skipped: Vec<String>,
        warnings: Vec<String>,
    },
    Note {
        parsed: ParsedNote,
        file_time: Option<Timestamp>,
        warnings: Vec<String>,
    },
    /// A CSV file of a layout Folio does not know.
    NeedsMapping(contacts_csv::CsvPreview),
    Skipped(String),
}

/// Reads one file. A file that cannot be read, or JSON that is not a Folio backup, is skipped
/// with its reason; the rest of the import goes on.
fn read_file(
    file: &Path,
    csv_fields: Option<&[contacts_csv::Field]>,
) -> ExchangeResult<FileOutcome> {
    if is_backup_file(file) {
        return Ok(match backup::read_backup(file) {
            Ok(records) => FileOutcome::Backup(records),
            Err(e) => FileOutcome::Skipped(e.to_string()),
        });
    }
    let kind = markdown::importable_kind(file);
    if kind.is_none() {
        return Ok(FileOutcome::Skipped(
            "Folio imports notes from .md, .markdown and .txt files, contacts from .vcf files \
             and backups from .json files"
                .to_owned(),
        ));
    }
    let limit = match kind {
        Some(markdown::Importable::Cards) => super::MAX_VCARD_FILE_BYTES,
        _ => super::MAX_IMPORT_FILE_BYTES,
    };
    let bytes = match super::read_regular_file(file, limit) {
        Ok(bytes) => bytes,
        Err(reason) => return Ok(FileOutcome::Skipped(reason)),
    };
    // A vCard's folded lines are joined before its bytes are decoded: some servers fold at 75
    // octets in the middle of a character, which decoded first would turn into mojibake.
    let bytes = match kind {
        Some(markdown::Importable::Cards) => vcard::unfold_bytes(bytes),
        _ => bytes,
    };
    let (text, decode_warning) = match markdown::decode_text(&bytes) {
        Ok(decoded) => decoded,
        Err(skip) => return Ok(FileOutcome::Skipped(skip.to_string())),
    };
    match kind {
        Some(markdown::Importable::Cards) => {
            return Ok(cards_outcome(vcard::read_cards(&text), decode_warning));
        }
        Some(markdown::Importable::Csv) => return Ok(read_csv(&text, csv_fields, decode_warning)),
        _ => {}
    }
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

/// Contacts from a CSV file's text, with the columns' fields given or, for a layout Folio
/// knows, found from the header row. A file of unknown layout is skipped: only the user can
/// say what its columns hold.
fn read_csv(
    text: &str,
    fields: Option<&[contacts_csv::Field]>,
    decode_warning: Option<String>,
) -> FileOutcome {
    let preview = match contacts_csv::preview(text) {
        Ok(preview) => preview,
        Err(e) => return FileOutcome::Skipped(e.to_string()),
    };
    let fields = match fields {
        Some(fields) => fields,
        None if preview.layout == contacts_csv::Layout::Unknown => {
            return FileOutcome::NeedsMapping(preview);
        }
        None => &preview.fields,
    };
    let read = contacts_csv::read(text, fields);
    let row = |(number, reason): (usize, String)| format!("row {number}: {reason}");
    FileOutcome::Contacts {
        skipped: read
            .skipped
            .into_iter()
            .map(|(number, reason)| format!("row {number} was skipped: {reason}"))
            .collect(),
        warnings: decode_warning
            .into_iter()
            .chain(read.warnings.into_iter().map(row))
            .collect(),
        contacts: read.contacts,
    }
}

fn cards_outcome(cards: vcard::CardsRead, decode_warning: Option<String>) -> FileOutcome {
    let mut skipped: Vec<String> = cards
        .skipped
        .iter()
        .map(|s| format!("card {} was skipped: {}", s.number, s.reason))
        .collect();
    if cards.contacts.is_empty() && skipped.is_empty() {
        skipped.push("it holds no contact cards".to_owned());
    }
    let mut warnings: Vec<String> = decode_warning.into_iter().collect();
    if cards.pictures_left_out > 0 {
        warnings.push(format!(
            "{} of its cards had a logo, a sound or a photo over {} MB, which was left out",
            cards.pictures_left_out,
            crate::db::MAX_PHOTO_BYTES / (1024 * 1024)
        ));
    }
    if cards.stray_lines > 0 && !cards.contacts.is_empty() {
        warnings.push(format!(
            "{} lines outside any card were ignored",
            cards.stray_lines
        ));
    }
    FileOutcome::Contacts {
        contacts: cards.contacts,
        skipped,
        warnings,
    }
}

/// Reads every file, split over the cores; the outcomes come back in the files' order. The
/// first file that cannot be read at all stops the import.
fn read_all(
    files: &[PathBuf],
    csv_fields: Option<&[contacts_csv::Field]>,
    progress: &Progress,
) -> ExchangeResult<Vec<FileOutcome>> {
    on_every_core(files, |part| {
        part.iter()
            .map(|f| {
                let outcome = read_file(f, csv_fields)?;
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
/// a UUID made from its content when it has none.
fn note_record(parsed: ParsedNote, file_time: Option<Timestamp>) -> NoteRecord {
    let now = Timestamp::now();
    let exported = parsed.updated;
    let updated = parsed.updated.or(file_time).unwrap_or(now);
    let created = parsed.created.unwrap_or(updated.min(now));
    // A file that names no UUID gets one made from its content, so importing the same file
    // again finds the note it made instead of adding it twice. The content, not the path: a
    // folder moved or renamed before a second import still adds nothing, and two files with
    // the same text are one note. A file edited in between is a different note (nothing
    // says it is the same one).
    let uuid = parsed.uuid.unwrap_or_else(|| {
        const NAMESPACE: uuid::Uuid = uuid::uuid!("9a4c2e61-5b3d-4f8a-a1c7-3e5d9b0f2a48");
        let content = [parsed.title.as_bytes(), b"\0", parsed.body.as_bytes()].concat();
        uuid::Uuid::new_v5(&NAMESPACE, &content).to_string()
    });
    NoteRecord {
        uuid,
        title: parsed.title,
        body: parsed.body,
        pinned: parsed.pinned,
        created,
        updated,
        deleted: None,
        tags: parsed.tags,
        people: Vec::new(),
        source: RecordSource::File { exported },
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
