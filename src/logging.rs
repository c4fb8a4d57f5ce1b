//! The log a user can attach to a bug report: `folio.log` in Folio's data folder (beside the
//! default database), rotated at 1 MB with the three newest old files kept. `FOLIO_LOG` sets
//! the level (`info` unless set; `debug` for more).

use std::path::PathBuf;

use flexi_logger::{Age, Cleanup, Criterion, FileSpec, Logger, LoggerHandle, Naming};

/// The folder of the log: Folio's data folder.
pub fn log_folder() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join("folio"))
}

/// The file being written now.
pub fn log_file() -> Option<PathBuf> {
    log_folder().map(|dir| dir.join("folio.log"))
}

/// Starts logging to the file. Logging is a help, not a need: when the folder cannot be
/// written, Folio runs without it (and says so on stderr).
pub fn start() -> Option<LoggerHandle> {
    let folder = log_folder()?;
    // The log starts before the database, so it is often what makes Folio's data folder: made
    // private here (0700), as the database would make it; the logger would use the umask.
    if let Err(e) = crate::db::create_private_folder(&folder) {
        eprintln!("folio: no log file ({e}); running without one");
        return None;
    }
    // Only a level name is taken: flexi_logger reads anything else (an empty value, a typo)
    // as a module filter, which would silently log nothing.
    let level = std::env::var("FOLIO_LOG")
        .ok()
        .map(|l| l.trim().to_ascii_lowercase())
        .filter(|l| ["error", "warn", "info", "debug", "trace"].contains(&l.as_str()))
        .unwrap_or_else(|| "info".to_owned());
    let started = Logger::try_with_str(&level).and_then(|logger| {
        logger
            .log_to_file(
                FileSpec::default()
                    .directory(folder)
                    .basename("folio")
                    .suppress_timestamp(),
            )
            .rotate(
                // Whichever comes first: 1 MB, or a new day for a long-running window.
                Criterion::AgeOrSize(Age::Day, 1_000_000),
                // The current file is plain `folio.log`; older ones carry when they were
                // rotated: `folio_r2026-11-21_13-40-00.log`.
                Naming::TimestampsCustomFormat {
                    current_infix: Some(""),
                    format: "r%Y-%m-%d_%H-%M-%S",
                },
                Cleanup::KeepLogFiles(3),
            )
            .append()
            .format_for_files(flexi_logger::detailed_format)
            .start()
    });
    match started {
        Ok(handle) => Some(handle),
        Err(e) => {
            eprintln!("folio: no log file ({e}); running without one");
            None
        }
    }
}
