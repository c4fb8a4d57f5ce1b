//! "Ask your own data a question": one read-only SQL statement over a Folio file, safe by
//! construction whatever is typed (issue 18). Diesel does not expose SQLite's authorizer,
//! progress handler, limits or `sqlite3_stmt_readonly`, so this module talks to SQLite through
//! `libsqlite3-sys` directly; every `unsafe` block of it is here, each with why it is sound.
//!
//! The layers, each enough on its own for most mistakes and together for all:
//! - its own connection, opened read-only (`mode=ro`, `SQLITE_OPEN_READONLY`), then
//!   `PRAGMA query_only`;
//! - `SQLITE_DBCONFIG_DEFENSIVE` (no `writable_schema`, no shadow-table writes) and
//!   `SQLITE_LIMIT_ATTACHED` 0 (no `ATTACH`);
//! - an authorizer that allows reads, `SELECT`, recursive CTEs and functions (but not
//!   `load_extension`), and a short list of read-only pragmas without an argument that sets
//!   anything; it denies everything else, `ATTACH`, `DETACH`, writes, DDL, transactions and
//!   `VACUUM` included;
//! - one statement only (anything after it but comments and spaces is refused), and
//!   `sqlite3_stmt_readonly` must say it reads only;
//! - a time limit, checked by a progress handler, and a row limit.

use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::path::Path;
use std::ptr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use libsqlite3_sys as ffi;
use serde::Serialize;

/// How long one statement may run by default.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(5);
/// The longest text or blob one value may be: a note or a photo fits; `randomblob(1e9)` does
/// not.
const MAX_VALUE_BYTES: c_int = 16 * 1024 * 1024;
/// The most an answer's values may hold in all: past it, the rows are cut as by the row limit.
const MAX_ANSWER_BYTES: usize = 256 * 1024 * 1024;

/// Pragmas a question may use: each only reads, and is allowed only without `= value`.
const READ_ONLY_PRAGMAS: &[&str] = &[
    "table_info",
    "table_xinfo",
    "table_list",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
    "collation_list",
    "function_list",
    "database_list",
];

/// One value of a result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    /// A blob, shown as `x'…'` hex in text and as that string in JSON.
    Blob(#[serde(serialize_with = "blob_as_hex")] Vec<u8>),
}

impl Value {
    /// About how much memory it holds.
    fn bytes(&self) -> usize {
        match self {
            Value::Text(t) => t.len(),
            Value::Blob(b) => b.len(),
            _ => 8,
        }
    }

    /// The start of its text, for a table cell: at most `chars` characters.
    pub fn preview(&self, chars: usize) -> String {
        match self {
            Value::Text(t) if t.len() > chars => t.chars().take(chars).collect(),
            Value::Blob(b) if b.len() > chars / 2 => {
                format!("{}… ({} bytes)", &hex_literal(&b[..chars / 2]), b.len())
            }
            other => other.to_text(),
        }
    }
}

fn blob_as_hex<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex_literal(bytes))
}

fn hex_literal(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(bytes.len() * 2 + 3);
    text.push_str("x'");
    for byte in bytes {
        let _ = write!(text, "{byte:02x}");
    }
    text.push('\'');
    text
}

impl Value {
    /// The value as a CSV cell or a table cell shows it.
    pub fn to_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Integer(i) => i.to_string(),
            Value::Real(r) => r.to_string(),
            Value::Text(t) => t.clone(),
            Value::Blob(b) => hex_literal(b),
        }
    }
}

/// What a question answered: its columns, its rows (at most the limit asked for), and
/// whether more rows were left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Answer {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// Why a question was not answered, in words; the file is untouched either way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(
        "Only questions that read are answered; this one would change the database or uses \
         something a question may not (ATTACH, VACUUM, a PRAGMA that sets, load_extension). \
         SQLite says: {0}"
    )]
    NotReadOnly(String),
    #[error("Only one statement is run at a time; remove what follows the first.")]
    MoreThanOneStatement,
    #[error("There is no statement to run.")]
    Empty,
    #[error("It ran longer than {0:?} and was stopped.")]
    TimedOut(Duration),
    #[error("It was stopped.")]
    Cancelled,
    #[error("SQLite could not run it: {0}")]
    Sqlite(String),
    #[error("{0}")]
    Open(String),
}

/// What the progress handler reads: when to stop.
struct Deadline {
    until: Instant,
    cancel: Arc<AtomicBool>,
    timed_out: AtomicBool,
}

/// A read-only connection for questions.
pub struct SqlConsole {
    db: *mut ffi::sqlite3,
    cancel: Arc<AtomicBool>,
}

// SAFETY: the connection is opened with SQLITE_OPEN_FULLMUTEX, so SQLite serialises every use
// of the handle; the console is moved to a worker thread, never shared by reference.
unsafe impl Send for SqlConsole {}

impl Drop for SqlConsole {
    fn drop(&mut self) {
        // SAFETY: `db` came from sqlite3_open_v2 and is closed once, here; every statement is
        // finalized before `run` returns, so the close succeeds and frees everything.
        unsafe {
            ffi::sqlite3_close(self.db);
        }
    }
}

/// The authorizer: SQLite calls it while preparing each statement, once per action.
extern "C" fn authorize(
    _user: *mut c_void,
    action: c_int,
    first: *const c_char,
    second: *const c_char,
    _database: *const c_char,
    _trigger: *const c_char,
) -> c_int {
    let text = |p: *const c_char| {
        if p.is_null() {
            None
        } else {
            // SAFETY: SQLite passes NUL-terminated strings valid for the call, or NULL.
            Some(
                unsafe { CStr::from_ptr(p) }
                    .to_string_lossy()
                    .to_lowercase(),
            )
        }
    };
    let allowed = match action {
        ffi::SQLITE_SELECT | ffi::SQLITE_READ | ffi::SQLITE_RECURSIVE => true,
        // The function's name is the second argument.
        ffi::SQLITE_FUNCTION => text(second).is_none_or(|name| name != "load_extension"),
        // A pragma's name, then its argument: `PRAGMA table_info(notes)` has "notes";
        // `PRAGMA journal_mode=DELETE` has "DELETE", and journal_mode is not on the list.
        ffi::SQLITE_PRAGMA => {
            text(first).is_some_and(|name| READ_ONLY_PRAGMAS.contains(&name.as_str()))
        }
        _ => false,
    };
    if allowed {
        ffi::SQLITE_OK
    } else {
        ffi::SQLITE_DENY
    }
}

/// The progress handler: a non-zero answer interrupts the statement.
extern "C" fn progress(user: *mut c_void) -> c_int {
    // SAFETY: `user` is the `Deadline` that `run` registers for the statement's lifetime and
    // unregisters before it goes out of scope.
    let deadline = unsafe { &*(user as *const Deadline) };
    if deadline.cancel.load(Ordering::Relaxed) {
        return 1;
    }
    if Instant::now() >= deadline.until {
        deadline.timed_out.store(true, Ordering::Relaxed);
        return 1;
    }
    0
}

/// SQLite's message for the connection's last error.
fn last_error(db: *mut ffi::sqlite3) -> String {
    // SAFETY: `db` is an open handle; sqlite3_errmsg returns a NUL-terminated string it owns,
    // copied here before any other call on the handle.
    unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db)) }
        .to_string_lossy()
        .into_owned()
}

impl SqlConsole {
    /// Opens `path` for questions only. Refuses a file that is not SQLite (its schema is read
    /// once here).
    pub fn open(path: &Path) -> Result<SqlConsole, Refusal> {
        let uri = crate::db::read_only_uri(path).map_err(Refusal::Open)?;
        let uri = CString::new(uri).map_err(|_| Refusal::Open("the path holds a NUL".into()))?;
        let mut db = ptr::null_mut();
        let flags = ffi::SQLITE_OPEN_READONLY | ffi::SQLITE_OPEN_URI | ffi::SQLITE_OPEN_FULLMUTEX;
        // SAFETY: `uri` is NUL-terminated; `db` receives a handle (or NULL when out of memory),
        // closed by Drop or just below on failure.
        let opened = unsafe { ffi::sqlite3_open_v2(uri.as_ptr(), &mut db, flags, ptr::null()) };
        let console = SqlConsole {
            db,
            cancel: Arc::new(AtomicBool::new(false)),
        };
        if opened != ffi::SQLITE_OK || db.is_null() {
            let why = if db.is_null() {
                "out of memory".to_owned()
            } else {
                last_error(db)
            };
            return Err(Refusal::Open(format!(
                "{} could not be opened: {why}",
                path.display()
            )));
        }
        console.set_up().map_err(|why| {
            Refusal::Open(format!("{} could not be opened: {why}", path.display()))
        })?;
        Ok(console)
    }

    fn set_up(&self) -> Result<(), String> {
        let db = self.db;
        // SAFETY: `db` is open. Each call takes plain integers (and a null out-pointer, which
        // SQLITE_DBCONFIG_* allows); the authorizer is a plain function with no user data.
        unsafe {
            let mut set = 0;
            for option in [
                ffi::SQLITE_DBCONFIG_DEFENSIVE,
                ffi::SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION,
                ffi::SQLITE_DBCONFIG_TRUSTED_SCHEMA,
            ] {
                let on = c_int::from(option == ffi::SQLITE_DBCONFIG_DEFENSIVE);
                if ffi::sqlite3_db_config(db, option, on, &mut set as *mut c_int) != ffi::SQLITE_OK
                {
                    return Err(last_error(db));
                }
            }
            ffi::sqlite3_limit(db, ffi::SQLITE_LIMIT_ATTACHED, 0);
            ffi::sqlite3_limit(db, ffi::SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES);
            // Waiting for another program's lock counts against no progress handler: short.
            ffi::sqlite3_busy_timeout(db, 1000);
            let pragma = c"PRAGMA query_only = 1";
            if ffi::sqlite3_exec(db, pragma.as_ptr(), None, ptr::null_mut(), ptr::null_mut())
                != ffi::SQLITE_OK
            {
                return Err(last_error(db));
            }
            // Reads the schema: a file that is no database says so here, not at the first
            // question.
            let check = c"SELECT count(*) FROM sqlite_schema";
            if ffi::sqlite3_exec(db, check.as_ptr(), None, ptr::null_mut(), ptr::null_mut())
                != ffi::SQLITE_OK
            {
                return Err(last_error(db));
            }
            if ffi::sqlite3_set_authorizer(db, Some(authorize), ptr::null_mut()) != ffi::SQLITE_OK {
                return Err(last_error(db));
            }
        }
        Ok(())
    }

    /// Uses `cancel` as its Cancel switch, which another thread flips to stop the running
    /// question. It stays on until cleared: the one asking clears it before each question.
    pub fn with_canceller(mut self, cancel: Arc<AtomicBool>) -> Self {
        self.cancel = cancel;
        self
    }

    /// Runs one read-only statement, keeping at most `row_limit` rows, for at most
    /// `time_limit`.
    pub fn run(
        &mut self,
        sql: &str,
        row_limit: usize,
        time_limit: Duration,
    ) -> Result<Answer, Refusal> {
        // The caller clears the cancel switch before asking (see `with_canceller`): a Cancel that
        // comes before this question starts still stops it.
        let statement = Statement::prepare(self.db, sql)?;
        let deadline = Deadline {
            until: Instant::now()
                .checked_add(time_limit)
                .unwrap_or_else(|| Instant::now() + Duration::from_secs(24 * 3600)),
            cancel: Arc::clone(&self.cancel),
            timed_out: AtomicBool::new(false),
        };
        // SAFETY: `deadline` outlives the statement's steps: the handler is removed below,
        // before `deadline` is dropped, on every path out of this block.
        unsafe {
            ffi::sqlite3_progress_handler(
                self.db,
                1000,
                Some(progress),
                &deadline as *const Deadline as *mut c_void,
            );
        }
        let answer = statement.collect(row_limit);
        // SAFETY: as above; a null handler unregisters it.
        unsafe {
            ffi::sqlite3_progress_handler(self.db, 0, None, ptr::null_mut());
        }
        match answer {
            Err(Refusal::Sqlite(_)) if deadline.timed_out.load(Ordering::Relaxed) => {
                Err(Refusal::TimedOut(time_limit))
            }
            Err(Refusal::Sqlite(_)) if self.cancel.load(Ordering::Relaxed) => {
                Err(Refusal::Cancelled)
            }
            other => other,
        }
    }
}

/// One prepared statement, finalized when dropped.
struct Statement {
    db: *mut ffi::sqlite3,
    stmt: *mut ffi::sqlite3_stmt,
}

impl Drop for Statement {
    fn drop(&mut self) {
        // SAFETY: `stmt` came from sqlite3_prepare_v2 on `db` and is finalized once, here.
        unsafe {
            ffi::sqlite3_finalize(self.stmt);
        }
    }
}

impl Statement {
    /// Prepares the first statement of `sql`, refusing more than one and anything that
    /// writes.
    fn prepare(db: *mut ffi::sqlite3, sql: &str) -> Result<Statement, Refusal> {
        let text = CString::new(sql).map_err(|_| Refusal::Sqlite("it holds a NUL".into()))?;
        let mut stmt = ptr::null_mut();
        let mut tail: *const c_char = ptr::null();
        // SAFETY: `text` is NUL-terminated (-1: read to the NUL); `stmt` and `tail` receive
        // a statement (finalized by Statement's Drop) and a pointer into `text`.
        let prepared =
            unsafe { ffi::sqlite3_prepare_v2(db, text.as_ptr(), -1, &mut stmt, &mut tail) };
        if prepared != ffi::SQLITE_OK {
            let why = last_error(db);
            // The authorizer's refusal reads "not authorized".
            return Err(if why.contains("not authorized") {
                Refusal::NotReadOnly(why)
            } else {
                Refusal::Sqlite(why)
            });
        }
        if stmt.is_null() {
            return Err(Refusal::Empty);
        }
        let statement = Statement { db, stmt };
        // What follows the first statement must be nothing but spaces and comments: it is
        // prepared too, and must give no statement.
        // SAFETY: `tail` points into `text` (still alive), at its NUL at the latest.
        let rest = unsafe { CStr::from_ptr(tail) }.to_bytes();
        if !rest.iter().all(u8::is_ascii_whitespace) {
            let mut next = ptr::null_mut();
            // SAFETY: as above, for the rest of `text`; a statement it gives is finalized
            // right away.
            let code = unsafe { ffi::sqlite3_prepare_v2(db, tail, -1, &mut next, ptr::null_mut()) };
            let more = !next.is_null();
            // SAFETY: finalizing NULL is a no-op.
            unsafe {
                ffi::sqlite3_finalize(next);
            }
            if more || code != ffi::SQLITE_OK {
                return Err(Refusal::MoreThanOneStatement);
            }
        }
        // SAFETY: `stmt` is a prepared statement.
        if unsafe { ffi::sqlite3_stmt_readonly(statement.stmt) } == 0 {
            return Err(Refusal::NotReadOnly(
                "this statement would change the database".to_owned(),
            ));
        }
        Ok(statement)
    }

    /// Steps through the rows, keeping at most `row_limit`.
    fn collect(&self, row_limit: usize) -> Result<Answer, Refusal> {
        let stmt = self.stmt;
        // SAFETY: `stmt` is prepared; the column count and names are read before stepping,
        // and each name is copied at once.
        let columns: Vec<String> = unsafe {
            let count = ffi::sqlite3_column_count(stmt);
            (0..count)
                .map(|i| {
                    let name = ffi::sqlite3_column_name(stmt, i);
                    if name.is_null() {
                        String::new()
                    } else {
                        CStr::from_ptr(name).to_string_lossy().into_owned()
                    }
                })
                .collect()
        };
        let mut answer = Answer {
            columns,
            ..Answer::default()
        };
        let mut held = 0;
        loop {
            // SAFETY: `stmt` is prepared and stepped on this thread only.
            let code = unsafe { ffi::sqlite3_step(stmt) };
            match code {
                ffi::SQLITE_ROW => {
                    if answer.rows.len() == row_limit || held > MAX_ANSWER_BYTES {
                        answer.truncated = true;
                        break;
                    }
                    let row = self.row(answer.columns.len());
                    held += row.iter().map(Value::bytes).sum::<usize>();
                    answer.rows.push(row);
                }
                ffi::SQLITE_DONE => break,
                _ => return Err(Refusal::Sqlite(last_error(self.db))),
            }
        }
        Ok(answer)
    }

    /// The values of the current row.
    fn row(&self, columns: usize) -> Vec<Value> {
        let stmt = self.stmt;
        (0..columns as c_int)
            .map(|i| {
                // SAFETY: the statement is on a row and `i` is a column of it; text and blob
                // pointers are copied before the next call on the statement, with the length
                // SQLite reports for them.
                unsafe {
                    match ffi::sqlite3_column_type(stmt, i) {
                        ffi::SQLITE_INTEGER => Value::Integer(ffi::sqlite3_column_int64(stmt, i)),
                        ffi::SQLITE_FLOAT => Value::Real(ffi::sqlite3_column_double(stmt, i)),
                        ffi::SQLITE_TEXT => {
                            let text = ffi::sqlite3_column_text(stmt, i);
                            let len = ffi::sqlite3_column_bytes(stmt, i).max(0) as usize;
                            if text.is_null() {
                                Value::Text(String::new())
                            } else {
                                let bytes = std::slice::from_raw_parts(text, len);
                                Value::Text(String::from_utf8_lossy(bytes).into_owned())
                            }
                        }
                        ffi::SQLITE_BLOB => {
                            let blob = ffi::sqlite3_column_blob(stmt, i) as *const u8;
                            let len = ffi::sqlite3_column_bytes(stmt, i).max(0) as usize;
                            if blob.is_null() {
                                Value::Blob(Vec::new())
                            } else {
                                Value::Blob(std::slice::from_raw_parts(blob, len).to_vec())
                            }
                        }
                        _ => Value::Null,
                    }
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn console() -> (tempfile::TempDir, SqlConsole) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("f.folio");
        let mut repo = crate::db::Repository::open(&path).unwrap_or_else(|e| panic!("{e}"));
        repo.create_note(&crate::db::NewNote {
            title: "Hello".into(),
            body: "world".into(),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{e}"));
        drop(repo);
        let console = SqlConsole::open(&path).unwrap_or_else(|e| panic!("{e}"));
        (dir, console)
    }

    #[test]
    fn a_question_is_answered_with_columns_and_rows() {
        let (_dir, mut console) = console();
        let answer = console
            .run(
                "SELECT title, length(body) AS n, NULL, x'ff' FROM notes",
                10,
                DEFAULT_TIME_LIMIT,
            )
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(answer.columns, ["title", "n", "NULL", "x'ff'"]);
        assert_eq!(
            answer.rows,
            [vec![
                Value::Text("Hello".into()),
                Value::Integer(5),
                Value::Null,
                Value::Blob(vec![0xff])
            ]]
        );
        let json = serde_json::to_string(&answer).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"columns":["title","n","NULL","x'ff'"],"rows":[["Hello",5,null,"x'ff'"]]}"#
        );
    }

    #[test]
    fn what_is_not_one_reading_statement_is_refused() {
        let (_dir, mut console) = console();
        let mut run = |sql: &str| console.run(sql, 10, DEFAULT_TIME_LIMIT);
        for sql in [
            "INSERT INTO tags (name, name_key) VALUES ('x', 'x')",
            "UPDATE notes SET title = 'x'",
            "DELETE FROM notes",
            "DROP TABLE notes",
            "CREATE TABLE t (x)",
            "ATTACH 'other.db' AS x",
            "VACUUM INTO 'copy.db'",
            "PRAGMA journal_mode=DELETE",
            "PRAGMA writable_schema=1",
            "SELECT load_extension('x')",
            "BEGIN",
        ] {
            assert!(run(sql).is_err(), "{sql}");
        }
        assert_eq!(
            run("SELECT 1; DELETE FROM notes"),
            Err(Refusal::MoreThanOneStatement)
        );
        assert_eq!(
            run("SELECT 1; -- a comment\n DELETE FROM notes"),
            Err(Refusal::MoreThanOneStatement)
        );
        assert!(run("SELECT 1; -- only a comment\n").is_ok());
        assert!(run("PRAGMA table_info(notes)").is_ok());
        assert_eq!(run("  -- nothing"), Err(Refusal::Empty));
    }

    #[test]
    fn a_runaway_query_stops_at_the_time_limit() {
        let (_dir, mut console) = console();
        let started = Instant::now();
        let limit = Duration::from_millis(300);
        let result = console.run(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
            10,
            limit,
        );
        assert_eq!(result, Err(Refusal::TimedOut(limit)));
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn rows_past_the_limit_are_left_out_and_said_so() {
        let (_dir, mut console) = console();
        let answer = console
            .run(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 50) SELECT i FROM n",
                20,
                DEFAULT_TIME_LIMIT,
            )
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(answer.rows.len(), 20);
        assert!(answer.truncated);
    }
}
