//! Writing a file or a folder so that a crash, a full disk or an error leaves either the old
//! target or the whole new one, never half of it.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::{ExchangeError, ExchangeResult};

/// The folder a target lives in (the current folder for a bare file name).
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Writes `path` through a temporary file in the same folder, synced and then renamed into
/// place. An existing file is replaced only when `replace` is set (the user confirmed it).
pub fn write_file(
    path: &Path,
    replace: bool,
    write: impl FnOnce(&mut BufWriter<&mut fs::File>) -> std::io::Result<()>,
) -> ExchangeResult<()> {
    write_file_with_mode(path, replace, ORDINARY_FILE, write)
}

/// [`write_file`] for a file that holds everything (a backup): readable by its owner alone,
/// whatever the umask.
pub fn write_private_file(
    path: &Path,
    replace: bool,
    write: impl FnOnce(&mut BufWriter<&mut fs::File>) -> std::io::Result<()>,
) -> ExchangeResult<()> {
    write_file_with_mode(path, replace, 0o600, write)
}

/// The mode an export is created with before the umask: as any program makes a file, so a
/// user's `umask 077` keeps it private and the usual `022` makes it 0644.
const ORDINARY_FILE: u32 = 0o666;
/// The same for a folder.
const ORDINARY_FOLDER: u32 = 0o777;

/// Temporary files and folders are created with `mode`, which the kernel narrows by the
/// user's umask; the rename keeps it. Nothing widens a mode afterwards.
pub(super) fn with_mode(builder: &mut tempfile::Builder<'_, '_>, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = (builder, mode);
}

fn write_file_with_mode(
    path: &Path,
    replace: bool,
    mode: u32,
    write: impl FnOnce(&mut BufWriter<&mut fs::File>) -> std::io::Result<()>,
) -> ExchangeResult<()> {
    if !replace && path.exists() {
        return Err(ExchangeError::Exists {
            path: path.to_owned(),
        });
    }
    let io = ExchangeError::io(path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".folio-");
    with_mode(&mut builder, mode);
    let mut temp = builder
        .tempfile_in(parent_of(path))
        .map_err(ExchangeError::io(path))?;
    {
        let mut out = BufWriter::new(temp.as_file_mut());
        write(&mut out).map_err(ExchangeError::io(path))?;
        out.flush().map_err(ExchangeError::io(path))?;
    }
    temp.as_file().sync_all().map_err(ExchangeError::io(path))?;
    if replace {
        temp.persist(path).map_err(|e| io(e.error))?;
    } else {
        // Fails rather than replaces if the file appeared meanwhile.
        temp.persist_noclobber(path).map_err(|e| io(e.error))?;
    }
    Ok(())
}

/// Fills a new folder at `path` by writing into a temporary folder beside it and renaming that
/// into place. `path` must not exist, or be an empty folder.
pub fn write_folder(
    path: &Path,
    fill: impl FnOnce(&Path) -> ExchangeResult<()>,
) -> ExchangeResult<()> {
    if path.exists() {
        let empty = fs::read_dir(path)
            .map_err(ExchangeError::io(path))?
            .next()
            .is_none();
        if !empty {
            return Err(ExchangeError::Exists {
                path: path.to_owned(),
            });
        }
    }
    let parent = parent_of(path);
    fs::create_dir_all(parent).map_err(ExchangeError::io(parent))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".folio-export-");
    with_mode(&mut builder, ORDINARY_FOLDER);
    let temp = builder
        .tempdir_in(parent)
        .map_err(ExchangeError::io(parent))?;
    fill(temp.path())?;
    if path.exists() {
        // Empty, checked above; rename cannot replace a folder on every system.
        fs::remove_dir(path).map_err(ExchangeError::io(path))?;
    }
    let temp_path = temp.keep();
    fs::rename(&temp_path, path).map_err(|e| {
        let _ = fs::remove_dir_all(&temp_path);
        ExchangeError::Io {
            path: path.to_owned(),
            source: e,
        }
    })
}
