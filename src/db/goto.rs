//! "Go to anything" (Ctrl+K): notes by title and contacts by name, found together as the user
//! types.

use diesel::SqliteConnection;

use super::Repository;
use super::contacts::{ContactFilter, ContactQuery};
use super::error::DbResult;
use super::hits::{HitSet, RowId};
use super::ids::{ContactId, NoteId, Timestamp};
use super::notes::NoteQuery;
use super::search_index::{self, IndexQuery};
use crate::search::{PhoneDigits, TRIGRAM_MIN_CHARS, Term, fold, parse_query};

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

/// How many of each kind are fetched before ranking; `limit` of them are shown.
const CANDIDATES: i64 = 24;

/// With only one- and two-character terms typed, the newest this many index hits of the
/// longest term are ranked: such a term matches most rows, and the palette must answer in a
/// few milliseconds while the user is still typing.
const SHORT_INPUT_HITS: u32 = 2_000;

/// With one term of 3+ characters, the newest this many hits are ranked. Only a term found in
/// a fifth of a 100,000-row table or more reaches it (`555` in every phone number): reading
/// all of its hits would take 10–20 ms, for a list of eight.
const ONE_TERM_HITS: u32 = 20_000;

/// How well a label matches what was typed, best first: every term in the label and the whole
/// text at its start; every term in it and the text at the start of a word; every term
/// somewhere; then the rest (a contact found by an email or phone, or a candidate that lacks a
/// short term).
fn rank(label: &str, typed: &str, terms: &[Term]) -> u8 {
    let label = fold(label);
    if !terms.iter().all(|t| label.contains(&t.text)) {
        3
    } else if label.starts_with(typed) {
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

/// The hits of a lookup: all of them, or the newest `cap` (for a lookup of one term only: the
/// newest hits of two terms may not meet).
fn find_hits<Id: RowId>(
    cap: Option<u32>,
    conn: &mut SqliteConnection,
    index: &IndexQuery,
    (trigram_table, gram_table): (&'static str, &'static str),
) -> DbResult<HitSet<Id>> {
    match cap {
        Some(cap) => HitSet::find_newest(conn, index, trigram_table, gram_table, cap),
        None => HitSet::find(conn, index, trigram_table, gram_table),
    }
}

impl Repository {
    /// Live notes by title and live contacts by name, organisation, email or phone that hold
    /// every term of `text` of 3+ characters, best matches first, at most `limit` of each kind.
    /// The candidates ranked are the first few of each list, plus the contacts whose name
    /// starts with the text.
    /// Terms of 1–2 characters rank the candidates rather than filter them (they match most
    /// rows); typed alone, the newest 2,000 hits of the longest are ranked, and with one term
    /// of 3+ characters, the newest 20,000 of its hits. A fixed number of queries whatever the
    /// size of the database.
    pub fn go_to(&mut self, text: &str, limit: i64) -> DbResult<Vec<GoToHit>> {
        let terms = parse_query(text);
        if terms.is_empty() || limit <= 0 {
            return Ok(Vec::new());
        }
        let long: Vec<Term> = terms
            .iter()
            .filter(|t| t.char_count() >= TRIGRAM_MIN_CHARS)
            .cloned()
            .collect();
        let short_only = long.is_empty();
        let cap = match long.len() {
            0 => Some(SHORT_INPUT_HITS),
            1 => Some(ONE_TERM_HITS),
            _ => None,
        };
        let lookup = if short_only {
            // The longest short term is the most selective one.
            terms
                .iter()
                .max_by_key(|t| t.char_count())
                .cloned()
                .into_iter()
                .collect()
        } else {
            long
        };
        let candidates = CANDIDATES.max(limit);

        // Hits read once, then the list walked in order (or the hits bound when few), as the
        // lists do: the cost follows the page, not the number of hits.
        let note_index = search_index::index_query(&lookup, PhoneDigits::Ignore);
        let note_hits: HitSet<NoteId> = find_hits(
            cap,
            &mut self.conn,
            &note_index,
            ("note_title_search", "note_title_grams"),
        )?;
        let notes = self.page_with(
            &NoteQuery {
                limit: candidates,
                ..NoteQuery::default()
            },
            Some(&note_hits),
        )?;
        let contact_index = search_index::index_query(&lookup, PhoneDigits::Match);
        let contact_hits: HitSet<ContactId> = find_hits(
            cap,
            &mut self.conn,
            &contact_index,
            ("contact_search", "contact_grams"),
        )?;
        // A number typed whole finds it however the contact wrote it, as the list does.
        let contact_hits =
            match super::contact_lists::number_written_otherwise(&mut self.conn, text)? {
                Some(number_hits) => contact_hits.union(number_hits),
                None => contact_hits,
            };
        let contacts = self.contacts_page_with(
            &ContactQuery {
                filter: ContactFilter::All,
                limit: candidates,
                ..ContactQuery::default()
            },
            Some(&contact_hits),
        )?;

        // The first candidates in name order may all match inside a name ("Aaron Mann" for
        // "ann"); the names that start with what was typed rank first, so read them too.
        let mut contacts = contacts;
        for named in self.contacts_named_with_prefix(text, candidates)? {
            if !contacts.iter().any(|c| c.id == named.id) {
                contacts.push(named);
            }
        }
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
        let short: Vec<Term> = terms
            .into_iter()
            .filter(|t| t.char_count() < TRIGRAM_MIN_CHARS)
            .collect();
        // Stable: within a rank, contacts by name, then notes pinned first and newest.
        hits.sort_by_cached_key(|hit| {
            let rank = rank(hit.label(), &typed, &short);
            // A contact matched by an email or a phone holds every long term, which its name
            // may not show; only short terms it lacks put it last.
            let rank = match hit {
                GoToHit::Contact { .. }
                    if rank == 3 && short.iter().all(|t| fold(hit.label()).contains(&t.text)) =>
                {
                    2
                }
                _ => rank,
            };
            (rank, matches!(hit, GoToHit::Note { .. }))
        });
        let mut shown = Vec::new();
        let (mut notes_shown, mut contacts_shown) = (0, 0);
        for hit in hits {
            let count = match hit {
                GoToHit::Note { .. } => &mut notes_shown,
                GoToHit::Contact { .. } => &mut contacts_shown,
            };
            if *count < limit {
                *count += 1;
                shown.push(hit);
            }
        }
        Ok(shown)
    }
}

#[cfg(test)]
mod tests {
    use super::rank;

    use crate::search::parse_query;

    #[test]
    fn a_match_at_the_start_ranks_before_one_at_a_word_before_one_inside() {
        assert_eq!(rank("Ada Lovelace", "ada", &[]), 0);
        assert_eq!(rank("Meeting with Ada", "ada", &[]), 1);
        assert_eq!(rank("Canada trip", "ada", &[]), 2);
        assert_eq!(rank("Émile", "emi", &[]), 0);
        // A candidate without a short term typed comes last.
        assert_eq!(rank("Ada Khan", "ada l", &parse_query("l")), 3);
        assert_eq!(rank("Ada Lovelace", "ada l", &parse_query("l")), 0);
    }
}
