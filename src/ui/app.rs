//! The window: state, the commands views produce, and applying them. Each frame: take in what
//! background threads sent, handle shortcuts, autosave if due, draw, then apply the commands the
//! drawing produced.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use egui::{Context, Id, Key, KeyboardShortcut, Modifiers};

use super::contact_editor::BirthdayInput;
use super::file_dialogs::{Chosen, DialogKind, FileDialogs};
use super::list_worker::{Job, JobDone, ListWorker};
use super::session::{Conflict, SaveState, Section, Session};
use super::settings::{ContactSortChoice, Settings, SortChoice, ThemeChoice};
use super::{contact_views, overlays, palette, views};
use crate::db::{
    ContactFilter, ContactId, ContactQuery, DbError, NewNote, NoteFilter, NoteId, NoteQuery,
    OpenError, Repository, Version,
};
use crate::exchange::contacts_csv::{self, CsvPreview, Field};
use crate::exchange::import::{ContactScope, ImportReport, NoteScope};
use crate::exchange::{ExchangeError, Progress};
use crate::instance;

/// Ids of the text fields that shortcuts move the focus to.
pub const SEARCH_ID: &str = "search-box";
pub const TITLE_ID: &str = "note-title";
pub const BODY_ID: &str = "note-body";
pub const GIVEN_NAME_ID: &str = "contact-given-name";
pub const PALETTE_ID: &str = "go-to-anything";

pub const NEW_NOTE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
pub const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
pub const QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
pub const TRASH: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Delete);
pub const TOGGLE_PREVIEW: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
pub const GO_TO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::K);

/// Timing the app uses; tests shorten nothing but may read these.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Seconds after the last keystroke before a note is saved.
    pub autosave_after: f64,
    /// Seconds after the first unsaved keystroke by which it is saved, however steadily the
    /// typing goes on (a crash then loses at most this much).
    pub autosave_at_most: f64,
    /// Seconds between tries of a save that failed (the database busy with an import, say).
    pub save_retry_after: f64,
    /// Seconds after the last keystroke in the search box before the list follows.
    pub search_after: f64,
    /// Seconds an "Undo" toast stays.
    pub toast_for: f64,
    /// Seconds opening may take before a progress window appears.
    pub progress_after: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            autosave_after: 0.7,
            autosave_at_most: 5.0,
            save_retry_after: 1.0,
            search_after: 0.15,
            toast_for: 8.0,
            progress_after: Duration::from_millis(300),
        }
    }
}

/// A note or a contact: what trash, restore and delete act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Note(NoteId),
    Contact(ContactId),
}

/// Something the user asked for, produced while drawing and applied after it.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    NewNote,
    Select(NoteId),
    ShowList(NoteFilter),
    Sort(SortChoice),
    Trash(Item),
    /// Restores what was just moved to the trash; it names the version the trash made.
    UndoTrash(Item, Version),
    Restore(Item),
    AskDeletePermanently(Item),
    DeletePermanently(Item),
    AskEmptyTrash,
    EmptyTrash,
    SetPinned(NoteId, bool),
    AddTag(String),
    RemoveTag(String),
    /// Links the open note to a contact.
    AddPerson(ContactId),
    /// Creates a contact with this name and links the open note to it.
    AddNewPerson(String),
    RemovePerson(ContactId),
    NewContact,
    SelectContact(ContactId),
    ShowContacts(ContactFilter),
    SortContacts(ContactSortChoice),
    AskEmptyContactTrash,
    EmptyContactTrash,
    AskClearContacts,
    ClearContacts,
    SetFavorite(ContactId, bool),
    AddGroup(String),
    RemoveGroup(String),
    /// Shows the contacts and opens this one (from a person chip on a note).
    GoToContact(ContactId),
    /// Shows the notes and opens this one (from "Notes about" on a contact).
    GoToNote(NoteId),
    OpenPalette,
    ClosePalette,
    ShowDialog(DialogKind),
    /// Export only the notes or contacts of the list as shown (its filter and search).
    ExportShown(DialogKind),
    /// Export only the open note.
    ExportOpenNote(DialogKind),
    /// Import the CSV file whose columns the user has just mapped.
    ImportMappedCsv,
    CancelCsvMapping,
    OpenRecent(PathBuf),
    Quit,
    /// Shows a note or contact beside its conflict copy (from the conflict notice).
    ShowConflict(Conflict),
    /// The unsaved-edit dialog's answers: try saving again, save the text to a file, or
    /// throw it away (after a confirmation) and go on leaving.
    RetryLeaving,
    SaveUnsavedAs,
    DiscardUnsaved,
    StayWithUnsaved,
    Theme(ThemeChoice),
    MoveSelection(isize),
    FocusEditor,
    FocusSearch,
    ClearSearch,
}

/// An error as the user sees it: one sentence, with details on request.
#[derive(Debug, Clone, PartialEq)]
pub struct UserError {
    pub message: String,
    pub detail: Option<String>,
}

impl UserError {
    // Every error the user is shown goes to the log too, with its detail, for bug reports.
    pub fn new(message: impl Into<String>) -> Self {
        let message = message.into();
        log::warn!("shown: {message}");
        UserError {
            message,
            detail: None,
        }
    }

    fn with_detail(message: impl Into<String>, detail: impl std::fmt::Debug) -> Self {
        let message = message.into();
        let detail = format!("{detail:#?}");
        log::warn!("shown: {message}\n{detail}");
        UserError {
            message,
            detail: Some(detail),
        }
    }
}

/// A question that must be answered before something irreversible.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
    DeletePermanently { item: Item, title: String },
    EmptyTrash { count: i64 },
    EmptyContactTrash { count: i64 },
    ClearContacts { count: i64 },
}

/// A short message at the bottom of the window, perhaps with "Undo".
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub message: String,
    /// What "Undo" restores, and the version moving it to the trash made.
    pub undo: Option<(Item, Version)>,
    pub until: f64,
}

/// Where the user was going when an unsaved edit could not be saved.
#[derive(Debug, Clone, PartialEq)]
pub enum Leaving {
    /// Quitting, or closing the window.
    Quit,
    /// Showing another database.
    Open(PathBuf),
}

/// The window stayed because an edit could not be saved; the user chooses what happens to it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnsavedOnLeaving {
    pub leaving: Leaving,
    /// Why the save failed, in words.
    pub reason: String,
    /// "Discard" was pressed once; the second press throws the text away.
    pub confirm_discard: bool,
}

/// A database being opened on a background thread (it may need an upgrade).
struct Opening {
    path: PathBuf,
    started: Instant,
    result: Receiver<Result<Opened, OpenError>>,
}

pub struct FolioApp {
    pub(super) settings: Settings,
    pub(super) timing: Timing,
    dialogs: Box<dyn FileDialogs>,
    pub(super) session: Option<Session>,
    opening: Option<Opening>,
    pending_dialog: Option<(DialogKind, Receiver<Chosen>)>,
    pub(super) error: Option<UserError>,
    pub(super) confirm: Option<Confirm>,
    /// An edit could not be saved on quitting or switching databases.
    pub(super) unsaved_on_leaving: Option<UnsavedOnLeaving>,
    pub(super) toast: Option<Toast>,
    pub(super) show_shortcuts: bool,
    pub(super) show_about: bool,
    /// Which notes the export dialog being shown is for.
    export_scope: Option<NoteScope>,
    contact_export_scope: Option<ContactScope>,
    /// A CSV file of unknown columns, waiting for the user to say what each holds.
    pub(super) csv_mapping: Option<CsvMapping>,
    /// The last import's skipped files and warnings, shown until dismissed.
    pub(super) import_report: Option<ImportReport>,
    pub(super) commands: Vec<Command>,
    theme_applied: Option<ThemeChoice>,
    title_shown: Option<PathBuf>,
    focus_request: Option<&'static str>,
    /// The database to open on the first frame.
    startup: Option<PathBuf>,
    /// Reports start-up timings (see [`StartupProbe`]).
    probe: Option<StartupProbe>,
}

/// With `FOLIO_STARTUP_PROBE` set, prints how long after the process started the first frame
/// and the first frame showing the list came, then (with the value `exit`) closes the window.
/// This is how docs/PERFORMANCE.md measures start-up.
pub struct StartupProbe {
    started: Instant,
    first_frame: Option<Duration>,
    exit: bool,
}

impl StartupProbe {
    pub fn from_env(started: Instant) -> Option<Self> {
        let value = std::env::var("FOLIO_STARTUP_PROBE").ok()?;
        Some(StartupProbe {
            started,
            first_frame: None,
            exit: value == "exit",
        })
    }
}

impl FolioApp {
    /// The app for `database`, which it starts opening on the first frame; the window shows
    /// while it opens.
    pub fn new(
        database: PathBuf,
        settings: Settings,
        dialogs: Box<dyn FileDialogs>,
        timing: Timing,
    ) -> Self {
        FolioApp {
            startup: Some(database),
            probe: None,
            settings,
            timing,
            dialogs,
            session: None,
            opening: None,
            pending_dialog: None,
            error: None,
            confirm: None,
            unsaved_on_leaving: None,
            toast: None,
            show_shortcuts: false,
            show_about: false,
            import_report: None,
            export_scope: None,
            contact_export_scope: None,
            csv_mapping: None,
            commands: Vec::new(),
            theme_applied: None,
            title_shown: None,
            focus_request: None,
        }
    }

    pub fn with_probe(mut self, probe: Option<StartupProbe>) -> Self {
        self.probe = probe;
        self
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn error(&self) -> Option<&UserError> {
        self.error.as_ref()
    }

    /// The open database's path.
    pub fn database_path(&self) -> Option<&Path> {
        self.session.as_ref().map(|s| s.repo.path())
    }

    /// Whether nothing is waiting: no database opening, no list reply outstanding, no edit
    /// unsaved, no search still to apply. Tests step frames until this holds.
    pub fn is_settled(&self) -> bool {
        self.startup.is_none()
            && self.opening.is_none()
            && self.pending_dialog.is_none()
            && self.session.as_ref().is_none_or(|s| {
                let list_current = match s.section {
                    Section::Notes => s.list.is_current(),
                    Section::Contacts => s.contacts.is_current(),
                };
                list_current
                    && s.search_edited_at.is_none()
                    && s.unsaved_since().is_none()
                    && s.palette.as_ref().is_none_or(|p| p.is_current())
                    && s.job.is_none()
                    && s.editor.as_ref().is_none_or(|e| {
                        e.person_suggestions_pending.is_none() && !e.person_enter_pending
                    })
            })
    }

    /// The open session (tests and benches read the repository through it).
    pub fn session_mut(&mut self) -> Option<&mut Session> {
        self.session.as_mut()
    }

    /// Draws one frame.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if let Some(database) = self.startup.take() {
            self.start_opening(&ctx, database);
        }
        self.apply_theme(&ctx);
        if let Some(session) = self.session.as_ref() {
            let minimized = ctx.input(|i| i.viewport().minimized.unwrap_or(false));
            session.worker.set_shown(!minimized);
        }
        self.poll_background(&ctx);
        self.handle_shortcuts(&ctx);
        if ctx.input(|i| i.viewport().close_requested()) && !self.save_before(Leaving::Quit) {
            // The text would be lost: the window stays until the user decides.
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        }
        self.autosave_if_due(&ctx);
        self.apply_search_if_due(&ctx);

        views::top_bar(ui, self);
        views::status_bar(ui, self);
        if let Some(section) = self.session.as_ref().map(|s| s.section) {
            views::sidebar(ui, self);
            match section {
                Section::Notes => {
                    views::note_list(ui, self);
                    views::note_detail(ui, self);
                }
                Section::Contacts => {
                    contact_views::contact_list(ui, self);
                    contact_views::contact_detail(ui, self);
                }
            }
            palette::show(&ctx, self);
            // After the list's rows were asked for, so the worker answers those first.
            if let Some(session) = self.session.as_mut() {
                session.request_sidebar();
                session.request_palette();
            }
        } else {
            views::no_database(ui, self);
        }
        overlays::show(&ctx, self);

        if let Some(id) = self.focus_request.take() {
            ctx.memory_mut(|m| m.request_focus(Id::unique(id)));
        }
        let commands = std::mem::take(&mut self.commands);
        let unsaved_birthday = self.session.as_ref().and_then(|s| {
            let editor = s.contact_editor.as_ref()?;
            (editor.birthday.parse() == BirthdayInput::Invalid)
                .then(|| (editor.contact.id, editor.name()))
        });
        for command in commands {
            self.apply(&ctx, command);
        }
        self.say_if_birthday_dropped(&ctx, unsaved_birthday);
        self.update_title(&ctx);
        self.report_startup(&ctx);
    }

    fn report_startup(&mut self, ctx: &Context) {
        let Some(probe) = self.probe.as_mut() else {
            return;
        };
        let elapsed = probe.started.elapsed();
        let first = *probe.first_frame.get_or_insert(elapsed);
        let shown = self.session.as_ref().is_some_and(|s| s.list.is_current());
        if shown {
            eprintln!(
                "startup: first frame {:.1} ms, list shown {:.1} ms",
                first.as_secs_f64() * 1e3,
                elapsed.as_secs_f64() * 1e3
            );
            if probe.exit {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            self.probe = None;
        }
    }

    /// Saves any unsaved edit now (when the process is about to end anyway).
    pub fn flush(&mut self) {
        if let Some(session) = self.session.as_mut()
            && let Err(e) = session.save_editor()
        {
            self.error = Some(UserError::with_detail(
                format!("Your last edit could not be saved: {e}"),
                e,
            ));
        }
    }

    /// Saves any unsaved edit before `leaving`. When that fails, says so and asks what to do
    /// with the text (retry, save it to a file, discard it); returns whether leaving may go on.
    fn save_before(&mut self, leaving: Leaving) -> bool {
        let Some(session) = self.session.as_mut() else {
            return true;
        };
        match session.save_editor() {
            Ok(()) => true,
            Err(e) => {
                self.unsaved_on_leaving = Some(UnsavedOnLeaving {
                    leaving,
                    reason: e.to_string(),
                    confirm_discard: false,
                });
                false
            }
        }
    }

    /// Writes the unsaved edit to `file` (the save dialog confirmed replacing it), then goes on
    /// leaving if nothing else is unsaved.
    fn save_unsaved_to(&mut self, ctx: &Context, file: &Path) {
        let Some(session) = self.session.as_mut() else {
            return;
        };
        let Some(text) = session.unsaved_text() else {
            return;
        };
        let written = crate::exchange::atomic::write_file(file, true, |out| {
            std::io::Write::write_all(out, text.as_bytes())
        });
        match written {
            Ok(()) => {
                session.discard_unsaved_note_or_contact();
                let more = session.unsaved_since().is_some();
                if let Some(unsaved) = self.unsaved_on_leaving.take() {
                    if more {
                        // The other editor's edit: asked about next.
                        self.unsaved_on_leaving = Some(UnsavedOnLeaving {
                            confirm_discard: false,
                            ..unsaved
                        });
                    } else {
                        self.go_on_leaving(ctx, unsaved.leaving);
                    }
                }
            }
            Err(e) => {
                self.error = Some(UserError::with_detail(
                    format!("The text could not be written to {}: {e}", file.display()),
                    e,
                ));
            }
        }
    }

    /// Goes where the user was going once the unsaved edit is dealt with.
    fn go_on_leaving(&mut self, ctx: &Context, leaving: Leaving) {
        match leaving {
            Leaving::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Leaving::Open(path) => self.start_opening(ctx, path),
        }
    }

    fn apply_theme(&mut self, ctx: &Context) {
        if self.theme_applied != Some(self.settings.theme) {
            ctx.set_theme(self.settings.theme.preference());
            self.theme_applied = Some(self.settings.theme);
        }
    }

    fn update_title(&mut self, ctx: &Context) {
        let path = self.database_path().map(Path::to_owned);
        if path != self.title_shown {
            let title = match &path {
                Some(path) => format!(
                    "{} — Folio",
                    path.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| path.display().to_string())
                ),
                None => "Folio".to_owned(),
            };
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title));
            self.title_shown = path;
        }
    }

    fn start_opening(&mut self, ctx: &Context, path: PathBuf) {
        // Already shown here (by whatever path): its lock is this window's own.
        if self
            .database_path()
            .is_some_and(|current| instance::real_path(current) == instance::real_path(&path))
        {
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let wake_ctx = ctx.clone();
        let thread_path = path.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-open".to_owned())
            .spawn(move || {
                let opened = open_database(&thread_path, &wake_ctx);
                let _ = tx.send(opened);
                wake_ctx.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.opening = Some(Opening {
                    path,
                    started: Instant::now(),
                    result: rx,
                })
            }
            Err(e) => {
                self.error = Some(UserError::with_detail(
                    "Folio could not start opening the database.",
                    e,
                ))
            }
        }
    }

    /// The path being opened and how long it has taken, once that is longer than a moment.
    pub(super) fn slow_opening(&self) -> Option<(&Path, Duration)> {
        self.opening.as_ref().and_then(|o| {
            let elapsed = o.started.elapsed();
            (elapsed >= self.timing.progress_after).then_some((o.path.as_path(), elapsed))
        })
    }

    fn poll_background(&mut self, ctx: &Context) {
        if let Some(opening) = &self.opening {
            match opening.result.try_recv() {
                Ok(result) => {
                    let path = opening.path.clone();
                    self.opening = None;
                    self.finish_opening(path, result);
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    // Keep the progress window's timer moving.
                    ctx.request_repaint_after(Duration::from_millis(100));
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.opening = None;
                    self.error = Some(UserError::new(
                        "Opening the database stopped unexpectedly. Nothing was changed.",
                    ));
                }
            }
        }
        if let Some((kind, answer)) = &self.pending_dialog {
            match answer.try_recv() {
                Ok(paths) if !paths.is_empty() => {
                    let kind = *kind;
                    self.pending_dialog = None;
                    self.use_chosen(ctx, kind, paths);
                }
                Ok(_) | Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.pending_dialog = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
            }
        }
        // Files and folders dropped on the window are imported.
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .collect()
        });
        if !dropped.is_empty() {
            self.use_chosen(ctx, DialogKind::ImportFiles, dropped);
        }
        if let Some(session) = self.session.as_mut()
            && let Err(e) = session.receive_replies()
        {
            self.error = Some(UserError::with_detail(
                format!("The list could not be read: {e}"),
                e,
            ));
        }
        self.follow_up_jobs(ctx);
    }

    fn finish_opening(&mut self, path: PathBuf, result: Result<Opened, OpenError>) {
        match result {
            Ok((mut repo, worker, lock)) => {
                log::info!(
                    "opened {} (SQLite {})",
                    path.display(),
                    repo.sqlite_version().unwrap_or_default()
                );
                // The old note stayed editable while this file opened; save what was typed
                // meanwhile before its session goes. If that fails, the old session stays
                // (the file just opened closes again) and the user decides about the text.
                if !self.save_before(Leaving::Open(path.clone())) {
                    return;
                }
                let mut session =
                    Session::new(repo, worker, self.settings.sort, self.settings.contact_sort);
                session.instance_lock = lock;
                self.session = Some(session);
                self.settings.remember(&path);
            }
            Err(e) => {
                let message = match &e {
                    OpenError::NotFolio { .. }
                    | OpenError::NotSqlite { .. }
                    | OpenError::TooNew { .. }
                    | OpenError::Corrupt { .. }
                    | OpenError::ReadOnlyNeedsUpgrade { .. } => {
                        format!("{e} The file was not changed.")
                    }
                    _ => e.to_string(),
                };
                let still = match self.database_path() {
                    Some(current) => format!(" Folio is still showing {}.", current.display()),
                    None => String::new(),
                };
                self.error = Some(UserError::with_detail(format!("{message}{still}"), e));
            }
        }
    }

    fn show_dialog(&mut self, ctx: &Context, kind: DialogKind) {
        if self.pending_dialog.is_none() {
            let wake_ctx = ctx.clone();
            let answer = self
                .dialogs
                .show(kind, Box::new(move || wake_ctx.request_repaint()));
            self.pending_dialog = Some((kind, answer));
        }
    }

    /// Acts on what a dialog (or a drop) chose.
    fn use_chosen(&mut self, ctx: &Context, kind: DialogKind, mut paths: Vec<PathBuf>) {
        let job = match kind {
            DialogKind::OpenDatabase | DialogKind::NewDatabase => {
                if let Some(path) = paths.pop() {
                    self.open_chosen(ctx, kind, path);
                }
                return;
            }
            DialogKind::SaveUnsavedNote | DialogKind::SaveUnsavedContact => {
                if let Some(file) = paths.pop() {
                    self.save_unsaved_to(ctx, &file);
                }
                return;
            }
            DialogKind::ImportFiles | DialogKind::ImportFolder => Job::Import(paths),
            DialogKind::ExportMarkdown => match paths.pop() {
                // A new folder inside the one chosen, so nothing there is touched.
                Some(parent) => Job::ExportMarkdown(
                    new_folder_in(&parent),
                    self.export_scope.take().unwrap_or(NoteScope::All),
                ),
                None => return,
            },
            DialogKind::ExportHtml => match paths.pop() {
                Some(file) => {
                    Job::ExportHtml(file, self.export_scope.take().unwrap_or(NoteScope::All))
                }
                None => return,
            },
            DialogKind::Backup => match paths.pop() {
                Some(file) => Job::Backup(file),
                None => return,
            },
            DialogKind::ExportContacts(format) => match paths.pop() {
                Some(file) => Job::ExportContacts(
                    file,
                    format,
                    self.contact_export_scope
                        .take()
                        .unwrap_or(ContactScope::All),
                ),
                None => return,
            },
        };
        let Some(session) = self.session.as_mut() else {
            return;
        };
        if let Err(e) = session.start_job(job) {
            self.report("Your edit could not be saved, so nothing was started", e);
        }
    }

    fn open_chosen(&mut self, ctx: &Context, kind: DialogKind, path: PathBuf) {
        if kind == DialogKind::NewDatabase && path.exists() {
            // The save dialog asked about replacing it, but replacing a file means deleting
            // what is in it; Folio opens it instead (and refuses it if it is not Folio's).
            self.toast = Some(Toast {
                message: format!("{} already exists, so Folio opened it.", path.display()),
                undo: None,
                until: ctx.input(|i| i.time) + self.timing.toast_for,
            });
        }
        self.open_after_saving(ctx, path);
    }

    /// Shows another database, once the open edit is saved (or the user has decided about it).
    fn open_after_saving(&mut self, ctx: &Context, path: PathBuf) {
        if self.save_before(Leaving::Open(path.clone())) {
            self.start_opening(ctx, path);
        }
    }

    fn handle_shortcuts(&mut self, ctx: &Context) {
        let typing = ctx.egui_wants_keyboard_input();
        let search_focused = ctx.memory(|m| m.has_focus(Id::unique(SEARCH_ID)));
        let list_focused = self.session.as_ref().is_some_and(|s| s.list_focused) && !typing;
        let selected = self.session.as_ref().and_then(|s| match s.section {
            Section::Notes => s.list.selected.map(Item::Note),
            Section::Contacts => s.contacts.selected.map(Item::Contact),
        });
        let section = self.session.as_ref().map(|s| s.section);
        let palette_open = self.session.as_ref().is_some_and(|s| s.palette.is_some());
        let modal = self.confirm.is_some() || self.error.is_some() || palette_open;
        let mut commands = Vec::new();
        ctx.input_mut(|input| {
            if input.consume_shortcut(&QUIT) {
                commands.push(Command::Quit);
            }
            if modal {
                return;
            }
            if input.consume_shortcut(&GO_TO) {
                commands.push(Command::OpenPalette);
            }
            if input.consume_shortcut(&NEW_NOTE) {
                commands.push(if section == Some(Section::Contacts) {
                    Command::NewContact
                } else {
                    Command::NewNote
                });
            }
            if input.consume_shortcut(&FIND) {
                commands.push(Command::FocusSearch);
            }
            if input.consume_shortcut(&OPEN) {
                commands.push(Command::ShowDialog(DialogKind::OpenDatabase));
            }
            if let Some(id) = selected {
                // Consumed before the text fields see it, so Ctrl+Delete in the editor trashes
                // the note rather than deleting a word; plain Delete only acts on the list.
                if input.consume_shortcut(&TRASH)
                    || (list_focused && input.consume_key(Modifiers::NONE, Key::Delete))
                {
                    commands.push(Command::Trash(id));
                }
            }
            if input.consume_key(Modifiers::NONE, Key::F1) {
                self.show_shortcuts = true;
            }
            if !typing || search_focused {
                if input.consume_key(Modifiers::NONE, Key::ArrowDown) {
                    commands.push(Command::MoveSelection(1));
                }
                if input.consume_key(Modifiers::NONE, Key::ArrowUp) {
                    commands.push(Command::MoveSelection(-1));
                }
            }
            if (list_focused || search_focused)
                && selected.is_some()
                && (input.consume_key(Modifiers::NONE, Key::Enter)
                    || input.consume_key(Modifiers::NONE, Key::Tab))
            {
                commands.push(Command::FocusEditor);
            }
            if (search_focused || !typing) && input.consume_key(Modifiers::NONE, Key::Escape) {
                commands.push(Command::ClearSearch);
            }
        });
        self.commands.extend(commands);
    }

    fn autosave_if_due(&mut self, ctx: &Context) {
        let now = ctx.input(|i| i.time);
        let Some(session) = self.session.as_mut() else {
            return;
        };
        let Some(due) =
            session.autosave_due(self.timing.autosave_after, self.timing.autosave_at_most)
        else {
            return;
        };
        if now >= due {
            let failing_already = matches!(session.save_state, SaveState::Failed(_));
            if let Err(e) = session.save_editor() {
                // Tried again shortly, not every frame; the text stays in the window meanwhile.
                session.save_retry_at = Some(now + self.timing.save_retry_after);
                ctx.request_repaint_after(Duration::from_secs_f64(self.timing.save_retry_after));
                // Said once; while it keeps failing the status bar says "Not saved". A busy
                // database (an import running) is only waited for.
                if !failing_already && !matches!(e, DbError::Busy) {
                    self.error = Some(UserError::with_detail(
                        format!("Your edit could not be saved: {e} Folio keeps trying."),
                        e,
                    ));
                }
            }
        } else {
            ctx.request_repaint_after(Duration::from_secs_f64(due - now));
        }
    }

    fn apply_search_if_due(&mut self, ctx: &Context) {
        let now = ctx.input(|i| i.time);
        let Some(session) = self.session.as_mut() else {
            return;
        };
        let Some(edited) = session.search_edited_at else {
            return;
        };
        let due = edited + self.timing.search_after;
        if now >= due {
            session.apply_search();
        } else {
            ctx.request_repaint_after(Duration::from_secs_f64(due - now));
        }
    }

    /// The birthday fields of a contact left behind held no date, so what was typed there was
    /// not saved: say so rather than let it vanish silently.
    fn say_if_birthday_dropped(&mut self, ctx: &Context, left: Option<(ContactId, String)>) {
        let Some((id, name)) = left else {
            return;
        };
        let still_open = self
            .session
            .as_ref()
            .and_then(|s| s.contact_editor.as_ref())
            .is_some_and(|e| e.contact.id == id);
        if !still_open {
            self.toast = Some(Toast {
                message: format!(
                    "The birthday typed for {} was not a date, so it was not saved.",
                    super::contact_editor::display_label(&name)
                ),
                undo: None,
                until: ctx.input(|i| i.time) + self.timing.toast_for,
            });
        }
    }

    /// After a long write: close what it removed, refresh what shows it, and say what happened.
    fn follow_up_jobs(&mut self, ctx: &Context) {
        let now = ctx.input(|i| i.time);
        let Some(session) = self.session.as_mut() else {
            return;
        };
        for (job, result) in std::mem::take(&mut session.finished_jobs) {
            let done = match result {
                Ok(done) => done,
                Err(ExchangeError::Database(DbError::Cancelled)) => {
                    self.toast = Some(Toast {
                        message: "Import stopped. Nothing was changed.".to_owned(),
                        undo: None,
                        until: now + self.timing.toast_for,
                    });
                    continue;
                }
                Err(e) => {
                    let what = match &job {
                        Job::EmptyNoteTrash | Job::EmptyContactTrash => {
                            "The trash could not be emptied. Nothing was deleted"
                        }
                        Job::TrashAllContacts => {
                            "The contacts could not be moved to the Trash. Nothing was changed"
                        }
                        Job::Import(_) | Job::ImportCsv(..) => "Nothing was imported",
                        Job::ExportMarkdown(..)
                        | Job::ExportHtml(..)
                        | Job::Backup(_)
                        | Job::ExportContacts(..) => "Nothing was written",
                    };
                    self.error = Some(UserError::with_detail(format!("{what}: {e}"), e));
                    continue;
                }
            };
            let count = match &done {
                JobDone::Count(count) => *count as i64,
                _ => 0,
            };
            let message = match (&job, done) {
                (Job::EmptyNoteTrash, _) => {
                    if session.editor.as_ref().is_some_and(|e| e.is_read_only()) {
                        session.close_editor();
                    }
                    format!("{} deleted permanently.", count_of(count, "note"))
                }
                (Job::EmptyContactTrash, _) => {
                    if session
                        .contact_editor
                        .as_ref()
                        .is_some_and(|e| e.is_read_only())
                    {
                        session.close_contact();
                    }
                    format!(
                        "{} deleted permanently. Notes about them stay.",
                        count_of(count, "contact")
                    )
                }
                (Job::TrashAllContacts, _) => {
                    session.close_contact();
                    format!(
                        "{} moved to Trash. Restore them from there.",
                        count_of(count, "contact")
                    )
                }
                (_, JobDone::Imported(mut report)) => {
                    // A CSV file of unknown columns: ask what they hold, one file at a time.
                    if let Some((file, preview)) = report.csv_to_map.first().cloned() {
                        self.csv_mapping = Some(CsvMapping::new(file, preview));
                        let file = self.csv_mapping.as_ref().map(|m| m.file.clone());
                        report.skipped.retain(|s| Some(&s.file) != file.as_ref());
                    }
                    if !report.skipped.is_empty()
                        || !report.warnings.is_empty()
                        || !report.conflicts.is_empty()
                        || !report.possible_duplicates.is_empty()
                    {
                        self.import_report = Some(report.clone());
                    }
                    import_summary(&report)
                }
                (Job::ExportContacts(path, ..), JobDone::Exported { contacts, .. }) => format!(
                    "Exported {} to {}.",
                    count_of(contacts as i64, "contact"),
                    path.display()
                ),
                (
                    Job::ExportMarkdown(path, _) | Job::ExportHtml(path, _),
                    JobDone::Exported { notes, .. },
                ) => format!(
                    "Exported {} to {}.",
                    count_of(notes as i64, "note"),
                    path.display()
                ),
                (Job::Backup(file), JobDone::Exported { notes, contacts }) => format!(
                    "Backed up {} and {} to {}.",
                    count_of(notes as i64, "note"),
                    count_of(contacts as i64, "contact"),
                    file.display()
                ),
                (_, _) => String::new(),
            };
            log::info!("{}: {message}", job.describe());
            if let Err(e) = session.reload_editor() {
                self.error = Some(UserError::with_detail(
                    format!("The open note or contact could not be read again: {e}"),
                    e,
                ));
            }
            self.toast = Some(Toast {
                message,
                undo: None,
                until: now + self.timing.toast_for,
            });
        }
    }

    /// The long write running, for how long and how far along, once that is longer than a
    /// moment.
    pub(super) fn slow_job(&self) -> Option<(&Job, Duration, &Progress)> {
        let (job, started, progress) = self.session.as_ref()?.job.as_ref()?;
        let elapsed = started.elapsed();
        (elapsed >= self.timing.progress_after).then_some((job, elapsed, progress.as_ref()))
    }

    /// Shows a failed command's error once, in words, with the details a click away.
    fn report(&mut self, what: &str, error: DbError) {
        self.error = Some(UserError::with_detail(format!("{what}: {error}"), error));
    }

    fn apply(&mut self, ctx: &Context, command: Command) {
        let now = ctx.input(|i| i.time);
        match command {
            Command::Quit => {
                if self.save_before(Leaving::Quit) {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                return;
            }
            Command::RetryLeaving => {
                if let Some(unsaved) = self.unsaved_on_leaving.take()
                    && self.save_before(unsaved.leaving.clone())
                {
                    self.go_on_leaving(ctx, unsaved.leaving);
                }
                return;
            }
            Command::SaveUnsavedAs => {
                let note_unsaved = self
                    .session
                    .as_ref()
                    .and_then(|s| s.editor.as_ref())
                    .is_some_and(|e| e.dirty_since.is_some());
                self.show_dialog(
                    ctx,
                    if note_unsaved {
                        DialogKind::SaveUnsavedNote
                    } else {
                        DialogKind::SaveUnsavedContact
                    },
                );
                return;
            }
            Command::DiscardUnsaved => {
                match self.unsaved_on_leaving.as_mut() {
                    Some(unsaved) if !unsaved.confirm_discard => unsaved.confirm_discard = true,
                    Some(_) => {
                        if let Some(session) = self.session.as_mut() {
                            session.discard_unsaved();
                        }
                        if let Some(unsaved) = self.unsaved_on_leaving.take() {
                            self.go_on_leaving(ctx, unsaved.leaving);
                        }
                    }
                    None => {}
                }
                return;
            }
            Command::StayWithUnsaved => {
                self.unsaved_on_leaving = None;
                return;
            }
            Command::Theme(theme) => {
                self.settings.theme = theme;
                return;
            }
            Command::ExportShown(kind) => {
                // The notes or contacts of the list as shown, when the dialog answers.
                self.export_scope = self.session.as_ref().map(|s| {
                    NoteScope::Shown(NoteQuery {
                        filter: s.list.filter(),
                        search: s.list.search().to_owned(),
                        ..NoteQuery::default()
                    })
                });
                self.contact_export_scope = self.session.as_ref().map(|s| {
                    ContactScope::Shown(ContactQuery {
                        filter: s.contacts.filter(),
                        search: s.contacts.search().to_owned(),
                        ..ContactQuery::default()
                    })
                });
                self.show_dialog(ctx, kind);
                return;
            }
            Command::ExportOpenNote(kind) => {
                self.export_scope = self
                    .session
                    .as_ref()
                    .and_then(|s| s.editor.as_ref())
                    .map(|e| NoteScope::Chosen(vec![e.note.uuid.clone()]));
                if self.export_scope.is_some() {
                    self.show_dialog(ctx, kind);
                }
                return;
            }
            Command::ShowDialog(kind) => {
                // Everything, unless asked for the list shown (above).
                self.export_scope = Some(NoteScope::All);
                self.contact_export_scope = Some(ContactScope::All);
                self.show_dialog(ctx, kind);
                return;
            }
            Command::ImportMappedCsv => {
                if let Some(mapping) = self.csv_mapping.take()
                    && let Some(session) = self.session.as_mut()
                    && let Err(e) = session.start_job(Job::ImportCsv(mapping.file, mapping.fields))
                {
                    self.report("Your edit could not be saved, so nothing was started", e);
                }
                return;
            }
            Command::CancelCsvMapping => {
                self.csv_mapping = None;
                return;
            }
            Command::OpenRecent(path) => {
                if path.exists() {
                    self.open_after_saving(ctx, path);
                } else {
                    self.settings.forget(&path);
                    self.error = Some(UserError::new(format!(
                        "{} no longer exists, so it was removed from the recent files.",
                        path.display()
                    )));
                }
                return;
            }
            _ => {}
        }
        let Some(session) = self.session.as_mut() else {
            return;
        };
        let outcome: Result<(), (&str, DbError)> = match command {
            Command::NewNote => {
                self.focus_request = Some(TITLE_ID);
                session.show_section(Section::Notes);
                new_note(session).map_err(|e| ("The new note could not be created", e))
            }
            Command::NewContact => {
                self.focus_request = Some(GIVEN_NAME_ID);
                session.show_section(Section::Contacts);
                new_contact(session).map_err(|e| ("The new contact could not be created", e))
            }
            Command::Select(id) => session
                .open_note(id)
                .map_err(|e| ("The note could not be opened", e)),
            Command::SelectContact(id) => session
                .open_contact(id)
                .map_err(|e| ("The contact could not be opened", e)),
            Command::GoToNote(id) => {
                session.show_section(Section::Notes);
                go_to_note(session, id).map_err(|e| ("The note could not be opened", e))
            }
            Command::GoToContact(id) => {
                session.show_section(Section::Contacts);
                go_to_contact(session, id).map_err(|e| ("The contact could not be opened", e))
            }
            Command::ShowList(filter) => {
                let saved = session.save_editor();
                session.show_section(Section::Notes);
                session.list.set_filter(filter);
                saved.map_err(|e| ("Your edit could not be saved", e))
            }
            Command::ShowContacts(filter) => {
                let saved = session.save_editor();
                session.show_section(Section::Contacts);
                session.contacts.set_filter(filter);
                saved.map_err(|e| ("Your edit could not be saved", e))
            }
            Command::Sort(sort) => {
                self.settings.sort = sort;
                session.list.set_sort(sort);
                Ok(())
            }
            Command::SortContacts(sort) => {
                self.settings.contact_sort = sort;
                session.contacts.set_sort(sort);
                Ok(())
            }
            Command::Trash(item) => {
                let trashed = session.shown_version(item).and_then(|seen| match item {
                    Item::Note(id) => session.repo.trash_note(id, seen).map(|version| {
                        if session.list.selected == Some(id) {
                            session.close_editor();
                        }
                        ("Note moved to Trash.", version)
                    }),
                    Item::Contact(id) => session.repo.trash_contact(id, seen).map(|version| {
                        if session.contacts.selected == Some(id) {
                            session.close_contact();
                        }
                        ("Contact moved to Trash. Its notes stay.", version)
                    }),
                });
                // The open contact's "Notes about" may list the trashed note.
                trashed
                    .and_then(|done| session.reload_editor().map(|()| done))
                    .map(|(message, version)| {
                        session.data_changed();
                        self.toast = Some(Toast {
                            message: message.to_owned(),
                            undo: Some((item, version)),
                            until: now + self.timing.toast_for,
                        });
                    })
                    .map_err(|e| ("It could not be moved to Trash", e))
            }
            Command::UndoTrash(item, seen) => {
                self.toast = None;
                restore(session, item, seen).map_err(|e| ("It could not be restored", e))
            }
            Command::Restore(item) => {
                self.toast = None;
                session
                    .shown_version(item)
                    .and_then(|seen| restore(session, item, seen))
                    .map_err(|e| ("It could not be restored", e))
            }
            Command::AskDeletePermanently(item) => {
                let title = match item {
                    Item::Note(id) => session
                        .editor
                        .as_ref()
                        .filter(|e| e.note.id == id)
                        .map(|e| e.note.title.clone()),
                    Item::Contact(id) => session
                        .contact_editor
                        .as_ref()
                        .filter(|e| e.contact.id == id)
                        .map(|e| e.name()),
                };
                self.confirm = Some(Confirm::DeletePermanently {
                    item,
                    title: title.unwrap_or_default(),
                });
                Ok(())
            }
            Command::DeletePermanently(item) => session
                .shown_version(item)
                .and_then(|seen| match item {
                    Item::Note(id) => session.repo.delete_note_permanently(id, seen).map(|()| {
                        if session.list.selected == Some(id) {
                            session.close_editor();
                        }
                    }),
                    Item::Contact(id) => {
                        session.repo.delete_contact_permanently(id, seen).map(|()| {
                            if session.contacts.selected == Some(id) {
                                session.close_contact();
                            }
                        })
                    }
                })
                .and_then(|()| {
                    session.data_changed();
                    session.reload_editor()
                })
                .map_err(|e| ("It could not be deleted", e)),
            Command::AskEmptyTrash => {
                self.confirm = Some(Confirm::EmptyTrash {
                    count: session.sidebar.trash,
                });
                Ok(())
            }
            Command::EmptyTrash => session
                .start_job(Job::EmptyNoteTrash)
                .map_err(|e| ("Your edit could not be saved", e)),
            Command::AskEmptyContactTrash => {
                self.confirm = Some(Confirm::EmptyContactTrash {
                    count: session.sidebar.contacts_trash,
                });
                Ok(())
            }
            Command::EmptyContactTrash => session
                .start_job(Job::EmptyContactTrash)
                .map_err(|e| ("Your edit could not be saved", e)),
            Command::AskClearContacts => {
                self.confirm = Some(Confirm::ClearContacts {
                    count: session.sidebar.contacts,
                });
                Ok(())
            }
            Command::ClearContacts => session
                .start_job(Job::TrashAllContacts)
                .map_err(|e| ("Your edit could not be saved", e)),
            Command::SetPinned(id, pinned) => session
                .shown_version(Item::Note(id))
                .and_then(|seen| session.repo.set_note_pinned(id, seen, pinned))
                .and_then(|_| {
                    session.data_changed();
                    session.list.scroll_to_selected = true;
                    session.reload_editor()
                })
                .map_err(|e| ("The pin could not be changed", e)),
            Command::SetFavorite(id, favorite) => session
                .shown_version(Item::Contact(id))
                .and_then(|seen| session.repo.set_contact_favorite(id, seen, favorite))
                .and_then(|_| {
                    session.data_changed();
                    session.reload_editor()
                })
                .map_err(|e| ("The favourite could not be changed", e)),
            Command::AddTag(name) | Command::RemoveTag(name)
                if session.editor.is_none() || name.trim().is_empty() =>
            {
                Ok(())
            }
            Command::AddTag(name) => {
                let mut names = session.editor_tag_names();
                names.push(name.trim().to_owned());
                if let Some(editor) = session.editor.as_mut() {
                    editor.tag_input.clear();
                    editor.suggestions_for = None;
                }
                session
                    .set_editor_tags(&names)
                    .map_err(|e| ("The tag could not be added", e))
            }
            Command::RemoveTag(name) => {
                let mut names = session.editor_tag_names();
                names.retain(|n| *n != name);
                session
                    .set_editor_tags(&names)
                    .map_err(|e| ("The tag could not be removed", e))
            }
            Command::AddGroup(name) | Command::RemoveGroup(name)
                if session.contact_editor.is_none() || name.trim().is_empty() =>
            {
                Ok(())
            }
            Command::AddGroup(name) => {
                let mut names = session.contact_group_names();
                names.push(name.trim().to_owned());
                set_groups(session, names, now).map_err(|e| ("The group could not be added", e))
            }
            Command::RemoveGroup(name) => {
                let mut names = session.contact_group_names();
                names.retain(|n| *n != name);
                set_groups(session, names, now).map_err(|e| ("The group could not be removed", e))
            }
            Command::AddPerson(contact) => add_person(session, contact)
                .map_err(|e| ("The person could not be added to the note", e)),
            Command::AddNewPerson(name) => session
                .repo
                .create_contact(&crate::db::ContactDraft {
                    display_name: name.trim().to_owned(),
                    ..crate::db::ContactDraft::default()
                })
                .and_then(|contact| add_person(session, contact.id))
                .map_err(|e| ("The new contact could not be created", e)),
            Command::RemovePerson(contact) => match session.editor.as_ref().map(|e| e.note.id) {
                Some(note) => session
                    .repo
                    .unlink_note_contact(note, contact)
                    .and_then(|()| {
                        session.data_changed();
                        session.reload_editor()
                    }),
                None => Ok(()),
            }
            .map_err(|e| ("The person could not be removed from the note", e)),
            Command::OpenPalette => {
                session.palette = Some(Default::default());
                Ok(())
            }
            Command::ClosePalette => {
                session.palette = None;
                Ok(())
            }
            Command::MoveSelection(step) => {
                session.list_focused = true;
                move_selection(session, step).map_err(|e| ("It could not be opened", e))
            }
            Command::FocusEditor => {
                session.list_focused = false;
                match session.section {
                    Section::Notes
                        if session.editor.as_ref().is_some_and(|e| !e.is_read_only()) =>
                    {
                        self.focus_request = Some(BODY_ID);
                    }
                    Section::Contacts
                        if session
                            .contact_editor
                            .as_ref()
                            .is_some_and(|e| !e.is_read_only()) =>
                    {
                        self.focus_request = Some(GIVEN_NAME_ID);
                    }
                    _ => {}
                }
                Ok(())
            }
            Command::FocusSearch => {
                session.list_focused = false;
                self.focus_request = Some(SEARCH_ID);
                Ok(())
            }
            Command::ClearSearch => {
                session.search_text.clear();
                session.apply_search();
                Ok(())
            }
            Command::ShowConflict(conflict) => {
                session.conflicts.retain(|c| *c != conflict);
                show_conflict(session, conflict).map_err(|e| ("It could not be opened", e))
            }
            Command::Quit
            | Command::Theme(_)
            | Command::ShowDialog(_)
            | Command::ExportShown(_)
            | Command::ExportOpenNote(_)
            | Command::ImportMappedCsv
            | Command::CancelCsvMapping
            | Command::OpenRecent(_)
            | Command::RetryLeaving
            | Command::SaveUnsavedAs
            | Command::DiscardUnsaved
            | Command::StayWithUnsaved => Ok(()),
        };
        if let Err((what, error)) = outcome {
            self.report(what, error);
        }
    }
}

/// One line on what an import did.
fn import_summary(report: &ImportReport) -> String {
    let mut line = format!(
        "Imported {} and {}.",
        count_of(report.notes.added as i64, "note"),
        count_of(report.contacts.added as i64, "contact")
    );
    let already = report.notes.kept + report.notes.updated;
    if already > 0 {
        line.push_str(&format!(
            " {} were here already.",
            count_of(already as i64, "note")
        ));
    }
    if !report.conflicts.is_empty() {
        line.push_str(&format!(
            " {} changed both here and in the file: both kept.",
            count_of(report.conflicts.len() as i64, "note")
        ));
    }
    if !report.skipped.is_empty() {
        line.push_str(&format!(
            " {} skipped.",
            count_of(report.skipped.len() as i64, "file")
        ));
    }
    line
}

/// A folder for an export inside `parent` that does not exist yet: "Folio notes 2026-11-21",
/// then " (2)", " (3)"…
fn new_folder_in(parent: &Path) -> PathBuf {
    let base = format!("Folio notes {}", chrono::Local::now().format("%Y-%m-%d"));
    let mut folder = parent.join(&base);
    let mut n = 2;
    while folder.exists() {
        folder = parent.join(format!("{base} ({n})"));
        n += 1;
    }
    folder
}

/// "1 contact", "3 contacts".
pub fn count_of(count: i64, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}

fn restore(session: &mut Session, item: Item, seen: Version) -> Result<(), DbError> {
    match item {
        Item::Note(id) => {
            session.repo.restore_note(id, seen)?;
            session.data_changed();
            // The note is back on the open contact's "Notes about", if it is about them.
            session.reload_editor()?;
            if session.editor.as_ref().is_none_or(|e| e.note.id != id)
                && session.list.filter() != NoteFilter::Trash
            {
                session.open_note(id)?;
            }
            Ok(())
        }
        Item::Contact(id) => {
            session.repo.restore_contact(id, seen)?;
            session.data_changed();
            if session
                .contact_editor
                .as_ref()
                .is_some_and(|e| e.contact.id == id)
            {
                session.reload_editor()
            } else if session.contacts.filter() != ContactFilter::Trash {
                session.open_contact(id)
            } else {
                Ok(())
            }
        }
    }
}

/// Lists a note or contact beside its conflict copy (just the two of them) and opens the copy.
fn show_conflict(session: &mut Session, conflict: Conflict) -> Result<(), DbError> {
    session.search_text.clear();
    session.search_edited_at = None;
    match conflict {
        Conflict::Note { original, copy, .. } => {
            session.show_section(Section::Notes);
            let filter =
                original.map_or(NoteFilter::All, |original| NoteFilter::Pair(original, copy));
            session.list.set_view(filter, session.list.sort(), "");
            session.open_note(copy)
        }
        Conflict::Contact { original, copy, .. } => {
            session.show_section(Section::Contacts);
            let filter = original.map_or(ContactFilter::All, |original| {
                ContactFilter::Pair(original, copy)
            });
            session
                .contacts
                .set_view(filter, session.contacts.sort(), "");
            session.open_contact(copy)
        }
    }
}

/// Gives the open contact these groups. Pending edits in the form are saved with them, in the
/// same transaction.
fn set_groups(session: &mut Session, names: Vec<String>, now: f64) -> Result<(), DbError> {
    let Some(editor) = session.contact_editor.as_mut() else {
        return Ok(());
    };
    editor.draft.groups = names;
    editor.group_input.clear();
    editor.suggestions_for = None;
    editor.mark_edited(now);
    session.save_editor()
}

fn add_person(session: &mut Session, contact: ContactId) -> Result<(), DbError> {
    let Some(editor) = session.editor.as_mut() else {
        return Ok(());
    };
    editor.person_input.clear();
    editor.person_suggestions_for = None;
    let note = editor.note.id;
    session.repo.link_note_contact(note, contact)?;
    session.data_changed();
    session.reload_editor()
}

/// Opens a note from elsewhere (a contact's page, the palette): it is shown in All notes, with
/// no search hiding it, unless the list on show already holds it.
fn go_to_note(session: &mut Session, id: NoteId) -> Result<(), DbError> {
    if session.list.index_of(id).is_none() {
        session.search_text.clear();
        session
            .list
            .set_view(NoteFilter::All, session.list.sort(), "");
    }
    session.list.scroll_to_selected = true;
    session.open_note(id)
}

fn go_to_contact(session: &mut Session, id: ContactId) -> Result<(), DbError> {
    if session.contacts.index_of(id).is_none() {
        session.search_text.clear();
        session
            .contacts
            .set_view(ContactFilter::All, session.contacts.sort(), "");
    }
    session.contacts.scroll_to_selected = true;
    session.open_contact(id)
}

/// Up/Down in the list of the section shown.
fn move_selection(session: &mut Session, step: isize) -> Result<(), DbError> {
    fn target(current: Option<usize>, step: isize, total: Option<i64>) -> Option<usize> {
        let total = total.unwrap_or(0).max(0) as usize;
        match current {
            Some(i) => i.checked_add_signed(step),
            None => Some(0),
        }
        .filter(|t| *t < total)
    }
    match session.section {
        Section::Notes => {
            let current = session
                .list
                .selected
                .and_then(|id| session.list.index_of(id));
            match target(current, step, session.list.total()).and_then(|t| session.list.row(t)) {
                Some(row) => {
                    let id = row.id;
                    session.list.scroll_to_selected = true;
                    session.open_note(id)
                }
                None => Ok(()),
            }
        }
        Section::Contacts => {
            let list = &session.contacts;
            let current = list.selected.and_then(|id| list.index_of(id));
            match target(current, step, list.total()).and_then(|t| list.row(t)) {
                Some(row) => {
                    let id = row.id;
                    session.contacts.scroll_to_selected = true;
                    session.open_contact(id)
                }
                None => Ok(()),
            }
        }
    }
}

/// Creates an empty contact in the list on show (in a group it joins the group, in Favourites
/// it is a favourite) and opens it.
fn new_contact(session: &mut Session) -> Result<(), DbError> {
    session.save_editor()?;
    let mut draft = crate::db::ContactDraft::default();
    let filter = match session.contacts.filter() {
        ContactFilter::Favorites => {
            draft.favorite = true;
            ContactFilter::Favorites
        }
        ContactFilter::Group(tag) => {
            let group = session.sidebar.groups.iter().find(|u| u.tag.id == tag);
            draft.groups.extend(group.map(|u| u.tag.name.clone()));
            ContactFilter::Group(tag)
        }
        _ => ContactFilter::All,
    };
    let created = session.repo.create_contact(&draft)?;
    session.search_text.clear();
    session.search_edited_at = None;
    session
        .contacts
        .set_view(filter, session.contacts.sort(), "");
    session.data_changed();
    session.contacts.scroll_to_selected = true;
    session.list_focused = false;
    session.open_contact(created.id)
}

/// Creates a note that belongs to the list on show (in a tag's list it gets the tag, in Pinned
/// it is pinned; from the Trash it goes to All notes), opens it and clears the search so it
/// is visible.
fn new_note(session: &mut Session) -> Result<(), DbError> {
    session.save_editor()?;
    let mut note = NewNote::default();
    let filter = match session.list.filter() {
        NoteFilter::Trash | NoteFilter::Pair(..) => NoteFilter::All,
        NoteFilter::Pinned => {
            note.pinned = true;
            NoteFilter::Pinned
        }
        NoteFilter::Tag(tag) => {
            let name = session.sidebar.tags.iter().find(|u| u.tag.id == tag);
            note.tags.extend(name.map(|u| u.tag.name.clone()));
            NoteFilter::Tag(tag)
        }
        NoteFilter::All => NoteFilter::All,
    };
    let created = session.repo.create_note(&note)?;
    session.search_text.clear();
    session.search_edited_at = None;
    session.list.set_view(filter, session.list.sort(), "");
    session.data_changed();
    session.list.scroll_to_selected = true;
    session.list_focused = false;
    session.open_note(created.id)
}

/// Opens the database and its list thread; runs on a background thread.
fn open_database(path: &Path, ctx: &Context) -> Result<Opened, OpenError> {
    let raise_ctx = ctx.clone();
    let raise = move || {
        raise_ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
        raise_ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
        raise_ctx.request_repaint();
    };
    // The lock file lives beside the database, whose folder a first start creates; if the
    // database is refused, the folders made here are removed again (only while empty).
    let mut folders_made = Vec::new();
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        folders_made = missing_folders(folder);
        let _ = crate::db::create_private_folder(folder);
    }
    let opened = open_locked(path, ctx, raise);
    if opened.is_err() {
        for folder in &folders_made {
            let _ = std::fs::remove_dir(folder);
        }
    }
    opened
}

/// The folders of `folder`'s path that do not exist yet, deepest first.
fn missing_folders(folder: &Path) -> Vec<PathBuf> {
    folder
        .ancestors()
        .take_while(|f| !f.as_os_str().is_empty() && !f.exists())
        .map(Path::to_path_buf)
        .collect()
}

/// [`open_database`] once the database's folder exists: takes the lock, then opens.
fn open_locked(
    path: &Path,
    ctx: &Context,
    raise: impl Fn() + Send + 'static,
) -> Result<Opened, OpenError> {
    let lock = match instance::acquire(path, raise) {
        Ok(instance::Acquired::Mine(lock)) => Some(lock),
        Ok(instance::Acquired::Elsewhere { pid, socket }) => {
            if let Some(socket) = socket {
                instance::ask_to_raise(&socket);
            }
            return Err(OpenError::InUse {
                path: path.to_owned(),
                pid,
            });
        }
        // A folder where no lock file can be made (read-only) cannot be saved to either, and
        // opening refuses it in its own words just below.
        Err(e) if is_read_only_error(&e) => None,
        // Anything else (a link or another user's file where the lock file goes) is refused:
        // never two writers unseen.
        Err(e) => {
            return Err(OpenError::Unlockable {
                path: path.to_owned(),
                lock: instance::lock_path(path),
                detail: e.to_string(),
            });
        }
    };
    let refused = |lock: Option<instance::InstanceLock>, error: OpenError| {
        if let Some(lock) = lock {
            lock.give_up_refused();
        }
        Err(error)
    };
    let mut repo = match Repository::open(path) {
        Ok(repo) => repo,
        Err(e) => return refused(lock, e),
    };
    if repo.is_read_only() {
        drop(repo);
        return refused(
            lock,
            OpenError::ReadOnly {
                path: path.to_owned(),
            },
        );
    }
    // Made before the window's connection waits less than the default: the list thread's
    // connection keeps the long wait, which jobs need.
    let worker_repo = repo.another_connection()?;
    // A write of the window's waits this long for another connection's (an import's) write
    // lock: short, so the window never freezes; an autosave keeps the text and tries again.
    repo.set_busy_timeout(WINDOW_BUSY_TIMEOUT)
        .map_err(|e| OpenError::Database {
            path: path.to_owned(),
            detail: e.to_string(),
        })?;
    let wake_ctx = ctx.clone();
    let worker = ListWorker::start(worker_repo, move || wake_ctx.request_repaint())?;
    Ok((repo, worker, lock))
}

fn is_read_only_error(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

/// How long a write on the window's connection waits for another writer before it is
/// reported busy (and, for an autosave, tried again a second later).
const WINDOW_BUSY_TIMEOUT: Duration = Duration::from_millis(100);

/// What opening a database gives: the repository, its list thread, and the lock that keeps
/// other windows off it.
type Opened = (Repository, ListWorker, Option<instance::InstanceLock>);

impl eframe::App for FolioApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.settings.save(storage);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.flush();
    }
}

/// A CSV file's columns being mapped: what Folio guessed for each, changed by the user.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvMapping {
    pub file: PathBuf,
    pub preview: CsvPreview,
    pub fields: Vec<Field>,
}

impl CsvMapping {
    fn new(file: PathBuf, preview: CsvPreview) -> Self {
        // Guesses that are not among the choices (Outlook's labelled phones, say) stay as
        // guessed; the menu shows them by the nearest choice's name.
        let fields = preview.fields.clone();
        CsvMapping {
            file,
            preview,
            fields,
        }
    }

    /// The name of the choice a column's field is, for the column's menu.
    pub fn choice_name(column: usize, field: Field) -> &'static str {
        contacts_csv::field_choices(column)
            .into_iter()
            .find(|(f, _)| *f == field)
            .map_or("(as guessed)", |(_, name)| name)
    }
}
