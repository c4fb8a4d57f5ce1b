//! The list's reads run on this thread, over a second connection to the same file (WAL lets it
//! read while the window's connection writes), so typing and scrolling never wait for a query.
//! While the user is idle it also merges the search index's segments.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::NaiveDate;

use crate::exchange::import::{self, ContactFormat, ContactScope, ImportReport, NoteScope};
use crate::exchange::{ExchangeError, Progress, backup, contacts_csv};

use crate::db::{
    ContactFilter, ContactQuery, ContactSummary, DbError, GoToHit, IndexMerge, NoteFilter,
    NoteQuery, NoteSummary, QueryCounter, Repository, TagUsage,
};

/// How many results of each kind the go-to palette shows.
pub const GO_TO_LIMIT: i64 = 8;
/// How many contacts are fetched to suggest under a note's People (those already on the note
/// are left out of the few shown).
pub const PEOPLE_SUGGESTIONS: i64 = 12;

/// How long the user must be idle before the index is merged.
const MERGE_WHEN_IDLE_FOR: Duration = Duration::from_secs(3);
/// Pages per merge step: small enough that an autosave waits only milliseconds behind one.
const MERGE_STEP_PAGES: i32 = 64;

/// What the sidebar shows: live counts of each list, the tags and the groups.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SidebarCounts {
    pub all: i64,
    pub pinned: i64,
    pub trash: i64,
    /// Tags used by at least one live note, with that number.
    pub tags: Vec<TagUsage>,
    pub contacts: i64,
    pub favorites: i64,
    pub birthdays: i64,
    pub contacts_trash: i64,
    /// Groups of at least one live contact, with that number.
    pub groups: Vec<TagUsage>,
}

pub enum Request {
    /// Rows `query.offset ..` of the notes list; `with_total` also counts the whole list.
    NoteRows {
        generation: u64,
        query: NoteQuery,
        with_total: bool,
    },
    ContactRows {
        generation: u64,
        query: ContactQuery,
        with_total: bool,
    },
    /// The sidebar's counts; upcoming birthdays are counted from `today`.
    Sidebar { generation: u64, today: NaiveDate },
    /// The go-to palette's results for what was typed.
    GoTo { generation: u64, text: String },
    /// Contacts to suggest under a note's People for what was typed.
    People { generation: u64, text: String },
    /// A long write the user asked for, run here so the window stays responsive; its progress
    /// is counted in the shared [`Progress`].
    Job(Job, Arc<Progress>),
    /// The data changed: merge the index again when idle.
    DataChanged,
}

/// Work that may take long: writes that may touch every row, imports and exports. It runs on
/// the list thread with a progress window; each write is one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    EmptyNoteTrash,
    EmptyContactTrash,
    TrashAllContacts,
    /// Import these files and folders.
    Import(Vec<PathBuf>),
    /// Export notes to this new folder.
    ExportMarkdown(PathBuf, NoteScope),
    /// Write notes as one HTML file (the save dialog confirmed replacing one).
    ExportHtml(PathBuf, NoteScope),
    /// Write a backup to this file (the save dialog confirmed replacing one).
    Backup(PathBuf),
    /// Write contacts to this file (the save dialog confirmed replacing one).
    ExportContacts(PathBuf, ContactFormat, ContactScope),
    /// Import a CSV file of contacts whose columns hold these fields (as the user mapped them).
    ImportCsv(PathBuf, Vec<contacts_csv::Field>),
}

/// What a job did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobDone {
    /// Rows deleted or moved.
    Count(usize),
    Imported(ImportReport),
    /// Notes (and contacts, for a backup) written.
    Exported {
        notes: usize,
        contacts: usize,
    },
}

impl Job {
    /// What the progress window says while it runs.
    pub fn describe(&self) -> &'static str {
        match self {
            Job::EmptyNoteTrash => "Emptying the notes' trash…",
            Job::EmptyContactTrash => "Emptying the contacts' trash…",
            Job::TrashAllContacts => "Moving every contact to the Trash…",
            Job::Import(_) | Job::ImportCsv(..) => "Importing…",
            Job::ExportMarkdown(..) | Job::ExportHtml(..) => "Exporting the notes…",
            Job::ExportContacts(..) => "Exporting the contacts…",
            Job::Backup(_) => "Backing up…",
        }
    }

    /// Whether the user can stop it half-way (nothing is changed then).
    pub fn can_cancel(&self) -> bool {
        matches!(self, Job::Import(_) | Job::ImportCsv(..))
    }

    fn run(&self, repo: &mut Repository, progress: &Progress) -> Result<JobDone, ExchangeError> {
        Ok(match self {
            Job::EmptyNoteTrash => JobDone::Count(repo.empty_note_trash()?),
            Job::EmptyContactTrash => JobDone::Count(repo.empty_contact_trash()?),
            Job::TrashAllContacts => JobDone::Count(repo.trash_all_contacts()?),
            Job::Import(paths) => {
                JobDone::Imported(import::import_paths_with(repo, paths, progress)?)
            }
            Job::ExportMarkdown(folder, scope) => JobDone::Exported {
                notes: import::export_markdown_folder(repo, folder, scope)?,
                contacts: 0,
            },
            Job::ExportHtml(file, scope) => JobDone::Exported {
                notes: import::export_html_file(repo, file, true, scope)?,
                contacts: 0,
            },
            Job::ImportCsv(file, fields) => {
                JobDone::Imported(import::import_csv_with(repo, file, fields, progress)?)
            }
            Job::ExportContacts(file, format, scope) => JobDone::Exported {
                notes: 0,
                contacts: import::export_contacts_file(repo, file, true, *format, scope)?,
            },
            Job::Backup(file) => {
                let summary = backup::write_backup(repo, file, true)?;
                JobDone::Exported {
                    notes: summary.notes,
                    contacts: summary.contacts,
                }
            }
        })
    }
}

impl Request {
    /// Requests of one kind supersede older ones of the same kind.
    fn kind_and_generation(&self) -> Option<(usize, u64)> {
        match self {
            Request::NoteRows { generation, .. } => Some((0, *generation)),
            Request::ContactRows { generation, .. } => Some((1, *generation)),
            Request::Sidebar { generation, .. } => Some((2, *generation)),
            Request::GoTo { generation, .. } => Some((3, *generation)),
            Request::People { generation, .. } => Some((4, *generation)),
            Request::Job(..) | Request::DataChanged => None,
        }
    }
}

pub enum Reply {
    NoteRows {
        generation: u64,
        offset: i64,
        result: Result<(Vec<NoteSummary>, Option<i64>), DbError>,
    },
    ContactRows {
        generation: u64,
        offset: i64,
        result: Result<(Vec<ContactSummary>, Option<i64>), DbError>,
    },
    Sidebar {
        generation: u64,
        result: Result<SidebarCounts, DbError>,
    },
    GoTo {
        generation: u64,
        result: Result<Vec<GoToHit>, DbError>,
    },
    People {
        generation: u64,
        result: Result<Vec<ContactSummary>, DbError>,
    },
    Job {
        job: Job,
        result: Result<JobDone, ExchangeError>,
    },
}

pub struct ListWorker {
    requests: Option<Sender<Request>>,
    replies: Receiver<Reply>,
    queries: QueryCounter,
    thread: Option<JoinHandle<()>>,
}

impl ListWorker {
    /// Opens a second connection to `path` and starts the thread. `wake` is called after each
    /// reply (the window repaints).
    pub fn start(
        path: &Path,
        wake: impl Fn() + Send + 'static,
    ) -> Result<Self, crate::db::OpenError> {
        let mut repo = Repository::open(path)?;
        let queries = repo.count_queries();
        let (request_tx, request_rx) = mpsc::channel();
        let (reply_tx, reply_rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("folio-lists".to_owned())
            .spawn(move || serve(&mut repo, &request_rx, &reply_tx, &wake))
            .map_err(|e| crate::db::OpenError::Database {
                path: path.to_owned(),
                detail: e.to_string(),
            })?;
        Ok(ListWorker {
            requests: Some(request_tx),
            replies: reply_rx,
            queries,
            thread: Some(thread),
        })
    }

    pub fn send(&self, request: Request) {
        if let Some(requests) = &self.requests {
            // The thread only ends when this sender is dropped, so sending cannot fail while
            // `self` lives; if it somehow has, the list just stops updating.
            let _ = requests.send(request);
        }
    }

    pub fn try_recv(&self) -> Option<Reply> {
        self.replies.try_recv().ok()
    }

    /// Statements run by the thread's connection (tests check idle frames run none).
    pub fn query_counter(&self) -> &QueryCounter {
        &self.queries
    }
}

impl Drop for ListWorker {
    fn drop(&mut self) {
        self.requests = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    repo: &mut Repository,
    requests: &Receiver<Request>,
    replies: &Sender<Reply>,
    wake: &dyn Fn(),
) {
    let mut merge_pending = true;
    let mut merge_how = IndexMerge::Levels;
    loop {
        let first = match requests.recv_timeout(MERGE_WHEN_IDLE_FOR) {
            Ok(request) => request,
            Err(RecvTimeoutError::Timeout) => {
                if merge_pending {
                    // A failed step (the file became read-only, say) is not the user's concern
                    // here; the index stays correct, only less compact.
                    merge_pending = repo
                        .merge_search_index_step(MERGE_STEP_PAGES, merge_how)
                        .unwrap_or(false);
                    if !merge_pending {
                        merge_how = IndexMerge::Levels;
                    }
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        // Answer only the newest generation of each kind: while the user types, older requests
        // are stale.
        let mut batch = vec![first];
        batch.extend(requests.try_iter());
        let mut newest = [0u64; 5];
        for (kind, generation) in batch.iter().filter_map(Request::kind_and_generation) {
            newest[kind] = newest[kind].max(generation);
        }
        for request in batch {
            if let Some((kind, generation)) = request.kind_and_generation()
                && generation < newest[kind]
            {
                continue;
            }
            let reply = match request {
                Request::DataChanged => {
                    merge_pending = true;
                    continue;
                }
                Request::Job(job, progress) => {
                    merge_pending = true;
                    // An import leaves many small index segments: merge them all when idle.
                    if matches!(job, Job::Import(_) | Job::ImportCsv(..)) {
                        merge_how = IndexMerge::Everything;
                    }
                    let result = job.run(repo, &progress);
                    Reply::Job { job, result }
                }
                Request::NoteRows {
                    generation,
                    query,
                    with_total,
                } => Reply::NoteRows {
                    generation,
                    offset: query.offset,
                    result: note_rows(repo, &query, with_total),
                },
                Request::ContactRows {
                    generation,
                    query,
                    with_total,
                } => Reply::ContactRows {
                    generation,
                    offset: query.offset,
                    result: contact_rows(repo, &query, with_total),
                },
                Request::Sidebar { generation, today } => Reply::Sidebar {
                    generation,
                    result: sidebar(repo, today),
                },
                Request::GoTo { generation, text } => Reply::GoTo {
                    generation,
                    result: repo.go_to(&text, GO_TO_LIMIT),
                },
                Request::People { generation, text } => Reply::People {
                    generation,
                    result: repo.contacts_page(&ContactQuery {
                        search: text,
                        limit: PEOPLE_SUGGESTIONS,
                        ..ContactQuery::default()
                    }),
                },
            };
            if replies.send(reply).is_err() {
                return;
            }
            wake();
        }
    }
}

fn contact_rows(
    repo: &mut Repository,
    query: &ContactQuery,
    with_total: bool,
) -> Result<(Vec<ContactSummary>, Option<i64>), DbError> {
    if with_total {
        let page = repo.list_contacts(query)?;
        Ok((page.items, Some(page.total)))
    } else {
        Ok((repo.contacts_page(query)?, None))
    }
}

fn note_rows(
    repo: &mut Repository,
    query: &NoteQuery,
    with_total: bool,
) -> Result<(Vec<NoteSummary>, Option<i64>), DbError> {
    let (mut items, total) = if with_total {
        let page = repo.list_notes(query)?;
        (page.items, Some(page.total))
    } else {
        (repo.notes_page(query)?, None)
    };
    if !query.search.trim().is_empty() {
        let ids: Vec<_> = items.iter().map(|n| n.id).collect();
        let mut snippets = repo.search_snippets(&ids, &query.search)?;
        for item in &mut items {
            if let Some(snippet) = snippets.remove(&item.id) {
                item.preview = snippet;
            }
        }
    }
    Ok((items, total))
}

fn sidebar(repo: &mut Repository, today: NaiveDate) -> Result<SidebarCounts, DbError> {
    let count = |repo: &mut Repository, filter| {
        repo.count_notes(&NoteQuery {
            filter,
            ..NoteQuery::default()
        })
    };
    let count_contacts = |repo: &mut Repository, filter| {
        repo.count_contacts(&ContactQuery {
            filter,
            ..ContactQuery::default()
        })
    };
    let usage = repo.tags_with_usage()?;
    Ok(SidebarCounts {
        all: count(repo, NoteFilter::All)?,
        pinned: count(repo, NoteFilter::Pinned)?,
        trash: count(repo, NoteFilter::Trash)?,
        tags: usage.iter().filter(|u| u.notes > 0).cloned().collect(),
        contacts: count_contacts(repo, ContactFilter::All)?,
        favorites: count_contacts(repo, ContactFilter::Favorites)?,
        birthdays: count_contacts(repo, ContactFilter::UpcomingBirthdays { today })?,
        contacts_trash: count_contacts(repo, ContactFilter::Trash)?,
        groups: usage.into_iter().filter(|u| u.contacts > 0).collect(),
    })
}
