//! After a long write on the list thread: close what it removed, refresh what shows it, and
//! say what happened.

use std::path::{Path, PathBuf};

use super::Parts;
use crate::db::DbError;
use crate::exchange::ExchangeError;
use crate::exchange::import::ImportReport;
use crate::ui::format::count_of;
use crate::ui::state::window::{CsvMapping, Duplicates, UserError};
use crate::ui::worker::{Job, JobDone};

/// After a long write: close what it removed, refresh what shows it, and say what happened.
pub fn follow_up(parts: &mut Parts) {
    let now = parts.now();
    let until = now + parts.timing.toast_for;
    let ctx = parts.ctx;
    let window = &mut *parts.window;
    let Some(session) = parts.session.as_mut() else {
        return;
    };
    for (job, result) in std::mem::take(&mut session.finished_jobs) {
        let done = match result {
            Ok(done) => done,
            Err(ExchangeError::Database(DbError::Cancelled)) => {
                window.say("Import stopped. Nothing was changed.", until);
                continue;
            }
            Err(e) => {
                let what = match &job {
                    Job::EmptyNoteTrash | Job::EmptyContactTrash => {
                        "The trash could not be emptied. Nothing was deleted"
                    }
                    Job::TrashAllContacts => {
                        "The contacts could not be moved to the Trash. Nothing was changed"
                    }
                    Job::Import(_) | Job::ImportCsv(..) => "Nothing was imported",
                    Job::ExportMarkdown(..)
                    | Job::ExportHtml(..)
                    | Job::Backup { .. }
                    | Job::ExportContacts(..) => "Nothing was written",
                    Job::FindDuplicates => "Duplicates could not be looked for",
                    Job::SetPhoto { .. } => "The photo was not set",
                    Job::Attach { .. } => "Nothing was attached",
                    Job::SaveAttachment { .. } => "The file was not saved",
                    Job::OpenAttachment(_) => "The file could not be opened",
                };
                window.error = Some(UserError::with_detail(format!("{what}: {e}"), e));
                continue;
            }
        };
        let count = match &done {
            JobDone::Count(count) => *count as i64,
            _ => 0,
        };
        let message = match (&job, done) {
            (Job::EmptyNoteTrash, _) => {
                if session.editor.as_ref().is_some_and(|e| e.is_read_only()) {
                    session.close_editor();
                }
                format!("{} deleted permanently.", count_of(count, "note"))
            }
            (Job::EmptyContactTrash, _) => {
                if session
                    .contact_editor
                    .as_ref()
                    .is_some_and(|e| e.is_read_only())
                {
                    session.close_contact();
                }
                format!(
                    "{} deleted permanently. Notes about them stay.",
                    count_of(count, "contact")
                )
            }
            (Job::TrashAllContacts, _) => {
                session.close_contact();
                format!(
                    "{} moved to Trash. Restore them from there.",
                    count_of(count, "contact")
                )
            }
            (_, JobDone::Duplicates(pairs)) => {
                // The window says what was found; nothing changed, so no list is refreshed.
                window.duplicates = Some(Duplicates {
                    pairs,
                    merging: None,
                });
                continue;
            }
            (
                _,
                JobDone::PhotoSet {
                    contact,
                    seen,
                    version,
                },
            ) => {
                // Text typed while the photo was read was typed over `seen`; the photo changed
                // nothing it shows, so the save names the photo's version instead of making a
                // conflict copy.
                if let Some(editor) = session.contact_editor.as_mut()
                    && editor.contact.id == contact
                    && editor.base == seen
                {
                    editor.base = version;
                }
                "Photo set.".to_owned()
            }
            (_, JobDone::Attached { note, attached }) => {
                if !attached.refused.is_empty() {
                    window.error = Some(UserError::new(format!(
                        "Not attached: {}.",
                        attached.refused.join("; ")
                    )));
                }
                let references: Vec<String> = attached
                    .attachments
                    .iter()
                    .map(|a| a.markdown_reference())
                    .collect();
                if references.is_empty() {
                    continue;
                }
                if let Err(e) = session.insert_references(ctx, note, &references, now) {
                    window.error = Some(UserError::with_detail(
                        format!("The attachment could not be added to the note: {e}"),
                        e,
                    ));
                    continue;
                }
                match attached.attachments.as_slice() {
                    [one] => format!("Attached {}.", one.file_name),
                    many => format!("Attached {}.", count_of(many.len() as i64, "file")),
                }
            }
            (Job::SaveAttachment { .. }, JobDone::Saved(file)) => {
                format!("Saved {}.", file.display())
            }
            (Job::OpenAttachment(_), JobDone::Saved(_)) => continue,
            (_, JobDone::Imported(mut report)) => {
                // A CSV file of unknown columns: ask what they hold, one file at a time.
                if let Some((file, preview)) = report.csv_to_map.first().cloned() {
                    window.csv_mapping = Some(CsvMapping::new(file, preview));
                    let file = window.csv_mapping.as_ref().map(|m| m.file.clone());
                    report.skipped.retain(|s| Some(&s.file) != file.as_ref());
                }
                if !report.skipped.is_empty()
                    || !report.warnings.is_empty()
                    || !report.conflicts.is_empty()
                    || !report.possible_duplicates.is_empty()
                {
                    window.import_report = Some(report.clone());
                }
                import_summary(&report)
            }
            (Job::ExportContacts(path, ..), JobDone::Exported { contacts, .. }) => format!(
                "Exported {} to {}.",
                count_of(contacts as i64, "contact"),
                path.display()
            ),
            (
                Job::ExportMarkdown(path, _) | Job::ExportHtml(path, _),
                JobDone::Exported { notes, .. },
            ) => format!(
                "Exported {} to {}.",
                count_of(notes as i64, "note"),
                path.display()
            ),
            (Job::Backup { file, .. }, JobDone::Exported { notes, contacts }) => format!(
                "Backed up {} and {} to {}.",
                count_of(notes as i64, "note"),
                count_of(contacts as i64, "contact"),
                file.display()
            ),
            (_, _) => String::new(),
        };
        log::info!("{}: {message}", job.describe());
        if let Err(e) = session.reload_editor() {
            window.error = Some(UserError::with_detail(
                format!("The open note or contact could not be read again: {e}"),
                e,
            ));
        }
        window.say(message, until);
    }
}

/// One line on what an import did.
fn import_summary(report: &ImportReport) -> String {
    let mut line = format!(
        "Imported {} and {}.",
        count_of(report.notes.added as i64, "note"),
        count_of(report.contacts.added as i64, "contact")
    );
    let already = report.notes.kept + report.notes.updated;
    if already > 0 {
        line.push_str(&format!(
            " {} were here already.",
            count_of(already as i64, "note")
        ));
    }
    if !report.conflicts.is_empty() {
        line.push_str(&format!(
            " {} changed both here and in the file: both kept.",
            count_of(report.conflicts.len() as i64, "note")
        ));
    }
    if !report.skipped.is_empty() {
        line.push_str(&format!(
            " {} skipped.",
            count_of(report.skipped.len() as i64, "file")
        ));
    }
    line
}

/// A folder for an export inside `parent` that does not exist yet: "Folio notes 2026-11-21",
/// then " (2)", " (3)"…
pub fn new_folder_in(parent: &Path) -> PathBuf {
    let base = format!("Folio notes {}", chrono::Local::now().format("%Y-%m-%d"));
    let mut folder = parent.join(&base);
    let mut n = 2;
    while folder.exists() {
        folder = parent.join(format!("{base} ({n})"));
        n += 1;
    }
    folder
}
