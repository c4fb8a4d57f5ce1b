//! Commands about files: the dialogs and what they chose, imports and exports, other databases,
//! and quitting, which waits until the open edit is saved or the user has decided about it.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};

use super::Parts;
use super::opening::{self, Opening};
use crate::db::{ContactQuery, NoteQuery};
use crate::exchange::attachment_files::AttachSource;
use crate::exchange::export::{ContactScope, NoteScope};
use crate::ui::command::FileCommand;
use crate::ui::file_dialogs::{Chosen, DialogKind, FileDialogs, PHOTO_EXTENSIONS};
use crate::ui::state::session::{Section, Session};
use crate::ui::state::window::{Leaving, UnsavedOnLeaving, UserError};
use crate::ui::worker::Job;

/// The window's dealings with files: the dialogs, the database being opened, and which notes
/// or contacts an export dialog being shown is for.
pub struct Files {
    pub dialogs: Box<dyn FileDialogs>,
    pub pending_dialog: Option<(DialogKind, Receiver<Chosen>)>,
    pub opening: Option<Opening>,
    pub export_scope: Option<NoteScope>,
    pub contact_export_scope: Option<ContactScope>,
    /// The attachment the save dialog is for (its UUID).
    pub attachment_to_save: Option<String>,
}

impl Files {
    pub fn new(dialogs: Box<dyn FileDialogs>) -> Self {
        Files {
            dialogs,
            pending_dialog: None,
            opening: None,
            export_scope: None,
            contact_export_scope: None,
            attachment_to_save: None,
        }
    }
}

pub fn apply(parts: &mut Parts, command: FileCommand) {
    match command {
        FileCommand::Quit => {
            if save_before(parts, Leaving::Quit) {
                parts.ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
        FileCommand::RetryLeaving => {
            if let Some(unsaved) = parts.window.unsaved_on_leaving.take()
                && save_before(parts, unsaved.leaving.clone())
            {
                go_on_leaving(parts, unsaved.leaving);
            }
        }
        FileCommand::SaveUnsavedAs => {
            let note_unsaved = parts
                .session
                .as_ref()
                .and_then(|s| s.editor.as_ref())
                .is_some_and(|e| e.dirty_since.is_some());
            show_dialog(
                parts,
                if note_unsaved {
                    DialogKind::SaveUnsavedNote
                } else {
                    DialogKind::SaveUnsavedContact
                },
            );
        }
        FileCommand::DiscardUnsaved => match parts.window.unsaved_on_leaving.as_mut() {
            Some(unsaved) if !unsaved.confirm_discard => unsaved.confirm_discard = true,
            Some(_) => {
                if let Some(session) = parts.session.as_mut()
                    && let Err(e) = session.discard_unsaved()
                {
                    parts
                        .window
                        .report("The text could not be discarded; it is still there", e);
                    return;
                }
                if let Some(unsaved) = parts.window.unsaved_on_leaving.take() {
                    go_on_leaving(parts, unsaved.leaving);
                }
            }
            None => {}
        },
        FileCommand::StayWithUnsaved => parts.window.unsaved_on_leaving = None,
        FileCommand::ExportShown(kind) => {
            // The notes or contacts of the list as shown, when the dialog answers.
            parts.files.export_scope = parts.session.as_ref().map(|s| {
                NoteScope::Shown(NoteQuery {
                    filter: s.list.filter(),
                    search: s.list.search().to_owned(),
                    ..NoteQuery::default()
                })
            });
            parts.files.contact_export_scope = parts.session.as_ref().map(|s| {
                ContactScope::Shown(ContactQuery {
                    filter: s.contacts.filter(),
                    search: s.contacts.search().to_owned(),
                    ..ContactQuery::default()
                })
            });
            show_dialog(parts, kind);
        }
        FileCommand::ExportOpenNote(kind) => {
            parts.files.export_scope = parts
                .session
                .as_ref()
                .and_then(|s| s.editor.as_ref())
                .map(|e| NoteScope::Chosen(vec![e.note.uuid.clone()]));
            if parts.files.export_scope.is_some() {
                show_dialog(parts, kind);
            }
        }
        FileCommand::ShowDialog(kind) => {
            // Everything, unless asked for the list shown (above).
            parts.files.export_scope = Some(NoteScope::All);
            parts.files.contact_export_scope = Some(ContactScope::All);
            show_dialog(parts, kind);
        }
        FileCommand::SaveAttachment { uuid, name } => {
            if parts.files.pending_dialog.is_none() {
                parts.files.attachment_to_save = Some(uuid);
                parts.files.dialogs.suggest_name(&name);
                show_dialog(parts, DialogKind::SaveAttachment);
            }
        }
        FileCommand::ExportSqlAnswer => show_dialog(parts, DialogKind::ExportSqlAnswer),
        FileCommand::AttachToOpenNote => {
            match parts.session.as_ref().and_then(Session::editable_note) {
                Some(note) => show_dialog(parts, DialogKind::AttachFiles(note)),
                None => {
                    parts.window.error = Some(UserError::new(
                        "Open a note (not one in the Trash) to attach a file to it.",
                    ));
                }
            }
        }
        FileCommand::ImportMappedCsv => {
            if let Some(mapping) = parts.window.csv_mapping.take()
                && let Some(session) = parts.session.as_mut()
                && let Err(e) = session.start_job(Job::ImportCsv(mapping.file, mapping.fields))
            {
                parts
                    .window
                    .report("Your edit could not be saved, so nothing was started", e);
            }
        }
        FileCommand::CancelCsvMapping => parts.window.csv_mapping = None,
        FileCommand::OpenRecent(path) => {
            if path.exists() {
                open_after_saving(parts, path);
            } else {
                parts.settings.forget(&path);
                parts.window.error = Some(UserError::new(format!(
                    "{} no longer exists, so it was removed from the recent files.",
                    path.display()
                )));
            }
        }
    }
}

/// Saves any unsaved edit before `leaving`. When that fails, says so and asks what to do
/// with the text (retry, save it to a file, discard it); returns whether leaving may go on.
pub fn save_before(parts: &mut Parts, leaving: Leaving) -> bool {
    let Some(session) = parts.session.as_mut() else {
        return true;
    };
    match session.save_editor() {
        Ok(()) => true,
        Err(e) => {
            parts.window.unsaved_on_leaving = Some(UnsavedOnLeaving {
                leaving,
                reason: e.to_string(),
                confirm_discard: false,
            });
            false
        }
    }
}

/// Goes where the user was going once the unsaved edit is dealt with.
fn go_on_leaving(parts: &mut Parts, leaving: Leaving) {
    match leaving {
        Leaving::Quit => parts.ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        Leaving::Open(path) => opening::start(parts, path),
    }
}

fn show_dialog(parts: &mut Parts, kind: DialogKind) {
    if parts.files.pending_dialog.is_none() {
        let wake_ctx = parts.ctx.clone();
        let answer = parts
            .files
            .dialogs
            .show(kind, Box::new(move || wake_ctx.request_repaint()));
        parts.files.pending_dialog = Some((kind, answer));
    }
}

/// Takes in what a dialog answered, and files and folders dropped on the window (imported).
pub fn receive_chosen(parts: &mut Parts) {
    if let Some((kind, answer)) = &parts.files.pending_dialog {
        match answer.try_recv() {
            Ok(paths) if !paths.is_empty() => {
                let kind = *kind;
                parts.files.pending_dialog = None;
                use_chosen(parts, kind, paths);
            }
            Ok(_) | Err(TryRecvError::Disconnected) => parts.files.pending_dialog = None,
            Err(TryRecvError::Empty) => {}
        }
    }
    let dropped: Vec<PathBuf> = parts.ctx.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_owned())
            .collect()
    });
    if !dropped.is_empty() {
        // A picture dropped on an open contact is its photo; anything else is imported.
        let is_picture = |path: &PathBuf| {
            path.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| PHOTO_EXTENSIONS.contains(&e.to_lowercase().as_str()))
        };
        let contact_open = parts.session.as_ref().and_then(|s| {
            let editor = s.contact_editor.as_ref()?;
            (s.section == Section::Contacts && !editor.is_read_only()).then_some(editor.contact.id)
        });
        // Files Folio imports (notes, contacts, backups, folders) are imported; any other file
        // dropped while a note is open is attached to it.
        let importable = |path: &PathBuf| {
            path.is_dir()
                || crate::exchange::markdown::importable_kind(path).is_some()
                || path
                    .extension()
                    .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("json"))
        };
        let note_open = parts.session.as_ref().and_then(Session::editable_note);
        let kind = match (contact_open, note_open) {
            (Some(id), _) if dropped.len() == 1 && dropped.iter().all(is_picture) => {
                DialogKind::ContactPhoto(id)
            }
            (_, Some(note)) if !dropped.iter().any(importable) => DialogKind::AttachFiles(note),
            _ => DialogKind::ImportFiles,
        };
        use_chosen(parts, kind, dropped);
    }
}

/// Acts on what a dialog (or a drop) chose.
fn use_chosen(parts: &mut Parts, kind: DialogKind, mut paths: Vec<PathBuf>) {
    let job = match kind {
        DialogKind::OpenDatabase | DialogKind::NewDatabase => {
            if let Some(path) = paths.pop() {
                open_chosen(parts, kind, path);
            }
            return;
        }
        DialogKind::SaveUnsavedNote | DialogKind::SaveUnsavedContact => {
            if let Some(file) = paths.pop() {
                save_unsaved_to(parts, &file);
            }
            return;
        }
        DialogKind::ImportFiles | DialogKind::ImportFolder => Job::Import(paths),
        DialogKind::AttachFiles(note) => {
            // The note the dialog was for, still open and editable.
            if parts.session.as_ref().and_then(Session::editable_note) != Some(note) {
                parts.window.report(
                    "Nothing was attached",
                    crate::db::DbError::Invalid(
                        "The note is no longer open, so nothing was changed.".to_owned(),
                    ),
                );
                return;
            }
            Job::Attach {
                note,
                sources: paths.into_iter().map(AttachSource::File).collect(),
            }
        }
        DialogKind::ExportSqlAnswer => {
            if let (Some(file), Some(console)) = (paths.pop(), parts.window.sql_console.as_mut()) {
                console.export(file);
            }
            return;
        }
        DialogKind::SaveAttachment => {
            let (Some(file), Some(uuid)) = (paths.pop(), parts.files.attachment_to_save.take())
            else {
                return;
            };
            Job::SaveAttachment { uuid, file }
        }
        DialogKind::ContactPhoto(contact) => {
            let (Some(file), Some(session)) = (paths.pop(), parts.session.as_mut()) else {
                return;
            };
            // The contact the dialog was for, still open and editable (the dialog lets the
            // user go elsewhere meanwhile); the form saved first, so the photo names the
            // version the user sees.
            let still_open = session
                .contact_editor
                .as_ref()
                .is_some_and(|e| e.contact.id == contact && !e.is_read_only());
            let seen = if still_open {
                session.shown_version(crate::ui::command::Item::Contact(contact))
            } else {
                Err(crate::db::DbError::Invalid(
                    "The contact is no longer open, so nothing was changed.".to_owned(),
                ))
            };
            match seen {
                Ok(seen) => Job::SetPhoto {
                    contact,
                    seen,
                    file,
                },
                Err(e) => {
                    parts.window.report("The photo was not set", e);
                    return;
                }
            }
        }
        DialogKind::ExportMarkdown => match paths.pop() {
            // A new folder inside the one chosen, so nothing there is touched.
            Some(parent) => Job::ExportMarkdown(
                super::jobs::new_folder_in(&parent),
                parts.files.export_scope.take().unwrap_or(NoteScope::All),
            ),
            None => return,
        },
        DialogKind::ExportHtml => match paths.pop() {
            Some(file) => Job::ExportHtml(
                file,
                parts.files.export_scope.take().unwrap_or(NoteScope::All),
            ),
            None => return,
        },
        DialogKind::Backup | DialogKind::BackupWithHistory => match paths.pop() {
            Some(file) => Job::Backup {
                file,
                with_history: kind == DialogKind::BackupWithHistory,
            },
            None => return,
        },
        DialogKind::ExportContacts(format) => match paths.pop() {
            Some(file) => Job::ExportContacts(
                file,
                format,
                parts
                    .files
                    .contact_export_scope
                    .take()
                    .unwrap_or(ContactScope::All),
            ),
            None => return,
        },
    };
    let Some(session) = parts.session.as_mut() else {
        return;
    };
    if let Err(e) = session.start_job(job) {
        parts
            .window
            .report("Your edit could not be saved, so nothing was started", e);
    }
}

fn open_chosen(parts: &mut Parts, kind: DialogKind, path: PathBuf) {
    if kind == DialogKind::NewDatabase && path.exists() {
        // The save dialog asked about replacing it, but replacing a file means deleting
        // what is in it; Folio opens it instead (and refuses it if it is not Folio's).
        let until = parts.now() + parts.timing.toast_for;
        parts.window.say(
            format!("{} already exists, so Folio opened it.", path.display()),
            until,
        );
    }
    open_after_saving(parts, path);
}

/// Shows another database, once the open edit is saved (or the user has decided about it).
fn open_after_saving(parts: &mut Parts, path: PathBuf) {
    if save_before(parts, Leaving::Open(path.clone())) {
        opening::start(parts, path);
    }
}

/// Writes the unsaved edit to `file` (the save dialog confirmed replacing it), then goes on
/// leaving if nothing else is unsaved.
fn save_unsaved_to(parts: &mut Parts, file: &Path) {
    let Some(session) = parts.session.as_mut() else {
        return;
    };
    let Some(text) = session.unsaved_text() else {
        return;
    };
    let written = crate::exchange::atomic::write_file(file, true, |out| {
        std::io::Write::write_all(out, text.as_bytes())
    });
    if let Err(e) = written {
        parts.window.error = Some(UserError::with_detail(
            format!("The text could not be written to {}: {e}", file.display()),
            e,
        ));
        return;
    }
    if let Err(e) = session.discard_unsaved_note_or_contact() {
        parts.window.report(
            "The text was written to the file, but the form could not be read again",
            e,
        );
        return;
    }
    let more = session.unsaved_since().is_some();
    if let Some(unsaved) = parts.window.unsaved_on_leaving.take() {
        if more {
            // The other editor's edit: asked about next.
            parts.window.unsaved_on_leaving = Some(UnsavedOnLeaving {
                confirm_discard: false,
                ..unsaved
            });
        } else {
            go_on_leaving(parts, unsaved.leaving);
        }
    }
}
