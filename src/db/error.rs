//! Errors a UI can explain in plain words.

use std::path::PathBuf;

use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// What can go wrong with a repository operation on an open database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("The {what} no longer exists. It may have been deleted permanently.")]
    NotFound { what: &'static str },
    #[error("That would create a duplicate: {detail}")]
    Duplicate { detail: String },
    #[error("The change was refused because it would break the data's rules: {detail}")]
    Constraint { detail: String },
    #[error("{0}")]
    Invalid(String),
    #[error("The database is read-only, so the change was not saved.")]
    ReadOnly,
    #[error("The database is busy in another program. Try again in a moment.")]
    Busy,
    #[error("The disk is full, so the change was not saved.")]
    DiskFull,
    #[error("The database file is damaged: {detail}")]
    Corrupt { detail: String },
    #[error("Stopped before anything was changed.")]
    Cancelled,
    /// The save named a version that is no longer the stored one: someone else wrote in
    /// between. Nothing was changed.
    #[error(
        "The {what} was changed elsewhere (another program or the command line) since it was read, so it was not overwritten."
    )]
    Conflict { what: &'static str },
    #[error("Database error: {0}")]
    Other(String),
}

pub type DbResult<T> = Result<T, DbError>;

impl DbError {
    pub(crate) fn not_found(what: &'static str) -> Self {
        DbError::NotFound { what }
    }
}

impl From<DieselError> for DbError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => DbError::NotFound { what: "item" },
            DieselError::DatabaseError(kind, info) => {
                let detail = info.message().to_owned();
                match kind {
                    DatabaseErrorKind::UniqueViolation => DbError::Duplicate { detail },
                    DatabaseErrorKind::ForeignKeyViolation
                    | DatabaseErrorKind::CheckViolation
                    | DatabaseErrorKind::NotNullViolation => DbError::Constraint { detail },
                    _ => classify_message(&detail).unwrap_or(DbError::Other(detail)),
                }
            }
            other => {
                let detail = other.to_string();
                classify_message(&detail).unwrap_or(DbError::Other(detail))
            }
        }
    }
}

/// Diesel reports SQLite's result codes only as text; these are SQLite's fixed messages.
fn classify_message(message: &str) -> Option<DbError> {
    let lower = message.to_ascii_lowercase();
    if lower.contains("readonly") || lower.contains("read-only") {
        Some(DbError::ReadOnly)
    } else if lower.contains("database is locked") || lower.contains("database table is locked") {
        Some(DbError::Busy)
    } else if lower.contains("database or disk is full") {
        Some(DbError::DiskFull)
    } else if lower.contains("malformed") || lower.contains("file is not a database") {
        Some(DbError::Corrupt {
            detail: message.to_owned(),
        })
    } else {
        None
    }
}

/// Why a database file could not be opened. In every case the file was left untouched.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{} is not a database file.", path.display())]
    NotSqlite { path: PathBuf },
    #[error("{} is a database, but not a Folio database.", path.display())]
    NotFolio { path: PathBuf },
    #[error(
        "{} was saved by a newer version of Folio (schema {found}). This version understands up to schema {supported}. Please update Folio.",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: String,
        supported: String,
    },
    #[error(
        "{} needs to be upgraded to this version of Folio, but the file is read-only. Make it writable, or open it with the version of Folio that created it.",
        path.display()
    )]
    ReadOnlyNeedsUpgrade { path: PathBuf },
    #[error(
        "{} is read-only. Folio saves as you type, so it did not open it; copy it somewhere you can write to first.",
        path.display()
    )]
    ReadOnly { path: PathBuf },
    #[error("{} is damaged and cannot be opened: {detail}", path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("{} could not be opened: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} could not be backed up before the upgrade, so it was not upgraded: {detail}", path.display())]
    BackupFailed { path: PathBuf, detail: String },
    #[error("{} could not be upgraded: {detail}. The file was left as it was.", path.display())]
    MigrationFailed { path: PathBuf, detail: String },
    #[error("{} could not be opened: {detail}", path.display())]
    Database { path: PathBuf, detail: String },
    #[error(
        "{} is open in another Folio window{}. Folio shows each database in one window at a time, so no edit is lost: switch to that window, or close it and open the file here again.",
        path.display(),
        pid.map_or(String::new(), |p| format!(" (process {p})"))
    )]
    InUse { path: PathBuf, pid: Option<u32> },
    #[error(
        "{} was not opened: Folio could not take its lock file {} ({detail}), and without it a second window could edit the same file unseen.",
        path.display(),
        lock.display()
    )]
    Unlockable {
        path: PathBuf,
        lock: PathBuf,
        detail: String,
    },
}
