//! The rows a search matches, read from the index once, and how to cut a page out of them.
//!
//! A list page of a search is found either by walking the list in its order and keeping the
//! hits (cheap when hits are dense: a common word stops after a few dozen rows), or by binding
//! the hit ids into the list query (cheap when hits are rare). [`HitSet::should_bind`] chooses.

use std::collections::HashSet;

use diesel::prelude::*;

use super::error::DbResult;
use super::ids::{ContactId, NoteId};
use super::search_index::{self, IndexQuery};

/// One bound hit costs about as much as walking this many rows (measured at 100,000 notes: see
/// docs/PERFORMANCE.md).
const WALK_ROWS_PER_HIT: i64 = 20;

/// SQLite allows 32,766 bound values; more hits than this are always walked.
const MAX_BOUND_HITS: usize = 20_000;

/// Reads the rowids one index table matches for an FTS5 expression.
type RowidLookup<'a> =
    dyn FnMut(&mut SqliteConnection, &'static str, &str) -> DbResult<Vec<i32>> + 'a;

/// A row id of a table with a search index.
pub(crate) trait RowId: Copy {
    fn from_rowid(rowid: i32) -> Self;
    fn rowid(self) -> i32;
}

impl RowId for NoteId {
    fn from_rowid(rowid: i32) -> Self {
        NoteId(rowid)
    }
    fn rowid(self) -> i32 {
        self.0
    }
}

impl RowId for ContactId {
    fn from_rowid(rowid: i32) -> Self {
        ContactId(rowid)
    }
    fn rowid(self) -> i32 {
        self.0
    }
}

/// The ids of every row (live or trashed) that matches a search.
pub(crate) struct HitSet<Id> {
    ids: Vec<Id>,
    bits: Vec<u64>,
}

impl<Id: RowId> HitSet<Id> {
    /// Reads the hits from a trigram table and its short-gram table, one pass per lookup.
    pub fn find(
        conn: &mut SqliteConnection,
        index: &IndexQuery,
        trigram_table: &'static str,
        gram_table: &'static str,
    ) -> DbResult<Self> {
        Self::find_with(
            conn,
            index,
            trigram_table,
            gram_table,
            &mut |conn, table, m| search_index::matching_rowids(conn, table, m),
        )
    }

    /// Like [`HitSet::find`] for a query of one term, but keeps only about the newest `cap`
    /// hits: for a term so short that it matches most rows, this answers in bounded time.
    pub fn find_newest(
        conn: &mut SqliteConnection,
        index: &IndexQuery,
        trigram_table: &'static str,
        gram_table: &'static str,
        cap: u32,
    ) -> DbResult<Self> {
        Self::find_with(
            conn,
            index,
            trigram_table,
            gram_table,
            &mut |conn, table, m| search_index::newest_matching_rowids(conn, table, m, cap),
        )
    }

    fn find_with(
        conn: &mut SqliteConnection,
        index: &IndexQuery,
        trigram_table: &'static str,
        gram_table: &'static str,
        lookup: &mut RowidLookup<'_>,
    ) -> DbResult<Self> {
        let mut lists = Vec::new();
        if let Some(m) = &index.trigram_match {
            lists.push(lookup(conn, trigram_table, m)?);
        }
        if let Some(m) = &index.gram_match {
            lists.push(lookup(conn, gram_table, m)?);
        }
        for (trigram_match, gram_match) in &index.either {
            let mut union = lookup(conn, trigram_table, trigram_match)?;
            union.extend(lookup(conn, gram_table, gram_match)?);
            union.sort_unstable();
            union.dedup();
            lists.push(union);
        }
        let mut lists = lists.into_iter();
        let mut ids = lists.next().unwrap_or_default();
        for other in lists {
            let other: HashSet<i32> = other.into_iter().collect();
            ids.retain(|id| other.contains(id));
        }
        Ok(Self::from_rowids(ids))
    }

    /// The rows either set holds: a contact search that is also a phone number finds what its
    /// terms find and what the number finds.
    pub fn union(self, other: Self) -> Self {
        let mut ids: Vec<i32> = self.ids.iter().map(|id| id.rowid()).collect();
        ids.extend(other.ids.iter().map(|id| id.rowid()));
        ids.sort_unstable();
        ids.dedup();
        Self::from_rowids(ids)
    }

    fn from_rowids(ids: Vec<i32>) -> Self {
        let max = ids.iter().copied().max().unwrap_or(0).max(0) as usize;
        let mut bits = vec![0u64; max / 64 + 1];
        for id in &ids {
            if let Ok(i) = usize::try_from(*id) {
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        HitSet {
            ids: ids.into_iter().map(Id::from_rowid).collect(),
            bits,
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn ids(&self) -> &[Id] {
        &self.ids
    }

    pub fn contains(&self, id: Id) -> bool {
        usize::try_from(id.rowid())
            .ok()
            .and_then(|i| {
                self.bits
                    .get(i / 64)
                    .map(|word| word & (1 << (i % 64)) != 0)
            })
            .unwrap_or(false)
    }

    /// How many of these ids are hits.
    pub fn count_in(&self, ids: &[Id]) -> usize {
        ids.iter().filter(|id| self.contains(**id)).count()
    }

    /// Whether binding the hits beats walking the list for rows `.. wanted` of a table of about
    /// `rows` rows. Walking passes over about `wanted × rows / hits` rows, each cheap.
    pub fn should_bind(&self, wanted: i64, rows: i64) -> bool {
        let hit_count = self.len().max(1) as i64;
        let rows_to_walk = wanted.saturating_mul(rows) / hit_count;
        self.len() <= MAX_BOUND_HITS && rows_to_walk > hit_count.saturating_mul(WALK_ROWS_PER_HIT)
    }

    /// Like [`HitSet::should_bind`] for a list whose order may gather the hits in one stretch
    /// (contacts sorted by name, searched by a name): the walk may pass the whole list before
    /// the page fills, so binding wins unless the hits are a large share of the rows.
    pub fn should_bind_clustered(&self, rows: i64) -> bool {
        self.should_bind(self.len() as i64, rows)
    }

    /// Keeps the hits among `walk` (ids in list order), skipping `offset` and stopping at
    /// `limit`: the walk reads no further than the page.
    pub fn page_of_walk(
        &self,
        walk: impl Iterator<Item = QueryResult<Id>>,
        offset: i64,
        limit: i64,
    ) -> DbResult<Vec<Id>> {
        // No page holds more than the hits; a caller asking for "all" passes i64::MAX.
        let mut page =
            Vec::with_capacity(usize::try_from(limit.max(0)).unwrap_or(0).min(self.len()));
        let mut skipped = 0;
        for id in walk {
            let id = id?;
            if !self.contains(id) {
                continue;
            }
            if skipped < offset {
                skipped += 1;
                continue;
            }
            page.push(id);
            if page.len() as i64 >= limit {
                break;
            }
        }
        Ok(page)
    }
}

/// Puts rows read by id (in whatever order SQLite returned them) into the order of `ids`.
pub(crate) fn in_order_of<Row, Id: Copy + Eq + std::hash::Hash>(
    rows: &mut [Row],
    ids: &[Id],
    id_of: impl Fn(&Row) -> Id,
) {
    let position: std::collections::HashMap<Id, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|row| position.get(&id_of(row)).copied());
}
