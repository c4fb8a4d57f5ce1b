//! `folio import | export | search | stats | backup | copy`: the file operations for scripts. Each
//! prints a short report (or JSON with `--json`), writes errors to stderr and exits with a code:
//! 0 done, 1 the operation failed, 2 the database could not be opened or the command is wrong.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use crate::db::{ContactQuery, NoteQuery, Repository};
use crate::exchange::markdown::iso_date;
use crate::exchange::vcard::CardVersion;
use crate::exchange::{backup, contacts_csv, export, import};

#[derive(Subcommand)]
pub enum Command {
    /// Import Markdown and text files, vCards (.vcf), contacts from Google, Outlook or
    /// Thunderbird CSV files, folders of these, and Folio backups (.json).
    Import {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// What the columns of CSV files of unknown layout hold, by header:
        /// "Nom=Last name,Prénom=First name,Tél=Phone". The fields are those the window
        /// offers (First name, Middle name, Last name, Display name, Organisation, Department,
        /// Nickname, Job title, Birthday, Notes, Groups, Email, Phone, Street, City, Region,
        /// Postal code, Country, Website, Leave out); columns not named keep what Folio
        /// guessed.
        #[arg(long, value_name = "COLUMN=FIELD,…")]
        map: Option<String>,
    },
    /// Export the notes (Markdown: a new folder of .md files; HTML: one file), the contacts
    /// (vCard or CSV: one file) or everything (a JSON backup).
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// The folder (md) or file to create; it must not exist yet (a folder may be empty).
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// For vcf: 4 (RFC 6350) or 3 (RFC 2426, which older address books need).
        #[arg(long, value_name = "3|4", default_value = "4", value_parser = ["3", "4"])]
        vcard_version: String,
        /// For csv: start the file with a byte order mark, so Excel reads it as UTF-8.
        #[arg(long)]
        excel: bool,
        /// For csv: separate the columns with semicolons, as Excel expects where the comma is
        /// the decimal mark (French, German, Italian…).
        #[arg(long)]
        semicolons: bool,
    },
    /// Print the notes (or with --contacts, the contacts) matching QUERY, in the list's order.
    Search {
        query: String,
        #[arg(long)]
        contacts: bool,
        #[arg(long)]
        json: bool,
        /// At most this many results (all are counted in "total").
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// List contacts that are likely one person: the same email, the same phone number, or
    /// the same name with another field agreeing. Merge them in the window (Contacts → Find
    /// duplicates…).
    Duplicates {
        #[arg(long)]
        json: bool,
    },
    /// Count notes, contacts, tags, links and what is in the trash.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Answer one read-only SQL question (a SELECT, a read-only PRAGMA) over the database, on a
    /// connection that cannot write: anything that would change the file, or more than one
    /// statement, is refused with the reason, and nothing is touched.
    Sql {
        /// The statement, e.g. "SELECT count(*) FROM notes".
        statement: String,
        /// {"columns": [...], "rows": [[...], ...]}.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// The columns and rows as CSV, with a header row.
        #[arg(long)]
        csv: bool,
        /// At most this many rows are printed.
        #[arg(long, default_value_t = 10_000)]
        limit: usize,
        /// Stop a statement that runs longer than this many seconds (1 to 3600).
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=3600))]
        seconds: u64,
    },
    /// Write a JSON backup of everything to PATH (which must not exist yet).
    Backup {
        path: PathBuf,
        /// Also write every note's history (its revisions); a restore merges them by note and
        /// time.
        #[arg(long)]
        with_history: bool,
    },
    /// List a note's earlier versions (its revisions), newest first; print one with --show,
    /// or put one back with --restore (the note's current text is kept as a revision first).
    /// With --deleted, list the notes deleted for good that still have revisions.
    History {
        /// The note's UUID (as in `folio search --json` or a Markdown export's front matter).
        #[arg(required_unless_present = "deleted")]
        uuid: Option<String>,
        /// Print revision ID: its title, tags and text.
        #[arg(long, value_name = "ID", conflicts_with = "restore")]
        show: Option<i64>,
        /// Make revision ID the note's text again, in place (a note deleted for good comes
        /// back).
        #[arg(long, value_name = "ID")]
        restore: Option<i64>,
        /// List notes deleted for good that can still be brought back.
        #[arg(long, conflicts_with_all = ["uuid", "show", "restore"])]
        deleted: bool,
        #[arg(long)]
        json: bool,
    },
    /// Copy everything (notes with their trash, contacts, tags and groups, links) from the
    /// database (or --from) to another, made if it does not exist. The other must hold no
    /// notes or contacts, unless --merge: then they are merged by UUID, as a backup restore
    /// does, in one transaction.
    Copy {
        /// The database copied from; the one named by --db (or the default) when left out.
        #[arg(long, value_name = "DATABASE")]
        from: Option<PathBuf>,
        #[arg(long, value_name = "DATABASE")]
        to: PathBuf,
        /// Merge into a database that holds notes or contacts already.
        #[arg(long)]
        merge: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// One Markdown file per note with YAML front matter.
    Md,
    /// One standalone HTML file with a table of contents.
    Html,
    /// Everything, as a Folio backup.
    Json,
    /// The contacts as vCards.
    Vcf,
    /// The contacts in Google Contacts' CSV layout.
    Csv,
}

/// Runs a command on the database at `db`. Only an import may create it: a mistyped path for
/// anything else is an error, not a new empty database.
pub fn run(command: Command, db: &Path) -> ExitCode {
    let db = match &command {
        Command::Copy {
            from: Some(from), ..
        } => from.as_path(),
        _ => db,
    };
    if !matches!(command, Command::Import { .. }) && !db.exists() {
        eprintln!("folio: {} does not exist.", db.display());
        return ExitCode::from(2);
    }
    // A question never goes through the repository's opening, which may upgrade the file.
    if let Command::Sql {
        statement,
        json,
        csv,
        limit,
        seconds,
    } = &command
    {
        return sql(
            db,
            statement,
            *json,
            *csv,
            *limit,
            Duration::from_secs(*seconds),
        );
    }
    let mut repo = match Repository::open(db) {
        Ok(repo) => repo,
        Err(e) => {
            eprintln!("folio: {e}");
            return ExitCode::from(2);
        }
    };
    match execute(command, &mut repo) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("folio: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `folio sql`: exit 1 with the reason when the question is refused or fails, 2 when the file
/// cannot be opened.
fn sql(
    db: &Path,
    statement: &str,
    json: bool,
    csv: bool,
    limit: usize,
    time_limit: Duration,
) -> ExitCode {
    use crate::sql_console::{Refusal, SqlConsole};
    let mut console = match SqlConsole::open(db) {
        Ok(console) => console,
        Err(e) => {
            eprintln!("folio: {e}");
            return ExitCode::from(2);
        }
    };
    let answer = match console.run(statement, limit, time_limit) {
        Ok(answer) => answer,
        Err(e @ Refusal::Open(_)) => {
            eprintln!("folio: {e}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("folio: refused, nothing was changed. {e}");
            return ExitCode::FAILURE;
        }
    };
    let printed = if json {
        print_json(&answer)
    } else if csv {
        print_csv(&answer)
    } else {
        print_table(&answer);
        Ok(())
    };
    if let Err(message) = printed {
        eprintln!("folio: {message}");
        return ExitCode::FAILURE;
    }
    if answer.truncated {
        eprintln!("folio: only the first {limit} rows are printed (--limit).");
    }
    ExitCode::SUCCESS
}

fn print_csv(answer: &crate::sql_console::Answer) -> Result<(), String> {
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    out.write_record(&answer.columns)
        .map_err(|e| e.to_string())?;
    for row in &answer.rows {
        out.write_record(row.iter().map(|v| v.to_text()))
            .map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}

/// Columns padded to their widest cell (at most 40 characters a cell), for a terminal.
fn print_table(answer: &crate::sql_console::Answer) {
    const WIDEST: usize = 40;
    let cell = |text: String| -> String {
        let one_line = text.replace(['\n', '\r', '\t'], " ");
        if one_line.chars().count() > WIDEST {
            let cut: String = one_line.chars().take(WIDEST - 1).collect();
            format!("{cut}…")
        } else {
            one_line
        }
    };
    let rows: Vec<Vec<String>> = answer
        .rows
        .iter()
        .map(|row| row.iter().map(|v| cell(v.to_text())).collect())
        .collect();
    let headers: Vec<String> = answer.columns.iter().map(|c| cell(c.clone())).collect();
    let widths: Vec<usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .chain(std::iter::once(h.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join(" | ")
            .trim_end()
            .to_owned()
    };
    // Written, not println!: `folio sql … | head` closes the pipe early, which is no error.
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let rule = widths
        .iter()
        .map(|w| "-".repeat(*w))
        .collect::<Vec<_>>()
        .join("-+-");
    let _ = writeln!(out, "{}", line(&headers)).and_then(|()| writeln!(out, "{rule}"));
    for row in &rows {
        if writeln!(out, "{}", line(row)).is_err() {
            return;
        }
    }
    let _ = writeln!(out, "({})", count(answer.rows.len() as i64, "row"));
}

/// "1 note", "2 notes".
fn count(n: impl std::fmt::Display + PartialEq<i64>, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn print_json(value: &impl Serialize) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(())
}

fn execute(command: Command, repo: &mut Repository) -> Result<(), String> {
    match command {
        Command::Import { paths, json, map } => {
            let mapped = match &map {
                Some(map) => mapped_csv_files(&paths, map)?,
                None => Vec::new(),
            };
            let mut report = import_with_bar(repo, &paths).map_err(|e| e.to_string())?;
            for (file, fields) in mapped {
                let csv = import::import_csv_with(repo, &file, &fields, &Default::default())
                    .map_err(|e| e.to_string())?;
                report.skipped.retain(|s| s.file != file);
                report.contacts.added += csv.contacts.added;
                report.contacts.updated += csv.contacts.updated;
                report.contacts.kept += csv.contacts.kept;
                report.skipped.extend(csv.skipped);
                report.warnings.extend(csv.warnings);
                report.possible_duplicates.extend(csv.possible_duplicates);
            }
            if json {
                return print_json(&report);
            }
            println!(
                "Imported {} ({} updated, {} already here) and {} ({} updated, {} already here).",
                count(report.notes.added as i64, "note"),
                report.notes.updated,
                report.notes.kept,
                count(report.contacts.added as i64, "contact"),
                report.contacts.updated,
                report.contacts.kept
            );
            for skipped in &report.skipped {
                println!("Skipped {}: {}", skipped.file.display(), skipped.reason);
            }
            for conflict in &report.conflicts {
                println!(
                    "Kept both: {}: {}",
                    conflict.file.display(),
                    conflict.reason
                );
            }
            for warning in &report.warnings {
                println!("Note on {}: {}", warning.file.display(), warning.reason);
            }
            for duplicate in &report.possible_duplicates {
                println!(
                    "Possible duplicate: {} and {} {}.",
                    duplicate.name,
                    duplicate.other_name,
                    duplicate.why()
                );
            }
            Ok(())
        }
        Command::Export {
            format,
            out,
            vcard_version,
            excel,
            semicolons,
        } => {
            match format {
                ExportFormat::Vcf => {
                    let version = if vcard_version == "3" {
                        CardVersion::V3
                    } else {
                        CardVersion::V4
                    };
                    export_contacts(repo, &out, export::ContactFormat::VCard(version))?;
                }
                ExportFormat::Csv => {
                    export_contacts(repo, &out, export::ContactFormat::Csv { excel, semicolons })?;
                }
                ExportFormat::Md => {
                    let written =
                        export::export_markdown_folder(repo, &out, &export::NoteScope::All)
                            .map_err(|e| e.to_string())?;
                    println!(
                        "Exported {} to {}.",
                        count(written as i64, "note"),
                        out.display()
                    );
                }
                ExportFormat::Html => {
                    let written =
                        export::export_html_file(repo, &out, false, &export::NoteScope::All)
                            .map_err(|e| e.to_string())?;
                    println!(
                        "Exported {} to {}.",
                        count(written as i64, "note"),
                        out.display()
                    );
                }
                ExportFormat::Json => {
                    let summary =
                        backup::write_backup(repo, &out, false).map_err(|e| e.to_string())?;
                    println!("{}", backed_up(summary, &out));
                }
            }
            Ok(())
        }
        // Answered before the repository is opened (see `run`).
        Command::Sql { .. } => Ok(()),
        Command::Backup { path, with_history } => {
            let summary = backup::write_backup_with(repo, &path, false, with_history)
                .map_err(|e| e.to_string())?;
            println!("{}", backed_up(summary, &path));
            Ok(())
        }
        Command::History {
            uuid,
            show,
            restore,
            deleted,
            json,
        } => match uuid {
            _ if deleted => deleted_notes(repo, json),
            Some(uuid) => history(repo, &uuid, show, restore, json),
            None => Err("name a note's UUID, or give --deleted".to_owned()),
        },
        Command::Duplicates { json } => {
            let pairs = repo.find_duplicates().map_err(|e| e.to_string())?;
            if json {
                return print_json(&serde_json::json!({ "duplicates": pairs }));
            }
            if pairs.is_empty() {
                println!("No likely duplicates.");
            }
            for pair in &pairs {
                println!("{} and {} {}.", pair.name, pair.other_name, pair.why());
            }
            Ok(())
        }
        Command::Stats { json } => {
            let stats = repo.stats().map_err(|e| e.to_string())?;
            if json {
                return print_json(&stats);
            }
            println!(
                "{}, {}, {}, {}, {} ({:.1} MB); in the trash: {}, {}.",
                count(stats.notes, "note"),
                count(stats.contacts, "contact"),
                count(stats.tags, "tag"),
                count(stats.links, "link"),
                count(stats.attachments, "attachment"),
                stats.attachment_bytes as f64 / (1024.0 * 1024.0),
                count(stats.trashed_notes, "note"),
                count(stats.trashed_contacts, "contact")
            );
            Ok(())
        }
        Command::Search {
            query,
            contacts,
            json,
            limit,
        } => search(repo, &query, contacts, json, limit),
        Command::Copy {
            to, merge, json, ..
        } => copy(repo, &to, merge, json),
    }
}

/// The CSV files among `paths` whose layout Folio does not know, with the fields `--map`
/// gives their columns. Checked before anything is imported: a column the map names that a
/// file lacks, or a field Folio does not have, is an error and nothing is imported.
fn mapped_csv_files(
    paths: &[PathBuf],
    map: &str,
) -> Result<Vec<(PathBuf, Vec<contacts_csv::Field>)>, String> {
    let mut wanted = Vec::new();
    for pair in map.split(',').filter(|p| !p.trim().is_empty()) {
        let Some((column, field)) = pair.split_once('=') else {
            return Err(format!(
                "--map wants COLUMN=FIELD pairs; \"{pair}\" is not one"
            ));
        };
        wanted.push((column.trim().to_owned(), field.trim().to_owned()));
    }
    let files = crate::exchange::markdown::note_files(paths).map_err(|e| e.to_string())?;
    let mut mapped = Vec::new();
    for file in files.iter().chain(paths) {
        let is_csv = file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if !is_csv || !file.is_file() || mapped.iter().any(|(f, _)| f == file) {
            continue;
        }
        let Ok(preview) = import::preview_csv_file(file) else {
            continue; // The import says why.
        };
        if preview.layout != contacts_csv::Layout::Unknown {
            continue;
        }
        let mut fields = preview.fields.clone();
        for (column, field) in &wanted {
            let Some(index) = preview
                .headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(column))
            else {
                return Err(format!(
                    "{} has no column \"{column}\"; its columns are: {}. Nothing was imported.",
                    file.display(),
                    preview.headers.join(", ")
                ));
            };
            let choices = contacts_csv::field_choices(index);
            let Some((chosen, _)) = choices
                .iter()
                .find(|(_, name)| name.eq_ignore_ascii_case(field))
            else {
                let names: Vec<&str> = choices.iter().map(|(_, name)| *name).collect();
                return Err(format!(
                    "\"{field}\" is not a field Folio has; choose one of: {}. Nothing was \
                     imported.",
                    names.join(", ")
                ));
            };
            fields[index] = *chosen;
        }
        mapped.push((file.clone(), fields));
    }
    Ok(mapped)
}

/// What `folio copy` did.
#[derive(Serialize)]
struct CopyReport {
    to: PathBuf,
    #[serde(flatten)]
    merged: crate::db::MergeReport,
}

fn copy(from: &mut Repository, to: &Path, merge: bool, json: bool) -> Result<(), String> {
    if crate::instance::real_path(from.path()) == crate::instance::real_path(to) {
        return Err(format!("{} is the database copied from.", to.display()));
    }
    let made = !to.exists();
    let mut target = Repository::open(to).map_err(|e| e.to_string())?;
    let copied = copy_into(from, &mut target, to, merge);
    if made && copied.is_err() {
        // The file was made for this copy and holds nothing: it goes again, with SQLite's
        // companions, once the connection to it is closed.
        drop(target);
        for suffix in ["", "-wal", "-shm"] {
            let mut name = to.as_os_str().to_owned();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    }
    let merged = copied?;
    if json {
        return print_json(&CopyReport {
            to: to.to_owned(),
            merged,
        });
    }
    println!(
        "Copied {} ({} updated, {} already there) and {} ({} updated, {} already there) to {}.",
        count(merged.notes.added as i64, "note"),
        merged.notes.updated,
        merged.notes.kept,
        count(merged.contacts.added as i64, "contact"),
        merged.contacts.updated,
        merged.contacts.kept,
        to.display()
    );
    Ok(())
}

/// Merges every record of `from` into `target` (named `to` in messages), in one transaction,
/// after checking that `target` holds nothing unless merging.
fn copy_into(
    from: &mut Repository,
    target: &mut Repository,
    to: &Path,
    merge: bool,
) -> Result<crate::db::MergeReport, String> {
    let held = target.stats().map_err(|e| e.to_string())?;
    let notes = held.notes + held.trashed_notes;
    let contacts = held.contacts + held.trashed_contacts;
    if !merge && notes + contacts > 0 {
        return Err(format!(
            "{} already holds {} and {}, so nothing was copied. With --merge they are merged \
             by UUID, as a backup restore does.",
            to.display(),
            count(notes, "note"),
            count(contacts, "contact")
        ));
    }
    // Everything as of one moment, files included.
    let records = from
        .read_consistently(|from| {
            let mut records = from.all_records()?;
            records.revisions = from.all_revisions()?;
            for record in &mut records.attachments {
                let bytes = from.attachment_blob(&record.attachment.hash)?;
                record.bytes = bytes
                    .ok_or(crate::db::DbError::NotFound { what: "attachment" })?
                    .into();
            }
            Ok::<_, crate::db::DbError>(records)
        })
        .map_err(|e| e.to_string())?;
    target
        .merge_records(&records)
        .map_err(|e| format!("nothing was copied: {e}"))
}

/// Imports with a progress bar on stderr when it is a terminal (scripts see none).
fn import_with_bar(
    repo: &mut Repository,
    paths: &[PathBuf],
) -> Result<import::ImportReport, crate::exchange::ExchangeError> {
    use std::io::IsTerminal;
    let progress = crate::exchange::Progress::default();
    if !std::io::stderr().is_terminal() {
        return import::import_paths_with(repo, paths, &progress);
    }
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("Importing");
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let (steps, total) = progress.fraction();
                bar.set_length(total as u64);
                bar.set_position(steps as u64);
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            bar.finish_and_clear();
        });
        let result = import::import_paths_with(repo, paths, &progress);
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        result
    })
}

fn export_contacts(
    repo: &mut Repository,
    out: &Path,
    format: export::ContactFormat,
) -> Result<(), String> {
    let written =
        export::export_contacts_file(repo, out, false, format, &export::ContactScope::All)
            .map_err(|e| e.to_string())?;
    println!(
        "Exported {} to {}.",
        count(written as i64, "contact"),
        out.display()
    );
    Ok(())
}

fn backed_up(summary: backup::BackupSummary, path: &Path) -> String {
    let history = if summary.revisions > 0 {
        format!(" with {}", count(summary.revisions as i64, "revision"))
    } else {
        String::new()
    };
    format!(
        "Backed up {} and {}{history} to {}.",
        count(summary.notes as i64, "note"),
        count(summary.contacts as i64, "contact"),
        path.display()
    )
}

/// A time for a person reading a terminal: local, to the second.
fn local_time(stamp: crate::db::Timestamp) -> String {
    chrono::DateTime::from_timestamp_millis(stamp.0)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

/// `folio history UUID [--show ID | --restore ID] [--json]`.
fn history(
    repo: &mut Repository,
    uuid: &str,
    show: Option<i64>,
    restore: Option<i64>,
    json: bool,
) -> Result<(), String> {
    let uuid =
        crate::exchange::canonical_uuid(uuid).ok_or_else(|| format!("\"{uuid}\" is not a UUID"))?;
    let revisions = repo.note_revisions(&uuid).map_err(|e| e.to_string())?;
    let note = repo.note_by_uuid(&uuid).map_err(|e| e.to_string())?;
    if note.is_none() && revisions.is_empty() {
        return Err(format!("no note and no history has the UUID {uuid}"));
    }
    let named = |id: i64| {
        revisions.iter().find(|r| r.id.0 == id).ok_or_else(|| {
            format!("the note {uuid} has no revision {id} (see folio history {uuid})")
        })
    };
    if let Some(id) = show {
        let revision = repo.revision(named(id)?.id).map_err(|e| e.to_string())?;
        if json {
            return print_json(&serde_json::json!({
                "id": revision.summary.id,
                "time": iso_date(revision.summary.saved),
                "kept": iso_date(revision.summary.kept),
                "reason": revision.summary.reason,
                "title": revision.summary.title,
                "tags": revision.tags,
                "body": revision.body,
            }));
        }
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        let tags = if revision.tags.is_empty() {
            String::new()
        } else {
            format!("Tags: {}\n", revision.tags.join(", "))
        };
        let _ = write!(out, "{}\n{tags}\n{}", revision.summary.title, revision.body);
        if !revision.body.ends_with('\n') {
            let _ = writeln!(out);
        }
        return Ok(());
    }
    if let Some(id) = restore {
        let revision = named(id)?.clone();
        let restored = repo
            .restore_revision(revision.id, note.as_ref().map(|n| (n.id, n.version)))
            .map_err(|e| format!("nothing was restored: {e}"))?;
        if json {
            return print_json(&serde_json::json!({
                "restored": revision.id,
                "uuid": restored.uuid,
                "version": restored.version,
            }));
        }
        let kept = if note.is_some() {
            "; the text it replaced is kept in the history"
        } else {
            "; the note deleted for good is back"
        };
        println!(
            "Restored “{}” as saved {}{kept}.",
            restored.title,
            local_time(revision.saved)
        );
        return Ok(());
    }
    if json {
        let listed: Vec<serde_json::Value> = revisions
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id,
                    "time": iso_date(r.saved),
                    "title": r.title,
                    "bytes": r.bytes,
                    "kept": iso_date(r.kept),
                    "reason": r.reason,
                })
            })
            .collect();
        return print_json(&serde_json::json!({
            "revisions": listed,
            "deleted_for_good": note.is_none(),
        }));
    }
    match &note {
        Some(note) => println!(
            "“{}”: {}",
            note.title,
            count(revisions.len() as i64, "revision")
        ),
        None => println!(
            "Deleted for good; {} (bring it back with --restore ID)",
            count(revisions.len() as i64, "revision")
        ),
    }
    for r in &revisions {
        println!(
            "{:>8}  {}  {:>9}  {}  ({})",
            r.id.0,
            local_time(r.saved),
            format!("{} B", r.bytes),
            r.title,
            r.reason.describe()
        );
    }
    Ok(())
}

/// `folio history --deleted`.
fn deleted_notes(repo: &mut Repository, json: bool) -> Result<(), String> {
    let deleted = repo.deleted_notes().map_err(|e| e.to_string())?;
    if json {
        let listed: Vec<serde_json::Value> = deleted
            .iter()
            .map(|d| {
                serde_json::json!({
                    "uuid": d.uuid,
                    "title": d.title,
                    "deleted": iso_date(d.deleted),
                    "revisions": d.revisions,
                })
            })
            .collect();
        return print_json(&serde_json::json!({ "deleted": listed }));
    }
    if deleted.is_empty() {
        println!("No note deleted for good has history left.");
    }
    for d in &deleted {
        println!(
            "{}  deleted {}  {}  {}",
            d.uuid,
            local_time(d.deleted),
            count(d.revisions, "revision"),
            d.title
        );
    }
    Ok(())
}

#[derive(Serialize)]
struct NoteHit {
    uuid: String,
    title: String,
    updated: String,
}

#[derive(Serialize)]
struct ContactHit {
    uuid: String,
    name: String,
}

#[derive(Serialize)]
struct Found<T> {
    total: i64,
    results: Vec<T>,
}

fn search(
    repo: &mut Repository,
    query: &str,
    contacts: bool,
    json: bool,
    limit: i64,
) -> Result<(), String> {
    if contacts {
        let page = repo
            .list_contacts(&ContactQuery {
                search: query.to_owned(),
                limit: limit.max(0),
                ..ContactQuery::default()
            })
            .map_err(|e| e.to_string())?;
        let found = Found {
            total: page.total,
            results: page
                .items
                .into_iter()
                .map(|c| ContactHit {
                    uuid: c.uuid,
                    name: c.label,
                })
                .collect(),
        };
        if json {
            return print_json(&found);
        }
        for hit in &found.results {
            println!("{}", hit.name);
        }
        eprintln!("{} of {} contacts", found.results.len(), found.total);
        return Ok(());
    }
    let page = repo
        .list_notes(&NoteQuery {
            search: query.to_owned(),
            limit: limit.max(0),
            ..NoteQuery::default()
        })
        .map_err(|e| e.to_string())?;
    let found = Found {
        total: page.total,
        results: page
            .items
            .into_iter()
            .map(|n| NoteHit {
                uuid: n.uuid,
                title: n.title,
                updated: iso_date(n.updated),
            })
            .collect(),
    };
    if json {
        return print_json(&found);
    }
    for hit in &found.results {
        println!("{}\t{}", hit.updated, hit.title);
    }
    eprintln!("{} of {} notes", found.results.len(), found.total);
    Ok(())
}
