//! Note history at scale (issue 18, part 1): on a copy of a 100,000-note database, ten editing
//! sessions on each of 10,000 notes. Times every save (the first of a session keeps a
//! revision; the others do not), measures how much the file grew against the size of the
//! notes' text, times opening History… on edited notes, and times thinning in steps.
//!
//! `cargo bench --bench history -- SOURCE.folio WORK.folio`
//!
//! SOURCE is a database the repository bench filled (`cargo bench --bench repository --
//! CORPUS --db SOURCE`); WORK is made from it and left behind for a look.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{cpu_model, percentile};
use folio::db::{EditSession, HistoryRetention, NoteId, Repository, Timestamp};

/// Notes edited, and the sessions on each.
const EDITED_NOTES: usize = 10_000;
const SESSIONS: usize = 10;
/// Notes whose History… is opened for timing.
const HISTORIES_OPENED: usize = 300;

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn summary(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    println!(
        "- {name}: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} runs)",
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
        ms.last().copied().unwrap_or(f64::NAN),
        ms.len()
    );
}

/// One number from a read-only question over the file.
fn ask(path: &Path, sql: &str) -> i64 {
    let mut console = folio::sql_console::SqlConsole::open(path).unwrap();
    let answer = console.run(sql, 1, Duration::from_secs(600)).unwrap();
    answer.rows[0][0].to_text().parse().unwrap_or(0)
}

/// What a session changes: a word in the middle becomes another, and a line is added at the
/// end, as people edit (the text stays about as long).
fn edited(body: &str, session: usize) -> String {
    let mut words: Vec<&str> = body.split(' ').collect();
    let replacement = format!("edit{session}");
    if !words.is_empty() {
        let at = (words.len() * (session + 1)) / (SESSIONS + 2);
        words[at] = &replacement;
    }
    let mut text = words.join(" ");
    text.push_str(&format!("\nSession {session}: a line added."));
    text
}

fn file_bytes(path: &Path) -> u64 {
    path.metadata().map(|m| m.len()).unwrap_or(0)
}

fn main() {
    let args: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .map(PathBuf::from)
        .collect();
    let [source, work] = args.as_slice() else {
        eprintln!("usage: cargo bench --bench history -- SOURCE.folio WORK.folio");
        std::process::exit(2);
    };
    let _ = std::fs::remove_file(work);
    std::fs::copy(source, work).unwrap();
    let mut repo = Repository::open(work).unwrap();
    let notes_count = ask(work, "SELECT count(*) FROM notes");
    let text_bytes = ask(
        work,
        "SELECT sum(length(CAST(title AS BLOB)) + length(CAST(body AS BLOB))) FROM notes",
    );
    repo.checkpoint().unwrap();
    let before = file_bytes(work);
    println!("# Folio history benchmark\n");
    println!(
        "- Machine: {}; SQLite {}; {notes_count} notes, {:.1} MB of title and body text; file {:.1} MB",
        cpu_model(),
        repo.sqlite_version().unwrap_or_default(),
        text_bytes as f64 / 1e6,
        before as f64 / 1e6
    );

    let step = (notes_count as usize / EDITED_NOTES).max(1);
    let ids: Vec<NoteId> = (0..EDITED_NOTES)
        .map(|i| NoteId((i * step + 1) as i32))
        .collect();
    let mut session_starts = Vec::with_capacity(EDITED_NOTES * SESSIONS);
    let mut continuing = Vec::with_capacity(EDITED_NOTES * SESSIONS);
    let started = Instant::now();
    let mut edited_text: i64 = 0;
    for session in 0..SESSIONS {
        for id in &ids {
            let note = repo.note(*id).unwrap();
            let body = edited(&note.body, session);
            let t = Instant::now();
            let saved = repo
                .update_note_with(
                    note.id,
                    note.version,
                    &note.title,
                    &body,
                    EditSession::Starts,
                )
                .unwrap();
            session_starts.push(millis(t.elapsed()));
            // A second save in the same session (typing went on): keeps nothing.
            let more = format!("{body} More.");
            let t = Instant::now();
            repo.update_note_with(
                note.id,
                saved.version,
                &note.title,
                &more,
                EditSession::Continues,
            )
            .unwrap();
            continuing.push(millis(t.elapsed()));
            edited_text += (note.title.len() + note.body.len()) as i64;
        }
    }
    println!(
        "- {} sessions on {} notes in {:.0} s",
        SESSIONS,
        ids.len(),
        started.elapsed().as_secs_f64()
    );
    let mut all: Vec<f64> = session_starts.iter().chain(&continuing).copied().collect();
    summary(
        "autosave, first save of a session (keeps a revision)",
        session_starts,
    );
    summary("autosave, later saves of a session", continuing);
    all.sort_by(f64::total_cmp);
    println!("- autosave, all saves: p50 {:.2} ms", percentile(&all, 0.5));

    repo.checkpoint().unwrap();
    let after = file_bytes(work);
    let (revisions, stored) = repo.history_totals().unwrap();
    let growth = after.saturating_sub(before) as f64;
    println!(
        "- {revisions} revisions of {:.1} MB of text, stored in {:.1} MB ({:.0}%); the file grew {:.1} MB: {:.1}% of all notes' text ({:.1} MB)",
        edited_text as f64 / 1e6,
        stored as f64 / 1e6,
        100.0 * stored as f64 / edited_text as f64,
        growth / 1e6,
        100.0 * growth / text_bytes as f64,
        text_bytes as f64 / 1e6,
    );
    for (table, bytes) in repo.storage_by_table().unwrap().iter().take(6) {
        println!("  - {table}: {:.1} MB", *bytes as f64 / 1e6);
    }

    // History… on edited notes: read, compare each revision's first changed line, and compare
    // the newest with the text now, as the window does before it draws.
    let mut opened = Vec::new();
    for id in ids.iter().step_by(EDITED_NOTES / HISTORIES_OPENED) {
        let uuid = repo.note(*id).unwrap().uuid;
        let t = Instant::now();
        let history = folio::ui::state::history::read_history(&mut repo, &uuid).unwrap();
        let (_, newest, _) = history.newest_text().unwrap();
        let comparison = folio::history::compare(&history.rows[0].revision.body, newest);
        opened.push(millis(t.elapsed()));
        assert_eq!(history.rows.len(), SESSIONS);
        assert!(comparison.lines_added > 0);
    }
    summary("History… opened (10 revisions read, compared)", opened);

    // Two years on, the rule thins the sessions of one day to one; in steps of 64 notes.
    let later = Timestamp(Timestamp::now().0 + 2 * 365 * 24 * 60 * 60 * 1000);
    let mut steps = Vec::new();
    let mut after_uuid = None;
    loop {
        let t = Instant::now();
        after_uuid = repo
            .thin_history_step(
                &HistoryRetention::default(),
                later,
                after_uuid.as_deref(),
                64,
            )
            .unwrap();
        steps.push(millis(t.elapsed()));
        if after_uuid.is_none() {
            break;
        }
    }
    let (left, _) = repo.history_totals().unwrap();
    summary("thinning, one step of 64 notes", steps);
    println!("- revisions left after thinning two years on: {left} (one a month per note)");
}
