//! "Go to anything" (Ctrl+K): notes by title and contacts by name, found together as the user
//! types.

use diesel::prelude::*;

use super::contacts::{ContactFilter, ContactQuery};
use super::error::DbResult;
use super::ids::{ContactId, NoteId, Timestamp};
use super::schema::notes;
use super::{Repository, search_index};
use crate::search::{PhoneDigits, fold, parse_query};

/// One result of the palette.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoToHit {
    Note {
        id: NoteId,
        title: String,
        updated: Timestamp,
    },
    Contact {
        id: ContactId,
        name: String,
        /// The organisation, else the primary email, to tell namesakes apart.
        detail: String,
    },
}

impl GoToHit {
    /// The text the palette shows and ranks by.
    pub fn label(&self) -> &str {
        match self {
            GoToHit::Note { title, .. } => title,
            GoToHit::Contact { name, .. } => name,
        }
    }
}

/// How well a label matches what was typed: the whole text at the start, then at the start of
/// a word, then anywhere.
fn rank(label: &str, typed: &str) -> u8 {
    let label = fold(label);
    if label.starts_with(typed) {
        0
    } else if label
        .match_indices(typed)
        .any(|(at, _)| !label[..at].ends_with(char::is_alphanumeric))
    {
        1
    } else {
        2
    }
}

impl Repository {
    /// Live notes whose title and live contacts whose names, organisation, emails or phones
    /// hold every term of `text`, best matches first, at most `limit` of each kind. Three to
    /// five indexed queries whatever the size of the database.
    pub fn go_to(&mut self, text: &str, limit: i64) -> DbResult<Vec<GoToHit>> {
        let terms = parse_query(text);
        if terms.is_empty() || limit <= 0 {
            return Ok(Vec::new());
        }
        let mut notes_query = notes::table
            .filter(notes::deleted_at.is_null())
            .into_boxed();
        let index_query = search_index::index_query(&terms, PhoneDigits::Ignore);
        for condition in search_index::index_conditions(
            &index_query,
            "notes.id",
            "note_title_search",
            "note_title_grams",
        ) {
            notes_query = notes_query.filter(condition);
        }
        let note_rows: Vec<(NoteId, String, Timestamp)> = notes_query
            .order((notes::updated_at.desc(), notes::id.desc()))
            .select((notes::id, notes::title, notes::updated_at))
            .limit(limit)
            .load(&mut self.conn)?;
        let contacts = self.contacts_page(&ContactQuery {
            filter: ContactFilter::All,
            search: text.to_owned(),
            limit,
            ..ContactQuery::default()
        })?;

        let mut hits: Vec<GoToHit> = contacts
            .into_iter()
            .map(|c| GoToHit::Contact {
                id: c.id,
                detail: if c.organization.trim().is_empty() {
                    c.emails
                        .first()
                        .map(|e| e.address.clone())
                        .unwrap_or_default()
                } else {
                    c.organization
                },
                name: c.label,
            })
            .chain(
                note_rows
                    .into_iter()
                    .map(|(id, title, updated)| GoToHit::Note { id, title, updated }),
            )
            .collect();
        let typed = fold(text.trim());
        // Stable: within a rank, contacts by name, then notes newest first.
        hits.sort_by_cached_key(|hit| rank(hit.label(), &typed));
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::rank;

    #[test]
    fn a_match_at_the_start_ranks_before_one_at_a_word_before_one_inside() {
        assert_eq!(rank("Ada Lovelace", "ada"), 0);
        assert_eq!(rank("Meeting with Ada", "ada"), 1);
        assert_eq!(rank("Canada trip", "ada"), 2);
        assert_eq!(rank("Émile", "emi"), 0);
    }
}
