//! `folio`: opens the window on a database: the default one, `folio PATH`, `--db PATH`, or
//! `FOLIO_DB`. With a command (`folio import …`, `export`, `search`, `stats`, `backup`) it
//! works on the database from the command line instead; see `folio --help`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use folio::db::default_database_path;

#[derive(Parser)]
#[command(
    version,
    about = "Folio: local-first notes and contacts in one SQLite file"
)]
struct Args {
    /// The database file to open; created with its folder if missing.
    #[arg(value_name = "PATH", conflicts_with = "db")]
    path: Option<PathBuf>,
    /// The database file to open (the same as PATH).
    #[arg(long, env = "FOLIO_DB", global = true)]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<folio::cli::Command>,
}

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let args = Args::parse();
    let Some(path) = args.path.or(args.db).or_else(default_database_path) else {
        eprintln!("folio: no data folder is known on this system; pass a database path");
        return ExitCode::from(2);
    };
    if let Some(command) = args.command {
        return folio::cli::run(command, &path);
    }
    // Another window already showing this database is brought to the front instead.
    if let Some(socket) = folio::instance::holder_socket(&path)
        && folio::instance::ask_to_raise(&socket)
    {
        println!(
            "Folio already has {} open; its window was brought to the front.",
            path.display()
        );
        return ExitCode::SUCCESS;
    }
    // Kept until the window closes: dropping it flushes and stops the log.
    let _log = folio::logging::start();
    log::info!(
        "Folio {} starting on {}",
        env!("CARGO_PKG_VERSION"),
        path.display()
    );
    match folio::ui::run(path, started) {
        Ok(()) => {
            log::info!("Folio closed normally");
            ExitCode::SUCCESS
        }
        Err(e) => {
            log::error!("the window could not be opened: {e}");
            eprintln!("folio: the window could not be opened: {e}");
            ExitCode::FAILURE
        }
    }
}
