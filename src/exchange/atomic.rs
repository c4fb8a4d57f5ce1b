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
    if !replace && path.exists() {
        return Err(ExchangeError::Exists {
            path: path.to_owned(),
        });
    }
    let io = ExchangeError::io(path);
    let mut temp = tempfile::Builder::new()
        .prefix(".folio-")
        .tempfile_in(parent_of(path))
        .map_err(ExchangeError::io(path))?;
    {
        let mut out = BufWriter::new(temp.as_file_mut());
        write(&mut out).map_err(ExchangeError::io(path))?;
        out.flush().map_err(ExchangeError::io(path))?;
    }
    readable_by_others(temp.path(), 0o644).map_err(ExchangeError::io(path))?;
    temp.as_file().sync_all().map_err(ExchangeError::io(path))?;
    if replace {
        temp.persist(path).map_err(|e| io(e.error))?;
    } else {
        // Fails rather than replaces if the file appeared meanwhile.
        temp.persist_noclobber(path).map_err(|e| io(e.error))?;
    }
    Ok(())
}

/// Temporary files and folders are private (0600, 0700); an export is an ordinary file or
/// folder, as if the user had made it.
fn readable_by_others(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
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
    let temp = tempfile::Builder::new()
        .prefix(".folio-export-")
        .tempdir_in(parent)
        .map_err(ExchangeError::io(parent))?;
    fill(temp.path())?;
    readable_by_others(temp.path(), 0o755).map_err(ExchangeError::io(path))?;
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
