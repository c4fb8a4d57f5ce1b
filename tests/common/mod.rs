//! Helpers shared by the integration tests.
#![allow(dead_code)]

use folio::db::{Attachment, NewAttachment, NewNote, NoteId, NoteQuery, Repository};

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

/// What a write names as the version it edited, for tests that write over whatever is stored
/// (the window names the version it showed; these tests are about other things).
pub trait Versioned: Copy {
    fn stored_version(self, repo: &mut Repository) -> folio::db::Version;
}

impl Versioned for NoteId {
    fn stored_version(self, repo: &mut Repository) -> folio::db::Version {
        // A note that is gone: no version matches, and the write says it is not found.
        repo.note(self)
            .map_or(folio::db::Version(0), |note| note.version)
    }
}

impl Versioned for folio::db::ContactId {
    fn stored_version(self, repo: &mut Repository) -> folio::db::Version {
        repo.contact(self)
            .map_or(folio::db::Version(0), |contact| contact.version)
    }
}

/// `at_latest!(repo.trash_note(id))`: the call, naming the stored version of `id`.
#[macro_export]
macro_rules! at_latest {
    ($repo:ident . $method:ident ( $id:expr $(, $arg:expr)* $(,)? )) => {{
        let id = $id;
        let seen = $crate::common::Versioned::stored_version(id, &mut $repo);
        $repo.$method(id, seen $(, $arg)*)
    }};
}

pub mod address_book;

/// Stores a file as an attachment, its media type read off its bytes.
pub fn attach(repo: &mut Repository, name: &str, bytes: &[u8]) -> Attachment {
    repo.add_attachment(&NewAttachment {
        file_name: name,
        media_type: "",
        bytes,
        uuid: None,
        created: None,
    })
    .unwrap_or_else(|e| panic!("attach {name:?}: {e}"))
}

/// Bytes that start like a PNG (so they are taken for one) and differ by `seed`.
pub fn png_like(seed: u8) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(std::iter::repeat_n(seed, 300));
    bytes
}
