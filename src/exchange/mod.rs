//! Files in and out: Markdown folders, JSON backups. Each reader tolerates what other tools
//! write and reports what it skipped; each writer writes to a temporary file or folder beside
//! the target and renames it into place, so a target is either whole or untouched.

pub mod atomic;
pub mod attachment_files;
pub mod backup;
pub mod contacts_csv;
pub mod export;
pub mod html;
pub mod import;
pub mod linked_files;
pub mod markdown;
pub mod photo_file;
pub mod vcard;
pub mod vcard_fields;

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
    #[error("{path} is not a photo Folio keeps: {reason}")]
    NotAPhoto { path: PathBuf, reason: String },
    /// Refused before anything was written, for the reason given in words.
    #[error("{0}")]
    Refused(String),
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

/// A UUID in the one form Folio stores: hyphenated lower case. Other programs write the
/// 32-digit, braced, `urn:uuid:` and upper-case forms; stored raw, those break the schema's
/// length check (rolling back a whole import) and never match the same UUID for merging.
pub fn canonical_uuid(text: &str) -> Option<String> {
    let text = text.trim();
    let bare = strip_prefix_ignore_case(text, "urn:uuid:").unwrap_or(text);
    uuid::Uuid::try_parse(bare)
        .ok()
        .map(|uuid| uuid.hyphenated().to_string())
}

/// `text` without `prefix`, compared ignoring ASCII case (`URN:UUID:`, `X-ABLabel`).
pub(crate) fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// The largest note, vCard or CSV file an import reads: far beyond any real note or address
/// book, small enough that a hostile file cannot exhaust memory.
pub const MAX_IMPORT_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The largest vCard file an import reads: vCards carry their photos in base64, so an address
/// book of a few thousand people with photos (Folio's own export among them) is hundreds of
/// megabytes.
pub const MAX_VCARD_FILE_BYTES: u64 = 512 * 1024 * 1024;
/// The most contacts (cards or rows) read from one vCard or CSV file. Google Contacts holds at
/// most 25,000 and iCloud 50,000; the cap keeps a file of tiny hostile cards from filling
/// memory.
pub const MAX_CONTACTS_PER_FILE: usize = 100_000;
/// The report's words for the first card or row past [`MAX_CONTACTS_PER_FILE`].
fn contacts_past_limit(what: &str) -> String {
    format!(
        "it and the {what} after it were not read: Folio reads up to 100,000 contacts from one file"
    )
}
/// The largest backup an import or restore reads.
pub const MAX_BACKUP_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Reads a file an import was given, if it is a regular file of at most `limit` bytes. The
/// reason it was not read comes back in plain words. Named pipes, devices and sockets (and
/// links to them) are never read: `/dev/zero` never ends and a pipe with no writer blocks for
/// ever, which would hang the import and everything waiting on it.
pub fn read_regular_file(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let (file, len) = open_regular_file(path, limit)?;
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    // The file may grow while it is read: never more than the limit.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("it could not be read: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// Opens a file an import was given for reading, if it is a regular file of at most `limit`
/// bytes, with its length; see [`read_regular_file`]. A reader of the file must still stop at
/// the limit: the file may grow after this look.
pub fn open_regular_file(
    path: &std::path::Path,
    limit: u64,
) -> Result<(std::fs::File, u64), String> {
    let kind = std::fs::metadata(path)
        .map_err(|e| format!("it could not be read: {e}"))?
        .file_type();
    if !kind.is_file() {
        return Err(not_a_regular_file(kind));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Between the look above and the open, the name may have been pointed at a pipe; opening
    // without blocking means such a swap cannot hang us, and the open file is checked again.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options
        .open(path)
        .map_err(|e| format!("it could not be read: {e}"))?;
    let metadata = file
        .metadata()
        .map_err(|e| format!("it could not be read: {e}"))?;
    if !metadata.is_file() {
        return Err(not_a_regular_file(metadata.file_type()));
    }
    if metadata.len() > limit {
        return Err(too_large(limit));
    }
    Ok((file, metadata.len()))
}

fn too_large(limit: u64) -> String {
    format!(
        "it is larger than {} MB, the most Folio reads from one file",
        limit / (1024 * 1024)
    )
}

fn not_a_regular_file(kind: std::fs::FileType) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let what = if kind.is_fifo() {
            "a named pipe"
        } else if kind.is_socket() {
            "a socket"
        } else if kind.is_char_device() || kind.is_block_device() {
            "a device"
        } else {
            "not an ordinary file"
        };
        format!("it is {what}, not a file, so Folio did not read it")
    }
    #[cfg(not(unix))]
    {
        let _ = kind;
        "it is not an ordinary file, so Folio did not read it".to_owned()
    }
}
