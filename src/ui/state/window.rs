//! What the window shows over the panels, and where it puts the keyboard focus next: the
//! error dialog, confirmations, the "Undo" toast, the unsaved-edit dialog, the import report,
//! the CSV column mapping, and the Help and About windows.

use std::path::PathBuf;

use crate::db::{ContactDraft, ContactId, MergeUndo, OneValued, PossibleDuplicate, Version};
use crate::exchange::contacts_csv::{self, CsvPreview, Field};
use crate::exchange::import::ImportReport;
use crate::ui::command::Item;

/// An error as the user sees it: one sentence, with details on request.
#[derive(Debug, Clone, PartialEq)]
pub struct UserError {
    pub message: String,
    pub detail: Option<String>,
}

impl UserError {
    // Every error the user is shown goes to the log too, with its detail, for bug reports.
    pub fn new(message: impl Into<String>) -> Self {
        let message = message.into();
        log::warn!("shown: {message}");
        UserError {
            message,
            detail: None,
        }
    }

    pub fn with_detail(message: impl Into<String>, detail: impl std::fmt::Debug) -> Self {
        let message = message.into();
        let detail = format!("{detail:#?}");
        log::warn!("shown: {message}\n{detail}");
        UserError {
            message,
            detail: Some(detail),
        }
    }
}

/// A question that must be answered before something irreversible.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
    DeletePermanently { item: Item, title: String },
    EmptyTrash { count: i64 },
    EmptyContactTrash { count: i64 },
    ClearContacts { count: i64 },
}

/// A short message at the bottom of the window, perhaps with "Undo".
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub message: String,
    pub undo: Option<Undo>,
    pub until: f64,
}

/// What a toast's "Undo" takes back.
#[derive(Debug, Clone, PartialEq)]
pub enum Undo {
    /// A move to the trash: the item, and the version the move made.
    Trash(Item, Version),
    /// A merge of two contacts.
    Merge(Box<MergeUndo>),
}

/// Find duplicates: the likely pairs, and the pair open side by side to merge.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Duplicates {
    pub pairs: Vec<PossibleDuplicate>,
    pub merging: Option<MergeChoice>,
}

/// One side of a merge: the contact as read, and the version read.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeSide {
    pub id: ContactId,
    pub version: Version,
    pub name: String,
    pub draft: ContactDraft,
}

/// Two contacts side by side: `kept` stays, `other` is merged into it and goes to the trash.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeChoice {
    pub kept: MergeSide,
    pub other: MergeSide,
    /// The one-valued fields where both hold different values.
    pub conflicts: Vec<OneValued>,
    /// Those of them where the user picked the other's value.
    pub from_other: Vec<OneValued>,
}

impl MergeChoice {
    pub fn new(kept: MergeSide, other: MergeSide) -> Self {
        MergeChoice {
            conflicts: crate::db::conflicts(&kept.draft, &other.draft),
            kept,
            other,
            from_other: Vec::new(),
        }
    }

    /// The contact the merge makes, as chosen so far.
    pub fn merged(&self) -> ContactDraft {
        crate::db::merged(&self.kept.draft, &self.other.draft, &self.from_other)
    }

    /// The other way round: the other contact is kept.
    pub fn swapped(self) -> Self {
        MergeChoice::new(self.other, self.kept)
    }
}

/// Where the user was going when an unsaved edit could not be saved.
#[derive(Debug, Clone, PartialEq)]
pub enum Leaving {
    /// Quitting, or closing the window.
    Quit,
    /// Showing another database.
    Open(PathBuf),
}

/// The window stayed because an edit could not be saved; the user chooses what happens to it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnsavedOnLeaving {
    pub leaving: Leaving,
    /// Why the save failed, in words.
    pub reason: String,
    /// "Discard" was pressed once; the second press throws the text away.
    pub confirm_discard: bool,
}

/// A CSV file's columns being mapped: what Folio guessed for each, changed by the user.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvMapping {
    pub file: PathBuf,
    pub preview: CsvPreview,
    pub fields: Vec<Field>,
}

impl CsvMapping {
    pub fn new(file: PathBuf, preview: CsvPreview) -> Self {
        // Guesses that are not among the choices (Outlook's labelled phones, say) stay as
        // guessed; the menu shows them by the nearest choice's name.
        let fields = preview.fields.clone();
        CsvMapping {
            file,
            preview,
            fields,
        }
    }

    /// The name of the choice a column's field is, for the column's menu.
    pub fn choice_name(column: usize, field: Field) -> &'static str {
        contacts_csv::field_choices(column)
            .into_iter()
            .find(|(f, _)| *f == field)
            .map_or("(as guessed)", |(_, name)| name)
    }
}

/// Everything that floats over the panels, and the focus to move.
#[derive(Debug, Default)]
pub struct WindowState {
    /// The one error shown; errors reach the user only through here.
    pub error: Option<UserError>,
    pub confirm: Option<Confirm>,
    /// An edit could not be saved on quitting or switching databases.
    pub unsaved_on_leaving: Option<UnsavedOnLeaving>,
    pub toast: Option<Toast>,
    pub show_shortcuts: bool,
    pub show_about: bool,
    /// A CSV file of unknown columns, waiting for the user to say what each holds.
    pub csv_mapping: Option<CsvMapping>,
    /// The last import's skipped files and warnings, shown until dismissed.
    pub import_report: Option<ImportReport>,
    /// Find duplicates' window, while it is open.
    pub duplicates: Option<Duplicates>,
    /// Note → History…, while it is open.
    pub history: Option<super::history::HistoryWindow>,
    /// View → SQL console, while it is open.
    pub sql_console: Option<super::sql_console::SqlConsoleWindow>,
    /// The text field to focus at the end of the frame.
    pub focus_request: Option<&'static str>,
}

impl WindowState {
    /// Shows a failed action's error once, in words, with the details a click away.
    pub fn report(&mut self, what: &str, error: impl std::fmt::Display + std::fmt::Debug) {
        self.error = Some(UserError::with_detail(format!("{what}: {error}"), error));
    }

    /// Shows `message` at the bottom of the window until `until` (egui seconds).
    pub fn say(&mut self, message: impl Into<String>, until: f64) {
        self.toast = Some(Toast {
            message: message.into(),
            undo: None,
            until,
        });
    }

    /// Whether a dialog that takes the keyboard is up.
    pub fn is_modal(&self) -> bool {
        self.confirm.is_some() || self.error.is_some()
    }
}
