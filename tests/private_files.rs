//! Files Folio makes honour the user's umask, and what holds everything is private whatever
//! the umask. The umask belongs to the whole process, so each case runs the real `folio` in
//! a shell that set it first.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

/// Runs `folio ARGS` under `umask`, expecting success.
fn folio_with_umask(umask: &str, args: &[&Path]) {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "folio {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A database under `dir` (in a folder Folio must make) holding one imported note.
fn database_with_a_note(dir: &Path, umask: &str) -> std::path::PathBuf {
    let note = dir.join("hello.md");
    std::fs::write(&note, "# Hello\n\nA private thought.\n").unwrap();
    let db = dir.join("data/folio/notes.folio");
    folio_with_umask(umask, &[Path::new("--db"), &db, Path::new("import"), &note]);
    db
}

#[test]
fn a_new_database_and_its_folders_are_private_whatever_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_with_a_note(dir.path(), "022");
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(db.parent().unwrap()), 0o700);
    assert_eq!(mode(&dir.path().join("data")), 0o700);
}

#[test]
fn a_backup_is_private_whatever_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_with_a_note(dir.path(), "022");
    let backup = dir.path().join("everything.json");
    folio_with_umask(
        "022",
        &[Path::new("--db"), &db, Path::new("backup"), &backup],
    );
    assert_eq!(mode(&backup), 0o600);
}

#[test]
fn exports_follow_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_with_a_note(dir.path(), "077");
    for (umask, file_mode, folder_mode) in [("077", 0o600, 0o700), ("022", 0o644, 0o755)] {
        let html = dir.path().join(format!("notes-{umask}.html"));
        let folder = dir.path().join(format!("notes-{umask}"));
        for (format, target) in [("html", &html), ("md", &folder)] {
            folio_with_umask(
                umask,
                &[
                    Path::new("--db"),
                    &db,
                    Path::new("export"),
                    Path::new("--format"),
                    Path::new(format),
                    Path::new("--out"),
                    target,
                ],
            );
        }
        assert_eq!(mode(&html), file_mode, "HTML under umask {umask}");
        assert_eq!(
            mode(&folder),
            folder_mode,
            "Markdown folder under umask {umask}"
        );
        let note = folder.join("Hello.md");
        assert_eq!(
            mode(&note),
            file_mode,
            "{} under umask {umask}",
            note.display()
        );
    }
}

#[test]
fn a_link_planted_where_the_database_will_be_is_not_followed() {
    // A link to a file not made yet: following it would create the database wherever the link
    // points (another user's choice of place).
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("elsewhere.folio");
    let db = dir.path().join("notes.folio");
    std::os::unix::fs::symlink(&target, &db).unwrap();
    let note = dir.path().join("hello.md");
    std::fs::write(&note, "# Hello\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("--db")
        .arg(&db)
        .arg("import")
        .arg(&note)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!target.exists(), "the link was followed");
}

#[test]
fn the_data_folder_made_at_start_up_is_private() {
    // The window starts its log before it opens the database, so the log makes the folder on a
    // first start. No display here: the window cannot open, but the folder is made first.
    let data = tempfile::tempdir().unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg("umask 022 && exec \"$0\" --db \"$1\"")
        .arg(env!("CARGO_BIN_EXE_folio"))
        .arg(data.path().join("notes.folio"))
        .env("XDG_DATA_HOME", data.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .output()
        .unwrap();
    assert!(!out.status.success(), "no display, no window");
    assert_eq!(mode(&data.path().join("folio")), 0o700);
}
