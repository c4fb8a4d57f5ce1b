//! The desktop app (eframe/egui). Views draw state and produce commands; the app applies them
//! through the repository. Nothing here knows SQL.

pub mod app;
pub mod contact_editor;
pub mod contact_views;
pub mod file_dialogs;
pub mod list_worker;
pub mod overlays;
pub mod paged_list;
pub mod palette;
pub mod session;
pub mod settings;
pub mod views;

use std::path::PathBuf;

pub use app::{Command, FolioApp, Timing};
pub use file_dialogs::{DialogKind, FileDialogs, NativeDialogs, ScriptedDialogs};
pub use settings::{Settings, SortChoice, ThemeChoice};

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
                    Box::new(NativeDialogs),
                    Timing::default(),
                )
                .with_probe(app::StartupProbe::from_env(started)),
            ))
        }),
    )
}
