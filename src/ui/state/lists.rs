//! The two paged lists the window shows: notes and contacts, each asking the list thread for
//! its rows.

use super::paged_list::{ListKind, PagedList, View};
use crate::db::{
    ContactFilter, ContactId, ContactQuery, ContactSummary, NoteFilter, NoteId, NoteQuery,
    NoteSummary,
};
use crate::ui::settings::{ContactSortChoice, SortChoice};
use crate::ui::worker::Request;

pub struct NoteRows;

impl ListKind for NoteRows {
    type Row = NoteSummary;
    type Id = NoteId;
    type Filter = NoteFilter;
    type Sort = SortChoice;

    fn id(row: &NoteSummary) -> NoteId {
        row.id
    }

    fn request(
        view: &View<NoteFilter, SortChoice>,
        generation: u64,
        offset: usize,
        limit: usize,
        with_total: bool,
    ) -> Request {
        Request::NoteRows {
            generation,
            query: NoteQuery {
                filter: view.filter,
                search: view.search.clone(),
                sort: view.sort.note_sort(),
                offset: offset as i64,
                limit: limit as i64,
            },
            with_total,
        }
    }

    fn prepare(row: &mut NoteSummary) {
        // A row shows its preview on one line: join it once here, not in every frame.
        row.preview = row.preview.split_whitespace().collect::<Vec<_>>().join(" ");
    }
}

pub struct ContactRows;

impl ListKind for ContactRows {
    type Row = ContactSummary;
    type Id = ContactId;
    type Filter = ContactFilter;
    type Sort = ContactSortChoice;

    fn id(row: &ContactSummary) -> ContactId {
        row.id
    }

    fn request(
        view: &View<ContactFilter, ContactSortChoice>,
        generation: u64,
        offset: usize,
        limit: usize,
        with_total: bool,
    ) -> Request {
        Request::ContactRows {
            generation,
            query: ContactQuery {
                filter: view.filter,
                search: view.search.clone(),
                sort: view.sort.contact_sort(),
                offset: offset as i64,
                limit: limit as i64,
            },
            with_total,
        }
    }
}

pub type NoteList = PagedList<NoteRows>;
pub type ContactList = PagedList<ContactRows>;
