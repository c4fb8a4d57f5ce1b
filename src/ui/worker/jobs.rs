//! Long writes the user asked for (emptying a trash, imports, exports, backups). Each runs on
//! the list thread, with a progress window, as one transaction.

use std::path::PathBuf;

use crate::db::{ContactId, NoteId, PossibleDuplicate, Repository, Version};
use crate::exchange::attachment_files::{self, AttachSource, Attached};
use crate::exchange::export::{self, ContactFormat, ContactScope, NoteScope};
use crate::exchange::import::{self, ImportReport};
use crate::exchange::{ExchangeError, Progress, backup, contacts_csv, photo_file};

/// Work that may take long: writes that may touch every row, imports and exports. It runs on
/// the list thread with a progress window; each write is one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    EmptyNoteTrash,
    EmptyContactTrash,
    TrashAllContacts,
    /// Import these files and folders.
    Import(Vec<PathBuf>),
    /// Export notes to this new folder.
    ExportMarkdown(PathBuf, NoteScope),
    /// Write notes as one HTML file (the save dialog confirmed replacing one).
    ExportHtml(PathBuf, NoteScope),
    /// Write a backup to this file (the save dialog confirmed replacing one); with every
    /// note's history when `with_history`.
    Backup {
        file: PathBuf,
        with_history: bool,
    },
    /// Write contacts to this file (the save dialog confirmed replacing one).
    ExportContacts(PathBuf, ContactFormat, ContactScope),
    /// Import a CSV file of contacts whose columns hold these fields (as the user mapped them).
    ImportCsv(PathBuf, Vec<contacts_csv::Field>),
    /// Look for likely duplicates across the book (reads only).
    FindDuplicates,
    /// Set the photo of version `seen` of a contact from a picture file.
    SetPhoto {
        contact: ContactId,
        seen: Version,
        file: PathBuf,
    },
    /// Store files (chosen, dropped or pasted) as attachments, for this note's text to name.
    Attach {
        note: NoteId,
        sources: Vec<AttachSource>,
    },
    /// Write a copy of an attachment to this file (the save dialog confirmed replacing one).
    SaveAttachment {
        uuid: String,
        file: PathBuf,
    },
    /// Open an attachment in the system's program for it, from a temporary copy.
    OpenAttachment(String),
}

/// What a job did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobDone {
    /// Rows deleted or moved.
    Count(usize),
    Imported(ImportReport),
    /// Notes (and contacts, for a backup) written.
    Exported {
        notes: usize,
        contacts: usize,
    },
    Duplicates(Vec<PossibleDuplicate>),
    /// The photo of this contact was set over version `seen`, making `version`.
    PhotoSet {
        contact: ContactId,
        seen: Version,
        version: Version,
    },
    /// Files stored for this note, to be named in its text.
    Attached {
        note: NoteId,
        attached: Attached,
    },
    /// A file was written (a copy of an attachment).
    Saved(PathBuf),
}

impl Job {
    /// What the progress window says while it runs.
    pub fn describe(&self) -> &'static str {
        match self {
            Job::EmptyNoteTrash => "Emptying the notes' trash…",
            Job::EmptyContactTrash => "Emptying the contacts' trash…",
            Job::TrashAllContacts => "Moving every contact to the Trash…",
            Job::Import(_) | Job::ImportCsv(..) => "Importing…",
            Job::ExportMarkdown(..) | Job::ExportHtml(..) => "Exporting the notes…",
            Job::ExportContacts(..) => "Exporting the contacts…",
            Job::Backup { .. } => "Backing up…",
            Job::FindDuplicates => "Looking for duplicates…",
            Job::SetPhoto { .. } => "Reading the photo…",
            Job::Attach { .. } => "Attaching…",
            Job::SaveAttachment { .. } => "Saving the file…",
            Job::OpenAttachment(_) => "Opening the file…",
        }
    }

    /// Whether the user can stop it half-way (nothing is changed then).
    pub fn can_cancel(&self) -> bool {
        matches!(self, Job::Import(_) | Job::ImportCsv(..))
    }

    pub(super) fn run(
        &self,
        repo: &mut Repository,
        progress: &Progress,
    ) -> Result<JobDone, ExchangeError> {
        Ok(match self {
            Job::EmptyNoteTrash => JobDone::Count(repo.empty_note_trash()?),
            Job::EmptyContactTrash => JobDone::Count(repo.empty_contact_trash()?),
            Job::TrashAllContacts => JobDone::Count(repo.trash_all_contacts()?),
            Job::Import(paths) => {
                JobDone::Imported(import::import_paths_with(repo, paths, progress)?)
            }
            Job::ExportMarkdown(folder, scope) => JobDone::Exported {
                notes: export::export_markdown_folder(repo, folder, scope)?,
                contacts: 0,
            },
            Job::ExportHtml(file, scope) => JobDone::Exported {
                notes: export::export_html_file(repo, file, true, scope)?,
                contacts: 0,
            },
            Job::ImportCsv(file, fields) => {
                JobDone::Imported(import::import_csv_with(repo, file, fields, progress)?)
            }
            Job::ExportContacts(file, format, scope) => JobDone::Exported {
                notes: 0,
                contacts: export::export_contacts_file(repo, file, true, *format, scope)?,
            },
            Job::FindDuplicates => JobDone::Duplicates(repo.find_duplicates()?),
            Job::SetPhoto {
                contact,
                seen,
                file,
            } => {
                let version = photo_file::set_photo_from_file(repo, *contact, *seen, file)?;
                JobDone::PhotoSet {
                    contact: *contact,
                    seen: *seen,
                    version,
                }
            }
            Job::Attach { note, sources } => JobDone::Attached {
                note: *note,
                attached: attachment_files::attach(repo, sources)?,
            },
            Job::SaveAttachment { uuid, file } => {
                attachment_files::save_copy(repo, uuid, file)?;
                JobDone::Saved(file.clone())
            }
            Job::OpenAttachment(uuid) => {
                let copy = attachment_files::temporary_copy(repo, uuid)?;
                attachment_files::open_in_system(&copy)?;
                JobDone::Saved(copy)
            }
            Job::Backup { file, with_history } => {
                let summary = backup::write_backup_with(repo, file, true, *with_history)?;
                JobDone::Exported {
                    notes: summary.notes,
                    contacts: summary.contacts,
                }
            }
        })
    }
}
