//! The note open in the detail pane, with its unsaved text.

use egui::text::{CCursor, CCursorRange};
use egui::{Context, Id};
use egui_commonmark::CommonMarkCache;

use super::typeahead::Typeahead;
use crate::db::{Attachment, ContactSummary, Note, Version, attachment_refs};
use crate::ui::command::BODY_ID;

/// Seconds without typing that end an editing session: the next keystroke starts another, and
/// the note's history gets the text as it was (see [`crate::db::EditSession`]).
pub const SESSION_PAUSE: f64 = 5.0 * 60.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorMode {
    Edit,
    Preview,
}

/// The note open in the detail pane, with its unsaved text.
pub struct Editor {
    /// The note as last read or saved.
    pub note: Note,
    /// The version the text was edited from: a save names it, so a note changed elsewhere
    /// meanwhile is never written over.
    pub base: Version,
    pub title: String,
    pub body: String,
    /// When (egui time, seconds) the first edit not yet saved was made.
    pub dirty_since: Option<f64>,
    /// When the last edit was made; autosave waits for a pause after it.
    pub last_edit: f64,
    /// An editing session is open: its first save kept the state it started from as a
    /// revision, so later saves keep none. It ends when the note is closed (leaving it,
    /// closing the window) or after [`SESSION_PAUSE`] without typing.
    pub session_open: bool,
    pub mode: EditorMode,
    /// The "Add tag" input and its suggestions.
    pub tags: Typeahead,
    pub markdown: CommonMarkCache,
    /// The contacts the note is about.
    pub people: Vec<ContactSummary>,
    pub person_input: String,
    pub person_suggestions: Vec<ContactSummary>,
    /// The text the suggestions shown were asked for.
    pub person_suggestions_for: Option<String>,
    /// A request for suggestions is out (the list thread answers it).
    pub person_suggestions_pending: Option<u64>,
    /// Enter was pressed in the People input: act once the suggestions are current.
    pub person_enter_pending: bool,
    /// The attachments the text names, read when the references in the text change (never
    /// on an idle frame), and the references they were read for.
    pub attachments: Vec<Attachment>,
    pub attachments_for: Option<Vec<String>>,
}

impl Editor {
    pub fn new(note: Note, people: Vec<ContactSummary>) -> Self {
        Editor {
            people,
            person_input: String::new(),
            person_suggestions: Vec::new(),
            person_suggestions_for: None,
            person_suggestions_pending: None,
            person_enter_pending: false,
            title: note.title.clone(),
            body: note.body.clone(),
            base: note.version,
            note,
            dirty_since: None,
            last_edit: 0.0,
            session_open: false,
            mode: EditorMode::Edit,
            tags: Typeahead::default(),
            markdown: CommonMarkCache::default(),
            attachments: Vec::new(),
            attachments_for: None,
        }
    }

    /// The references the text holds, when they differ from those the attachments shown were
    /// read for: the caller reads them again.
    pub fn attachments_to_read(&self) -> Option<Vec<String>> {
        // Most notes name none: one scan of the text, no allocation.
        if !self.body.contains(crate::db::ATTACHMENT_SCHEME) {
            return match &self.attachments_for {
                Some(refs) if refs.is_empty() => None,
                _ => Some(Vec::new()),
            };
        }
        let refs = attachment_refs(&self.body);
        (self.attachments_for.as_ref() != Some(&refs)).then_some(refs)
    }

    /// Puts `text` into the body where the cursor is (at the end when the body never had the
    /// cursor), each reference on a line of its own, and leaves the cursor after it.
    pub fn insert_at_cursor(&mut self, ctx: &Context, text: &str, now: f64) {
        let id = Id::unique(BODY_ID);
        let mut state = egui::TextEdit::load_state(ctx, id).unwrap_or_default();
        let chars = self.body.chars().count();
        let at_char = state
            .cursor
            .char_range()
            .map_or(chars, |range| range.primary.index.0.min(chars));
        let at = self
            .body
            .char_indices()
            .nth(at_char)
            .map_or(self.body.len(), |(byte, _)| byte);
        let mut insert = String::new();
        if at > 0 && !self.body[..at].ends_with('\n') {
            insert.push('\n');
        }
        insert.push_str(text);
        if !self.body[at..].starts_with('\n') {
            insert.push('\n');
        }
        self.body.insert_str(at, &insert);
        let after = at_char + insert.chars().count();
        state
            .cursor
            .set_char_range(Some(CCursorRange::one(CCursor::new(after))));
        state.store(ctx, id);
        self.mark_edited(now);
    }

    /// Takes every link to an attachment out of the text (the strip's Remove).
    pub fn remove_attachment(&mut self, uuid: &str, now: f64) {
        let without = crate::exchange::linked_files::without_links_to(&self.body, uuid);
        if without != self.body {
            self.body = without;
            self.mark_edited(now);
        }
    }

    pub fn is_read_only(&self) -> bool {
        self.note.deleted.is_some()
    }

    pub fn mark_edited(&mut self, now: f64) {
        if now - self.last_edit >= SESSION_PAUSE {
            self.session_open = false;
        }
        self.dirty_since.get_or_insert(now);
        self.last_edit = now;
    }

    /// The names of the note's tags.
    pub fn tag_names(&self) -> Vec<String> {
        self.note.tags.iter().map(|t| t.name.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{NoteId, Timestamp};

    fn editor() -> Editor {
        Editor::new(
            Note {
                id: NoteId(1),
                uuid: String::new(),
                title: "Plan".into(),
                body: String::new(),
                pinned: false,
                created: Timestamp(0),
                updated: Timestamp(0),
                deleted: None,
                tags: Vec::new(),
                version: Version(1),
            },
            Vec::new(),
        )
    }

    #[test]
    fn five_minutes_without_typing_end_the_editing_session() {
        let mut editor = editor();
        assert!(!editor.session_open, "opening a note starts no session yet");
        editor.mark_edited(1000.0);
        // The first save opens the session.
        editor.session_open = true;
        editor.mark_edited(1000.0 + SESSION_PAUSE - 1.0);
        editor.mark_edited(1000.0 + 2.0 * SESSION_PAUSE - 2.0);
        assert!(
            editor.session_open,
            "typing on, however long, is one session"
        );
        editor.mark_edited(1000.0 + 3.0 * SESSION_PAUSE);
        assert!(!editor.session_open, "a pause of five minutes ends it");
    }
}
