//! Native file dialogs behind a trait, so tests answer them without a window. A dialog never
//! blocks the window: it runs on its own thread and its answer arrives through a channel.

use crate::db::{ContactId, NoteId};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};

use crate::exchange::export::ContactFormat;

/// Which dialog to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogKind {
    /// Choose an existing database to open.
    OpenDatabase,
    /// Choose where a new database goes.
    NewDatabase,
    /// Choose notes, contacts and backup files to import (several at once).
    ImportFiles,
    /// Choose a folder of notes to import.
    ImportFolder,
    /// Choose the folder in which a new folder of Markdown files is made.
    ExportMarkdown,
    /// Choose the HTML file the notes are written to (the dialog asks before replacing one).
    ExportHtml,
    /// Choose the file a backup is written to (the dialog asks before replacing one).
    Backup,
    /// The same for a backup with every note's history.
    BackupWithHistory,
    /// Choose the vCard or CSV file contacts are written to (the dialog asks before replacing
    /// one).
    ExportContacts(ContactFormat),
    /// Choose where the open note's unsaved text goes as Markdown, when it cannot be saved in
    /// the database (the dialog asks before replacing a file).
    SaveUnsavedNote,
    /// The same for the open contact's unsaved form, as a vCard.
    SaveUnsavedContact,
    /// Choose a picture for this contact's photo (the one open when the dialog was asked for).
    ContactPhoto(ContactId),
    /// Choose files to attach to this note (the one open when the dialog was asked for).
    AttachFiles(NoteId),
    /// Choose where a copy of an attachment goes (the dialog asks before replacing a file).
    /// Which attachment, and the name offered, are given with [`FileDialogs::suggest_name`]
    /// and kept by the window.
    SaveAttachment,
    /// Choose the CSV file the SQL console's answer is written to (the dialog asks before
    /// replacing one).
    ExportSqlAnswer,
}

/// What a dialog answered: the paths chosen, none when cancelled.
pub type Chosen = Vec<PathBuf>;

pub trait FileDialogs {
    /// Shows the dialog; the chosen paths (empty when cancelled) arrive on the receiver.
    fn show(&mut self, kind: DialogKind, wake: Box<dyn Fn() + Send>) -> Receiver<Chosen>;

    /// The file name the next save dialog offers (an attachment's own name).
    fn suggest_name(&mut self, _name: &str) {}
}

/// The real dialogs, from rfd (the XDG portal on Linux).
#[derive(Default)]
pub struct NativeDialogs {
    suggested_name: Option<String>,
}

const DATABASE_EXTENSIONS: &[&str] = &["folio", "db", "sqlite", "sqlite3"];
/// The pictures a contact's photo may be.
pub const PHOTO_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png"];
const IMPORT_EXTENSIONS: &[&str] = &["md", "markdown", "txt", "vcf", "vcard", "csv", "json"];

impl FileDialogs for NativeDialogs {
    fn suggest_name(&mut self, name: &str) {
        self.suggested_name = Some(name.to_owned());
    }

    fn show(&mut self, kind: DialogKind, wake: Box<dyn Fn() + Send>) -> Receiver<Chosen> {
        let (tx, rx) = mpsc::channel();
        let suggested_name = self.suggested_name.take().unwrap_or_default();
        let database =
            || rfd::AsyncFileDialog::new().add_filter("Folio database", DATABASE_EXTENSIONS);
        let one =
            |file: Option<rfd::FileHandle>| file.map(|f| f.path().to_owned()).into_iter().collect();
        let many = |files: Option<Vec<rfd::FileHandle>>| {
            files
                .unwrap_or_default()
                .iter()
                .map(|f| f.path().to_owned())
                .collect()
        };
        let pick = async move {
            match kind {
                DialogKind::OpenDatabase => {
                    one(database().set_title("Open database").pick_file().await)
                }
                DialogKind::NewDatabase => one(database()
                    .set_title("New database")
                    .set_file_name("Notes.folio")
                    .save_file()
                    .await),
                DialogKind::ImportFiles => many(
                    rfd::AsyncFileDialog::new()
                        .set_title("Import notes, contacts or a backup")
                        .add_filter("Notes, contacts and Folio backups", IMPORT_EXTENSIONS)
                        .add_filter("Notes (Markdown, text)", &["md", "markdown", "txt"])
                        .add_filter("Contacts (vCard, CSV)", &["vcf", "vcard", "csv"])
                        .add_filter("Folio backups", &["json"])
                        .pick_files()
                        .await,
                ),
                DialogKind::ImportFolder => one(rfd::AsyncFileDialog::new()
                    .set_title("Import a folder of notes")
                    .pick_folder()
                    .await),
                DialogKind::ExportMarkdown => one(rfd::AsyncFileDialog::new()
                    .set_title("Export notes as Markdown into…")
                    .pick_folder()
                    .await),
                DialogKind::ExportHtml => one(rfd::AsyncFileDialog::new()
                    .set_title("Export notes as HTML")
                    .add_filter("Web page", &["html"])
                    .set_file_name("Folio notes.html")
                    .save_file()
                    .await),
                DialogKind::Backup | DialogKind::BackupWithHistory => {
                    let with = if kind == DialogKind::BackupWithHistory {
                        " with history"
                    } else {
                        ""
                    };
                    one(rfd::AsyncFileDialog::new()
                        .set_title(format!("Back up everything{with}"))
                        .add_filter("Folio backup", &["json"])
                        .set_file_name(format!(
                            "Folio backup{with} {}.json",
                            chrono::Local::now().format("%Y-%m-%d")
                        ))
                        .save_file()
                        .await)
                }
                DialogKind::SaveUnsavedNote => one(rfd::AsyncFileDialog::new()
                    .set_title("Save the unsaved note as")
                    .add_filter("Markdown", &["md"])
                    .set_file_name("Unsaved note.md")
                    .save_file()
                    .await),
                DialogKind::ContactPhoto(_) => one(rfd::AsyncFileDialog::new()
                    .set_title("Choose a photo")
                    .add_filter("Pictures (JPEG, PNG)", PHOTO_EXTENSIONS)
                    .pick_file()
                    .await),
                DialogKind::AttachFiles(_) => many(
                    rfd::AsyncFileDialog::new()
                        .set_title("Attach files")
                        .pick_files()
                        .await,
                ),
                DialogKind::SaveAttachment => one(rfd::AsyncFileDialog::new()
                    .set_title("Save the attachment as")
                    .set_file_name(suggested_name)
                    .save_file()
                    .await),
                DialogKind::ExportSqlAnswer => one(rfd::AsyncFileDialog::new()
                    .set_title("Export the answer as CSV")
                    .add_filter("CSV", &["csv"])
                    .set_file_name("Folio answer.csv")
                    .save_file()
                    .await),
                DialogKind::SaveUnsavedContact => one(rfd::AsyncFileDialog::new()
                    .set_title("Save the unsaved contact as")
                    .add_filter("vCard", &["vcf"])
                    .set_file_name("Unsaved contact.vcf")
                    .save_file()
                    .await),
                DialogKind::ExportContacts(format) => {
                    let (filter, extension) = match format {
                        ContactFormat::VCard(_) => ("vCard", "vcf"),
                        ContactFormat::Csv { .. } => ("CSV", "csv"),
                    };
                    one(rfd::AsyncFileDialog::new()
                        .set_title("Export contacts")
                        .add_filter(filter, &[extension])
                        .set_file_name(format!("Folio contacts.{extension}"))
                        .save_file()
                        .await)
                }
            }
        };
        let spawned = std::thread::Builder::new()
            .name("folio-file-dialog".to_owned())
            .spawn(move || {
                let _ = tx.send(pollster::block_on(pick));
                wake();
            });
        // Without a thread there is no dialog; the receiver then reports a cancel.
        drop(spawned);
        rx
    }
}

/// Dialogs that answer from a script, for tests: each `show` takes the next answer. Clones share
/// the script, so a test keeps one and gives the other to the app.
#[derive(Clone, Default)]
pub struct ScriptedDialogs {
    script: Arc<Mutex<Script>>,
}

#[derive(Default)]
struct Script {
    answers: VecDeque<Chosen>,
    shown: Vec<DialogKind>,
}

impl ScriptedDialogs {
    /// The next dialog answers `path` (`None`: the user cancels).
    pub fn answer(&self, path: Option<PathBuf>) {
        self.lock().answers.push_back(path.into_iter().collect());
    }

    /// The next dialog answers these paths (a dialog that picks several).
    pub fn answer_many(&self, paths: Vec<PathBuf>) {
        self.lock().answers.push_back(paths);
    }

    /// The dialogs shown so far.
    pub fn shown(&self) -> Vec<DialogKind> {
        self.lock().shown.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Script> {
        // A test that panicked while holding the lock has failed already; its data is still fine.
        self.script.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl FileDialogs for ScriptedDialogs {
    fn show(&mut self, kind: DialogKind, wake: Box<dyn Fn() + Send>) -> Receiver<Chosen> {
        let mut script = self.lock();
        script.shown.push(kind);
        let (tx, rx) = mpsc::channel();
        let _ = tx.send(script.answers.pop_front().unwrap_or_default());
        wake();
        rx
    }
}
