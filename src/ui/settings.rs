//! What the app remembers between runs (through eframe's storage): recent files, theme and the
//! list's sort. Window size and position, and panel widths, eframe and egui keep themselves.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::db::{ContactSort, NoteSort};

/// How many files File → Open recent lists.
pub const RECENT_FILES: usize = 10;

const STORAGE_KEY: &str = "folio-settings";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    pub fn label(self) -> &'static str {
        match self {
            ThemeChoice::System => "Follow system",
            ThemeChoice::Light => "Light",
            ThemeChoice::Dark => "Dark",
        }
    }

    pub fn preference(self) -> egui::ThemePreference {
        match self {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SortChoice {
    #[default]
    Updated,
    Created,
    Title,
}

impl SortChoice {
    pub const ALL: [SortChoice; 3] = [SortChoice::Updated, SortChoice::Created, SortChoice::Title];

    pub fn label(self) -> &'static str {
        match self {
            SortChoice::Updated => "Last edited",
            SortChoice::Created => "Date created",
            SortChoice::Title => "Title",
        }
    }

    pub fn note_sort(self) -> NoteSort {
        match self {
            SortChoice::Updated => NoteSort::Updated,
            SortChoice::Created => NoteSort::Created,
            SortChoice::Title => NoteSort::Title,
        }
    }
}

/// How the contacts list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ContactSortChoice {
    #[default]
    FirstName,
    LastName,
}

impl ContactSortChoice {
    pub const ALL: [ContactSortChoice; 2] =
        [ContactSortChoice::FirstName, ContactSortChoice::LastName];

    pub fn label(self) -> &'static str {
        match self {
            ContactSortChoice::FirstName => "First name",
            ContactSortChoice::LastName => "Last name",
        }
    }

    pub fn contact_sort(self) -> ContactSort {
        match self {
            ContactSortChoice::FirstName => ContactSort::GivenName,
            ContactSortChoice::LastName => ContactSort::FamilyName,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Most recent first, at most [`RECENT_FILES`].
    pub recent_files: Vec<PathBuf>,
    pub theme: ThemeChoice,
    pub sort: SortChoice,
    pub contact_sort: ContactSortChoice,
    /// The country national phone numbers are read in (`FR`), when the user chose one.
    pub phone_region: Option<String>,
    /// How long notes' revisions are kept (History… → Keep history).
    pub history_retention: crate::db::HistoryRetention,
}

impl Settings {
    /// The saved settings, or the defaults when there are none (or they cannot be read: a
    /// damaged settings entry must never stop the app from starting).
    pub fn load(storage: Option<&dyn eframe::Storage>) -> Self {
        storage
            .and_then(|s| eframe::get_value(s, STORAGE_KEY))
            .unwrap_or_default()
    }

    pub fn save(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, self);
    }

    /// Puts `path` first in the recent files.
    pub fn remember(&mut self, path: &Path) {
        // Absolute, so the list still finds the file when Folio starts from elsewhere (the
        // launcher starts it in the home folder).
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        let path = path.as_path();
        self.recent_files.retain(|p| p != path);
        self.recent_files.insert(0, path.to_owned());
        self.recent_files.truncate(RECENT_FILES);
    }

    pub fn forget(&mut self, path: &Path) {
        self.recent_files.retain(|p| p != path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_keep_the_newest_ten_without_repeats() {
        let mut settings = Settings::default();
        for i in 0..12 {
            settings.remember(Path::new(&format!("/db/{i}.db")));
        }
        settings.remember(Path::new("/db/5.db"));
        assert_eq!(settings.recent_files.len(), RECENT_FILES);
        assert_eq!(settings.recent_files[0], Path::new("/db/5.db"));
        assert_eq!(settings.recent_files[1], Path::new("/db/11.db"));
        assert_eq!(
            settings
                .recent_files
                .iter()
                .filter(|p| p.ends_with("5.db"))
                .count(),
            1
        );
        settings.forget(Path::new("/db/5.db"));
        assert!(!settings.recent_files.contains(&PathBuf::from("/db/5.db")));
    }
}
