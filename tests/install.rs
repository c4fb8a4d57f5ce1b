//! scripts/install.sh and scripts/uninstall.sh, run for a made-up home: what a launcher needs
//! is installed where the XDG directories say, and uninstalling removes it all.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

fn run(script: &str, home: &Path, args: &[&str]) -> String {
    let out = Command::new("bash")
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("scripts")
                .join(script),
        )
        .args(args)
        .env("HOME", home)
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_BIN_HOME")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn install_puts_the_app_in_the_launcher_and_uninstall_takes_it_all_away() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let binary = env!("CARGO_BIN_EXE_folio");
    let said = run("install.sh", home, &["--binary", binary]);
    assert!(said.contains("Installed Folio"), "{said}");

    let data = home.join(".local/share");
    let installed = [
        home.join(".local/bin/folio"),
        data.join("applications/folio.desktop"),
        data.join("icons/hicolor/48x48/apps/folio.png"),
        data.join("icons/hicolor/512x512/apps/folio.png"),
        data.join("icons/hicolor/scalable/apps/folio.svg"),
        data.join("mime/packages/folio.xml"),
        data.join("metainfo/io.github.folio.Folio.metainfo.xml"),
    ];
    for file in &installed {
        assert!(file.is_file(), "{} missing", file.display());
    }
    let desktop = std::fs::read_to_string(&installed[1]).unwrap();
    let exec = format!("Exec=\"{}\" %f", home.join(".local/bin/folio").display());
    assert!(desktop.contains(&exec), "{desktop}");
    for line in [
        "Name=Folio",
        "GenericName=Notes and Contacts",
        "Icon=folio",
        "Categories=Office;",
        "MimeType=application/x-folio;",
    ] {
        assert!(desktop.contains(line), "{line} in {desktop}");
    }
    // The installed binary is the one built, and runs.
    let version = Command::new(&installed[0])
        .arg("--version")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("folio "));

    let said = run("uninstall.sh", home, &[]);
    assert!(said.contains("Removed Folio"), "{said}");
    for file in &installed {
        assert!(!file.exists(), "{} left behind", file.display());
    }
}

#[test]
fn the_desktop_entry_and_the_file_type_are_well_formed() {
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    let desktop = std::fs::read_to_string(assets.join("folio.desktop")).unwrap();
    assert!(desktop.starts_with("[Desktop Entry]\n"));
    for line in desktop.lines().skip(1).filter(|l| !l.is_empty()) {
        let (key, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("not key=value: {line}"));
        assert!(!key.is_empty() && !value.is_empty(), "{line}");
    }
    if let Some(out) = run_validator("desktop-file-validate", &[&assets.join("folio.desktop")]) {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let mime = std::fs::read_to_string(assets.join("folio-mime.xml")).unwrap();
    assert!(mime.contains(r#"<glob pattern="*.folio"/>"#));
    assert!(mime.contains(r#"value="SQLite format 3\000""#));
}

/// Runs a system validator, or says it is missing: `None` where it is not installed, which
/// is allowed on a developer's machine but is a failure in CI (`FOLIO_REQUIRE_TOOLS=1`, set by
/// `.ci/run`, which installs them), so a missing tool can never make a red check look green.
fn run_validator(tool: &str, args: &[&Path]) -> Option<std::process::Output> {
    run_validator_with(Command::new(tool).args(args))
}

fn run_validator_with(command: &mut Command) -> Option<std::process::Output> {
    let tool = command.get_program().to_string_lossy().into_owned();
    match command.output() {
        Ok(out) => Some(out),
        Err(e) => {
            assert!(
                std::env::var_os("FOLIO_REQUIRE_TOOLS").is_none(),
                "{tool} is required here (FOLIO_REQUIRE_TOOLS is set) but could not run: {e}"
            );
            eprintln!("{tool} is not installed: its check was not run");
            None
        }
    }
}

#[test]
fn the_software_centre_entry_passes_appstreamcli() {
    let metainfo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join("io.github.folio.Folio.metainfo.xml");
    // --no-net: CI has no business fetching the screenshots' URLs.
    if let Some(out) = run_validator(
        "appstreamcli",
        &[Path::new("validate"), Path::new("--no-net"), &metainfo],
    ) {
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_file_type_is_understood_by_shared_mime_info() {
    // update-mime-database compiles the package into a database as a desktop would; a
    // malformed package fails, and the compiled globs must map *.folio to Folio's type.
    let data = tempfile::tempdir().unwrap();
    let database = data.path().join("mime");
    let packages = database.join("packages");
    std::fs::create_dir_all(&packages).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets")
            .join("folio-mime.xml"),
        packages.join("folio.xml"),
    )
    .unwrap();
    // Named as the user's data folder, so the tool has no reason to warn on stderr.
    if let Some(out) = run_validator_with(
        Command::new("update-mime-database")
            .arg(&database)
            .env("XDG_DATA_HOME", data.path()),
    ) {
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let globs = std::fs::read_to_string(database.join("globs2")).unwrap();
        assert!(
            globs
                .lines()
                .any(|l| l.ends_with(":application/x-folio:*.folio")),
            "{globs}"
        );
    }
}

#[test]
fn the_log_goes_to_folio_log_in_the_data_folder() {
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("notes.folio");
    // No display: the window cannot open, which is logged too.
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("--db")
        .arg(&db)
        .env("XDG_DATA_HOME", data.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let log = std::fs::read_to_string(data.path().join("folio/folio.log")).unwrap();
    assert!(
        log.contains(&format!("starting on {}", db.display())),
        "{log}"
    );
    assert!(log.contains("the window could not be opened"), "{log}");
}
