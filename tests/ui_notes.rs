//! The notes window, driven as a user would: find widgets by their labels, click, type, and
//! check the database or the screen.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_support;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use folio::db::{NoteFilter, NoteQuery, Repository};
use ui_support::{App, note};

fn titles_in_db(repo: &mut Repository, filter: NoteFilter) -> Vec<String> {
    let mut titles: Vec<String> = repo
        .list_notes(&NoteQuery {
            filter,
            ..NoteQuery::default()
        })
        .unwrap()
        .items
        .into_iter()
        .map(|n| n.title)
        .collect();
    titles.sort();
    titles
}

#[test]
fn a_new_note_typed_and_autosaved_is_there_after_reopening() {
    let mut app = App::start(|_| {});
    assert!(app.harness.query_by_label("No notes yet").is_some());

    app.press(Modifiers::COMMAND, Key::N);
    // The new note's title field has the focus: typing goes straight into it.
    app.harness.get_by_label("Title").type_text("Groceries");
    app.settle();
    app.type_into("Body", "milk\neggs");

    let saved = app
        .repo()
        .note(app.repo().list_notes(&NoteQuery::default()).unwrap().items[0].id)
        .unwrap();
    assert_eq!(saved.title, "Groceries");
    assert_eq!(saved.body, "milk\neggs");
    assert!(app.harness.query_by_label("Saved").is_some());

    // A second run on the same file shows it.
    let (dir, db) = (app.dir, app.db);
    drop(app.harness);
    let app = App::start_on(dir, db, folio::ui::Settings::default());
    assert_eq!(app.list_titles(), ["Groceries"]);
}

#[test]
fn tags_are_added_removed_and_filter_the_list() {
    let mut app = App::start(|repo| {
        note(repo, "Plan", "for work");
        note(repo, "Recipe", "for home");
    });
    app.click("Plan");
    app.type_into("Add tag", "work");
    app.press(Modifiers::NONE, Key::Enter);
    app.type_into("Add tag", "urgent");
    app.press(Modifiers::NONE, Key::Enter);
    let mut repo = app.repo();
    let plan = repo
        .list_notes(&NoteQuery {
            search: "plan".into(),
            ..NoteQuery::default()
        })
        .unwrap()
        .items
        .remove(0);
    let names: Vec<String> = repo
        .note(plan.id)
        .unwrap()
        .tags
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["urgent", "work"]);

    app.click("# urgent  ×");
    let names: Vec<String> = repo
        .note(plan.id)
        .unwrap()
        .tags
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["work"]);

    // The sidebar lists the tag; clicking it shows only its notes.
    assert_eq!(app.list_titles().len(), 2);
    app.harness.get_by_label_contains("# work 1").click();
    app.settle();
    assert_eq!(app.list_titles(), ["Plan"]);
}

#[test]
fn pinning_moves_a_note_to_the_top() {
    let mut app = App::start(|repo| {
        note(repo, "Oldest", "");
        note(repo, "Middle", "");
        note(repo, "Newest", "");
    });
    assert_eq!(app.list_titles(), ["Newest", "Middle", "Oldest"]);
    app.click("Oldest");
    app.click("Pin");
    assert_eq!(app.list_titles(), ["Oldest", "Newest", "Middle"]);
    app.click("Unpin");
    assert_eq!(app.list_titles(), ["Newest", "Middle", "Oldest"]);
}

#[test]
fn delete_goes_to_trash_and_undo_brings_it_back() {
    let mut app = App::start(|repo| {
        note(repo, "Keep me", "");
        note(repo, "Other", "");
    });
    app.click("Keep me");
    app.press(Modifiers::NONE, Key::Delete);
    assert_eq!(app.list_titles(), ["Other"]);
    assert_eq!(
        titles_in_db(&mut app.repo(), NoteFilter::Trash),
        ["Keep me"]
    );
    assert!(app.harness.query_by_label("Note moved to Trash.").is_some());

    app.click("Undo");
    assert_eq!(
        titles_in_db(&mut app.repo(), NoteFilter::Trash),
        Vec::<String>::new()
    );
    // Back in its place: the list is by last edit, and trashing is not an edit.
    assert_eq!(app.list_titles(), ["Other", "Keep me"]);
}

#[test]
fn typing_delete_in_the_editor_never_deletes_the_note() {
    let mut app = App::start(|repo| {
        note(repo, "Draft", "abc");
    });
    app.click("Draft");
    app.harness.get_by_label("Body").click();
    app.harness.step();
    app.press(Modifiers::NONE, Key::Delete);
    app.press(Modifiers::NONE, Key::Backspace);
    assert_eq!(titles_in_db(&mut app.repo(), NoteFilter::All), ["Draft"]);
}

#[test]
fn a_trashed_note_is_restored_or_deleted_for_good() {
    let mut app = App::start(|repo| {
        note(repo, "First", "");
        note(repo, "Second", "");
    });
    // Ctrl+Delete works from the editor too.
    app.click("First");
    app.harness.get_by_label("Body").click();
    app.press(Modifiers::COMMAND, Key::Delete);
    app.click("Second");
    app.click("Move to Trash");
    assert_eq!(
        titles_in_db(&mut app.repo(), NoteFilter::Trash),
        ["First", "Second"]
    );

    app.harness.get_by_label_contains("Trash 2").click();
    app.settle();
    app.click("First");
    assert!(
        app.harness
            .query_by_label_contains("This note is in the Trash")
            .is_some()
    );
    app.click("Restore");
    assert_eq!(titles_in_db(&mut app.repo(), NoteFilter::All), ["First"]);

    app.click("Second");
    app.click("Delete permanently…");
    // Nothing happens until the confirmation is answered.
    assert_eq!(titles_in_db(&mut app.repo(), NoteFilter::Trash), ["Second"]);
    app.click("Delete permanently");
    assert_eq!(
        titles_in_db(&mut app.repo(), NoteFilter::Trash),
        Vec::<String>::new()
    );
    assert_eq!(titles_in_db(&mut app.repo(), NoteFilter::All), ["First"]);
    assert!(app.harness.query_by_label("Trash is empty").is_some());
}

#[test]
fn emptying_the_trash_asks_first() {
    let mut app = App::start(|repo| {
        for title in ["A", "B", "C"] {
            let id = note(repo, title, "");
            let version = repo.note(id).unwrap().version;
            repo.trash_note(id, version).unwrap();
        }
    });
    app.harness.get_by_label_contains("Trash 3").click();
    app.settle();
    app.click("Empty trash…");
    assert!(
        app.harness
            .query_by_label("Delete the 3 notes in the Trash permanently?")
            .is_some()
    );
    app.click("Cancel");
    assert_eq!(titles_in_db(&mut app.repo(), NoteFilter::Trash).len(), 3);
    app.click("Empty trash…");
    app.click("Empty trash");
    assert_eq!(titles_in_db(&mut app.repo(), NoteFilter::Trash).len(), 0);
}

#[test]
fn typing_in_search_filters_the_list_and_escape_clears_it() {
    let mut app = App::start(|repo| {
        note(repo, "Zürich trip", "train at nine");
        note(repo, "Café list", "Flat white");
        note(repo, "Groceries", "milk");
    });
    assert_eq!(app.list_titles().len(), 3);
    app.press(Modifiers::COMMAND, Key::F);
    app.harness.get_by_label("Search").type_text("ZUR");
    app.settle();
    assert_eq!(app.list_titles(), ["Zürich trip"]);
    assert!(app.harness.query_by_label("1 of 3 notes").is_some());

    app.press(Modifiers::NONE, Key::Escape);
    assert_eq!(app.list_titles().len(), 3);

    app.type_into("Search", "cafe white");
    assert_eq!(app.list_titles(), ["Café list"]);
    app.type_into("Search", "x");
    assert!(
        app.harness
            .query_by_label_contains("No notes match")
            .is_some()
    );
}

#[test]
fn arrow_keys_move_through_the_list_and_enter_goes_to_the_editor() {
    let mut app = App::start(|repo| {
        note(repo, "Three", "");
        note(repo, "Two", "");
        note(repo, "One", "");
    });
    app.click("One");
    app.press(Modifiers::NONE, Key::ArrowDown);
    assert_eq!(
        app.harness.get_by_label("Title").value().as_deref(),
        Some("Two")
    );
    app.press(Modifiers::NONE, Key::ArrowDown);
    app.press(Modifiers::NONE, Key::ArrowUp);
    assert_eq!(
        app.harness.get_by_label("Title").value().as_deref(),
        Some("Two")
    );
    app.press(Modifiers::NONE, Key::Enter);
    assert!(app.harness.get_by_label("Body").is_focused());
}

#[test]
fn closing_the_window_saves_a_pending_edit() {
    let mut app = App::start(|repo| {
        note(repo, "Letter", "Dear");
    });
    app.click("Letter");
    app.harness.get_by_label("Body").click();
    app.harness.step();
    app.harness.get_by_label("Body").type_text(" friend");
    // One frame only: the autosave pause has not passed.
    app.harness.step();
    let id = app.note_id("Letter");
    assert_eq!(app.repo().note(id).unwrap().body, "Dear");
    app.harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    app.harness.step();
    assert_eq!(app.repo().note(id).unwrap().body, "Dear friend");
}

#[test]
fn a_failing_save_keeps_the_text_says_so_once_and_succeeds_later() {
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, SqliteConnection};

    let mut app = App::start(|repo| {
        note(repo, "Diary", "Day one");
    });
    // Another program makes every note update fail, as a full or failing disk would.
    let mut saboteur = SqliteConnection::establish(app.db.to_str().unwrap()).unwrap();
    saboteur
        .batch_execute(
            "CREATE TRIGGER refuse BEFORE UPDATE ON notes BEGIN SELECT RAISE(ABORT, 'refused'); END;",
        )
        .unwrap();
    app.click("Diary");
    app.harness.get_by_label("Body").click();
    app.harness.step();
    app.harness.get_by_label("Body").type_text(", rain");
    for _ in 0..6 {
        app.harness.step();
    }
    assert!(app.harness.query_by_label("Something went wrong").is_some());
    assert!(app.harness.query_by_label("Not saved").is_some());
    app.harness.get_by_label("OK").click();
    for _ in 0..12 {
        app.harness.step();
    }
    // Retried in the meantime, but the dialog did not come back; the text is still there.
    assert!(app.harness.query_by_label("Something went wrong").is_none());
    assert_eq!(
        app.harness.get_by_label("Body").value().as_deref(),
        Some("Day one, rain")
    );

    saboteur.batch_execute("DROP TRIGGER refuse;").unwrap();
    app.settle();
    assert!(app.harness.query_by_label("Saved").is_some());
    let id = app.note_id("Diary");
    assert_eq!(app.repo().note(id).unwrap().body, "Day one, rain");
}
