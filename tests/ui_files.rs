//! Opening databases from the File menu, what the app remembers between runs, and what idle
//! frames cost.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_support;

use egui_kittest::kittest::Queryable;
use folio::ui::{DialogKind, Settings, ThemeChoice};
use ui_support::{App, MemoryStorage, bytes, note};

#[test]
fn a_file_that_is_not_folio_is_refused_and_left_unchanged() {
    let mut app = App::start(|repo| {
        note(repo, "Mine", "");
    });
    let stranger = app.path("stranger.db");
    std::fs::write(&stranger, b"just some text, not a database at all").unwrap();
    let before = bytes(&stranger);

    app.dialogs.answer(Some(stranger.clone()));
    app.click("File");
    app.click("Open database…");
    assert_eq!(app.dialogs.shown(), [DialogKind::OpenDatabase]);

    let error = app
        .harness
        .state()
        .error()
        .expect("an error is shown")
        .clone();
    assert!(
        error.message.contains("is not a database file"),
        "{}",
        error.message
    );
    assert!(error.message.contains("The file was not changed"));
    assert!(app.harness.query_by_label("Something went wrong").is_some());
    assert_eq!(bytes(&stranger), before);
    assert!(
        !app.path("stranger.db.lock").exists(),
        "a refused file leaves no lock file behind"
    );
    // Still on the database it had.
    assert_eq!(app.harness.state().database_path(), Some(app.db.as_path()));
    assert_eq!(app.list_titles(), ["Mine"]);

    app.click("OK");
    assert!(app.harness.query_by_label("Something went wrong").is_none());
}

#[test]
fn another_database_opens_from_the_dialog_and_a_new_one_is_created() {
    let mut app = App::start(|repo| {
        note(repo, "In the first", "");
    });
    let second = app.path("second.db");
    app.dialogs.answer(Some(second.clone()));
    app.click("File");
    app.click("New database…");
    assert_eq!(app.harness.state().database_path(), Some(second.as_path()));
    assert!(app.harness.query_by_label("No notes yet").is_some());
    assert!(second.exists());

    // A cancelled dialog changes nothing.
    app.dialogs.answer(None);
    app.click("File");
    app.click("Open database…");
    assert_eq!(app.harness.state().database_path(), Some(second.as_path()));

    app.dialogs.answer(Some(app.db.clone()));
    app.click("File");
    app.click("Open database…");
    assert_eq!(app.list_titles(), ["In the first"]);
}

#[test]
fn recent_files_and_theme_survive_a_restart() {
    let mut app = App::start(|_| {});
    let second = app.path("second.db");
    app.dialogs.answer(Some(second.clone()));
    app.click("File");
    app.click("New database…");
    app.click("View");
    app.click("Dark");
    assert_eq!(app.harness.state().settings().theme, ThemeChoice::Dark);

    let mut storage = MemoryStorage::default();
    eframe::App::save(app.harness.state_mut(), &mut storage);
    let (dir, db) = (app.dir, app.db);
    drop(app.harness);

    let settings = Settings::load(Some(&storage));
    let mut app = App::start_on(dir, db.clone(), settings);
    assert_eq!(app.harness.state().settings().theme, ThemeChoice::Dark);
    assert_eq!(app.harness.ctx.theme(), egui::Theme::Dark);
    app.click("File");
    app.click("Open recent");
    // Newest first: the file opened now, then the second, which was opened last time.
    let recent = &app.harness.state().settings().recent_files;
    assert_eq!(recent, &[db.clone(), second.clone()]);
    app.click(&second.display().to_string());
    assert_eq!(app.harness.state().database_path(), Some(second.as_path()));
}

#[test]
fn a_recent_file_that_is_gone_is_removed_with_a_message() {
    let (dir, db) = ui_support::database(|_| {});
    let gone = dir.path().join("gone.db");
    let mut settings = Settings::default();
    settings.remember(&gone);
    let mut app = App::start_on(dir, db, settings);
    app.click("File");
    app.click("Open recent");
    app.click(&gone.display().to_string());
    let error = app.harness.state().error().expect("a message").clone();
    assert!(
        error.message.contains("no longer exists"),
        "{}",
        error.message
    );
    assert!(!app.harness.state().settings().recent_files.contains(&gone));
}

#[test]
fn a_frame_where_nothing_changed_runs_no_query() {
    let mut app = App::start(|repo| {
        for i in 0..300 {
            note(repo, &format!("Note {i}"), "some body text");
        }
    });
    app.click("Note 299");
    let session = app
        .harness
        .state_mut()
        .session_mut()
        .expect("a database is open");
    let window_queries = session.repo.count_queries();
    let list_queries = session.worker.query_counter().clone();
    list_queries.reset();
    // Frames for over a second of idling, so the outside-change poll comes round.
    let idle = std::time::Instant::now();
    // (Well under the 3 s after which the thread would start merging the index.)
    for _ in 0..26 {
        app.harness.step();
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let idle_seconds = idle.elapsed().as_secs_f64();
    assert_eq!(
        window_queries.get(),
        0,
        "queries on the window's connection"
    );
    ui_support::assert_only_the_outside_change_poll(&list_queries, idle_seconds);

    // And the counters do count: selecting another note reads it.
    app.click("Note 298");
    assert!(window_queries.get() > 0);
}

#[test]
fn a_second_window_on_the_same_database_does_not_open_it() {
    // The database's folder outlives every window (each App deletes its own folder).
    let (_folder, db) = ui_support::database(|repo| {
        ui_support::note(repo, "Shared", "");
    });
    let (first_dir, _) = ui_support::database(|_| {});
    let first = App::start_on(first_dir, db.clone(), folio::ui::Settings::default());
    assert_eq!(first.list_titles(), ["Shared"]);
    assert!(
        db.with_file_name(format!(
            "{}.lock",
            db.file_name().unwrap().to_string_lossy()
        ))
        .exists()
    );
    let (other_dir, _) = ui_support::database(|_| {});
    let second = App::start_on(other_dir, db.clone(), folio::ui::Settings::default());
    second
        .harness
        .get_by_label_contains("is open in another Folio window");
    assert!(
        second.list_titles().is_empty(),
        "nothing shown, nothing editable"
    );
    drop(second);
    // Once the first window lets go, the file opens again.
    drop(first);
    let (third_dir, _) = ui_support::database(|_| {});
    let third = App::start_on(third_dir, db, folio::ui::Settings::default());
    assert_eq!(third.list_titles(), ["Shared"]);
}

#[test]
fn about_shows_the_version_the_database_and_the_log() {
    let mut app = App::start(|_| {});
    app.click("Help");
    app.click("About Folio");
    app.harness
        .get_by_label(&format!("Folio {}", env!("CARGO_PKG_VERSION")));
    // Once in the status bar, once in the window.
    let path = app.db.display().to_string();
    assert_eq!(app.harness.query_all_by_label(&path).count(), 2);
    app.harness.get_by_label_contains("folio.log");
}
