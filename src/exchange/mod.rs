//! Files in and out: Markdown folders, JSON backups. Each reader tolerates what other tools
//! write and reports what it skipped; each writer writes to a temporary file or folder beside
//! the target and renames it into place, so a target is either whole or untouched.

pub mod atomic;
pub mod backup;
pub mod contacts_csv;
pub mod html;
pub mod import;
pub mod markdown;
pub mod vcard;

use std::path::PathBuf;

use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error("{path} could not be read or written: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} already exists; Folio does not replace it without asking.")]
    Exists { path: PathBuf },
    #[error("{path} is not a Folio backup: {reason}")]
    NotBackup { path: PathBuf, reason: String },
    #[error(
        "{path} is a backup from a newer Folio (format version {found}; this one reads up to {supported})."
    )]
    NewerBackup {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error(transparent)]
    Database(#[from] DbError),
}

impl ExchangeError {
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ExchangeError {
        let path = path.into();
        move |source| ExchangeError::Io { path, source }
    }
}

pub type ExchangeResult<T> = Result<T, ExchangeError>;

/// How far a long import has come, and whether the user asked to stop; shared between the
/// thread doing the work and the window showing it.
#[derive(Debug, Default)]
pub struct Progress {
    done: std::sync::atomic::AtomicUsize,
    total: std::sync::atomic::AtomicUsize,
    cancelled: std::sync::atomic::AtomicBool,
}

impl Progress {
    /// Steps done and steps in all (the total may grow as files are read).
    pub fn fraction(&self) -> (usize, usize) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.done.load(Relaxed), self.total.load(Relaxed))
    }

    pub fn cancel(&self) {
        self.cancelled
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn add_total(&self, steps: usize) {
        self.total
            .fetch_add(steps, std::sync::atomic::Ordering::Relaxed);
    }

    /// One more step done; an error when the user asked to stop.
    fn step(&self) -> ExchangeResult<()> {
        self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if self.is_cancelled() {
            Err(ExchangeError::Database(DbError::Cancelled))
        } else {
            Ok(())
        }
    }
}

/// Runs `work` on each chunk of `items` on its own thread, one per core, and returns the
/// results in order. Reading and writing many small files is mostly waiting on the file system,
/// which a second thread overlaps.
pub(crate) fn on_every_core<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&[T]) -> ExchangeResult<Vec<R>> + Sync,
) -> ExchangeResult<Vec<R>> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| work(part)))
            .collect();
        let mut results = Vec::with_capacity(items.len());
        for handle in handles {
            let part = handle.join().unwrap_or_else(|_| {
                Err(ExchangeError::Io {
                    path: PathBuf::new(),
                    source: std::io::Error::other("a worker thread stopped"),
                })
            })?;
            results.extend(part);
        }
        Ok(results)
    })
}
