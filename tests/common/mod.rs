//! Helpers shared by the integration tests.
#![allow(dead_code)]

use folio::db::{NewNote, NoteId, NoteQuery, Repository};

pub fn repo() -> Repository {
    match Repository::open_in_memory() {
        Ok(repo) => repo,
        Err(e) => panic!("in-memory database: {e}"),
    }
}

pub fn note(repo: &mut Repository, title: &str, body: &str) -> NoteId {
    repo.create_note(&NewNote {
        title: title.to_owned(),
        body: body.to_owned(),
        ..NewNote::default()
    })
    .map(|n| n.id)
    .unwrap_or_else(|e| panic!("create note {title:?}: {e}"))
}

/// The titles a query lists, in list order.
pub fn titles(repo: &mut Repository, query: &NoteQuery) -> Vec<String> {
    repo.list_notes(query)
        .unwrap_or_else(|e| panic!("list notes: {e}"))
        .items
        .into_iter()
        .map(|n| n.title)
        .collect()
}

/// Titles of live notes matching a search.
pub fn search(repo: &mut Repository, text: &str) -> Vec<String> {
    let mut found = titles(
        repo,
        &NoteQuery {
            search: text.to_owned(),
            limit: 10_000,
            ..NoteQuery::default()
        },
    );
    found.sort();
    found
}
