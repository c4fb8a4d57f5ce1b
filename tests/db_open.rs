//! Opening database files: creation, re-opening, upgrades with a backup, and refusals that leave
//! the file byte-for-byte untouched.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use folio::db::{
    ContactQuery, DbError, FOLIO_APPLICATION_ID, NewNote, NoteQuery, OpenError, Repository,
    known_migration_versions,
};

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");
const FIXTURE_V1: &str = "tests/fixtures/folio-v1.db";

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn raw(path: &Path) -> SqliteConnection {
    SqliteConnection::establish(path.to_str().unwrap()).unwrap()
}

fn scalar(conn: &mut SqliteConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Number>(conn).unwrap().n
}

/// Every file in a folder with its size and a hash of its bytes: a refusal must leave all of
/// them as they were (and create none).
fn snapshot(dir: &Path) -> Vec<(PathBuf, u64, u64)> {
    use std::hash::{Hash, Hasher};
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let bytes = fs::read(&p).unwrap();
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut hasher);
            (p, bytes.len() as u64, hasher.finish())
        })
        .collect();
    files.sort();
    files
}

fn copy_fixture(dir: &Path) -> PathBuf {
    let path = dir.join("notes.db");
    fs::copy(FIXTURE_V1, &path).unwrap();
    path
}

#[test]
fn a_new_file_and_its_folder_are_created_and_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep/er/folio.db");
    let mut repo = Repository::open(&path).unwrap();
    assert!(path.exists());
    assert!(repo.backup_made().is_none());
    assert!(!repo.is_read_only());
    repo.create_note(&NewNote {
        title: "hello".into(),
        ..NewNote::default()
    })
    .unwrap();
    drop(repo);

    let mut conn = raw(&path);
    assert_eq!(
        scalar(
            &mut conn,
            "SELECT application_id AS n FROM pragma_application_id"
        ),
        i64::from(FOLIO_APPLICATION_ID)
    );
    assert_eq!(
        scalar(
            &mut conn,
            "SELECT count(*) AS n FROM __diesel_schema_migrations"
        ),
        known_migration_versions().len() as i64
    );
    #[derive(QueryableByName)]
    struct Mode {
        #[diesel(sql_type = Text)]
        journal_mode: String,
    }
    let mode = diesel::sql_query("PRAGMA journal_mode")
        .get_result::<Mode>(&mut conn)
        .unwrap();
    assert_eq!(mode.journal_mode, "wal");
}

#[test]
fn reopening_is_a_no_op_that_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("folio.db");
    let mut repo = Repository::open(&path).unwrap();
    repo.create_note(&NewNote {
        title: "Zürich".into(),
        body: "kept".into(),
        ..NewNote::default()
    })
    .unwrap();
    drop(repo);
    let files_before: Vec<_> = snapshot(dir.path()).into_iter().map(|(p, ..)| p).collect();

    let mut repo = Repository::open(&path).unwrap();
    assert!(repo.backup_made().is_none());
    let found = repo
        .list_notes(&NoteQuery {
            search: "zurich".into(),
            ..NoteQuery::default()
        })
        .unwrap();
    assert_eq!(found.total, 1);
    drop(repo);
    let files_after: Vec<_> = snapshot(dir.path()).into_iter().map(|(p, ..)| p).collect();
    assert_eq!(files_before, files_after, "no backup or other file appears");
}

#[test]
fn an_empty_file_becomes_a_folio_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    fs::write(&path, b"").unwrap();
    let mut repo = Repository::open(&path).unwrap();
    assert!(repo.backup_made().is_none());
    assert_eq!(repo.list_notes(&NoteQuery::default()).unwrap().total, 0);
}

#[test]
fn a_first_schema_database_is_upgraded_with_its_data_and_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    let original = fs::read(&path).unwrap();

    let mut repo = Repository::open(&path).unwrap();
    let backup = repo
        .backup_made()
        .map(Path::to_path_buf)
        .expect("a backup is made");
    let first = &known_migration_versions()[0];
    assert_eq!(
        backup.file_name().unwrap().to_str().unwrap(),
        format!("notes.db.before-{first}")
    );

    // The data survived, and the new search index covers it.
    let notes = repo
        .list_notes(&NoteQuery {
            limit: 100,
            ..NoteQuery::default()
        })
        .unwrap();
    assert_eq!(notes.total, 3);
    let titles: Vec<_> = notes.items.iter().map(|n| n.title.as_str()).collect();
    assert_eq!(titles, ["Pinned plan", "Café in Zürich", "Meeting notes"]);
    let cafe = &notes.items[1];
    assert_eq!(
        cafe.tags
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>(),
        ["Travel"]
    );
    let found = repo
        .list_notes(&NoteQuery {
            search: "ZURICH cafe".into(),
            ..NoteQuery::default()
        })
        .unwrap();
    assert_eq!(found.total, 1);
    let trash = repo
        .list_notes(&NoteQuery {
            filter: folio::db::NoteFilter::Trash,
            ..NoteQuery::default()
        })
        .unwrap();
    assert_eq!(trash.total, 1);

    let contacts = repo
        .list_contacts(&ContactQuery {
            search: "5550100".into(),
            ..ContactQuery::default()
        })
        .unwrap();
    assert_eq!(contacts.total, 1);
    let ada = repo.contact(contacts.items[0].id).unwrap();
    assert_eq!(ada.emails.len(), 2);
    assert_eq!(
        ada.birthday.map(|b| (b.year, b.month, b.day)),
        Some((None, 12, 10))
    );
    assert_eq!(repo.notes_about_contact(ada.id).unwrap().len(), 1);
    // The title index added by a later migration was filled from the old notes.
    let hits = repo.go_to("zurich", 8).unwrap();
    assert!(
        hits.iter().any(
            |hit| matches!(hit, folio::db::GoToHit::Note { title, .. } if title == "Café in Zürich")
        ),
        "{hits:?}"
    );
    drop(repo);

    // The backup is the old database, whole.
    let mut old = raw(&backup);
    assert_eq!(
        scalar(
            &mut old,
            "SELECT count(*) AS n FROM __diesel_schema_migrations"
        ),
        1
    );
    assert_eq!(scalar(&mut old, "SELECT count(*) AS n FROM notes"), 4);
    assert_ne!(fs::read(&path).unwrap(), original);

    // Opening again does not upgrade or back up twice.
    let repo = Repository::open(&path).unwrap();
    assert!(repo.backup_made().is_none());
}

#[test]
fn an_existing_backup_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    let first = &known_migration_versions()[0];
    let taken = dir.path().join(format!("notes.db.before-{first}"));
    fs::write(&taken, b"an earlier backup").unwrap();
    let repo = Repository::open(&path).unwrap();
    let backup = repo.backup_made().unwrap().to_path_buf();
    assert_ne!(backup, taken);
    assert_eq!(fs::read(&taken).unwrap(), b"an earlier backup");
    assert!(backup.exists());
}

#[test]
#[cfg(unix)]
fn the_copy_before_an_upgrade_is_private_and_never_written_through_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    // Another user's link under the copy's name, pointing where they would like it written.
    let first = &known_migration_versions()[0];
    let planted = dir.path().join(format!("notes.db.before-{first}"));
    let their_place = dir.path().join("theirs.db");
    std::os::unix::fs::symlink(&their_place, &planted).unwrap();
    let repo = Repository::open(&path).unwrap();
    let backup = repo.backup_made().unwrap().to_path_buf();
    assert_ne!(backup, planted);
    assert!(!their_place.exists(), "the copy went through the link");
    let mode = fs::metadata(&backup).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the copy holds everything, so it is private");
    assert!(fs::metadata(&backup).unwrap().len() > 0);
}

/// Opens `path` expecting a refusal, and checks the folder is exactly as it was.
fn assert_refused(path: &Path) -> OpenError {
    let dir = path.parent().unwrap();
    let before = snapshot(dir);
    let error = match Repository::open(path) {
        Ok(_) => panic!("{} was opened", path.display()),
        Err(e) => e,
    };
    assert_eq!(
        snapshot(dir),
        before,
        "the refusal changed files in {}",
        dir.display()
    );
    assert!(!error.to_string().is_empty());
    error
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    fs::write(&text, "Just some text, long enough to have a header.\n").unwrap();
    assert!(matches!(assert_refused(&text), OpenError::NotSqlite { .. }));

    let dir = tempfile::tempdir().unwrap();
    let short = dir.path().join("tiny.db");
    fs::write(&short, b"SQLite").unwrap();
    assert!(matches!(
        assert_refused(&short),
        OpenError::NotSqlite { .. }
    ));
}

#[test]
fn a_damaged_sqlite_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.db");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend((0..8192u32).map(|i| (i * 7 % 251) as u8));
    fs::write(&path, bytes).unwrap();
    let error = assert_refused(&path);
    assert!(
        matches!(
            error,
            OpenError::NotSqlite { .. } | OpenError::Corrupt { .. }
        ),
        "{error:?}"
    );
}

#[test]
fn another_programs_sqlite_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    let mut conn = raw(&path);
    conn.batch_execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO accounts VALUES (1, 'x');")
        .unwrap();
    drop(conn);
    assert!(matches!(assert_refused(&path), OpenError::NotFolio { .. }));
}

#[test]
fn a_database_from_a_newer_folio_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    drop(Repository::open(&path).unwrap());
    let mut conn = raw(&path);
    conn.batch_execute(
        "INSERT INTO __diesel_schema_migrations (version, run_on) VALUES ('20991231000000', CURRENT_TIMESTAMP);
         PRAGMA wal_checkpoint(TRUNCATE);",
    )
    .unwrap();
    drop(conn);
    match assert_refused(&path) {
        OpenError::TooNew { found, .. } => assert_eq!(found, "20991231000000"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_read_only_file_that_needs_an_upgrade_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    let mut permissions = fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&path, permissions).unwrap();
    assert!(matches!(
        assert_refused(&path),
        OpenError::ReadOnlyNeedsUpgrade { .. }
    ));
}

#[test]
fn a_read_only_current_file_opens_for_reading_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ro.db");
    let mut repo = Repository::open(&path).unwrap();
    repo.create_note(&NewNote {
        title: "readable".into(),
        ..NewNote::default()
    })
    .unwrap();
    drop(repo);
    let mut permissions = fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&path, permissions).unwrap();
    let bytes = fs::read(&path).unwrap();

    let mut repo = Repository::open(&path).unwrap();
    assert!(repo.is_read_only());
    let page = repo
        .list_notes(&NoteQuery {
            search: "READ".into(),
            ..NoteQuery::default()
        })
        .unwrap();
    assert_eq!(page.total, 1);
    let error = repo.create_note(&NewNote::default()).unwrap_err();
    assert!(matches!(error, DbError::ReadOnly));
    drop(repo);
    assert_eq!(fs::read(&path).unwrap(), bytes);
}

#[test]
fn a_folder_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        Repository::open(dir.path()),
        Err(OpenError::Io { .. })
    ));
}

/// Writes `tests/fixtures/folio-v1.db`: a database made by the first schema only, with data in
/// every table. Kept in the repository so every future migration is tested against it.
/// Run with `cargo test --test db_open -- --ignored write_first_schema_fixture`.
#[test]
#[ignore = "writes the committed fixture; run by hand only"]
fn write_first_schema_fixture() {
    let path = Path::new(FIXTURE_V1);
    let _ = fs::remove_file(path);
    let mut conn = raw(path);
    conn.batch_execute("PRAGMA foreign_keys = ON;").unwrap();
    conn.run_next_migration(MIGRATIONS).unwrap();
    conn.batch_execute(include_str!("fixtures/folio-v1-data.sql"))
        .unwrap();
    conn.batch_execute("VACUUM;").unwrap();
    let migrated = scalar(
        &mut conn,
        "SELECT count(*) AS n FROM __diesel_schema_migrations",
    );
    assert_eq!(migrated, 1);
}
