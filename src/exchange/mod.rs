//! Files in and out: Markdown folders, JSON backups. Each reader tolerates what other tools
//! write and reports what it skipped; each writer writes to a temporary file or folder beside
//! the target and renames it into place, so a target is either whole or untouched.

pub mod atomic;
pub mod backup;
pub mod html;
pub mod import;
pub mod markdown;

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
