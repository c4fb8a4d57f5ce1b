//! One open database and everything the window shows of it: the list, the open note, the
//! sidebar's counts. Reads for the list go to the [`ListWorker`]; writes and single-note loads
//! use the window's own connection (each takes about a millisecond).

use std::sync::Arc;

use super::contact_editor::{ContactEditor, NOTES_ABOUT_SHOWN};
use super::lists::{ContactList, NoteList};
use super::note_editor::Editor;
use super::palette::Palette;
use super::typeahead::Typeahead;
use crate::db::{
    ContactDraft, ContactFilter, ContactId, DbError, NoteFilter, NoteId, Repository, Version,
};
use crate::exchange::{ExchangeError, Progress};
use crate::ui::command::Conflict;
use crate::ui::format::today;
use crate::ui::settings::{ContactSortChoice, SortChoice};
use crate::ui::worker::{Job, JobDone, ListWorker, Reply, Request, SidebarCounts, Watched};

/// How many contacts the "Add person" input suggests.
pub const PEOPLE_SHOWN: usize = 6;

/// Which half of the app the window shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Section {
    #[default]
    Notes,
    Contacts,
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
    /// The textures of the contacts' thumbnails.
    pub avatars: super::avatars::Avatars,
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
            avatars: Default::default(),
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
                Reply::Tags { generation, result } => {
                    let note = self.editor.as_mut().map(|e| {
                        let chosen = e.tag_names();
                        (&mut e.tags, chosen)
                    });
                    let contact = self
                        .contact_editor
                        .as_mut()
                        .map(|e| (&mut e.groups, e.draft.groups.clone()));
                    for (typeahead, chosen) in note.into_iter().chain(contact) {
                        match &result {
                            Ok(found) => {
                                typeahead.receive(generation, found, &chosen);
                            }
                            Err(_) => {
                                typeahead.forget(generation);
                            }
                        }
                    }
                    result?;
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
                Reply::ThumbnailsMade => {
                    self.contacts.invalidate();
                    if let Some(editor) = self.contact_editor.as_mut() {
                        editor.thumbnail = self.repo.contact_thumbnail(editor.contact.id)?;
                    }
                }
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

    /// Asks the list thread for tags to suggest under the open note's "Add tag", or groups
    /// under the open contact's "Add group", when what is typed there changed.
    pub fn request_suggestions(&mut self, for_groups: bool) {
        let (typeahead, chosen) = match for_groups {
            false => match self.editor.as_mut() {
                Some(e) => (&mut e.tags, e.note.tags.len()),
                None => return,
            },
            true => match self.contact_editor.as_mut() {
                Some(e) => (&mut e.groups, e.draft.groups.len()),
                None => return,
            },
        };
        let Some(text) = typeahead.wanted() else {
            return;
        };
        self.request_generation += 1;
        typeahead.asked(text.clone(), self.request_generation);
        self.worker.send(Request::Tags {
            generation: self.request_generation,
            text,
            limit: Typeahead::limit(chosen),
        });
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
    pub fn show_section(&mut self, section: Section) -> Result<(), DbError> {
        if self.section == section {
            return Ok(());
        }
        self.apply_search();
        self.section = section;
        self.search_text = match section {
            Section::Notes => self.list.search().to_owned(),
            Section::Contacts => self.contacts.search().to_owned(),
        };
        // Notes may have been trashed, renamed or linked while the contact page was hidden.
        if section == Section::Contacts
            && let Some(editor) = self.contact_editor.as_mut()
        {
            editor.notes_about = self
                .repo
                .notes_about_contact_page(editor.contact.id, NOTES_ABOUT_SHOWN)?;
        }
        Ok(())
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
        let draft = ContactDraft::from(contact.clone());
        let notes_about = self.repo.notes_about_contact_page(id, NOTES_ABOUT_SHOWN)?;
        let names: Vec<&str> = draft.related.iter().map(|r| r.name.as_str()).collect();
        let related = self.repo.contacts_named(&names)?;
        let thumbnail = self.repo.contact_thumbnail(id)?;
        let mut editor = ContactEditor::new(contact, draft, notes_about, related);
        editor.thumbnail = thumbnail;
        self.contact_editor = Some(editor);
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
                if editor.title != editor.note.title || editor.body != editor.note.body {
                    // Someone else's text: the next keystroke starts a session of its own,
                    // which keeps that text in the history before writing over it. (A pin or
                    // a tag of the window's own changes the version, not the text.)
                    editor.session_open = false;
                }
                editor.title = editor.note.title.clone();
                editor.body = editor.note.body.clone();
                editor.base = editor.note.version;
            }
        }
        if let Some(editor) = self.contact_editor.as_mut() {
            let id = editor.contact.id;
            editor.contact = self.repo.contact(id)?;
            editor.notes_about = self.repo.notes_about_contact_page(id, NOTES_ABOUT_SHOWN)?;
            editor.thumbnail = self.repo.contact_thumbnail(id)?;
            if editor.dirty_since.is_none() {
                editor.show_stored(ContactDraft::from(editor.contact.clone()));
                editor.base = editor.contact.version;
            } else {
                // Keep what is being typed; take what changed outside the form.
                editor.draft.favorite = editor.contact.favorite;
                editor.draft.photo.clone_from(&editor.contact.photo);
            }
        }
        self.watch();
        Ok(())
    }

    /// Names attachments in a note's text: where the cursor is when the note is open and
    /// editable (saved by the next autosave), else at the end of its stored text, saved now
    /// over the version just read.
    pub fn insert_references(
        &mut self,
        ctx: &egui::Context,
        note: NoteId,
        references: &[String],
        now: f64,
    ) -> Result<(), DbError> {
        let text = references.join("\n");
        if let Some(editor) = self
            .editor
            .as_mut()
            .filter(|e| e.note.id == note && !e.is_read_only())
        {
            editor.insert_at_cursor(ctx, &text, now);
            return Ok(());
        }
        let stored = self.repo.note(note)?;
        let separator = if stored.body.is_empty() || stored.body.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        let body = format!("{}{separator}{text}\n", stored.body);
        // Not the open note: an edit of its own, so the text before it is kept.
        self.repo.update_note_with(
            note,
            stored.version,
            &stored.title,
            &body,
            crate::db::EditSession::Starts,
        )?;
        self.list.invalidate();
        Ok(())
    }

    /// The note open in the editor, when it can be edited (not in the trash) and the notes are
    /// shown: where attachments go.
    pub fn editable_note(&self) -> Option<NoteId> {
        let editor = self.editor.as_ref()?;
        (self.section == Section::Notes && !editor.is_read_only()).then_some(editor.note.id)
    }

    /// Reads the attachments the open note's text names, when its references changed (an
    /// idle frame reads nothing).
    pub fn refresh_attachments(&mut self) {
        let Some(editor) = self.editor.as_mut() else {
            return;
        };
        let Some(refs) = editor.attachments_to_read() else {
            return;
        };
        editor.attachments = if refs.is_empty() {
            Vec::new()
        } else {
            self.repo
                .attachments_named_in(&editor.body)
                .unwrap_or_else(|e| {
                    log::warn!("the note's attachments could not be read: {e}");
                    Vec::new()
                })
        };
        editor.attachments_for = Some(refs);
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
}
