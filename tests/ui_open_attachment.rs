//! A click on an attached file's link in a note's preview, or on Open in the strip, opens a
//! copy of the file in the system's program (here a script standing in for it, through
//! `FOLIO_OPEN_WITH`). A test binary of its own: it sets the process's environment.

// A test fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_support;

use std::time::{Duration, Instant};

use egui::{Key, Modifiers};
use ui_support::{App, note};

#[test]
fn open_gives_the_system_a_copy_of_the_file_from_the_strip_and_from_the_preview() {
    let dir = tempfile::tempdir().unwrap();
    let opened = dir.path().join("opened.txt");
    let opener = dir.path().join("open.sh");
    std::fs::write(
        &opener,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            opened.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    // SAFETY: the only test of this binary sets it before the app starts any thread.
    unsafe { std::env::set_var("FOLIO_OPEN_WITH", &opener) };

    let mut app = App::start(|repo| {
        let manual = repo
            .add_attachment(&folio::db::NewAttachment {
                file_name: "manual & notes.pdf",
                media_type: "",
                bytes: b"%PDF-1.7 the manual",
                uuid: None,
                created: None,
            })
            .unwrap();
        note(
            repo,
            "Washer",
            &format!("See [the manual](attachment:{}).", manual.uuid),
        );
    });
    app.click("Washer");
    app.click("Open manual & notes.pdf");
    assert!(
        app.harness.state().error().is_none(),
        "{:?}",
        app.harness.state().error().map(|e| e.message.clone())
    );
    app.press(Modifiers::COMMAND, Key::E);
    app.click("the manual");

    // The opener runs on its own; wait for both lines.
    let started = Instant::now();
    let lines = loop {
        let text = std::fs::read_to_string(&opened).unwrap_or_default();
        let lines: Vec<String> = text.lines().map(str::to_owned).collect();
        if lines.len() >= 2 || started.elapsed() > Duration::from_secs(10) {
            break lines;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(lines.len(), 2, "{lines:?}");
    for line in &lines {
        // A plain name (no `&` for a shell to read), the bytes of the file.
        assert!(line.ends_with("manual _ notes.pdf"), "{line}");
        assert_eq!(std::fs::read(line).unwrap(), b"%PDF-1.7 the manual");
        // In /tmp, which every user reads: the copy and its folder are the user's alone.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = std::path::Path::new(line);
            let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode();
            assert_eq!(mode(file) & 0o077, 0, "{line}");
            assert_eq!(mode(file.parent().unwrap()) & 0o077, 0, "{line}");
        }
    }
}
