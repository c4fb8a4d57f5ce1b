//! Contact photos and their thumbnails. A photo's bytes are read only for one contact (its
//! page, a merge) or for an export; the list reads thumbnails, made once on the list thread
//! ([`Repository::photos_without_thumbnail`], [`Repository::store_thumbnail`]).

use std::collections::HashMap;
use std::sync::Arc;

use diesel::prelude::*;

use super::Repository;
use super::contact_types::{MAX_PHOTO_BYTES, Photo};
use super::contacts::claim_contact;
use super::error::{DbError, DbResult};
use super::ids::{ContactId, Version};
use super::schema::{contact_photos, contact_thumbnails, contacts};

/// Refuses a photo over [`MAX_PHOTO_BYTES`], in words.
pub(super) fn check_photo(photo: Option<&Photo>) -> DbResult<()> {
    match photo {
        Some(p) if p.bytes.len() > MAX_PHOTO_BYTES => Err(DbError::Invalid(format!(
            "The photo is {:.1} MB; Folio keeps photos up to {} MB.",
            p.bytes.len() as f64 / (1024.0 * 1024.0),
            MAX_PHOTO_BYTES / (1024 * 1024)
        ))),
        Some(p) if p.bytes.is_empty() && p.url.trim().is_empty() => {
            Err(DbError::Invalid("The photo is empty.".to_owned()))
        }
        _ => Ok(()),
    }
}

/// Sets a contact's photo (none: removes it), dropping the thumbnail of the one before; a
/// photo with bytes gets a thumbnail row to be made by the list thread. The caller holds the
/// transaction.
pub(super) fn write_photo(
    conn: &mut SqliteConnection,
    id: ContactId,
    photo: Option<&Photo>,
) -> DbResult<()> {
    check_photo(photo)?;
    diesel::delete(contact_thumbnails::table.find(id)).execute(conn)?;
    diesel::delete(contact_photos::table.find(id)).execute(conn)?;
    if let Some(photo) = photo {
        diesel::insert_into(contact_photos::table)
            .values((
                contact_photos::contact_id.eq(id),
                contact_photos::media_type.eq(&photo.media_type),
                contact_photos::url.eq(&photo.url),
                contact_photos::bytes.eq(&photo.bytes[..]),
            ))
            .execute(conn)?;
        if !photo.bytes.is_empty() {
            diesel::insert_into(contact_thumbnails::table)
                .values((
                    contact_thumbnails::contact_id.eq(id),
                    contact_thumbnails::jpeg.eq(None::<Vec<u8>>),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// The photos of these contacts (of all, with `None`).
pub(super) fn photos_of(
    conn: &mut SqliteConnection,
    ids: Option<&[ContactId]>,
) -> DbResult<HashMap<ContactId, Photo>> {
    let mut query = contact_photos::table.into_boxed();
    if let Some(ids) = ids {
        query = query.filter(contact_photos::contact_id.eq_any(ids));
    }
    let rows: Vec<(ContactId, String, String, Vec<u8>)> = query
        .select((
            contact_photos::contact_id,
            contact_photos::media_type,
            contact_photos::url,
            contact_photos::bytes,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, media_type, url, bytes)| {
            let photo = Photo {
                media_type,
                url,
                bytes: Arc::from(bytes),
            };
            (id, photo)
        })
        .collect())
}

/// The thumbnails of these contacts that have one (JPEG bytes), in one query.
pub(super) fn thumbnails_of(
    conn: &mut SqliteConnection,
    ids: &[ContactId],
) -> DbResult<HashMap<ContactId, Arc<[u8]>>> {
    let rows: Vec<(ContactId, Option<Vec<u8>>)> = contact_thumbnails::table
        .filter(contact_thumbnails::contact_id.eq_any(ids))
        .filter(contact_thumbnails::jpeg.is_not_null())
        .select((contact_thumbnails::contact_id, contact_thumbnails::jpeg))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, jpeg)| Some((id, jpeg.filter(|j| !j.is_empty())?)))
        .map(|(id, jpeg)| (id, Arc::from(jpeg)))
        .collect())
}

impl Repository {
    /// Sets or removes the photo of version `seen` of a contact, with its thumbnail when the
    /// caller made it already, in one transaction; returns the new version. A photo over
    /// [`MAX_PHOTO_BYTES`] is refused in words and changes nothing.
    pub fn set_contact_photo(
        &mut self,
        id: ContactId,
        seen: Version,
        photo: Option<&Photo>,
        thumbnail: Option<&[u8]>,
    ) -> DbResult<Version> {
        check_photo(photo)?;
        self.write(|conn| {
            let saved = claim_contact(conn, id, seen)?;
            write_photo(conn, id, photo)?;
            if let (Some(_), Some(jpeg)) = (photo, thumbnail) {
                diesel::replace_into(contact_thumbnails::table)
                    .values((
                        contact_thumbnails::contact_id.eq(id),
                        contact_thumbnails::jpeg.eq(Some(jpeg)),
                    ))
                    .execute(conn)?;
            }
            diesel::update(contacts::table.find(id).filter(contacts::version.eq(seen)))
                .set((
                    contacts::version.eq(saved.version),
                    contacts::updated_at.eq(saved.updated),
                ))
                .execute(conn)?;
            Ok(saved.version)
        })
    }

    /// The photo of a contact, if it has one.
    pub fn contact_photo(&mut self, id: ContactId) -> DbResult<Option<Photo>> {
        Ok(photos_of(&mut self.conn, Some(&[id]))?.remove(&id))
    }

    /// The thumbnail of a contact's photo, once made.
    pub fn contact_thumbnail(&mut self, id: ContactId) -> DbResult<Option<Arc<[u8]>>> {
        Ok(thumbnails_of(&mut self.conn, &[id])?.remove(&id))
    }

    /// Up to `limit` photos whose thumbnail is still to be made, for the list thread: found
    /// through a partial index, without reading any photo.
    pub fn photos_without_thumbnail(&mut self, limit: i64) -> DbResult<Vec<(ContactId, Photo)>> {
        let ids: Vec<ContactId> = contact_thumbnails::table
            .filter(contact_thumbnails::jpeg.is_null())
            .select(contact_thumbnails::contact_id)
            .limit(limit)
            .load(&mut self.conn)?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(photos_of(&mut self.conn, Some(&ids))?.into_iter().collect())
    }

    /// Keeps the thumbnail (JPEG) made from `photo`; empty for a photo that is not a picture
    /// Folio can read, so it is not tried again. Only where one is still to be made for that
    /// photo: it may have been removed or replaced meanwhile. A thumbnail is no edit: the
    /// version stays.
    pub fn store_thumbnail(&mut self, id: ContactId, photo: &Photo, jpeg: &[u8]) -> DbResult<()> {
        self.write(|conn| {
            // The very bytes the thumbnail was made from: a photo replaced meanwhile by one of
            // the same length must not get the old one's face. Compared once per photo.
            let unchanged: bool = diesel::select(diesel::dsl::exists(
                contact_photos::table
                    .find(id)
                    .filter(contact_photos::bytes.eq(&photo.bytes[..])),
            ))
            .get_result(conn)?;
            if !unchanged {
                return Ok(());
            }
            diesel::update(
                contact_thumbnails::table
                    .find(id)
                    .filter(contact_thumbnails::jpeg.is_null()),
            )
            .set(contact_thumbnails::jpeg.eq(Some(jpeg)))
            .execute(conn)?;
            Ok(())
        })
    }
}
