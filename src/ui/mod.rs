//! The desktop app (eframe/egui).
//!
//! # Layers
//!
//! `app` (the frame loop) → `views` (drawing) and `apply` (carrying out commands) → `actions`
//! (the table of everything the user can do) → `widgets` → `state` (what the window holds) →
//! `command` (the words they share) → `worker` (the list thread), `settings`, `file_dialogs`, `format`,
//! `timing`. A module only uses the ones after it; `tests/ui_layers.rs` checks that there is
//! no import cycle.
//!
//! # One rule for data
//!
//! - **Every read for drawing goes to the list thread** ([`worker`]) and arrives as a reply:
//!   the lists, the sidebar's counts, the palette's hits, the suggestions under "Add tag",
//!   "Add group" and "People". No view reads the database, so no frame waits for a query,
//!   and a frame where nothing changed runs none.
//! - **The UI thread writes only through the session**: the autosave and the
//!   [`state::session::Session`] methods (trash, pin, tags…), each naming the version the
//!   window shows. Long writes (imports, exports, emptying a trash) are jobs on the list
//!   thread.
//! - **Errors reach the user once**, through the window's error dialog
//!   ([`state::window::WindowState::report`]), and are never defaulted away.
//!
//! Nothing here knows SQL.

pub mod actions;
pub mod app;
pub mod apply;
pub mod command;
pub mod file_dialogs;
pub mod format;
pub mod settings;
pub mod state;
pub mod timing;
pub mod views;
pub mod widgets;
pub mod worker;

use std::path::PathBuf;

pub use app::{FolioApp, StartupProbe};
pub use command::Command;
pub use file_dialogs::{DialogKind, FileDialogs, NativeDialogs, ScriptedDialogs};
pub use settings::{Settings, SortChoice, ThemeChoice};
pub use state::note_pictures::PLACEHOLDER_SIZE;
pub use timing::Timing;

/// The window icon, from `assets/`.
fn icon() -> Option<egui::IconData> {
    eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icons/folio-256.png")).ok()
}

/// Opens the window on `database` and runs until it closes.
pub fn run(database: PathBuf, started: std::time::Instant) -> Result<(), eframe::Error> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Folio")
        .with_app_id("folio")
        .with_inner_size([1200.0, 760.0])
        .with_min_inner_size([720.0, 420.0]);
    if let Some(icon) = icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "Folio",
        options,
        Box::new(move |cc| {
            let settings = Settings::load(cc.storage);
            Ok(Box::new(
                FolioApp::new(
                    database,
                    settings,
                    Box::new(NativeDialogs::default()),
                    Timing::default(),
                )
                .with_probe(StartupProbe::from_env(started)),
            ))
        }),
    )
}
