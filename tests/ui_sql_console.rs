//! View → SQL console (issue 18, part 2): the tables beside the editor, an example run, the
//! answer in the table, a refused statement said in words with nothing changed, and the answer
//! exported as CSV.

// A test fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_support;

use egui_kittest::kittest::Queryable;
use folio::db::NewNote;
use ui_support::App;

fn app_with_tagged_notes() -> App {
    App::start(|repo| {
        for (title, tags) in [("Groceries", vec!["home"]), ("Plan", vec!["work", "home"])] {
            repo.create_note(&NewNote {
                title: title.into(),
                tags: tags.into_iter().map(str::to_owned).collect(),
                ..NewNote::default()
            })
            .unwrap();
        }
    })
}

fn open_console(app: &mut App) {
    app.click("View");
    app.click("SQL console…");
    app.harness.get_by_label("SQL console");
}

#[test]
fn an_example_question_is_answered_in_the_table() {
    let mut app = app_with_tagged_notes();
    open_console(&mut app);
    // The tables are listed beside the editor.
    app.harness.get_by_label("note_tags");
    app.click("Notes per tag");
    app.click("Run");
    app.harness.get_by_label_contains("2 rows in");
    // Column names, then the rows: home is on two notes, work on one.
    app.harness.get_by_label("tag");
    app.harness.get_by_label("home");
    app.harness.get_by_label("work");
    assert_eq!(app.harness.query_all_by_label("2").count(), 1);
}

#[test]
fn a_statement_that_would_write_is_refused_in_words_and_changes_nothing() {
    let mut app = app_with_tagged_notes();
    open_console(&mut app);
    app.harness.get_by_label("SQL").click();
    app.harness.step();
    app.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    app.harness
        .get_by_label("SQL")
        .type_text("DELETE FROM notes");
    app.click("Run");
    app.harness
        .get_by_label_contains("Only questions that read are answered");
    assert_eq!(app.repo().stats().unwrap().notes, 2);
}

#[test]
fn the_answer_is_exported_as_csv() {
    let mut app = app_with_tagged_notes();
    open_console(&mut app);
    app.click("Notes per tag");
    app.click("Run");
    let file = app.path("answer.csv");
    app.dialogs.answer(Some(file.clone()));
    app.click("Export as CSV…");
    app.harness.get_by_label_contains("Exported to");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "tag,notes\nhome,2\nwork,1\n"
    );
}
