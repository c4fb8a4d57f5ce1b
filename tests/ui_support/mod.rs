//! Drives the real app headless through egui_kittest, against a database in a temp folder.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use folio::db::{NewNote, NoteId, Repository};
use folio::ui::{FolioApp, ScriptedDialogs, Settings, Timing};
use tempfile::TempDir;

pub struct App {
    pub harness: Harness<'static, FolioApp>,
    pub dialogs: ScriptedDialogs,
    pub db: PathBuf,
    pub dir: TempDir,
}

/// Settings kept by eframe between runs, in memory.
#[derive(Default)]
pub struct MemoryStorage(pub HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

/// A database in a fresh temp folder, filled by `seed` before the app opens it.
pub fn database(seed: impl FnOnce(&mut Repository)) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.db");
    let mut repo = Repository::open(&db).unwrap();
    seed(&mut repo);
    (dir, db)
}

pub fn note(repo: &mut Repository, title: &str, body: &str) -> NoteId {
    repo.create_note(&NewNote {
        title: title.to_owned(),
        body: body.to_owned(),
        ..NewNote::default()
    })
    .unwrap()
    .id
}

pub fn harness(app: FolioApp) -> Harness<'static, FolioApp> {
    Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        .build_ui_state(|ui, app: &mut FolioApp| app.show(ui), app)
}

impl App {
    /// The app on a database filled by `seed`.
    pub fn start(seed: impl FnOnce(&mut Repository)) -> App {
        let (dir, db) = database(seed);
        App::start_on(dir, db, Settings::default())
    }

    pub fn start_on(dir: TempDir, db: PathBuf, settings: Settings) -> App {
        let dialogs = ScriptedDialogs::default();
        let app = FolioApp::new(
            db.clone(),
            settings,
            Box::new(dialogs.clone()),
            Timing::default(),
        );
        let mut app = App {
            harness: harness(app),
            dialogs,
            db,
            dir,
        };
        app.settle();
        app
    }

    /// Steps frames until nothing is pending (opening, list replies, autosave, search), then
    /// draws once more so the screen shows the result.
    pub fn settle(&mut self) {
        for _ in 0..400 {
            self.harness.step();
            if self.harness.state().is_settled() {
                self.harness.step();
                self.harness.step();
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!("the app never settled");
    }

    /// A fresh connection to the database, to check what was saved.
    pub fn repo(&self) -> Repository {
        Repository::open(&self.db).unwrap()
    }

    /// The id of the live note with this title.
    pub fn note_id(&self, title: &str) -> NoteId {
        self.repo()
            .list_notes(&folio::db::NoteQuery {
                search: title.to_owned(),
                ..folio::db::NoteQuery::default()
            })
            .unwrap()
            .items
            .into_iter()
            .find(|n| n.title == title)
            .unwrap_or_else(|| panic!("no note titled {title:?}"))
            .id
    }

    /// The titles of the list's rows, top to bottom.
    pub fn list_titles(&self) -> Vec<String> {
        self.harness
            .query_all_by_role(Role::ListBoxOption)
            .filter_map(|n| n.accesskit_node().label())
            .collect()
    }

    pub fn click(&mut self, label: &str) {
        self.harness.get_by_label(label).click();
        self.settle();
    }

    pub fn type_into(&mut self, label: &str, text: &str) {
        self.harness.get_by_label(label).click();
        self.harness.step();
        self.harness.get_by_label(label).type_text(text);
        self.settle();
    }

    pub fn press(&mut self, modifiers: egui::Modifiers, key: egui::Key) {
        self.harness.key_press_modifiers(modifiers, key);
        self.settle();
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// The text of the open note's body, as the screen shows it.
pub fn body_on_screen(app: &App) -> String {
    app.harness
        .get_by_label("Body")
        .accesskit_node()
        .value()
        .unwrap_or_default()
}

pub fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// What the list thread may do while the window idles: read `PRAGMA data_version` (to notice
/// changes made outside the window), at most about once a second, and nothing else.
pub fn assert_only_the_outside_change_poll(queries: &folio::db::QueryCounter, seconds: f64) {
    let statements = queries.statements();
    assert!(
        statements
            .iter()
            .all(|s| s.starts_with("PRAGMA data_version")),
        "the list thread ran more than the poll while idle: {statements:?}"
    );
    assert!(
        statements.len() as f64 <= seconds.ceil() + 1.0,
        "polled {} times in {seconds:.1} s",
        statements.len()
    );
    assert!(
        !statements.is_empty(),
        "the list thread never looked for outside changes in {seconds:.1} s"
    );
}

/// A file dropped on the window, as the platform hands it over.
#[derive(Debug)]
pub struct Dropped(pub PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}
