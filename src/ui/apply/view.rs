//! Commands about what the window shows: the palette, the theme, the focus, the search, and
//! the Help windows.

use super::{Outcome, Parts};
use crate::ui::command::{BODY_ID, GIVEN_NAME_ID, SEARCH_ID, ViewCommand};
use crate::ui::settings::ThemeChoice;
use crate::ui::state::history::{HistoryView, HistoryWindow};
use crate::ui::state::session::Section;
use crate::ui::state::sql_console::SqlConsoleWindow;
use crate::ui::state::window::UserError;
use crate::ui::worker::Request;

/// Opens History… on `view`, or turns the open window to it.
fn show_history(parts: &mut Parts, view: HistoryView) {
    if let Some(history) = parts.window.history.as_mut() {
        history.show(view);
        return;
    }
    let Some(session) = parts.session.as_ref() else {
        return;
    };
    let wake = parts.ctx.clone();
    let opened = HistoryWindow::open(session.repo.connector(), view, move || {
        wake.request_repaint()
    });
    match opened {
        Ok(window) => parts.window.history = Some(window),
        Err(message) => {
            parts.window.error = Some(UserError::new(format!(
                "The history could not be read: {message}"
            )));
        }
    }
}

pub fn apply(parts: &mut Parts, command: ViewCommand) -> Outcome {
    match command {
        ViewCommand::Theme(theme) => parts.settings.theme = theme,
        ViewCommand::SwitchTheme => {
            let all = ThemeChoice::ALL;
            let at = all.iter().position(|t| *t == parts.settings.theme);
            parts.settings.theme = all[at.map_or(0, |at| (at + 1) % all.len())];
        }
        ViewCommand::ShowShortcuts => parts.window.show_shortcuts = true,
        ViewCommand::PhoneRegion(region) => match crate::db::choose_phone_region(region.as_deref())
        {
            Ok(()) => parts.settings.phone_region = region.map(|r| r.trim().to_uppercase()),
            Err(message) => parts.window.error = Some(UserError::new(message)),
        },
        ViewCommand::ShowAbout => parts.window.show_about = true,
        ViewCommand::ShowSqlConsole => {
            let Some(session) = parts.session.as_ref() else {
                return Ok(());
            };
            if parts.window.sql_console.is_none() {
                let wake = parts.ctx.clone();
                match SqlConsoleWindow::open(session.repo.path(), move || wake.request_repaint()) {
                    Ok(console) => parts.window.sql_console = Some(console),
                    Err(message) => {
                        parts.window.error = Some(UserError::new(format!(
                            "The SQL console could not be opened: {message}"
                        )));
                    }
                }
            }
        }
        ViewCommand::CloseSqlConsole => parts.window.sql_console = None,
        ViewCommand::ShowHistory => {
            let open_note = parts
                .session
                .as_ref()
                .and_then(|s| s.editor.as_ref())
                .map(|e| e.note.uuid.clone());
            show_history(
                parts,
                open_note.map_or(HistoryView::Deleted, HistoryView::Note),
            );
        }
        ViewCommand::ShowHistoryOf(uuid) => show_history(parts, HistoryView::Note(uuid)),
        ViewCommand::ShowDeletedNotes => show_history(parts, HistoryView::Deleted),
        ViewCommand::SelectRevision(id) => {
            if let Some(history) = parts.window.history.as_mut() {
                history.select(id);
            }
        }
        ViewCommand::CloseHistory => parts.window.history = None,
        ViewCommand::SetHistoryRetention(retention) => {
            parts.settings.history_retention = retention;
            if let Some(session) = parts.session.as_ref() {
                session.worker.send(Request::HistoryRetention(retention));
            }
        }
        ViewCommand::RunSql => {
            if let Some(console) = parts.window.sql_console.as_mut() {
                console.run();
            }
        }
        ViewCommand::CancelSql => {
            if let Some(console) = parts.window.sql_console.as_ref() {
                console.cancel();
            }
        }
        ViewCommand::CopySqlAnswer => {
            if let Some(console) = parts.window.sql_console.as_ref() {
                parts.ctx.copy_text(console.answer_as_tsv());
            }
        }
        ViewCommand::OpenPalette => {
            if let Some(session) = parts.session.as_mut() {
                session.palette = Some(Default::default());
            }
        }
        ViewCommand::ClosePalette => {
            if let Some(session) = parts.session.as_mut() {
                session.palette = None;
            }
        }
        ViewCommand::MoveSelection(step) => {
            if let Some(session) = parts.session.as_mut() {
                session
                    .move_selection(step)
                    .map_err(|e| ("It could not be opened", e))?;
            }
        }
        ViewCommand::FocusEditor => {
            let Some(session) = parts.session.as_mut() else {
                return Ok(());
            };
            session.list_focused = false;
            let editable = match session.section {
                Section::Notes => session
                    .editor
                    .as_ref()
                    .map(|e| (!e.is_read_only(), BODY_ID)),
                Section::Contacts => session
                    .contact_editor
                    .as_ref()
                    .map(|e| (!e.is_read_only(), GIVEN_NAME_ID)),
            };
            if let Some((true, id)) = editable {
                parts.window.focus_request = Some(id);
            }
        }
        ViewCommand::FocusSearch => {
            if let Some(session) = parts.session.as_mut() {
                session.list_focused = false;
                parts.window.focus_request = Some(SEARCH_ID);
            }
        }
        ViewCommand::ClearSearch => {
            if let Some(session) = parts.session.as_mut() {
                session.search_text.clear();
                session.apply_search();
            }
        }
    }
    Ok(())
}
