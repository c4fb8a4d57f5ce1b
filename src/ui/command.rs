//! The words the window's parts share: which note or contact, which conflict copy, and what
//! the user asked for. Views and the action table produce [`Command`]s; `apply` carries them
//! out after the frame is drawn, one domain at a time.

use std::path::PathBuf;

use super::file_dialogs::DialogKind;
use super::settings::{ContactSortChoice, SortChoice, ThemeChoice};
use crate::db::{
    ContactFilter, ContactId, HistoryRetention, NoteFilter, NoteId, RevisionId, Version,
};

/// Ids of the text fields that shortcuts move the focus to.
pub const SEARCH_ID: &str = "search-box";
pub const TITLE_ID: &str = "note-title";
pub const BODY_ID: &str = "note-body";
pub const GIVEN_NAME_ID: &str = "contact-given-name";
pub const PALETTE_ID: &str = "go-to-anything";

/// A note or a contact: what trash, restore and delete act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Note(NoteId),
    Contact(ContactId),
}

/// Text that could not be written over a note or contact changed elsewhere, kept as a copy
/// beside it. The window says so once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    Note {
        /// `None` when the original was deleted for good elsewhere.
        original: Option<NoteId>,
        copy: NoteId,
        copy_title: String,
    },
    Contact {
        original: Option<ContactId>,
        copy: ContactId,
        copy_name: String,
    },
}

/// Something the user asked for, produced while drawing and applied after it.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Note(NoteCommand),
    Contact(ContactCommand),
    /// What acts on a note or a contact alike.
    Item(ItemCommand),
    File(FileCommand),
    View(ViewCommand),
}

#[derive(Debug, Clone, PartialEq)]
pub enum NoteCommand {
    New,
    Select(NoteId),
    Show(NoteFilter),
    Sort(SortChoice),
    SetPinned(NoteId, bool),
    AddTag(String),
    RemoveTag(String),
    /// Links the open note to a contact.
    AddPerson(ContactId),
    /// Creates a contact with this name and links the open note to it.
    AddNewPerson(String),
    RemovePerson(ContactId),
    /// Shows the notes and opens this one (from "Notes about" on a contact, the palette).
    GoTo(NoteId),
    AskEmptyTrash,
    EmptyTrash,
    /// Switches the open note between editing and its preview.
    TogglePreview,
    /// A picture pasted into the open note (RGBA pixels): attach it where the cursor is.
    AttachPasted {
        width: u32,
        height: u32,
        rgba: std::sync::Arc<[u8]>,
    },
    /// Open an attachment in the system's program for it.
    OpenAttachment(String),
    /// Make a revision the text of its note again (History…'s Restore), in place; a note
    /// deleted for good comes back.
    RestoreRevision(RevisionId),
    /// Take an attachment's links out of the open note's text.
    RemoveAttachment(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ContactCommand {
    New,
    Select(ContactId),
    Show(ContactFilter),
    Sort(ContactSortChoice),
    SetFavorite(ContactId, bool),
    AddGroup(String),
    RemoveGroup(String),
    /// Shows the contacts and opens this one (from a person chip on a note, the palette).
    GoTo(ContactId),
    AskEmptyTrash,
    EmptyTrash,
    AskClear,
    Clear,
    /// Looks for likely duplicates across the book, on the list thread.
    FindDuplicates,
    /// Shows two contacts side by side, to merge the second into the first.
    CompareForMerge(ContactId, ContactId),
    /// Keeps the other contact of the pair shown in the merge window instead.
    SwapMergeSides,
    /// Merges the pair shown in the merge window, with the values chosen there.
    Merge,
    /// Undoes the merge just made.
    UndoMerge(Box<crate::db::MergeUndo>),
    /// Removes the open contact's photo.
    RemovePhoto,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ItemCommand {
    Trash(Item),
    /// Restores what was just moved to the trash; it names the version the trash made.
    UndoTrash(Item, Version),
    Restore(Item),
    AskDeletePermanently(Item),
    DeletePermanently(Item),
    /// Shows a note or contact beside its conflict copy (from the conflict notice).
    ShowConflict(Conflict),
}

#[derive(Debug, Clone, PartialEq)]
pub enum FileCommand {
    ShowDialog(DialogKind),
    /// Export only the notes or contacts of the list as shown (its filter and search).
    ExportShown(DialogKind),
    /// Export only the open note.
    ExportOpenNote(DialogKind),
    /// Ask where a copy of this attachment goes, offering its name.
    SaveAttachment {
        uuid: String,
        name: String,
    },
    /// Ask which files to attach to the open note.
    AttachToOpenNote,
    /// Ask where the SQL console's answer goes as CSV.
    ExportSqlAnswer,
    /// Import the CSV file whose columns the user has just mapped.
    ImportMappedCsv,
    CancelCsvMapping,
    OpenRecent(PathBuf),
    Quit,
    /// The unsaved-edit dialog's answers: try saving again, save the text to a file, or
    /// throw it away (after a confirmation) and go on leaving.
    RetryLeaving,
    SaveUnsavedAs,
    DiscardUnsaved,
    StayWithUnsaved,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ViewCommand {
    OpenPalette,
    ClosePalette,
    Theme(ThemeChoice),
    /// The next theme: system, light, dark, and round again.
    SwitchTheme,
    MoveSelection(isize),
    FocusEditor,
    FocusSearch,
    ClearSearch,
    ShowShortcuts,
    ShowAbout,
    /// The country phone numbers without `+` are read in (`None`: the locale's).
    PhoneRegion(Option<String>),
    /// View → SQL console: open it on the open database.
    ShowSqlConsole,
    CloseSqlConsole,
    /// Answer the question written in the console.
    RunSql,
    CancelSql,
    /// Put the console's answer on the clipboard, tab-separated.
    CopySqlAnswer,
    /// Note → History…: the open note's revisions, or with no note open, the notes deleted
    /// for good.
    ShowHistory,
    /// History… → a note's revisions (one deleted for good, picked from the list).
    ShowHistoryOf(String),
    /// History… → Deleted notes.
    ShowDeletedNotes,
    SelectRevision(RevisionId),
    CloseHistory,
    /// How long revisions are kept.
    SetHistoryRetention(HistoryRetention),
}

macro_rules! command_from {
    ($($domain:ident => $variant:ident),*) => {$(
        impl From<$domain> for Command {
            fn from(command: $domain) -> Self {
                Command::$variant(command)
            }
        }
    )*};
}

command_from!(
    NoteCommand => Note,
    ContactCommand => Contact,
    ItemCommand => Item,
    FileCommand => File,
    ViewCommand => View
);

/// Where views put what the user did; the app applies it after the frame is drawn.
#[derive(Debug, Default)]
pub struct Commands(Vec<Command>);

impl Commands {
    pub fn push(&mut self, command: impl Into<Command>) {
        self.0.push(command.into());
    }

    pub fn take(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.0)
    }
}
