//! The action table as a user meets it: Ctrl+K runs actions by name, Ctrl+E previews the note,
//! the shortcuts window lists what the table holds, and the menus show each action's keys.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_support;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use folio::ui::{DialogKind, ThemeChoice};
use ui_support::{App, note};

fn palette(app: &mut App, text: &str) {
    app.press(Modifiers::COMMAND, Key::K);
    app.harness.get_by_label("Go to anything").type_text(text);
    app.settle();
}

#[test]
fn the_palette_runs_an_action_by_the_start_of_its_words() {
    let mut app = App::start(|repo| {
        note(repo, "Groceries", "milk");
    });
    let target = app.path("out.html");
    app.dialogs.answer(Some(target.clone()));
    palette(&mut app, "exp html");
    app.harness.get_by_label("Action: Export notes as HTML…");
    app.press(Modifiers::NONE, Key::Enter);
    assert!(app.dialogs.shown().contains(&DialogKind::ExportHtml));
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("Groceries")
    );
    assert!(
        app.harness.query_by_label("Go to anything").is_none(),
        "the palette closed"
    );
}

#[test]
fn the_palette_switches_the_theme_and_makes_a_contact() {
    let mut app = App::start(|_| {});
    let before = app.harness.state().settings().theme;
    palette(&mut app, "switch");
    app.press(Modifiers::NONE, Key::Enter);
    let after = app.harness.state().settings().theme;
    assert_ne!(after, before);
    assert!(ThemeChoice::ALL.contains(&after));

    palette(&mut app, "new contact");
    app.press(Modifiers::NONE, Key::Enter);
    assert_eq!(app.repo().count_contacts(&Default::default()).unwrap(), 1);
    // The new contact is open, its first name field focused for typing.
    app.harness.get_by_label("First name");
}

#[test]
fn notes_and_contacts_come_before_actions_that_match_too() {
    let mut app = App::start(|repo| {
        note(repo, "Export plans", "");
    });
    palette(&mut app, "export");
    app.press(Modifiers::NONE, Key::Enter);
    assert_eq!(
        app.harness.get_by_label("Title").value().as_deref(),
        Some("Export plans")
    );
    assert!(app.dialogs.shown().is_empty(), "no export was started");
}

#[test]
fn ctrl_e_switches_the_open_note_between_editing_and_preview() {
    let mut app = App::start(|repo| {
        note(repo, "Plan", "# Heading\n\nsome *text*");
    });
    app.click("Plan");
    assert!(app.harness.query_by_label("Body").is_some());
    app.press(Modifiers::COMMAND, Key::E);
    assert!(
        app.harness.query_by_label("Body").is_none(),
        "preview shown"
    );
    app.harness.get_by_label_contains("Heading");
    app.press(Modifiers::COMMAND, Key::E);
    assert!(
        app.harness.query_by_label("Body").is_some(),
        "editing again"
    );
}

#[test]
fn the_shortcuts_window_lists_every_key_of_the_table() {
    let mut app = App::start(|_| {});
    app.press(Modifiers::NONE, Key::F1);
    for help in [
        "Go to any note, contact or action",
        "New note (in Notes)",
        "New contact (in Contacts)",
        "Switch the open note between editing and its preview",
        "Previous / next in the list",
        "Quit",
    ] {
        app.harness.get_by_label(help);
    }
    // The keys in this system's words: Ctrl here (Cmd on macOS).
    app.harness.get_by_label("Ctrl+E");
    app.harness.get_by_label("Up / Down");
}

#[test]
fn menu_entries_are_found_by_their_words_and_run_their_action() {
    let mut app = App::start(|_| {});
    app.click("File");
    // Found by its words alone (its shortcut is drawn beside it, not read out as its name).
    app.harness.get_by_label("Open database…");
    app.harness.get_by_label("Quit");
    app.click("File");
    app.click("View");
    app.click("Switch theme");
    assert_ne!(app.harness.state().settings().theme, ThemeChoice::default());
}
