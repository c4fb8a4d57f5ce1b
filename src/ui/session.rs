//! One open database and everything the window shows of it: the list, the open note, the
//! sidebar's counts. Reads for the list go to the [`ListWorker`]; writes and single-note loads
//! use the window's own connection (each takes about a millisecond).

use chrono::NaiveDate;
use egui_commonmark::CommonMarkCache;

use super::app::Item;
use super::contact_editor::{ContactEditor, NOTES_ABOUT_SHOWN};
use super::list_worker::{Job, JobDone, ListWorker, Reply, Request, SidebarCounts, Watched};
use super::paged_list::{ListKind, PagedList, View};
use super::settings::{ContactSortChoice, SortChoice};
use crate::db::{
    ContactFilter, ContactId, ContactQuery, ContactSummary, DbError, GoToHit, Note, NoteFilter,
    NoteId, NoteQuery, NoteSummary, Repository, Tag, Version,
};
use std::sync::Arc;

use crate::exchange::{ExchangeError, Progress};

/// How many contacts the "Add person" input suggests.
pub const PEOPLE_SHOWN: usize = 6;

/// Which half of the app the window shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Section {
    #[default]
    Notes,
    Contacts,
}

pub struct NoteRows;

impl ListKind for NoteRows {
    type Row = NoteSummary;
    type Id = NoteId;
    type Filter = NoteFilter;
    type Sort = SortChoice;

    fn id(row: &NoteSummary) -> NoteId {
        row.id
    }

    fn request(
        view: &View<NoteFilter, SortChoice>,
        generation: u64,
        offset: usize,
        limit: usize,
        with_total: bool,
    ) -> Request {
        Request::NoteRows {
            generation,
            query: NoteQuery {
                filter: view.filter,
                search: view.search.clone(),
                sort: view.sort.note_sort(),
                offset: offset as i64,
                limit: limit as i64,
            },
            with_total,
        }
    }

    fn prepare(row: &mut NoteSummary) {
        // A row shows its preview on one line: join it once here, not in every frame.
        row.preview = row.preview.split_whitespace().collect::<Vec<_>>().join(" ");
    }
}

pub struct ContactRows;

impl ListKind for ContactRows {
    type Row = ContactSummary;
    type Id = ContactId;
    type Filter = ContactFilter;
    type Sort = ContactSortChoice;

    fn id(row: &ContactSummary) -> ContactId {
        row.id
    }

    fn request(
        view: &View<ContactFilter, ContactSortChoice>,
        generation: u64,
        offset: usize,
        limit: usize,
        with_total: bool,
    ) -> Request {
        Request::ContactRows {
            generation,
            query: ContactQuery {
                filter: view.filter,
                search: view.search.clone(),
                sort: view.sort.contact_sort(),
                offset: offset as i64,
                limit: limit as i64,
            },
            with_total,
        }
    }
}

pub type NoteList = PagedList<NoteRows>;
pub type ContactList = PagedList<ContactRows>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorMode {
    Edit,
    Preview,
}

/// The note open in the detail pane, with its unsaved text.
pub struct Editor {
    /// The note as last read or saved.
    pub note: Note,
    /// The version the text was edited from: a save names it, so a note changed elsewhere
    /// meanwhile is never written over.
    pub base: Version,
    pub title: String,
    pub body: String,
    /// When (egui time, seconds) the first edit not yet saved was made.
    pub dirty_since: Option<f64>,
    /// When the last edit was made; autosave waits for a pause after it.
    pub last_edit: f64,
    pub mode: EditorMode,
    pub tag_input: String,
    pub tag_suggestions: Vec<Tag>,
    /// The tag input text the suggestions are for.
    pub suggestions_for: Option<String>,
    pub markdown: CommonMarkCache,
    /// The contacts the note is about.
    pub people: Vec<ContactSummary>,
    pub person_input: String,
    pub person_suggestions: Vec<ContactSummary>,
    /// The text the suggestions shown were asked for.
    pub person_suggestions_for: Option<String>,
    /// A request for suggestions is out (the list thread answers it).
    pub person_suggestions_pending: Option<u64>,
    /// Enter was pressed in the People input: act once the suggestions are current.
    pub person_enter_pending: bool,
}

impl Editor {
    fn new(note: Note, people: Vec<ContactSummary>) -> Self {
        Editor {
            people,
            person_input: String::new(),
            person_suggestions: Vec::new(),
            person_suggestions_for: None,
            person_suggestions_pending: None,
            person_enter_pending: false,
            title: note.title.clone(),
            body: note.body.clone(),
            base: note.version,
            note,
            dirty_since: None,
            last_edit: 0.0,
            mode: EditorMode::Edit,
            tag_input: String::new(),
            tag_suggestions: Vec::new(),
            suggestions_for: None,
            markdown: CommonMarkCache::default(),
        }
    }

    pub fn is_read_only(&self) -> bool {
        self.note.deleted.is_some()
    }

    pub fn mark_edited(&mut self, now: f64) {
        self.dirty_since.get_or_insert(now);
        self.last_edit = now;
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    Pending,
    /// Another connection (an import) holds the write lock; the edit waits in the window and
    /// is tried again shortly.
    Waiting,
    Failed(String),
}

/// Text that could not be written over a note or contact changed elsewhere, kept as a copy
/// beside it. The window says so once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    Note {
        /// `None` when the original was deleted for good elsewhere.
        original: Option<NoteId>,
        copy: NoteId,
        copy_title: String,
    },
    Contact {
        original: Option<ContactId>,
        copy: ContactId,
        copy_name: String,
    },
}

/// The Ctrl+K palette: what was typed and what it found.
#[derive(Default)]
pub struct Palette {
    pub text: String,
    /// The text the shown results are for.
    pub results_for: String,
    pub results: Vec<GoToHit>,
    pub highlighted: usize,
    /// Enter was pressed before the results for the text arrived: open the first when they do.
    pub open_when_current: bool,
    generation: u64,
    requested_for: Option<String>,
}

impl Palette {
    /// Whether the results shown are for the text typed.
    pub fn is_current(&self) -> bool {
        self.text.trim() == self.results_for.trim()
    }
}

pub struct Session {
    pub repo: Repository,
    pub worker: ListWorker,
    /// Keeps other windows off this database while it is shown (see [`crate::instance`]).
    pub instance_lock: Option<crate::instance::InstanceLock>,
    pub section: Section,
    pub list: NoteList,
    pub contacts: ContactList,
    pub sidebar: SidebarCounts,
    sidebar_generation: u64,
    sidebar_requested: u64,
    pub editor: Option<Editor>,
    pub contact_editor: Option<ContactEditor>,
    pub palette: Option<Palette>,
    /// The long write running on the list thread, since when, and how far it has come.
    pub job: Option<(Job, std::time::Instant, Arc<Progress>)>,
    /// Jobs that finished, for the app to follow up (messages, closing what they removed).
    pub finished_jobs: Vec<(Job, Result<JobDone, ExchangeError>)>,
    /// Numbers the one-off requests (People suggestions) so only the newest answer counts.
    request_generation: u64,
    pub save_state: SaveState,
    /// After a save failed: not before this time (egui seconds) is it tried again.
    pub save_retry_at: Option<f64>,
    /// Conflict copies just made, oldest first; the window says so, one at a time.
    pub conflicts: Vec<Conflict>,
    /// The text in the search box; applied to the list after a short pause.
    pub search_text: String,
    pub search_edited_at: Option<f64>,
    /// Keys such as Delete and the arrows act on the list (not on a text field).
    pub list_focused: bool,
}

impl Session {
    pub fn new(
        repo: Repository,
        worker: ListWorker,
        sort: SortChoice,
        contact_sort: ContactSortChoice,
    ) -> Self {
        Session {
            repo,
            worker,
            instance_lock: None,
            section: Section::Notes,
            list: NoteList::new(NoteFilter::All, sort),
            contacts: ContactList::new(ContactFilter::All, contact_sort),
            sidebar: SidebarCounts::default(),
            sidebar_generation: 1,
            sidebar_requested: 0,
            editor: None,
            contact_editor: None,
            palette: None,
            request_generation: 0,
            job: None,
            finished_jobs: Vec::new(),
            save_state: SaveState::Saved,
            save_retry_at: None,
            conflicts: Vec::new(),
            search_text: String::new(),
            search_edited_at: None,
            list_focused: false,
        }
    }

    /// Takes in what the worker answered.
    pub fn receive_replies(&mut self) -> Result<(), DbError> {
        while let Some(reply) = self.worker.try_recv() {
            match reply {
                Reply::NoteRows {
                    generation,
                    offset,
                    result,
                } => {
                    let (rows, total) = result?;
                    self.list.receive(generation, offset, rows, total);
                }
                Reply::ContactRows {
                    generation,
                    offset,
                    result,
                } => {
                    let (rows, total) = result?;
                    self.contacts.receive(generation, offset, rows, total);
                }
                Reply::Sidebar { generation, result } => {
                    if generation == self.sidebar_generation {
                        self.sidebar = result?;
                    }
                }
                Reply::People { generation, result } => {
                    if let Some(editor) = self.editor.as_mut()
                        && editor.person_suggestions_pending == Some(generation)
                    {
                        editor.person_suggestions_pending = None;
                        let found = result.inspect_err(|_| {
                            // Nothing to take on Enter: the suggestions shown are not for this
                            // text.
                            editor.person_suggestions.clear();
                            editor.person_enter_pending = false;
                        })?;
                        editor.person_suggestions = found
                            .into_iter()
                            .filter(|c| !editor.people.iter().any(|p| p.id == c.id))
                            .take(PEOPLE_SHOWN)
                            .collect();
                    }
                }
                Reply::Job { job, result } => {
                    self.job = None;
                    self.data_changed();
                    self.finished_jobs.push((job, result));
                }
                Reply::OutsideChange {
                    lists,
                    note,
                    contact,
                } => self.outside_change(lists, note, contact)?,
                Reply::GoTo { generation, result } => {
                    if let Some(palette) = self.palette.as_mut()
                        && generation == palette.generation
                    {
                        palette.results = result?;
                        palette.results_for = palette.requested_for.clone().unwrap_or_default();
                        palette.highlighted = 0;
                    }
                }
            }
        }
        Ok(())
    }

    /// The open note and contact, with the stored version the window last read of each.
    fn watched(&self) -> Watched {
        Watched {
            note: self.editor.as_ref().map(|e| (e.note.id, e.note.version)),
            contact: self
                .contact_editor
                .as_ref()
                .map(|e| (e.contact.id, e.contact.version)),
        }
    }

    /// Tells the list thread what is open now.
    fn watch(&self) {
        self.worker.send(Request::Watch(self.watched()));
    }

    /// Another program (or the command line) wrote to the file: the lists are read again, and
    /// the open note or contact too if its stored version is not the one shown. Text being
    /// typed stays; its save then finds the other version and keeps both
    /// ([`Session::save_editor`]).
    fn outside_change(
        &mut self,
        lists: bool,
        note: Option<(NoteId, Option<Version>)>,
        contact: Option<(ContactId, Option<Version>)>,
    ) -> Result<(), DbError> {
        if lists {
            self.list.invalidate();
            self.contacts.invalidate();
            self.sidebar_generation += 1;
        }
        let mut reload = false;
        if let Some((id, stored)) = note
            && let Some(editor) = self.editor.as_ref().filter(|e| e.note.id == id)
        {
            match stored {
                Some(version) => reload |= version != editor.note.version,
                // Deleted for good elsewhere: nothing to show, unless there is text to keep.
                None if editor.dirty_since.is_none() => self.close_editor(),
                None => {}
            }
        }
        if let Some((id, stored)) = contact
            && let Some(editor) = self.contact_editor.as_ref().filter(|e| e.contact.id == id)
        {
            match stored {
                Some(version) => reload |= version != editor.contact.version,
                None if editor.dirty_since.is_none() => self.close_contact(),
                None => {}
            }
        }
        if reload {
            // Deleted for good between the thread's look and this one: the next look says so.
            match self.reload_editor() {
                Err(DbError::NotFound { .. }) => {}
                other => other?,
            }
            self.list.invalidate();
            self.contacts.invalidate();
            self.sidebar_generation += 1;
        }
        Ok(())
    }

    /// Asks for the sidebar's counts if they are out of date.
    pub fn request_sidebar(&mut self) {
        if self.sidebar_requested != self.sidebar_generation {
            self.sidebar_requested = self.sidebar_generation;
            self.worker.send(Request::Sidebar {
                generation: self.sidebar_generation,
                today: today(),
            });
        }
    }

    /// Starts a long write on the list thread, after saving any edit (the job's transaction
    /// then never waits for the window's). One at a time.
    pub fn start_job(&mut self, job: Job) -> Result<(), DbError> {
        if self.job.is_some() {
            return Err(DbError::Invalid(
                "Another import or export is still running; try again when it is done.".to_owned(),
            ));
        }
        self.save_editor()?;
        let progress = Arc::new(Progress::default());
        self.job = Some((job.clone(), std::time::Instant::now(), progress.clone()));
        self.worker.send(Request::Job(job, progress));
        Ok(())
    }

    /// Asks the list thread for contacts to suggest under the open note's People, for what is
    /// typed there; the suggestions shown stay until the answer comes.
    pub fn request_person_suggestions(&mut self, text: &str) {
        self.request_generation += 1;
        if let Some(editor) = self.editor.as_mut() {
            editor.person_suggestions_for = Some(text.to_owned());
            editor.person_suggestions_pending = Some(self.request_generation);
            self.worker.send(Request::People {
                generation: self.request_generation,
                text: text.to_owned(),
            });
        }
    }

    /// Asks for the palette's results when its text changed since the last request.
    pub fn request_palette(&mut self) {
        let Some(palette) = self.palette.as_mut() else {
            return;
        };
        let text = palette.text.trim().to_owned();
        if palette.requested_for.as_deref() == Some(text.as_str()) {
            return;
        }
        // From the session's counter, which only grows: a reply meant for an earlier palette or
        // an earlier text can never pass for this one.
        self.request_generation += 1;
        palette.generation = self.request_generation;
        palette.requested_for = Some(text.clone());
        if text.is_empty() {
            palette.results.clear();
            palette.results_for.clear();
            return;
        }
        self.worker.send(Request::GoTo {
            generation: palette.generation,
            text,
        });
    }

    /// After any write: the lists, the sidebar and the index merging all need another look.
    pub fn data_changed(&mut self) {
        self.list.invalidate();
        self.contacts.invalidate();
        self.sidebar_generation += 1;
        self.worker.send(Request::DataChanged(self.watched()));
    }

    /// The search box's text applies to the list of the section shown.
    pub fn apply_search(&mut self) {
        self.search_edited_at = None;
        let search = self.search_text.clone();
        match self.section {
            Section::Notes => self.list.set_search(&search),
            Section::Contacts => self.contacts.set_search(&search),
        }
    }

    /// Shows the other half of the app; the search box shows that list's search.
    pub fn show_section(&mut self, section: Section) {
        if self.section != section {
            // Notes may have been trashed, renamed or linked while the contact page was hidden.
            if section == Section::Contacts
                && let Some(editor) = self.contact_editor.as_mut()
                && let Ok(about) = self
                    .repo
                    .notes_about_contact_page(editor.contact.id, NOTES_ABOUT_SHOWN)
            {
                editor.notes_about = about;
            }
            self.apply_search();
            self.section = section;
            self.search_text = match section {
                Section::Notes => self.list.search().to_owned(),
                Section::Contacts => self.contacts.search().to_owned(),
            };
        }
    }

    /// Whether an edit (to a note or a contact) waits to be saved, and since when the last
    /// keystroke was.
    pub fn unsaved_since(&self) -> Option<f64> {
        let note = self
            .editor
            .as_ref()
            .filter(|e| e.dirty_since.is_some())
            .map(|e| e.last_edit);
        let contact = self
            .contact_editor
            .as_ref()
            .filter(|e| e.dirty_since.is_some())
            .map(|e| e.last_edit);
        note.into_iter().chain(contact).reduce(f64::max)
    }

    /// When the unsaved edit (if any) is due to be saved: a pause of `pause` seconds after the
    /// last keystroke, but never later than `at_most` seconds after the first unsaved one, so
    /// steady typing is saved too; and not before a failed save's retry time.
    pub fn autosave_due(&self, pause: f64, at_most: f64) -> Option<f64> {
        let note = self
            .editor
            .as_ref()
            .and_then(|e| Some((e.dirty_since?, e.last_edit)));
        let contact = self
            .contact_editor
            .as_ref()
            .and_then(|e| Some((e.dirty_since?, e.last_edit)));
        let due = note
            .into_iter()
            .chain(contact)
            .map(|(first, last)| (last + pause).min(first + at_most))
            .reduce(f64::min)?;
        Some(self.save_retry_at.map_or(due, |retry| due.max(retry)))
    }

    /// Saves the open note and the open contact if they have unsaved edits. Both are tried
    /// even when one fails; the first error is returned.
    pub fn save_editor(&mut self) -> Result<(), DbError> {
        let note = self.save_note();
        let contact = self.save_contact();
        note.and(contact)
    }

    fn save_contact(&mut self) -> Result<(), DbError> {
        let Some(editor) = self.contact_editor.as_mut() else {
            return Ok(());
        };
        if editor.dirty_since.is_none() {
            return Ok(());
        }
        let id = editor.contact.id;
        match self.repo.update_contact(id, editor.base, &editor.draft) {
            Ok(saved) => {
                editor.base = saved.version;
                editor.contact = saved;
                editor.dirty_since = None;
                self.saved();
                Ok(())
            }
            Err(DbError::Conflict { .. } | DbError::NotFound { .. }) => {
                let draft = editor.draft.clone();
                let copy = self
                    .repo
                    .keep_contact_conflict_copy(&draft)
                    .inspect_err(|e| self.save_failed(e))?;
                let original = self.repo.contact(id).ok().map(|c| c.id);
                self.conflicts.push(Conflict::Contact {
                    original,
                    copy: copy.id,
                    copy_name: copy.display_name.clone(),
                });
                self.saved();
                // The page shows the stored contact, as the other writer left it; the text
                // typed here is the copy's. (Closed first: opening saves what is open.)
                self.contact_editor = None;
                self.open_contact(original.unwrap_or(copy.id))
            }
            Err(e) => {
                self.save_failed(&e);
                Err(e)
            }
        }
    }

    fn saved(&mut self) {
        self.save_state = SaveState::Saved;
        self.save_retry_at = None;
        self.data_changed();
    }

    /// Keeps the edit in the window and says why it is not saved.
    fn save_failed(&mut self, error: &DbError) {
        self.save_state = if matches!(error, DbError::Busy) {
            SaveState::Waiting
        } else {
            SaveState::Failed(error.to_string())
        };
    }

    fn save_note(&mut self) -> Result<(), DbError> {
        let Some(editor) = self.editor.as_mut() else {
            return Ok(());
        };
        if editor.dirty_since.is_none() {
            return Ok(());
        }
        let id = editor.note.id;
        match self
            .repo
            .update_note(id, editor.base, &editor.title, &editor.body)
        {
            Ok(saved) => {
                editor.note.updated = saved.updated;
                editor.note.version = saved.version;
                editor.base = saved.version;
                editor.note.title = editor.title.clone();
                editor.note.body = editor.body.clone();
                editor.dirty_since = None;
                self.saved();
                Ok(())
            }
            Err(DbError::Conflict { .. } | DbError::NotFound { .. }) => {
                let (title, body) = (editor.title.clone(), editor.body.clone());
                let copy = self
                    .repo
                    .keep_conflict_copy(id, &title, &body)
                    .inspect_err(|e| self.save_failed(e))?;
                let original = self.repo.note(id).ok().map(|n| n.id);
                self.conflicts.push(Conflict::Note {
                    original,
                    copy: copy.id,
                    copy_title: copy.title.clone(),
                });
                self.saved();
                // The editor shows the stored note, as the other writer left it; the text
                // typed here is the copy's.
                self.editor = None;
                self.open_note(original.unwrap_or(copy.id))
            }
            Err(e) => {
                self.save_failed(&e);
                Err(e)
            }
        }
    }

    /// The open note's unsaved text as a Markdown file (with a new UUID, so importing it later
    /// adds a note and replaces nothing), else the open contact's unsaved form as a vCard.
    pub fn unsaved_text(&self) -> Option<String> {
        if let Some(editor) = self.editor.as_ref().filter(|e| e.dirty_since.is_some()) {
            let record = crate::db::NoteRecord {
                uuid: uuid::Uuid::now_v7().to_string(),
                title: editor.title.clone(),
                body: editor.body.clone(),
                pinned: editor.note.pinned,
                created: editor.note.created,
                updated: crate::db::Timestamp::now(),
                deleted: None,
                tags: editor.note.tags.iter().map(|t| t.name.clone()).collect(),
                people: Vec::new(),
                source: crate::db::RecordSource::Backup,
            };
            return Some(crate::exchange::markdown::note_to_markdown(
                &record,
                &Default::default(),
            ));
        }
        let editor = self
            .contact_editor
            .as_ref()
            .filter(|e| e.dirty_since.is_some())?;
        let draft = crate::db::ContactDraft {
            uuid: None,
            ..editor.draft.clone()
        };
        Some(crate::exchange::vcard::write_cards(
            &[draft],
            crate::exchange::vcard::CardVersion::V4,
        ))
    }

    /// Throws away the unsaved edit [`Session::unsaved_text`] would write (it was written to
    /// a file, or the user chose to discard it): the editor shows the stored text again.
    pub fn discard_unsaved_note_or_contact(&mut self) {
        if let Some(editor) = self.editor.as_mut().filter(|e| e.dirty_since.is_some()) {
            editor.dirty_since = None;
            editor.title = editor.note.title.clone();
            editor.body = editor.note.body.clone();
            editor.base = editor.note.version;
        } else if let Some(editor) = self.contact_editor.as_mut() {
            editor.dirty_since = None;
            // The form shows the stored contact again, so no later keystroke saves the
            // discarded text.
            if let Ok(draft) = self.repo.contact_draft(editor.contact.id) {
                editor.birthday = super::contact_editor::BirthdayFields::from(draft.birthday);
                editor.draft = draft;
                editor.base = editor.contact.version;
            }
        }
        if self.unsaved_since().is_none() {
            self.save_state = SaveState::Saved;
            self.save_retry_at = None;
        }
    }

    /// Throws away every unsaved edit (the user confirmed it).
    pub fn discard_unsaved(&mut self) {
        while self.unsaved_since().is_some() {
            self.discard_unsaved_note_or_contact();
        }
    }

    /// The version of the open note or contact `item` is, as the window shows it: what a
    /// pin, trash, restore or delete of it names. Saves the open edits first, so the version
    /// is the stored one unless someone else wrote since.
    pub fn shown_version(&mut self, item: Item) -> Result<Version, DbError> {
        let conflicts_before = self.conflicts.len();
        self.save_editor()?;
        if self.conflicts.len() > conflicts_before {
            // The save found another version: the window now shows that one, which the user
            // has not seen yet. Nothing is done to it; the conflict notice explains.
            return Err(DbError::Conflict {
                what: match item {
                    Item::Note(_) => "note",
                    Item::Contact(_) => "contact",
                },
            });
        }
        match item {
            Item::Note(id) => self
                .editor
                .as_ref()
                .filter(|e| e.note.id == id)
                .map(|e| e.base),
            Item::Contact(id) => self
                .contact_editor
                .as_ref()
                .filter(|e| e.contact.id == id)
                .map(|e| e.base),
        }
        .ok_or(DbError::Invalid(
            "It is no longer open in the window, so nothing was changed.".to_owned(),
        ))
    }

    /// Opens a note in the detail pane, saving the one open before.
    pub fn open_note(&mut self, id: NoteId) -> Result<(), DbError> {
        self.save_editor()?;
        let note = self.repo.note(id)?;
        let people = self.repo.contacts_of_note(id)?;
        self.editor = Some(Editor::new(note, people));
        self.list.selected = Some(id);
        self.watch();
        Ok(())
    }

    /// Opens a contact in the detail pane, saving what was open before.
    pub fn open_contact(&mut self, id: ContactId) -> Result<(), DbError> {
        self.save_editor()?;
        let contact = self.repo.contact(id)?;
        let draft = self.repo.contact_draft(id)?;
        let notes_about = self.repo.notes_about_contact_page(id, NOTES_ABOUT_SHOWN)?;
        self.contact_editor = Some(ContactEditor::new(contact, draft, notes_about));
        self.contacts.selected = Some(id);
        self.watch();
        Ok(())
    }

    /// Re-reads the open note and contact (after a change made outside the editor: pin, tags,
    /// people, trash, favourite).
    pub fn reload_editor(&mut self) -> Result<(), DbError> {
        if let Some(editor) = self.editor.as_mut() {
            editor.note = self.repo.note(editor.note.id)?;
            editor.people = self.repo.contacts_of_note(editor.note.id)?;
            // The text may have changed outside the editor (an import); what is being typed
            // stays, and keeps the version it was typed over, so saving it makes a conflict
            // copy instead of overwriting the other change.
            if editor.dirty_since.is_none() {
                editor.title = editor.note.title.clone();
                editor.body = editor.note.body.clone();
                editor.base = editor.note.version;
            }
        }
        if let Some(editor) = self.contact_editor.as_mut() {
            let id = editor.contact.id;
            editor.contact = self.repo.contact(id)?;
            editor.notes_about = self.repo.notes_about_contact_page(id, NOTES_ABOUT_SHOWN)?;
            if editor.dirty_since.is_none() {
                editor.draft = self.repo.contact_draft(id)?;
                editor.birthday =
                    super::contact_editor::BirthdayFields::from(editor.draft.birthday);
                editor.base = editor.contact.version;
            } else {
                // Keep what is being typed; take what changed outside the form.
                editor.draft.favorite = editor.contact.favorite;
            }
        }
        self.watch();
        Ok(())
    }

    /// The open note's tag names (none when no note is open).
    pub fn editor_tag_names(&self) -> Vec<String> {
        self.editor
            .iter()
            .flat_map(|e| e.note.tags.iter().map(|t| t.name.clone()))
            .collect()
    }

    /// Gives the open note exactly these tags.
    pub fn set_editor_tags(&mut self, names: &[String]) -> Result<(), DbError> {
        let Some(id) = self.editor.as_ref().map(|e| e.note.id) else {
            return Ok(());
        };
        let seen = self.shown_version(Item::Note(id))?;
        self.repo.set_note_tags(id, seen, names)?;
        self.data_changed();
        self.reload_editor()
    }

    pub fn close_editor(&mut self) {
        self.editor = None;
        self.list.selected = None;
        self.watch();
    }

    pub fn close_contact(&mut self) {
        self.contact_editor = None;
        self.contacts.selected = None;
        self.watch();
    }

    /// The open contact's group names.
    pub fn contact_group_names(&self) -> Vec<String> {
        self.contact_editor
            .iter()
            .flat_map(|e| e.draft.groups.iter().cloned())
            .collect()
    }
}

/// Today in the user's time zone, for birthdays.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}
