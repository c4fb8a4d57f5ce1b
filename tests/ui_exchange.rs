//! Import and export from the window: the File menu's dialogs (answered by a script) and
//! files dropped on the window.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_support;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui_kittest::kittest::Queryable;
use folio::ui::{DialogKind, Settings};
use ui_support::{App, Dropped, database, note};

fn folders_in(path: &Path) -> Vec<PathBuf> {
    fs::read_dir(path)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect()
}

fn empty_app() -> App {
    let (dir, db) = database(|_| {});
    App::start_on(dir, db, Settings::default())
}

#[test]
fn notes_exported_from_the_menu_come_back_through_import_a_folder() {
    let mut app = App::start(|repo| {
        note(repo, "Groceries", "milk\neggs");
        note(repo, "../../etc/passwd", "<script>alert(1)</script>");
        note(repo, "Plans", "# Plans\nsummer");
    });
    let target = app.path("exports");
    fs::create_dir(&target).unwrap();
    fs::write(target.join("keep.txt"), "already here").unwrap();
    app.dialogs.answer(Some(target.clone()));
    app.click("File");
    app.click("Export notes as Markdown…");
    assert!(app.dialogs.shown().contains(&DialogKind::ExportMarkdown));
    // A new folder inside the chosen one; what was there is untouched.
    let made = folders_in(&target);
    assert_eq!(made.len(), 1, "{made:?}");
    assert_eq!(fs::read(target.join("keep.txt")).unwrap(), b"already here");
    assert_eq!(fs::read_dir(&made[0]).unwrap().count(), 3);
    app.harness.get_by_label_contains("Exported 3 notes");

    let mut other = empty_app();
    other.dialogs.answer(Some(made[0].clone()));
    other.click("File");
    other.click("Import a folder…");
    let mut titles = other.list_titles();
    titles.sort();
    assert_eq!(titles, ["../../etc/passwd", "Groceries", "Plans"]);
    other.harness.get_by_label_contains("Imported 3 notes");
}

#[test]
fn a_backup_from_the_menu_restores_everything_once() {
    let mut app = App::start(|repo| {
        note(repo, "Kept", "body");
    });
    let file = app.path("backup.json");
    // The save dialog asked before replacing this file.
    fs::write(&file, "old").unwrap();
    app.dialogs.answer(Some(file.clone()));
    app.click("File");
    app.click("Back up everything…");
    assert!(fs::read_to_string(&file).unwrap().contains("folio-backup"));

    let mut other = empty_app();
    for _ in 0..2 {
        other.dialogs.answer_many(vec![file.clone()]);
        other.click("File");
        other.click("Import…");
    }
    assert_eq!(other.list_titles(), ["Kept"], "imported once");
}

#[test]
fn files_dropped_on_the_window_are_imported_and_odd_ones_reported() {
    let mut app = empty_app();
    let good = app.path("Dropped note.md");
    fs::write(&good, "just text, no front matter").unwrap();
    let binary = app.path("picture.md");
    fs::write(&binary, b"\x00\x01\x02").unwrap();
    app.harness.input_mut().dropped_files = vec![
        Arc::new(Dropped(good)) as Arc<dyn egui::DroppedFile + Send + Sync>,
        Arc::new(Dropped(binary)),
    ];
    app.settle();
    assert_eq!(app.list_titles(), ["Dropped note"]);
    app.harness.get_by_label("Import report");
    app.harness.get_by_label_contains("the file is not text");
}

#[test]
fn a_backup_from_a_newer_folio_is_skipped_with_its_reason_and_the_rest_imported() {
    let mut app = App::start(|repo| {
        note(repo, "Before", "");
    });
    let newer = app.path("newer.json");
    fs::write(&newer, br#"{"format": "folio-backup", "version": 99}"#).unwrap();
    let good = app.path("After.md");
    fs::write(&good, "text").unwrap();
    app.dialogs.answer_many(vec![newer, good]);
    app.click("File");
    app.click("Import…");
    let mut titles = app.list_titles();
    titles.sort();
    assert_eq!(titles, ["After", "Before"]);
    app.harness.get_by_label("Import report");
    app.harness.get_by_label_contains("newer Folio");
}

#[test]
fn notes_exported_as_html_from_the_menu_are_one_safe_page() {
    let mut app = App::start(|repo| {
        note(repo, "Script", "<script>alert(1)</script>");
        note(repo, "Plain", "**bold**");
    });
    let file = app.path("notes.html");
    app.dialogs.answer(Some(file.clone()));
    app.click("File");
    app.click("Export notes as HTML…");
    let html = fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<strong>bold</strong>"));
    assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
    app.harness.get_by_label_contains("Exported 2 notes");
}

#[test]
fn the_open_note_shows_what_an_import_brought() {
    let mut app = App::start(|repo| {
        note(repo, "Draft", "first version");
    });
    app.click("Draft");
    let uuid = app.repo().note(app.note_id("Draft")).unwrap().uuid;
    let file = app.path("newer.md");
    // Saved elsewhere a moment after the note was (a date far in the future would be a wrong
    // clock, which is not trusted to win).
    let later = chrono::Utc::now() + chrono::Duration::seconds(2);
    fs::write(
        &file,
        format!(
            "---\ntitle: Draft\nupdated: {}\nuuid: {uuid}\n---\n\nsecond version",
            later.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        ),
    )
    .unwrap();
    app.dialogs.answer_many(vec![file]);
    app.click("File");
    app.click("Import…");
    assert_eq!(
        app.harness.get_by_label("Body").value().as_deref(),
        Some("second version")
    );
}

#[test]
fn only_the_notes_of_a_search_are_exported_when_asked() {
    let mut app = App::start(|repo| {
        note(repo, "Groceries", "milk");
        note(repo, "Grocery budget", "");
        note(repo, "Plans", "summer");
    });
    app.type_into("Search", "grocer");
    let target = app.path("exports");
    fs::create_dir(&target).unwrap();
    app.dialogs.answer(Some(target.clone()));
    app.click("File");
    app.click("Export the 2 notes shown as Markdown…");
    let made = folders_in(&target);
    let mut names: Vec<String> = fs::read_dir(&made[0])
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["Groceries.md", "Grocery budget.md"]);

    // Cancelled, then everything: the cancelled choice does not narrow the next export.
    app.dialogs.answer(None);
    app.click("File");
    app.click("Export the 2 notes shown as HTML…");
    let all = app.path("all.html");
    app.dialogs.answer(Some(all.clone()));
    app.click("File");
    app.click("Export notes as HTML…");
    assert!(fs::read_to_string(&all).unwrap().contains("Plans"));
}

#[test]
fn the_open_note_alone_is_exported_when_asked() {
    let mut app = App::start(|repo| {
        note(repo, "Groceries", "milk");
        note(repo, "Plans", "summer <script>x</script>");
    });
    app.harness
        .get_by_role_and_label(egui::accesskit::Role::ListBoxOption, "Plans")
        .click();
    app.settle();
    let file = app.path("plans.html");
    app.dialogs.answer(Some(file.clone()));
    app.click("File");
    app.click("Export “Plans” as HTML…");
    app.harness.get_by_label_contains("Exported 1 note");
    let html = fs::read_to_string(&file).unwrap();
    assert!(html.contains("Plans") && !html.contains("Groceries"));
    assert!(!html.contains("<script>"));
}
