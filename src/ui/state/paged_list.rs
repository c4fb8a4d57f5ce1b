//! A list as the list thread last reported it, fetched in blocks as rows scroll into view. The
//! notes list and the contacts list are both one of these; [`ListKind`] says what differs.

use std::collections::{BTreeMap, HashSet};

use crate::search::{Term, parse_query};
use crate::ui::worker::{ListWorker, Request};

/// Rows fetched per request while scrolling.
pub const BLOCK_ROWS: usize = 100;

/// What one kind of list shows and how it asks for rows.
pub trait ListKind {
    type Row;
    type Id: Copy + PartialEq;
    type Filter: Copy + PartialEq;
    type Sort: Copy + PartialEq;

    fn id(row: &Self::Row) -> Self::Id;

    /// The request for rows `offset .. offset + limit` of this view.
    fn request(
        view: &View<Self::Filter, Self::Sort>,
        generation: u64,
        offset: usize,
        limit: usize,
        with_total: bool,
    ) -> Request;

    /// Prepares a row once when it arrives, so drawing it each frame is cheap.
    fn prepare(_row: &mut Self::Row) {}
}

/// Which rows a list shows, in which order.
#[derive(Debug, Clone, PartialEq)]
pub struct View<F, S> {
    pub filter: F,
    pub sort: S,
    /// The search applied to the list (the box may hold newer text, still debouncing).
    pub search: String,
}

pub struct PagedList<K: ListKind> {
    pub view: View<K::Filter, K::Sort>,
    /// `view.search` parsed, for highlighting.
    pub terms: Vec<Term>,
    /// Bumped whenever the list's content may differ: filter, sort, search or data changed.
    generation: u64,
    /// Blocks of rows by their first row.
    blocks: BTreeMap<usize, Vec<K::Row>>,
    requested: HashSet<usize>,
    total: Option<i64>,
    /// The blocks and total are from an older generation, shown until the new ones arrive so the
    /// list never flashes empty while the user types.
    stale: bool,
    pub selected: Option<K::Id>,
    pub scroll_to_selected: bool,
}

impl<K: ListKind> PagedList<K> {
    pub fn new(filter: K::Filter, sort: K::Sort) -> Self {
        PagedList {
            view: View {
                filter,
                sort,
                search: String::new(),
            },
            terms: Vec::new(),
            generation: 1,
            blocks: BTreeMap::new(),
            requested: HashSet::new(),
            total: None,
            stale: false,
            selected: None,
            scroll_to_selected: false,
        }
    }

    pub fn filter(&self) -> K::Filter {
        self.view.filter
    }

    pub fn sort(&self) -> K::Sort {
        self.view.sort
    }

    pub fn search(&self) -> &str {
        &self.view.search
    }

    /// How many rows the list has, once known.
    pub fn total(&self) -> Option<i64> {
        self.total
    }

    /// Whether the rows shown are current (no reply outstanding).
    pub fn is_current(&self) -> bool {
        !self.stale && self.total.is_some()
    }

    pub fn row(&self, index: usize) -> Option<&K::Row> {
        let start = index - index % BLOCK_ROWS;
        self.blocks.get(&start)?.get(index - start)
    }

    /// The index of a row among the loaded rows.
    pub fn index_of(&self, id: K::Id) -> Option<usize> {
        self.blocks
            .iter()
            .find_map(|(start, rows)| rows.iter().position(|r| K::id(r) == id).map(|i| start + i))
    }

    /// The list must be read again; what is shown stays until the answer comes.
    /// The row `step` rows from the selected one (the first row when none is selected), if
    /// it is loaded: Up and Down in the list. Marks the list to scroll to it.
    pub fn step_from_selected(&mut self, step: isize) -> Option<K::Id> {
        let total = self.total().unwrap_or(0).max(0) as usize;
        let target = match self.selected.and_then(|id| self.index_of(id)) {
            Some(index) => index.checked_add_signed(step),
            None => Some(0),
        }
        .filter(|target| *target < total)?;
        let id = K::id(self.row(target)?);
        self.scroll_to_selected = true;
        Some(id)
    }

    pub fn invalidate(&mut self) {
        self.generation += 1;
        self.requested.clear();
        self.stale = true;
    }

    pub fn set_view(&mut self, filter: K::Filter, sort: K::Sort, search: &str) {
        let view = View {
            filter,
            sort,
            search: search.to_owned(),
        };
        if self.view != view {
            self.terms = parse_query(search);
            self.view = view;
            self.invalidate();
        }
    }

    pub fn set_filter(&mut self, filter: K::Filter) {
        let (sort, search) = (self.view.sort, self.view.search.clone());
        self.set_view(filter, sort, &search);
    }

    pub fn set_sort(&mut self, sort: K::Sort) {
        let (filter, search) = (self.view.filter, self.view.search.clone());
        self.set_view(filter, sort, &search);
    }

    pub fn set_search(&mut self, search: &str) {
        let (filter, sort) = (self.view.filter, self.view.sort);
        self.set_view(filter, sort, search);
    }

    /// Asks the worker for the blocks covering `rows` that are neither here nor asked for.
    pub fn request_rows(&mut self, worker: &ListWorker, rows: std::ops::Range<usize>) {
        let needs_total = self.stale || self.total.is_none();
        let first = rows.start - rows.start % BLOCK_ROWS;
        let mut start = first;
        loop {
            let have = !self.stale && self.blocks.contains_key(&start);
            if !have && !self.requested.contains(&start) {
                self.requested.insert(start);
                worker.send(K::request(
                    &self.view,
                    self.generation,
                    start,
                    BLOCK_ROWS,
                    needs_total && start == first,
                ));
            }
            start += BLOCK_ROWS;
            if start >= rows.end {
                break;
            }
        }
    }

    pub fn receive(
        &mut self,
        generation: u64,
        offset: i64,
        mut rows: Vec<K::Row>,
        total: Option<i64>,
    ) {
        if generation != self.generation {
            return;
        }
        if self.stale {
            self.blocks.clear();
            self.stale = false;
        }
        let offset = offset.max(0) as usize;
        rows.iter_mut().for_each(K::prepare);
        self.blocks.insert(offset, rows);
        if let Some(total) = total {
            self.total = Some(total);
        }
        // Keep memory flat however far the user scrolls: drop blocks far from this one.
        let keep = offset.saturating_sub(20 * BLOCK_ROWS)..offset + 20 * BLOCK_ROWS;
        self.blocks.retain(|start, _| keep.contains(start));
        // A dropped block must be asked for again when it scrolls back into view.
        self.requested.retain(|start| keep.contains(start));
    }
}
