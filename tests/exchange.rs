//! Files in and out: round trips through a JSON backup and through Markdown, hostile files,
//! and the command line.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use folio::db::{
    Birthday, ContactDraft, ContactRecord, LabeledEmail, LabeledPhone, NoteRecord, PostalAddress,
    Records, Repository, Timestamp,
};
use folio::exchange::{backup, export, import, markdown};
use proptest::prelude::*;

mod common;

fn fresh(dir: &Path, name: &str) -> Repository {
    Repository::open(dir.join(name)).unwrap()
}

const TAGS: [&str; 6] = ["work", "Home", "Zürich", "to do", "日本語", "50%"];

fn text(max: usize) -> impl Strategy<Value = String> {
    // Any printable text, with newlines, markup and YAML-ish lines among it.
    prop_oneof![
        proptest::string::string_regex(&format!("[\\PC\\n]{{0,{max}}}")).unwrap(),
        Just("---\ntitle: not front matter\n---".to_owned()),
        Just("\n\nstarts with blank lines\r\nand CRLF".to_owned()),
    ]
}

fn title() -> impl Strategy<Value = String> {
    "\\PC{1,40}"
        .prop_map(|t| t.trim().to_owned())
        .prop_filter("a title", |t| !t.is_empty())
}

fn stamp() -> impl Strategy<Value = Timestamp> {
    (0i64..4_102_444_800_000).prop_map(Timestamp)
}

fn note() -> impl Strategy<Value = NoteRecord> {
    (
        title(),
        text(200),
        any::<bool>(),
        stamp(),
        stamp(),
        proptest::option::weighted(0.2, stamp()),
        proptest::sample::subsequence(TAGS.to_vec(), 0..3),
    )
        .prop_map(
            |(title, body, pinned, created, updated, deleted, tags)| NoteRecord {
                uuid: uuid::Uuid::now_v7().to_string(),
                title,
                body,
                pinned,
                created,
                updated,
                deleted,
                tags: tags.into_iter().map(str::to_owned).collect(),
                people: Vec::new(),
                source: folio::db::RecordSource::Backup,
            },
        )
}

fn contact() -> impl Strategy<Value = ContactRecord> {
    (basic_contact(), common::address_book::address_book_fields()).prop_map(
        |(mut record, fields)| {
            fields.fill(&mut record.contact);
            record
        },
    )
}

fn basic_contact() -> impl Strategy<Value = ContactRecord> {
    (
        ("\\PC{0,20}", "\\PC{0,20}", "\\PC{0,20}", "\\PC{0,20}"),
        proptest::collection::vec(("(home|work|)", "[a-z.]{1,10}@[a-z]{1,8}\\.example"), 0..3),
        proptest::collection::vec(("(mobile|work|boat)", "[+0-9 ()-]{3,16}"), 0..3),
        proptest::collection::vec(
            ("(home|)", "\\PC{0,20}", "\\PC{0,12}", "[A-Z0-9 ]{0,8}"),
            0..2,
        ),
        proptest::option::of((proptest::option::of(1900i32..2030), 1u8..=12, 1u8..=28)),
        proptest::sample::subsequence(TAGS.to_vec(), 0..3),
        (
            any::<bool>(),
            stamp(),
            stamp(),
            proptest::option::weighted(0.2, stamp()),
        ),
    )
        .prop_map(
            |(
                (given, family, org, notes),
                emails,
                phones,
                addresses,
                birthday,
                groups,
                (favorite, created, updated, deleted),
            )| {
                ContactRecord {
                    contact: ContactDraft {
                        given_name: given,
                        family_name: family,
                        organization: org,
                        notes,
                        favorite,
                        birthday: birthday.and_then(|(y, m, d)| Birthday::new(y, m, d)),
                        emails: emails
                            .into_iter()
                            .map(|(label, address)| LabeledEmail { label, address })
                            .collect(),
                        phones: phones
                            .into_iter()
                            .map(|(label, number)| LabeledPhone { label, number })
                            .collect(),
                        addresses: addresses
                            .into_iter()
                            .map(|(label, street, locality, postal_code)| PostalAddress {
                                label,
                                street,
                                locality,
                                postal_code,
                                ..PostalAddress::default()
                            })
                            .collect(),
                        groups: groups.into_iter().map(str::to_owned).collect(),
                        uuid: Some(uuid::Uuid::now_v7().to_string()),
                        created: Some(created),
                        updated: Some(updated),
                        ..ContactDraft::default()
                    },
                    deleted,
                }
            },
        )
}

fn records() -> impl Strategy<Value = Records> {
    (
        proptest::collection::vec(note(), 0..12),
        proptest::collection::vec(contact(), 0..6),
        proptest::collection::vec((0usize..12, 0usize..6), 0..10),
    )
        .prop_map(|(mut notes, contacts, links)| {
            for (n, c) in links {
                if let (Some(note), Some(contact)) = (notes.get_mut(n), contacts.get(c)) {
                    let uuid = contact.contact.uuid.clone().unwrap_or_default();
                    if !note.people.contains(&uuid) {
                        note.people.push(uuid);
                    }
                }
            }
            Records {
                notes,
                contacts,
                ..Default::default()
            }
        })
}

/// What a Markdown round trip keeps of a note: title, body, tags, created, updated, pinned.
type NoteShape = (String, String, Vec<String>, Timestamp, Timestamp, bool);

/// Records in a stable order, for comparing two databases.
fn sorted(mut records: Records) -> Records {
    records.notes.sort_by(|a, b| a.uuid.cmp(&b.uuid));
    records
        .contacts
        .sort_by(|a, b| a.contact.uuid.cmp(&b.contact.uuid));
    records
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn a_backup_restored_into_an_empty_database_gives_an_equal_database(records in records()) {
        let dir = tempfile::tempdir().unwrap();
        let mut original = fresh(dir.path(), "a.db");
        original.merge_records(&records).unwrap();
        // The database holds every field it was given, the address-book fields included.
        let stored = sorted(original.all_records().unwrap());
        let given = sorted(records.clone());
        for (stored, given) in stored.contacts.iter().zip(&given.contacts) {
            prop_assert_eq!(
                common::address_book::address_book_part(&stored.contact),
                common::address_book::address_book_part(&given.contact)
            );
        }
        let file = dir.path().join("backup.json");
        backup::write_backup(&mut original, &file, false).unwrap();

        let mut restored = fresh(dir.path(), "b.db");
        let first = backup::restore_backup(&mut restored, &file).unwrap();
        prop_assert_eq!(first.notes.added, records.notes.len());
        prop_assert_eq!(sorted(restored.all_records().unwrap()), sorted(original.all_records().unwrap()));
        prop_assert_eq!(restored.stats().unwrap(), original.stats().unwrap());

        // A second restore of the same backup adds and changes nothing.
        let second = backup::restore_backup(&mut restored, &file).unwrap();
        prop_assert_eq!(second.notes.added + second.notes.updated, 0);
        prop_assert_eq!(second.contacts.added + second.contacts.updated, 0);
        prop_assert_eq!(sorted(restored.all_records().unwrap()), sorted(original.all_records().unwrap()));
    }

    #[test]
    fn notes_exported_to_markdown_and_imported_keep_titles_bodies_tags_dates_and_pins(
        notes in proptest::collection::vec(note(), 1..12)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut original = fresh(dir.path(), "a.db");
        let live: Vec<NoteRecord> = notes.into_iter().map(|n| NoteRecord { deleted: None, ..n }).collect();
        original.merge_records(&Records { notes: live.clone(), ..Default::default() }).unwrap();
        let folder = dir.path().join("export");
        let written = export::export_markdown_folder(&mut original, &folder, &export::NoteScope::All).unwrap();
        prop_assert_eq!(written, live.len());
        prop_assert_eq!(fs::read_dir(&folder).unwrap().count(), live.len(), "one file each");

        let mut imported = fresh(dir.path(), "b.db");
        let report = import::import_paths(&mut imported, std::slice::from_ref(&folder)).unwrap();
        prop_assert_eq!(report.notes.added, live.len());
        prop_assert!(report.skipped.is_empty(), "{:?}", report.skipped);
        let shape = |r: Records| -> BTreeMap<String, NoteShape> {
            r.notes.into_iter().map(|n| (n.uuid, (n.title, n.body, n.tags, n.created, n.updated, n.pinned))).collect()
        };
        prop_assert_eq!(shape(imported.all_records().unwrap()), shape(original.all_records().unwrap()));
    }
}

#[test]
fn exported_files_stay_in_the_folder_whatever_the_title() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = fresh(dir.path(), "a.db");
    let titles = [
        "../../etc/passwd",
        "/absolute",
        "CON",
        "a\\b",
        "Same",
        "same",
        "SAME",
        "",
    ];
    let notes: Vec<NoteRecord> = titles
        .iter()
        .map(|t| NoteRecord {
            uuid: uuid::Uuid::now_v7().to_string(),
            title: (*t).to_owned(),
            body: "<script>alert(1)</script>".to_owned(),
            pinned: false,
            created: Timestamp(0),
            updated: Timestamp(0),
            deleted: None,
            tags: Vec::new(),
            people: Vec::new(),
            source: folio::db::RecordSource::Backup,
        })
        .collect();
    repo.merge_records(&Records {
        notes,
        ..Default::default()
    })
    .unwrap();
    let folder = dir.path().join("out");
    assert_eq!(
        export::export_markdown_folder(&mut repo, &folder, &export::NoteScope::All).unwrap(),
        titles.len()
    );
    let mut names: Vec<String> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), titles.len());
    let lower: std::collections::HashSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
    assert_eq!(lower.len(), names.len(), "unique ignoring case: {names:?}");
    for name in &names {
        assert!(
            !name.contains('/') && !name.contains('\\') && name != "CON.md",
            "{name}"
        );
    }
    // Nothing was written next to the folder or above it.
    let beside: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("a.db"))
        .collect();
    assert_eq!(beside, ["out"]);
    // An export never writes into a folder that has files.
    assert!(export::export_markdown_folder(&mut repo, &folder, &export::NoteScope::All).is_err());
}

#[test]
fn hostile_files_are_skipped_or_read_and_never_stop_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("in");
    fs::create_dir(&files).unwrap();
    fs::write(files.join("empty.md"), b"").unwrap();
    fs::write(files.join("binary.md"), b"\x89PNG\r\n\x1a\n\x00\x00").unwrap();
    fs::write(files.join("latin1.txt"), b"Caf\xe9 cr\xe8me").unwrap();
    fs::write(files.join("long.md"), "x".repeat(20 * 1024 * 1024)).unwrap();
    fs::write(files.join("good.md"), "---\ntitle: Good\n---\nfine").unwrap();
    fs::write(dir.path().join("contacts.vcf"), b"\x00\x01\x02 not a vcard").unwrap();
    let mut repo = fresh(dir.path(), "a.db");
    let report =
        import::import_paths(&mut repo, &[files.clone(), dir.path().join("contacts.vcf")]).unwrap();
    assert_eq!(report.notes.added, 3, "{report:?}");
    let skipped: Vec<String> = report
        .skipped
        .iter()
        .map(|s| s.file.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(skipped, ["binary.md", "empty.md", "contacts.vcf"]);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.reason.contains("Windows-1252"))
    );
    let found = repo
        .list_notes(&folio::db::NoteQuery {
            search: "crème".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.total, 1, "accents kept");
}

#[test]
fn a_file_that_is_not_a_backup_or_from_a_newer_folio_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = fresh(dir.path(), "a.db");
    let other = dir.path().join("other.json");
    fs::write(&other, br#"{"notes": []}"#).unwrap();
    let newer = dir.path().join("newer.json");
    fs::write(
        &newer,
        br#"{"format": "folio-backup", "version": 99, "notes": []}"#,
    )
    .unwrap();
    let broken = dir.path().join("broken.json");
    fs::write(
        &broken,
        b"{\"format\": \"folio-backup\", \"version\": 1, \"notes\": [{",
    )
    .unwrap();
    for (file, says) in [
        (&other, "not a Folio backup"),
        (&newer, "newer Folio"),
        (&broken, "not a Folio backup"),
    ] {
        let error = backup::restore_backup(&mut repo, file)
            .unwrap_err()
            .to_string();
        assert!(error.contains(says), "{error}");
    }
    assert_eq!(repo.stats().unwrap(), folio::db::Stats::default());
}

#[test]
fn markdown_front_matter_round_trips_odd_titles_and_people() {
    let parsed = markdown::parse_note(
        "x",
        "---\ntitle: 'Quote: \"this\" # not a comment'\npeople: Ada Lovelace, Grace Hopper\n---\n\nBody",
    );
    assert_eq!(parsed.title, "Quote: \"this\" # not a comment");
    assert_eq!(parsed.people, ["Ada Lovelace", "Grace Hopper"]);
    assert_eq!(parsed.body, "Body");
}

fn folio(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_folio"))
        .current_dir(dir)
        .env_remove("FOLIO_DB")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_imports_searches_counts_exports_and_backs_up() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("notes")).unwrap();
    fs::write(
        d.join("notes/one.md"),
        "---\ntitle: Zürich trip\ntags: [travel]\nupdated: 2024-05-01T00:00:00Z\npeople: [Ada Lovelace]\n---\n\nTrain at 9",
    )
    .unwrap();
    fs::write(d.join("notes/two.md"), "# Shopping\nmilk").unwrap();

    let (code, out, _) = folio(d, &["--db", "a.db", "import", "notes", "--json"]);
    assert_eq!(code, 0);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["notes"]["added"], 2);

    let (code, out, _) = folio(
        d,
        &["--db", "a.db", "search", "zurich", "--json", "--limit", "5"],
    );
    assert_eq!(code, 0);
    let found: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(found["total"], 1);
    assert_eq!(found["results"][0]["title"], "Zürich trip");
    assert_eq!(found["results"][0]["updated"], "2024-05-01T00:00:00.000Z");

    let (code, out, _) = folio(
        d,
        &["--db", "a.db", "search", "ada", "--contacts", "--json"],
    );
    assert_eq!(code, 0);
    let found: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(found["results"][0]["name"], "Ada Lovelace");

    let (code, out, _) = folio(d, &["--db", "a.db", "stats", "--json"]);
    assert_eq!(code, 0);
    let stats: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        stats,
        serde_json::json!({"notes": 2, "contacts": 1, "tags": 1, "links": 1, "trashed_notes": 0, "trashed_contacts": 0, "attachments": 0, "attachment_bytes": 0})
    );

    let (code, _, _) = folio(
        d,
        &["--db", "a.db", "export", "--format", "md", "--out", "md"],
    );
    assert_eq!(code, 0);
    assert!(d.join("md/Zürich trip.md").is_file());
    let (code, _, _) = folio(
        d,
        &[
            "--db",
            "a.db",
            "export",
            "--format",
            "html",
            "--out",
            "notes.html",
        ],
    );
    assert_eq!(code, 0);
    let html = fs::read_to_string(d.join("notes.html")).unwrap();
    assert!(html.contains("<a href=\"#note-1\">") && html.contains("Zürich trip"));
    let (code, _, _) = folio(d, &["--db", "a.db", "backup", "all.json"]);
    assert_eq!(code, 0);
    // An existing file is never replaced.
    let before = fs::read(d.join("all.json")).unwrap();
    let (code, _, err) = folio(
        d,
        &[
            "--db", "a.db", "export", "--format", "json", "--out", "all.json",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(fs::read(d.join("all.json")).unwrap(), before);

    // The backup restores into a new database, twice without duplicates.
    for _ in 0..2 {
        let (code, _, _) = folio(d, &["--db", "b.db", "import", "all.json"]);
        assert_eq!(code, 0);
    }
    let (_, out, _) = folio(d, &["--db", "b.db", "stats", "--json"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out).unwrap(),
        stats
    );

    // A file that is not a Folio database: exit code 2, one line, the file untouched.
    fs::write(d.join("other.db"), b"just some text").unwrap();
    let (code, _, err) = folio(d, &["--db", "other.db", "stats"]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(fs::read(d.join("other.db")).unwrap(), b"just some text");
}

#[test]
fn the_same_file_given_twice_is_imported_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("note.md");
    fs::write(
        &file,
        "---\ntitle: Once\nuuid: 0191c8f4-8f8a-7c39-b4a6-7a4a5b6c7d8e\n---\nbody",
    )
    .unwrap();
    let mut repo = fresh(dir.path(), "a.db");
    let report = import::import_paths(&mut repo, &[file.clone(), file]).unwrap();
    assert_eq!(report.notes.added, 1);
    assert_eq!(report.notes.kept, 1);
    assert_eq!(repo.stats().unwrap().notes, 1);
}

#[test]
fn a_cancelled_import_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("in");
    fs::create_dir(&files).unwrap();
    for i in 0..40 {
        fs::write(
            files.join(format!("{i:02}.md")),
            format!("# Note {i}\nbody"),
        )
        .unwrap();
    }
    let mut repo = fresh(dir.path(), "a.db");
    repo.merge_records(&Records::default()).unwrap();
    let before = repo.all_records().unwrap();

    // Cancelled while storing: the 25th record says stop, after 24 were written in the
    // transaction.
    let stopped = repo.merge_records_with(
        &Records {
            notes: (0..30)
                .map(|i| NoteRecord {
                    uuid: uuid::Uuid::now_v7().to_string(),
                    title: format!("N{i}"),
                    body: String::new(),
                    pinned: false,
                    created: Timestamp(0),
                    updated: Timestamp(0),
                    deleted: None,
                    tags: vec!["t".into()],
                    people: Vec::new(),
                    source: folio::db::RecordSource::Backup,
                })
                .collect(),
            ..Default::default()
        },
        &|done| done < 25,
    );
    assert!(matches!(stopped, Err(folio::db::DbError::Cancelled)));
    assert_eq!(repo.all_records().unwrap(), before);

    // Cancelled before it starts reading: the same.
    let progress = folio::exchange::Progress::default();
    progress.cancel();
    let stopped = import::import_paths_with(&mut repo, std::slice::from_ref(&files), &progress);
    assert!(stopped.is_err());
    assert_eq!(repo.all_records().unwrap(), before);

    // Not cancelled: every file counts twice (read, stored), and all of it is there.
    let progress = folio::exchange::Progress::default();
    let report = import::import_paths_with(&mut repo, &[files], &progress).unwrap();
    assert_eq!(report.notes.added, 40);
    assert_eq!(progress.fraction(), (80, 80));
}

fn note_file(dir: &Path, name: &str, uuid: &str, updated: &str, body: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    fs::write(
        &path,
        format!("---\ntitle: {name}\nupdated: {updated}\nuuid: {uuid}\n---\n\n{body}"),
    )
    .unwrap();
    path
}

fn search_count(repo: &mut Repository, text: &str) -> i64 {
    repo.list_notes(&folio::db::NoteQuery {
        search: text.into(),
        ..Default::default()
    })
    .unwrap()
    .total
}

#[test]
fn an_edited_export_replaces_the_note_and_an_unedited_one_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let uuid = "0191c8f4-8f8a-7c39-b4a6-7a4a5b6c7d8e";
    let file = note_file(
        dir.path(),
        "Plan.md",
        uuid,
        "2024-01-01T00:00:00Z",
        "old words",
    );
    let mut repo = fresh(dir.path(), "a.db");
    import::import_paths(&mut repo, std::slice::from_ref(&file)).unwrap();
    let before = repo.all_records().unwrap();

    // The same file again (its time is later than the note's, its content the same): kept.
    let again = import::import_paths(&mut repo, std::slice::from_ref(&file)).unwrap();
    assert_eq!((again.notes.kept, again.notes.updated), (1, 0), "{again:?}");
    assert_eq!(repo.all_records().unwrap(), before);

    // Edited in another program, `updated:` untouched: the edit wins and is searchable.
    note_file(
        dir.path(),
        "Plan.md",
        uuid,
        "2024-01-01T00:00:00Z",
        "new words",
    );
    let edited = import::import_paths(&mut repo, &[file]).unwrap();
    assert_eq!(edited.notes.updated, 1);
    assert_eq!(search_count(&mut repo, "new words"), 1);
    assert_eq!(search_count(&mut repo, "old"), 0);
}

#[test]
fn two_copies_of_a_note_in_one_import_leave_the_newer_one_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let uuid = "0191c8f4-8f8a-7c39-b4a6-7a4a5b6c7d8f";
    let old = note_file(dir.path(), "a.md", uuid, "2024-01-01T00:00:00Z", "monday");
    let new = note_file(dir.path(), "b.md", uuid, "2024-01-02T00:00:00Z", "tuesday");
    let mut repo = fresh(dir.path(), "a.db");
    let report = import::import_paths(&mut repo, &[old, new]).unwrap();
    assert_eq!((report.notes.added, report.notes.updated), (1, 1));
    assert_eq!(search_count(&mut repo, "tuesday"), 1);
    assert_eq!(search_count(&mut repo, "monday"), 0, "no stale index entry");
}

#[test]
fn restoring_an_old_backup_does_not_bring_back_a_removed_link() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = fresh(dir.path(), "a.db");
    let ada = repo
        .create_contact(&folio::db::ContactDraft {
            display_name: "Ada".into(),
            ..Default::default()
        })
        .unwrap();
    let note = repo
        .create_note(&folio::db::NewNote {
            title: "Lunch".into(),
            ..Default::default()
        })
        .unwrap();
    repo.link_note_contact(note.id, ada.id).unwrap();
    let file = dir.path().join("backup.json");
    backup::write_backup(&mut repo, &file, false).unwrap();
    repo.unlink_note_contact(note.id, ada.id).unwrap();
    backup::restore_backup(&mut repo, &file).unwrap();
    assert!(repo.contacts_of_note(note.id).unwrap().is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// The parsers take any bytes without panicking: what a fuzzer would check first.
    #[test]
    fn any_bytes_are_read_or_refused_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Ok((text, _)) = markdown::decode_text(&bytes) {
            let _ = markdown::parse_note("f", &text);
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.json");
        fs::write(&file, &bytes).unwrap();
        let _ = backup::read_backup(&file);
    }

    #[test]
    fn any_front_matter_shaped_text_is_read_without_losing_the_body(
        yaml in "[a-z:\\[\\]\"' ,#\\-\\n]{0,80}",
        body in "\\PC{0,40}",
    ) {
        let text = format!("---\n{yaml}\n---\n{body}");
        let note = markdown::parse_note("f", &text);
        prop_assert!(note.body.ends_with(&body) || note.body == text, "{:?}", note.body);
    }
}

/// The note's body and the conflict copies' bodies, for the note with this UUID.
fn note_and_copies(repo: &mut Repository, uuid: &str) -> (String, Vec<String>) {
    let records = repo.all_records().unwrap();
    let body = records
        .notes
        .iter()
        .find(|n| n.uuid == uuid)
        .map(|n| n.body.clone())
        .unwrap_or_default();
    let copies = records
        .notes
        .iter()
        .filter(|n| n.title.contains("(conflict, ") && n.tags.iter().any(|t| t == "conflict"))
        .map(|n| n.body.clone())
        .collect();
    (body, copies)
}

#[test]
fn a_file_edited_while_the_note_changed_too_keeps_both() {
    let dir = tempfile::tempdir().unwrap();
    let uuid = "0191c8f4-8f8a-7c39-b4a6-7a4a5b6c7d90";
    let file = note_file(
        dir.path(),
        "Plan.md",
        uuid,
        "2024-01-01T00:00:00Z",
        "exported",
    );
    let mut repo = fresh(dir.path(), "a.db");
    import::import_paths(&mut repo, std::slice::from_ref(&file)).unwrap();
    // Edited in Folio after the export...
    let id = repo.all_records().unwrap().notes[0].uuid.clone();
    assert_eq!(id, uuid);
    let stored = repo.list_notes(&Default::default()).unwrap().items[0].clone();
    repo.update_note(stored.id, stored.version, "Plan.md", "edited in Folio")
        .unwrap();
    // ...and in the file.
    note_file(
        dir.path(),
        "Plan.md",
        uuid,
        "2024-01-01T00:00:00Z",
        "edited in the file",
    );

    let report = import::import_paths(&mut repo, std::slice::from_ref(&file)).unwrap();
    assert_eq!(report.notes.conflicts, 1, "{report:?}");
    assert_eq!(report.notes.updated, 0);
    assert_eq!(report.conflicts.len(), 1);
    assert_eq!(report.conflicts[0].file, file);
    assert!(
        report.conflicts[0].reason.contains("(conflict, "),
        "{:?}",
        report.conflicts
    );
    let (body, copies) = note_and_copies(&mut repo, uuid);
    assert_eq!(body, "edited in Folio");
    assert_eq!(copies, ["edited in the file"]);
    assert_eq!(search_count(&mut repo, "edited in the file"), 1);

    // The same file again adds no second copy.
    let again = import::import_paths(&mut repo, &[file]).unwrap();
    assert_eq!(
        (again.notes.conflicts, again.notes.added),
        (0, 0),
        "{again:?}"
    );
    assert_eq!(note_and_copies(&mut repo, uuid).1.len(), 1);
}

#[test]
fn a_newer_file_time_does_not_make_an_old_export_win() {
    let dir = tempfile::tempdir().unwrap();
    let uuid = "0191c8f4-8f8a-7c39-b4a6-7a4a5b6c7d91";
    let file = note_file(
        dir.path(),
        "Plan.md",
        uuid,
        "2024-01-01T00:00:00Z",
        "exported",
    );
    let mut repo = fresh(dir.path(), "a.db");
    import::import_paths(&mut repo, std::slice::from_ref(&file)).unwrap();
    let stored = repo.list_notes(&Default::default()).unwrap().items[0].clone();
    repo.update_note(stored.id, stored.version, "Plan.md", "edited in Folio")
        .unwrap();
    // A copy or a sync tool gives the old export a new modification time.
    let tomorrow = std::time::SystemTime::now() + std::time::Duration::from_secs(86_400);
    fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(tomorrow)
        .unwrap();

    import::import_paths(&mut repo, &[file]).unwrap();
    let (body, copies) = note_and_copies(&mut repo, uuid);
    assert_eq!(
        body, "edited in Folio",
        "the file's time made an old export win"
    );
    assert_eq!(copies, ["exported"]);
}

#[test]
fn a_date_far_in_the_future_does_not_win() {
    let dir = tempfile::tempdir().unwrap();
    let uuid = "0191c8f4-8f8a-7c39-b4a6-7a4a5b6c7d92";
    let file = note_file(dir.path(), "Plan.md", uuid, "2024-01-01T00:00:00Z", "first");
    let mut repo = fresh(dir.path(), "a.db");
    import::import_paths(&mut repo, std::slice::from_ref(&file)).unwrap();
    // A machine whose clock is years ahead.
    note_file(
        dir.path(),
        "Plan.md",
        uuid,
        "2999-01-01T00:00:00Z",
        "from the future",
    );
    let report = import::import_paths(&mut repo, &[file]).unwrap();
    assert_eq!((report.notes.updated, report.notes.conflicts), (0, 1));
    let (body, copies) = note_and_copies(&mut repo, uuid);
    assert_eq!(body, "first");
    assert_eq!(copies, ["from the future"]);
}

#[test]
fn importing_an_export_again_leaves_a_trashed_note_in_the_trash() {
    let dir = tempfile::tempdir().unwrap();
    let uuid = "0191c8f4-8f8a-7c39-b4a6-7a4a5b6c7d93";
    let file = note_file(dir.path(), "Plan.md", uuid, "2024-01-01T00:00:00Z", "words");
    let mut repo = fresh(dir.path(), "a.db");
    import::import_paths(&mut repo, std::slice::from_ref(&file)).unwrap();
    let stored = repo.list_notes(&Default::default()).unwrap().items[0].clone();
    repo.trash_note(stored.id, stored.version).unwrap();

    let again = import::import_paths(&mut repo, &[file]).unwrap();
    assert_eq!((again.notes.kept, again.notes.updated), (1, 0), "{again:?}");
    assert!(repo.note(stored.id).unwrap().deleted.is_some());
    assert_eq!(repo.list_notes(&Default::default()).unwrap().total, 0);
}
