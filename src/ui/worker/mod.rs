//! The list's reads run on this thread, over a second connection to the same file (WAL lets it
//! read while the window's connection writes), so typing and scrolling never wait for a query.
//! While the user is idle it also merges the search index's segments.
//!
//! It also notices changes made outside the window (the command line, another program): while
//! the window is shown it reads `PRAGMA data_version` at most once a second, and when that
//! moved it reads the versions of the open note and contact and tells the window
//! ([`Reply::OutsideChange`]). Nothing else runs while the user is idle.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::exchange::{ExchangeError, Progress};

mod jobs;

pub use jobs::{Job, JobDone};

use crate::db::{
    ContactFilter, ContactId, ContactQuery, ContactSummary, DbError, GoToHit, HistoryRetention,
    IndexMerge, NoteFilter, NoteId, NoteQuery, NoteSummary, QueryCounter, Repository, Tag,
    TagUsage, Timestamp, Version,
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
/// Thumbnails made per idle step: a photo takes 5 to 50 ms to decode, so an autosave waits at
/// most a few tenths of a second behind a step.
const THUMBNAILS_PER_STEP: i64 = 4;
/// Notes whose old revisions one idle step thins: a few milliseconds of work.
const NOTES_PER_THINNING_STEP: i64 = 64;
/// How often revisions are thinned again: they age while the window stays open.
const THIN_HISTORY_EVERY: Duration = Duration::from_secs(6 * 60 * 60);
/// How often the file is checked for changes made outside the window, while it is shown.
pub const OUTSIDE_CHANGE_POLL: Duration = Duration::from_secs(1);

/// The open note and contact, with the version the window has of each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Watched {
    pub note: Option<(NoteId, Version)>,
    pub contact: Option<(ContactId, Version)>,
}

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
    /// Tags (for a note) or groups (for a contact) to suggest for what was typed: they share
    /// one table.
    Tags {
        generation: u64,
        text: String,
        limit: i64,
    },
    /// A long write the user asked for, run here so the window stays responsive; its progress
    /// is counted in the shared [`Progress`].
    Job(Job, Arc<Progress>),
    /// The window wrote: merge the index again when idle. The write is the window's own, so it
    /// is not reported back as an outside change; `Watched` says what the window now has open.
    DataChanged(Watched),
    /// The window opened or closed a note or contact.
    Watch(Watched),
    /// How long revisions are kept: thin them by this rule when idle (and again every few
    /// hours). Nothing is thinned before the window says.
    HistoryRetention(HistoryRetention),
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
            Request::Tags { generation, .. } => Some((5, *generation)),
            Request::Job(..)
            | Request::DataChanged(_)
            | Request::Watch(_)
            | Request::HistoryRetention(_) => None,
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
    Tags {
        generation: u64,
        result: Result<Vec<Tag>, DbError>,
    },
    Job {
        job: Job,
        result: Result<JobDone, ExchangeError>,
    },
    /// Thumbnails of contact photos were made: the contacts list reads its rows again.
    ThumbnailsMade,
    /// Something else wrote to the file. `lists`: the lists and counts may be out of date. The
    /// stored versions of the open note and contact (`None` inside: deleted for good), so the
    /// window reloads what changed.
    OutsideChange {
        lists: bool,
        note: Option<(NoteId, Option<Version>)>,
        contact: Option<(ContactId, Option<Version>)>,
    },
}

pub struct ListWorker {
    requests: Option<Sender<Request>>,
    replies: Receiver<Reply>,
    queries: QueryCounter,
    /// Whether the window is shown (not minimised): only then is the file polled.
    shown: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ListWorker {
    /// Starts the thread on `repo`, the window's second connection (made with
    /// [`Repository::another_connection`]). `wake` is called after each reply (the window
    /// repaints).
    pub fn start(
        mut repo: Repository,
        wake: impl Fn() + Send + 'static,
    ) -> Result<Self, crate::db::OpenError> {
        let path = repo.path().to_owned();
        let queries = repo.count_queries();
        let (request_tx, request_rx) = mpsc::channel();
        let (reply_tx, reply_rx) = mpsc::channel();
        let shown = Arc::new(AtomicBool::new(true));
        let thread_shown = Arc::clone(&shown);
        let thread = std::thread::Builder::new()
            .name("folio-lists".to_owned())
            .spawn(move || serve(&mut repo, &request_rx, &reply_tx, &wake, &thread_shown))
            .map_err(|e| crate::db::OpenError::Database {
                path,
                detail: e.to_string(),
            })?;
        Ok(ListWorker {
            requests: Some(request_tx),
            replies: reply_rx,
            queries,
            shown,
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

    /// Tells the thread whether the window is shown; a minimised window polls nothing.
    pub fn set_shown(&self, shown: bool) {
        self.shown.store(shown, Ordering::Relaxed);
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

/// What the thread knows of the file's changes.
struct ChangeWatch {
    /// `PRAGMA data_version` when last read (`None` before the first read).
    data_version: Option<i64>,
    watched: Watched,
    last_poll: Instant,
}

impl ChangeWatch {
    /// Reads `data_version`; when it moved, the stored versions of the open note and contact.
    /// `None` when nothing changed (or the file cannot be read now: the next poll tries again).
    fn look(&mut self, repo: &mut Repository) -> Option<Reply> {
        self.last_poll = Instant::now();
        let now = repo.data_version().ok()?;
        if self.data_version.is_none_or(|before| before == now) {
            self.data_version = Some(now);
            return None;
        }
        // Taken as seen only once reported: a failed read is tried again at the next poll.
        let reply = self.stored_versions(repo, true)?;
        self.data_version = Some(now);
        Some(reply)
    }

    /// Polls when the window is shown and the last poll is a second old; `false` when the
    /// window has gone (the thread ends).
    fn poll_if_due(
        &mut self,
        repo: &mut Repository,
        shown: &AtomicBool,
        replies: &Sender<Reply>,
        wake: &dyn Fn(),
    ) -> bool {
        if shown.load(Ordering::Relaxed)
            && self.last_poll.elapsed() >= OUTSIDE_CHANGE_POLL
            && let Some(reply) = self.look(repo)
        {
            if replies.send(reply).is_err() {
                return false;
            }
            wake();
        }
        true
    }

    /// The stored versions of what the window has open, as a reply.
    fn stored_versions(&self, repo: &mut Repository, lists: bool) -> Option<Reply> {
        let note = match self.watched.note {
            Some((id, _)) => Some((id, repo.note_version(id).ok()?)),
            None => None,
        };
        let contact = match self.watched.contact {
            Some((id, _)) => Some((id, repo.contact_version(id).ok()?)),
            None => None,
        };
        Some(Reply::OutsideChange {
            lists,
            note,
            contact,
        })
    }

    /// After a write of the window's own: its change is not news, but one made by someone else
    /// just before it would be missed, so the open items' versions are compared with the
    /// window's.
    fn window_wrote(&mut self, repo: &mut Repository, watched: Watched) -> Option<Reply> {
        self.watched = watched;
        if let Ok(now) = repo.data_version() {
            self.data_version = Some(now);
        }
        let reply = self.stored_versions(repo, false)?;
        let Reply::OutsideChange { note, contact, .. } = &reply else {
            return None;
        };
        let note_moved = note
            .zip(watched.note)
            .is_some_and(|((_, stored), (_, shown))| stored != Some(shown));
        let contact_moved = contact
            .zip(watched.contact)
            .is_some_and(|((_, stored), (_, shown))| stored != Some(shown));
        (note_moved || contact_moved).then_some(reply)
    }
}

/// Makes thumbnails for up to `limit` photos that have none; returns how many were made and
/// whether more may be waiting. A photo that is no readable picture gets an empty thumbnail,
/// so it is not tried again (the list shows initials for it). A failed read or write (a
/// read-only file) ends the work quietly: the list shows initials until a later try.
fn make_thumbnails(repo: &mut Repository, limit: i64) -> (usize, bool) {
    let Ok(photos) = repo.photos_without_thumbnail(limit) else {
        return (0, false);
    };
    let more = photos.len() as i64 == limit;
    let mut made = 0;
    for (id, photo) in photos {
        let png = crate::picture::thumbnail(&photo.bytes).unwrap_or_else(|e| {
            log::info!("no thumbnail for contact {}: {e}", id.0);
            Vec::new()
        });
        if repo.store_thumbnail(id, &photo, &png).is_err() {
            return (made, false);
        }
        made += 1;
    }
    (made, more)
}

/// Thinning the notes' history by the retention rule, a few notes per idle step.
#[derive(Default)]
struct HistoryThinning {
    /// The rule; `None` until the window gives it.
    retention: Option<HistoryRetention>,
    /// The last note UUID a step looked at, while a pass is under way.
    after: Option<String>,
    /// When the last pass ended.
    finished: Option<Instant>,
}

impl HistoryThinning {
    fn is_due(&self) -> bool {
        self.retention.is_some_and(|r| !r.keep_everything)
            && self
                .finished
                .is_none_or(|at| at.elapsed() >= THIN_HISTORY_EVERY)
    }

    /// One step of the pass; a failed step (a read-only file) ends the pass, and the next
    /// one comes in a few hours.
    fn step(&mut self, repo: &mut Repository) {
        let Some(retention) = self.retention else {
            return;
        };
        let next = repo.thin_history_step(
            &retention,
            Timestamp::now(),
            self.after.as_deref(),
            NOTES_PER_THINNING_STEP,
        );
        match next {
            Ok(Some(after)) => self.after = Some(after),
            Ok(None) | Err(_) => {
                self.after = None;
                self.finished = Some(Instant::now());
            }
        }
    }
}

fn serve(
    repo: &mut Repository,
    requests: &Receiver<Request>,
    replies: &Sender<Reply>,
    wake: &dyn Fn(),
    shown: &AtomicBool,
) {
    let mut merge_pending = true;
    let mut merge_how = IndexMerge::Levels;
    let mut thumbnails_pending = true;
    let mut thumbnails_unshown = false;
    let mut last_shown = Instant::now();
    let mut last_request = Instant::now();
    let mut thinning = HistoryThinning::default();
    let mut changes = ChangeWatch {
        data_version: repo.data_version().ok(),
        watched: Watched::default(),
        last_poll: Instant::now(),
    };
    loop {
        // While thumbnails are waiting and the user is idle, one step follows another at once
        // (a request still comes first); otherwise the thread wakes for the outside-change poll.
        let idle = last_request.elapsed() >= MERGE_WHEN_IDLE_FOR;
        let stepping = idle && !merge_pending && (thumbnails_pending || thinning.is_due());
        let wait = if stepping {
            Duration::from_millis(1)
        } else {
            OUTSIDE_CHANGE_POLL
        };
        let first = match requests.recv_timeout(wait) {
            Ok(request) => request,
            Err(RecvTimeoutError::Timeout) => {
                if !changes.poll_if_due(repo, shown, replies, wake) {
                    return;
                }
                if last_request.elapsed() < MERGE_WHEN_IDLE_FOR {
                    continue;
                }
                if merge_pending {
                    // A failed step (the file became read-only, say) is not the user's concern
                    // here; the index stays correct, only less compact.
                    merge_pending = repo
                        .merge_search_index_step(MERGE_STEP_PAGES, merge_how)
                        .unwrap_or(false);
                    if !merge_pending {
                        merge_how = IndexMerge::Levels;
                    }
                } else if thumbnails_pending {
                    let (made, more) = make_thumbnails(repo, THUMBNAILS_PER_STEP);
                    thumbnails_pending = more;
                    thumbnails_unshown |= made > 0;
                    // The list reads its rows again at most once a second while they come.
                    if thumbnails_unshown && (!more || last_shown.elapsed() >= OUTSIDE_CHANGE_POLL)
                    {
                        thumbnails_unshown = false;
                        last_shown = Instant::now();
                        if replies.send(Reply::ThumbnailsMade).is_err() {
                            return;
                        }
                        wake();
                    }
                } else if thinning.is_due() {
                    thinning.step(repo);
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        last_request = Instant::now();
        // Answer only the newest generation of each kind: while the user types, older requests
        // are stale.
        let mut batch = vec![first];
        batch.extend(requests.try_iter());
        let mut newest = [0u64; 6];
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
                Request::DataChanged(watched) => {
                    merge_pending = true;
                    thumbnails_pending = true;
                    match changes.window_wrote(repo, watched) {
                        Some(reply) => reply,
                        None => continue,
                    }
                }
                Request::Watch(watched) => {
                    changes.watched = watched;
                    continue;
                }
                Request::HistoryRetention(retention) => {
                    thinning = HistoryThinning {
                        retention: Some(retention),
                        ..HistoryThinning::default()
                    };
                    continue;
                }
                Request::Job(job, progress) => {
                    merge_pending = true;
                    thumbnails_pending = true;
                    // An import leaves many small index segments: merge them all when idle.
                    if matches!(job, Job::Import(_) | Job::ImportCsv(..)) {
                        merge_how = IndexMerge::Everything;
                    }
                    let result = job.run(repo, &progress);
                    // The job's writes are this connection's own: data_version does not move
                    // for them, and the window refreshes after a job anyway.
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
                Request::Tags {
                    generation,
                    text,
                    limit,
                } => Reply::Tags {
                    generation,
                    result: repo.suggest_tags(&text, limit),
                },
            };
            if replies.send(reply).is_err() {
                return;
            }
            wake();
        }
        // A user who never pauses still sees outside changes within about a second.
        if !changes.poll_if_due(repo, shown, replies, wake) {
            return;
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
