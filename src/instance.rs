//! One window per database. A window holds an advisory lock on a small file beside its
//! database (`Notes.folio.lock`) for as long as it shows it. Another Folio started on the same
//! file finds the lock taken and asks the running window to come to the front, so two windows
//! never edit one file.
//!
//! The request goes through a Unix socket in a folder only the user can enter
//! ([`raise_folder`], 0700): a local port would take it from any user of the machine. The lock
//! file names the socket, never a path: the name is looked up in the asker's own folder.
//!
//! The operating system releases the lock when its process ends, however it ends: a lock file
//! left by a crash or `kill -9` is simply taken over.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
#[cfg(unix)]
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// What a window sends to ask the one holding the lock to come to the front, and its answer.
const RAISE: &[u8] = b"folio raise\n";
const RAISED: &[u8] = b"raised\n";
/// How long the listener waits for one request, however slowly its bytes come: a silent or
/// dribbling client cannot keep another window from being raised.
const REQUEST_DEADLINE: Duration = Duration::from_millis(500);

/// The lock held while a window shows a database. Dropping it releases the lock and stops
/// listening.
#[derive(Debug)]
pub struct InstanceLock {
    // Held for its lock; closing it releases the lock.
    _file: File,
    path: PathBuf,
    stop: Arc<AtomicBool>,
    /// The socket this window listens on for requests to come to the front, if it could make
    /// one (a window without one still holds the lock).
    socket: Option<PathBuf>,
    /// Whether this lock made its file (rather than found one).
    made: bool,
}

/// Who has a database open.
#[derive(Debug)]
pub enum Acquired {
    /// This process: the lock is ours until dropped.
    Mine(InstanceLock),
    /// Another running Folio, with its process id and the name of its socket when it wrote
    /// them.
    Elsewhere {
        pid: Option<u32>,
        socket: Option<String>,
    },
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
            let (pid, socket) = parse_owner(&text);
            return Ok(Acquired::Elsewhere { pid, socket });
        }
        Err(fs::TryLockError::Error(e)) => return Err(e),
    }
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
    // The window that held the lock before has ended (its lock went with it): its socket, if
    // it left one, answers nobody.
    if let Some(stale) = parse_owner(&earlier).1 {
        remove_socket(&stale);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let listening = listen_for_raise(Arc::clone(&stop), raise);
    if let Err(e) = &listening {
        log::warn!("a second start on this database cannot bring this window to the front: {e}");
    }
    let (socket, line) = match listening {
        Ok((socket, name)) => (
            Some(socket),
            format!("pid={} raise={name}", std::process::id()),
        ),
        Err(_) => (None, format!("pid={}", std::process::id())),
    };
    file.set_len(0)?;
    file.rewind()?;
    writeln!(file, "{line}")?;
    file.sync_all()?;
    Ok(Acquired::Mine(InstanceLock {
        _file: file,
        path,
        stop,
        socket,
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

/// The socket name of the running Folio that holds `database`, if one does: a look that
/// takes nothing (start-up asks this before it opens a window).
pub fn holder_socket(database: &Path) -> Option<String> {
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

/// The process id and socket name a lock file's line names. A socket name is only ever hex
/// digits: the line may have been written by anyone, and the name must not lead out of the
/// reader's own folder.
fn parse_owner(text: &str) -> (Option<u32>, Option<String>) {
    let field = |name: &str| {
        text.split_whitespace()
            .find_map(|part| part.strip_prefix(name)?.strip_prefix('='))
    };
    let socket = field("raise").filter(|name| is_socket_name(name));
    (
        field("pid").and_then(|p| p.parse().ok()),
        socket.map(str::to_owned),
    )
}

fn is_socket_name(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The folder where windows listen for requests to come to the front: `folio` in the
/// user's runtime folder (`$XDG_RUNTIME_DIR`), else in their cache folder. It must be a folder
/// (not a link) of the user's that nobody else may enter, since whoever can reach a socket in
/// it can talk to the window.
pub fn raise_folder() -> std::io::Result<PathBuf> {
    let base = dirs::runtime_dir()
        .or_else(dirs::cache_dir)
        .ok_or_else(|| std::io::Error::other("this system has no runtime or cache folder"))?;
    private_folder_in(&base)
}

fn private_folder_in(base: &Path) -> std::io::Result<PathBuf> {
    let folder = base.join("folio");
    crate::db::create_private_folder(&folder)?;
    let metadata = fs::symlink_metadata(&folder)?;
    if !metadata.is_dir() {
        return Err(std::io::Error::other(format!(
            "{} is not a folder",
            folder.display()
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: getuid has no preconditions and cannot fail.
        if metadata.uid() != unsafe { libc::getuid() } {
            return Err(std::io::Error::other(format!(
                "{} belongs to another user",
                folder.display()
            )));
        }
        if metadata.mode() & 0o077 != 0 {
            return Err(std::io::Error::other(format!(
                "other users may enter {}",
                folder.display()
            )));
        }
    }
    Ok(folder)
}

/// Listens on a new socket, with a random name, in [`raise_folder`]; each request calls
/// `raise`. Gives the socket's path and name.
#[cfg(unix)]
fn listen_for_raise(
    stop: Arc<AtomicBool>,
    raise: impl Fn() + Send + 'static,
) -> std::io::Result<(PathBuf, String)> {
    let name = uuid::Uuid::new_v4().simple().to_string();
    let socket = raise_folder()?.join(&name);
    let listener = UnixListener::bind(&socket)?;
    let spawned = std::thread::Builder::new()
        .name("folio-instance".to_owned())
        .spawn(move || serve(listener, &stop, raise));
    if let Err(e) = spawned {
        let _ = fs::remove_file(&socket);
        return Err(e);
    }
    Ok((socket, name))
}

#[cfg(not(unix))]
fn listen_for_raise(
    _stop: Arc<AtomicBool>,
    _raise: impl Fn() + Send + 'static,
) -> std::io::Result<(PathBuf, String)> {
    Err(std::io::Error::other(
        "bringing a window to the front needs Unix sockets",
    ))
}

#[cfg(unix)]
fn serve(listener: UnixListener, stop: &AtomicBool, raise: impl Fn()) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(mut stream) = stream else { continue };
        if is_raise_request(&mut stream, Instant::now() + REQUEST_DEADLINE) {
            raise();
            let _ = stream.set_write_timeout(Some(REQUEST_DEADLINE));
            let _ = stream.write_all(RAISED);
        }
    }
}

/// Whether `stream` sends the request before `deadline`. The deadline holds for the whole
/// request: a timeout per read would let a client sending a byte now and then hold the
/// listener for as long as it liked.
#[cfg(unix)]
fn is_raise_request(stream: &mut UnixStream, deadline: Instant) -> bool {
    let mut request = Vec::with_capacity(RAISE.len());
    let mut buffer = [0_u8; RAISE.len()];
    while request.len() < RAISE.len() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return false;
        }
        match stream.read(&mut buffer[..RAISE.len() - request.len()]) {
            Ok(0) | Err(_) => return false,
            Ok(read) => request.extend_from_slice(&buffer[..read]),
        }
    }
    request == RAISE
}

/// Asks the Folio listening on the socket `name` (in this user's [`raise_folder`]) to bring
/// its window to the front. True when it did.
#[cfg(unix)]
pub fn ask_to_raise(name: &str) -> bool {
    let Some(socket) = socket_path(name) else {
        return false;
    };
    let Ok(mut stream) = UnixStream::connect(socket) else {
        return false;
    };
    let timeout = Some(Duration::from_secs(2));
    if stream.set_read_timeout(timeout).is_err()
        || stream.set_write_timeout(timeout).is_err()
        || stream.write_all(RAISE).is_err()
    {
        return false;
    }
    let mut answer = Vec::new();
    let _ = stream.take(RAISED.len() as u64).read_to_end(&mut answer);
    answer == RAISED
}

#[cfg(not(unix))]
pub fn ask_to_raise(_name: &str) -> bool {
    false
}

/// Where the socket `name` is, if the name is one Folio makes.
fn socket_path(name: &str) -> Option<PathBuf> {
    is_socket_name(name)
        .then(|| raise_folder().ok().map(|folder| folder.join(name)))
        .flatten()
}

fn remove_socket(name: &str) {
    if let Some(socket) = socket_path(name) {
        let _ = fs::remove_file(socket);
    }
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
        if let Some(socket) = &self.socket {
            // Wakes the listening thread so it sees the stop, then removes the socket.
            #[cfg(unix)]
            let _ = UnixStream::connect(socket);
            let _ = fs::remove_file(socket);
        }
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
        let Acquired::Elsewhere { pid, socket } = acquire(&db, || {}).unwrap() else {
            panic!("the second taker finds it held")
        };
        assert_eq!(pid, Some(std::process::id()));
        assert_eq!(holder_socket(&db), socket);
        assert!(ask_to_raise(&socket.clone().unwrap()));
        assert_eq!(raised.load(Ordering::SeqCst), 1);
        let socket_file = raise_folder().unwrap().join(socket.unwrap());
        assert!(socket_file.exists());
        drop(lock);
        assert!(!socket_file.exists(), "the socket goes with the window");
        assert_eq!(holder_socket(&db), None);
        assert!(matches!(acquire(&db, || {}).unwrap(), Acquired::Mine(_)));
    }

    #[test]
    #[cfg(unix)]
    fn silent_and_dribbling_clients_cannot_keep_a_window_from_being_raised() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("Notes.folio");
        let Acquired::Mine(_lock) = acquire(&db, || {}).unwrap() else {
            panic!("free")
        };
        let name = holder_socket(&db).unwrap();
        let socket = raise_folder().unwrap().join(&name);
        // Connected first, so served first: one says nothing, one sends a byte now and then
        // (each byte well inside a per-read timeout).
        let _silent = UnixStream::connect(&socket).unwrap();
        let mut dribbling = UnixStream::connect(&socket).unwrap();
        let dribbler = std::thread::spawn(move || {
            for _ in 0..20 {
                if dribbling.write_all(b"x").is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(900));
            }
        });
        let started = Instant::now();
        // ask_to_raise gives up after 2 s without an answer.
        assert!(ask_to_raise(&name), "raised despite the slow clients");
        assert!(started.elapsed() < Duration::from_secs(2));
        drop(dribbler);
    }

    #[test]
    #[cfg(unix)]
    fn the_raise_folder_is_private_and_never_a_link_or_shared() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let made = private_folder_in(dir.path()).unwrap();
        let mode = fs::metadata(&made).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "{mode:o}");

        let linked = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(dir.path(), linked.path().join("folio")).unwrap();
        assert!(private_folder_in(linked.path()).is_err());

        let shared = tempfile::tempdir().unwrap();
        fs::create_dir(shared.path().join("folio")).unwrap();
        fs::set_permissions(
            shared.path().join("folio"),
            fs::Permissions::from_mode(0o755),
        )
        .unwrap();
        let refused = private_folder_in(shared.path()).unwrap_err();
        assert!(refused.to_string().contains("other users"), "{refused}");
    }

    #[test]
    fn a_socket_name_in_a_lock_file_cannot_lead_elsewhere() {
        assert_eq!(parse_owner("pid=1 raise=../../tmp/x").1, None);
        assert_eq!(parse_owner("pid=1 raise=/run/user/0/bus").1, None);
        assert_eq!(parse_owner("pid=1 raise=").1, None);
        assert_eq!(
            parse_owner("pid=1 raise=0a1b2c\n"),
            (Some(1), Some("0a1b2c".to_owned()))
        );
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
        fs::write(lock_path(&db), "pid=999999 raise=00ff\n").unwrap();
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
