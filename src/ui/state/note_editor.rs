//! The note open in the detail pane, with its unsaved text.

use egui_commonmark::CommonMarkCache;

use super::typeahead::Typeahead;
use crate::db::{ContactSummary, Note, Version};

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
            mode: EditorMode::Edit,
            tags: Typeahead::default(),
            markdown: CommonMarkCache::default(),
        }
    }

    pub fn is_read_only(&self) -> bool {
        self.note.deleted.is_some()
    }

    pub fn mark_edited(&mut self, now: f64) {
        self.dirty_since.get_or_insert(now);
        self.last_edit = now;
    }

    /// The names of the note's tags.
    pub fn tag_names(&self) -> Vec<String> {
        self.note.tags.iter().map(|t| t.name.clone()).collect()
    }
}
