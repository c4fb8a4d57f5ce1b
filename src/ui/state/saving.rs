//! Saving what the user typed: the open note and contact, version-checked, with a conflict
//! copy when someone else wrote meanwhile; and what happens to an edit that cannot be saved.

use super::session::{SaveState, Session};
use crate::db::{DbError, EditSession, Version};
use crate::ui::command::{Conflict, Item};

impl Session {
    /// Saves the open note and the open contact if they have unsaved edits. Both are tried
    /// even when one fails; the first error is returned.
    pub fn save_editor(&mut self) -> Result<(), DbError> {
        let note = self.save_note();
        let contact = self.save_contact();
        note.and(contact)
    }

    fn save_contact(&mut self) -> Result<(), DbError> {
        let Some(editor) = self.contact_editor.as_mut() else {
            return Ok(());
        };
        if editor.dirty_since.is_none() {
            return Ok(());
        }
        let id = editor.contact.id;
        match self.repo.update_contact(id, editor.base, &editor.draft) {
            Ok(saved) => {
                editor.base = saved.version;
                editor.contact = saved;
                editor.dirty_since = None;
                self.saved();
                Ok(())
            }
            Err(DbError::Conflict { .. } | DbError::NotFound { .. }) => {
                let draft = editor.draft.clone();
                let copy = self
                    .repo
                    .keep_contact_conflict_copy(&draft)
                    .inspect_err(|e| self.save_failed(e))?;
                let original = self.repo.contact(id).ok().map(|c| c.id);
                self.conflicts.push(Conflict::Contact {
                    original,
                    copy: copy.id,
                    copy_name: copy.display_name.clone(),
                });
                self.saved();
                // The page shows the stored contact, as the other writer left it; the text
                // typed here is the copy's. (Closed first: opening saves what is open.)
                self.contact_editor = None;
                self.open_contact(original.unwrap_or(copy.id))
            }
            Err(e) => {
                self.save_failed(&e);
                Err(e)
            }
        }
    }

    fn saved(&mut self) {
        self.save_state = SaveState::Saved;
        self.save_retry_at = None;
        self.data_changed();
    }

    /// Keeps the edit in the window and says why it is not saved.
    fn save_failed(&mut self, error: &DbError) {
        self.save_state = if matches!(error, DbError::Busy) {
            SaveState::Waiting
        } else {
            SaveState::Failed(error.to_string())
        };
    }

    fn save_note(&mut self) -> Result<(), DbError> {
        let Some(editor) = self.editor.as_mut() else {
            return Ok(());
        };
        if editor.dirty_since.is_none() {
            return Ok(());
        }
        let id = editor.note.id;
        let session = if editor.session_open {
            EditSession::Continues
        } else {
            EditSession::Starts
        };
        match self
            .repo
            .update_note_with(id, editor.base, &editor.title, &editor.body, session)
        {
            Ok(saved) => {
                editor.session_open = true;
                editor.note.updated = saved.updated;
                editor.note.version = saved.version;
                editor.base = saved.version;
                editor.note.title = editor.title.clone();
                editor.note.body = editor.body.clone();
                editor.dirty_since = None;
                self.saved();
                Ok(())
            }
            Err(DbError::Conflict { .. } | DbError::NotFound { .. }) => {
                let (title, body) = (editor.title.clone(), editor.body.clone());
                let copy = self
                    .repo
                    .keep_conflict_copy(id, &title, &body)
                    .inspect_err(|e| self.save_failed(e))?;
                let original = self.repo.note(id).ok().map(|n| n.id);
                self.conflicts.push(Conflict::Note {
                    original,
                    copy: copy.id,
                    copy_title: copy.title.clone(),
                });
                self.saved();
                // The editor shows the stored note, as the other writer left it; the text
                // typed here is the copy's.
                self.editor = None;
                self.open_note(original.unwrap_or(copy.id))
            }
            Err(e) => {
                self.save_failed(&e);
                Err(e)
            }
        }
    }

    /// The open note's unsaved text as a Markdown file (with a new UUID, so importing it later
    /// adds a note and replaces nothing), else the open contact's unsaved form as a vCard.
    pub fn unsaved_text(&self) -> Option<String> {
        if let Some(editor) = self.editor.as_ref().filter(|e| e.dirty_since.is_some()) {
            let record = crate::db::NoteRecord {
                uuid: uuid::Uuid::now_v7().to_string(),
                title: editor.title.clone(),
                body: editor.body.clone(),
                pinned: editor.note.pinned,
                created: editor.note.created,
                updated: crate::db::Timestamp::now(),
                deleted: None,
                tags: editor.note.tags.iter().map(|t| t.name.clone()).collect(),
                people: Vec::new(),
                source: crate::db::RecordSource::Backup,
            };
            return Some(crate::exchange::markdown::note_to_markdown(
                &record,
                &Default::default(),
            ));
        }
        let editor = self
            .contact_editor
            .as_ref()
            .filter(|e| e.dirty_since.is_some())?;
        let draft = crate::db::ContactDraft {
            uuid: None,
            ..editor.draft.clone()
        };
        Some(crate::exchange::vcard::write_cards(
            &[draft],
            crate::exchange::vcard::CardVersion::V4,
        ))
    }

    /// Throws away the unsaved edit [`Session::unsaved_text`] would write (it was written to
    /// a file, or the user chose to discard it): the editor shows the stored text again.
    pub fn discard_unsaved_note_or_contact(&mut self) -> Result<(), DbError> {
        if let Some(editor) = self.editor.as_mut().filter(|e| e.dirty_since.is_some()) {
            editor.dirty_since = None;
            editor.title = editor.note.title.clone();
            editor.body = editor.note.body.clone();
            editor.base = editor.note.version;
        } else if let Some(editor) = self.contact_editor.as_mut() {
            editor.dirty_since = None;
            // The form shows the stored contact again, so no later keystroke saves the
            // discarded text.
            editor.show_stored(self.repo.contact_draft(editor.contact.id)?);
            editor.base = editor.contact.version;
        }
        if self.unsaved_since().is_none() {
            self.save_state = SaveState::Saved;
            self.save_retry_at = None;
        }
        Ok(())
    }

    /// Throws away every unsaved edit (the user confirmed it).
    pub fn discard_unsaved(&mut self) -> Result<(), DbError> {
        while self.unsaved_since().is_some() {
            self.discard_unsaved_note_or_contact()?;
        }
        Ok(())
    }

    /// The version of the open note or contact `item` is, as the window shows it: what a
    /// pin, trash, restore or delete of it names. Saves the open edits first, so the version
    /// is the stored one unless someone else wrote since.
    pub fn shown_version(&mut self, item: Item) -> Result<Version, DbError> {
        let conflicts_before = self.conflicts.len();
        self.save_editor()?;
        if self.conflicts.len() > conflicts_before {
            // The save found another version: the window now shows that one, which the user
            // has not seen yet. Nothing is done to it; the conflict notice explains.
            return Err(DbError::Conflict {
                what: match item {
                    Item::Note(_) => "note",
                    Item::Contact(_) => "contact",
                },
            });
        }
        match item {
            Item::Note(id) => self
                .editor
                .as_ref()
                .filter(|e| e.note.id == id)
                .map(|e| e.base),
            Item::Contact(id) => self
                .contact_editor
                .as_ref()
                .filter(|e| e.contact.id == id)
                .map(|e| e.base),
        }
        .ok_or(DbError::Invalid(
            "It is no longer open in the window, so nothing was changed.".to_owned(),
        ))
    }
}
