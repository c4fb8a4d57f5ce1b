//! One open database and everything the window shows of it: the list, the open note, the
//! sidebar's counts. Reads for the list go to the [`ListWorker`]; writes and single-note loads
//! use the window's own connection (each takes about a millisecond).

use std::collections::{BTreeMap, HashSet};

use egui_commonmark::CommonMarkCache;

use super::list_worker::{ListWorker, Reply, Request, SidebarCounts};
use super::settings::SortChoice;
use crate::db::{DbError, Note, NoteFilter, NoteId, NoteQuery, NoteSummary, Repository, Tag};
use crate::search::{Term, parse_query};

/// Rows fetched per request while scrolling.
pub const BLOCK_ROWS: usize = 100;

/// The list as the worker last reported it, fetched in blocks as rows scroll into view.
pub struct NoteList {
    pub filter: NoteFilter,
    pub sort: SortChoice,
    /// The search applied to the list (the box may hold newer text, still debouncing).
    pub search: String,
    /// `search` parsed, for highlighting.
    pub terms: Vec<Term>,
    /// Bumped whenever the list's content may differ: filter, sort, search or data changed.
    generation: u64,
    /// Blocks of rows by their first row.
    blocks: BTreeMap<usize, Vec<NoteSummary>>,
    requested: HashSet<usize>,
    total: Option<i64>,
    /// The blocks and total are from an older generation, shown until the new ones arrive so the
    /// list never flashes empty while the user types.
    stale: bool,
    pub selected: Option<NoteId>,
    pub scroll_to_selected: bool,
}

impl NoteList {
    fn new(sort: SortChoice) -> Self {
        NoteList {
            filter: NoteFilter::All,
            sort,
            search: String::new(),
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

    /// How many rows the list has, once known.
    pub fn total(&self) -> Option<i64> {
        self.total
    }

    /// Whether the rows shown are current (no reply outstanding).
    pub fn is_current(&self) -> bool {
        !self.stale && self.total.is_some()
    }

    pub fn row(&self, index: usize) -> Option<&NoteSummary> {
        let start = index - index % BLOCK_ROWS;
        self.blocks.get(&start)?.get(index - start)
    }

    /// The index of a note among the loaded rows.
    pub fn index_of(&self, id: NoteId) -> Option<usize> {
        self.blocks
            .iter()
            .find_map(|(start, rows)| rows.iter().position(|r| r.id == id).map(|i| start + i))
    }

    fn query(&self, offset: usize, limit: usize) -> NoteQuery {
        NoteQuery {
            filter: self.filter,
            search: self.search.clone(),
            sort: self.sort.note_sort(),
            offset: offset as i64,
            limit: limit as i64,
        }
    }

    /// The list must be read again; what is shown stays until the answer comes.
    fn invalidate(&mut self) {
        self.generation += 1;
        self.requested.clear();
        self.stale = true;
    }

    pub fn set_view(&mut self, filter: NoteFilter, sort: SortChoice, search: &str) {
        if self.filter != filter || self.sort != sort || self.search != search {
            self.filter = filter;
            self.sort = sort;
            self.search = search.to_owned();
            self.terms = parse_query(search);
            self.invalidate();
        }
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
                worker.send(Request::Rows {
                    generation: self.generation,
                    query: self.query(start, BLOCK_ROWS),
                    with_total: needs_total && start == first,
                });
            }
            start += BLOCK_ROWS;
            if start >= rows.end {
                break;
            }
        }
    }

    fn receive(
        &mut self,
        generation: u64,
        offset: i64,
        rows: Vec<NoteSummary>,
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
        // A row shows its preview on one line: join it once here, not in every frame.
        let rows = rows
            .into_iter()
            .map(|mut row| {
                row.preview = row.preview.split_whitespace().collect::<Vec<_>>().join(" ");
                row
            })
            .collect();
        self.blocks.insert(offset, rows);
        if let Some(total) = total {
            self.total = Some(total);
        }
        // Keep memory flat however far the user scrolls: drop blocks far from this one.
        let keep = offset.saturating_sub(20 * BLOCK_ROWS)..offset + 20 * BLOCK_ROWS;
        self.blocks.retain(|start, _| keep.contains(start));
        let blocks = &self.blocks;
        self.requested
            .retain(|start| !blocks.contains_key(start) || keep.contains(start));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorMode {
    Edit,
    Preview,
}

/// The note open in the detail pane, with its unsaved text.
pub struct Editor {
    pub note: Note,
    pub title: String,
    pub body: String,
    /// When (egui time, seconds) the first edit not yet saved was made.
    pub dirty_since: Option<f64>,
    /// When the last edit was made; autosave waits for a pause after it.
    pub last_edit: f64,
    pub mode: EditorMode,
    pub tag_input: String,
    pub tag_suggestions: Vec<Tag>,
    /// The tag input text the suggestions are for.
    pub suggestions_for: Option<String>,
    pub markdown: CommonMarkCache,
}

impl Editor {
    fn new(note: Note) -> Self {
        Editor {
            title: note.title.clone(),
            body: note.body.clone(),
            note,
            dirty_since: None,
            last_edit: 0.0,
            mode: EditorMode::Edit,
            tag_input: String::new(),
            tag_suggestions: Vec::new(),
            suggestions_for: None,
            markdown: CommonMarkCache::default(),
        }
    }

    pub fn is_read_only(&self) -> bool {
        self.note.deleted.is_some()
    }

    pub fn mark_edited(&mut self, now: f64) {
        self.dirty_since.get_or_insert(now);
        self.last_edit = now;
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    Pending,
    Failed(String),
}

pub struct Session {
    pub repo: Repository,
    pub worker: ListWorker,
    pub list: NoteList,
    pub sidebar: SidebarCounts,
    sidebar_generation: u64,
    sidebar_requested: u64,
    pub editor: Option<Editor>,
    pub save_state: SaveState,
    /// The text in the search box; applied to the list after a short pause.
    pub search_text: String,
    pub search_edited_at: Option<f64>,
    /// Keys such as Delete and the arrows act on the list (not on a text field).
    pub list_focused: bool,
}

impl Session {
    pub fn new(repo: Repository, worker: ListWorker, sort: SortChoice) -> Self {
        Session {
            repo,
            worker,
            list: NoteList::new(sort),
            sidebar: SidebarCounts::default(),
            sidebar_generation: 1,
            sidebar_requested: 0,
            editor: None,
            save_state: SaveState::Saved,
            search_text: String::new(),
            search_edited_at: None,
            list_focused: false,
        }
    }

    /// Takes in what the worker answered.
    pub fn receive_replies(&mut self) -> Result<(), DbError> {
        while let Some(reply) = self.worker.try_recv() {
            match reply {
                Reply::Rows {
                    generation,
                    offset,
                    result,
                } => {
                    let (rows, total) = result?;
                    self.list.receive(generation, offset, rows, total);
                }
                Reply::Sidebar { generation, result } => {
                    if generation == self.sidebar_generation {
                        self.sidebar = result?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Asks for the sidebar's counts if they are out of date.
    pub fn request_sidebar(&mut self) {
        if self.sidebar_requested != self.sidebar_generation {
            self.sidebar_requested = self.sidebar_generation;
            self.worker.send(Request::Sidebar {
                generation: self.sidebar_generation,
            });
        }
    }

    /// After any write: the list, the sidebar and the index merging all need another look.
    pub fn data_changed(&mut self) {
        self.list.invalidate();
        self.sidebar_generation += 1;
        self.worker.send(Request::DataChanged);
    }

    /// Saves the open note's text if it has unsaved edits.
    pub fn save_editor(&mut self) -> Result<(), DbError> {
        let Some(editor) = self.editor.as_mut() else {
            return Ok(());
        };
        if editor.dirty_since.is_none() {
            return Ok(());
        }
        match self
            .repo
            .update_note(editor.note.id, &editor.title, &editor.body)
        {
            Ok(updated) => {
                editor.note.updated = updated;
                editor.note.title = editor.title.clone();
                editor.note.body = editor.body.clone();
                editor.dirty_since = None;
                self.save_state = SaveState::Saved;
                self.data_changed();
                Ok(())
            }
            Err(e) => {
                self.save_state = SaveState::Failed(e.to_string());
                Err(e)
            }
        }
    }

    /// Opens a note in the detail pane, saving the one open before.
    pub fn open_note(&mut self, id: NoteId) -> Result<(), DbError> {
        self.save_editor()?;
        let note = self.repo.note(id)?;
        self.editor = Some(Editor::new(note));
        self.list.selected = Some(id);
        Ok(())
    }

    /// Re-reads the open note (after a change made outside the editor: pin, tags, trash).
    pub fn reload_editor(&mut self) -> Result<(), DbError> {
        if let Some(editor) = self.editor.as_mut() {
            let note = self.repo.note(editor.note.id)?;
            editor.note = note;
        }
        Ok(())
    }

    /// The open note's tag names (none when no note is open).
    pub fn editor_tag_names(&self) -> Vec<String> {
        self.editor
            .iter()
            .flat_map(|e| e.note.tags.iter().map(|t| t.name.clone()))
            .collect()
    }

    /// Gives the open note exactly these tags.
    pub fn set_editor_tags(&mut self, names: &[String]) -> Result<(), DbError> {
        let Some(id) = self.editor.as_ref().map(|e| e.note.id) else {
            return Ok(());
        };
        self.repo.set_note_tags(id, names)?;
        self.data_changed();
        self.reload_editor()
    }

    pub fn close_editor(&mut self) {
        self.editor = None;
        self.list.selected = None;
    }
}
