//! Attachments at scale (issue 17): on a copy of a 100,000-note database, attaches a picture
//! to 10,000 notes and a 12-megapixel photo to one more (pinned, so the window opens it
//! first), then times the Markdown export, the HTML export and the backup of everything.
//!
//! `cargo bench --bench attachments -- SOURCE.folio WORK.folio`
//!
//! SOURCE is a database the repository bench filled (`cargo bench --bench repository --
//! CORPUS --db SOURCE`); WORK is made from it (an existing WORK is used as it is, so the UI
//! frame bench can then run on it: `cargo bench --bench ui_frame -- WORK`).

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Instant;

use folio::db::{NewAttachment, NewNote, NoteQuery, Repository};
use folio::exchange::{backup, export};

/// Notes that get a picture.
const WITH_PICTURES: usize = 10_000;

/// A small JPEG (about 70 KB), its first row marked with `seed` so no two are the same bytes
/// (the database stores equal files once).
fn small_picture(seed: usize) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(320, 240, |x, y| {
        if y < 8 && x < 128 {
            // Sixteen blocks of 8 × 8, black or white by the seed's bits.
            let bit = (seed >> (x / 8)) & 1;
            return image::Rgb([255 * bit as u8; 3]);
        }
        let v = (x as usize * 7 + y as usize * 13 + seed * 31) % 256;
        image::Rgb([v as u8, (v * 3 % 256) as u8, (seed % 256) as u8])
    });
    let mut jpeg = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    jpeg
}

/// A 4000 × 3000 camera-like JPEG (gradients and grain, a few MB).
fn twelve_megapixels() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(4000, 3000, |x, y| {
        let grain = ((x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) >> 13) % 24;
        image::Rgb([
            (x * 255 / 4000) as u8 ^ grain as u8,
            (y * 255 / 3000) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    let mut jpeg = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    jpeg
}

fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn size_of_tree(path: &Path) -> u64 {
    if path.is_file() {
        return path.metadata().map(|m| m.len()).unwrap_or(0);
    }
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| size_of_tree(&e.path()))
                .sum()
        })
        .unwrap_or(0)
}

fn fill(work: &Path) {
    let mut repo = Repository::open(work).unwrap();
    let notes = repo
        .list_notes(&NoteQuery {
            limit: WITH_PICTURES as i64,
            ..NoteQuery::default()
        })
        .unwrap()
        .items;
    let started = Instant::now();
    for (i, summary) in notes.iter().enumerate() {
        let bytes = small_picture(i);
        let attachment = repo
            .add_attachment(&NewAttachment {
                file_name: &format!("photo {i}.jpg"),
                media_type: "",
                bytes: &bytes,
                uuid: None,
                created: None,
            })
            .unwrap();
        let note = repo.note(summary.id).unwrap();
        let body = format!("{}\n\n{}\n", note.body, attachment.markdown_reference());
        repo.update_note(note.id, note.version, &note.title, &body)
            .unwrap();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "- attached a picture to {} notes in {seconds:.1} s ({:.0} a second, each stored and its note saved)",
        notes.len(),
        notes.len() as f64 / seconds
    );
    let photo = twelve_megapixels();
    let attachment = repo
        .add_attachment(&NewAttachment {
            file_name: "camera.jpg",
            media_type: "",
            bytes: &photo,
            uuid: None,
            created: None,
        })
        .unwrap();
    repo.create_note(&NewNote {
        title: "Twelve megapixels".into(),
        body: format!("A camera's photo:\n\n{}\n", attachment.markdown_reference()),
        // Pinned, so it heads the list (the corpus dates some notes in the future) and the UI
        // frame bench opens it.
        pinned: true,
        ..NewNote::default()
    })
    .unwrap();
    println!(
        "- a 4000 × 3000 JPEG of {:.1} MB in a pinned note",
        megabytes(photo.len() as u64)
    );
}

fn main() {
    let args: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .map(PathBuf::from)
        .collect();
    let [source, work] = args.as_slice() else {
        eprintln!("usage: cargo bench --bench attachments -- SOURCE.folio WORK.folio");
        std::process::exit(2);
    };
    if !work.exists() {
        std::fs::copy(source, work).unwrap();
        fill(work);
    }
    let mut repo = Repository::open(work).unwrap();
    let stats = repo.stats().unwrap();
    println!(
        "- {} notes, {} attachments of {:.0} MB; database file {:.0} MB",
        stats.notes,
        stats.attachments,
        megabytes(stats.attachment_bytes as u64),
        megabytes(size_of_tree(work))
    );
    let out = std::env::temp_dir().join(format!("folio-attachments-bench-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    println!(
        "\n| operation | seconds | notes a second | MB written | MB a second |\n|---|---|---|---|---|"
    );
    let row = |name: &str, seconds: f64, notes: usize, written: u64| {
        println!(
            "| {name} | {seconds:.1} | {:.0} | {:.0} | {:.0} |",
            notes as f64 / seconds,
            megabytes(written),
            megabytes(written) / seconds
        );
    };

    let folder = out.join("markdown");
    let started = Instant::now();
    let notes =
        export::export_markdown_folder(&mut repo, &folder, &export::NoteScope::All).unwrap();
    row(
        "Markdown export (notes + attachments/)",
        started.elapsed().as_secs_f64(),
        notes,
        size_of_tree(&folder),
    );
    std::fs::remove_dir_all(&folder).unwrap();

    let page = out.join("notes.html");
    let started = Instant::now();
    let notes = export::export_html_file(&mut repo, &page, false, &export::NoteScope::All).unwrap();
    row(
        "HTML export (pictures embedded)",
        started.elapsed().as_secs_f64(),
        notes,
        size_of_tree(&page),
    );
    std::fs::remove_file(&page).unwrap();

    let file = out.join("backup.json");
    let started = Instant::now();
    let summary = backup::write_backup(&mut repo, &file, false).unwrap();
    row(
        "JSON backup (attachments in base64)",
        started.elapsed().as_secs_f64(),
        summary.notes,
        size_of_tree(&file),
    );
    std::fs::remove_dir_all(&out).unwrap();
}
