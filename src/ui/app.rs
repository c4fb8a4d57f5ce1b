//! The window's frame loop. Each frame: take in what background threads sent, turn keys into
//! commands through the action table, autosave if due, draw the views, then apply the commands
//! the frame produced. Everything else lives in the parts this wires together: `state` (what
//! the window holds), `views` (drawing), `actions` (the table), `apply` (carrying commands out)
//! and `worker` (the list thread).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::{Context, Id};

use super::actions::{self, Situation};
use super::apply::{self, Parts, files::Files, jobs, opening};
use super::command::{Commands, Item, SEARCH_ID};
use super::file_dialogs::FileDialogs;
use super::settings::{Settings, ThemeChoice};
use super::state::contact_editor::{BirthdayInput, display_label};
use super::state::note_pictures::NotePictures;
use super::state::session::{SaveState, Section, Session};
use super::state::window::{Leaving, UserError, WindowState};
use super::timing::Timing;
use super::views::overlays::{self, Busy, RunningJob};
use super::views::{contacts, notes, palette, shell};
use crate::db::{ContactId, DbError};

pub struct FolioApp {
    settings: Settings,
    timing: Timing,
    session: Option<Session>,
    window: WindowState,
    files: Files,
    commands: Commands,
    theme_applied: Option<ThemeChoice>,
    title_shown: Option<PathBuf>,
    /// The database to open on the first frame.
    startup: Option<PathBuf>,
    /// Reports start-up timings (see [`StartupProbe`]).
    probe: Option<StartupProbe>,
    /// Reads and decodes the pictures of notes off the UI thread (made on the first frame).
    pictures: Option<NotePictures>,
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
        // A region the user chose before; one that no longer parses is left to the locale.
        let _ = crate::db::choose_phone_region(settings.phone_region.as_deref());
        FolioApp {
            startup: Some(database),
            probe: None,
            settings,
            timing,
            session: None,
            window: WindowState::default(),
            files: Files::new(dialogs),
            commands: Commands::default(),
            theme_applied: None,
            title_shown: None,
            pictures: None,
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
        self.window.error.as_ref()
    }

    /// The open database's path.
    pub fn database_path(&self) -> Option<&Path> {
        self.session.as_ref().map(|s| s.repo.path())
    }

    /// Whether nothing is waiting: no database opening, no list reply outstanding, no edit
    /// unsaved, no search still to apply. Tests step frames until this holds.
    pub fn is_settled(&self) -> bool {
        self.startup.is_none()
            && self.files.opening.is_none()
            && self.files.pending_dialog.is_none()
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
                        e.person_suggestions_pending.is_none()
                            && !e.person_enter_pending
                            && e.tags.pending.is_none()
                    })
                    && s.contact_editor
                        .as_ref()
                        .is_none_or(|e| e.groups.pending.is_none())
            })
            && self.pictures.as_ref().is_none_or(|p| !p.is_loading())
            && self
                .window
                .sql_console
                .as_ref()
                .is_none_or(|c| c.running.is_none() && c.schema_read)
            && self
                .window
                .history
                .as_ref()
                .is_none_or(|h| h.loading.is_none())
    }

    /// The open session (tests and benches read the repository through it).
    pub fn session_mut(&mut self) -> Option<&mut Session> {
        self.session.as_mut()
    }

    /// Lends the window's parts to `apply` for one call.
    fn parts<'a>(&'a mut self, ctx: &'a Context) -> Parts<'a> {
        Parts {
            ctx,
            settings: &mut self.settings,
            timing: &self.timing,
            session: &mut self.session,
            window: &mut self.window,
            files: &mut self.files,
        }
    }

    /// Draws one frame.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if let Some(database) = self.startup.take() {
            opening::start(&mut self.parts(&ctx), database);
        }
        self.apply_theme(&ctx);
        if let Some(session) = self.session.as_ref() {
            let minimized = ctx.input(|i| i.viewport().minimized.unwrap_or(false));
            session.worker.set_shown(!minimized);
        }
        self.receive(&ctx);
        let pictures = self
            .pictures
            .get_or_insert_with(|| NotePictures::install(&ctx));
        if let Some(session) = self.session.as_ref() {
            pictures.follow(&session.repo, &ctx);
        }
        let situation = self.situation(&ctx);
        let keyed = ctx.input_mut(|input| actions::commands_for_keys(input, &situation));
        for command in keyed {
            self.commands.push(command);
        }
        if ctx.input(|i| i.viewport().close_requested())
            && !apply::files::save_before(&mut self.parts(&ctx), Leaving::Quit)
        {
            // The text would be lost: the window stays until the user decides.
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        }
        self.autosave_if_due(&ctx);
        self.apply_search_if_due(&ctx);
        self.draw(ui, &ctx, &situation);

        if let Some(id) = self.window.focus_request.take() {
            ctx.memory_mut(|m| m.request_focus(Id::unique(id)));
        }
        let unsaved_birthday = self.session.as_ref().and_then(|s| {
            let editor = s.contact_editor.as_ref()?;
            (editor.birthday.parse() == BirthdayInput::Invalid)
                .then(|| (editor.contact.id, editor.name()))
        });
        for command in self.commands.take() {
            apply::apply(&mut self.parts(&ctx), command);
        }
        self.say_if_birthday_dropped(&ctx, unsaved_birthday);
        self.update_title(&ctx);
        self.report_startup(&ctx);
    }

    /// Takes in what the background threads sent: the opened database, a dialog's answer,
    /// dropped files, the list thread's replies, and finished jobs.
    fn receive(&mut self, ctx: &Context) {
        let mut parts = self.parts(ctx);
        opening::receive(&mut parts);
        apply::files::receive_chosen(&mut parts);
        if let Some(session) = parts.session.as_mut()
            && let Err(e) = session.receive_replies()
        {
            parts.window.report("The list could not be read", e);
        }
        jobs::follow_up(&mut parts);
        if let Some(console) = parts.window.sql_console.as_mut() {
            console.receive();
        }
        if let Some(history) = parts.window.history.as_mut() {
            history.receive();
            let open = parts
                .session
                .as_ref()
                .and_then(|s| s.editor.as_ref())
                .map(|e| (e.note.uuid.as_str(), e.note.version));
            history.follow(open);
        }
    }

    /// What decides which actions apply this frame.
    fn situation(&self, ctx: &Context) -> Situation {
        let session = self.session.as_ref();
        let typing = ctx.egui_wants_keyboard_input();
        Situation {
            has_database: session.is_some(),
            section: session.map(|s| s.section),
            selected: session.and_then(|s| match s.section {
                Section::Notes => s.list.selected.map(Item::Note),
                Section::Contacts => s.contacts.selected.map(Item::Contact),
            }),
            dialog: self.window.is_modal() || session.is_some_and(|s| s.palette.is_some()),
            typing,
            search_focused: ctx.memory(|m| m.has_focus(Id::unique(SEARCH_ID))),
            list_focused: session.is_some_and(|s| s.list_focused),
        }
    }

    /// The views, each given only what it shows and a place for what the user did.
    fn draw(&mut self, ui: &mut egui::Ui, ctx: &Context, situation: &Situation) {
        let busy = self.busy();
        let commands = &mut self.commands;
        shell::top_bar(
            ui,
            self.session.as_mut(),
            &self.settings,
            situation,
            commands,
        );
        shell::status_bar(ui, self.session.as_ref());
        match self.session.as_mut() {
            Some(session) => {
                shell::sidebar(ui, session, commands);
                match session.section {
                    Section::Notes => {
                        notes::note_list(ui, session, commands);
                        notes::note_detail(ui, session, commands);
                    }
                    Section::Contacts => {
                        contacts::contact_list(ui, session, commands);
                        contacts::contact_detail(ui, session, commands);
                    }
                }
                palette::show(ctx, session, situation, commands);
                // After the list's rows were asked for, so the worker answers those first.
                session.request_sidebar();
                session.request_palette();
            }
            None => {
                let opening = busy.opening.is_some() || self.window.error.is_none();
                shell::no_database(ui, opening, commands);
            }
        }
        overlays::show(
            ctx,
            &mut self.window,
            self.session.as_mut(),
            &busy,
            commands,
        );
        super::views::history::history(
            ctx,
            &mut self.window,
            &self.settings.history_retention,
            commands,
        );
    }

    /// What is taking long enough to show progress for.
    fn busy(&self) -> Busy {
        let after = self.timing.progress_after;
        let opening = self.files.opening.as_ref().and_then(|o| {
            let elapsed = o.started.elapsed();
            (elapsed >= after).then(|| (o.path.clone(), elapsed))
        });
        let running = self.session.as_ref().and_then(|s| s.job.as_ref());
        let job = running.and_then(|(job, started, progress)| {
            let elapsed = started.elapsed();
            (elapsed >= after).then(|| RunningJob {
                what: job.describe(),
                elapsed,
                progress: progress.clone(),
                can_cancel: job.can_cancel(),
            })
        });
        Busy {
            opening,
            job,
            job_running: running.is_some(),
        }
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
            self.window.error = Some(UserError::with_detail(
                format!("Your last edit could not be saved: {e}"),
                e,
            ));
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
                    self.window.error = Some(UserError::with_detail(
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
            self.window.say(
                format!(
                    "The birthday typed for {} was not a date, so it was not saved.",
                    display_label(&name)
                ),
                ctx.input(|i| i.time) + self.timing.toast_for,
            );
        }
    }
}

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
