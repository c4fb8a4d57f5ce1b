//! Import and export speed on the shared corpus:
//!
//! `cargo bench --bench exchange -- CORPUS` with CORPUS made by
//! `python3 ../shared/bench/gen_corpus.py --notes 100000 --contacts 10000 --seed 1 --out DIR`.
//!
//! Imports `CORPUS/contacts.vcf` into an empty database and exports those contacts as vCard
//! and CSV; then imports `CORPUS/notes` (Markdown with front matter) into a fresh database,
//! exports the notes to a new folder of Markdown files and writes a JSON backup of everything,
//! timing each, and checks the counts against `expected.json`. `--contacts-only` stops after
//! the contacts.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use std::time::Instant;

use common::{cpu_model, status_kb};
use folio::db::Repository;
use folio::exchange::export::{ContactFormat, ContactScope};
use folio::exchange::vcard::CardVersion;
use folio::exchange::{backup, export, import};

/// The contacts: vCard import into an empty database, then exports, then the vCard export
/// imported again into another empty database (nothing may be lost on the way).
fn contacts(corpus: &std::path::Path, work: &std::path::Path, expected: &serde_json::Value) {
    let cards = corpus.join("contacts.vcf");
    let mut repo = Repository::open(work.join("contacts.db")).expect("a database");
    let started = Instant::now();
    let report = import::import_paths(&mut repo, std::slice::from_ref(&cards)).expect("the import");
    let import_s = started.elapsed().as_secs_f64();
    println!(
        "- import of {} vCards (index included): {:.2} s, {:.0} cards/s; {} skipped; {} possible duplicates; expected {}",
        report.contacts.added,
        import_s,
        report.contacts.added as f64 / import_s,
        report.skipped.len(),
        report.possible_duplicates.len(),
        expected["contacts"]["count"]
    );
    // The parts of that import on their own: reading the cards, and finding duplicates.
    let started = Instant::now();
    let text = std::fs::read_to_string(&cards).expect("the cards");
    let read = folio::exchange::vcard::read_cards(&text);
    println!(
        "  - of which reading and parsing the {} cards: {:.2} s",
        read.contacts.len(),
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let everyone: Vec<_> = (1..=read.contacts.len() as i32)
        .map(folio::db::ContactId)
        .collect();
    let flagged = repo.possible_duplicates(&everyone).expect("duplicates");
    println!(
        "  - of which finding possible duplicates ({}): {:.2} s",
        flagged.len(),
        started.elapsed().as_secs_f64()
    );
    for (format, name) in [
        (ContactFormat::VCard(CardVersion::V4), "contacts4.vcf"),
        (ContactFormat::VCard(CardVersion::V3), "contacts3.vcf"),
        (
            ContactFormat::Csv {
                excel: false,
                semicolons: false,
            },
            "contacts.csv",
        ),
    ] {
        let started = Instant::now();
        let written = export::export_contacts_file(
            &mut repo,
            &work.join(name),
            false,
            format,
            &ContactScope::All,
        )
        .expect("the export");
        println!(
            "- export of {written} contacts to {name}: {:.2} s",
            started.elapsed().as_secs_f64()
        );
    }
    let mut again = Repository::open(work.join("again.db")).expect("a database");
    let started = Instant::now();
    let report =
        import::import_paths(&mut again, &[work.join("contacts4.vcf")]).expect("the import");
    println!(
        "- import of that vCard 4.0 export into an empty database: {:.2} s, {} contacts",
        started.elapsed().as_secs_f64(),
        report.contacts.added
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(corpus) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench exchange -- CORPUS");
        std::process::exit(2);
    };
    let expected: serde_json::Value = std::fs::read(corpus.join("expected.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let work = tempfile::tempdir_in(std::env::temp_dir()).expect("a scratch folder");
    // `--db PATH` keeps the imported database there, and a later run with the same PATH skips
    // the import and measures the exports alone.
    let db = args
        .iter()
        .position(|a| a == "--db")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .unwrap_or_else(|| work.path().join("import.db"));
    let reuse = db.exists();
    let mut repo = Repository::open(&db).expect("the database");

    println!("# Folio import and export ({})", corpus.display());
    println!(
        "\n- Machine: {}, {} cores",
        cpu_model(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    contacts(&corpus, work.path(), &expected);
    if args.iter().any(|a| a == "--contacts-only") {
        return;
    }

    if reuse {
        println!("- reusing {} (no import)", db.display());
    } else {
        let started = Instant::now();
        let report = import::import_paths(&mut repo, &[corpus.join("notes")]).expect("the import");
        let import_s = started.elapsed().as_secs_f64();
        let notes = report.notes.added;
        println!(
            "- import of {notes} Markdown notes (index included): {import_s:.1} s, {:.0} notes/s; {} skipped; expected {}",
            notes as f64 / import_s,
            report.skipped.len(),
            expected["notes"]["count"]
        );
    }

    let started = Instant::now();
    let records = repo.all_records().expect("the records");
    println!(
        "- reading every note and contact (all_records): {:.2} s",
        started.elapsed().as_secs_f64()
    );
    drop(records);

    let started = Instant::now();
    let folder = work.path().join("export");
    let written = export::export_markdown_folder(&mut repo, &folder, &export::NoteScope::All)
        .expect("the export");
    println!(
        "- export of {written} notes to Markdown files: {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let summary = backup::write_backup(&mut repo, &work.path().join("backup.json"), false)
        .expect("the backup");
    let size = std::fs::metadata(work.path().join("backup.json")).map_or(0, |m| m.len());
    println!(
        "- JSON backup of {} notes and {} contacts: {:.2} s, {:.0} MB",
        summary.notes,
        summary.contacts,
        started.elapsed().as_secs_f64(),
        size as f64 / 1e6
    );

    let started = Instant::now();
    let mut restored = Repository::open(work.path().join("restored.db")).expect("a database");
    let merged = backup::restore_backup(&mut restored, &work.path().join("backup.json"))
        .expect("the restore");
    println!(
        "- restore of that backup into an empty database: {:.1} s ({} notes)",
        started.elapsed().as_secs_f64(),
        merged.notes.added
    );
    println!(
        "- peak memory (RSS): {} MB",
        status_kb("VmHWM:").unwrap_or(0) / 1024
    );
}
