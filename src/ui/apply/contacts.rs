//! Commands about contacts.

use super::Outcome;
use crate::ui::command::{ContactCommand, GIVEN_NAME_ID};
use crate::ui::settings::Settings;
use crate::ui::state::session::{Section, Session};
use crate::ui::state::window::{
    Confirm, Duplicates, MergeChoice, MergeSide, Toast, Undo, WindowState,
};
use crate::ui::worker::Job;

/// The egui time now, and when a toast shown now goes away.
#[derive(Debug, Clone, Copy)]
pub struct Times {
    pub now: f64,
    pub toast_until: f64,
}

pub fn apply(
    session: &mut Session,
    settings: &mut Settings,
    window: &mut WindowState,
    times: Times,
    command: ContactCommand,
) -> Outcome {
    let now = times.now;
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
        ContactCommand::FindDuplicates => session
            .start_job(Job::FindDuplicates)
            .map_err(|e| ("Your edit could not be saved", e)),
        ContactCommand::CompareForMerge(kept, other) => {
            let side = |session: &mut Session, id| -> Result<MergeSide, crate::db::DbError> {
                let contact = session.repo.contact(id)?;
                let version = contact.version;
                let draft = crate::db::ContactDraft::from(contact);
                Ok(MergeSide {
                    id,
                    version,
                    name: draft.label(),
                    draft,
                })
            };
            let read = session
                .save_editor()
                .and_then(|()| Ok((side(session, kept)?, side(session, other)?)));
            let (kept, other) = read.map_err(|e| ("The two contacts could not be read", e))?;
            let duplicates = window.duplicates.get_or_insert_with(Duplicates::default);
            duplicates.merging = Some(MergeChoice::new(kept, other));
            Ok(())
        }
        ContactCommand::SwapMergeSides => {
            if let Some(duplicates) = window.duplicates.as_mut() {
                duplicates.merging = duplicates.merging.take().map(MergeChoice::swapped);
            }
            Ok(())
        }
        ContactCommand::Merge => {
            let Some(choice) = window.duplicates.as_mut().and_then(|d| d.merging.take()) else {
                return Ok(());
            };
            let undo = session
                .merge_contacts(&choice)
                .map_err(|e| ("The contacts could not be merged. Nothing was changed", e))?;
            if let Some(duplicates) = window.duplicates.as_mut() {
                let gone = [choice.kept.id, choice.other.id];
                duplicates
                    .pairs
                    .retain(|p| !(gone.contains(&p.contact) && gone.contains(&p.other)));
                // A pair with the contact now in the trash is a pair with the merged one.
                for pair in &mut duplicates.pairs {
                    for (id, name) in [
                        (&mut pair.contact, &mut pair.name),
                        (&mut pair.other, &mut pair.other_name),
                    ] {
                        if *id == choice.other.id {
                            *id = choice.kept.id;
                            name.clone_from(&choice.kept.name);
                        }
                    }
                }
                duplicates.pairs.retain(|p| p.contact != p.other);
            }
            window.toast = Some(Toast {
                message: format!(
                    "Merged {} into {}. The other copy is in the Trash.",
                    choice.other.name,
                    session.contact_name(choice.kept.id)
                ),
                undo: Some(Undo::Merge(Box::new(undo))),
                until: times.toast_until,
            });
            Ok(())
        }
        ContactCommand::RemovePhoto => session
            .remove_photo()
            .map_err(|e| ("The photo could not be removed", e)),
        ContactCommand::UndoMerge(undo) => {
            window.toast = None;
            session
                .undo_merge(&undo)
                .map_err(|e| ("The merge could not be undone", e))
        }
    }
}
