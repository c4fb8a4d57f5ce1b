//! A crash in the middle of typing: a process saves a note (and a contact) in a loop, the way
//! autosave does, and is killed with SIGKILL at a random moment, many times over, while
//! another program (`folio import`, in a loop) writes to the same file. Each time the file
//! must pass SQLite's integrity check, open in Folio, find the note by its newest words, and
//! hold every save the process had reported finished; at the end the other program's last
//! import must be there and found.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use folio::db::{ContactDraft, LabeledEmail, NewNote, NoteQuery, Repository};

const ROUNDS: usize = 30;

/// The saving process: run by the test below in a child process, never on its own.
#[test]
#[ignore = "run by killing_folio_mid_save_never_damages_the_file in a child process"]
fn crash_writer() {
    let Ok(path) = std::env::var("FOLIO_CRASH_DB") else {
        return;
    };
    let mut repo = Repository::open(&path).unwrap();
    let typing = NoteQuery {
        search: "Typing".into(),
        ..NoteQuery::default()
    };
    let (note, mut note_version) = match repo.list_notes(&typing).unwrap().items.first() {
        Some(note) => (note.id, note.version),
        None => {
            let note = repo
                .create_note(&NewNote {
                    title: "Typing".into(),
                    ..NewNote::default()
                })
                .unwrap();
            (note.id, note.version)
        }
    };
    let contact = repo
        .create_contact(&ContactDraft {
            given_name: "Crash".into(),
            ..ContactDraft::default()
        })
        .unwrap();
    let (contact, mut contact_version) = (contact.id, contact.version);
    let mut body = String::new();
    for n in 0.. {
        // As the window does: each save names the version the previous one made.
        body.push_str(&format!("word{n} "));
        note_version = repo
            .update_note(note, note_version, "Typing", &body)
            .unwrap()
            .version;
        let mut draft = repo.contact_draft(contact).unwrap();
        draft.emails = vec![LabeledEmail {
            label: "home".into(),
            address: format!("crash{n}@example.org"),
        }];
        contact_version = repo
            .update_contact(contact, contact_version, &draft)
            .unwrap()
            .version;
        // Printed only once both transactions committed.
        println!("saved {n}");
    }
}

#[test]
fn killing_folio_mid_save_never_damages_the_file() {
    kill_mid_save(ROUNDS);
}

/// The long run: 100 kills. Run it before changing how Folio writes or opens files:
/// `cargo test --test crash_safety -- --ignored --exact a_hundred_kills_mid_save`.
#[test]
#[ignore = "the long run (about 20 s); see README, Developing"]
fn a_hundred_kills_mid_save() {
    kill_mid_save(100);
}

/// Another program writing at the same time: `folio import` of one Markdown note, again and
/// again, each time a later version. Returns the number of the last import that finished.
fn import_in_a_loop(db: &Path, folder: &Path, stop: &AtomicBool) -> Option<u64> {
    let file = folder.join("imported.md");
    let mut finished = None;
    for n in 0u64.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let updated = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        std::fs::write(
            &file,
            format!(
                "---\ntitle: Imported\nuuid: {IMPORTED_UUID}\nupdated: {updated}\n---\n\nimport{n}"
            ),
        )
        .unwrap();
        let import = Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("--db")
            .arg(db)
            .arg("import")
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            import.status.success(),
            "import {n} failed while Folio was saving: {}",
            String::from_utf8_lossy(&import.stderr)
        );
        finished = Some(n);
    }
    finished
}

const IMPORTED_UUID: &str = "0191c8f4-8f8a-7c39-b4a6-000000000001";

fn kill_mid_save(rounds: usize) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.folio");
    drop(Repository::open(&db).unwrap());
    let started = Instant::now();
    let mut seed = u64::from(std::process::id()) | 1;
    let mut finished_saves = 0;
    let stop = Arc::new(AtomicBool::new(false));
    let importer = {
        let (db, folder, stop) = (db.clone(), dir.path().to_owned(), Arc::clone(&stop));
        std::thread::spawn(move || import_in_a_loop(&db, &folder, &stop))
    };
    for round in 0..rounds {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                "crash_writer",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("FOLIO_CRASH_DB", &db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        // A random moment 20–300 ms into the saving.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let after = Duration::from_millis(20 + seed % 280);
        let reader = std::thread::spawn(move || {
            let mut last = None;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                // The harness prints "test crash_writer ... " before the first line.
                if let Some((_, n)) = line.rsplit_once("saved ") {
                    last = n.parse::<u64>().ok();
                }
            }
            last
        });
        std::thread::sleep(after);
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let last_reported = reader.join().unwrap();

        let mut repo = Repository::open(&db)
            .unwrap_or_else(|e| panic!("round {round}: the file does not open: {e}"));
        assert_eq!(repo.integrity_check().unwrap(), "ok", "round {round}");
        let typing = repo
            .list_notes(&NoteQuery {
                search: "Typing".into(),
                ..NoteQuery::default()
            })
            .unwrap();
        assert!(typing.total <= 1, "round {round}");
        let Some(typed) = typing.items.first() else {
            assert!(
                last_reported.is_none(),
                "round {round}: the typed note is gone"
            );
            continue;
        };
        let body = repo.note(typed.id).unwrap().body;
        if let Some(n) = last_reported {
            finished_saves += 1;
            assert!(
                body.contains(&format!("word{n} ")),
                "round {round}: save {n} was reported finished but is missing"
            );
            // The index agrees with the row: the newest word is found.
            let found = repo
                .list_notes(&NoteQuery {
                    search: format!("word{n} "),
                    ..NoteQuery::default()
                })
                .unwrap();
            assert_eq!(found.total, 1, "round {round}: word{n} not found");
        }
    }
    stop.store(true, Ordering::Relaxed);
    let last_import = importer.join().unwrap();

    // The other writer's work is all there too, and indexed.
    let mut repo = Repository::open(&db).unwrap();
    assert_eq!(repo.integrity_check().unwrap(), "ok");
    let imported = repo
        .list_notes(&NoteQuery {
            search: "Imported".into(),
            ..NoteQuery::default()
        })
        .unwrap();
    assert_eq!(imported.total, 1, "{:?}", imported.items);
    let n = last_import.expect("no import finished during the kills");
    assert_eq!(
        repo.note(imported.items[0].id).unwrap().body,
        format!("import{n}")
    );
    let found = repo
        .list_notes(&NoteQuery {
            search: format!("import{n}"),
            ..NoteQuery::default()
        })
        .unwrap();
    assert_eq!(found.total, 1, "the last import is not in the index");
    assert!(
        finished_saves >= rounds / 2,
        "the writer rarely got to save"
    );
    eprintln!(
        "{rounds} kills, {finished_saves} mid-typing, imports up to {n} alongside, in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
