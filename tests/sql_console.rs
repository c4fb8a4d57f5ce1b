//! `folio sql`: any read-only question is answered; anything else is refused, exits 1 with the
//! reason, and leaves the file's bytes as they were (real processes, as another program would
//! run it). Issue 18, part 2.

// A test fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use folio::db::{NewNote, Repository};
use folio::sql_console::{DEFAULT_TIME_LIMIT, SqlConsole};
use proptest::prelude::*;

fn folio(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

/// A database with two notes, closed again (so no connection of this process holds it).
fn database(dir: &Path) -> PathBuf {
    let path = dir.join("notes.folio");
    let mut repo = Repository::open(&path).unwrap();
    for (title, tags) in [("Groceries", vec!["home"]), ("Plan", vec!["work", "home"])] {
        repo.create_note(&NewNote {
            title: title.into(),
            body: format!("{title} body"),
            tags: tags.into_iter().map(str::to_owned).collect(),
            ..NewNote::default()
        })
        .unwrap();
    }
    drop(repo);
    path
}

/// The bytes of the file and of its `-wal` (none when there is none): what must not change.
/// (A read-only connection to a file in WAL mode may leave an empty `-wal` and the `-shm`
/// index beside it, which it cannot delete; neither holds data.)
fn bytes_of(db: &Path) -> (Vec<u8>, Vec<u8>) {
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    (
        std::fs::read(db).unwrap(),
        std::fs::read(wal).unwrap_or_default(),
    )
}

#[test]
fn a_question_is_answered_as_json_csv_and_a_table() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let notes_per_tag = "SELECT t.name AS tag, count(*) AS notes FROM tags t \
                         JOIN note_tags nt ON nt.tag_id = t.id GROUP BY t.name ORDER BY t.name";
    let out = folio(&db, &["sql", notes_per_tag, "--json"]);
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"columns": ["tag", "notes"], "rows": [["home", 2], ["work", 1]]})
    );
    let out = folio(&db, &["sql", notes_per_tag, "--csv"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "tag,notes\nhome,2\nwork,1\n"
    );
    let out = folio(&db, &["sql", notes_per_tag]);
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.starts_with("tag  | notes\n"), "{table}");
    assert!(table.ends_with("(2 rows)\n"), "{table}");
}

#[test]
fn every_statement_that_could_change_the_file_is_refused_and_the_file_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let before = bytes_of(&db);
    for statement in [
        "INSERT INTO tags (name, name_key) VALUES ('x', 'x')",
        "UPDATE notes SET title = 'gone'",
        "DELETE FROM notes",
        "DROP TABLE notes",
        "CREATE TABLE stolen (x)",
        &format!("ATTACH '{}' AS x", dir.path().join("other.db").display()),
        &format!("VACUUM INTO '{}'", dir.path().join("copy.db").display()),
        "VACUUM",
        "PRAGMA journal_mode=DELETE",
        "PRAGMA writable_schema=1",
        "PRAGMA user_version=99",
        "SELECT load_extension('x')",
        "SELECT 1; DELETE FROM notes",
        "SELECT 1 /* harmless? */; -- then\n DROP TABLE notes",
        "BEGIN IMMEDIATE",
        "REINDEX",
        "ANALYZE",
        "PRAGMA query_only=0",
        "SELECT * FROM pragma_query_only(0)",
        "SELECT * FROM pragma_journal_mode('delete')",
        "CREATE TEMP TABLE t (x)",
        "CREATE TEMP TRIGGER t AFTER INSERT ON notes BEGIN SELECT 1; END",
        "SAVEPOINT s",
        "SELECT randomblob(100000000)",
    ] {
        let out = folio(&db, &["sql", statement]);
        assert_eq!(out.status.code(), Some(1), "{statement}: {out:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains("refused, nothing was changed"),
            "{statement}: {said}"
        );
        assert!(bytes_of(&db) == before, "{statement} changed the file");
    }
    assert!(!dir.path().join("other.db").exists());
    assert!(!dir.path().join("copy.db").exists());
    // No log or index beside the file: the connection was immutable, there being no log.
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    let shm = PathBuf::from(format!("{}-shm", db.display()));
    assert!(!wal.exists() && !shm.exists());
    let out = folio(&db, &["sql", "SELECT count(*) FROM notes", "--csv"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "count(*)\n2\n");
}

#[test]
fn a_file_that_is_no_database_cannot_be_opened_and_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "just some words, not SQLite").unwrap();
    let out = folio(&file, &["sql", "SELECT 1"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not be opened"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "just some words, not SQLite"
    );
    let out = folio(&file, &["sql", "SELECT 1", "--seconds", "0"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a time limit of 0 is a wrong command line"
    );
}

#[test]
fn a_runaway_question_stops_within_its_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let started = std::time::Instant::now();
    let out = folio(
        &db,
        &[
            "sql",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
            "--seconds",
            "1",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("was stopped"));
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

/// Words to build statements of: the ways SQL writes, and some that only read.
const WORDS: &[&str] = &[
    "SELECT",
    "INSERT",
    "INTO",
    "UPDATE",
    "DELETE",
    "FROM",
    "SET",
    "VALUES",
    "DROP",
    "TABLE",
    "CREATE",
    "ATTACH",
    "DETACH",
    "VACUUM",
    "PRAGMA",
    "REPLACE",
    "notes",
    "tags",
    "*",
    "1",
    "(",
    ")",
    ";",
    ",",
    "=",
    "'x'",
    "AS",
    "WHERE",
    "INDEX",
    "TRIGGER",
    "BEGIN",
    "COMMIT",
    "load_extension",
    "writable_schema",
    "journal_mode",
    "OFF",
    "WITH",
    "RECURSIVE",
    "--",
    "/*",
    "*/",
    "\n",
    "title",
    "ALTER",
    "RENAME",
    "TO",
    "SAVEPOINT",
    "RELEASE",
    "REINDEX",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn no_statement_made_of_sql_words_changes_the_file(
        statements in prop::collection::vec(
            prop::collection::vec(prop::sample::select(WORDS), 1..12).prop_map(|w| w.join(" ")),
            1..40,
        )
    ) {
        let dir = tempfile::tempdir().unwrap();
        let db = database(dir.path());
        let before = bytes_of(&db);
        let mut console = SqlConsole::open(&db).unwrap();
        for statement in &statements {
            // Answered or refused: either way nothing may change.
            let _ = console.run(statement, 100, DEFAULT_TIME_LIMIT);
        }
        drop(console);
        prop_assert!(bytes_of(&db) == before, "the file changed");
        // No file made beside it but SQLite's own -wal and -shm.
        let others: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| !name.starts_with("notes.folio"))
            .collect();
        prop_assert!(others.is_empty(), "files made: {:?}", others);
    }
}
