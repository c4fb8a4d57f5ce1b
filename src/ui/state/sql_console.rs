//! View → SQL console: the window's side of [`crate::sql_console`]. The questions run on a
//! thread of their own, over the console's read-only connection, so a slow one never holds a
//! frame; Cancel stops it. The answer is kept for the table, Copy and Export as CSV.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::time::{Duration, Instant};

use crate::sql_console::{Answer, DEFAULT_TIME_LIMIT, SqlConsole};

/// Rows an answer keeps: the table scrolls through them all, drawing only those in view.
pub const ROWS_KEPT: usize = 1_000_000;

/// What each of Folio's tables holds, for the list beside the editor.
const TABLE_LINES: &[(&str, &str)] = &[
    (
        "notes",
        "Every note: title, Markdown body, pinned, dates (ms since 1970), deleted_at in the trash",
    ),
    ("tags", "Note tags and contact groups, one vocabulary"),
    ("note_tags", "Which note has which tag"),
    (
        "contacts",
        "Every contact: names, organisation, birthday, dates, deleted_at in the trash",
    ),
    ("contact_emails", "A contact's emails, labelled, in order"),
    (
        "contact_phones",
        "A contact's phone numbers, labelled, in order",
    ),
    ("contact_addresses", "A contact's postal addresses"),
    ("contact_websites", "A contact's websites"),
    (
        "contact_dates",
        "Anniversaries and other dates of a contact",
    ),
    (
        "contact_related",
        "People related to a contact (spouse, child…)",
    ),
    (
        "contact_profiles",
        "Messaging and social profiles of a contact",
    ),
    ("contact_tags", "Which contact is in which group"),
    ("contact_photos", "Contacts' photos (bytes)"),
    ("note_contacts", "Which note is about which contact"),
    (
        "attachments",
        "Files attached to notes: name, media type, size, SHA-256",
    ),
    ("note_attachments", "Which note names which attachment"),
    (
        "attachment_blobs",
        "The attachments' bytes, once per content",
    ),
    (
        "note_revisions",
        "Notes' earlier versions by note_uuid: saved_at, title, tags (JSON), body_zstd (zstd, or the difference from base_id's)",
    ),
    (
        "revision_attachments",
        "Which revision names which attachment (kept while one does)",
    ),
];

/// Questions to start from.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "Notes per tag",
        "SELECT t.name AS tag, count(*) AS notes\nFROM tags t JOIN note_tags nt ON nt.tag_id = t.id\nJOIN notes n ON n.id = nt.note_id AND n.deleted_at IS NULL\nGROUP BY t.id ORDER BY notes DESC",
    ),
    (
        "Notes per month",
        "SELECT strftime('%Y-%m', created_at / 1000, 'unixepoch') AS month, count(*) AS notes\nFROM notes WHERE deleted_at IS NULL\nGROUP BY month ORDER BY month DESC",
    ),
    (
        "Contacts without an email",
        "SELECT coalesce(nullif(display_name, ''), trim(given_name || ' ' || family_name)) AS name\nFROM contacts c WHERE deleted_at IS NULL\nAND NOT EXISTS (SELECT 1 FROM contact_emails e WHERE e.contact_id = c.id)\nORDER BY sort_given",
    ),
    (
        "Upcoming birthdays",
        "SELECT coalesce(nullif(display_name, ''), trim(given_name || ' ' || family_name)) AS name,\n       printf('%02d-%02d', birthday_month, birthday_day) AS birthday\nFROM contacts WHERE deleted_at IS NULL AND birthday_month IS NOT NULL\nORDER BY (birthday_month * 100 + birthday_day - CAST(strftime('%m%d', 'now') AS INTEGER) + 1300) % 1300",
    ),
];

/// A table of the database, its columns, and a line on what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSchema {
    pub name: String,
    pub about: &'static str,
    pub columns: Vec<String>,
}

enum Request {
    Run(String),
    Export(PathBuf),
}

enum Reply {
    Schema(Vec<TableSchema>),
    Answered(Result<Arc<Answer>, String>, Duration),
    Exported(Result<PathBuf, String>),
    /// The database could not be opened for questions.
    Failed(String),
}

/// The console window while it is open.
pub struct SqlConsoleWindow {
    /// The question being written.
    pub text: String,
    pub schema: Vec<TableSchema>,
    /// Whether the thread has read the schema (the window is ready).
    pub schema_read: bool,
    /// The last answer, shared with the thread for an export.
    pub answer: Option<Arc<Answer>>,
    /// A line under the editor: how the last question went, or why it was refused.
    pub status: Option<(String, bool)>,
    pub running: Option<Instant>,
    requests: Sender<Request>,
    replies: Receiver<Reply>,
    cancel: Arc<AtomicBool>,
}

impl Drop for SqlConsoleWindow {
    /// Closing the window stops the question it runs.
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

impl std::fmt::Debug for SqlConsoleWindow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlConsoleWindow")
            .field("text", &self.text)
            .field("running", &self.running)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl SqlConsoleWindow {
    /// Starts the console's thread, which opens its own read-only connection to `path` (off
    /// the UI thread: the file may be locked a moment) and reads the schema; `wake` repaints
    /// the window when something comes.
    pub fn open(path: &Path, wake: impl Fn() + Send + 'static) -> Result<Self, String> {
        let cancel = Arc::new(AtomicBool::new(false));
        let thread_cancel = Arc::clone(&cancel);
        let path = path.to_owned();
        let (requests, incoming) = mpsc::channel::<Request>();
        let (answers, replies) = mpsc::channel();
        std::thread::Builder::new()
            .name("folio-sql".to_owned())
            .spawn(move || {
                let mut console = match SqlConsole::open(&path) {
                    Ok(console) => console.with_canceller(thread_cancel),
                    Err(e) => {
                        let _ = answers.send(Reply::Failed(e.to_string()));
                        wake();
                        return;
                    }
                };
                let _ = answers.send(Reply::Schema(read_schema(&mut console)));
                wake();
                // Shared with the window, never copied: an answer may be large.
                let mut last: Option<Arc<Answer>> = None;
                while let Ok(request) = incoming.recv() {
                    let reply = match request {
                        Request::Run(sql) => {
                            let started = Instant::now();
                            let answer = console
                                .run(&sql, ROWS_KEPT, DEFAULT_TIME_LIMIT)
                                .map(Arc::new);
                            last = answer.as_ref().ok().cloned();
                            Reply::Answered(answer.map_err(|e| e.to_string()), started.elapsed())
                        }
                        Request::Export(path) => Reply::Exported(match &last {
                            Some(answer) => write_csv(answer, &path).map(|()| path),
                            None => Err("there is no answer to export".to_owned()),
                        }),
                    };
                    if answers.send(reply).is_err() {
                        break;
                    }
                    wake();
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(SqlConsoleWindow {
            text: EXAMPLES[0].1.to_owned(),
            schema: Vec::new(),
            schema_read: false,
            answer: None,
            status: None,
            running: None,
            requests,
            replies,
            cancel,
        })
    }

    /// Asks the thread to answer the question written.
    pub fn run(&mut self) {
        if self.running.is_some() {
            return;
        }
        // Cleared before asking, so a Cancel that comes before the thread starts it counts.
        self.cancel.store(false, Ordering::Relaxed);
        if self.requests.send(Request::Run(self.text.clone())).is_ok() {
            self.running = Some(Instant::now());
            self.status = None;
        }
    }

    /// Stops the running question (it ends as "stopped").
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Writes the last answer to `path` as CSV, on the thread.
    pub fn export(&mut self, path: PathBuf) {
        if self.requests.send(Request::Export(path)).is_ok() {
            self.running = Some(Instant::now());
        }
    }

    /// Takes in what the thread answered (no query runs here).
    pub fn receive(&mut self) {
        loop {
            match self.replies.try_recv() {
                Ok(Reply::Schema(schema)) => {
                    self.schema = schema;
                    self.schema_read = true;
                }
                Ok(Reply::Answered(answer, took)) => {
                    self.running = None;
                    match answer {
                        Ok(answer) => {
                            let rows = answer.rows.len();
                            let more = if answer.truncated {
                                format!(" (the first {ROWS_KEPT}; there are more)")
                            } else {
                                String::new()
                            };
                            self.status = Some((
                                format!(
                                    "{}{more} in {:.0} ms.",
                                    crate::ui::format::count_of(rows as i64, "row"),
                                    took.as_secs_f64() * 1e3
                                ),
                                false,
                            ));
                            self.answer = Some(answer);
                        }
                        Err(why) => self.status = Some((why, true)),
                    }
                }
                Ok(Reply::Failed(why)) => {
                    self.schema_read = true;
                    self.running = None;
                    self.status = Some((
                        format!("The console could not open the database: {why}"),
                        true,
                    ));
                }
                Ok(Reply::Exported(result)) => {
                    self.running = None;
                    self.status = Some(match result {
                        Ok(path) => (format!("Exported to {}.", path.display()), false),
                        Err(why) => (format!("Nothing was exported: {why}"), true),
                    });
                }
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => {
                    if self.running.take().is_some() {
                        self.status = Some(("The console stopped unexpectedly.".to_owned(), true));
                    }
                    return;
                }
            }
        }
    }

    /// The answer as tab-separated lines, header first: what Copy puts on the clipboard.
    pub fn answer_as_tsv(&self) -> String {
        let Some(answer) = &self.answer else {
            return String::new();
        };
        let mut text = answer.columns.join("\t");
        for row in &answer.rows {
            text.push('\n');
            let cells: Vec<String> = row
                .iter()
                .map(|v| v.to_text().replace(['\t', '\n'], " "))
                .collect();
            text.push_str(&cells.join("\t"));
        }
        text
    }
}

/// Folio's tables, each with its columns, read through the console itself.
fn read_schema(console: &mut SqlConsole) -> Vec<TableSchema> {
    let mut tables = Vec::new();
    for (name, about) in TABLE_LINES {
        let Ok(info) = console.run(
            &format!("PRAGMA table_info({name})"),
            200,
            Duration::from_secs(1),
        ) else {
            continue;
        };
        let name_column = info.columns.iter().position(|c| c == "name").unwrap_or(1);
        let columns: Vec<String> = info
            .rows
            .iter()
            .filter_map(|row| row.get(name_column).map(|v| v.to_text()))
            .collect();
        if !columns.is_empty() {
            tables.push(TableSchema {
                name: (*name).to_owned(),
                about,
                columns,
            });
        }
    }
    tables
}

/// Writes an answer as CSV with a header row (to a temporary file renamed into place; the
/// save dialog asked before replacing a file).
fn write_csv(answer: &Answer, path: &Path) -> Result<(), String> {
    crate::exchange::atomic::write_file(path, true, |out| {
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(&answer.columns)
            .map_err(std::io::Error::other)?;
        for row in &answer.rows {
            csv.write_record(row.iter().map(|v| v.to_text()))
                .map_err(std::io::Error::other)?;
        }
        csv.flush()
    })
    .map_err(|e| e.to_string())
}
