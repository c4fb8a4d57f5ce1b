//! Every action the user can take by name: one table that the menus, the key handler, the
//! keyboard shortcuts window and the Ctrl+K palette are all built from. Adding an action is an
//! entry here and, if it needs one, a command for `apply`.
//!
//! Shortcuts are written with [`Modifiers::COMMAND`]: Cmd on macOS, Ctrl elsewhere, and egui
//! names them the same way (`Context::format_shortcut`).

use egui::{Key, KeyboardShortcut, Modifiers};

use super::command::{
    Command, ContactCommand, FileCommand, Item, ItemCommand, NoteCommand, ViewCommand,
};
use super::file_dialogs::DialogKind;
use super::state::session::Section;
use crate::db::{ContactFilter, NoteFilter};
use crate::exchange::export::ContactFormat;
use crate::exchange::vcard::CardVersion;

/// The menu an action is listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Menu {
    File,
    Note,
    /// File → Export contacts.
    ExportContacts,
    View,
    Contacts,
    Go,
    Help,
}

/// When an action's keys act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Always, even while a dialog is up.
    Always,
    /// Unless a dialog or the palette is up.
    NoDialog,
    /// In the notes (or before a database is open), no dialog up.
    InNotes,
    InContacts,
    /// A note or contact is selected, no dialog up.
    Selected,
    /// A note or contact is selected and the list has the keyboard.
    ListSelected,
    /// Not typing in a text field, or typing in the search box.
    Browsing,
    /// From the list or the search box, with a note or contact selected.
    IntoEditor,
}

/// What an action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Does {
    Dialog(DialogKind),
    NewNote,
    NewContact,
    FocusSearch,
    ClearSearch,
    GoToAnything,
    MoveSelection(isize),
    FocusEditor,
    TrashSelected,
    TogglePreview,
    ShowNotes,
    ShowContacts,
    FindDuplicates,
    AttachFile,
    ShowHistory,
    ShowSqlConsole,
    SwitchTheme,
    ShowShortcuts,
    ShowAbout,
    Quit,
}

pub struct Action {
    /// What the palette and the shortcuts window call it.
    pub name: &'static str,
    /// The menu entry's words, when the menu says it shorter (in a submenu).
    pub menu_label: Option<&'static str>,
    pub menu: Option<Menu>,
    /// The first is shown beside the menu entry.
    pub keys: &'static [KeyboardShortcut],
    /// Keys the shortcuts window names in words (no [`KeyboardShortcut`] for "Up / Down").
    pub keys_in_words: Option<&'static str>,
    pub when: When,
    /// A line for the shortcuts window, or the menu entry's tooltip.
    pub help: &'static str,
    pub in_palette: bool,
    /// Needs an open database (greyed out in menus, left out of the palette without one).
    pub needs_database: bool,
    pub does: Does,
}

const fn command_key(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

const fn plain_key(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}

pub const NEW: KeyboardShortcut = command_key(Key::N);
pub const GO_TO: KeyboardShortcut = command_key(Key::K);

const fn action(name: &'static str, does: Does) -> Action {
    Action {
        name,
        menu_label: None,
        menu: None,
        keys: &[],
        keys_in_words: None,
        when: When::NoDialog,
        help: "",
        in_palette: true,
        needs_database: false,
        does,
    }
}

/// Every action, in the order the menus and the shortcuts window list them. Keys are tried
/// in this order too: the first action whose key was pressed and whose `when` holds takes it.
pub const ACTIONS: &[Action] = &[
    Action {
        keys: &[command_key(Key::Q)],
        when: When::Always,
        menu: Some(Menu::File),
        help: "Quit",
        ..action("Quit", Does::Quit)
    },
    Action {
        keys: &[GO_TO],
        menu: Some(Menu::Go),
        help: "Go to any note, contact or action",
        needs_database: true,
        in_palette: false,
        ..action("Go to anything…", Does::GoToAnything)
    },
    Action {
        keys: &[NEW],
        when: When::InNotes,
        help: "New note (in Notes)",
        needs_database: true,
        ..action("New note", Does::NewNote)
    },
    Action {
        keys: &[NEW],
        when: When::InContacts,
        help: "New contact (in Contacts)",
        needs_database: true,
        ..action("New contact", Does::NewContact)
    },
    Action {
        keys: &[command_key(Key::F)],
        help: "Search the list shown",
        needs_database: true,
        ..action("Search", Does::FocusSearch)
    },
    Action {
        keys: &[plain_key(Key::Escape)],
        when: When::Browsing,
        help: "Clear the search",
        needs_database: true,
        in_palette: false,
        ..action("Clear the search", Does::ClearSearch)
    },
    Action {
        keys: &[plain_key(Key::ArrowUp)],
        keys_in_words: Some("Up / Down"),
        when: When::Browsing,
        help: "Previous / next in the list",
        in_palette: false,
        ..action("Previous in the list", Does::MoveSelection(-1))
    },
    Action {
        keys: &[plain_key(Key::ArrowDown)],
        keys_in_words: Some(""),
        when: When::Browsing,
        in_palette: false,
        ..action("Next in the list", Does::MoveSelection(1))
    },
    Action {
        keys: &[plain_key(Key::Enter), plain_key(Key::Tab)],
        keys_in_words: Some("Enter or Tab"),
        when: When::IntoEditor,
        help: "From the list into the editor",
        in_palette: false,
        ..action("Edit the selected", Does::FocusEditor)
    },
    // Consumed before the text fields see it, so Ctrl+Delete in the editor trashes the note
    // rather than deleting a word; plain Delete only acts on the list.
    Action {
        keys: &[command_key(Key::Delete)],
        when: When::Selected,
        help: "Move the open note or contact to Trash, from anywhere",
        needs_database: true,
        ..action("Move to Trash", Does::TrashSelected)
    },
    Action {
        keys: &[plain_key(Key::Delete)],
        when: When::ListSelected,
        help: "Move the selected note or contact to Trash (when the list has focus)",
        in_palette: false,
        ..action("Move the selected to Trash", Does::TrashSelected)
    },
    Action {
        keys: &[command_key(Key::E)],
        menu: Some(Menu::View),
        help: "Switch the open note between editing and its preview",
        needs_database: true,
        ..action("Preview or edit the note", Does::TogglePreview)
    },
    Action {
        menu: Some(Menu::File),
        help: "Make a new, empty database file and show it",
        ..action("New database…", Does::Dialog(DialogKind::NewDatabase))
    },
    Action {
        keys: &[command_key(Key::O)],
        menu: Some(Menu::File),
        help: "Open database",
        ..action("Open database…", Does::Dialog(DialogKind::OpenDatabase))
    },
    Action {
        menu: Some(Menu::File),
        help: "Notes (.md, .txt), contacts (.vcf, .csv) and Folio backups (.json). You can \
               also drop them on the window.",
        needs_database: true,
        ..action("Import…", Does::Dialog(DialogKind::ImportFiles))
    },
    Action {
        menu: Some(Menu::File),
        help: "Every note, vCard and CSV file in it",
        needs_database: true,
        ..action("Import a folder…", Does::Dialog(DialogKind::ImportFolder))
    },
    Action {
        menu: Some(Menu::File),
        help: "A new folder with one .md file per note",
        needs_database: true,
        ..action(
            "Export notes as Markdown…",
            Does::Dialog(DialogKind::ExportMarkdown),
        )
    },
    Action {
        menu: Some(Menu::File),
        help: "One web page with every note, for reading or printing",
        needs_database: true,
        ..action(
            "Export notes as HTML…",
            Does::Dialog(DialogKind::ExportHtml),
        )
    },
    Action {
        menu: Some(Menu::ExportContacts),
        menu_label: Some("as vCard 4.0…"),
        help: "One .vcf file (RFC 6350), for current address books",
        needs_database: true,
        ..action(
            "Export contacts as vCard 4.0…",
            Does::Dialog(DialogKind::ExportContacts(ContactFormat::VCard(
                CardVersion::V4,
            ))),
        )
    },
    Action {
        menu: Some(Menu::ExportContacts),
        menu_label: Some("as vCard 3.0…"),
        help: "One .vcf file (RFC 2426), for older phones and address books",
        needs_database: true,
        ..action(
            "Export contacts as vCard 3.0…",
            Does::Dialog(DialogKind::ExportContacts(ContactFormat::VCard(
                CardVersion::V3,
            ))),
        )
    },
    Action {
        menu: Some(Menu::ExportContacts),
        menu_label: Some("as CSV…"),
        help: "Google Contacts' columns, which Google and Outlook import",
        needs_database: true,
        ..action(
            "Export contacts as CSV…",
            Does::Dialog(DialogKind::ExportContacts(ContactFormat::Csv {
                excel: false,
                semicolons: false,
            })),
        )
    },
    Action {
        menu: Some(Menu::ExportContacts),
        menu_label: Some("as CSV for Excel…"),
        help: "The same, marked as UTF-8 so Excel shows accents right",
        needs_database: true,
        ..action(
            "Export contacts as CSV for Excel…",
            Does::Dialog(DialogKind::ExportContacts(ContactFormat::Csv {
                excel: true,
                semicolons: false,
            })),
        )
    },
    Action {
        menu: Some(Menu::ExportContacts),
        menu_label: Some("as CSV for Excel, with semicolons…"),
        help: "For Excel where the comma is the decimal mark (French, German, Italian…)",
        needs_database: true,
        ..action(
            "Export contacts as CSV for Excel, with semicolons…",
            Does::Dialog(DialogKind::ExportContacts(ContactFormat::Csv {
                excel: true,
                semicolons: true,
            })),
        )
    },
    Action {
        menu: Some(Menu::File),
        help: "Notes, contacts, tags and links, as JSON",
        needs_database: true,
        ..action("Back up everything…", Does::Dialog(DialogKind::Backup))
    },
    Action {
        menu: Some(Menu::File),
        help: "The same, with every note's earlier versions (History…)",
        needs_database: true,
        ..action(
            "Back up everything with history…",
            Does::Dialog(DialogKind::BackupWithHistory),
        )
    },
    Action {
        menu: Some(Menu::View),
        help: "System, light or dark, in turn",
        ..action("Switch theme", Does::SwitchTheme)
    },
    Action {
        menu: Some(Menu::Go),
        menu_label: Some("Notes"),
        help: "All notes",
        needs_database: true,
        ..action("Show notes", Does::ShowNotes)
    },
    Action {
        menu: Some(Menu::Go),
        menu_label: Some("Contacts"),
        help: "All contacts",
        needs_database: true,
        ..action("Show contacts", Does::ShowContacts)
    },
    Action {
        menu: Some(Menu::View),
        help: "Ask your data a question in SQL, read-only: nothing typed there can change it",
        needs_database: true,
        ..action("SQL console…", Does::ShowSqlConsole)
    },
    Action {
        menu: Some(Menu::Note),
        help: "Attach pictures or files to the open note, where the cursor is",
        needs_database: true,
        ..action("Attach file…", Does::AttachFile)
    },
    Action {
        menu: Some(Menu::Note),
        help: "Earlier versions of the open note, to compare and restore, and notes deleted \
               for good",
        needs_database: true,
        ..action("History…", Does::ShowHistory)
    },
    Action {
        menu: Some(Menu::Contacts),
        help: "Contacts that are likely one person, to merge",
        needs_database: true,
        ..action("Find duplicates…", Does::FindDuplicates)
    },
    Action {
        keys: &[plain_key(Key::F1)],
        menu: Some(Menu::Help),
        help: "This list",
        ..action("Keyboard shortcuts", Does::ShowShortcuts)
    },
    Action {
        menu: Some(Menu::Help),
        help: "The version, and where the database and the log are",
        ..action("About Folio", Does::ShowAbout)
    },
];

/// What decides whether an action applies now.
#[derive(Debug, Clone, Copy, Default)]
pub struct Situation {
    pub has_database: bool,
    pub section: Option<Section>,
    /// The note or contact selected in the list shown.
    pub selected: Option<Item>,
    /// A dialog or the palette is up.
    pub dialog: bool,
    /// A text field has the keyboard.
    pub typing: bool,
    pub search_focused: bool,
    pub list_focused: bool,
}

impl Situation {
    /// Whether the action's keys act now.
    pub fn keys_act(&self, action: &Action) -> bool {
        if action.when != When::Always && self.dialog {
            return false;
        }
        let notes = self.section != Some(Section::Contacts);
        match action.when {
            When::Always | When::NoDialog => true,
            When::InNotes => notes,
            When::InContacts => !notes,
            When::Selected => self.selected.is_some(),
            When::ListSelected => self.selected.is_some() && self.list_focused && !self.typing,
            When::Browsing => !self.typing || self.search_focused,
            When::IntoEditor => {
                self.selected.is_some()
                    && ((self.list_focused && !self.typing) || self.search_focused)
            }
        }
    }

    /// Whether the action can be taken now (from a menu or the palette).
    pub fn available(&self, action: &Action) -> bool {
        self.has_database || !action.needs_database
    }
}

impl Action {
    /// The command that carries the action out, if it does anything now.
    pub fn command(&self, situation: &Situation) -> Option<Command> {
        Some(match self.does {
            Does::Dialog(kind) => FileCommand::ShowDialog(kind).into(),
            Does::NewNote => NoteCommand::New.into(),
            Does::NewContact => ContactCommand::New.into(),
            Does::FocusSearch => ViewCommand::FocusSearch.into(),
            Does::ClearSearch => ViewCommand::ClearSearch.into(),
            Does::GoToAnything => ViewCommand::OpenPalette.into(),
            Does::MoveSelection(step) => ViewCommand::MoveSelection(step).into(),
            Does::FocusEditor => ViewCommand::FocusEditor.into(),
            Does::TrashSelected => ItemCommand::Trash(situation.selected?).into(),
            Does::TogglePreview => NoteCommand::TogglePreview.into(),
            Does::ShowNotes => NoteCommand::Show(NoteFilter::All).into(),
            Does::ShowContacts => ContactCommand::Show(ContactFilter::All).into(),
            Does::FindDuplicates => ContactCommand::FindDuplicates.into(),
            Does::AttachFile => FileCommand::AttachToOpenNote.into(),
            Does::ShowSqlConsole => ViewCommand::ShowSqlConsole.into(),
            Does::ShowHistory => ViewCommand::ShowHistory.into(),
            Does::SwitchTheme => ViewCommand::SwitchTheme.into(),
            Does::ShowShortcuts => ViewCommand::ShowShortcuts.into(),
            Does::ShowAbout => ViewCommand::ShowAbout.into(),
            Does::Quit => FileCommand::Quit.into(),
        })
    }

    /// The words of its menu entry.
    pub fn label(&self) -> &'static str {
        self.menu_label.unwrap_or(self.name)
    }
}

/// The actions of one menu, in order.
pub fn in_menu(menu: Menu) -> impl Iterator<Item = &'static Action> {
    ACTIONS.iter().filter(move |a| a.menu == Some(menu))
}

/// Consumes the keys of every action that applies now, in table order, and returns their
/// commands.
pub fn commands_for_keys(input: &mut egui::InputState, situation: &Situation) -> Vec<Command> {
    let mut commands = Vec::new();
    for action in ACTIONS {
        if !situation.keys_act(action) {
            continue;
        }
        let pressed = action.keys.iter().any(|key| {
            // Plain keys are matched exactly: Shift+Tab or Ctrl+Enter are not Tab or Enter.
            if key.modifiers == Modifiers::NONE {
                input.consume_key(Modifiers::NONE, key.logical_key)
            } else {
                input.consume_shortcut(key)
            }
        });
        if pressed && let Some(command) = action.command(situation) {
            commands.push(command);
        }
    }
    commands
}

/// The rows of the shortcuts window: the keys as this system writes them, and what they do.
pub fn shortcut_rows(format: impl Fn(&KeyboardShortcut) -> String) -> Vec<(String, &'static str)> {
    // Quit is tried first (it works over dialogs) but listed last, as menus list it.
    let (always, others): (Vec<&Action>, Vec<&Action>) =
        ACTIONS.iter().partition(|a| a.when == When::Always);
    others
        .into_iter()
        .chain(always)
        .filter(|a| !a.keys.is_empty() && !a.help.is_empty())
        .filter(|a| a.keys_in_words != Some(""))
        .map(|a| {
            let keys = match a.keys_in_words {
                Some(words) => words.to_owned(),
                None => a.keys.iter().map(&format).collect::<Vec<_>>().join(" or "),
            };
            (keys, a.help)
        })
        .collect()
}

/// The actions the palette offers for what was typed: each word typed starts a word of the
/// action's name ("exp csv" finds "Export contacts as CSV…").
pub fn matching(text: &str, situation: &Situation) -> Vec<&'static Action> {
    let typed: Vec<String> = crate::search::fold(text)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    if typed.is_empty() {
        return Vec::new();
    }
    ACTIONS
        .iter()
        .filter(|a| a.in_palette && situation.available(a))
        .filter(|a| {
            let name = crate::search::fold(a.name);
            let words: Vec<&str> = name
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            typed
                .iter()
                .all(|t| words.iter().any(|w| w.starts_with(t.as_str())))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(name: &str) -> &'static Action {
        ACTIONS
            .iter()
            .find(|a| a.name == name)
            .unwrap_or_else(|| panic!("no action {name}"))
    }

    #[test]
    fn the_palette_finds_actions_by_the_start_of_their_words() {
        let open = Situation {
            has_database: true,
            ..Situation::default()
        };
        let names = |text| -> Vec<&str> { matching(text, &open).iter().map(|a| a.name).collect() };
        assert_eq!(names("exp html"), ["Export notes as HTML…"]);
        assert_eq!(names("new con"), ["New contact"]);
        assert_eq!(names("switch"), ["Switch theme"]);
        assert!(names("ada").is_empty());
        assert!(names("xport").is_empty(), "words match from their start");
        // Without a database only what needs none is offered.
        let closed = Situation::default();
        assert!(matching("new", &closed).iter().all(|a| !a.needs_database));
        assert!(
            matching("new", &closed)
                .iter()
                .any(|a| a.name == "New database…")
        );
    }

    #[test]
    fn ctrl_n_makes_a_note_in_notes_and_a_contact_in_contacts() {
        let notes = Situation {
            has_database: true,
            section: Some(Section::Notes),
            ..Situation::default()
        };
        let contacts = Situation {
            section: Some(Section::Contacts),
            ..notes
        };
        let taking = |situation: &Situation| -> Vec<&str> {
            ACTIONS
                .iter()
                .filter(|a| a.keys.contains(&NEW) && situation.keys_act(a))
                .map(|a| a.name)
                .collect()
        };
        assert_eq!(taking(&notes), ["New note"]);
        assert_eq!(taking(&contacts), ["New contact"]);
        let dialog = Situation {
            dialog: true,
            ..notes
        };
        assert!(taking(&dialog).is_empty());
        assert!(dialog.keys_act(find("Quit")), "Quit works over a dialog");
    }

    #[test]
    fn every_key_belongs_to_one_action_at_a_time() {
        // Two actions on one key must never apply together, or one press would do both.
        let situations = [Section::Notes, Section::Contacts]
            .into_iter()
            .flat_map(|section| {
                [false, true].into_iter().flat_map(move |typing| {
                    [false, true]
                        .into_iter()
                        .map(move |list_focused| Situation {
                            has_database: true,
                            section: Some(section),
                            selected: Some(Item::Note(crate::db::NoteId(1))),
                            typing,
                            list_focused,
                            ..Situation::default()
                        })
                })
            });
        for situation in situations {
            for (i, a) in ACTIONS.iter().enumerate() {
                for b in &ACTIONS[i + 1..] {
                    let shared = a.keys.iter().any(|k| b.keys.contains(k));
                    assert!(
                        !(shared && situation.keys_act(a) && situation.keys_act(b)),
                        "{} and {} in {situation:?}",
                        a.name,
                        b.name
                    );
                }
            }
        }
    }

    #[test]
    fn the_shortcuts_window_lists_each_key_once_in_the_systems_words() {
        let rows = shortcut_rows(|k| format!("{:?}+{:?}", k.modifiers, k.logical_key));
        assert!(
            rows.iter()
                .any(|(keys, help)| keys == "Up / Down" && *help == "Previous / next in the list")
        );
        assert!(rows.iter().any(|(_, help)| *help == "Quit"));
        assert_eq!(rows.iter().filter(|(keys, _)| keys.is_empty()).count(), 0);
    }
}
