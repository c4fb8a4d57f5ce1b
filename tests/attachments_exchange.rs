//! Attachments through Markdown export and import and the HTML export (issue 17, part 3).

// A test fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use folio::db::{Attachment, NoteQuery, Repository, content_hash};
use folio::exchange::export::{self, NoteScope};
use folio::exchange::import;

/// Every note's body, by title.
fn bodies(repo: &mut Repository) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = repo
        .all_records()
        .unwrap()
        .notes
        .into_iter()
        .map(|n| (n.title, n.body))
        .collect();
    all.sort();
    all
}

fn hashes(repo: &mut Repository) -> Vec<String> {
    let mut all: Vec<String> = repo
        .all_records()
        .unwrap()
        .attachments
        .into_iter()
        .map(|a| a.attachment.hash)
        .collect();
    all.sort();
    all
}

/// A database with a picture, a PDF and a picture two notes share, one name with a space.
fn album(repo: &mut Repository) -> (Attachment, Attachment, Attachment) {
    let photo = common::attach(repo, "beach photo.png", &common::png_like(1));
    let manual = common::attach(repo, "manual.pdf", b"%PDF-1.7 manual");
    let shared = common::attach(repo, "map.png", &common::png_like(2));
    common::note(
        repo,
        "Holiday",
        &format!(
            "Look:\n\n{}\n\nAnd the [manual](attachment:{}).\n\n{}",
            photo.markdown_reference(),
            manual.uuid,
            shared.markdown_reference()
        ),
    );
    common::note(
        repo,
        "Route",
        &format!("Map: {}", shared.markdown_reference()),
    );
    (photo, manual, shared)
}

#[test]
fn a_markdown_export_writes_the_files_beside_the_notes_and_an_import_reads_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = common::repo();
    let (photo, manual, shared) = album(&mut repo);
    let out = dir.path().join("export");
    export::export_markdown_folder(&mut repo, &out, &NoteScope::All).unwrap();

    let holiday = fs::read_to_string(out.join("Holiday.md")).unwrap();
    assert!(
        holiday.contains("![beach photo.png](attachments/beach%20photo.png)"),
        "{holiday}"
    );
    assert!(
        holiday.contains("[manual](attachments/manual.pdf)"),
        "{holiday}"
    );
    assert!(!holiday.contains("attachment:"), "{holiday}");
    let route = fs::read_to_string(out.join("Route.md")).unwrap();
    assert!(
        route.contains("(attachments/map.png)"),
        "one file for both notes: {route}"
    );
    assert_eq!(
        fs::read(out.join("attachments/beach photo.png")).unwrap(),
        common::png_like(1)
    );
    assert_eq!(
        fs::read(out.join("attachments/manual.pdf")).unwrap(),
        b"%PDF-1.7 manual"
    );
    assert_eq!(fs::read_dir(out.join("attachments")).unwrap().count(), 3);

    // Into another database: the same bytes by hash, linked from the same notes.
    let mut other = common::repo();
    let report = import::import_paths(&mut other, std::slice::from_ref(&out)).unwrap();
    assert_eq!(report.notes.added, 2);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!(hashes(&mut other), hashes(&mut repo));
    let notes = other.list_notes(&NoteQuery::default()).unwrap().items;
    let holiday = notes.iter().find(|n| n.title == "Holiday").unwrap();
    let names: Vec<String> = other
        .attachments_of_note(holiday.id)
        .unwrap()
        .into_iter()
        .map(|a| a.file_name)
        .collect();
    assert_eq!(names, ["beach photo.png", "manual.pdf", "map.png"]);
    for original in [&photo, &manual, &shared] {
        let copy = other
            .all_records()
            .unwrap()
            .attachments
            .into_iter()
            .find(|a| a.attachment.file_name == original.file_name)
            .unwrap();
        assert_eq!(copy.attachment.hash, original.hash);
    }

    // A second import of the same folder adds nothing.
    let before = (bodies(&mut other), other.stats().unwrap());
    let again = import::import_paths(&mut other, std::slice::from_ref(&out)).unwrap();
    assert_eq!(again.notes.added + again.notes.updated, 0, "{again:?}");
    assert_eq!((bodies(&mut other), other.stats().unwrap()), before);
}

#[test]
fn an_exported_note_shows_its_picture_in_python_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = common::repo();
    album(&mut repo);
    let out = dir.path().join("export");
    export::export_markdown_folder(&mut repo, &out, &NoteScope::All).unwrap();
    // Debian's python3-markdown (installed by .ci/run), as a reader other than Folio.
    let script = "import sys, markdown; print(markdown.markdown(open(sys.argv[1]).read()))";
    let run = Command::new("/usr/bin/python3")
        .args(["-c", script])
        .arg(out.join("Holiday.md"))
        .output();
    let html = match run {
        Ok(out) if out.status.success() => String::from_utf8(out.stdout).unwrap(),
        other => {
            assert!(
                std::env::var_os("FOLIO_REQUIRE_TOOLS").is_none(),
                "Python-Markdown is required here (FOLIO_REQUIRE_TOOLS is set): {other:?}"
            );
            eprintln!("Python-Markdown is not installed: its check was not run");
            return;
        }
    };
    assert!(
        html.contains(r#"<img alt="beach photo.png" src="attachments/beach%20photo.png" />"#),
        "{html}"
    );
    // The link resolves, beside the note, to the picture's bytes.
    let src = "attachments/beach photo.png";
    assert_eq!(fs::read(out.join(src)).unwrap(), common::png_like(1));
}

fn write(path: &Path, bytes: &[u8]) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

#[test]
fn an_import_attaches_local_files_and_reads_nothing_outside_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("vault");
    write(&dir.path().join("secret.txt"), b"do not read me");
    write(&notes.join(".ssh/id_rsa"), b"PRIVATE KEY");
    write(&notes.join("img/photo.png"), &common::png_like(3));
    write(
        &notes.join("trips/scan one.jpg"),
        b"\xff\xd8\xff\xe0 a jpeg",
    );
    write(&notes.join("trips/other.md"), b"# Other\n");
    write(
        &notes.join("trips/Paris.md"),
        "# Paris\n\n![the photo](../img/photo.png)\n\
         <img alt=\"scan\" src=\"scan%20one.jpg\">\n\
         [next day](other.md) ![web](https://example.org/x.png)\n\
         ![gone](missing.png) [secret](../../secret.txt) [key](../.ssh/id_rsa)\n"
            .as_bytes(),
    );
    let mut repo = common::repo();
    let report = import::import_paths(&mut repo, std::slice::from_ref(&notes)).unwrap();
    assert_eq!(report.notes.added, 2);
    let words: Vec<String> = report.warnings.iter().map(|w| w.reason.clone()).collect();
    assert_eq!(words.len(), 3, "{words:?}");
    assert!(
        words[2].contains("id_rsa") && words[2].contains("hidden"),
        "{words:?}"
    );
    assert!(
        words[0].contains("missing.png") && words[0].contains("not found"),
        "{words:?}"
    );
    assert!(
        words[1].contains("secret.txt") && words[1].contains("outside"),
        "{words:?}"
    );

    let paris = repo
        .list_notes(&NoteQuery::default())
        .unwrap()
        .items
        .into_iter()
        .find(|n| n.title == "Paris")
        .unwrap();
    let attached = repo.attachments_of_note(paris.id).unwrap();
    let names: Vec<&str> = attached.iter().map(|a| a.file_name.as_str()).collect();
    assert_eq!(names, ["photo.png", "scan one.jpg"]);
    assert_eq!(attached[1].media_type, "image/jpeg");
    assert_eq!(attached[0].hash, content_hash(&common::png_like(3)));
    let body = repo.note(paris.id).unwrap().body;
    assert!(
        body.contains(&format!("![the photo](attachment:{})", attached[0].uuid)),
        "{body}"
    );
    assert!(
        body.contains(&format!("![scan](attachment:{})", attached[1].uuid)),
        "{body}"
    );
    // Left as written: a link to a note, a remote picture, a missing file, a path outside.
    for kept in [
        "[next day](other.md)",
        "(https://example.org/x.png)",
        "![gone](missing.png)",
        "[secret](../../secret.txt)",
        "[key](../.ssh/id_rsa)",
    ] {
        assert!(body.contains(kept), "{kept} in {body}");
    }
    assert_eq!(
        repo.stats().unwrap().attachments,
        2,
        "nothing outside was read"
    );
}

#[test]
fn the_html_export_embeds_pictures_and_names_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = common::repo();
    let (photo, _, _) = album(&mut repo);
    let file = dir.path().join("notes.html");
    export::export_html_file(&mut repo, &file, false, &NoteScope::All).unwrap();
    let html = fs::read_to_string(&file).unwrap();
    use base64::Engine;
    let embedded = format!(
        "src=\"data:image/png;base64,{}\"",
        base64::engine::general_purpose::STANDARD.encode(common::png_like(1))
    );
    assert!(html.contains(&embedded), "the picture is in the page");
    assert!(
        html.contains(
            "<p class=\"meta\" id=\"note-1-files\">Attached: beach photo.png (308 bytes), manual.pdf (15 bytes), map.png (308 bytes)</p>"
        ),
        "{html}"
    );
    assert!(html.contains("href=\"#note-1-files\">manual</a>"), "{html}");
    assert!(
        !html.contains(&photo.uuid),
        "no attachment: link is left dangling"
    );
}

#[test]
fn a_note_imported_by_its_bare_name_brings_the_picture_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("img/photo.png"), &common::png_like(11));
    write(
        &dir.path().join("Trip.md"),
        b"# Trip\n\n![photo](img/photo.png)\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .current_dir(dir.path())
        .args(["--db", "notes.folio", "import", "Trip.md"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut repo = Repository::open(dir.path().join("notes.folio")).unwrap();
    assert_eq!(repo.stats().unwrap().attachments, 1);
}

#[test]
fn an_export_read_back_into_its_own_database_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = common::repo();
    // Names the export must change: a character Windows refuses, and two alike.
    let odd = common::attach(&mut repo, "what?.png", &common::png_like(12));
    let twin = common::attach(&mut repo, "what-.png", &common::png_like(13));
    common::note(
        &mut repo,
        "Odd names",
        &format!(
            "{}\n{}\n",
            odd.markdown_reference(),
            twin.markdown_reference()
        ),
    );
    let out = dir.path().join("export");
    export::export_markdown_folder(&mut repo, &out, &NoteScope::All).unwrap();
    let before = (bodies(&mut repo), repo.stats().unwrap());
    let report = import::import_paths(&mut repo, std::slice::from_ref(&out)).unwrap();
    assert_eq!(
        report.notes.added + report.notes.updated + report.notes.conflicts,
        0
    );
    assert_eq!((bodies(&mut repo), repo.stats().unwrap()), before);
}
