//! Note → History…: a note's revisions beside its current text, and the notes deleted for
//! good. Revisions are read and compared on a thread of their own, over its own connection,
//! so a long history never holds a frame.

use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::time::{Duration, Instant};

use crate::db::{DeletedNote, Note, Repository, Revision, RevisionId};
use crate::history::{Comparison, compare, first_changed_line};

/// What the window shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryView {
    /// One note's revisions (by UUID: a note deleted for good has no id).
    Note(String),
    /// The notes deleted for good that still have revisions.
    Deleted,
}

/// A revision as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionRow {
    pub revision: Revision,
    /// The first line of this revision that the next newer state changed.
    pub first_change: String,
}

/// A note's history as read at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteHistory {
    pub uuid: String,
    /// The note now; `None` when it was deleted for good.
    pub current: Option<Note>,
    /// Newest first.
    pub rows: Vec<RevisionRow>,
    /// How long reading and comparing took.
    pub took: Duration,
}

impl NoteHistory {
    /// The text a revision is compared with: the note's current text, or for a note deleted
    /// for good its last revision.
    pub fn newest_text(&self) -> Option<(&str, &str, Vec<String>)> {
        match &self.current {
            Some(note) => Some((
                note.title.as_str(),
                note.body.as_str(),
                note.tags.iter().map(|t| t.name.clone()).collect(),
            )),
            None => self.rows.first().map(|row| {
                (
                    row.revision.summary.title.as_str(),
                    row.revision.body.as_str(),
                    row.revision.tags.clone(),
                )
            }),
        }
    }
}

enum Request {
    Note(String),
    Deleted,
}

enum Reply {
    Note(Result<NoteHistory, String>),
    Deleted(Result<Vec<DeletedNote>, String>),
    /// The thread's connection could not be opened.
    Failed(String),
}

/// The History window while it is open. Requests to its thread and the replies are numbered:
/// a reply to a view the user has left is dropped.
pub struct HistoryWindow {
    pub view: HistoryView,
    pub history: Option<NoteHistory>,
    pub deleted: Option<Vec<DeletedNote>>,
    pub selected: Option<RevisionId>,
    /// The selected revision beside the newest text, compared once per selection.
    pub comparison: Option<(RevisionId, Comparison)>,
    /// Why the last read failed.
    pub error: Option<String>,
    /// A read is out since then.
    pub loading: Option<Instant>,
    /// The retention rule being changed, until Apply.
    pub retention_draft: Option<crate::db::HistoryRetention>,
    requests: Sender<(u64, Request)>,
    replies: Receiver<(u64, Reply)>,
    /// The number of the newest request.
    generation: u64,
}

impl std::fmt::Debug for HistoryWindow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HistoryWindow")
            .field("view", &self.view)
            .field("selected", &self.selected)
            .field("loading", &self.loading)
            .finish_non_exhaustive()
    }
}

impl HistoryWindow {
    /// Starts the window's thread, which opens its own connection with `connect` (off the UI
    /// thread: opening touches the file), and asks it for `view`; `wake` repaints the window
    /// when the answer comes.
    pub fn open(
        connect: impl FnOnce() -> Result<Repository, crate::db::OpenError> + Send + 'static,
        view: HistoryView,
        wake: impl Fn() + Send + 'static,
    ) -> Result<Self, String> {
        let (requests, incoming) = mpsc::channel::<(u64, Request)>();
        let (answers, replies) = mpsc::channel();
        std::thread::Builder::new()
            .name("folio-history".to_owned())
            .spawn(move || {
                let mut repo = match connect() {
                    Ok(repo) => repo,
                    Err(e) => {
                        let _ = answers.send((0, Reply::Failed(e.to_string())));
                        wake();
                        return;
                    }
                };
                while let Ok(request) = incoming.recv() {
                    // Only the newest request counts: the user clicked on meanwhile.
                    let (generation, request) = incoming.try_iter().last().unwrap_or(request);
                    let reply = match request {
                        Request::Note(uuid) => Reply::Note(read_history(&mut repo, &uuid)),
                        Request::Deleted => {
                            Reply::Deleted(repo.deleted_notes().map_err(|e| e.to_string()))
                        }
                    };
                    if answers.send((generation, reply)).is_err() {
                        break;
                    }
                    wake();
                }
            })
            .map_err(|e| e.to_string())?;
        let mut window = HistoryWindow {
            view: HistoryView::Deleted,
            history: None,
            deleted: None,
            selected: None,
            comparison: None,
            error: None,
            loading: None,
            retention_draft: None,
            requests,
            replies,
            generation: 0,
        };
        window.show(view);
        Ok(window)
    }

    /// Shows `view`, read afresh.
    pub fn show(&mut self, view: HistoryView) {
        if self.view != view {
            self.selected = None;
            self.comparison = None;
            self.history = None;
        }
        let request = match &view {
            HistoryView::Note(uuid) => Request::Note(uuid.clone()),
            HistoryView::Deleted => Request::Deleted,
        };
        self.view = view;
        self.error = None;
        self.generation += 1;
        if self.requests.send((self.generation, request)).is_ok() {
            self.loading = Some(Instant::now());
        } else {
            self.error = Some("The history could not be read.".to_owned());
        }
    }

    /// Reads what is shown again (after a restore, or a change elsewhere).
    pub fn refresh(&mut self) {
        self.show(self.view.clone());
    }

    /// Reads the note's history again when the note shown has another version than `open`
    /// (the open note, as the window has it): what "Now" shows follows the typing once it is
    /// saved. No read while one is out.
    pub fn follow(&mut self, open: Option<(&str, crate::db::Version)>) {
        let (Some((uuid, version)), None) = (open, self.loading) else {
            return;
        };
        let shown = self
            .history
            .as_ref()
            .filter(|h| h.uuid == uuid)
            .and_then(|h| h.current.as_ref())
            .map(|note| note.version);
        if shown.is_some_and(|shown| shown != version) {
            self.refresh();
        }
    }

    /// Takes in the thread's answers.
    pub fn receive(&mut self) {
        loop {
            let reply = match self.replies.try_recv() {
                Ok((_, Reply::Failed(e))) => {
                    self.loading = None;
                    self.error = Some(format!("The history could not be read: {e}"));
                    continue;
                }
                Ok((generation, reply)) if generation == self.generation => reply,
                // Asked for a view since left.
                Ok(_) => continue,
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            };
            match reply {
                Reply::Note(history) => {
                    self.loading = None;
                    match history {
                        Ok(history) => {
                            if self.view == HistoryView::Note(history.uuid.clone()) {
                                // The newest revision is selected at first: what changed last.
                                let still_there = self.selected.filter(|id| {
                                    history.rows.iter().any(|r| r.revision.summary.id == *id)
                                });
                                self.selected = still_there.or_else(|| {
                                    history.rows.first().map(|r| r.revision.summary.id)
                                });
                                self.comparison = None;
                                self.history = Some(history);
                            }
                        }
                        Err(e) => self.error = Some(e),
                    }
                }
                Reply::Failed(_) => {}
                Reply::Deleted(deleted) => {
                    self.loading = None;
                    match deleted {
                        Ok(deleted) => self.deleted = Some(deleted),
                        Err(e) => self.error = Some(e),
                    }
                }
            }
        }
        self.compare_selected();
    }

    pub fn select(&mut self, id: RevisionId) {
        self.selected = Some(id);
        self.compare_selected();
    }

    /// The selected revision, with its row.
    pub fn selected_row(&self) -> Option<&RevisionRow> {
        let id = self.selected?;
        self.history
            .as_ref()?
            .rows
            .iter()
            .find(|r| r.revision.summary.id == id)
    }

    /// Compares the selected revision with the newest text, once per selection.
    fn compare_selected(&mut self) {
        let Some(id) = self.selected else {
            self.comparison = None;
            return;
        };
        if self.comparison.as_ref().is_some_and(|(c, _)| *c == id) {
            return;
        }
        let Some(history) = self.history.as_ref() else {
            return;
        };
        let (Some(row), Some((_, newest_body, _))) = (self.selected_row(), history.newest_text())
        else {
            return;
        };
        let comparison = compare(&row.revision.body, newest_body);
        self.comparison = Some((id, comparison));
    }
}

/// A note's revisions, each with the first line the next newer state changed.
pub fn read_history(repo: &mut Repository, uuid: &str) -> Result<NoteHistory, String> {
    let started = Instant::now();
    let current = repo.note_by_uuid(uuid).map_err(|e| e.to_string())?;
    let revisions = repo
        .note_revisions_with_text(uuid)
        .map_err(|e| e.to_string())?;
    let mut rows = Vec::with_capacity(revisions.len());
    let mut newer: Option<(String, String)> = current
        .as_ref()
        .map(|note| (note.title.clone(), note.body.clone()));
    for revision in revisions {
        let first_change = match &newer {
            Some((_, body)) if *body != revision.body => first_changed_line(&revision.body, body),
            Some((title, _)) if *title != revision.summary.title => {
                format!("Title: {}", revision.summary.title)
            }
            Some(_) => String::new(),
            None => first_changed_line(&revision.body, ""),
        };
        newer = Some((revision.summary.title.clone(), revision.body.clone()));
        rows.push(RevisionRow {
            revision,
            first_change,
        });
    }
    Ok(NoteHistory {
        uuid: uuid.to_owned(),
        current,
        rows,
        took: started.elapsed(),
    })
}
