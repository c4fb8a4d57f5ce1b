//! Every write names the version it edited: a write over a version someone else has replaced
//! changes nothing and says so, the writer's text is kept as a conflict copy, and deleting for
//! good only deletes what is still in the trash.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{note, repo, search};
use folio::db::{
    CONFLICT_TAG, ContactDraft, DbError, LabeledEmail, NewNote, NoteFilter, NoteQuery, Timestamp,
    Version,
};
use proptest::prelude::*;

#[test]
fn a_save_over_a_version_it_has_not_seen_changes_nothing() {
    let mut repo = repo();
    let id = note(&mut repo, "Plan", "first draft");
    let window = repo.note(id).unwrap().version;
    // Someone else (the command line, another program) saves first.
    let other = repo.update_note(id, window, "Plan", "their text").unwrap();
    assert_eq!(other.version.0, window.0 + 1);

    let stale = repo.update_note(id, window, "Plan", "my text");
    assert!(matches!(stale, Err(DbError::Conflict { what: "note" })));
    let stored = repo.note(id).unwrap();
    assert_eq!(stored.body, "their text");
    assert_eq!(stored.version, other.version);
    // The index was not touched either.
    assert_eq!(search(&mut repo, "my text"), Vec::<String>::new());
    assert_eq!(search(&mut repo, "their text"), ["Plan"]);
}

#[test]
fn a_conflict_copy_keeps_the_text_beside_the_note() {
    let mut repo = repo();
    let id = note(&mut repo, "Plan", "first draft");
    let ada = repo
        .create_contact(&ContactDraft {
            given_name: "Ada".into(),
            ..ContactDraft::default()
        })
        .unwrap();
    repo.link_note_contact(id, ada.id).unwrap();
    let seen = repo.note(id).unwrap().version;
    let (_, seen) = repo.set_note_tags(id, seen, &["work"]).unwrap();
    repo.update_note(id, seen, "Plan", "their text").unwrap();

    let copy = repo.keep_conflict_copy(id, "Plan", "my text").unwrap();
    assert!(copy.title.starts_with("Plan (conflict, "), "{}", copy.title);
    assert_eq!(copy.body, "my text");
    assert_ne!(copy.uuid, repo.note(id).unwrap().uuid);
    let tags: Vec<&str> = copy.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, [CONFLICT_TAG, "work"]);
    let people = repo.contacts_of_note(copy.id).unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(repo.note(id).unwrap().body, "their text");
    assert_eq!(search(&mut repo, "my text").len(), 1);
}

#[test]
fn every_write_counts_a_version() {
    let mut repo = repo();
    let id = note(&mut repo, "a", "");
    let mut seen = repo.note(id).unwrap().version;
    let next = |made: Version, seen: &mut Version| {
        assert_eq!(made.0, seen.0 + 1);
        *seen = made;
    };
    next(
        repo.update_note(id, seen, "b", "").unwrap().version,
        &mut seen,
    );
    next(repo.set_note_pinned(id, seen, true).unwrap(), &mut seen);
    next(repo.set_note_tags(id, seen, &["x"]).unwrap().1, &mut seen);
    next(repo.trash_note(id, seen).unwrap(), &mut seen);
    next(repo.restore_note(id, seen).unwrap(), &mut seen);
    assert_eq!(repo.note(id).unwrap().version, seen);
    // And each of them refuses a version already replaced.
    let old = Version(seen.0 - 1);
    assert!(matches!(
        repo.set_note_pinned(id, old, false),
        Err(DbError::Conflict { .. })
    ));
    assert!(matches!(
        repo.set_note_tags(id, old, &["y"]),
        Err(DbError::Conflict { .. })
    ));
    assert!(matches!(
        repo.trash_note(id, old),
        Err(DbError::Conflict { .. })
    ));
    let stored = repo.note(id).unwrap();
    assert!(stored.pinned && stored.deleted.is_none());
    assert_eq!(stored.tags[0].name, "x");
}

#[test]
fn deleting_for_good_spares_a_note_restored_elsewhere() {
    let mut repo = repo();
    let id = note(&mut repo, "Keep me", "");
    let v1 = repo.note(id).unwrap().version;
    let in_trash = repo.trash_note(id, v1).unwrap();
    // A stale window still shows it in the trash; elsewhere it was restored.
    repo.restore_note(id, in_trash).unwrap();
    assert!(matches!(
        repo.delete_note_permanently(id, in_trash),
        Err(DbError::Conflict { .. })
    ));
    // Live notes are never deleted for good, whatever the version.
    let current = repo.note(id).unwrap().version;
    assert!(matches!(
        repo.delete_note_permanently(id, current),
        Err(DbError::Conflict { .. })
    ));
    assert_eq!(repo.note(id).unwrap().title, "Keep me");
}

#[test]
fn a_later_save_is_never_dated_before_the_stored_note() {
    let mut repo = repo();
    // Written by a machine whose clock ran a day ahead.
    let tomorrow = Timestamp(Timestamp::now().0 + 86_400_000);
    let id = repo
        .import_notes(&[NewNote {
            title: "Skewed".into(),
            updated: Some(tomorrow),
            ..NewNote::default()
        }])
        .unwrap()[0];
    let seen = repo.note(id).unwrap().version;
    let saved = repo.update_note(id, seen, "Skewed", "later").unwrap();
    assert!(saved.updated > tomorrow);
    // Still the newest in the list.
    let other = note(&mut repo, "Other", "");
    let listed = repo.list_notes(&NoteQuery::default()).unwrap().items;
    assert_eq!(listed[0].id, id, "{other:?}");
}

#[test]
fn contacts_follow_the_same_rule() {
    let mut repo = repo();
    let ada = repo
        .create_contact(&ContactDraft {
            given_name: "Ada".into(),
            family_name: "Lovelace".into(),
            ..ContactDraft::default()
        })
        .unwrap();
    let mut theirs = repo.contact_draft(ada.id).unwrap();
    theirs.organization = "Analytical Engines".into();
    let saved = repo.update_contact(ada.id, ada.version, &theirs).unwrap();
    assert_eq!(saved.version.0, ada.version.0 + 1);

    let mut mine = repo.contact_draft(ada.id).unwrap();
    mine.organization = String::new();
    mine.emails.push(LabeledEmail {
        label: "home".into(),
        address: "ada@example.org".into(),
    });
    assert!(matches!(
        repo.update_contact(ada.id, ada.version, &mine),
        Err(DbError::Conflict { what: "contact" })
    ));
    assert_eq!(
        repo.contact(ada.id).unwrap().organization,
        "Analytical Engines"
    );
    let copy = repo.keep_contact_conflict_copy(&mine).unwrap();
    assert!(
        copy.display_name.starts_with("Ada Lovelace (conflict, "),
        "{}",
        copy.display_name
    );
    assert_eq!(copy.emails[0].address, "ada@example.org");
    assert!(copy.groups.iter().any(|g| g.name == CONFLICT_TAG));
    assert_ne!(copy.uuid, ada.uuid);

    assert!(matches!(
        repo.set_contact_favorite(ada.id, ada.version, true),
        Err(DbError::Conflict { .. })
    ));
    let trashed = repo.trash_contact(ada.id, saved.version).unwrap();
    let restored = repo.restore_contact(ada.id, trashed).unwrap();
    assert!(matches!(
        repo.delete_contact_permanently(ada.id, trashed),
        Err(DbError::Conflict { .. })
    ));
    assert!(matches!(
        repo.delete_contact_permanently(ada.id, restored),
        Err(DbError::Conflict { .. })
    ));
    assert!(repo.contact(ada.id).unwrap().deleted.is_none());
}

#[test]
fn the_conflict_list_shows_the_note_and_its_copy() {
    let mut repo = repo();
    let id = note(&mut repo, "Plan", "theirs");
    note(&mut repo, "Unrelated", "");
    let copy = repo.keep_conflict_copy(id, "Plan", "mine").unwrap();
    let pair = NoteQuery {
        filter: NoteFilter::Pair(id, copy.id),
        ..NoteQuery::default()
    };
    let mut titles: Vec<String> = repo
        .list_notes(&pair)
        .unwrap()
        .items
        .into_iter()
        .map(|n| n.title)
        .collect();
    titles.sort();
    assert_eq!(titles.len(), 2);
    assert_eq!(titles[0], "Plan");
    assert!(titles[1].starts_with("Plan (conflict"));
}

/// Two writers save one note, each naming the version it last read. Whatever the
/// interleaving, a save succeeds exactly when nobody saved since the writer's read, and the
/// stored text is always the last successful save: no write is lost without a conflict.
#[derive(Debug, Clone)]
enum Step {
    Read(usize),
    Save(usize),
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        prop_oneof![
            (0..2usize).prop_map(Step::Read),
            (0..2usize).prop_map(Step::Save)
        ],
        1..40,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn no_interleaving_of_two_writers_loses_a_save(steps in steps()) {
        let mut repo = repo();
        let id = note(&mut repo, "shared", "0");
        let start = repo.note(id).unwrap().version;
        let mut seen = [start, start];
        let mut last_saved = "0".to_owned();
        let mut saves_since_read = [0usize, 0];
        for (n, step) in steps.into_iter().enumerate() {
            match step {
                Step::Read(w) => {
                    seen[w] = repo.note(id).unwrap().version;
                    saves_since_read[w] = 0;
                }
                Step::Save(w) => {
                    let text = format!("writer {w} step {n}");
                    match repo.update_note(id, seen[w], "shared", &text) {
                        Ok(saved) => {
                            prop_assert_eq!(saves_since_read[w], 0);
                            seen[w] = saved.version;
                            saves_since_read[1 - w] += 1;
                            last_saved = text;
                        }
                        Err(DbError::Conflict { .. }) => {
                            prop_assert!(saves_since_read[w] > 0);
                        }
                        Err(e) => prop_assert!(false, "{e}"),
                    }
                }
            }
            prop_assert_eq!(repo.note(id).unwrap().body, last_saved.clone());
        }
    }
}
