//! A contact's photo from a picture file the user chose or dropped.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use super::{ExchangeError, ExchangeResult};
use crate::db::{ContactId, MAX_PHOTO_BYTES, Photo, Repository, Version};

/// Sets the photo of version `seen` of a contact from a JPEG or PNG file, with its thumbnail,
/// in one transaction. A file over [`MAX_PHOTO_BYTES`], one that is no such picture, or one
/// whose dimensions are beyond what Folio decodes is refused in words and changes nothing.
/// Decoding takes up to a few tenths of a second: it runs on the list thread.
pub fn set_photo_from_file(
    repo: &mut Repository,
    contact: ContactId,
    seen: Version,
    path: &Path,
) -> ExchangeResult<Version> {
    let refuse = |reason: String| ExchangeError::NotAPhoto {
        path: path.to_owned(),
        reason,
    };
    let file = std::fs::File::open(path).map_err(ExchangeError::io(path))?;
    // Read one byte past the limit, so a larger file is known without reading it whole.
    let mut bytes = Vec::new();
    file.take(MAX_PHOTO_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(ExchangeError::io(path))?;
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(refuse(format!(
            "it is larger than {} MB",
            MAX_PHOTO_BYTES / (1024 * 1024)
        )));
    }
    let media_type = crate::picture::media_type(&bytes)
        .ok_or_else(|| refuse("it is not a JPEG or PNG picture".to_owned()))?;
    let thumbnail = crate::picture::thumbnail(&bytes).map_err(|e| refuse(e.to_string()))?;
    let photo = Photo {
        media_type: media_type.to_owned(),
        url: String::new(),
        bytes: Arc::from(bytes),
    };
    Ok(repo.set_contact_photo(contact, seen, Some(&photo), Some(&thumbnail))?)
}
