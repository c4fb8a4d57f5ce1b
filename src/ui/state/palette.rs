//! The Ctrl+K palette's state: what was typed, the notes and contacts the list thread found
//! for it, and the actions whose names match.

use crate::db::GoToHit;

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
    pub(super) generation: u64,
    pub(super) requested_for: Option<String>,
}

impl Palette {
    /// Whether the results shown are for the text typed.
    pub fn is_current(&self) -> bool {
        self.text.trim() == self.results_for.trim()
    }
}
