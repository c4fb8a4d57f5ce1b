//! Files in and out of attachments for the window: attaching files chosen, dropped or pasted,
//! saving a copy, and opening one in the system's program for it.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{ExchangeError, ExchangeResult, atomic};
use crate::db::{Attachment, DbError, MAX_ATTACHMENT_BYTES, NewAttachment, Repository};

/// Something to attach: a file, or a picture pasted from the clipboard (RGBA pixels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachSource {
    File(PathBuf),
    Pasted {
        width: u32,
        height: u32,
        rgba: std::sync::Arc<[u8]>,
    },
}

/// What attaching gave: the attachments stored, and what was refused, in words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attached {
    pub attachments: Vec<Attachment>,
    pub refused: Vec<String>,
}

/// Stores each source as an attachment. A file that cannot be read, is no ordinary file or is
/// over the limit is refused in words and the others are attached.
pub fn attach(repo: &mut Repository, sources: &[AttachSource]) -> ExchangeResult<Attached> {
    let mut attached = Attached::default();
    for source in sources {
        let (name, bytes) = match source {
            AttachSource::File(path) => {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "attachment".to_owned());
                match super::read_regular_file(path, MAX_ATTACHMENT_BYTES as u64) {
                    Ok(bytes) => (name, bytes),
                    Err(reason) => {
                        attached.refused.push(format!("“{name}”: {reason}"));
                        continue;
                    }
                }
            }
            AttachSource::Pasted {
                width,
                height,
                rgba,
            } => match crate::picture::png_of_rgba(*width, *height, rgba.to_vec()) {
                Ok(png) => (pasted_name(), png),
                Err(e) => {
                    attached.refused.push(format!("the pasted picture: {e}"));
                    continue;
                }
            },
        };
        let stored = repo.add_attachment(&NewAttachment {
            file_name: &name,
            media_type: "",
            bytes: &bytes,
            uuid: None,
            created: None,
        });
        match stored {
            Ok(attachment) => attached.attachments.push(attachment),
            Err(DbError::Invalid(reason)) => attached.refused.push(reason),
            Err(other) => return Err(other.into()),
        }
    }
    Ok(attached)
}

/// "Pasted 2026-12-02 14.03.07.png": the name a screenshot gets.
fn pasted_name() -> String {
    format!(
        "Pasted {}.png",
        chrono::Local::now().format("%Y-%m-%d %H.%M.%S")
    )
}

/// Writes a copy of an attachment to `path` (the save dialog asked before replacing a file).
pub fn save_copy(repo: &mut Repository, uuid: &str, path: &Path) -> ExchangeResult<()> {
    let bytes = repo
        .attachment_bytes(uuid)?
        .ok_or(DbError::NotFound { what: "attachment" })?;
    atomic::write_file(path, true, |out| out.write_all(&bytes))
}

/// Writes a copy of an attachment into a private folder of its own (0700, the copy 0600: the
/// system's temporary folder is shared with every user) under the system's temporary folder,
/// and returns its path: what the system's program opens.
pub fn temporary_copy(repo: &mut Repository, uuid: &str) -> ExchangeResult<PathBuf> {
    let attachment = repo
        .attachment(uuid)?
        .ok_or(DbError::NotFound { what: "attachment" })?;
    let bytes = repo
        .attachment_bytes(uuid)?
        .ok_or(DbError::NotFound { what: "attachment" })?;
    let temp = std::env::temp_dir();
    let mut builder = tempfile::Builder::new();
    builder.prefix("folio-open-");
    atomic::with_mode(&mut builder, 0o700);
    let folder = builder
        .tempdir_in(&temp)
        .map_err(ExchangeError::io(&temp))?
        // Kept after Folio quits: the program it opened may still be reading it.
        .keep();
    let path = folder.join(plain_file_name(&attachment.file_name));
    atomic::write_private_file(&path, false, |out| out.write_all(&bytes))?;
    Ok(path)
}

/// A file name of letters, digits, spaces, `.`, `_` and `-` only, its extension kept: what
/// the system's opener gets, so no character of a name someone else chose (`&`, `^`, `%` for
/// Windows' `start`) can mean anything to it.
fn plain_file_name(name: &str) -> String {
    let plain: String = super::markdown::safe_stem(name)
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    // No leading dash, which a program could take for an option.
    match plain.trim_start_matches(['-', ' ']) {
        "" => "attachment".to_owned(),
        plain => plain.to_owned(),
    }
}

/// Opens a file in the system's program for its type, without waiting for it. With
/// `FOLIO_OPEN_WITH` set, that program is given the file instead (tests see what was opened).
pub fn open_in_system(path: &Path) -> ExchangeResult<()> {
    let chosen = std::env::var_os("FOLIO_OPEN_WITH").filter(|program| !program.is_empty());
    let mut command = if let Some(program) = chosen {
        std::process::Command::new(program)
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut start = std::process::Command::new("cmd");
        start.args(["/C", "start", ""]);
        start
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
        .map_err(|e| {
            ExchangeError::Refused(format!(
                "{} could not be started to open it ({e}); the copy is at {}",
                command.get_program().to_string_lossy(),
                path.display()
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_an_opener_gets_means_nothing_to_a_shell() {
        assert_eq!(plain_file_name("x&calc ^%PATH%.pdf"), "x_calc __PATH_.pdf");
        assert_eq!(plain_file_name("--help.png"), "help.png");
        assert_eq!(plain_file_name("Reçu été.jpg"), "Reçu été.jpg");
    }
}
