//! `folio history` and `folio backup --with-history`, run as a user runs them: the real
//! binary, on a file.

// A test fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use folio::db::{EditSession, NewNote, Repository};

fn folio(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A file holding a note with two earlier versions and a note deleted for good; returns the
/// first note's UUID.
fn database_with_history(db: &Path) -> String {
    let mut repo = Repository::open(db).unwrap();
    let note = repo
        .create_note(&NewNote {
            title: "Recipe".into(),
            body: "two eggs".into(),
            tags: vec!["food".into()],
            ..NewNote::default()
        })
        .unwrap();
    let saved = repo
        .update_note_with(
            note.id,
            note.version,
            "Recipe",
            "three eggs",
            EditSession::Starts,
        )
        .unwrap();
    repo.update_note_with(
        note.id,
        saved.version,
        "Recipe",
        "four eggs",
        EditSession::Starts,
    )
    .unwrap();
    let gone = repo
        .create_note(&NewNote {
            title: "Old diary".into(),
            body: "dear diary".into(),
            ..NewNote::default()
        })
        .unwrap();
    let version = repo.trash_note(gone.id, gone.version).unwrap();
    repo.delete_note_permanently(gone.id, version).unwrap();
    note.uuid
}

#[test]
fn a_notes_versions_are_listed_shown_and_restored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.folio");
    let uuid = database_with_history(&db);

    let out = folio(&db, &["history", &uuid, "--json"]);
    assert!(out.status.success(), "{out:?}");
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let revisions = listed["revisions"].as_array().unwrap();
    assert_eq!(revisions.len(), 2);
    for field in ["id", "time", "title", "bytes"] {
        assert!(revisions[0].get(field).is_some(), "{field} in {listed}");
    }
    assert_eq!(revisions[0]["bytes"], "three eggs".len());
    let oldest = revisions[1]["id"].as_i64().unwrap().to_string();

    let out = folio(&db, &["history", &uuid, "--show", &oldest]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stdout(&out), "Recipe\nTags: food\n\ntwo eggs\n");

    let out = folio(&db, &["history", &uuid, "--restore", &oldest]);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout(&out).contains("Restored “Recipe”"),
        "{}",
        stdout(&out)
    );
    let mut repo = Repository::open(&db).unwrap();
    let note = repo.note_by_uuid(&uuid).unwrap().unwrap();
    assert_eq!(note.body, "two eggs");
    // The text it replaced is the newest version now.
    assert_eq!(
        repo.note_revisions_with_text(&uuid).unwrap()[0].body,
        "four eggs"
    );
}

#[test]
fn a_note_deleted_for_good_is_listed_and_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.folio");
    database_with_history(&db);
    let out = folio(&db, &["history", "--deleted", "--json"]);
    assert!(out.status.success(), "{out:?}");
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let deleted = listed["deleted"].as_array().unwrap();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0]["title"], "Old diary");
    let uuid = deleted[0]["uuid"].as_str().unwrap();
    let out = folio(&db, &["history", uuid, "--json"]);
    let id =
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["revisions"][0]["id"]
            .as_i64()
            .unwrap()
            .to_string();
    let out = folio(&db, &["history", uuid, "--restore", &id]);
    assert!(out.status.success(), "{out:?}");
    let mut repo = Repository::open(&db).unwrap();
    assert_eq!(repo.note_by_uuid(uuid).unwrap().unwrap().body, "dear diary");
    assert!(repo.deleted_notes().unwrap().is_empty());
}

#[test]
fn a_wrong_note_or_revision_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.folio");
    let uuid = database_with_history(&db);
    let before = std::fs::read(&db).unwrap();
    let out = folio(&db, &["history", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no note and no history"));
    let out = folio(&db, &["history", &uuid, "--restore", "999999"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no revision 999999"));
    let out = folio(&db, &["history", "not-a-uuid"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_backup_with_history_carries_it_to_another_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.folio");
    let uuid = database_with_history(&db);
    let backup = dir.path().join("backup.json");
    let out = folio(&db, &["backup", "--with-history", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout(&out).contains("with 3 revisions"),
        "{}",
        stdout(&out)
    );
    let other = dir.path().join("other.folio");
    let out = folio(&other, &["import", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let mut repo = Repository::open(&other).unwrap();
    assert_eq!(repo.note_revisions(&uuid).unwrap().len(), 2);
    assert_eq!(repo.deleted_notes().unwrap().len(), 1);
    // A plain backup leaves the history out.
    let plain = dir.path().join("plain.json");
    assert!(
        folio(&db, &["backup", plain.to_str().unwrap()])
            .status
            .success()
    );
    let text = std::fs::read_to_string(&plain).unwrap();
    assert!(!text.contains("\"revisions\""));
}
