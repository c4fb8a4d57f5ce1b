//! Commands about notes.

use super::Outcome;
use crate::exchange::attachment_files::AttachSource;
use crate::ui::command::{NoteCommand, TITLE_ID};
use crate::ui::settings::Settings;
use crate::ui::state::note_editor::EditorMode;
use crate::ui::state::session::{Section, Session};
use crate::ui::state::window::{Confirm, WindowState};
use crate::ui::worker::Job;

pub fn apply(
    session: &mut Session,
    settings: &mut Settings,
    window: &mut WindowState,
    command: NoteCommand,
    now: f64,
) -> Outcome {
    match command {
        NoteCommand::New => {
            window.focus_request = Some(TITLE_ID);
            session
                .new_note()
                .map_err(|e| ("The new note could not be created", e))
        }
        NoteCommand::Select(id) => session
            .open_note(id)
            .map_err(|e| ("The note could not be opened", e)),
        NoteCommand::GoTo(id) => session
            .go_to_note(id)
            .map_err(|e| ("The note could not be opened", e)),
        NoteCommand::Show(filter) => {
            let saved = session.save_editor();
            let shown = session.show_section(Section::Notes);
            session.list.set_filter(filter);
            saved.map_err(|e| ("Your edit could not be saved", e))?;
            shown.map_err(|e| ("The notes about the contact could not be read", e))
        }
        NoteCommand::Sort(sort) => {
            settings.sort = sort;
            session.list.set_sort(sort);
            Ok(())
        }
        NoteCommand::SetPinned(id, pinned) => session
            .set_pinned(id, pinned)
            .map_err(|e| ("The pin could not be changed", e)),
        NoteCommand::AddTag(name) => session
            .add_tag(&name)
            .map_err(|e| ("The tag could not be added", e)),
        NoteCommand::RemoveTag(name) => session
            .remove_tag(&name)
            .map_err(|e| ("The tag could not be removed", e)),
        NoteCommand::AddPerson(contact) => session
            .add_person(contact)
            .map_err(|e| ("The person could not be added to the note", e)),
        NoteCommand::AddNewPerson(name) => session
            .add_new_person(&name)
            .map_err(|e| ("The new contact could not be created", e)),
        NoteCommand::RemovePerson(contact) => session
            .remove_person(contact)
            .map_err(|e| ("The person could not be removed from the note", e)),
        NoteCommand::AskEmptyTrash => {
            window.confirm = Some(Confirm::EmptyTrash {
                count: session.sidebar.trash,
            });
            Ok(())
        }
        NoteCommand::EmptyTrash => session
            .start_job(Job::EmptyNoteTrash)
            .map_err(|e| ("Your edit could not be saved", e)),
        NoteCommand::AttachPasted {
            width,
            height,
            rgba,
        } => {
            let Some(note) = session.editable_note() else {
                return Ok(());
            };
            session
                .start_job(Job::Attach {
                    note,
                    sources: vec![AttachSource::Pasted {
                        width,
                        height,
                        rgba,
                    }],
                })
                .map_err(|e| ("The picture was not attached", e))
        }
        NoteCommand::RestoreRevision(revision) => {
            let seen = window
                .history
                .as_ref()
                .and_then(|h| h.history.as_ref())
                .and_then(|h| h.current.as_ref())
                .map(|note| (note.id, note.version));
            let restored = session
                .restore_revision(revision, seen)
                .map_err(|e| ("The version could not be restored", e));
            if let Some(history) = window.history.as_mut() {
                history.refresh();
            }
            restored
        }
        NoteCommand::OpenAttachment(uuid) => session
            .start_job(Job::OpenAttachment(uuid))
            .map_err(|e| ("The file could not be opened", e)),
        NoteCommand::RemoveAttachment(uuid) => {
            if let Some(editor) = session.editor.as_mut().filter(|e| !e.is_read_only()) {
                editor.remove_attachment(&uuid, now);
            }
            Ok(())
        }
        NoteCommand::TogglePreview => {
            if session.section == Section::Notes
                && let Some(editor) = session.editor.as_mut()
            {
                editor.mode = match editor.mode {
                    EditorMode::Edit => EditorMode::Preview,
                    EditorMode::Preview => EditorMode::Edit,
                };
            }
            Ok(())
        }
    }
}
