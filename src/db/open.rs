//! Opening a database file safely: inspect it read-only, refuse what Folio must not touch, back
//! it up before an upgrade, then migrate and check the search index in one transaction.
//!
//! # The one rule of this file: never open and close the database through `std::fs` once
//! # SQLite has it open
//!
//! SQLite keeps other programs from checkpointing and deleting the write-ahead log under us with
//! POSIX advisory locks on the database file and its `-shm`. POSIX locks belong to the process,
//! not to a descriptor, and closing *any* descriptor of the file drops *all* of them (fcntl(2);
//! sqlite.org/howtocorrupt.html §2.2). One `File::open` + drop of the database while a connection
//! is open leaves that connection without its locks: the next `sqlite3` shell, Python script or
//! backup tool to close the file believes it is the last user, checkpoints and deletes the log,
//! and every later save goes into a deleted file.
//!
//! So:
//! * the checks that read the file or probe it through `std::fs` (its header, whether it is
//!   writable) run in [`open_file`] only, and only while this process has no connection to the
//!   file ([`ConnectionRegistry`] knows);
//! * every later connection to the same file (the list worker's, a job's, a second
//!   `Repository::open` of it) goes through [`connect_again`]: connect and configure, nothing
//!   else;
//! * nothing else in Folio opens the database, its `-wal`, `-shm` or `-journal` through
//!   `std::fs`. Looking at metadata (`fs::metadata`, `Path::exists`, `fs::canonicalize`) opens no
//!   descriptor and is fine.

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::error::OpenError;
use super::search_index;

/// Every migration in `migrations/`, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// `PRAGMA application_id` of a Folio database: "Foli" in ASCII.
pub const FOLIO_APPLICATION_ID: i32 = 0x466F_6C69;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// How long a write waits for another connection (another Folio window, a backup tool) before
/// giving up with "busy".
const BUSY_TIMEOUT_MS: u32 = 5_000;

/// Where Folio keeps its database unless told otherwise: `<data dir>/folio/folio.db`.
pub fn default_database_path() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join("folio").join("folio.db"))
}

/// What [`open_file`] found and did.
pub(crate) struct Opened {
    pub conn: SqliteConnection,
    pub read_only: bool,
    pub backup: Option<PathBuf>,
}

/// Which database files this process has SQLite connections to, and how many, by their real
/// path. While a file is listed, [`open_file`] must not run its `std::fs` checks on it (see the
/// module's rule) and connects through [`connect_again`] instead.
pub(crate) struct ConnectionRegistry;

/// Per real path: how many connections are open, and whether the first was read-only.
static OPEN_FILES: Mutex<Option<HashMap<PathBuf, (usize, bool)>>> = Mutex::new(None);

impl ConnectionRegistry {
    /// The key of a file: its real path. `fs::canonicalize` only looks at names, it opens no
    /// descriptor of the file.
    fn key(path: &Path) -> Option<PathBuf> {
        fs::canonicalize(path).ok()
    }

    /// `Some(read_only)` when this process has the file open already.
    fn open_already(path: &Path) -> Option<bool> {
        let key = Self::key(path)?;
        let files = OPEN_FILES.lock().unwrap_or_else(PoisonError::into_inner);
        files.as_ref()?.get(&key).map(|(_, read_only)| *read_only)
    }

    /// Records a new connection to `path`, until the registration is dropped (after the
    /// connection: see the field order of `Repository`).
    pub(crate) fn register(path: &Path, read_only: bool) -> Registration {
        let Some(key) = Self::key(path) else {
            return Registration(None);
        };
        let mut files = OPEN_FILES.lock().unwrap_or_else(PoisonError::into_inner);
        files
            .get_or_insert_with(HashMap::new)
            .entry(key.clone())
            .or_insert((0, read_only))
            .0 += 1;
        Registration(Some(key))
    }
}

/// One connection's entry in the [`ConnectionRegistry`].
pub(crate) struct Registration(Option<PathBuf>);

impl Registration {
    /// For a connection to no file (in memory).
    pub(crate) fn none() -> Self {
        Registration(None)
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let Some(key) = self.0.take() else {
            return;
        };
        let mut files = OPEN_FILES.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(files) = files.as_mut()
            && let Some((count, _)) = files.get_mut(&key)
        {
            *count -= 1;
            if *count == 0 {
                files.remove(&key);
            }
        }
    }
}

/// Another connection to a file this process already opened (and so already checked and
/// migrated) through [`open_file`]: connect and configure, and nothing that touches the file
/// through `std::fs`. The list worker and jobs get theirs here.
pub(crate) fn connect_again(path: &Path, writable: bool) -> Result<SqliteConnection, OpenError> {
    let conn = if writable {
        establish(path, &sqlite_path(path)?)?
    } else {
        establish(path, &format!("{}?mode=ro", sqlite_uri(path)?))?
    };
    configure(path, conn, writable)
}

/// What a read-only look at an existing file told us: the versions of the migrations already
/// applied, newest first (none for a valid SQLite file with no tables at all).
struct Inspection {
    applied: Vec<String>,
}

/// Makes `folder` and any missing folder above it, each 0700 (whatever the umask); folders
/// that exist already are left as they are.
pub fn create_private_folder(folder: &Path) -> std::io::Result<()> {
    let mut folders = fs::DirBuilder::new();
    folders.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut folders, 0o700);
    folders.create(folder)
}

/// Makes a new, empty database file (SQLite takes a zero-byte file as an empty database) and
/// the folders above it that are missing. A user's notes and contacts are nobody else's
/// business, whatever the umask: the file is 0600 and the folders Folio makes are 0700.
/// SQLite gives the `-wal` and `-shm` files the database file's mode. `create_new` refuses
/// an existing name, a symbolic link included, so a link planted where the file will be is
/// never followed. No SQLite connection to this file can be open yet (it did not exist).
fn create_private_file(path: &Path) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_folder(parent)?;
    }
    match new_private_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && path.is_symlink() => {
            Err(std::io::Error::other(
                "it is a symbolic link to a file that does not exist, and Folio does not make \
                 a new database through a link",
            ))
        }
        Err(e) => Err(e),
    }
}

/// Creates `path` empty and 0600, failing with `AlreadyExists` if anything has that name (a
/// symbolic link too, which is never followed).
fn new_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}

pub(crate) fn open_file(path: &Path) -> Result<Opened, OpenError> {
    if let Some(read_only) = ConnectionRegistry::open_already(path) {
        // Already checked and migrated by the connection that is open; the checks below would
        // open and close the file through `std::fs` and drop that connection's locks.
        return Ok(Opened {
            conn: connect_again(path, !read_only)?,
            read_only,
            backup: None,
        });
    }
    let io_error = |source| OpenError::Io {
        path: path.to_owned(),
        source,
    };
    let metadata = match fs::metadata(path) {
        Ok(metadata) => Some(metadata),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_error(e)),
    };
    let Some(metadata) = metadata else {
        create_private_file(path).map_err(io_error)?;
        let conn = establish(path, &sqlite_path(path)?)?;
        return prepare_writable(path, conn).map(|conn| Opened {
            conn,
            read_only: false,
            backup: None,
        });
    };
    if metadata.is_dir() {
        return Err(io_error(std::io::Error::other(
            "it is a folder, not a file",
        )));
    }

    // A zero-byte file is an empty SQLite database; anything else must start with the magic.
    if metadata.len() > 0 {
        let mut header = [0u8; 16];
        let mut file = fs::File::open(path).map_err(io_error)?;
        if file.read_exact(&mut header).is_err() || &header != SQLITE_MAGIC {
            return Err(OpenError::NotSqlite {
                path: path.to_owned(),
            });
        }
    }

    let inspection = inspect(path)?;
    let read_only = is_read_only(path, &metadata);
    let pending = pending_migrations(path, &inspection)?;
    // The index state table exists only once the schema is current, hence the order.
    let needs_write = !pending.is_empty() || index_is_stale_read_only(path)?;

    if read_only {
        if needs_write {
            return Err(OpenError::ReadOnlyNeedsUpgrade {
                path: path.to_owned(),
            });
        }
        let conn = configure(path, establish_read_only(path)?, false)?;
        return Ok(Opened {
            conn,
            read_only: true,
            backup: None,
        });
    }

    let backup = match inspection.applied.first() {
        Some(newest_applied) if !pending.is_empty() => {
            Some(backup_before_upgrade(path, newest_applied)?)
        }
        _ => None,
    };
    let conn = establish(path, &sqlite_path(path)?)?;
    let conn = prepare_writable(path, conn)?;
    Ok(Opened {
        conn,
        read_only: false,
        backup,
    })
}

/// An in-memory database, set up exactly like a file (tests and benchmarks).
pub(crate) fn open_in_memory() -> Result<SqliteConnection, OpenError> {
    let path = Path::new(":memory:");
    let conn = establish(path, ":memory:")?;
    prepare_writable(path, conn)
}

fn establish(path: &Path, url: &str) -> Result<SqliteConnection, OpenError> {
    SqliteConnection::establish(url).map_err(|e| OpenError::Database {
        path: path.to_owned(),
        detail: e.to_string(),
    })
}

/// A connection that cannot change the file. Without a write-ahead log beside the file, it is
/// opened as immutable: then SQLite creates no `-wal`/`-shm` files either, so a file that is
/// refused is left exactly as it was, sidecars included. With a log present, the log may hold
/// committed data, so SQLite must read it the normal way.
fn establish_read_only(path: &Path) -> Result<SqliteConnection, OpenError> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let immutable = if Path::new(&wal).exists() {
        ""
    } else {
        "&immutable=1"
    };
    let mut conn = establish(path, &format!("{}?mode=ro{immutable}", sqlite_uri(path)?))?;
    // Another program may be writing, or recovering the log after a crash: wait for it as a
    // writable connection would, rather than call the file locked.
    conn.batch_execute(&format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS};"))
        .map_err(|e| classify_open_failure(path, e.to_string()))?;
    Ok(conn)
}

/// The path as SQLite takes it. SQLite's file names are UTF-8.
fn sqlite_path(path: &Path) -> Result<String, OpenError> {
    let text = path.to_str().ok_or_else(|| OpenError::Database {
        path: path.to_owned(),
        detail: "the file name is not valid Unicode".to_owned(),
    })?;
    // Diesel opens with SQLITE_OPEN_URI, so a plain name that happens to start with "file:" has
    // to be spelled as a URI to mean the file of that name.
    if text.starts_with("file:") {
        sqlite_uri(path)
    } else {
        Ok(text.to_owned())
    }
}

/// A `file:` URI for the path, percent-encoding everything that URIs reserve.
/// The URI that opens `path` read-only (`mode=ro`): the SQL console's connection. As for
/// [`establish_read_only`], without a write-ahead log beside the file it is immutable, so
/// SQLite makes no `-wal`/`-shm` files beside it either. (Looking for the log is a `stat`,
/// which opens nothing.)
pub fn read_only_uri(path: &Path) -> Result<String, String> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let immutable = if Path::new(&wal).exists() {
        ""
    } else {
        "&immutable=1"
    };
    sqlite_uri(path)
        .map(|uri| format!("{uri}?mode=ro{immutable}"))
        .map_err(|e| e.to_string())
}

fn sqlite_uri(path: &Path) -> Result<String, OpenError> {
    let text = path.to_str().ok_or_else(|| OpenError::Database {
        path: path.to_owned(),
        detail: "the file name is not valid Unicode".to_owned(),
    })?;
    let mut uri = String::from("file:");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    Ok(uri)
}

/// Connection settings every Folio connection gets, before anything else runs.
fn configure(
    path: &Path,
    mut conn: SqliteConnection,
    writable: bool,
) -> Result<SqliteConnection, OpenError> {
    let mut pragmas = vec![
        format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS};"),
        "PRAGMA foreign_keys = ON;".to_owned(),
        // 32 MiB of page cache instead of SQLite's 2 MiB: building the search index merges index
        // segments, and with a small cache every merge re-reads its pages from the log.
        "PRAGMA cache_size = -32768;".to_owned(),
    ];
    if writable {
        pragmas.push("PRAGMA journal_mode = WAL;".to_owned());
        pragmas.push("PRAGMA synchronous = NORMAL;".to_owned());
    }
    for pragma in pragmas {
        conn.batch_execute(&pragma)
            .map_err(|e| classify_open_failure(path, e.to_string()))?;
    }
    Ok(conn)
}

/// Configures, migrates and checks the search index of a connection Folio may write to.
/// The migrations and the index rebuild share one transaction: an upgrade happens whole or not
/// at all.
fn prepare_writable(path: &Path, conn: SqliteConnection) -> Result<SqliteConnection, OpenError> {
    let mut conn = configure(path, conn, true)?;
    let migration_failed = |detail: String| OpenError::MigrationFailed {
        path: path.to_owned(),
        detail,
    };
    let mut upgrade_failure = None;
    let result = conn.immediate_transaction::<_, diesel::result::Error, _>(|conn| {
        let upgraded = conn
            .run_pending_migrations(MIGRATIONS)
            .map(|_| ())
            .map_err(|e| e.to_string())
            .and_then(|()| super::upgrades::run_pending(conn).map_err(|e| e.to_string()))
            .and_then(|()| search_index::ensure_current(conn).map_err(|e| e.to_string()));
        upgraded.map_err(|detail| {
            upgrade_failure = Some(detail);
            diesel::result::Error::RollbackTransaction
        })
    });
    match (result, upgrade_failure) {
        (Ok(()), _) => {}
        (Err(_), Some(detail)) => return Err(migration_failed(detail)),
        (Err(e), None) => return Err(classify_open_failure(path, e.to_string())),
    }
    Ok(conn)
}

/// Looks at an existing SQLite file through a read-only connection, so nothing about it changes.
fn inspect(path: &Path) -> Result<Inspection, OpenError> {
    let mut conn = establish_read_only(path)?;

    #[derive(QueryableByName)]
    struct ApplicationId {
        #[diesel(sql_type = Integer)]
        application_id: i32,
    }
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct Version {
        #[diesel(sql_type = Text)]
        version: String,
    }

    let application_id = diesel::sql_query("PRAGMA application_id")
        .get_result::<ApplicationId>(&mut conn)
        .map_err(|e| classify_open_failure(path, e.to_string()))?
        .application_id;
    let tables: Vec<String> =
        diesel::sql_query("SELECT name FROM sqlite_schema WHERE type = 'table'")
            .load::<Name>(&mut conn)
            .map_err(|e| classify_open_failure(path, e.to_string()))?
            .into_iter()
            .map(|n| n.name)
            .collect();

    if application_id != FOLIO_APPLICATION_ID {
        if application_id == 0 && tables.is_empty() {
            return Ok(Inspection {
                applied: Vec::new(),
            });
        }
        return Err(OpenError::NotFolio {
            path: path.to_owned(),
        });
    }
    let applied = if tables.iter().any(|t| t == "__diesel_schema_migrations") {
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations ORDER BY version DESC")
            .load::<Version>(&mut conn)
            .map_err(|e| classify_open_failure(path, e.to_string()))?
            .into_iter()
            .map(|v| v.version)
            .collect()
    } else {
        Vec::new()
    };
    if applied.is_empty() {
        // The Folio mark without a migration record: not something this build wrote.
        return Err(OpenError::NotFolio {
            path: path.to_owned(),
        });
    }
    Ok(Inspection { applied })
}

/// Versions this build knows, oldest first.
pub fn known_migration_versions() -> Vec<String> {
    let mut versions: Vec<String> =
        diesel::migration::MigrationSource::<diesel::sqlite::Sqlite>::migrations(&MIGRATIONS)
            .map(|migrations| {
                migrations
                    .iter()
                    .map(|m| m.name().version().to_string())
                    .collect()
            })
            .unwrap_or_default();
    versions.sort();
    versions
}

/// Which known migrations the file lacks; a file with a migration this build does not know was
/// written by a newer Folio.
fn pending_migrations(path: &Path, inspection: &Inspection) -> Result<Vec<String>, OpenError> {
    let known = known_migration_versions();
    let newest_known = known.last().cloned().unwrap_or_default();
    if let Some(unknown) = inspection.applied.iter().find(|v| !known.contains(v)) {
        let found = inspection
            .applied
            .iter()
            .max()
            .cloned()
            .unwrap_or_else(|| unknown.clone());
        return Err(OpenError::TooNew {
            path: path.to_owned(),
            found,
            supported: newest_known,
        });
    }
    Ok(known
        .into_iter()
        .filter(|v| !inspection.applied.contains(v))
        .collect())
}

fn index_is_stale_read_only(path: &Path) -> Result<bool, OpenError> {
    let mut conn = establish_read_only(path)?;
    search_index::is_stale(&mut conn).map_err(|e| classify_open_failure(path, e.to_string()))
}

/// A file counts as read-only when its permissions say so (even for root, who could write it
/// anyway: the owner meant it) or when it cannot be opened for writing.
fn is_read_only(path: &Path, metadata: &fs::Metadata) -> bool {
    metadata.permissions().readonly()
        || fs::OpenOptions::new().write(true).open(path).is_err()
        || path
            .parent()
            .map(|dir| {
                if dir.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    dir
                }
            })
            .and_then(|dir| fs::metadata(dir).ok())
            // WAL mode needs to create `-wal` and `-shm` files beside the database.
            .is_some_and(|dir| dir.permissions().readonly())
}

/// Writes a consistent copy of the file as `<name>.before-<version>` (never replacing an
/// existing file) before an upgrade touches it.
fn backup_before_upgrade(path: &Path, newest_applied: &str) -> Result<PathBuf, OpenError> {
    let backup_failed = |detail: String| OpenError::BackupFailed {
        path: path.to_owned(),
        detail,
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "folio.db".to_owned());
    let base = path.with_file_name(format!("{file_name}.before-{newest_applied}"));
    // The copy holds everything the database does, so it is made private (0600) before
    // SQLite fills it (`VACUUM INTO` takes an empty file); claiming the name with `O_EXCL`
    // also means a link planted under it is passed over, never written through.
    let backup = (1..1000)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                PathBuf::from(format!("{}-{n}", base.display()))
            }
        })
        .find_map(|candidate| match new_private_file(&candidate) {
            Ok(()) => Some(Ok(candidate)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => None,
            Err(e) => Some(Err(backup_failed(e.to_string()))),
        })
        .ok_or_else(|| backup_failed("too many earlier backups with the same name".to_owned()))??;
    let remove_claimed = |e: OpenError| {
        // Only the empty file made just above; it holds nothing.
        let _ = fs::remove_file(&backup);
        e
    };
    let backup_text = backup
        .to_str()
        .ok_or_else(|| backup_failed("the backup's file name is not valid Unicode".to_owned()))
        .map_err(remove_claimed)?;

    let mut conn = establish_read_only(path).map_err(remove_claimed)?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(backup_text)
        .execute(&mut conn)
        .map_err(|e| remove_claimed(backup_failed(e.to_string())))?;
    Ok(backup)
}

fn classify_open_failure(path: &Path, detail: String) -> OpenError {
    let lower = detail.to_ascii_lowercase();
    if lower.contains("file is not a database") {
        OpenError::NotSqlite {
            path: path.to_owned(),
        }
    } else if lower.contains("malformed") || lower.contains("corrupt") {
        OpenError::Corrupt {
            path: path.to_owned(),
            detail,
        }
    } else {
        OpenError::Database {
            path: path.to_owned(),
            detail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_escapes_reserved_characters() {
        let uri = sqlite_uri(Path::new("/tmp/a b/c?d#e%f.db")).unwrap_or_default();
        assert_eq!(uri, "file:/tmp/a%20b/c%3Fd%23e%25f.db");
    }

    #[test]
    fn every_migration_is_embedded_in_order() {
        let versions = known_migration_versions();
        assert_eq!(versions.len(), 9);
        assert!(versions.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
