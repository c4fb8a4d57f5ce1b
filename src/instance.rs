//! One window per database. A window holds an advisory lock on a small file beside its
//! database (`Notes.folio.lock`) for as long as it shows it. Another Folio started on the same
//! file finds the lock taken and asks the running window, through a local socket whose port the
//! lock file names, to come to the front, so two windows never edit one file.
//!
//! The operating system releases the lock when its process ends, however it ends: a lock file
//! left by a crash or `kill -9` is simply taken over.

use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// What a window sends to ask the one holding the lock to come to the front, and its answer.
const RAISE: &[u8] = b"folio raise\n";
const RAISED: &str = "raised";

/// The lock held while a window shows a database. Dropping it releases the lock and stops
/// listening.
#[derive(Debug)]
pub struct InstanceLock {
    // Held for its lock; closing it releases the lock.
    _file: File,
    path: PathBuf,
    stop: Arc<AtomicBool>,
    port: u16,
    /// Whether this lock made its file (rather than found one).
    made: bool,
}

/// Who has a database open.
#[derive(Debug)]
pub enum Acquired {
    /// This process: the lock is ours until dropped.
    Mine(InstanceLock),
    /// Another running Folio, with its process id when it wrote one.
    Elsewhere { pid: Option<u32>, port: Option<u16> },
}

/// The file itself, whatever path names it: through a link, relative, or with `..`. A file
/// not made yet is named by its folder's real path.
pub fn real_path(database: &Path) -> PathBuf {
    if let Ok(real) = fs::canonicalize(database) {
        return real;
    }
    match (database.parent(), database.file_name()) {
        (Some(folder), Some(name)) => fs::canonicalize(if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        })
        .map_or_else(|_| database.to_owned(), |f| f.join(name)),
        _ => database.to_owned(),
    }
}

/// The lock file of a database, beside the file itself (so every path to it shares one lock).
pub fn lock_path(database: &Path) -> PathBuf {
    let database = real_path(database);
    let mut name = database.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    database.with_file_name(name)
}

/// Takes the lock of `database`, or says who holds it. While it is held, a request from
/// another Folio to come to the front calls `raise`.
pub fn acquire(database: &Path, raise: impl Fn() + Send + 'static) -> std::io::Result<Acquired> {
    let path = lock_path(database);
    let (mut file, made) = open_lock_file(&path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            let mut text = String::new();
            // The holder writes its line at once; an empty read means it is just starting.
            let _ = file.read_to_string(&mut text);
            let (pid, port) = parse_owner(&text);
            return Ok(Acquired::Elsewhere { pid, port });
        }
        Err(fs::TryLockError::Error(e)) => return Err(e),
    }
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let port = listener.local_addr()?.port();
    // Only a file that is empty or holds a line of ours is rewritten: a file Folio did not
    // make is never emptied.
    let mut earlier = String::new();
    let ours = file.read_to_string(&mut earlier).is_ok()
        && (earlier.trim().is_empty() || parse_owner(&earlier).0.is_some());
    if !ours {
        return Err(std::io::Error::other(
            "a file Folio did not make has the lock file's name",
        ));
    }
    file.set_len(0)?;
    file.rewind()?;
    writeln!(file, "pid={} port={port}", std::process::id())?;
    file.sync_all()?;
    let stop = Arc::new(AtomicBool::new(false));
    let thread_stop = Arc::clone(&stop);
    std::thread::Builder::new()
        .name("folio-instance".to_owned())
        .spawn(move || listen(listener, &thread_stop, raise))?;
    Ok(Acquired::Mine(InstanceLock {
        _file: file,
        path,
        stop,
        port,
        made,
    }))
}

/// Opens (or makes) the lock file without following a symbolic link, and only if it is an
/// ordinary file of this user's: in a folder others can write to, a link named like the lock
/// file could otherwise make Folio write into any file the user owns.
/// Also says whether it made the file.
fn open_lock_file(path: &Path) -> std::io::Result<(File, bool)> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW).mode(0o600);
    }
    let (opened, made) = match options.open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            options.create_new(false).create(false);
            (options.open(path), false)
        }
        opened => (opened, true),
    };
    let file = opened.map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return std::io::Error::other("it is a symbolic link");
        }
        e
    })?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(std::io::Error::other("it is not an ordinary file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: getuid has no preconditions and cannot fail.
        if metadata.uid() != unsafe { libc::getuid() } {
            return Err(std::io::Error::other("it belongs to another user"));
        }
    }
    Ok((file, made))
}

/// The port of the running Folio that holds `database`, if one does: a look that takes
/// nothing (start-up asks this before it opens a window).
pub fn holder_port(database: &Path) -> Option<u16> {
    let mut file = File::open(lock_path(database)).ok()?;
    match file.try_lock_shared() {
        // Nobody holds it; the shared lock goes with the handle.
        Ok(()) => None,
        Err(fs::TryLockError::WouldBlock) => {
            let mut text = String::new();
            file.read_to_string(&mut text).ok()?;
            parse_owner(&text).1
        }
        Err(fs::TryLockError::Error(_)) => None,
    }
}

fn parse_owner(text: &str) -> (Option<u32>, Option<u16>) {
    let field = |name: &str| {
        text.split_whitespace()
            .find_map(|part| part.strip_prefix(name)?.strip_prefix('='))
    };
    (
        field("pid").and_then(|p| p.parse().ok()),
        field("port").and_then(|p| p.parse().ok()),
    )
}

fn listen(listener: TcpListener, stop: &AtomicBool, raise: impl Fn()) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(mut stream) = stream else { continue };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
        let mut line = Vec::new();
        let mut reader = BufReader::new(&stream).take(64);
        if reader.read_until(b'\n', &mut line).is_ok() && line == RAISE {
            raise();
            let _ = writeln!(stream, "{RAISED}");
        }
    }
}

/// Asks the Folio listening on `port` to bring its window to the front. True when it did.
pub fn ask_to_raise(port: u16) -> bool {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(1)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream.write_all(RAISE).is_err() {
        return false;
    }
    let mut answer = String::new();
    BufReader::new(stream).read_line(&mut answer).is_ok() && answer.trim() == RAISED
}

impl InstanceLock {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Gives the lock up after the database was refused, removing its file if this lock made
    /// it, so a refused open leaves nothing behind. Removed while still locked: a window
    /// starting on the same file meanwhile is refused the same way.
    pub fn give_up_refused(self) {
        if self.made {
            let _ = fs::remove_file(&self.path);
        }
    }
}

impl Drop for InstanceLock {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the listening thread so it sees the stop.
        let _ = TcpStream::connect_timeout(
            &SocketAddr::from((Ipv4Addr::LOCALHOST, self.port)),
            Duration::from_millis(200),
        );
        // The lock goes with the file handle; the file itself stays, empty of meaning, so a
        // window starting at this moment never locks a file about to be deleted.
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn a_second_taker_finds_the_first_and_can_raise_it() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("Notes.folio");
        let raised = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&raised);
        let first = acquire(&db, move || {
            counter.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
        let Acquired::Mine(lock) = first else {
            panic!("the first taker gets the lock")
        };
        assert_eq!(lock.path(), real_path(&dir.path().join("Notes.folio.lock")));
        // File locks are per open file description, so a second open in this process
        // contends like another process would.
        let Acquired::Elsewhere { pid, port } = acquire(&db, || {}).unwrap() else {
            panic!("the second taker finds it held")
        };
        assert_eq!(pid, Some(std::process::id()));
        assert_eq!(holder_port(&db), port);
        assert!(ask_to_raise(port.unwrap()));
        assert_eq!(raised.load(Ordering::SeqCst), 1);
        drop(lock);
        assert_eq!(holder_port(&db), None);
        assert!(matches!(acquire(&db, || {}).unwrap(), Acquired::Mine(_)));
    }

    #[test]
    #[cfg(unix)]
    fn a_link_to_the_database_shares_its_lock() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("Notes.folio");
        fs::write(&db, "").unwrap();
        let link = dir.path().join("Link.folio");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        let Acquired::Mine(_lock) = acquire(&db, || {}).unwrap() else {
            panic!("free")
        };
        assert!(matches!(
            acquire(&link, || {}).unwrap(),
            Acquired::Elsewhere { .. }
        ));
        let relative = dir.path().join("sub/../Notes.folio");
        fs::create_dir(dir.path().join("sub")).unwrap();
        assert!(matches!(
            acquire(&relative, || {}).unwrap(),
            Acquired::Elsewhere { .. }
        ));
    }

    #[test]
    #[cfg(unix)]
    fn a_link_named_like_the_lock_file_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("Notes.folio");
        let victim = dir.path().join("bashrc");
        fs::write(&victim, "export PATH=~/bin:$PATH\n").unwrap();
        std::os::unix::fs::symlink(&victim, lock_path(&db)).unwrap();
        let refused = acquire(&db, || {}).unwrap_err();
        assert!(refused.to_string().contains("symbolic link"), "{refused}");
        assert_eq!(
            fs::read_to_string(&victim).unwrap(),
            "export PATH=~/bin:$PATH\n"
        );
    }

    #[test]
    fn a_file_folio_did_not_make_is_never_emptied() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("Notes.folio");
        fs::write(lock_path(&db), "somebody's notes\n").unwrap();
        assert!(acquire(&db, || {}).is_err());
        assert_eq!(
            fs::read_to_string(lock_path(&db)).unwrap(),
            "somebody's notes\n"
        );
    }

    #[test]
    fn a_lock_file_left_by_a_dead_process_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("Notes.folio");
        fs::write(lock_path(&db), "pid=999999 port=1\n").unwrap();
        let Acquired::Mine(_lock) = acquire(&db, || {}).unwrap() else {
            panic!("nobody holds it")
        };
        let text = fs::read_to_string(lock_path(&db)).unwrap();
        assert!(
            text.starts_with(&format!("pid={} ", std::process::id())),
            "{text}"
        );
    }
}
