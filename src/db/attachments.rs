//! Pictures and files in notes. A note's Markdown names an attachment as
//! `![caption](attachment:UUID)` or `[name](attachment:UUID)`, so its text stays plain Markdown;
//! the bytes live in the database, once per content however often they are attached.
//!
//! Which notes use which attachment is read off a note's text each time it is written, so the
//! links always agree with what the text shows. An attachment no note refers to any more stays
//! until notes are deleted for good: an edit undone, or a note restored from the trash, finds
//! its pictures again.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::error::{DbError, DbResult};
use super::ids::{NoteId, Timestamp};
use super::schema::{attachment_blobs, attachments, note_attachments, notes, revision_attachments};
use super::{Repository, new_uuid, now};

/// The largest file Folio attaches: 100 MB. A larger one is refused in words.
pub const MAX_ATTACHMENT_BYTES: usize = 100 * 1024 * 1024;

/// What a note's Markdown writes before an attachment's UUID.
pub const ATTACHMENT_SCHEME: &str = "attachment:";

/// A file attached to a note, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Queryable, Selectable)]
#[diesel(table_name = attachments, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Attachment {
    pub uuid: String,
    pub file_name: String,
    pub media_type: String,
    /// In bytes.
    pub size: i64,
    /// The SHA-256 of the bytes, in lower-case hex: equal files have equal hashes.
    pub hash: String,
    #[diesel(column_name = created_at)]
    pub created: Timestamp,
}

impl Attachment {
    /// Whether the preview shows it as a picture (Folio decodes JPEG and PNG).
    pub fn is_picture(&self) -> bool {
        matches!(self.media_type.as_str(), "image/jpeg" | "image/png")
    }

    /// The reference a note's Markdown holds: an image for a picture, a link otherwise, with
    /// the file name as its text so the name reads well in any Markdown viewer.
    pub fn markdown_reference(&self) -> String {
        let text = escape_link_text(&self.file_name);
        let bang = if self.is_picture() { "!" } else { "" };
        format!("{bang}[{text}]({ATTACHMENT_SCHEME}{})", self.uuid)
    }
}

/// A file to attach.
#[derive(Debug, Clone, Copy)]
pub struct NewAttachment<'a> {
    pub file_name: &'a str,
    /// Empty: guessed from the name and the first bytes.
    pub media_type: &'a str,
    pub bytes: &'a [u8],
    /// The attachment's UUID when it has one already (a backup, an export read back); a new
    /// one is made otherwise.
    pub uuid: Option<&'a str>,
    pub created: Option<Timestamp>,
}

/// Brackets and backslashes in a file name would end or bend the link text.
fn escape_link_text(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '[' | ']' | '\\') {
            out.push('\\');
        }
        // A line break would end the paragraph, and the link with it.
        out.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
    out
}

/// The SHA-256 of `bytes`, in lower-case hex.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        use std::fmt::Write as _;
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// The media type of a file, from its first bytes for pictures (a name can lie) and its
/// extension otherwise.
pub fn guess_media_type(file_name: &str, bytes: &[u8]) -> String {
    // The pictures Folio decodes, by the decoder's own reading of the bytes.
    if let Some(picture) = crate::picture::media_type(bytes) {
        return picture.into();
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return "image/gif".into();
    }
    if bytes.starts_with(b"%PDF-") {
        return "application/pdf".into();
    }
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "pdf" => "application/pdf",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "txt" | "text" => "text/plain",
        "md" | "markdown" => "text/markdown",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "zip" => "application/zip",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        _ => "application/octet-stream",
    }
    .into()
}

/// The UUIDs a note's text refers to as `attachment:UUID`, each once, in lower case, in the
/// order they first appear. Anything after `attachment:` that is not a UUID is not a reference.
pub fn attachment_refs(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(ATTACHMENT_SCHEME) {
        let after = &rest[at + ATTACHMENT_SCHEME.len()..];
        if let Some(candidate) = after.get(..36)
            && let Ok(uuid) = uuid::Uuid::try_parse(candidate)
        {
            let uuid = uuid.hyphenated().to_string();
            if !found.contains(&uuid) {
                found.push(uuid);
            }
        }
        rest = after;
    }
    found
}

/// `text` with each `attachment:UUID` reference that `replace` maps (given the UUID in lower
/// case) replaced by what it returns; the others are left as they are.
pub fn rewrite_attachment_refs(
    text: &str,
    mut replace: impl FnMut(&str) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(ATTACHMENT_SCHEME) {
        let end = at + ATTACHMENT_SCHEME.len() + 36;
        let replacement = rest
            .get(at + ATTACHMENT_SCHEME.len()..end)
            .and_then(|candidate| uuid::Uuid::try_parse(candidate).ok())
            .and_then(|uuid| replace(&uuid.hyphenated().to_string()));
        match replacement {
            Some(replacement) => {
                out.push_str(&rest[..at]);
                out.push_str(&replacement);
                rest = &rest[end..];
            }
            None => {
                let skip = at + ATTACHMENT_SCHEME.len();
                out.push_str(&rest[..skip]);
                rest = &rest[skip..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The extension a file of this media type is saved with when its name has none.
pub fn extension_for(media_type: &str) -> &'static str {
    match media_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "application/pdf" => "pdf",
        "text/plain" => "txt",
        _ => "bin",
    }
}

/// Refuses, in words, a file too large to attach.
pub fn check_attachment_size(file_name: &str, size: usize) -> DbResult<()> {
    if size > MAX_ATTACHMENT_BYTES {
        return Err(DbError::Invalid(format!(
            "“{file_name}” is {:.1} MB; Folio attaches files up to {} MB.",
            size as f64 / (1024.0 * 1024.0),
            MAX_ATTACHMENT_BYTES / (1024 * 1024)
        )));
    }
    Ok(())
}

/// Stores a file (its bytes once per content) as an attachment; an attachment with the same
/// UUID already stored is kept as it is. The caller holds the transaction.
pub(super) fn store_attachment(
    conn: &mut SqliteConnection,
    file: &NewAttachment<'_>,
) -> DbResult<Attachment> {
    check_attachment_size(file.file_name, file.bytes.len())?;
    store_with_hash(conn, file, &content_hash(file.bytes))
}

/// [`store_attachment`], for a caller that has the bytes' [`content_hash`] already (hashing
/// 100 MB twice costs a third of a second).
pub(super) fn store_with_hash(
    conn: &mut SqliteConnection,
    file: &NewAttachment<'_>,
    hash: &str,
) -> DbResult<Attachment> {
    check_attachment_size(file.file_name, file.bytes.len())?;
    let uuid = match file.uuid {
        Some(uuid) => uuid::Uuid::try_parse(uuid.trim())
            .map_err(|_| DbError::Invalid(format!("“{uuid}” is not an attachment's UUID.")))?
            .hyphenated()
            .to_string(),
        None => new_uuid(),
    };
    if let Some(stored) = attachment_by_uuid(conn, &uuid)? {
        return Ok(stored);
    }
    // The same file under the same name, attached again or read back from an export, is the
    // attachment already stored: an export imported twice adds nothing.
    if file.uuid.is_none() {
        let same: Option<Attachment> = attachments::table
            .filter(attachments::hash.eq(hash))
            .filter(attachments::file_name.eq(file.file_name.trim()))
            .order(attachments::id)
            .select(Attachment::as_select())
            .first(conn)
            .optional()?;
        if let Some(same) = same {
            return Ok(same);
        }
    }
    diesel::insert_or_ignore_into(attachment_blobs::table)
        .values((
            attachment_blobs::hash.eq(hash),
            attachment_blobs::bytes.eq(file.bytes),
        ))
        .execute(conn)?;
    let media_type = match file.media_type.trim() {
        "" => guess_media_type(file.file_name, file.bytes),
        given => given.to_ascii_lowercase(),
    };
    let file_name = match file.file_name.trim() {
        "" => "attachment".to_owned(),
        name => name.to_owned(),
    };
    let attachment = Attachment {
        uuid,
        file_name,
        media_type,
        size: i64::try_from(file.bytes.len()).unwrap_or(i64::MAX),
        hash: hash.to_owned(),
        created: file.created.unwrap_or_else(now),
    };
    diesel::insert_into(attachments::table)
        .values((
            attachments::uuid.eq(&attachment.uuid),
            attachments::file_name.eq(&attachment.file_name),
            attachments::media_type.eq(&attachment.media_type),
            attachments::size.eq(attachment.size),
            attachments::hash.eq(&attachment.hash),
            attachments::created_at.eq(attachment.created),
            // Until a note's text names it.
            attachments::unlinked_since.eq(Some(now())),
        ))
        .execute(conn)?;
    Ok(attachment)
}

fn attachment_by_uuid(conn: &mut SqliteConnection, uuid: &str) -> DbResult<Option<Attachment>> {
    Ok(attachments::table
        .filter(attachments::uuid.eq(uuid))
        .select(Attachment::as_select())
        .first(conn)
        .optional()?)
}

/// Links a note to exactly the stored attachments its text refers to. The caller holds the
/// transaction. Cheap for the text of most notes, which names no attachment.
pub(super) fn link_attachments(
    conn: &mut SqliteConnection,
    note: NoteId,
    text: &str,
) -> DbResult<()> {
    let wanted: Vec<i32> = ids_of(conn, &attachment_refs(text))?;
    let linked: Vec<i32> = note_attachments::table
        .filter(note_attachments::note_id.eq(note))
        .select(note_attachments::attachment_id)
        .load(conn)?;
    if wanted == linked {
        return Ok(());
    }
    let gone: Vec<i32> = linked
        .iter()
        .copied()
        .filter(|id| !wanted.contains(id))
        .collect();
    diesel::delete(
        note_attachments::table
            .filter(note_attachments::note_id.eq(note))
            .filter(note_attachments::attachment_id.eq_any(&gone)),
    )
    .execute(conn)?;
    let new: Vec<_> = wanted
        .iter()
        .filter(|id| !linked.contains(id))
        .map(|id| {
            (
                note_attachments::note_id.eq(note),
                note_attachments::attachment_id.eq(*id),
            )
        })
        .collect();
    diesel::insert_or_ignore_into(note_attachments::table)
        .values(new)
        .execute(conn)?;
    diesel::update(attachments::table.filter(attachments::id.eq_any(&wanted)))
        .set(attachments::unlinked_since.eq(None::<Timestamp>))
        .execute(conn)?;
    // Those this text named last start their week of grace.
    diesel::update(
        attachments::table
            .filter(attachments::id.eq_any(&gone))
            .filter(diesel::dsl::not(diesel::dsl::exists(
                note_attachments::table.filter(note_attachments::attachment_id.eq(attachments::id)),
            ))),
    )
    .set(attachments::unlinked_since.eq(Some(now())))
    .execute(conn)?;
    Ok(())
}

/// Deletes those of these attachments that only history kept: no note names them, no
/// revision does any more (the retention rule removed the last), and no text let go of them
/// lately (those keep their week of grace, see [`delete_long_unlinked`]). The caller holds
/// the transaction.
pub(super) fn delete_kept_only_by_history(
    conn: &mut SqliteConnection,
    ids: &[i32],
) -> DbResult<usize> {
    let mut never_unlinked = Vec::new();
    for chunk in ids.chunks(10_000) {
        never_unlinked.extend(
            attachments::table
                .filter(attachments::id.eq_any(chunk))
                .filter(attachments::unlinked_since.is_null())
                .select(attachments::id)
                .load::<i32>(conn)?,
        );
    }
    delete_unlinked(conn, &never_unlinked)
}

/// The row ids of the stored attachments a text names.
pub(super) fn attachment_ids_named_in(
    conn: &mut SqliteConnection,
    text: &str,
) -> DbResult<Vec<i32>> {
    ids_of(conn, &attachment_refs(text))
}

/// How long an attachment no text names is kept: long enough to undo, or to paste a cut
/// reference elsewhere.
pub const UNLINKED_KEPT_FOR_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// Deletes the attachments no text has named for [`UNLINKED_KEPT_FOR_MS`], and their bytes.
/// Runs with every delete for good. The caller holds the transaction.
pub(super) fn delete_long_unlinked(conn: &mut SqliteConnection) -> DbResult<usize> {
    let before = Timestamp(now().0.saturating_sub(UNLINKED_KEPT_FOR_MS));
    let ids: Vec<i32> = attachments::table
        .filter(attachments::unlinked_since.lt(before))
        .select(attachments::id)
        .load(conn)?;
    delete_unlinked(conn, &ids)
}

/// The row ids of the stored attachments among `uuids`, ascending.
fn ids_of(conn: &mut SqliteConnection, uuids: &[String]) -> DbResult<Vec<i32>> {
    if uuids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(attachments::table
        .filter(attachments::uuid.eq_any(uuids))
        .select(attachments::id)
        .order(attachments::id)
        .load(conn)?)
}

/// The file names of the attachments a note's text refers to, one a line, for its search
/// document: a note is found by the name of a file in it.
pub(super) fn attachment_names(conn: &mut SqliteConnection, text: &str) -> DbResult<String> {
    let uuids = attachment_refs(text);
    if uuids.is_empty() {
        return Ok(String::new());
    }
    let names: Vec<String> = attachments::table
        .filter(attachments::uuid.eq_any(&uuids))
        .select(attachments::file_name)
        .load(conn)?;
    Ok(names.join("\n"))
}

/// The attachments the notes about to be deleted for good use (`note` alone, or every note in
/// the trash): once those notes are gone, [`delete_unlinked`] removes the ones no other note
/// uses. Only these: a file pasted a moment ago whose reference is not saved yet, a reference
/// cut to be pasted elsewhere, or one brought back by an undo, is no orphan of this delete.
pub(super) fn attachments_of_deleted_notes(
    conn: &mut SqliteConnection,
    note: Option<NoteId>,
) -> DbResult<Vec<i32>> {
    let query = note_attachments::table
        .select(note_attachments::attachment_id)
        .distinct()
        .into_boxed();
    let query = match note {
        Some(id) => query.filter(note_attachments::note_id.eq(id)),
        None => query.filter(
            note_attachments::note_id.eq_any(
                notes::table
                    .filter(notes::deleted_at.is_not_null())
                    .select(notes::id),
            ),
        ),
    };
    Ok(query.load(conn)?)
}

/// Deletes those of these attachments that no note names any more, live or in the trash, and
/// the bytes no attachment uses. The caller holds the transaction. Returns how many went.
pub(super) fn delete_unlinked(conn: &mut SqliteConnection, ids: &[i32]) -> DbResult<usize> {
    let mut deleted = 0;
    // SQLite binds at most 32,766 values in one statement.
    for chunk in ids.chunks(10_000) {
        deleted += diesel::delete(
            attachments::table
                .filter(attachments::id.eq_any(chunk))
                .filter(diesel::dsl::not(diesel::dsl::exists(
                    note_attachments::table
                        .filter(note_attachments::attachment_id.eq(attachments::id)),
                )))
                // A revision that names it could bring it back.
                .filter(diesel::dsl::not(diesel::dsl::exists(
                    revision_attachments::table
                        .filter(revision_attachments::attachment_id.eq(attachments::id)),
                ))),
        )
        .execute(conn)?;
    }
    if deleted > 0 {
        delete_unused_blobs(conn)?;
    }
    Ok(deleted)
}

/// Deletes the stored bytes no attachment uses.
fn delete_unused_blobs(conn: &mut SqliteConnection) -> DbResult<()> {
    diesel::delete(
        attachment_blobs::table.filter(diesel::dsl::not(diesel::dsl::exists(
            attachments::table.filter(attachments::hash.eq(attachment_blobs::hash)),
        ))),
    )
    .execute(conn)?;
    Ok(())
}

/// Every stored attachment, in the order they were attached: what a backup holds. (Which
/// notes use each is in the notes' text.)
pub(super) fn all_attachments(conn: &mut SqliteConnection) -> DbResult<Vec<Attachment>> {
    Ok(attachments::table
        .order(attachments::id)
        .select(Attachment::as_select())
        .load(conn)?)
}

/// The bytes stored under a content hash.
pub(super) fn blob(conn: &mut SqliteConnection, hash: &str) -> DbResult<Option<Vec<u8>>> {
    Ok(attachment_blobs::table
        .find(hash)
        .select(attachment_blobs::bytes)
        .first(conn)
        .optional()?)
}

impl Repository {
    /// Stores a file as an attachment and returns it. Nothing refers to it until a note's text
    /// holds its [`Attachment::markdown_reference`]; saving that note links them. A file over
    /// [`MAX_ATTACHMENT_BYTES`] is refused in words and changes nothing.
    pub fn add_attachment(&mut self, file: &NewAttachment<'_>) -> DbResult<Attachment> {
        self.write(|conn| store_attachment(conn, file))
    }

    /// Deletes those of these attachments that no note refers to: what an import that failed
    /// had stored (new) for its notes' links.
    pub fn delete_unlinked_attachments(&mut self, uuids: &[String]) -> DbResult<usize> {
        if uuids.is_empty() {
            return Ok(0);
        }
        self.write(|conn| {
            let mut ids = Vec::new();
            for chunk in uuids.chunks(10_000) {
                ids.extend(ids_of(conn, chunk)?);
            }
            delete_unlinked(conn, &ids)
        })
    }

    /// The attachment with this UUID, if stored.
    pub fn attachment(&mut self, uuid: &str) -> DbResult<Option<Attachment>> {
        let Ok(uuid) = uuid::Uuid::try_parse(uuid.trim()) else {
            return Ok(None);
        };
        attachment_by_uuid(&mut self.conn, &uuid.hyphenated().to_string())
    }

    /// Stores a file as an attachment unless the same bytes are stored already (under any name),
    /// in which case that attachment is the answer; says whether it was stored now. What an
    /// import uses: a file read back from an export is the attachment it was exported from.
    pub fn add_attachment_once(
        &mut self,
        file: &NewAttachment<'_>,
    ) -> DbResult<(Attachment, bool)> {
        check_attachment_size(file.file_name, file.bytes.len())?;
        let hash = content_hash(file.bytes);
        self.write(|conn| {
            let same: Option<Attachment> = attachments::table
                .filter(attachments::hash.eq(&hash))
                .order(attachments::id)
                .select(Attachment::as_select())
                .first(conn)
                .optional()?;
            match same {
                Some(same) => Ok((same, false)),
                None => Ok((store_with_hash(conn, file, &hash)?, true)),
            }
        })
    }

    /// The bytes stored under a content hash ([`Attachment::hash`]).
    pub fn attachment_blob(&mut self, hash: &str) -> DbResult<Option<Vec<u8>>> {
        blob(&mut self.conn, hash)
    }

    /// The bytes of the attachment with this UUID, if stored.
    pub fn attachment_bytes(&mut self, uuid: &str) -> DbResult<Option<Vec<u8>>> {
        let Some(attachment) = self.attachment(uuid)? else {
            return Ok(None);
        };
        blob(&mut self.conn, &attachment.hash)
    }

    /// The attachments a note's saved text refers to, in the order the text names them.
    pub fn attachments_of_note(&mut self, id: NoteId) -> DbResult<Vec<Attachment>> {
        let body: String = notes::table
            .find(id)
            .select(notes::body)
            .first(&mut self.conn)?;
        self.attachments_named_in(&body)
    }

    /// The stored attachments a text refers to, in the order it names them; references to
    /// attachments not stored are left out.
    pub fn attachments_named_in(&mut self, text: &str) -> DbResult<Vec<Attachment>> {
        let uuids = attachment_refs(text);
        if uuids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<Attachment> = attachments::table
            .filter(attachments::uuid.eq_any(&uuids))
            .select(Attachment::as_select())
            .load(&mut self.conn)?;
        let mut by_uuid: HashMap<String, Attachment> = rows
            .into_iter()
            .map(|attachment| (attachment.uuid.clone(), attachment))
            .collect();
        Ok(uuids
            .iter()
            .filter_map(|uuid| by_uuid.remove(uuid))
            .collect())
    }

    /// How many attachments are stored, and their bytes (each content counted once).
    pub fn attachment_totals(&mut self) -> DbResult<(i64, i64)> {
        let count: i64 = attachments::table.count().get_result(&mut self.conn)?;
        let bytes: Option<i64> = attachment_blobs::table
            .select(diesel::dsl::sql::<
                diesel::sql_types::Nullable<diesel::sql_types::BigInt>,
            >("sum(length(bytes))"))
            .first(&mut self.conn)?;
        Ok((count, bytes.unwrap_or(0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_read_off_the_text_once_each_in_lower_case() {
        let text = "![a](attachment:0F8E2B34-1C2D-4E5F-8A9B-0C1D2E3F4A5B) and \
                    [b](attachment:0f8e2b34-1c2d-4e5f-8a9b-0c1d2e3f4a5b) \
                    [c](attachment:not-a-uuid) attachment:\n\
                    <img src=\"attachment:11111111-2222-4333-8444-555555555555\">";
        assert_eq!(
            attachment_refs(text),
            [
                "0f8e2b34-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
                "11111111-2222-4333-8444-555555555555"
            ]
        );
        assert!(attachment_refs("no attachments here").is_empty());
    }

    #[test]
    fn references_are_rewritten_where_asked_and_left_otherwise() {
        let known = "0f8e2b34-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
        let text = "![a](attachment:0F8E2B34-1C2D-4E5F-8A9B-0C1D2E3F4A5B) \
                    [b](attachment:11111111-2222-4333-8444-555555555555) attachment:x";
        let rewritten = rewrite_attachment_refs(text, |uuid| {
            (uuid == known).then(|| "attachments/a.png".to_owned())
        });
        assert_eq!(
            rewritten,
            "![a](attachments/a.png) \
             [b](attachment:11111111-2222-4333-8444-555555555555) attachment:x"
        );
    }

    #[test]
    fn a_reference_is_an_image_for_a_picture_and_a_link_otherwise() {
        let mut attachment = Attachment {
            uuid: "0f8e2b34-1c2d-4e5f-8a9b-0c1d2e3f4a5b".into(),
            file_name: "scan [1].png".into(),
            media_type: "image/png".into(),
            size: 3,
            hash: content_hash(b"abc"),
            created: Timestamp(0),
        };
        assert_eq!(
            attachment.markdown_reference(),
            "![scan \\[1\\].png](attachment:0f8e2b34-1c2d-4e5f-8a9b-0c1d2e3f4a5b)"
        );
        attachment.media_type = "application/pdf".into();
        assert!(attachment.markdown_reference().starts_with("[scan"));
    }

    #[test]
    fn the_media_type_comes_from_the_bytes_before_the_name() {
        assert_eq!(
            guess_media_type("photo.txt", b"\x89PNG\r\n\x1a\n..."),
            "image/png"
        );
        assert_eq!(
            guess_media_type("receipt.PDF", b"%PDF-1.7"),
            "application/pdf"
        );
        assert_eq!(
            guess_media_type("data.bin", b"\0\x01"),
            "application/octet-stream"
        );
        // A picture whose bytes are damaged is still a picture, to be shown as one that failed.
        assert_eq!(guess_media_type("broken.png", b"garbage"), "image/png");
        assert_eq!(guess_media_type("notes.csv", b"a,b"), "text/csv");
        assert_eq!(
            content_hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
