//! The repository: the only part of Folio that knows SQL or Diesel.
//!
//! Everything above this module works with [`Repository`] methods and the plain types they
//! return. Every method that writes more than one row does so in one transaction, and the search
//! index is written in the same transaction as the row it mirrors.

mod attachments;
mod contact_details;
mod contact_lists;
mod contact_merge;
mod contact_photos;
mod contact_types;
mod contacts;
mod duplicates;
pub mod error;
mod goto;
mod hits;
pub mod ids;
mod links;
mod note_merge;
mod notes;
mod open;
mod records;
mod revisions;
pub mod schema;
mod search_index;
mod tags;
mod upgrades;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::prelude::*;

pub use attachments::{
    ATTACHMENT_SCHEME, Attachment, MAX_ATTACHMENT_BYTES, NewAttachment, attachment_refs,
    check_attachment_size, content_hash, extension_for, guess_media_type, rewrite_attachment_refs,
};
pub use contact_merge::{MergeUndo, OneValued, conflicts, merged};
pub use contacts::{
    ANNIVERSARY, Birthday, Contact, ContactDraft, ContactFilter, ContactQuery, ContactSort,
    ContactSummary, LabeledDate, LabeledEmail, LabeledPhone, LabeledWebsite, MAX_PHOTO_BYTES,
    NameParts, Photo, PostalAddress, Profile, RelatedPerson, UPCOMING_BIRTHDAY_DAYS, derived_label,
};
pub use duplicates::{DuplicateReason, PossibleDuplicate, choose_phone_region, phone_region};
pub use error::{DbError, DbResult, OpenError};
pub use goto::GoToHit;
pub use ids::{ContactId, NoteId, RevisionId, TagId, Timestamp, Version};
pub use notes::{
    CONFLICT_TAG, EditSession, NewNote, Note, NoteFilter, NoteQuery, NoteSort, NoteSummary, Saved,
    conflict_title,
};
pub use open::{
    FOLIO_APPLICATION_ID, create_private_folder, default_database_path, known_migration_versions,
    read_only_uri,
};
pub use records::{
    AttachmentRecord, ContactRecord, MergeCounts, MergeReport, NoteRecord, RecordSource, Records,
    Stats,
};
pub use revisions::{
    DeletedNote, HistoryRetention, Revision, RevisionReason, RevisionRecord, RevisionSummary,
};
pub use search_index::IndexMerge;
pub use tags::{Tag, TagUsage};

/// One page of a list, with the number of items in the whole list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// An open Folio database.
pub struct Repository {
    conn: SqliteConnection,
    path: PathBuf,
    read_only: bool,
    backup: Option<PathBuf>,
    /// Declared after `conn`, so it is dropped after the connection closes: until then the
    /// file counts as open (see `open.rs`).
    _registration: open::Registration,
}

impl Repository {
    /// Opens (or creates) a Folio database file, upgrading its schema if needed.
    ///
    /// Refuses, leaving the file byte-for-byte untouched: a file that is not SQLite, an SQLite
    /// file that is not Folio's, a file from a newer Folio, and a read-only file that would need
    /// an upgrade. Before an upgrade touches an existing database, a backup is written beside it
    /// ([`Repository::backup_made`]).
    pub fn open(path: impl AsRef<Path>) -> Result<Self, OpenError> {
        let path = path.as_ref();
        let opened = open::open_file(path)?;
        Ok(Repository {
            conn: opened.conn,
            path: path.to_owned(),
            read_only: opened.read_only,
            backup: opened.backup,
            _registration: open::ConnectionRegistry::register(path, opened.read_only),
        })
    }

    /// Another connection to the same file, for another thread (the list worker, a job). It
    /// only connects: the checks and migrations were done by this one, and repeating them would
    /// open the file through `std::fs` and cost this connection its locks (see `open.rs`).
    pub fn another_connection(&self) -> Result<Self, OpenError> {
        self.connector()()
    }

    /// [`Repository::another_connection`], made later where it is called: opening touches the
    /// file, which a thread other than the UI's should wait for.
    pub fn connector(&self) -> impl FnOnce() -> Result<Self, OpenError> + Send + 'static {
        let (path, read_only) = (self.path.clone(), self.read_only);
        move || {
            if path == Path::new(":memory:") {
                return Err(OpenError::Database {
                    path,
                    detail: "an in-memory database has no second connection".to_owned(),
                });
            }
            Ok(Repository {
                conn: open::connect_again(&path, !read_only)?,
                _registration: open::ConnectionRegistry::register(&path, read_only),
                path,
                read_only,
                backup: None,
            })
        }
    }

    /// Runs `read` in one read transaction, so all it reads is one moment's state however other
    /// connections write meanwhile (WAL keeps that moment for it): a backup or an export of
    /// notes and the attachments they name. For reads only: a write inside fails.
    pub fn read_consistently<T, E: From<DbError>>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<T, E>,
    ) -> Result<T, E> {
        use diesel::connection::SimpleConnection;
        self.conn
            .batch_execute("BEGIN DEFERRED")
            .map_err(|e| E::from(DbError::from(e)))?;
        let result = read(self);
        // Ending a read transaction changes nothing, whatever `read` gave.
        if self.conn.batch_execute("COMMIT").is_err() {
            let _ = self.conn.batch_execute("ROLLBACK");
        }
        result
    }

    /// A fresh database in memory, set up exactly like a file.
    pub fn open_in_memory() -> Result<Self, OpenError> {
        Ok(Repository {
            conn: open::open_in_memory()?,
            path: PathBuf::from(":memory:"),
            read_only: false,
            backup: None,
            _registration: open::Registration::none(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when the file could only be opened for reading; every write fails with
    /// [`DbError::ReadOnly`].
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// SQLite's own check of the whole file: "ok", or what is damaged.
    pub fn integrity_check(&mut self) -> DbResult<String> {
        #[derive(QueryableByName)]
        struct Line {
            #[diesel(sql_type = diesel::sql_types::Text)]
            integrity_check: String,
        }
        let lines: Vec<Line> = diesel::sql_query("PRAGMA integrity_check").load(&mut self.conn)?;
        Ok(lines
            .into_iter()
            .map(|l| l.integrity_check)
            .collect::<Vec<_>>()
            .join("\n"))
    }

    /// The backup written before this open upgraded the schema, if it did.
    pub fn backup_made(&self) -> Option<&Path> {
        self.backup.as_deref()
    }

    /// The version of the SQLite library in use.
    pub fn sqlite_version(&mut self) -> DbResult<String> {
        Ok(diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(
            "sqlite_version()",
        ))
        .get_result(&mut self.conn)?)
    }

    /// Starts counting the SQL statements this repository runs (for tests that prove a screen or
    /// a list runs a fixed number of queries). Replaces any earlier counter.
    pub fn count_queries(&mut self) -> QueryCounter {
        let counter = QueryCounter::default();
        self.conn.set_instrumentation(counter.clone());
        counter
    }

    /// Bytes on disk per table, largest first; each search table counts with its FTS5 shadow
    /// tables, and each index with its table.
    pub fn storage_by_table(&mut self) -> DbResult<Vec<(String, i64)>> {
        #[derive(QueryableByName)]
        struct Usage {
            #[diesel(sql_type = diesel::sql_types::Text)]
            name: String,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            bytes: i64,
        }
        let rows: Vec<Usage> = diesel::sql_query(
            "SELECT coalesce(s.tbl_name, d.name) AS name, sum(d.pgsize) AS bytes \
             FROM dbstat AS d LEFT JOIN sqlite_schema AS s ON s.name = d.name \
             GROUP BY 1",
        )
        .load(&mut self.conn)?;
        let mut totals: std::collections::BTreeMap<String, i64> = Default::default();
        for row in rows {
            let owner = [
                "note_search",
                "note_grams",
                "contact_search",
                "contact_grams",
            ]
            .into_iter()
            .find(|t| row.name.starts_with(t))
            .map_or(row.name, str::to_owned);
            *totals.entry(owner).or_default() += row.bytes;
        }
        let mut sizes: Vec<(String, i64)> = totals.into_iter().collect();
        sizes.sort_by_key(|(_, bytes)| std::cmp::Reverse(*bytes));
        Ok(sizes)
    }

    /// SQLite's `PRAGMA data_version`: it changes when another connection (another program,
    /// the command line, this process's other connection) commits a change to the file, and
    /// only then. One cheap statement: polled to notice changes made outside the window.
    pub fn data_version(&mut self) -> DbResult<i64> {
        #[derive(QueryableByName)]
        struct DataVersion {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            data_version: i64,
        }
        Ok(diesel::sql_query("PRAGMA data_version")
            .get_result::<DataVersion>(&mut self.conn)?
            .data_version)
    }

    /// Sets how long a write waits for another connection's write lock before failing with
    /// [`DbError::Busy`]. The window keeps this short, so an import on the list thread never
    /// freezes it: its autosave keeps the text and tries again instead.
    pub fn set_busy_timeout(&mut self, timeout: std::time::Duration) -> DbResult<()> {
        use diesel::connection::SimpleConnection;
        let millis = u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX);
        self.conn
            .batch_execute(&format!("PRAGMA busy_timeout = {millis};"))
            .map_err(DbError::from)
    }

    /// Copies everything in the write-ahead log into the database file and empties the log, so
    /// the file alone is complete (before measuring or copying it).
    pub fn checkpoint(&mut self) -> DbResult<()> {
        use diesel::connection::SimpleConnection;
        self.conn
            .batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(DbError::from)
    }

    /// Rebuilds the whole search index from the rows, in one transaction.
    pub fn rebuild_search_index(&mut self) -> DbResult<()> {
        self.write(search_index::rebuild)
    }

    /// One short step of merging the search index's segments (see
    /// [`search_index::merge_step`]); `true` while more steps would help. Worth running while
    /// the user is idle, above all after an import.
    pub fn merge_search_index_step(&mut self, pages: i32, how: IndexMerge) -> DbResult<bool> {
        self.write(|conn| search_index::merge_step(conn, pages, how))
    }

    /// Runs `f` in one immediate transaction (it takes the write lock at once, so it never fails
    /// half-way for want of it).
    fn write<T>(&mut self, f: impl FnOnce(&mut SqliteConnection) -> DbResult<T>) -> DbResult<T> {
        if self.read_only {
            return Err(DbError::ReadOnly);
        }
        self.conn.immediate_transaction(f)
    }
}

/// Counts the statements a connection starts, and keeps the text of the latest
/// [`QueryCounter::KEPT`]; see [`Repository::count_queries`].
#[derive(Clone, Default)]
pub struct QueryCounter {
    count: Arc<AtomicUsize>,
    latest: Arc<std::sync::Mutex<std::collections::VecDeque<String>>>,
}

impl QueryCounter {
    /// How many statements' text is kept.
    pub const KEPT: usize = 64;

    pub fn get(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// The text of the statements counted since the last reset (the latest [`Self::KEPT`]).
    pub fn statements(&self) -> Vec<String> {
        self.latest
            .lock()
            .map(|latest| latest.iter().cloned().collect())
            .unwrap_or_default()
    }

    pub fn reset(&self) {
        self.count.store(0, Ordering::SeqCst);
        if let Ok(mut latest) = self.latest.lock() {
            latest.clear();
        }
    }
}

impl Instrumentation for QueryCounter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            self.count.fetch_add(1, Ordering::SeqCst);
            if let Ok(mut latest) = self.latest.lock() {
                if latest.len() == Self::KEPT {
                    latest.pop_front();
                }
                latest.push_back(query.to_string());
            }
        }
    }
}

/// Current time for a write. Kept in one place so every row of one change gets the same stamp.
fn now() -> Timestamp {
    Timestamp::now()
}

fn new_uuid() -> String {
    uuid::Uuid::now_v7().to_string()
}
