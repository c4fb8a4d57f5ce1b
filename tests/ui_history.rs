//! Note → History… (issue 18, part 1): coming back to a note keeps the text it had, the
//! window lists it beside the text now with the changes marked, and Restore puts it back in
//! place; a note deleted for good is listed under Deleted notes and comes back.

// A test fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_support;

use egui::Key;
use egui_kittest::kittest::{NodeT, Queryable};
use ui_support::{App, body_on_screen, note};

fn type_at_end_of_body(app: &mut App, text: &str) {
    app.harness.get_by_label("Body").click();
    app.harness.step();
    app.harness.key_press(Key::End);
    app.harness.get_by_label("Body").type_text(text);
    app.settle();
}

fn open_history(app: &mut App) {
    app.click("Note");
    app.click("History…");
}

#[test]
fn a_version_from_an_earlier_session_is_compared_and_restored_in_place() {
    let mut app = App::start(|repo| {
        note(repo, "Other", "something else");
        note(repo, "Recipe", "two eggs");
    });
    let id = app.note_id("Recipe");
    let uuid = app.repo().note(id).unwrap().uuid;
    app.click("Recipe");
    type_at_end_of_body(&mut app, " and flour");
    type_at_end_of_body(&mut app, " and sugar");
    // One session: the text it started from is kept once.
    assert_eq!(app.repo().note_revisions(&uuid).unwrap().len(), 1);
    // Leaving the note ends the session; the next one keeps where this one ended.
    app.click("Other");
    app.click("Recipe");
    type_at_end_of_body(&mut app, " and milk");
    let kept: Vec<String> = app
        .repo()
        .note_revisions_with_text(&uuid)
        .unwrap()
        .into_iter()
        .map(|r| r.body)
        .collect();
    assert_eq!(kept, ["two eggs and flour and sugar", "two eggs"]);

    open_history(&mut app);
    app.harness
        .get_by_label_contains("2 versions, newest first");
    // The newest is selected and compared with the text now.
    app.harness.get_by_label("This version");
    app.harness.get_by_label("Now");
    app.harness
        .get_by_label_contains("1 line in this version only, 1 line now only");
    app.click("Restore this version");
    assert_eq!(
        app.repo().note(id).unwrap().body,
        "two eggs and flour and sugar",
        "the same note, restored in place"
    );
    assert_eq!(body_on_screen(&app), "two eggs and flour and sugar");
    // The notes list first; History…'s rows follow.
    assert_eq!(app.list_titles()[..2], ["Recipe", "Other"]);
    // The text it replaced is kept, and listed.
    app.harness
        .get_by_label_contains("3 versions, newest first");
    assert_eq!(
        app.repo().note_revisions_with_text(&uuid).unwrap()[0].body,
        "two eggs and flour and sugar and milk"
    );
}

#[test]
fn an_older_version_is_chosen_from_the_list() {
    let mut app = App::start(|repo| {
        note(repo, "Other", "");
        note(repo, "Plan", "first line\nsecond line");
    });
    let id = app.note_id("Plan");
    app.click("Plan");
    type_at_end_of_body(&mut app, " changed");
    app.click("Other");
    app.click("Plan");
    type_at_end_of_body(&mut app, " again");
    open_history(&mut app);
    // Each row names the first line that changed after it.
    let rows: Vec<String> = app
        .harness
        .query_all_by_label_contains("second line")
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    let older = rows
        .iter()
        .find(|label| label.ends_with("\nsecond line"))
        .unwrap_or_else(|| panic!("no row names the line as it was: {rows:?}"));
    assert!(
        rows.iter()
            .any(|label| label.ends_with("\nsecond line changed"))
    );
    app.harness.get_by_label(older).click();
    app.settle();
    app.click("Restore this version");
    assert_eq!(app.repo().note(id).unwrap().body, "first line\nsecond line");
}

#[test]
fn a_note_deleted_for_good_is_listed_and_brought_back() {
    let mut app = App::start(|repo| {
        let id = note(repo, "Old diary", "dear diary");
        let version = repo.note(id).unwrap().version;
        let version = repo.trash_note(id, version).unwrap();
        repo.delete_note_permanently(id, version).unwrap();
        note(repo, "Kept", "");
    });
    assert_eq!(app.list_titles(), ["Kept"]);
    open_history(&mut app);
    // With no note open, History… shows the notes deleted for good.
    app.harness
        .get_by_label_contains("Old diary\ndeleted")
        .click();
    app.settle();
    app.harness.get_by_label("Last version");
    app.click("Bring back this version");
    assert_eq!(app.list_titles()[..2], ["Old diary", "Kept"]);
    assert_eq!(body_on_screen(&app), "dear diary");
    app.click("Deleted notes");
    app.harness
        .get_by_label("No note deleted for good has versions left to bring back.");
}

#[test]
fn a_backup_with_history_from_the_file_menu_holds_the_versions() {
    let mut app = App::start(|repo| {
        let id = note(repo, "Plan", "first");
        let version = repo.note(id).unwrap().version;
        repo.update_note_with(
            id,
            version,
            "Plan",
            "second",
            folio::db::EditSession::Starts,
        )
        .unwrap();
    });
    let with = app.path("with.json");
    let without = app.path("without.json");
    app.dialogs.answer(Some(with.clone()));
    app.click("File");
    app.click("Back up everything with history…");
    app.dialogs.answer(Some(without.clone()));
    app.click("File");
    app.click("Back up everything…");
    let with = std::fs::read_to_string(&with).unwrap();
    assert!(
        with.contains("\"revisions\"") && with.contains("\"first\""),
        "{with}"
    );
    assert!(
        !std::fs::read_to_string(&without)
            .unwrap()
            .contains("\"revisions\"")
    );
}
