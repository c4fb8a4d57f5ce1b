//! A crash in the middle of typing: a process saves a note (and a contact) in a loop, the way
//! autosave does, and is killed with SIGKILL at a random moment, many times over. Each time
//! the file must pass SQLite's integrity check, open in Folio, find the note by its newest
//! words, and hold every save the process had reported finished.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
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
    let note = match repo
        .list_notes(&NoteQuery::default())
        .unwrap()
        .items
        .first()
    {
        Some(note) => note.id,
        None => {
            repo.create_note(&NewNote {
                title: "Typing".into(),
                ..NewNote::default()
            })
            .unwrap()
            .id
        }
    };
    let contact = repo
        .create_contact(&ContactDraft {
            given_name: "Crash".into(),
            ..ContactDraft::default()
        })
        .unwrap()
        .id;
    let mut body = String::new();
    for n in 0.. {
        body.push_str(&format!("word{n} "));
        repo.update_note(note, "Typing", &body).unwrap();
        let mut draft = repo.contact_draft(contact).unwrap();
        draft.emails = vec![LabeledEmail {
            label: "home".into(),
            address: format!("crash{n}@example.org"),
        }];
        repo.update_contact(contact, &draft).unwrap();
        // Printed only once both transactions committed.
        println!("saved {n}");
    }
}

#[test]
fn killing_folio_mid_save_never_damages_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.folio");
    drop(Repository::open(&db).unwrap());
    let started = Instant::now();
    let mut seed = u64::from(std::process::id()) | 1;
    let mut finished_saves = 0;
    for round in 0..ROUNDS {
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
                if let Some(n) = line.strip_prefix("saved ") {
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
        let notes = repo.list_notes(&NoteQuery::default()).unwrap();
        assert_eq!(notes.total, 1, "round {round}");
        let body = repo.note(notes.items[0].id).unwrap().body;
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
    assert!(
        finished_saves >= ROUNDS / 2,
        "the writer rarely got to save"
    );
    eprintln!(
        "{ROUNDS} kills, {finished_saves} mid-typing, in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
