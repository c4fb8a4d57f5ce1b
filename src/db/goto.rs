//! "Go to anything" (Ctrl+K): notes by title and contacts by name, found together as the user
//! types.

use super::contacts::{ContactFilter, ContactQuery};
use super::error::DbResult;
use super::hits::HitSet;
use super::ids::{ContactId, NoteId, Timestamp};
use super::notes::NoteQuery;
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
    /// hold every term of `text`, best matches first, at most `limit` of each kind (notes
    /// pinned first, then newest; contacts by first name). A fixed number of queries whatever
    /// the size of the database.
    pub fn go_to(&mut self, text: &str, limit: i64) -> DbResult<Vec<GoToHit>> {
        let terms = parse_query(text);
        if terms.is_empty() || limit <= 0 {
            return Ok(Vec::new());
        }
        // Title hits read once, then the list walked newest first (or the hits bound when
        // few), as the notes list does: the cost follows the page, not the number of hits.
        let index_query = search_index::index_query(&terms, PhoneDigits::Ignore);
        let title_hits: HitSet<NoteId> = HitSet::find(
            &mut self.conn,
            &index_query,
            "note_title_search",
            "note_title_grams",
        )?;
        let notes = self.page_with(
            &NoteQuery {
                limit,
                ..NoteQuery::default()
            },
            Some(&title_hits),
        )?;
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
            .chain(notes.into_iter().map(|n| GoToHit::Note {
                id: n.id,
                title: n.title,
                updated: n.updated,
            }))
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
