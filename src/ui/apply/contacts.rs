//! Commands about contacts.

use super::Outcome;
use crate::ui::command::{ContactCommand, GIVEN_NAME_ID};
use crate::ui::settings::Settings;
use crate::ui::state::session::{Section, Session};
use crate::ui::state::window::{Confirm, WindowState};
use crate::ui::worker::Job;

pub fn apply(
    session: &mut Session,
    settings: &mut Settings,
    window: &mut WindowState,
    now: f64,
    command: ContactCommand,
) -> Outcome {
    match command {
        ContactCommand::New => {
            window.focus_request = Some(GIVEN_NAME_ID);
            session
                .new_contact()
                .map_err(|e| ("The new contact could not be created", e))
        }
        ContactCommand::Select(id) => session
            .open_contact(id)
            .map_err(|e| ("The contact could not be opened", e)),
        ContactCommand::GoTo(id) => session
            .go_to_contact(id)
            .map_err(|e| ("The contact could not be opened", e)),
        ContactCommand::Show(filter) => {
            let saved = session.save_editor();
            let shown = session.show_section(Section::Contacts);
            session.contacts.set_filter(filter);
            saved.map_err(|e| ("Your edit could not be saved", e))?;
            shown.map_err(|e| ("The notes about the contact could not be read", e))
        }
        ContactCommand::Sort(sort) => {
            settings.contact_sort = sort;
            session.contacts.set_sort(sort);
            Ok(())
        }
        ContactCommand::SetFavorite(id, favorite) => session
            .set_favorite(id, favorite)
            .map_err(|e| ("The favourite could not be changed", e)),
        ContactCommand::AddGroup(name) => session
            .add_group(&name, now)
            .map_err(|e| ("The group could not be added", e)),
        ContactCommand::RemoveGroup(name) => session
            .remove_group(&name, now)
            .map_err(|e| ("The group could not be removed", e)),
        ContactCommand::AskEmptyTrash => {
            window.confirm = Some(Confirm::EmptyContactTrash {
                count: session.sidebar.contacts_trash,
            });
            Ok(())
        }
        ContactCommand::EmptyTrash => session
            .start_job(Job::EmptyContactTrash)
            .map_err(|e| ("Your edit could not be saved", e)),
        ContactCommand::AskClear => {
            window.confirm = Some(Confirm::ClearContacts {
                count: session.sidebar.contacts,
            });
            Ok(())
        }
        ContactCommand::Clear => session
            .start_job(Job::TrashAllContacts)
            .map_err(|e| ("Your edit could not be saved", e)),
    }
}
