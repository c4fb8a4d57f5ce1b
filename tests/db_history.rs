//! Note history: which states are kept, restoring one in place or bringing back a note deleted
//! for good, backups with history, and the retention rule.

// A test fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Versioned, note, repo};
use folio::db::{
    EditSession, HistoryRetention, NoteRecord, RecordSource, Records, Repository, RevisionId,
    RevisionReason, RevisionRecord, Timestamp,
};
use proptest::prelude::*;

const DAY: i64 = 24 * 60 * 60 * 1000;

fn bodies(repo: &mut Repository, uuid: &str) -> Vec<String> {
    repo.note_revisions_with_text(uuid)
        .unwrap()
        .into_iter()
        .map(|r| r.body)
        .collect()
}

#[test]
fn an_editing_session_keeps_the_text_it_started_from_once() {
    let mut repo = repo();
    let id = note(&mut repo, "Plan", "first draft");
    let uuid = repo.note(id).unwrap().uuid;
    let v = id.stored_version(&mut repo);
    let saved = repo
        .update_note_with(id, v, "Plan", "second", EditSession::Starts)
        .unwrap();
    let saved = repo
        .update_note_with(
            id,
            saved.version,
            "Plan",
            "second draft",
            EditSession::Continues,
        )
        .unwrap();
    repo.update_note_with(
        id,
        saved.version,
        "Plan",
        "second draft!",
        EditSession::Continues,
    )
    .unwrap();
    assert_eq!(bodies(&mut repo, &uuid), ["first draft"]);
    // The next session keeps where the last one ended, never the current text.
    let v = id.stored_version(&mut repo);
    repo.update_note_with(id, v, "Plan", "third", EditSession::Starts)
        .unwrap();
    assert_eq!(bodies(&mut repo, &uuid), ["second draft!", "first draft"]);
    let listed = repo.note_revisions(&uuid).unwrap();
    assert_eq!(listed[0].reason, RevisionReason::Edit);
    assert_eq!(listed[0].bytes, "second draft!".len() as i64);
    assert_eq!(repo.note(id).unwrap().body, "third");
}

#[test]
fn a_new_empty_note_has_no_history_worth_keeping() {
    let mut repo = repo();
    let id = note(&mut repo, "", "");
    let uuid = repo.note(id).unwrap().uuid;
    let v = id.stored_version(&mut repo);
    repo.update_note_with(id, v, "Typed", "at last", EditSession::Starts)
        .unwrap();
    assert!(repo.note_revisions(&uuid).unwrap().is_empty());
}

#[test]
fn a_refused_save_keeps_no_revision() {
    let mut repo = repo();
    let id = note(&mut repo, "Plan", "stored");
    let uuid = repo.note(id).unwrap().uuid;
    let stale = id.stored_version(&mut repo);
    repo.update_note(id, stale, "Plan", "elsewhere").unwrap();
    assert!(
        repo.update_note_with(id, stale, "Plan", "mine", EditSession::Starts)
            .is_err()
    );
    assert!(repo.note_revisions(&uuid).unwrap().is_empty());
}

#[test]
fn restoring_a_revision_replaces_the_text_in_place_and_keeps_the_current_one() {
    let mut repo = repo();
    let id = note(&mut repo, "Recipe", "two eggs");
    let seen = id.stored_version(&mut repo);
    repo.set_note_tags(id, seen, &["food"]).unwrap();
    let uuid = repo.note(id).unwrap().uuid;
    let v = id.stored_version(&mut repo);
    repo.update_note_with(id, v, "Recipe v2", "three eggs", EditSession::Starts)
        .unwrap();
    let seen = id.stored_version(&mut repo);
    repo.set_note_tags(id, seen, &["baking"]).unwrap();
    let old = repo.note_revisions(&uuid).unwrap()[0].id;
    let before = repo.note(id).unwrap();
    let restored = repo
        .restore_revision(old, Some((id, before.version)))
        .unwrap();
    assert_eq!(restored.id, id, "the same note, not a copy");
    assert_eq!(restored.uuid, uuid);
    assert_eq!(
        (restored.title.as_str(), restored.body.as_str()),
        ("Recipe", "two eggs")
    );
    let tags: Vec<_> = restored.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["food"]);
    assert!(restored.version > before.version);
    // The text it replaced is the newest revision now.
    let newest = &repo.note_revisions_with_text(&uuid).unwrap()[0];
    assert_eq!(newest.body, "three eggs");
    assert_eq!(newest.tags, ["baking"]);
    assert_eq!(newest.summary.reason, RevisionReason::Restore);
    assert_eq!(common::search(&mut repo, "two eggs"), ["Recipe"]);
    assert!(common::search(&mut repo, "three").is_empty());
}

#[test]
fn restoring_over_a_version_not_seen_changes_nothing() {
    let mut repo = repo();
    let id = note(&mut repo, "Plan", "one");
    let uuid = repo.note(id).unwrap().uuid;
    let v = id.stored_version(&mut repo);
    let saved = repo
        .update_note_with(id, v, "Plan", "two", EditSession::Starts)
        .unwrap();
    let revision = repo.note_revisions(&uuid).unwrap()[0].id;
    repo.update_note(id, saved.version, "Plan", "three (elsewhere)")
        .unwrap();
    let err = repo
        .restore_revision(revision, Some((id, saved.version)))
        .unwrap_err();
    assert!(matches!(err, folio::db::DbError::Conflict { .. }), "{err}");
    assert_eq!(repo.note(id).unwrap().body, "three (elsewhere)");
    assert_eq!(repo.note_revisions(&uuid).unwrap().len(), 1);
}

#[test]
fn trash_and_delete_for_good_keep_the_last_state_and_the_note_comes_back() {
    let mut repo = repo();
    let id = note(&mut repo, "Diary", "dear diary");
    let uuid = repo.note(id).unwrap().uuid;
    let seen = id.stored_version(&mut repo);
    repo.trash_note(id, seen).unwrap();
    let listed = repo.note_revisions(&uuid).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].reason, RevisionReason::Trash);
    assert!(
        repo.deleted_notes().unwrap().is_empty(),
        "only in the trash"
    );
    let trashed_kept = listed[0].kept;
    std::thread::sleep(std::time::Duration::from_millis(5));
    let seen = id.stored_version(&mut repo);
    repo.delete_note_permanently(id, seen).unwrap();
    // The same state is not kept twice; it counts as kept when the note was deleted, so it
    // ages from then.
    let listed = repo.note_revisions(&uuid).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].reason, RevisionReason::Delete);
    assert!(listed[0].kept > trashed_kept);
    let deleted = repo.deleted_notes().unwrap();
    assert_eq!(deleted.len(), 1);
    assert_eq!(
        (deleted[0].uuid.as_str(), deleted[0].title.as_str()),
        (uuid.as_str(), "Diary")
    );
    let revision = repo.note_revisions(&uuid).unwrap()[0].id;
    let back = repo.restore_revision(revision, None).unwrap();
    assert_eq!(
        back.uuid, uuid,
        "the same UUID, so links and exports still name it"
    );
    assert_eq!(back.body, "dear diary");
    assert!(back.deleted.is_none());
    assert!(repo.deleted_notes().unwrap().is_empty());
    assert_eq!(common::search(&mut repo, "diary"), ["Diary"]);
}

#[test]
fn emptying_the_trash_keeps_each_notes_last_state() {
    let mut repo = repo();
    let a = note(&mut repo, "A", "alpha");
    let b = note(&mut repo, "B", "beta");
    for id in [a, b] {
        let seen = id.stored_version(&mut repo);
        repo.trash_note(id, seen).unwrap();
    }
    // Edited in the trash elsewhere (a restore of a backup can do this): the newer text is kept.
    let uuid_b = repo.note(b).unwrap().uuid;
    let seen = b.stored_version(&mut repo);
    repo.update_note(b, seen, "B", "beta, later").unwrap();
    assert_eq!(repo.empty_note_trash().unwrap(), 2);
    let mut titles: Vec<String> = repo
        .deleted_notes()
        .unwrap()
        .into_iter()
        .map(|d| d.title)
        .collect();
    titles.sort();
    assert_eq!(titles, ["A", "B"]);
    assert_eq!(bodies(&mut repo, &uuid_b), ["beta, later", "beta"]);
}

#[test]
fn an_import_over_a_note_keeps_what_it_replaced() {
    let mut repo = repo();
    let id = note(&mut repo, "Shared", "mine");
    let stored = repo.note(id).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let record = NoteRecord {
        uuid: stored.uuid.clone(),
        title: "Shared".into(),
        body: "edited in another editor".into(),
        pinned: false,
        created: stored.created,
        updated: stored.updated,
        deleted: None,
        tags: vec![],
        people: vec![],
        source: RecordSource::Backup,
    };
    let file = dir.path().join("shared.md");
    std::fs::write(
        &file,
        folio::exchange::markdown::note_to_markdown(&record, &Default::default()),
    )
    .unwrap();
    let report = folio::exchange::import::import_paths(&mut repo, &[file]).unwrap();
    assert_eq!(report.notes.updated, 1);
    let kept = &repo.note_revisions_with_text(&stored.uuid).unwrap()[0];
    assert_eq!(kept.body, "mine");
    assert_eq!(kept.summary.reason, RevisionReason::Import);
}

fn revision(uuid: &str, saved: i64, body: &str) -> RevisionRecord {
    RevisionRecord {
        note_uuid: uuid.to_owned(),
        saved: Timestamp(saved),
        kept: Timestamp(saved + 1),
        reason: RevisionReason::Edit,
        title: "T".into(),
        body: body.to_owned(),
        tags: vec!["t".into()],
        created: None,
    }
}

#[test]
fn a_backup_with_history_restores_it_once() {
    let mut repo = repo();
    let id = note(&mut repo, "Plan", "one");
    let v = id.stored_version(&mut repo);
    repo.update_note_with(id, v, "Plan", "two", EditSession::Starts)
        .unwrap();
    let seen = id.stored_version(&mut repo);
    repo.trash_note(id, seen).unwrap();
    let uuid = repo.note(id).unwrap().uuid;
    let dir = tempfile::tempdir().unwrap();
    let with = dir.path().join("with.json");
    let without = dir.path().join("without.json");
    let summary =
        folio::exchange::backup::write_backup_with(&mut repo, &with, false, true).unwrap();
    assert_eq!(summary.revisions, 2);
    folio::exchange::backup::write_backup(&mut repo, &without, false).unwrap();

    let mut other = common::repo();
    folio::exchange::backup::restore_backup(&mut other, &without).unwrap();
    assert!(other.note_revisions(&uuid).unwrap().is_empty());
    let report = folio::exchange::backup::restore_backup(&mut other, &with).unwrap();
    assert_eq!(report.revisions, 2);
    assert_eq!(bodies(&mut other, &uuid), bodies(&mut repo, &uuid));
    let again = folio::exchange::backup::restore_backup(&mut other, &with).unwrap();
    assert_eq!(again.revisions, 0, "merged by note, time and content");
    assert_eq!(other.note_revisions(&uuid).unwrap().len(), 2);
}

#[test]
fn a_damaged_revision_is_reported_not_invented() {
    let uuid = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.folio");
    let mut file_repo = Repository::open(&path).unwrap();
    file_repo
        .merge_records(&Records {
            revisions: vec![revision(uuid, 1_000, "text")],
            ..Records::default()
        })
        .unwrap();
    drop(file_repo);
    assert!(write_as_another_program(
        &path,
        "UPDATE note_revisions SET body_zstd = x'00ff'"
    ));
    let mut file_repo = Repository::open(&path).unwrap();
    let listed = file_repo.note_revisions(uuid).unwrap();
    assert_eq!(listed.len(), 1, "the list still shows it");
    let err = file_repo.revision(listed[0].id).unwrap_err();
    assert!(err.to_string().contains("damaged"), "{err}");
}

/// Writes with SQLite directly, as another program would.
fn write_as_another_program(path: &std::path::Path, sql: &str) -> bool {
    use diesel::Connection;
    use diesel::connection::SimpleConnection;
    let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy()).unwrap();
    conn.batch_execute(sql).is_ok()
}

#[test]
fn thinning_keeps_everything_recent_then_one_a_day_then_one_a_month() {
    let mut repo = repo();
    let uuid = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    // A fixed moment in the past: every time is then before this clock's, so none is clamped.
    let now = Timestamp(1_701_345_600_000); // 30 Nov 2023, noon UTC
    let mut records = Vec::new();
    // Three revisions an hour apart on each of: 2 days ago, 40 days ago, 400 and 410 days ago
    // (one month), and 800 days ago.
    for days in [2, 40, 400, 410, 800] {
        for hour in 0..3 {
            let at = now.0 - days * DAY + hour * 3_600_000;
            records.push(revision(uuid, at, &format!("{days} days ago, hour {hour}")));
        }
    }
    repo.merge_records(&Records {
        revisions: records,
        ..Records::default()
    })
    .unwrap();
    let mut after = None;
    loop {
        after = repo
            .thin_history_step(&HistoryRetention::default(), now, after.as_deref(), 1)
            .unwrap();
        if after.is_none() {
            break;
        }
    }
    let mut kept = bodies(&mut repo, uuid);
    kept.reverse();
    assert_eq!(
        kept,
        [
            "800 days ago, hour 2",
            "400 days ago, hour 2",
            "40 days ago, hour 2",
            "2 days ago, hour 0",
            "2 days ago, hour 1",
            "2 days ago, hour 2",
        ]
    );
    let forever = HistoryRetention {
        keep_everything: true,
        ..HistoryRetention::default()
    };
    assert_eq!(
        repo.thin_history_step(&forever, Timestamp(now.0 * 2), None, 10)
            .unwrap(),
        None
    );
    assert_eq!(bodies(&mut repo, uuid).len(), 6);
    let no_months = HistoryRetention {
        monthly_months: Some(0),
        ..HistoryRetention::default()
    };
    repo.thin_history_step(&no_months, now, None, 10).unwrap();
    assert_eq!(
        bodies(&mut repo, uuid).len(),
        4,
        "nothing older than a year"
    );
}

proptest! {
    #[test]
    fn the_retention_rule_keeps_what_it_promises(
        ages in proptest::collection::vec(0i64..(3 * 365 * DAY), 0..60),
        all_days in 0u32..60,
        daily_days in 0u32..400,
        monthly_months in proptest::option::of(0u32..30),
    ) {
        let now = Timestamp(1_800_000_000_000);
        let rule = HistoryRetention { all_days, daily_days, monthly_months, ..HistoryRetention::default() };
        let mut times: Vec<Timestamp> = ages.iter().map(|age| Timestamp(now.0 - age)).collect();
        times.sort_by(|a, b| b.cmp(a));
        let revisions: Vec<(RevisionId, Timestamp)> =
            times.iter().enumerate().map(|(i, t)| (RevisionId(i as i64), *t)).collect();
        let removed = rule.to_remove(&revisions, now);
        let kept: Vec<Timestamp> = revisions
            .iter()
            .filter(|(id, _)| !removed.contains(id))
            .map(|(_, t)| *t)
            .collect();
        for (_, at) in &revisions {
            let age = now.0 - at.0;
            if age <= i64::from(all_days) * DAY {
                prop_assert!(kept.contains(at), "recent revisions are all kept");
            }
        }
        // Every day (or month) that had a revision still has its newest one.
        for (_, at) in &revisions {
            let newest_that_day = revisions
                .iter()
                .map(|(_, t)| *t)
                .filter(|t| t.0.div_euclid(DAY) == at.0.div_euclid(DAY))
                .max()
                .unwrap();
            if now.0 - at.0 <= i64::from(daily_days.max(all_days)) * DAY {
                prop_assert!(kept.contains(&newest_that_day));
            }
        }
        // Older than the daily window: at most one a month.
        let mut months: Vec<(i32, u32)> = kept
            .iter()
            .filter(|t| now.0 - t.0 > i64::from(daily_days.max(all_days)) * DAY)
            .map(|t| {
                use chrono::Datelike;
                let d = chrono::DateTime::from_timestamp_millis(t.0).unwrap();
                (d.year(), d.month())
            })
            .collect();
        let before = months.len();
        months.dedup();
        prop_assert_eq!(before, months.len());
        // Past the months kept, nothing.
        if let Some(months) = monthly_months {
            let window = (i64::from(months) * 31 + i64::from(daily_days.max(all_days))) * DAY;
            prop_assert!(kept.iter().all(|t| now.0 - t.0 <= window));
        }
    }
}

#[test]
fn a_picture_stays_while_a_revision_names_it_and_comes_back_with_the_note() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.folio");
    let mut repo = Repository::open(&path).unwrap();
    let picture = common::attach(&mut repo, "cake.png", &common::png_like(7));
    let id = repo
        .create_note(&folio::db::NewNote {
            title: "Cake".into(),
            body: format!("The cake:\n\n{}\n", picture.markdown_reference()),
            ..Default::default()
        })
        .unwrap()
        .id;
    let uuid = repo.note(id).unwrap().uuid;
    let seen = id.stored_version(&mut repo);
    let seen = repo.trash_note(id, seen).unwrap();
    repo.delete_note_permanently(id, seen).unwrap();
    // Without its revision the picture would have gone with the note.
    assert_eq!(
        repo.attachment_bytes(&picture.uuid).unwrap(),
        Some(common::png_like(7))
    );
    let revision = repo.note_revisions(&uuid).unwrap()[0].id;
    let back = repo.restore_revision(revision, None).unwrap();
    assert_eq!(
        repo.attachments_named_in(&back.body).unwrap().len(),
        1,
        "the note names its picture again"
    );
    // Once no note and no revision names it, it goes.
    let seen = back.version;
    let seen = repo.trash_note(back.id, seen).unwrap();
    repo.delete_note_permanently(back.id, seen).unwrap();
    let never = HistoryRetention {
        all_days: 0,
        daily_days: 0,
        monthly_months: Some(0),
        ..HistoryRetention::default()
    };
    repo.thin_history_step(&never, Timestamp(Timestamp::now().0 + DAY), None, 10)
        .unwrap();
    assert!(repo.note_revisions(&uuid).unwrap().is_empty());
    assert_eq!(repo.attachment(&picture.uuid).unwrap(), None);
    assert_eq!(repo.stats().unwrap().attachment_bytes, 0);
}

#[test]
fn a_newer_backup_restored_over_a_note_keeps_what_it_replaced() {
    let mut repo = repo();
    let id = note(&mut repo, "Plan", "old text");
    let stored = repo.note(id).unwrap();
    let report = repo
        .merge_records(&Records {
            notes: vec![NoteRecord {
                uuid: stored.uuid.clone(),
                title: "Plan".into(),
                body: "newer text from a backup".into(),
                pinned: false,
                created: stored.created,
                updated: Timestamp(stored.updated.0 + 1000),
                deleted: None,
                tags: vec![],
                people: vec![],
                source: RecordSource::Backup,
            }],
            ..Records::default()
        })
        .unwrap();
    assert_eq!(report.notes.updated, 1);
    let kept = &repo.note_revisions_with_text(&stored.uuid).unwrap()[0];
    assert_eq!(kept.body, "old text");
    assert_eq!(kept.summary.reason, RevisionReason::Backup);
}

#[test]
fn restoring_a_version_of_a_note_in_the_trash_brings_it_out() {
    let mut repo = repo();
    let id = note(&mut repo, "Plan", "one");
    let uuid = repo.note(id).unwrap().uuid;
    let seen = id.stored_version(&mut repo);
    let trashed = repo.trash_note(id, seen).unwrap();
    let revision = repo.note_revisions(&uuid).unwrap()[0].id;
    let back = repo
        .restore_revision(revision, Some((id, trashed)))
        .unwrap();
    assert!(back.deleted.is_none());
}

#[test]
fn a_version_seen_of_another_note_restores_nothing() {
    let mut repo = repo();
    let id = note(&mut repo, "Plan", "one");
    let other = note(&mut repo, "Other", "x");
    let uuid = repo.note(id).unwrap().uuid;
    let seen = id.stored_version(&mut repo);
    repo.update_note_with(id, seen, "Plan", "two", EditSession::Starts)
        .unwrap();
    let revision = repo.note_revisions(&uuid).unwrap()[0].id;
    // The same version number, of another note.
    let version = id.stored_version(&mut repo);
    assert_eq!(other.stored_version(&mut repo), folio::db::Version(1));
    let err = repo
        .restore_revision(revision, Some((other, version)))
        .unwrap_err();
    assert!(matches!(err, folio::db::DbError::Conflict { .. }), "{err}");
    assert_eq!(repo.note(id).unwrap().body, "two");
}

#[test]
fn the_last_text_of_a_note_deleted_for_good_ages_from_its_deletion() {
    let mut repo = repo();
    let uuid = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    let now = Timestamp::now();
    // Written three years ago, kept (deleted) an hour ago.
    let mut old = revision(uuid, now.0 - 3 * 365 * DAY, "last words");
    old.kept = Timestamp(now.0 - 3_600_000);
    repo.merge_records(&Records {
        revisions: vec![old],
        ..Records::default()
    })
    .unwrap();
    let strict = HistoryRetention {
        monthly_months: Some(1),
        ..HistoryRetention::default()
    };
    assert_eq!(
        repo.thin_history_step(&strict, now, None, 10).unwrap(),
        None
    );
    assert_eq!(bodies(&mut repo, uuid), ["last words"]);
}

#[test]
fn revisions_stored_as_differences_read_back_whole_and_outlive_their_key() {
    let mut repo = repo();
    let uuid = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    // A fixed noon in the past (30 Nov 2023): nothing straddles a day or month, or is clamped.
    let now = Timestamp(1_701_345_600_000);
    let base: String = (0..300).map(|i| format!("word{i} ")).collect();
    let texts: Vec<String> = (0..20)
        .map(|i| format!("{base}\nsession {i} changed this line"))
        .collect();
    // The first five kept a year and a half ago, in one month; the rest this week.
    let records: Vec<RevisionRecord> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let kept = if i < 5 {
                now.0 - 540 * DAY + i as i64 * 3_600_000
            } else {
                now.0 - DAY + i as i64 * 60_000
            };
            let mut record = revision(uuid, kept - 1, text);
            record.kept = Timestamp(kept);
            record
        })
        .collect();
    repo.merge_records(&Records {
        revisions: records,
        ..Records::default()
    })
    .unwrap();
    let raw: usize = texts.iter().map(String::len).sum();
    let (_, stored) = repo.history_totals().unwrap();
    assert!(
        (stored as usize) < raw / 10,
        "alike texts are stored as their differences: {stored} bytes for {raw}"
    );
    let mut read = bodies(&mut repo, uuid);
    read.reverse();
    assert_eq!(read, texts);
    // The month keeps its last: the key (the first) goes, and every other still reads.
    assert_eq!(
        repo.thin_history_step(&HistoryRetention::default(), now, None, 10)
            .unwrap(),
        None
    );
    let mut read = bodies(&mut repo, uuid);
    read.reverse();
    let expected: Vec<String> = texts[4..].to_vec();
    assert_eq!(read, expected);
    // And the new key's removal later too.
    let later = Timestamp(now.0 + 3 * 365 * DAY);
    let strict = HistoryRetention {
        monthly_months: Some(1),
        ..HistoryRetention::default()
    };
    repo.thin_history_step(&strict, later, None, 10).unwrap();
    assert!(bodies(&mut repo, uuid).is_empty());
}
