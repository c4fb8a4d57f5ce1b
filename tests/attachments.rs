//! Pictures and files in notes, in the database and through the backup (issue 17).

// A test fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use folio::db::{
    DbError, MAX_ATTACHMENT_BYTES, NoteQuery, Repository, check_attachment_size, content_hash,
};
use folio::exchange::backup;

#[test]
fn a_note_lists_the_files_its_text_names_and_is_found_by_their_names() {
    let mut repo = common::repo();
    let receipt = common::attach(&mut repo, "receipt-2026.png", &common::png_like(1));
    let manual = common::attach(&mut repo, "manual.pdf", b"%PDF-1.7 ...");
    assert_eq!(receipt.media_type, "image/png");
    assert_eq!(manual.media_type, "application/pdf");
    assert!(
        receipt
            .markdown_reference()
            .starts_with("![receipt-2026.png]")
    );
    // The caption says something else: the file's name still finds the note.
    let body = format!(
        "Paid.\n\n![the shop's slip](attachment:{})\n\nSee [the PDF](attachment:{}).",
        receipt.uuid, manual.uuid
    );
    let id = common::note(&mut repo, "Groceries", &body);
    let listed: Vec<String> = repo
        .attachments_of_note(id)
        .unwrap()
        .into_iter()
        .map(|a| a.file_name)
        .collect();
    assert_eq!(listed, ["receipt-2026.png", "manual.pdf"]);
    assert_eq!(common::search(&mut repo, "receipt-2026"), ["Groceries"]);
    assert_eq!(common::search(&mut repo, "manual.pdf"), ["Groceries"]);
    assert!(common::search(&mut repo, "nothing-like-it").is_empty());

    let stats = repo.stats().unwrap();
    assert_eq!(stats.attachments, 2);
    assert_eq!(
        stats.attachment_bytes,
        (common::png_like(1).len() + b"%PDF-1.7 ...".len()) as i64
    );
    assert_eq!(
        repo.attachment_bytes(&receipt.uuid.to_uppercase()).unwrap(),
        Some(common::png_like(1))
    );
}

#[test]
fn a_file_attached_twice_is_stored_once() {
    let mut repo = common::repo();
    let first = common::attach(&mut repo, "a.png", &common::png_like(7));
    let again = common::attach(&mut repo, "a.png", &common::png_like(7));
    assert_eq!(
        first, again,
        "the same file under the same name is one attachment"
    );
    let renamed = common::attach(&mut repo, "b.png", &common::png_like(7));
    assert_ne!(renamed.uuid, first.uuid);
    assert_eq!(renamed.hash, first.hash);
    let stats = repo.stats().unwrap();
    assert_eq!(stats.attachments, 2);
    assert_eq!(
        stats.attachment_bytes,
        common::png_like(7).len() as i64,
        "one copy of the bytes"
    );
}

/// Thins the history by a rule that keeps nothing, as if years had passed.
fn forget_history(repo: &mut folio::db::Repository) {
    let nothing = folio::db::HistoryRetention {
        all_days: 0,
        daily_days: 0,
        monthly_months: Some(0),
        ..Default::default()
    };
    let later = folio::db::Timestamp(folio::db::Timestamp::now().0 + 1000);
    let mut after = None;
    loop {
        after = repo
            .thin_history_step(&nothing, later, after.as_deref(), 100)
            .unwrap();
        if after.is_none() {
            break;
        }
    }
}

#[test]
fn deleting_a_note_for_good_removes_the_files_no_other_note_uses_and_the_trash_keeps_them() {
    let mut repo = common::repo();
    let only_a = common::attach(&mut repo, "only-a.png", &common::png_like(1));
    let shared = common::attach(&mut repo, "shared.png", &common::png_like(2));
    let a = common::note(
        &mut repo,
        "A",
        &format!(
            "{} {}",
            only_a.markdown_reference(),
            shared.markdown_reference()
        ),
    );
    let b = common::note(&mut repo, "B", &shared.markdown_reference());

    let version = repo.note(a).unwrap().version;
    let version = repo.trash_note(a, version).unwrap();
    // An unrelated delete for good must not take the pictures of a note in the trash.
    let c = common::note(&mut repo, "C", "");
    let c_version = repo.note(c).unwrap().version;
    let c_version = repo.trash_note(c, c_version).unwrap();
    repo.delete_note_permanently(c, c_version).unwrap();
    assert!(
        repo.attachment(&only_a.uuid).unwrap().is_some(),
        "the trash keeps them"
    );

    repo.delete_note_permanently(a, version).unwrap();
    assert!(
        repo.attachment(&only_a.uuid).unwrap().is_some(),
        "A's history still names it"
    );
    forget_history(&mut repo);
    assert_eq!(
        repo.attachment(&only_a.uuid).unwrap(),
        None,
        "an orphan goes"
    );
    assert!(
        repo.attachment(&shared.uuid).unwrap().is_some(),
        "B still uses it"
    );
    assert_eq!(
        repo.stats().unwrap().attachment_bytes,
        common::png_like(2).len() as i64
    );

    let version = repo.note(b).unwrap().version;
    repo.trash_note(b, version).unwrap();
    assert_eq!(repo.empty_note_trash().unwrap(), 1);
    forget_history(&mut repo);
    assert_eq!(repo.attachment(&shared.uuid).unwrap(), None);
    let stats = repo.stats().unwrap();
    assert_eq!((stats.attachments, stats.attachment_bytes), (0, 0));
}

#[test]
fn a_reference_removed_from_the_text_and_put_back_finds_its_file() {
    let mut repo = common::repo();
    let photo = common::attach(&mut repo, "photo.png", &common::png_like(3));
    let id = common::note(&mut repo, "Trip", &photo.markdown_reference());
    let note = repo.note(id).unwrap();
    let saved = repo
        .update_note(id, note.version, "Trip", "no picture")
        .unwrap();
    assert!(repo.attachments_of_note(id).unwrap().is_empty());
    // Ctrl+Z: the reference is back before anything was deleted for good.
    repo.update_note(id, saved.version, "Trip", &photo.markdown_reference())
        .unwrap();
    assert_eq!(repo.attachments_of_note(id).unwrap(), [photo]);
}

#[test]
fn a_file_over_the_limit_is_refused_in_words() {
    let err = check_attachment_size("huge.mov", MAX_ATTACHMENT_BYTES + 1).unwrap_err();
    assert!(matches!(err, DbError::Invalid(_)));
    let words = err.to_string();
    assert!(
        words.contains("huge.mov") && words.contains("100 MB"),
        "{words}"
    );
    assert!(check_attachment_size("fine.mov", MAX_ATTACHMENT_BYTES).is_ok());
}

#[test]
fn a_backup_restores_every_attachment_byte_for_byte_and_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = common::repo();
    let photo = common::attach(&mut repo, "photo.png", &common::png_like(4));
    let empty = common::attach(&mut repo, "empty.txt", b"");
    let trashed_pic = common::attach(&mut repo, "old.png", &common::png_like(5));
    common::note(
        &mut repo,
        "Album",
        &format!(
            "{}\n{}",
            photo.markdown_reference(),
            empty.markdown_reference()
        ),
    );
    let old = common::note(&mut repo, "Old", &trashed_pic.markdown_reference());
    let old_version = repo.note(old).unwrap().version;
    repo.trash_note(old, old_version).unwrap();
    let file = dir.path().join("backup.json");
    backup::write_backup(&mut repo, &file, false).unwrap();

    let mut restored = common::repo();
    let report = backup::restore_backup(&mut restored, &file).unwrap();
    assert_eq!(report.attachments, 3);
    for original in [&photo, &empty, &trashed_pic] {
        let copy = restored.attachment(&original.uuid).unwrap().unwrap();
        assert_eq!(&copy, original);
        let bytes = restored.attachment_bytes(&original.uuid).unwrap().unwrap();
        assert_eq!(content_hash(&bytes), original.hash);
    }
    let album = restored
        .list_notes(&NoteQuery::default())
        .unwrap()
        .items
        .into_iter()
        .find(|n| n.title == "Album")
        .unwrap();
    assert_eq!(
        restored.attachments_of_note(album.id).unwrap(),
        [photo, empty]
    );
    let stats = restored.stats().unwrap();
    assert_eq!(
        (stats.attachments, stats.attachment_bytes),
        (
            3,
            (common::png_like(4).len() + common::png_like(5).len()) as i64
        )
    );

    let again = backup::restore_backup(&mut restored, &file).unwrap();
    assert_eq!(again.attachments, 0);
    assert_eq!(again.notes.added + again.notes.updated, 0);
    assert_eq!(restored.stats().unwrap(), stats);
}

#[test]
fn a_backup_whose_bytes_are_not_what_their_hash_says_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = common::repo();
    let photo = common::attach(&mut repo, "photo.png", &common::png_like(6));
    common::note(&mut repo, "Album", &photo.markdown_reference());
    let file = dir.path().join("backup.json");
    backup::write_backup(&mut repo, &file, false).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let hash_field = format!("\"hash\":\"{}\"", photo.hash);
    assert!(text.contains(&hash_field), "{text}");
    let damaged = text.replace(&hash_field, &format!("\"hash\":\"{}\"", "0".repeat(64)));
    std::fs::write(&file, damaged).unwrap();

    let mut other = common::repo();
    let err = backup::restore_backup(&mut other, &file).unwrap_err();
    assert!(err.to_string().contains("photo.png"), "{err}");
    assert_eq!(other.stats().unwrap().notes, 0, "nothing was kept");
    assert_eq!(other.stats().unwrap().attachments, 0);
}

#[test]
fn a_file_no_text_names_yet_survives_deletes_for_good_for_a_week() {
    use diesel::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.folio");
    let mut repo = Repository::open(&path).unwrap();
    // Pasted a moment ago: stored, its reference not saved yet (or cut, to be pasted elsewhere).
    let pasted = common::attach(&mut repo, "pasted.png", &common::png_like(8));
    let gone = common::note(&mut repo, "Gone", "");
    let version = repo.note(gone).unwrap().version;
    let version = repo.trash_note(gone, version).unwrap();
    repo.delete_note_permanently(gone, version).unwrap();
    repo.empty_note_trash().unwrap();
    assert!(
        repo.attachment(&pasted.uuid).unwrap().is_some(),
        "kept for its week"
    );

    // A week and a day later, still named by no text: the next delete for good takes it.
    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    let eight_days_ago = folio::db::Timestamp::now().0 - 8 * 24 * 3600 * 1000;
    diesel::sql_query("UPDATE attachments SET unlinked_since = ?")
        .bind::<diesel::sql_types::BigInt, _>(eight_days_ago)
        .execute(&mut conn)
        .unwrap();
    repo.empty_note_trash().unwrap();
    assert_eq!(repo.attachment(&pasted.uuid).unwrap(), None);
    assert_eq!(repo.stats().unwrap().attachment_bytes, 0);
}

#[test]
fn a_file_named_again_is_no_longer_counted_as_unnamed() {
    use diesel::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.folio");
    let mut repo = Repository::open(&path).unwrap();
    let photo = common::attach(&mut repo, "photo.png", &common::png_like(9));
    common::note(&mut repo, "Trip", &photo.markdown_reference());
    // Were the week counted from when it was stored, this delete for good would take it.
    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    diesel::sql_query("UPDATE attachments SET created_at = 0")
        .execute(&mut conn)
        .unwrap();
    repo.empty_note_trash().unwrap();
    assert!(repo.attachment(&photo.uuid).unwrap().is_some());
}

#[test]
fn a_restore_links_a_note_it_keeps_to_the_file_it_brings_back() {
    let mut repo = common::repo();
    let mut other = common::repo();
    let photo = common::attach(&mut other, "lighthouse.png", &common::png_like(10));
    // The note is here already, naming a file this database lost.
    let id = common::note(&mut repo, "Coast", &photo.markdown_reference());
    assert!(repo.attachments_of_note(id).unwrap().is_empty());
    let mut records = repo.all_records().unwrap();
    records.attachments = vec![folio::db::AttachmentRecord {
        attachment: photo.clone(),
        bytes: other.attachment_bytes(&photo.uuid).unwrap().unwrap().into(),
    }];
    let report = repo.merge_records(&records).unwrap();
    assert_eq!((report.notes.kept, report.attachments), (1, 1));
    assert_eq!(repo.attachments_of_note(id).unwrap(), [photo]);
    assert_eq!(common::search(&mut repo, "lighthouse"), ["Coast"]);
}
