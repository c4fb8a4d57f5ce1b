//! What another program sees while Folio has a database open. A process holds Folio's two
//! connections (the window's and the list worker's, made the way the window makes them); an
//! outside SQLite connection opens the file, reads and closes. SQLite's locks must have kept
//! that outside program from deleting the write-ahead log under Folio, and a save made after it
//! must reach the file: visible to a third process, and still there after `kill -9`.
//!
//! Each of these runs in its own process: POSIX locks belong to a process, so an in-process
//! test cannot see them dropped.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use folio::db::{NewNote, NoteQuery, Repository};

/// The holder: run by the tests below in a child process, never on its own. Reads commands on
/// stdin ("save TITLE"), answers on stdout once each is done.
#[test]
#[ignore = "run by the tests of this file in a child process"]
fn lock_holder() {
    let Ok(path) = std::env::var("FOLIO_LOCK_DB") else {
        return;
    };
    let mut window = Repository::open(&path).unwrap();
    // The list worker's connection, as the window opens it; it reads, like the worker does.
    let mut worker = window.another_connection().unwrap();
    worker.list_notes(&NoteQuery::default()).unwrap();
    println!("ready");
    for line in std::io::stdin().lines().map_while(Result::ok) {
        if let Some(title) = line.strip_prefix("save ") {
            window
                .create_note(&NewNote {
                    title: title.to_owned(),
                    ..NewNote::default()
                })
                .unwrap();
            worker.list_notes(&NoteQuery::default()).unwrap();
            println!("saved {title}");
        }
    }
}

struct Holder {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Holder {
    fn start(db: &Path) -> Holder {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                "lock_holder",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("FOLIO_LOCK_DB", db)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut holder = Holder {
            child,
            stdin,
            stdout,
        };
        holder.wait_for("ready");
        holder
    }

    /// Reads the holder's output up to the line ending in `expected` (the test harness prints
    /// its own text around it, "test lock_holder ... " on the same line as the first).
    fn wait_for(&mut self, expected: &str) {
        let mut line = String::new();
        loop {
            line.clear();
            let read = self.stdout.read_line(&mut line).unwrap();
            assert!(read > 0, "the holder ended before saying {expected:?}");
            if line.trim_end().ends_with(expected) {
                return;
            }
        }
    }

    fn save(&mut self, title: &str) {
        writeln!(self.stdin, "save {title}").unwrap();
        self.stdin.flush().unwrap();
        self.wait_for(&format!("saved {title}"));
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the `sqlite3` shell, a Python script or a backup tool does: open, read, close.
fn outside_program_reads(db: &Path) {
    let mut outside = SqliteConnection::establish(db.to_str().unwrap()).unwrap();
    outside
        .batch_execute("SELECT count(*) FROM notes;")
        .unwrap();
    drop(outside);
}

fn sidecar(db: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// The POSIX locks `pid` holds on the file with this inode, as `/proc/locks` lists them.
#[cfg(target_os = "linux")]
fn posix_locks_of(pid: u32, file: &Path) -> Vec<String> {
    use std::os::unix::fs::MetadataExt;
    let inode = std::fs::metadata(file).unwrap().ino();
    std::fs::read_to_string("/proc/locks")
        .unwrap()
        .lines()
        .filter(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // "1: POSIX  ADVISORY  READ 1234 08:01:5678 128 128"
            fields.get(1) == Some(&"POSIX")
                && fields.get(4) == Some(&pid.to_string().as_str())
                && fields
                    .get(5)
                    .and_then(|id| id.rsplit(':').next())
                    .is_some_and(|i| i == inode.to_string())
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn an_outside_reader_cannot_delete_the_log_under_folio() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.folio");
    drop(Repository::open(&db).unwrap());
    let mut holder = Holder::start(&db);

    outside_program_reads(&db);

    assert!(
        sidecar(&db, "-wal").exists() && sidecar(&db, "-shm").exists(),
        "an outside program's close deleted the write-ahead log while Folio had the file open"
    );
    #[cfg(target_os = "linux")]
    {
        let locks = posix_locks_of(holder.child.id(), &db);
        assert!(
            locks.iter().any(|l| l.contains(" READ ")),
            "Folio holds no shared lock on its database: {locks:?}"
        );
    }

    holder.save("Typed after the outside read");

    // A third process finds it: the command line.
    let search = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["--db", db.to_str().unwrap(), "search", "outside read"])
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&search.stdout);
    assert!(
        search.status.success() && printed.contains("Typed after the outside read"),
        "the command line does not see the saved note: {printed} {}",
        String::from_utf8_lossy(&search.stderr)
    );

    // And it survives the window being killed.
    holder.child.kill().unwrap();
    holder.child.wait().unwrap();
    let mut repo = Repository::open(&db).unwrap();
    assert_eq!(repo.integrity_check().unwrap(), "ok");
    let titles: Vec<String> = repo
        .list_notes(&NoteQuery::default())
        .unwrap()
        .items
        .into_iter()
        .map(|n| n.title)
        .collect();
    assert_eq!(titles, ["Typed after the outside read"]);
}

/// Opening the same file a second time in the process (as a job or a test might) must not run
/// the `std::fs` checks either: the first connection would lose its locks.
#[test]
fn a_second_open_in_the_same_process_keeps_the_locks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.folio");
    drop(Repository::open(&db).unwrap());
    let mut first = Repository::open(&db).unwrap();
    let mut second = Repository::open(&db).unwrap();
    second.list_notes(&NoteQuery::default()).unwrap();

    // The outside program runs in another process, where closing cannot drop our locks.
    let outside = Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "outside_reader", "--test-threads=1"])
        .env("FOLIO_LOCK_DB", &db)
        .output()
        .unwrap();
    assert!(outside.status.success());
    assert!(
        sidecar(&db, "-wal").exists(),
        "the log was deleted although this process has the file open twice"
    );
    #[cfg(target_os = "linux")]
    {
        let locks = posix_locks_of(std::process::id(), &db);
        assert!(
            locks.iter().any(|l| l.contains(" READ ")),
            "the second open dropped the first connection's lock: {locks:?}"
        );
    }
    first
        .create_note(&NewNote {
            title: "Still saved".into(),
            ..NewNote::default()
        })
        .unwrap();
    drop(second);
    drop(first);
    let mut repo = Repository::open(&db).unwrap();
    assert_eq!(repo.list_notes(&NoteQuery::default()).unwrap().total, 1);
}

/// The outside program of the test above, in its own process.
#[test]
#[ignore = "run by a_second_open_in_the_same_process_keeps_the_locks in a child process"]
fn outside_reader() {
    let Ok(path) = std::env::var("FOLIO_LOCK_DB") else {
        return;
    };
    outside_program_reads(Path::new(&path));
}
