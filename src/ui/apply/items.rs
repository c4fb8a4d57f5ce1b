//! Commands that act on a note or a contact alike: the trash, restoring, deleting for good,
//! and showing a conflict copy.

use super::Outcome;
use crate::ui::command::{Item, ItemCommand};
use crate::ui::state::session::Session;
use crate::ui::state::window::{Confirm, Toast, Undo, WindowState};

/// `toast_until`: when a toast shown now goes away (egui seconds).
pub fn apply(
    session: &mut Session,
    window: &mut WindowState,
    toast_until: f64,
    command: ItemCommand,
) -> Outcome {
    match command {
        ItemCommand::Trash(item) => {
            let version = session
                .trash(item)
                .map_err(|e| ("It could not be moved to Trash", e))?;
            let message = match item {
                Item::Note(_) => "Note moved to Trash.",
                Item::Contact(_) => "Contact moved to Trash. Its notes stay.",
            };
            window.toast = Some(Toast {
                message: message.to_owned(),
                undo: Some(Undo::Trash(item, version)),
                until: toast_until,
            });
            Ok(())
        }
        ItemCommand::UndoTrash(item, seen) => {
            window.toast = None;
            session
                .restore(item, seen)
                .map_err(|e| ("It could not be restored", e))
        }
        ItemCommand::Restore(item) => {
            window.toast = None;
            session
                .restore_shown(item)
                .map_err(|e| ("It could not be restored", e))
        }
        ItemCommand::AskDeletePermanently(item) => {
            window.confirm = Some(Confirm::DeletePermanently {
                item,
                title: session.shown_title(item),
            });
            Ok(())
        }
        ItemCommand::DeletePermanently(item) => session
            .delete_permanently(item)
            .map_err(|e| ("It could not be deleted", e)),
        ItemCommand::ShowConflict(conflict) => session
            .show_conflict(conflict)
            .map_err(|e| ("It could not be opened", e)),
    }
}
