//! Native file dialogs behind a trait, so tests answer them without a window. A dialog never
//! blocks the window: it runs on its own thread and its answer arrives through a channel.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};

/// Which dialog to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogKind {
    /// Choose an existing database to open.
    OpenDatabase,
    /// Choose where a new database goes.
    NewDatabase,
}

pub trait FileDialogs {
    /// Shows the dialog; the chosen path (or `None` when cancelled) arrives on the receiver.
    fn show(&mut self, kind: DialogKind, wake: Box<dyn Fn() + Send>) -> Receiver<Option<PathBuf>>;
}

/// The real dialogs, from rfd (the XDG portal on Linux).
pub struct NativeDialogs;

const DATABASE_EXTENSIONS: &[&str] = &["folio", "db", "sqlite", "sqlite3"];

impl FileDialogs for NativeDialogs {
    fn show(&mut self, kind: DialogKind, wake: Box<dyn Fn() + Send>) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = mpsc::channel();
        let dialog = rfd::AsyncFileDialog::new().add_filter("Folio database", DATABASE_EXTENSIONS);
        let pick = async move {
            match kind {
                DialogKind::OpenDatabase => dialog
                    .set_title("Open database")
                    .pick_file()
                    .await
                    .map(|f| f.path().to_owned()),
                DialogKind::NewDatabase => dialog
                    .set_title("New database")
                    .set_file_name("Notes.db")
                    .save_file()
                    .await
                    .map(|f| f.path().to_owned()),
            }
        };
        let spawned = std::thread::Builder::new()
            .name("folio-file-dialog".to_owned())
            .spawn(move || {
                let _ = tx.send(pollster::block_on(pick));
                wake();
            });
        // Without a thread there is no dialog; the receiver then reports a cancel.
        drop(spawned);
        rx
    }
}

/// Dialogs that answer from a script, for tests: each `show` takes the next answer. Clones share
/// the script, so a test keeps one and gives the other to the app.
#[derive(Clone, Default)]
pub struct ScriptedDialogs {
    script: Arc<Mutex<Script>>,
}

#[derive(Default)]
struct Script {
    answers: VecDeque<Option<PathBuf>>,
    shown: Vec<DialogKind>,
}

impl ScriptedDialogs {
    /// The next dialog answers `path` (`None`: the user cancels).
    pub fn answer(&self, path: Option<PathBuf>) {
        self.lock().answers.push_back(path);
    }

    /// The dialogs shown so far.
    pub fn shown(&self) -> Vec<DialogKind> {
        self.lock().shown.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Script> {
        // A test that panicked while holding the lock has failed already; its data is still fine.
        self.script.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl FileDialogs for ScriptedDialogs {
    fn show(&mut self, kind: DialogKind, wake: Box<dyn Fn() + Send>) -> Receiver<Option<PathBuf>> {
        let mut script = self.lock();
        script.shown.push(kind);
        let (tx, rx) = mpsc::channel();
        let _ = tx.send(script.answers.pop_front().flatten());
        wake();
        rx
    }
}
