//! Carrying out what the user asked for, after the frame is drawn: one exhaustive match per
//! domain, so a new command cannot be forgotten. A failure is reported once, in words,
//! through the window's error dialog.

pub mod contacts;
pub mod files;
pub mod items;
pub mod jobs;
pub mod notes;
pub mod opening;
pub mod view;

use egui::Context;

use super::command::Command;
use super::settings::Settings;
use super::state::session::Session;
use super::state::window::WindowState;
use super::timing::Timing;
use crate::db::DbError;
use files::Files;

/// The parts of the window a command may change. The app lends them for the call.
pub struct Parts<'a> {
    pub ctx: &'a Context,
    pub settings: &'a mut Settings,
    pub timing: &'a Timing,
    pub session: &'a mut Option<Session>,
    pub window: &'a mut WindowState,
    pub files: &'a mut Files,
}

impl Parts<'_> {
    /// egui's clock, in seconds.
    pub fn now(&self) -> f64 {
        self.ctx.input(|i| i.time)
    }
}

/// What a failed command says: what could not be done, and why.
pub type Outcome = Result<(), (&'static str, DbError)>;

pub fn apply(parts: &mut Parts, command: Command) {
    let outcome = match command {
        Command::File(command) => {
            files::apply(parts, command);
            Ok(())
        }
        Command::View(command) => view::apply(parts, command),
        Command::Note(command) => match parts.session.as_mut() {
            Some(session) => {
                let now = parts.ctx.input(|i| i.time);
                notes::apply(session, parts.settings, parts.window, command, now)
            }
            None => Ok(()),
        },
        Command::Contact(command) => match parts.session.as_mut() {
            Some(session) => {
                let now = parts.ctx.input(|i| i.time);
                let times = contacts::Times {
                    now,
                    toast_until: now + parts.timing.toast_for,
                };
                contacts::apply(session, parts.settings, parts.window, times, command)
            }
            None => Ok(()),
        },
        Command::Item(command) => match parts.session.as_mut() {
            Some(session) => {
                let until = parts.ctx.input(|i| i.time) + parts.timing.toast_for;
                items::apply(session, parts.window, until, command)
            }
            None => Ok(()),
        },
    };
    if let Err((what, error)) = outcome {
        parts.window.report(what, error);
    }
}
