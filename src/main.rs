//! `folio`: opens the database (the default one, `--db PATH`, or `FOLIO_DB`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use folio::db::{NoteQuery, Repository, default_database_path};

#[derive(Parser)]
#[command(
    version,
    about = "Folio: local-first notes and contacts in one SQLite file"
)]
struct Args {
    /// The database file to open; created with its folder if missing.
    #[arg(long, env = "FOLIO_DB")]
    db: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let Some(path) = args.db.or_else(default_database_path) else {
        eprintln!("folio: no data folder is known on this system; pass --db PATH");
        return ExitCode::from(2);
    };
    let mut repo = match Repository::open(&path) {
        Ok(repo) => repo,
        Err(e) => {
            eprintln!("folio: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(backup) = repo.backup_made() {
        println!(
            "Upgraded {}; the previous version is saved as {}",
            path.display(),
            backup.display()
        );
    }
    match repo.list_notes(&NoteQuery::default()) {
        Ok(page) => {
            println!("{}: {} notes", path.display(), page.total);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("folio: {e}");
            ExitCode::FAILURE
        }
    }
}
