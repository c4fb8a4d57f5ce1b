//! Opening a database: on a background thread (an upgrade may take a while), after taking
//! the lock that keeps other windows off it; then the session replaces the one shown.

use crate::ui::worker::Request;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use egui::Context;

use super::Parts;
use super::files::save_before;
use crate::db::{OpenError, Repository};
use crate::instance;
use crate::ui::state::session::Session;
use crate::ui::state::window::{Leaving, UserError};
use crate::ui::worker::ListWorker;

/// A database being opened on a background thread (it may need an upgrade).
pub struct Opening {
    pub path: PathBuf,
    pub started: Instant,
    result: Receiver<Result<Opened, OpenError>>,
}

/// Starts opening `path`, unless it is the one shown.
pub fn start(parts: &mut Parts, path: PathBuf) {
    // Already shown here (by whatever path): its lock is this window's own.
    if parts
        .session
        .as_ref()
        .is_some_and(|s| instance::real_path(s.repo.path()) == instance::real_path(&path))
    {
        return;
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let wake_ctx = parts.ctx.clone();
    let thread_path = path.clone();
    let spawned = std::thread::Builder::new()
        .name("folio-open".to_owned())
        .spawn(move || {
            let opened = open_database(&thread_path, &wake_ctx);
            let _ = tx.send(opened);
            wake_ctx.request_repaint();
        });
    match spawned {
        Ok(_) => {
            parts.files.opening = Some(Opening {
                path,
                started: Instant::now(),
                result: rx,
            })
        }
        Err(e) => {
            parts.window.error = Some(UserError::with_detail(
                "Folio could not start opening the database.",
                e,
            ))
        }
    }
}

/// Takes in the opening's result, if it has come.
pub fn receive(parts: &mut Parts) {
    let Some(opening) = &parts.files.opening else {
        return;
    };
    match opening.result.try_recv() {
        Ok(result) => {
            let path = opening.path.clone();
            parts.files.opening = None;
            finish(parts, path, result);
        }
        Err(TryRecvError::Empty) => {
            // Keep the progress window's timer moving.
            parts.ctx.request_repaint_after(Duration::from_millis(100));
        }
        Err(TryRecvError::Disconnected) => {
            parts.files.opening = None;
            parts.window.error = Some(UserError::new(
                "Opening the database stopped unexpectedly. Nothing was changed.",
            ));
        }
    }
}

fn finish(parts: &mut Parts, path: PathBuf, result: Result<Opened, OpenError>) {
    match result {
        Ok((mut repo, worker, lock)) => {
            log::info!(
                "opened {} (SQLite {})",
                path.display(),
                repo.sqlite_version().unwrap_or_default()
            );
            // The old note stayed editable while this file opened; save what was typed
            // meanwhile before its session goes. If that fails, the old session stays
            // (the file just opened closes again) and the user decides about the text.
            if !save_before(parts, Leaving::Open(path.clone())) {
                return;
            }
            let mut session = Session::new(
                repo,
                worker,
                parts.settings.sort,
                parts.settings.contact_sort,
            );
            session.instance_lock = lock;
            session
                .worker
                .send(Request::HistoryRetention(parts.settings.history_retention));
            *parts.session = Some(session);
            // Their threads read the file that was open before.
            parts.window.history = None;
            parts.window.sql_console = None;
            parts.settings.remember(&path);
        }
        Err(e) => {
            let message = match &e {
                OpenError::NotFolio { .. }
                | OpenError::NotSqlite { .. }
                | OpenError::TooNew { .. }
                | OpenError::Corrupt { .. }
                | OpenError::ReadOnlyNeedsUpgrade { .. } => {
                    format!("{e} The file was not changed.")
                }
                _ => e.to_string(),
            };
            let still = match parts.session.as_ref() {
                Some(current) => {
                    format!(" Folio is still showing {}.", current.repo.path().display())
                }
                None => String::new(),
            };
            parts.window.error = Some(UserError::with_detail(format!("{message}{still}"), e));
        }
    }
}

/// Opens the database and its list thread; runs on a background thread.
fn open_database(path: &Path, ctx: &Context) -> Result<Opened, OpenError> {
    let raise_ctx = ctx.clone();
    let raise = move || {
        raise_ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
        raise_ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
        raise_ctx.request_repaint();
    };
    // The lock file lives beside the database, whose folder a first start creates; if the
    // database is refused, the folders made here are removed again (only while empty).
    let mut folders_made = Vec::new();
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        folders_made = missing_folders(folder);
        let _ = crate::db::create_private_folder(folder);
    }
    let opened = open_locked(path, ctx, raise);
    if opened.is_err() {
        for folder in &folders_made {
            let _ = std::fs::remove_dir(folder);
        }
    }
    opened
}

/// The folders of `folder`'s path that do not exist yet, deepest first.
fn missing_folders(folder: &Path) -> Vec<PathBuf> {
    folder
        .ancestors()
        .take_while(|f| !f.as_os_str().is_empty() && !f.exists())
        .map(Path::to_path_buf)
        .collect()
}

/// [`open_database`] once the database's folder exists: takes the lock, then opens.
fn open_locked(
    path: &Path,
    ctx: &Context,
    raise: impl Fn() + Send + 'static,
) -> Result<Opened, OpenError> {
    let lock = match instance::acquire(path, raise) {
        Ok(instance::Acquired::Mine(lock)) => Some(lock),
        Ok(instance::Acquired::Elsewhere { pid, socket }) => {
            if let Some(socket) = socket {
                instance::ask_to_raise(&socket);
            }
            return Err(OpenError::InUse {
                path: path.to_owned(),
                pid,
            });
        }
        // A folder where no lock file can be made (read-only) cannot be saved to either, and
        // opening refuses it in its own words just below.
        Err(e) if is_read_only_error(&e) => None,
        // Anything else (a link or another user's file where the lock file goes) is refused:
        // never two writers unseen.
        Err(e) => {
            return Err(OpenError::Unlockable {
                path: path.to_owned(),
                lock: instance::lock_path(path),
                detail: e.to_string(),
            });
        }
    };
    let refused = |lock: Option<instance::InstanceLock>, error: OpenError| {
        if let Some(lock) = lock {
            lock.give_up_refused();
        }
        Err(error)
    };
    let mut repo = match Repository::open(path) {
        Ok(repo) => repo,
        Err(e) => return refused(lock, e),
    };
    if repo.is_read_only() {
        drop(repo);
        return refused(
            lock,
            OpenError::ReadOnly {
                path: path.to_owned(),
            },
        );
    }
    // Made before the window's connection waits less than the default: the list thread's
    // connection keeps the long wait, which jobs need.
    let worker_repo = repo.another_connection()?;
    // A write of the window's waits this long for another connection's (an import's) write
    // lock: short, so the window never freezes; an autosave keeps the text and tries again.
    repo.set_busy_timeout(WINDOW_BUSY_TIMEOUT)
        .map_err(|e| OpenError::Database {
            path: path.to_owned(),
            detail: e.to_string(),
        })?;
    let wake_ctx = ctx.clone();
    let worker = ListWorker::start(worker_repo, move || wake_ctx.request_repaint())?;
    Ok((repo, worker, lock))
}

fn is_read_only_error(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

/// How long a write on the window's connection waits for another writer before it is
/// reported busy (and, for an autosave, tried again a second later).
const WINDOW_BUSY_TIMEOUT: Duration = Duration::from_millis(100);

/// What opening a database gives: the repository, its list thread, and the lock that keeps
/// other windows off it.
type Opened = (Repository, ListWorker, Option<instance::InstanceLock>);
