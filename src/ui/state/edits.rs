//! The window's writes besides typing: trash, restore, delete, pins and favourites, tags,
//! groups and people, new notes and contacts, merging two contacts. Each names the version the window shows (see
//! [`Session::shown_version`]), so nothing another program wrote meanwhile is overwritten; each
//! refreshes what shows the change.

use super::session::{Section, Session};
use super::window::MergeChoice;
use crate::db::{
    ContactDraft, ContactFilter, ContactId, DbError, MergeUndo, NewNote, NoteFilter, NoteId,
    RevisionId, Version,
};
use crate::ui::command::{Conflict, Item};

impl Session {
    /// Moves a note or contact to the trash; gives the version that made, for "Undo".
    pub fn trash(&mut self, item: Item) -> Result<Version, DbError> {
        let seen = self.shown_version(item)?;
        let version = match item {
            Item::Note(id) => {
                let version = self.repo.trash_note(id, seen)?;
                if self.list.selected == Some(id) {
                    self.close_editor();
                }
                version
            }
            Item::Contact(id) => {
                let version = self.repo.trash_contact(id, seen)?;
                if self.contacts.selected == Some(id) {
                    self.close_contact();
                }
                version
            }
        };
        // The open contact's "Notes about" may list the trashed note.
        self.reload_editor()?;
        self.data_changed();
        Ok(version)
    }

    /// Restores a note or contact from the trash, naming the version `seen` (the one the trash
    /// made, for "Undo"), and opens it unless the Trash is on show.
    pub fn restore(&mut self, item: Item, seen: Version) -> Result<(), DbError> {
        match item {
            Item::Note(id) => {
                self.repo.restore_note(id, seen)?;
                self.data_changed();
                // The note is back on the open contact's "Notes about", if it is about them.
                self.reload_editor()?;
                if self.editor.as_ref().is_none_or(|e| e.note.id != id)
                    && self.list.filter() != NoteFilter::Trash
                {
                    self.open_note(id)?;
                }
                Ok(())
            }
            Item::Contact(id) => {
                self.repo.restore_contact(id, seen)?;
                self.data_changed();
                if self
                    .contact_editor
                    .as_ref()
                    .is_some_and(|e| e.contact.id == id)
                {
                    self.reload_editor()
                } else if self.contacts.filter() != ContactFilter::Trash {
                    self.open_contact(id)
                } else {
                    Ok(())
                }
            }
        }
    }

    /// Restores the open note or contact (the Restore button of an item in the trash).
    pub fn restore_shown(&mut self, item: Item) -> Result<(), DbError> {
        let seen = self.shown_version(item)?;
        self.restore(item, seen)
    }

    pub fn delete_permanently(&mut self, item: Item) -> Result<(), DbError> {
        let seen = self.shown_version(item)?;
        match item {
            Item::Note(id) => {
                self.repo.delete_note_permanently(id, seen)?;
                if self.list.selected == Some(id) {
                    self.close_editor();
                }
            }
            Item::Contact(id) => {
                self.repo.delete_contact_permanently(id, seen)?;
                if self.contacts.selected == Some(id) {
                    self.close_contact();
                }
            }
        }
        self.data_changed();
        self.reload_editor()
    }

    /// Makes a revision its note's text again and shows the note. `seen` is the note and
    /// version History… compared it with; when that note is open, its typed text is saved
    /// first and the version is the editor's (the restore keeps that text as a revision).
    pub fn restore_revision(
        &mut self,
        revision: RevisionId,
        seen: Option<(NoteId, Version)>,
    ) -> Result<(), DbError> {
        if let Some((id, version)) = seen
            && let Some(editor) = self.editor.as_ref().filter(|e| e.note.id == id)
            && (editor.dirty_since.is_some() || editor.base != version)
        {
            // The editor holds text History… did not compare with: saved, it shows there in
            // a moment, and the user compares again before restoring over it.
            self.save_editor()?;
            return Err(DbError::Invalid(
                "The note changed since History… showed it, so nothing was restored. Compare \
                 again, then restore."
                    .to_owned(),
            ));
        }
        let restored = self.repo.restore_revision(revision, seen)?;
        self.data_changed();
        if self
            .editor
            .as_ref()
            .is_some_and(|e| e.note.id == restored.id)
        {
            self.reload_editor()?;
        } else {
            self.go_to_note(restored.id)?;
        }
        if let Some(editor) = self.editor.as_mut() {
            // The restored text is in the history already (it is the revision): typing on
            // continues from it without keeping it again.
            editor.session_open = true;
        }
        Ok(())
    }

    /// The title or name of the open note or contact `item`, for a question about it.
    pub fn shown_title(&self, item: Item) -> String {
        match item {
            Item::Note(id) => self
                .editor
                .as_ref()
                .filter(|e| e.note.id == id)
                .map(|e| e.note.title.clone()),
            Item::Contact(id) => self
                .contact_editor
                .as_ref()
                .filter(|e| e.contact.id == id)
                .map(|e| e.name()),
        }
        .unwrap_or_default()
    }

    pub fn set_pinned(&mut self, id: NoteId, pinned: bool) -> Result<(), DbError> {
        let seen = self.shown_version(Item::Note(id))?;
        self.repo.set_note_pinned(id, seen, pinned)?;
        self.data_changed();
        self.list.scroll_to_selected = true;
        self.reload_editor()
    }

    pub fn set_favorite(&mut self, id: ContactId, favorite: bool) -> Result<(), DbError> {
        let seen = self.shown_version(Item::Contact(id))?;
        self.repo.set_contact_favorite(id, seen, favorite)?;
        self.data_changed();
        self.reload_editor()
    }

    /// Gives the open note the tag `name` (an empty name does nothing).
    pub fn add_tag(&mut self, name: &str) -> Result<(), DbError> {
        let Some(editor) = self.editor.as_mut().filter(|_| !name.trim().is_empty()) else {
            return Ok(());
        };
        let mut names = editor.tag_names();
        names.push(name.trim().to_owned());
        editor.tags.clear();
        self.set_editor_tags(&names)
    }

    pub fn remove_tag(&mut self, name: &str) -> Result<(), DbError> {
        let Some(editor) = self.editor.as_ref().filter(|_| !name.trim().is_empty()) else {
            return Ok(());
        };
        let mut names = editor.tag_names();
        names.retain(|n| n != name);
        self.set_editor_tags(&names)
    }

    /// Gives the open note exactly these tags.
    fn set_editor_tags(&mut self, names: &[String]) -> Result<(), DbError> {
        let Some(id) = self.editor.as_ref().map(|e| e.note.id) else {
            return Ok(());
        };
        let seen = self.shown_version(Item::Note(id))?;
        self.repo.set_note_tags(id, seen, names)?;
        self.data_changed();
        self.reload_editor()
    }

    /// Puts the open contact in the group `name` (an empty name does nothing). Pending edits
    /// in the form are saved with it, in the same transaction.
    pub fn add_group(&mut self, name: &str, now: f64) -> Result<(), DbError> {
        let Some(editor) = self
            .contact_editor
            .as_mut()
            .filter(|_| !name.trim().is_empty())
        else {
            return Ok(());
        };
        editor.draft.groups.push(name.trim().to_owned());
        editor.groups.clear();
        editor.mark_edited(now);
        self.save_editor()
    }

    pub fn remove_group(&mut self, name: &str, now: f64) -> Result<(), DbError> {
        let Some(editor) = self
            .contact_editor
            .as_mut()
            .filter(|_| !name.trim().is_empty())
        else {
            return Ok(());
        };
        editor.draft.groups.retain(|g| g != name);
        editor.groups.clear();
        editor.mark_edited(now);
        self.save_editor()
    }

    /// Links the open note to a contact.
    pub fn add_person(&mut self, contact: ContactId) -> Result<(), DbError> {
        let Some(editor) = self.editor.as_mut() else {
            return Ok(());
        };
        editor.person_input.clear();
        editor.person_suggestions_for = None;
        let note = editor.note.id;
        self.repo.link_note_contact(note, contact)?;
        self.data_changed();
        self.reload_editor()
    }

    /// Makes a contact of `name` and links the open note to it.
    pub fn add_new_person(&mut self, name: &str) -> Result<(), DbError> {
        let contact = self.repo.create_contact(&ContactDraft {
            display_name: name.trim().to_owned(),
            ..ContactDraft::default()
        })?;
        self.add_person(contact.id)
    }

    pub fn remove_person(&mut self, contact: ContactId) -> Result<(), DbError> {
        let Some(note) = self.editor.as_ref().map(|e| e.note.id) else {
            return Ok(());
        };
        self.repo.unlink_note_contact(note, contact)?;
        self.data_changed();
        self.reload_editor()
    }

    /// Creates a note that belongs to the list on show (in a tag's list it gets the tag, in
    /// Pinned it is pinned; from the Trash it goes to All notes), opens it and clears the
    /// search so it is visible.
    pub fn new_note(&mut self) -> Result<(), DbError> {
        self.show_section(Section::Notes)?;
        self.save_editor()?;
        let mut note = NewNote::default();
        let filter = match self.list.filter() {
            NoteFilter::Trash | NoteFilter::Pair(..) => NoteFilter::All,
            NoteFilter::Pinned => {
                note.pinned = true;
                NoteFilter::Pinned
            }
            NoteFilter::Tag(tag) => {
                let name = self.sidebar.tags.iter().find(|u| u.tag.id == tag);
                note.tags.extend(name.map(|u| u.tag.name.clone()));
                NoteFilter::Tag(tag)
            }
            NoteFilter::All => NoteFilter::All,
        };
        let created = self.repo.create_note(&note)?;
        self.search_text.clear();
        self.search_edited_at = None;
        self.list.set_view(filter, self.list.sort(), "");
        self.data_changed();
        self.list.scroll_to_selected = true;
        self.list_focused = false;
        self.open_note(created.id)
    }

    /// Creates an empty contact in the list on show (in a group it joins the group, in
    /// Favourites it is a favourite) and opens it.
    pub fn new_contact(&mut self) -> Result<(), DbError> {
        self.show_section(Section::Contacts)?;
        self.save_editor()?;
        let mut draft = ContactDraft::default();
        let filter = match self.contacts.filter() {
            ContactFilter::Favorites => {
                draft.favorite = true;
                ContactFilter::Favorites
            }
            ContactFilter::Group(tag) => {
                let group = self.sidebar.groups.iter().find(|u| u.tag.id == tag);
                draft.groups.extend(group.map(|u| u.tag.name.clone()));
                ContactFilter::Group(tag)
            }
            _ => ContactFilter::All,
        };
        let created = self.repo.create_contact(&draft)?;
        self.search_text.clear();
        self.search_edited_at = None;
        self.contacts.set_view(filter, self.contacts.sort(), "");
        self.data_changed();
        self.contacts.scroll_to_selected = true;
        self.list_focused = false;
        self.open_contact(created.id)
    }

    /// Opens a note from elsewhere (a contact's page, the palette): it is shown in All notes,
    /// with no search hiding it, unless the list on show already holds it.
    pub fn go_to_note(&mut self, id: NoteId) -> Result<(), DbError> {
        self.show_section(Section::Notes)?;
        if self.list.index_of(id).is_none() {
            self.search_text.clear();
            self.list.set_view(NoteFilter::All, self.list.sort(), "");
        }
        self.list.scroll_to_selected = true;
        self.open_note(id)
    }

    pub fn go_to_contact(&mut self, id: ContactId) -> Result<(), DbError> {
        self.show_section(Section::Contacts)?;
        if self.contacts.index_of(id).is_none() {
            self.search_text.clear();
            self.contacts
                .set_view(ContactFilter::All, self.contacts.sort(), "");
        }
        self.contacts.scroll_to_selected = true;
        self.open_contact(id)
    }

    /// Merges the other contact of `choice` into the kept one (each at the version read for
    /// the merge window) and opens the merged contact.
    pub fn merge_contacts(&mut self, choice: &MergeChoice) -> Result<MergeUndo, DbError> {
        self.save_editor()?;
        let undo = self.repo.merge_contacts(
            (choice.kept.id, choice.kept.version),
            (choice.other.id, choice.other.version),
            &choice.merged(),
        )?;
        self.data_changed();
        self.go_to_contact(choice.kept.id)?;
        Ok(undo)
    }

    /// Takes a merge back: both contacts as they were, the kept one open.
    pub fn undo_merge(&mut self, undo: &MergeUndo) -> Result<(), DbError> {
        self.save_editor()?;
        self.repo.undo_merge(undo)?;
        self.data_changed();
        self.go_to_contact(undo.kept)?;
        self.reload_editor()
    }

    /// Removes the open contact's photo (after saving the form, so the removal names the
    /// version the form's edit made).
    pub fn remove_photo(&mut self) -> Result<(), DbError> {
        let Some(id) = self.contact_editor.as_ref().map(|e| e.contact.id) else {
            return Ok(());
        };
        let seen = self.shown_version(Item::Contact(id))?;
        self.repo.set_contact_photo(id, seen, None, None)?;
        self.data_changed();
        self.reload_editor()
    }

    /// The name a contact shows, for a message; empty when it cannot be read.
    pub fn contact_name(&mut self, id: ContactId) -> String {
        self.repo
            .contact_draft(id)
            .map(|d| d.label())
            .unwrap_or_default()
    }

    /// Up/Down in the list of the section shown.
    pub fn move_selection(&mut self, step: isize) -> Result<(), DbError> {
        self.list_focused = true;
        match self.section {
            Section::Notes => match self.list.step_from_selected(step) {
                Some(id) => self.open_note(id),
                None => Ok(()),
            },
            Section::Contacts => match self.contacts.step_from_selected(step) {
                Some(id) => self.open_contact(id),
                None => Ok(()),
            },
        }
    }

    /// Lists a note or contact beside its conflict copy (just the two of them) and opens the
    /// copy.
    pub fn show_conflict(&mut self, conflict: Conflict) -> Result<(), DbError> {
        self.conflicts.retain(|c| *c != conflict);
        self.search_text.clear();
        self.search_edited_at = None;
        match conflict {
            Conflict::Note { original, copy, .. } => {
                self.show_section(Section::Notes)?;
                let filter =
                    original.map_or(NoteFilter::All, |original| NoteFilter::Pair(original, copy));
                self.list.set_view(filter, self.list.sort(), "");
                self.open_note(copy)
            }
            Conflict::Contact { original, copy, .. } => {
                self.show_section(Section::Contacts)?;
                let filter = original.map_or(ContactFilter::All, |original| {
                    ContactFilter::Pair(original, copy)
                });
                self.contacts.set_view(filter, self.contacts.sort(), "");
                self.open_contact(copy)
            }
        }
    }
}
