//! How long the window waits before it does things on its own.

use std::time::Duration;

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
