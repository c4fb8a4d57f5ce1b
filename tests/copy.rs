//! `folio copy`: everything from one database to another, through the real binary. The copy
//! holds what the original holds (its stats, its records, and a backup of each restores to the
//! same), an occupied target is refused unless merging, and a failed copy leaves no file.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use folio::db::{ContactDraft, LabeledEmail, NewNote, Repository};
use folio::exchange::backup;

fn folio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .output()
        .unwrap()
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A database with live and trashed notes and contacts, tags, a group and a link.
fn filled(path: &Path) {
    let mut repo = Repository::open(path).unwrap();
    let map = repo
        .add_attachment(&folio::db::NewAttachment {
            file_name: "map.png",
            media_type: "",
            bytes: b"\x89PNG\r\n\x1a\nnot really a map",
            uuid: None,
            created: None,
        })
        .unwrap();
    let plan = repo
        .create_note(&NewNote {
            title: "Plan".into(),
            body: format!("# Plan\n\nsummer\n\n{}", map.markdown_reference()),
            tags: vec!["work".into(), "travel".into()],
            pinned: true,
            ..NewNote::default()
        })
        .unwrap();
    let old = common::note(&mut repo, "Old", "gone soon");
    let stored = repo.note(old).unwrap();
    repo.trash_note(old, stored.version).unwrap();
    let ada = repo
        .create_contact(&ContactDraft {
            given_name: "Ada".into(),
            family_name: "Lovelace".into(),
            emails: vec![LabeledEmail {
                label: "work".into(),
                address: "ada@example.org".into(),
            }],
            groups: vec!["friends".into()],
            ..ContactDraft::default()
        })
        .unwrap();
    let bob = repo
        .create_contact(&ContactDraft {
            display_name: "Bob".into(),
            ..ContactDraft::default()
        })
        .unwrap();
    repo.trash_contact(bob.id, bob.version).unwrap();
    repo.link_note_contact(plan.id, ada.id).unwrap();
}

fn stats_json(path: &Path) -> String {
    let out = folio(&["--db", text(path), "stats", "--json"]);
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_copy_holds_everything_the_original_holds() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.folio"), dir.path().join("b.folio"));
    filled(&a);
    let out = folio(&["--db", text(&a), "copy", "--to", text(&b)]);
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.starts_with("Copied 2 notes"), "{said}");

    assert_eq!(stats_json(&a), stats_json(&b));
    assert!(
        stats_json(&b).contains("\"attachments\": 1,"),
        "the picture came along"
    );
    let from = Repository::open(&a).unwrap().all_records().unwrap();
    let copied = Repository::open(&b).unwrap().all_records().unwrap();
    assert_eq!(
        copied, from,
        "every note, contact, tag, group and link, trash included"
    );

    // A backup of each restores to the same database.
    for (source, name) in [(&a, "a"), (&b, "b")] {
        let file = dir.path().join(format!("{name}.json"));
        backup::write_backup(&mut Repository::open(source).unwrap(), &file, false).unwrap();
        let mut restored =
            Repository::open(dir.path().join(format!("{name}-restored.folio"))).unwrap();
        backup::restore_backup(&mut restored, &file).unwrap();
        assert_eq!(restored.all_records().unwrap(), from);
    }
}

#[test]
fn an_occupied_target_is_refused_unless_merging_and_merging_goes_by_uuid() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.folio"), dir.path().join("b.folio"));
    filled(&a);
    {
        let mut target = Repository::open(&b).unwrap();
        common::note(&mut target, "Already here", "");
    }
    let before = Repository::open(&b).unwrap().all_records().unwrap();

    let refused = folio(&["copy", "--from", text(&a), "--to", text(&b)]);
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("already holds 1 note and 0 contacts"),
        "{said}"
    );
    assert_eq!(Repository::open(&b).unwrap().all_records().unwrap(), before);

    let merged = folio(&[
        "copy",
        "--from",
        text(&a),
        "--to",
        text(&b),
        "--merge",
        "--json",
    ]);
    assert!(merged.status.success(), "{merged:?}");
    let report: serde_json::Value = serde_json::from_slice(&merged.stdout).unwrap();
    assert_eq!(report["notes"]["added"], 2, "{report}");
    assert_eq!(report["contacts"]["added"], 2, "{report}");
    // Merging again finds every one by its UUID.
    let again = folio(&[
        "copy",
        "--from",
        text(&a),
        "--to",
        text(&b),
        "--merge",
        "--json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(report["notes"]["added"], 0, "{report}");
    assert_eq!(report["notes"]["kept"], 2, "{report}");
    assert_eq!(
        Repository::open(&b).unwrap().stats().unwrap().notes,
        2,
        "Plan and Already here (Old is in the trash)"
    );
}

#[test]
fn copying_a_database_onto_itself_or_from_nowhere_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.folio");
    filled(&a);
    let before = Repository::open(&a).unwrap().all_records().unwrap();
    let onto_itself = folio(&["--db", text(&a), "copy", "--to", text(&a), "--merge"]);
    assert_eq!(onto_itself.status.code(), Some(1), "{onto_itself:?}");
    assert_eq!(Repository::open(&a).unwrap().all_records().unwrap(), before);

    let missing = dir.path().join("missing.folio");
    let target = dir.path().join("new.folio");
    let out = folio(&["copy", "--from", text(&missing), "--to", text(&target)]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(!missing.exists() && !target.exists(), "no file was made");
}
