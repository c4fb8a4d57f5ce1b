//! The frame around the lists: the menu bar with the search box, the sidebar, the status bar,
//! and what shows before a database is open. The menus come from the action table.

use egui::{Align, Id, Layout, RichText, ScrollArea, TextEdit, Ui, vec2};

use crate::db::{ContactFilter, NoteFilter};
use crate::exchange::export::ContactFormat;
use crate::exchange::vcard::CardVersion;
use crate::ui::actions::{self, Menu, Situation};
use crate::ui::command::{
    Commands, ContactCommand, FileCommand, NoteCommand, SEARCH_ID, ViewCommand,
};
use crate::ui::file_dialogs::DialogKind;
use crate::ui::format::{count_of, group, today};
use crate::ui::settings::{ContactSortChoice, Settings, SortChoice, ThemeChoice};
use crate::ui::state::contact_editor::BirthdayInput;
use crate::ui::state::session::{SaveState, Section, Session};

/// The menu bar, with "New" and the search box once a database is open.
pub fn top_bar(
    ui: &mut Ui,
    session: Option<&mut Session>,
    settings: &Settings,
    situation: &Situation,
    commands: &mut Commands,
) {
    egui::Panel::top("top-bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            file_menu(ui, session.as_deref(), settings, situation, commands);
            // Stays open on a click inside: it holds a text field (the phone region).
            let stays_open = egui::containers::menu::MenuConfig::new()
                .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
            egui::containers::menu::MenuButton::new("View")
                .config(stays_open)
                .ui(ui, |ui| view_menu(ui, settings, situation, commands));
            ui.menu_button("Note", |ui| {
                action_entries(ui, Menu::Note, situation, commands)
            });
            ui.menu_button("Contacts", |ui| {
                action_entries(ui, Menu::Contacts, situation, commands)
            });
            ui.menu_button("Go", |ui| action_entries(ui, Menu::Go, situation, commands));
            ui.menu_button("Help", |ui| {
                action_entries(ui, Menu::Help, situation, commands)
            });
            ui.separator();
            if let Some(session) = session {
                new_and_search(ui, session, commands);
            }
        });
    });
}

/// The entries of `menu` from the action table, each with its shortcut, greyed out when it
/// needs a database and none is open.
fn action_entries(ui: &mut Ui, menu: Menu, situation: &Situation, commands: &mut Commands) {
    for action in actions::in_menu(menu) {
        action_entry(ui, action, situation, commands);
    }
}

fn new_and_search(ui: &mut Ui, session: &mut Session, commands: &mut Commands) {
    let shortcut = ui.ctx().format_shortcut(&actions::NEW);
    let find = ui.ctx().format_shortcut(&egui::KeyboardShortcut::new(
        egui::Modifiers::COMMAND,
        egui::Key::F,
    ));
    let (new_label, hint) = match session.section {
        Section::Notes => (
            format!("New note ({shortcut})"),
            format!("Search notes ({find})"),
        ),
        Section::Contacts => (
            format!("New contact ({shortcut})"),
            format!("Search contacts ({find})"),
        ),
    };
    if ui.button(new_label).clicked() {
        match session.section {
            Section::Notes => commands.push(NoteCommand::New),
            Section::Contacts => commands.push(ContactCommand::New),
        }
    }
    let search = ui
        .add(
            TextEdit::singleline(&mut session.search_text)
                .id(Id::unique(SEARCH_ID))
                .hint_text(hint)
                .desired_width(280.0),
        )
        .accessible_name("Search");
    if search.changed() {
        session.search_edited_at = Some(ui.input(|i| i.time));
    }
    if search.has_focus() {
        session.list_focused = false;
    }
    if !session.search_text.is_empty()
        && ui
            .small_button("×")
            .on_hover_text("Clear the search (Esc)")
            .clicked()
    {
        commands.push(ViewCommand::ClearSearch);
    }
}

fn file_menu(
    ui: &mut Ui,
    session: Option<&Session>,
    settings: &Settings,
    situation: &Situation,
    commands: &mut Commands,
) {
    ui.menu_button("File", |ui| {
        let is_quit = |a: &&actions::Action| a.does == actions::Does::Quit;
        let mut entries = actions::in_menu(Menu::File).filter(|a| !is_quit(a));
        // New and Open, then Open recent, then the rest, with Quit last.
        for action in entries.by_ref().take(2) {
            action_entry(ui, action, situation, commands);
        }
        ui.menu_button("Open recent", |ui| {
            if settings.recent_files.is_empty() {
                ui.label("No recent files");
            }
            for path in &settings.recent_files {
                if ui.button(path.display().to_string()).clicked() {
                    commands.push(FileCommand::OpenRecent(path.clone()));
                }
            }
        });
        ui.separator();
        for action in entries {
            if action.does == actions::Does::Dialog(DialogKind::Backup) {
                ui.add_enabled_ui(situation.has_database, |ui| {
                    ui.menu_button("Export contacts", |ui| {
                        action_entries(ui, Menu::ExportContacts, situation, commands);
                    });
                });
            }
            action_entry(ui, action, situation, commands);
        }
        if let Some(session) = session {
            exports_of_what_is_shown(ui, session, commands);
        }
        ui.separator();
        for action in actions::in_menu(Menu::File).filter(is_quit) {
            action_entry(ui, action, situation, commands);
        }
    });
}

fn action_entry(
    ui: &mut Ui,
    action: &'static actions::Action,
    situation: &Situation,
    commands: &mut Commands,
) {
    let mut button = egui::Button::new(action.label());
    if let Some(key) = action.keys.first() {
        button = button.shortcut_text(ui.ctx().format_shortcut(key));
    }
    let clicked = ui
        .add_enabled(situation.available(action), button)
        .on_hover_text(action.help)
        // Named by its words alone, as a screen reader (and a test) looks for it.
        .accessible_name(action.label())
        .clicked();
    if clicked && let Some(command) = action.command(situation) {
        commands.push(command);
    }
}

/// Exports of the list as shown, when a search or a filter narrows it, and of the open note.
/// Their words name what they export, so they are made here rather than in the table.
fn exports_of_what_is_shown(ui: &mut Ui, session: &Session, commands: &mut Commands) {
    if session.section == Section::Notes
        && (session.list.filter() != NoteFilter::All || !session.list.search().is_empty())
    {
        let shown = count_of(session.list.total().unwrap_or(0), "note");
        ui.separator();
        for (label, kind) in [
            (
                format!("Export the {shown} shown as Markdown…"),
                DialogKind::ExportMarkdown,
            ),
            (
                format!("Export the {shown} shown as HTML…"),
                DialogKind::ExportHtml,
            ),
        ] {
            if ui.button(label).clicked() {
                commands.push(FileCommand::ExportShown(kind));
            }
        }
    }
    if let Some(editor) = session.editor.as_ref()
        && session.section == Section::Notes
    {
        let title = if editor.note.title.trim().is_empty() {
            "Untitled".to_owned()
        } else {
            editor.note.title.trim().to_owned()
        };
        let title: String = if title.chars().count() > 32 {
            title.chars().take(31).chain(['…']).collect()
        } else {
            title
        };
        ui.separator();
        for (label, kind) in [
            (
                format!("Export “{title}” as Markdown…"),
                DialogKind::ExportMarkdown,
            ),
            (format!("Export “{title}” as HTML…"), DialogKind::ExportHtml),
        ] {
            if ui.button(label).clicked() {
                commands.push(FileCommand::ExportOpenNote(kind));
            }
        }
    }
    if session.section == Section::Contacts
        && (session.contacts.filter() != ContactFilter::All
            || !session.contacts.search().is_empty())
    {
        let shown = count_of(session.contacts.total().unwrap_or(0), "contact");
        ui.separator();
        for (label, format) in [
            (
                format!("Export the {shown} shown as vCard…"),
                ContactFormat::VCard(CardVersion::V4),
            ),
            (
                format!("Export the {shown} shown as CSV…"),
                ContactFormat::Csv {
                    excel: false,
                    semicolons: false,
                },
            ),
        ] {
            if ui.button(label).clicked() {
                commands.push(FileCommand::ExportShown(DialogKind::ExportContacts(format)));
            }
        }
    }
}

/// The theme and the sorts, as choices, then the View actions of the table.
fn view_menu(ui: &mut Ui, settings: &Settings, situation: &Situation, commands: &mut Commands) {
    ui.label(RichText::new("Theme").weak());
    for theme in ThemeChoice::ALL {
        if ui.radio(settings.theme == theme, theme.label()).clicked() {
            commands.push(ViewCommand::Theme(theme));
        }
    }
    ui.separator();
    ui.label(RichText::new("Sort notes by").weak());
    for sort in SortChoice::ALL {
        if ui.radio(settings.sort == sort, sort.label()).clicked() {
            commands.push(NoteCommand::Sort(sort));
        }
    }
    ui.separator();
    ui.label(RichText::new("Sort contacts by").weak());
    for sort in ContactSortChoice::ALL {
        if ui
            .radio(settings.contact_sort == sort, sort.label())
            .clicked()
        {
            commands.push(ContactCommand::Sort(sort));
        }
    }
    ui.separator();
    phone_region(ui, settings, commands);
    ui.separator();
    action_entries(ui, Menu::View, situation, commands);
}

/// The country whose national numbers (`06 98 76 54 32`) phone numbers without `+` are read
/// in, for finding duplicates: a two-letter code, or empty for the locale's.
fn phone_region(ui: &mut Ui, settings: &Settings, commands: &mut Commands) {
    ui.label(RichText::new("Phone numbers without + are from").weak());
    let id = Id::unique("phone-region-typed");
    let mut typed = ui.data_mut(|d| {
        d.get_temp_mut_or_insert_with(id, || settings.phone_region.clone().unwrap_or_default())
            .clone()
    });
    let field = ui
        .add(
            TextEdit::singleline(&mut typed)
                .hint_text("your locale's country")
                .char_limit(2)
                .desired_width(160.0),
        )
        .on_hover_text("A two-letter country code, such as FR or DE")
        .accessible_name("Phone region");
    ui.data_mut(|d| d.insert_temp(id, typed.clone()));
    // Taken as soon as it is a whole code (or emptied): a menu closes without a focus change.
    let typed = typed.trim();
    let whole = typed.is_empty() || typed.chars().count() == 2;
    let chosen = (!typed.is_empty()).then(|| typed.to_uppercase());
    if field.changed() && whole && chosen != settings.phone_region {
        commands.push(ViewCommand::PhoneRegion(chosen));
    }
}

pub fn status_bar(ui: &mut Ui, session: Option<&Session>) {
    egui::Panel::bottom("status-bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            let Some(session) = session else {
                ui.label("No database open");
                return;
            };
            let (shown, total, noun) = match session.section {
                Section::Notes => (session.list.total(), session.sidebar.all, "notes"),
                Section::Contacts => (
                    session.contacts.total(),
                    session.sidebar.contacts,
                    "contacts",
                ),
            };
            ui.label(format!(
                "{} of {} {noun}",
                group(shown.unwrap_or(0)),
                group(total)
            ));
            ui.separator();
            ui.label(RichText::new(session.repo.path().display().to_string()).weak());
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                let birthday_invalid = session
                    .contact_editor
                    .as_ref()
                    .is_some_and(|e| e.birthday.parse() == BirthdayInput::Invalid);
                match &session.save_state {
                    _ if birthday_invalid => {
                        ui.colored_label(ui.visuals().warn_fg_color, "Birthday not saved")
                            .on_hover_text(
                                "The birthday fields hold no date yet; everything else is saved.",
                            );
                    }
                    SaveState::Failed(reason) => {
                        ui.colored_label(ui.visuals().error_fg_color, "Not saved")
                            .on_hover_text(reason);
                    }
                    _ if session.unsaved_since().is_some() => {
                        ui.label("Saving…");
                    }
                    _ => {
                        ui.label("Saved");
                    }
                }
            });
        });
    });
}

pub fn sidebar(ui: &mut Ui, session: &Session, commands: &mut Commands) {
    egui::Panel::left("sidebar")
        .resizable(true)
        .default_size(190.0)
        .min_size(140.0)
        .show(ui, |ui| {
            ScrollArea::vertical().show(ui, |ui| {
                let counts = &session.sidebar;
                let notes_shown =
                    (session.section == Section::Notes).then(|| session.list.filter());
                let contacts_shown =
                    (session.section == Section::Contacts).then(|| session.contacts.filter());
                ui.add_space(6.0);
                ui.label(RichText::new("NOTES").small().strong().weak());
                let mut note_entry = |ui: &mut Ui, filter: NoteFilter, label: &str, count: i64| {
                    if sidebar_entry(ui, notes_shown == Some(filter), label, count) {
                        commands.push(NoteCommand::Show(filter));
                    }
                };
                note_entry(ui, NoteFilter::All, "All notes", counts.all);
                note_entry(ui, NoteFilter::Pinned, "Pinned", counts.pinned);
                // Above the tags, which can be many, so Trash never needs scrolling to.
                note_entry(ui, NoteFilter::Trash, "Trash", counts.trash);
                ui.add_space(10.0);
                ui.label(RichText::new("CONTACTS").small().strong().weak());
                let shows_birthdays = matches!(
                    contacts_shown,
                    Some(ContactFilter::UpcomingBirthdays { .. })
                );
                let mut contact_entry =
                    |ui: &mut Ui, filter: ContactFilter, label: &str, count: i64| {
                        let selected = match filter {
                            ContactFilter::UpcomingBirthdays { .. } => shows_birthdays,
                            _ => contacts_shown == Some(filter),
                        };
                        if sidebar_entry(ui, selected, label, count) {
                            commands.push(ContactCommand::Show(filter));
                        }
                    };
                contact_entry(ui, ContactFilter::All, "All contacts", counts.contacts);
                contact_entry(ui, ContactFilter::Favorites, "Favourites", counts.favorites);
                contact_entry(
                    ui,
                    ContactFilter::UpcomingBirthdays { today: today() },
                    "Upcoming birthdays",
                    counts.birthdays,
                );
                contact_entry(ui, ContactFilter::Trash, "Trash", counts.contacts_trash);
                if !counts.groups.is_empty() {
                    ui.add_space(6.0);
                    ui.label(RichText::new("GROUPS").small().strong().weak());
                }
                for usage in &counts.groups {
                    contact_entry(
                        ui,
                        ContactFilter::Group(usage.tag.id),
                        &usage.tag.name,
                        usage.contacts,
                    );
                }
                if !counts.tags.is_empty() {
                    ui.add_space(6.0);
                    ui.label(RichText::new("TAGS").small().strong().weak());
                }
                for usage in &counts.tags {
                    if sidebar_entry(
                        ui,
                        notes_shown == Some(NoteFilter::Tag(usage.tag.id)),
                        &format!("# {}", usage.tag.name),
                        usage.notes,
                    ) {
                        commands.push(NoteCommand::Show(NoteFilter::Tag(usage.tag.id)));
                    }
                }
            });
        });
}

/// One line of the sidebar: a label and a count. Returns whether it was clicked to show.
fn sidebar_entry(ui: &mut Ui, selected: bool, label: &str, count: i64) -> bool {
    let response = ui.add_sized(
        vec2(ui.available_width(), 22.0),
        egui::Button::selectable(selected, label).right_text(RichText::new(group(count)).weak()),
    );
    response.clicked() && !selected
}

/// Before a database is open: "Opening your notes…", or, when opening failed, the ways to
/// another one.
pub fn no_database(ui: &mut Ui, opening: bool, commands: &mut Commands) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.add_space(80.0);
        ui.vertical_centered(|ui| {
            if opening {
                ui.spinner();
                ui.label("Opening your notes…");
            } else {
                ui.label(RichText::new("No database is open").heading());
                ui.add_space(8.0);
                if ui.button("Open database…").clicked() {
                    commands.push(FileCommand::ShowDialog(DialogKind::OpenDatabase));
                }
                if ui.button("New database…").clicked() {
                    commands.push(FileCommand::ShowDialog(DialogKind::NewDatabase));
                }
            }
        });
    });
}
