//! Repository benchmark at scale, on the corpus of `../shared/bench/gen_corpus.py`.
//!
//! ```sh
//! python3 ../shared/bench/gen_corpus.py --notes 100000 --contacts 10000 --seed 1 --out /tmp/c100k
//! cargo bench --bench repository -- /tmp/c100k              # 100,000 notes
//! cargo bench --bench repository -- /tmp/c100k --replicate 10   # the same notes ×10: 1,000,000
//! ```
//!
//! It imports every note through `Repository::import_notes_from` (one transaction, index
//! included) into a fresh file, then times the 50 corpus queries (count + first page of 50 with
//! tags, as the reference scripts do), the first page of the list, and autosave. Every search
//! result is checked against a plain scan of the corpus with Folio's own folding; the counts are
//! also compared with `expected.json`'s Unicode-lower-case counts. Prints Markdown.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{cpu_model, percentile, status_kb};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use folio::db::{IndexMerge, NewNote, NoteId, NoteQuery, Repository, Timestamp};
use folio::search::{PhoneDigits, fold, matches, parse_query};

struct Options {
    corpus: PathBuf,
    replicate: usize,
    reps: usize,
    db: Option<PathBuf>,
}

fn options() -> Options {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut options = Options {
        corpus: PathBuf::from("/tmp/bench-corpus/n100000"),
        replicate: 1,
        reps: 5,
        db: None,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--replicate" => {
                options.replicate = args.next().and_then(|v| v.parse().ok()).unwrap_or(1)
            }
            "--reps" => options.reps = args.next().and_then(|v| v.parse().ok()).unwrap_or(5),
            "--db" => options.db = args.next().map(PathBuf::from),
            other => options.corpus = PathBuf::from(other),
        }
    }
    options
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// "2018-12-18T01:29:43Z" → milliseconds since the epoch.
fn parse_utc(text: &str) -> Option<Timestamp> {
    let num = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let days = days_from_civil(num(0..4)?, num(5..7)?, num(8..10)?);
    let seconds = days * 86_400 + num(11..13)? * 3_600 + num(14..16)? * 60 + num(17..19)?;
    Some(Timestamp(seconds * 1_000))
}

/// Reads one corpus note. The corpus has one fixed front matter layout (see gen_corpus.py); the
/// real importer with a YAML parser is a separate feature, measured on its own.
fn read_note(path: &Path) -> Result<NewNote, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let rest = text.strip_prefix("---\n").ok_or("no front matter")?;
    let (front, body) = rest
        .split_once("\n---\n\n")
        .ok_or("unterminated front matter")?;
    let mut note = NewNote {
        body: body.to_owned(),
        ..NewNote::default()
    };
    for line in front.lines() {
        let (key, value) = line.split_once(": ").unwrap_or((line, ""));
        match key {
            "title" => note.title = serde_json::from_str(value).map_err(|e| e.to_string())?,
            "tags" => {
                note.tags = value
                    .trim_matches(|c| c == '[' || c == ']')
                    .split(", ")
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect()
            }
            "created" => note.created = parse_utc(value),
            "updated" => note.updated = parse_utc(value),
            _ => {}
        }
    }
    Ok(note)
}

struct Query {
    text: String,
    kind: String,
    count_unicode: i64,
}

fn load_queries(corpus: &Path) -> Vec<Query> {
    let expected: serde_json::Value = fs::read_to_string(corpus.join("expected.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    expected["queries"]
        .as_array()
        .map(|queries| {
            queries
                .iter()
                .map(|q| Query {
                    text: q["q"].as_str().unwrap_or_default().to_owned(),
                    kind: q["kind"].as_str().unwrap_or_default().to_owned(),
                    count_unicode: q["count_unicode"].as_i64().unwrap_or(-1),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What a plain scan with Folio's folding finds for one query: the count, and the first ten ids
/// in list order (updated desc, id desc; the corpus has no pinned notes).
#[derive(Default, Clone)]
struct Reference {
    count: i64,
    top: Vec<(Timestamp, i32)>,
}

impl Reference {
    fn add(&mut self, updated: Timestamp, id: i32) {
        self.count += 1;
        self.top.push((updated, id));
        if self.top.len() > 64 {
            self.top.sort_by(|a, b| b.cmp(a));
            self.top.truncate(10);
        }
    }

    fn top_ids(&self) -> Vec<i32> {
        let mut top = self.top.clone();
        top.sort_by(|a, b| b.cmp(a));
        top.into_iter().take(10).map(|(_, id)| id).collect()
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    percentile(&values, 0.5)
}

/// Pages per merge step: what the app does per idle step.
const MERGE_STEP_PAGES: i32 = 256;

fn main() {
    let options = options();
    let mut files: Vec<PathBuf> = match fs::read_dir(options.corpus.join("notes")) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            eprintln!(
                "no corpus at {}: {e}\nmake one with: python3 ../shared/bench/gen_corpus.py --notes 100000 --contacts 10000 --seed 1 --out {}",
                options.corpus.display(),
                options.corpus.display()
            );
            std::process::exit(2);
        }
    };
    files.sort();
    let queries = load_queries(&options.corpus);
    let parsed_queries: Vec<_> = queries.iter().map(|q| parse_query(&q.text)).collect();
    let scratch = tempfile::tempdir().ok();
    let db_path = options.db.clone().unwrap_or_else(|| {
        scratch
            .as_ref()
            .map(|d| d.path().join("bench.db"))
            .unwrap_or_else(|| PathBuf::from("bench.db"))
    });

    let mut repo = Repository::open(&db_path).unwrap_or_else(|e| panic!("{e}"));
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("# Folio repository benchmark\n");
    println!(
        "- Machine: {}, {cores} cores; SQLite {}; corpus {} ({} files × {})",
        cpu_model(),
        repo.sqlite_version().unwrap_or_default(),
        options.corpus.display(),
        files.len(),
        options.replicate
    );

    // Import, while a plain scan with Folio's folding computes the reference answers.
    let mut references = vec![Reference::default(); queries.len()];
    let mut read_time = Duration::ZERO;
    let mut scan_time = Duration::ZERO;
    let mut next_id = 0i32;
    let total_notes = files.len() * options.replicate;
    let source = (0..options.replicate)
        .flat_map(|_| files.iter())
        .map(|path| {
            let started = Instant::now();
            let note = read_note(path);
            read_time += started.elapsed();
            if let Ok(note) = &note {
                let started = Instant::now();
                next_id += 1;
                let document = format!("{}\n{}", fold(&note.title), fold(&note.body));
                let updated = note.updated.unwrap_or(Timestamp(0));
                for (reference, terms) in references.iter_mut().zip(&parsed_queries) {
                    if matches(&document, terms, PhoneDigits::Ignore) {
                        reference.add(updated, next_id);
                    }
                }
                scan_time += started.elapsed();
            }
            note
        });
    let started = Instant::now();
    let mut imported: Vec<NoteId> = Vec::with_capacity(total_notes);
    let existing = repo.count_notes(&NoteQuery::default()).unwrap_or(0);
    let reused = existing as usize == total_notes;
    let count = if reused {
        // `--db` named a database this corpus already filled: measure it as it is.
        for note in source {
            drop(note);
        }
        imported.extend((1..=total_notes as i32).map(NoteId));
        println!(
            "- Reusing {} (already holds the corpus): import not measured; earlier autosave runs changed some dates, so only counts are checked",
            db_path.display()
        );
        total_notes
    } else {
        repo.import_notes_from(source.map(|n| n.map_err(BenchError::Read)), |id| {
            imported.push(id)
        })
        .unwrap_or_else(|e| panic!("import: {e:?}"))
    };
    let import_total = started.elapsed();
    let import_db = import_total.saturating_sub(read_time + scan_time);
    let started = Instant::now();
    let mut merge_steps = 0;
    while repo
        .merge_search_index_step(MERGE_STEP_PAGES, IndexMerge::Everything)
        .unwrap_or_else(|e| panic!("merge: {e}"))
    {
        merge_steps += 1;
    }
    let merge_total = started.elapsed();
    repo.checkpoint().unwrap_or_else(|e| panic!("{e}"));
    let file_size = fs::metadata(&db_path).map(|m| m.len()).unwrap_or(0);
    let rss_after_import = status_kb("VmHWM:").unwrap_or(0);

    println!("\n## Import and size\n");
    println!("| what | figure |\n|---|---|");
    println!("| notes imported (one transaction) | {count} |");
    println!(
        "| import, database + index only | {:.1} s = **{:.0} notes/s** |",
        import_db.as_secs_f64(),
        count as f64 / import_db.as_secs_f64()
    );
    println!(
        "| then merging the index's segments, {merge_steps} steps of {MERGE_STEP_PAGES} pages (idle-time work in the app) | {:.1} s |",
        merge_total.as_secs_f64()
    );
    println!(
        "| reading + parsing the files (not Folio's importer) | {:.1} s |",
        read_time.as_secs_f64()
    );
    println!(
        "| plain scan with Folio's folding, all 50 queries over all notes (the reference) | {:.1} s, {:.0} ms per query |",
        scan_time.as_secs_f64(),
        ms(scan_time) / queries.len().max(1) as f64
    );
    println!(
        "| database file after checkpoint | {:.0} MB |",
        file_size as f64 / 1e6
    );
    for (table, bytes) in repo.storage_by_table().unwrap_or_default().iter().take(8) {
        println!("| … of which `{table}` | {:.0} MB |", *bytes as f64 / 1e6);
    }
    println!(
        "| peak RSS after import | {:.0} MB |",
        rss_after_import as f64 / 1024.0
    );

    // Search: count + first page of 50 with tags, median of reps per query.
    let mut per_query = Vec::new();
    let mut mismatches = Vec::new();
    for (i, query) in queries.iter().enumerate() {
        let mut times = Vec::new();
        for _ in 0..options.reps {
            let started = Instant::now();
            let page = repo
                .list_notes(&NoteQuery {
                    search: query.text.clone(),
                    limit: 50,
                    ..NoteQuery::default()
                })
                .unwrap_or_else(|e| panic!("{e}"));
            times.push(ms(started.elapsed()));
            let got_top: Vec<i32> = page.items.iter().take(10).map(|n| n.id.0).collect();
            if page.total != references[i].count || (!reused && got_top != references[i].top_ids())
            {
                mismatches.push(format!(
                    "{:?}: {} found, the scan {}",
                    query.text, page.total, references[i].count
                ));
            }
        }
        per_query.push((query, median(times), references[i].count));
    }

    println!(
        "\n## Search (count + first page of 50 + tags; median of {} runs per query)\n",
        options.reps
    );
    println!("| queries | n | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|");
    let mut groups: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (query, time, _) in &per_query {
        groups.entry("all 50".to_owned()).or_default().push(*time);
        let long = parse_query(&query.text).iter().all(|t| t.char_count() >= 3);
        let label = if long {
            "terms of 3+ characters"
        } else {
            "with a 1–2 character term"
        };
        groups.entry(label.to_owned()).or_default().push(*time);
        groups
            .entry(format!("kind: {}", query.kind))
            .or_default()
            .push(*time);
    }
    for (label, mut times) in groups {
        times.sort_by(f64::total_cmp);
        println!(
            "| {label} | {} | {:.2} | {:.2} | {:.2} |",
            times.len(),
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            times.last().copied().unwrap_or(f64::NAN)
        );
    }
    println!(
        "\nEvery result checked against the plain scan: {}",
        if mismatches.is_empty() {
            "all counts and first-ten ids equal.".to_owned()
        } else {
            format!("{} MISMATCHES: {}", mismatches.len(), mismatches.join("; "))
        }
    );
    let differing: Vec<String> = per_query
        .iter()
        .filter(|(q, _, count)| {
            q.count_unicode >= 0 && *count != q.count_unicode * options.replicate as i64
        })
        .map(|(q, _, count)| {
            format!(
                "`{}` {} (Unicode lower case only: {})",
                q.text,
                count,
                q.count_unicode * options.replicate as i64
            )
        })
        .collect();
    println!(
        "\nAgainst expected.json's `count_unicode`: {}",
        if differing.is_empty() {
            "equal for all 50.".to_owned()
        } else {
            format!("equal but for {}.", differing.join(", "))
        }
    );

    // First page of the list, with tags.
    let mut page_times = Vec::new();
    let mut count_times = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        let page = repo
            .notes_page(&NoteQuery::default())
            .unwrap_or_else(|e| panic!("{e}"));
        page_times.push(ms(started.elapsed()));
        assert_eq!(page.len(), 50);
        let started = Instant::now();
        let total = repo
            .count_notes(&NoteQuery::default())
            .unwrap_or_else(|e| panic!("{e}"));
        count_times.push(ms(started.elapsed()));
        assert_eq!(total as usize, total_notes);
    }

    // Autosave: one note's title and body saved over the version the editor read (the check
    // included), index included; 100 different notes.
    let mut save_times = Vec::new();
    let step = (imported.len() / 100).max(1);
    for id in imported.iter().step_by(step).take(100) {
        let note = repo.note(*id).unwrap_or_else(|e| panic!("{e}"));
        let body = format!("{} edited", note.body);
        let started = Instant::now();
        repo.update_note(*id, note.version, &note.title, &body)
            .unwrap_or_else(|e| panic!("{e}"));
        save_times.push(ms(started.elapsed()));
    }
    save_times.sort_by(f64::total_cmp);

    // The window's outside-change check: one `PRAGMA data_version`, at most once a second.
    let mut poll_times = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        repo.data_version().unwrap_or_else(|e| panic!("{e}"));
        poll_times.push(ms(started.elapsed()));
    }
    poll_times.sort_by(f64::total_cmp);

    println!("\n## List and autosave\n");
    println!("| operation | p50 ms | p95 ms |\n|---|---|---|");
    let mut sorted_pages = page_times.clone();
    sorted_pages.sort_by(f64::total_cmp);
    println!(
        "| first page of 50 notes with tags (200 runs) | {:.3} | {:.3} |",
        percentile(&sorted_pages, 0.5),
        percentile(&sorted_pages, 0.95)
    );
    count_times.sort_by(f64::total_cmp);
    println!(
        "| count of all notes (once per change of list, not per page) | {:.3} | {:.3} |",
        percentile(&count_times, 0.5),
        percentile(&count_times, 0.95)
    );
    println!(
        "| autosave one note, index included, synchronous=NORMAL (100 notes) | {:.3} | {:.3} |",
        percentile(&save_times, 0.5),
        percentile(&save_times, 0.95)
    );
    println!(
        "| outside-change check, PRAGMA data_version (200 runs) | {:.3} | {:.3} |",
        percentile(&poll_times, 0.5),
        percentile(&poll_times, 0.95)
    );
    println!(
        "\nPeak RSS of the whole run: {:.0} MB",
        status_kb("VmHWM:").unwrap_or(0) as f64 / 1024.0
    );
}

/// Why the import stopped; printed whole when the benchmark fails.
#[derive(Debug)]
#[allow(dead_code)] // read through Debug only
enum BenchError {
    Read(String),
    Db(folio::db::DbError),
}

impl From<folio::db::DbError> for BenchError {
    fn from(e: folio::db::DbError) -> Self {
        BenchError::Db(e)
    }
}
