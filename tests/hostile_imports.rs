//! Import files that would hang, exhaust memory or abort an import: each is skipped or read
//! with a reason in plain words, and the rest of the import goes on.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use folio::db::Repository;
use folio::exchange::import::{self, ImportReport};

/// Imports `paths` into the database at `db` on another thread, failing the test (instead of
/// hanging it) if the import does not finish within a minute.
fn import_within_a_minute(db: &Path, paths: Vec<PathBuf>) -> ImportReport {
    let db = db.to_owned();
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let mut repo = Repository::open(&db).unwrap();
        let _ = done.send(import::import_paths(&mut repo, &paths).unwrap());
    });
    finished
        .recv_timeout(Duration::from_secs(60))
        .expect("the import hung")
}

fn note_count(db: &Path) -> i64 {
    Repository::open(db)
        .unwrap()
        .list_notes(&Default::default())
        .unwrap()
        .total
}

fn reason_for<'a>(report: &'a ImportReport, name: &str) -> &'a str {
    report
        .skipped
        .iter()
        .find(|s| s.file.file_name().is_some_and(|n| n == name))
        .map(|s| s.reason.as_str())
        .unwrap_or_else(|| panic!("{name} is not among the skipped: {report:?}"))
}

#[test]
#[cfg(unix)]
fn pipes_devices_and_sockets_are_skipped_and_the_rest_imported() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("notes");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("good.md"), "# Good\n\nfine").unwrap();
    // Reading /dev/zero never ends; a pipe with no writer blocks for ever.
    std::os::unix::fs::symlink("/dev/zero", folder.join("zero.md")).unwrap();
    let fifo = std::ffi::CString::new(folder.join("pipe.md").to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only reads it.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let _socket = std::os::unix::net::UnixListener::bind(folder.join("socket.md")).unwrap();
    // A link to an ordinary file is read, once.
    fs::write(dir.path().join("elsewhere.md"), "# Linked\n\nvia a link").unwrap();
    std::os::unix::fs::symlink(dir.path().join("elsewhere.md"), folder.join("link.md")).unwrap();

    let db = dir.path().join("a.folio");
    let report = import_within_a_minute(&db, vec![folder.clone(), folder.join("pipe.md")]);
    assert_eq!(report.notes.added, 2, "{report:?}");
    assert_eq!(note_count(&db), 2);
    assert!(reason_for(&report, "zero.md").contains("a device"));
    assert!(reason_for(&report, "pipe.md").contains("a named pipe"));
    assert!(reason_for(&report, "socket.md").contains("a socket"));
    assert_eq!(report.skipped.len(), 4, "the pipe named twice: {report:?}");
}

#[test]
fn a_file_over_the_limit_is_skipped_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.md");
    // Sparse: no disk is used for the bytes.
    fs::File::create(&huge)
        .unwrap()
        .set_len(folio::exchange::MAX_IMPORT_FILE_BYTES + 1)
        .unwrap();
    fs::write(dir.path().join("good.md"), "# Good").unwrap();
    let db = dir.path().join("a.folio");
    let report = import_within_a_minute(&db, vec![huge, dir.path().join("good.md")]);
    assert_eq!(report.notes.added, 1, "{report:?}");
    assert!(
        reason_for(&report, "huge.md").contains("larger than 64 MB"),
        "{report:?}"
    );
}

#[test]
fn a_vcard_file_may_be_larger_for_its_photos_but_not_without_limit() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.vcf");
    // Sparse, as above.
    fs::File::create(&huge)
        .unwrap()
        .set_len(folio::exchange::MAX_VCARD_FILE_BYTES + 1)
        .unwrap();
    let db = dir.path().join("a.folio");
    let report = import_within_a_minute(&db, vec![huge]);
    assert!(
        reason_for(&report, "huge.vcf").contains("larger than 512 MB"),
        "{report:?}"
    );
}

#[test]
fn every_form_of_a_uuid_is_one_note() {
    let dir = tempfile::tempdir().unwrap();
    let forms = [
        "0192F0A4-1111-7ABC-8DEF-0123456789AB",
        "{0192f0a4-1111-7abc-8def-0123456789ab}",
        "urn:uuid:0192f0a4-1111-7abc-8def-0123456789ab",
        "0192f0a411117abc8def0123456789ab",
    ];
    let db = dir.path().join("a.folio");
    for (n, form) in forms.iter().enumerate() {
        let file = dir.path().join(format!("note{n}.md"));
        fs::write(
            &file,
            format!("---\ntitle: Trip\nuuid: \"{form}\"\nupdated: 2026-11-0{}T10:00:00Z\n---\nversion {n}", n + 1),
        )
        .unwrap();
        let report = import_within_a_minute(&db, vec![file]);
        assert!(report.skipped.is_empty(), "{form}: {report:?}");
    }
    let mut repo = Repository::open(&db).unwrap();
    let notes = repo.all_records().unwrap().notes;
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].uuid, "0192f0a4-1111-7abc-8def-0123456789ab");
    assert_eq!(notes[0].body, "version 3");
}

#[test]
fn importing_a_folder_of_plain_markdown_twice_adds_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("notes");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("a.md"), "# Groceries\n\nmilk, eggs").unwrap();
    fs::write(folder.join("b.txt"), "Call the plumber").unwrap();
    let db = dir.path().join("a.folio");
    let first = import_within_a_minute(&db, vec![folder.clone()]);
    assert_eq!(first.notes.added, 2, "{first:?}");
    let second = import_within_a_minute(&db, vec![folder.clone()]);
    assert_eq!(second.notes.added, 0, "{second:?}");
    assert_eq!(note_count(&db), 2);
    // An edited file is another note: nothing says it is the same one.
    fs::write(folder.join("a.md"), "# Groceries\n\nmilk, eggs, bread").unwrap();
    let third = import_within_a_minute(&db, vec![folder]);
    assert_eq!(third.notes.added, 1, "{third:?}");
}

#[test]
fn front_matter_aliases_cannot_multiply() {
    // 5,000 × 1,000 × 1,000 values if the aliases were expanded, from 23 KB. The YAML
    // parser's own limit (100 alias jumps per event of the document, about 700,000 here)
    // would stop it only after billions of values: memory runs out first.
    let row = |item: &str, n: usize| format!("[{}]", vec![item; n].join(", "));
    let yaml = format!(
        "title: Bomb\na: &a {}\nb: &b {}\nc: {}\n",
        row("x", 5000),
        row("*a", 1000),
        row("*b", 1000)
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bomb.md");
    fs::write(&file, format!("---\n{yaml}---\nthe body")).unwrap();
    fs::write(dir.path().join("good.md"), "# Good").unwrap();
    let db = dir.path().join("a.folio");
    let report = import_within_a_minute(&db, vec![file, dir.path().join("good.md")]);
    assert_eq!(report.notes.added, 2, "{report:?}");
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.file.ends_with("bomb.md") && w.reason.contains("YAML aliases")),
        "{report:?}"
    );
    let mut repo = Repository::open(&db).unwrap();
    let titles: Vec<String> = repo
        .all_records()
        .unwrap()
        .notes
        .into_iter()
        .map(|n| n.title)
        .collect();
    assert!(titles.contains(&"Bomb".to_owned()), "{titles:?}");
}

fn any_note(notes: &[import::FileNote], name: &str, words: &str) -> bool {
    notes
        .iter()
        .any(|n| n.file.ends_with(name) && n.reason.contains(words))
}

#[test]
fn front_matter_over_its_limit_is_kept_as_text() {
    let limit = folio::exchange::markdown::MAX_FRONT_MATTER_BYTES;
    let dir = tempfile::tempdir().unwrap();
    let big = format!(
        "---\ntitle: Big\nfiller: {}\n---\nthe body",
        "x".repeat(limit)
    );
    fs::write(dir.path().join("big.md"), &big).unwrap();
    let db = dir.path().join("a.folio");
    let report = import_within_a_minute(&db, vec![dir.path().join("big.md")]);
    assert_eq!(report.notes.added, 1, "{report:?}");
    assert!(
        any_note(
            &report.warnings,
            "big.md",
            "front matter is larger than 64 KB"
        ),
        "{report:?}"
    );
    let note = Repository::open(&db).unwrap().all_records().unwrap().notes[0].clone();
    assert_eq!(note.body, big, "nothing of the file is lost");
    assert_ne!(note.title, "Big", "the front matter was not read");
}

#[test]
fn a_card_over_its_limits_is_skipped_and_the_others_read() {
    use folio::exchange::vcard::{MAX_CARD_BYTES, MAX_CARD_LINE_BYTES};
    let card = |name: &str, extra: &str| {
        format!("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\n{extra}END:VCARD\r\n")
    };
    // One note line, folded at 75 octets as vCards are: short physical lines, one long line.
    let long = "x".repeat(MAX_CARD_LINE_BYTES + 1);
    let mut folded = String::from("NOTE:");
    for (i, chunk) in long.as_bytes().chunks(74).enumerate() {
        if i > 0 {
            folded.push_str("\r\n ");
        }
        folded.push_str(std::str::from_utf8(chunk).unwrap());
    }
    folded.push_str("\r\n");
    // Many short lines that make one card too large.
    let many = "NOTE:yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n"
        .repeat(MAX_CARD_BYTES / 60 + 1);
    let text = [
        card("Ann", ""),
        card("Long Line", &folded),
        card("Bob", ""),
        card("Large Card", &many),
        card("Cy", ""),
    ]
    .concat();
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("cards.vcf"), text).unwrap();
    let db = dir.path().join("a.folio");
    let report = import_within_a_minute(&db, vec![dir.path().join("cards.vcf")]);
    assert_eq!(report.contacts.added, 3, "{report:?}");
    assert!(
        any_note(
            &report.skipped,
            "cards.vcf",
            "card 2 was skipped: one of its lines is longer than 16 MB"
        ),
        "{report:?}"
    );
    assert!(
        any_note(
            &report.skipped,
            "cards.vcf",
            "card 4 was skipped: it is larger than 24 MB"
        ),
        "{report:?}"
    );
}

#[test]
fn a_csv_file_with_too_many_columns_is_skipped_in_plain_words() {
    let columns = folio::exchange::contacts_csv::MAX_COLUMNS + 1;
    let header: Vec<String> = (0..columns).map(|i| format!("Phone {i} - Value")).collect();
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("wide.csv"),
        format!(
            "Given Name,{}\nAnn,{}\n",
            header.join(","),
            "1,".repeat(columns)
        ),
    )
    .unwrap();
    fs::write(dir.path().join("good.md"), "# Good").unwrap();
    let db = dir.path().join("a.folio");
    let report = import_within_a_minute(
        &db,
        vec![dir.path().join("wide.csv"), dir.path().join("good.md")],
    );
    assert_eq!(report.notes.added, 1, "{report:?}");
    assert_eq!(report.contacts.added, 0, "{report:?}");
    assert!(
        reason_for(&report, "wide.csv").contains("columns; Folio reads CSV files of up to 1000"),
        "{report:?}"
    );
}

#[test]
fn the_column_mapper_takes_any_number_of_columns() {
    // Each "Mobile Phone" column is a phone of its own; past 65,435 of them the slot counter
    // overflowed.
    let headers = vec!["Mobile Phone".to_owned(); 70_000];
    let (_, fields) = folio::exchange::contacts_csv::fields_for_headers(&headers);
    assert_eq!(fields.len(), 70_000);
    let row = format!("h\n{}\n", ["+1 555 0100"; 3].join(","));
    let read = folio::exchange::contacts_csv::read(&row, &fields[..3]);
    assert_eq!(read.contacts[0].phones.len(), 3, "{read:?}");
}

#[test]
fn no_more_than_the_limit_of_contacts_is_read_from_one_file() {
    let limit = folio::exchange::MAX_CONTACTS_PER_FILE;
    let mut text = String::from("Given Name,Family Name\n");
    for i in 0..limit + 5 {
        text.push_str(&format!("P{i},Q\n"));
    }
    let read = folio::exchange::contacts_csv::read(
        &text,
        &folio::exchange::contacts_csv::preview(&text)
            .unwrap()
            .fields,
    );
    assert_eq!(read.contacts.len(), limit);
    assert_eq!(read.skipped.len(), 1, "one line for all the rows past it");
    assert_eq!(read.skipped[0].0, limit + 1);
    assert!(
        read.skipped[0].1.contains("up to 100,000 contacts"),
        "{:?}",
        read.skipped
    );

    let cards: String = (0..limit + 5)
        .map(|i| format!("BEGIN:VCARD\nVERSION:3.0\nFN:P{i}\nEND:VCARD\n"))
        .collect();
    let read = folio::exchange::vcard::read_cards(&cards);
    assert_eq!(read.contacts.len(), limit);
    assert_eq!(
        read.skipped.len(),
        1,
        "{:?}",
        &read.skipped[..3.min(read.skipped.len())]
    );
    assert_eq!(read.skipped[0].number, limit + 1);
    assert!(read.skipped[0].reason.contains("up to 100,000 contacts"));
}
