//! No edit is lost in the window: not when another program changes the note being typed in,
//! not when a save fails at quitting, not when the typing never pauses, and changes made
//! outside show up in the open note.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_support;

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use egui::{Key, Modifiers, ViewportCommand, ViewportEvent, ViewportId};
use egui_kittest::kittest::Queryable;
use folio::db::{NoteFilter, NoteQuery, Repository};
use ui_support::{App, body_on_screen, note};

/// Steps frames (each 0.25 s of the window's time) until `done`, for at most `seconds` of real
/// time: the list thread notices outside changes within about a second.
fn step_until(app: &mut App, seconds: f64, done: impl Fn(&mut App) -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed().as_secs_f64() < seconds {
        app.harness.step();
        if done(app) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// Types into the body without waiting for the autosave (`App::type_into` waits for it).
fn type_in_body(app: &mut App, text: &str) {
    app.harness.get_by_label("Body").click();
    app.harness.step();
    app.harness.key_press(Key::End);
    app.harness.get_by_label("Body").type_text(text);
    app.harness.step();
}

fn window_commands(app: &App) -> Vec<ViewportCommand> {
    app.harness
        .output()
        .viewport_output
        .get(&ViewportId::ROOT)
        .map(|v| v.commands.clone())
        .unwrap_or_default()
}

fn all_notes(repo: &mut Repository) -> Vec<(String, String)> {
    let mut notes: Vec<(String, String)> = repo
        .list_notes(&NoteQuery {
            limit: 100,
            ..NoteQuery::default()
        })
        .unwrap()
        .items
        .into_iter()
        .map(|n| (n.title.clone(), repo.note(n.id).unwrap().body))
        .collect();
    notes.sort();
    notes
}

/// A Markdown file that `folio import` takes as a newer version of the note with this UUID.
fn newer_version_file(app: &App, uuid: &str, body: &str) -> std::path::PathBuf {
    let file = app.path("plan.md");
    let later = chrono::Utc::now() + chrono::Duration::seconds(2);
    std::fs::write(
        &file,
        format!(
            "---\ntitle: Plan\nuuid: {uuid}\nupdated: {}\n---\n\n{body}",
            later.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        ),
    )
    .unwrap();
    file
}

fn folio_import(app: &App, file: &std::path::Path) {
    let import = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("--db")
        .arg(&app.db)
        .arg("import")
        .arg(file)
        .output()
        .unwrap();
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
}

#[test]
fn text_typed_over_a_note_changed_elsewhere_is_kept_as_a_conflict_copy() {
    let mut app = App::start(|repo| {
        note(repo, "Plan", "first draft");
    });
    app.click("Plan");
    type_in_body(&mut app, " and my part");

    // Meanwhile another program saves the same note (over the version it read).
    let mut other = app.repo();
    let id = app.note_id("Plan");
    let seen = other.note(id).unwrap().version;
    other
        .update_note(id, seen, "Plan", "their rewrite")
        .unwrap();

    assert!(
        step_until(&mut app, 10.0, |app| app
            .harness
            .query_by_label("Changed elsewhere while you were editing")
            .is_some()),
        "the window never said the note was changed elsewhere"
    );
    let notes = all_notes(&mut app.repo());
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(notes[0], ("Plan".to_owned(), "their rewrite".to_owned()));
    assert!(notes[1].0.starts_with("Plan (conflict, "), "{notes:?}");
    assert_eq!(notes[1].1, "first draft and my part");
    // The editor shows the stored note as the other program left it.
    assert_eq!(body_on_screen(&app), "their rewrite");

    app.click("Show both");
    assert!(app.harness.query_by_label("Both versions").is_some());
    let mut listed = app.list_titles();
    listed.sort();
    assert_eq!(listed.len(), 2);
    assert!(listed[0].starts_with("Plan"));
    assert_eq!(body_on_screen(&app), "first draft and my part");
    // Said once.
    assert!(
        app.harness
            .query_by_label("Changed elsewhere while you were editing")
            .is_none()
    );
}

#[test]
fn a_save_that_fails_at_quit_keeps_the_window_and_the_text() {
    let mut app = App::start(|repo| {
        note(repo, "Plan", "first draft");
    });
    app.click("Plan");
    // Another program holds the write lock (a long import, a backup tool).
    let mut blocker = SqliteConnection::establish(app.db.to_str().unwrap()).unwrap();
    blocker.batch_execute("BEGIN IMMEDIATE;").unwrap();
    type_in_body(&mut app, " typed before quitting");

    app.harness.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    app.harness.step();
    assert!(
        !window_commands(&app).contains(&ViewportCommand::Close),
        "the window closed with its text unsaved"
    );
    app.harness.step();
    assert!(
        app.harness
            .query_by_label("Your last edit is not saved")
            .is_some()
    );
    assert_eq!(body_on_screen(&app), "first draft typed before quitting");

    // The window's close button too is held back while the text is unsaved.
    app.click_stay();
    app.harness
        .input_mut()
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .events
        .push(ViewportEvent::Close);
    app.harness.step();
    assert!(window_commands(&app).contains(&ViewportCommand::CancelClose));
    app.harness.step();

    // "Discard…" asks before throwing anything away.
    app.harness.get_by_label("Discard…").click();
    app.harness.step();
    app.harness.step();
    assert!(
        app.harness
            .query_by_label("Discard the unsaved text? It cannot be brought back.")
            .is_some()
    );
    app.harness.get_by_label("Keep it").click();
    app.harness.step();
    app.harness.step();

    // Once the other program lets go, Retry saves and the window closes.
    blocker.batch_execute("COMMIT;").unwrap();
    drop(blocker);
    app.harness.get_by_label("Retry").click();
    app.harness.step();
    assert!(window_commands(&app).contains(&ViewportCommand::Close));
    let id = app.note_id("Plan");
    assert_eq!(
        app.repo().note(id).unwrap().body,
        "first draft typed before quitting"
    );
}

#[test]
fn steady_typing_is_saved_within_five_seconds() {
    let mut app = App::start(|repo| {
        note(repo, "Diary", "");
    });
    app.click("Diary");
    app.harness.get_by_label("Body").click();
    app.harness.step();
    let id = app.note_id("Diary");
    let stored = |app: &App| app.repo().note(id).unwrap().body;
    // A keystroke every quarter second (each frame is 0.25 s of the window's time): never
    // the pause that autosave waits for.
    for _ in 0..12 {
        app.harness.get_by_label("Body").type_text("a");
        app.harness.step();
    }
    assert_eq!(stored(&app), "", "saved at 3 s: the pause rule fired?");
    for _ in 12..24 {
        app.harness.get_by_label("Body").type_text("a");
        app.harness.step();
    }
    let saved = stored(&app);
    assert!(
        saved.len() >= 16,
        "after 6 s of steady typing only {saved:?} is on disk"
    );
    assert!(app.harness.query_by_label("Saving…").is_some());
}

#[test]
fn a_command_line_import_reloads_the_open_note() {
    let mut app = App::start(|repo| {
        note(repo, "Plan", "first draft");
    });
    app.click("Plan");
    let uuid = app.repo().note(app.note_id("Plan")).unwrap().uuid;
    let file = newer_version_file(&app, &uuid, "rewritten on the command line");
    folio_import(&app, &file);

    assert!(
        step_until(&mut app, 5.0, |app| body_on_screen(app)
            == "rewritten on the command line"),
        "the open note still shows {:?}",
        body_on_screen(&app)
    );
    assert!(app.harness.query_by_label("Saved").is_some());
}

#[test]
fn a_command_line_import_over_a_pending_edit_keeps_both() {
    let mut app = App::start(|repo| {
        note(repo, "Plan", "first draft");
        note(repo, "Other", "");
    });
    app.click("Plan");
    let uuid = app.repo().note(app.note_id("Plan")).unwrap().uuid;
    type_in_body(&mut app, " being typed");
    let file = newer_version_file(&app, &uuid, "rewritten on the command line");
    folio_import(&app, &file);

    assert!(
        step_until(&mut app, 10.0, |app| app
            .harness
            .query_by_label("Changed elsewhere while you were editing")
            .is_some()),
        "no conflict was reported"
    );
    let notes = all_notes(&mut app.repo());
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(notes.contains(&(
        "Plan".to_owned(),
        "rewritten on the command line".to_owned()
    )));
    assert!(
        notes
            .iter()
            .any(|(title, body)| title.starts_with("Plan (conflict, ")
                && body == "first draft being typed"),
        "{notes:?}"
    );
    let conflicts = app
        .repo()
        .list_notes(&NoteQuery {
            filter: NoteFilter::All,
            search: "conflict".into(),
            ..NoteQuery::default()
        })
        .unwrap();
    assert_eq!(conflicts.total, 1);
}

trait Stay {
    fn click_stay(&mut self);
}

impl Stay for App {
    /// Closes the unsaved-edit dialog with "Stay" (the text stays in the window).
    fn click_stay(&mut self) {
        self.harness.get_by_label("Stay").click();
        self.harness.step();
        self.harness.step();
        assert!(
            self.harness
                .query_by_label("Your last edit is not saved")
                .is_none()
        );
    }
}

#[test]
fn a_contact_deleted_elsewhere_while_typed_in_is_kept_as_a_new_contact() {
    let mut app = App::start(|repo| {
        repo.create_contact(&folio::db::ContactDraft {
            given_name: "Ada".into(),
            family_name: "Lovelace".into(),
            ..Default::default()
        })
        .unwrap();
    });
    app.harness.get_by_label_contains("All contacts").click();
    app.settle();
    app.harness
        .get_by_role_and_label(egui::accesskit::Role::ListBoxOption, "Ada Lovelace")
        .click();
    app.settle();
    app.harness.get_by_label("Organisation").click();
    app.harness.step();
    app.harness
        .get_by_label("Organisation")
        .type_text("Analytical Engines");
    app.harness.step();

    // Another program deletes her for good meanwhile.
    let mut other = app.repo();
    let ada = other.list_contacts(&Default::default()).unwrap().items[0].clone();
    let trashed = other.trash_contact(ada.id, ada.version).unwrap();
    other.delete_contact_permanently(ada.id, trashed).unwrap();

    assert!(
        step_until(&mut app, 10.0, |app| app
            .harness
            .query_by_label("Changed elsewhere while you were editing")
            .is_some()),
        "the window never said the contact was gone"
    );
    let contacts = app.repo().list_contacts(&Default::default()).unwrap();
    assert_eq!(contacts.total, 1, "{:?}", contacts.items);
    let copy = app.repo().contact(contacts.items[0].id).unwrap();
    assert!(copy.display_name.starts_with("Ada Lovelace (conflict, "));
    assert_eq!(copy.organization, "Analytical Engines");
}
