//! Merging two contacts that are one person: what the merged contact holds, and the merge and
//! its undo as single transactions.
//!
//! The rule is that no value is lost unless the user chose another in its place: a field with
//! one value (a name, the birthday) takes the kept contact's value, or the other's where the
//! user picked it, or whichever is not empty; fields with many values (emails, phones,
//! addresses, websites, dates, relations, profiles, groups) take both, without doubles; the
//! notes of both are kept one after the other; the merged contact is a favourite when either
//! was, and links to the notes of both.

use diesel::prelude::*;

use super::contact_details::{Details, write_details};
use super::contact_photos::write_photo;
use super::contact_types::{ContactDraft, Photo};
use super::contacts::{ContactFields, claim_contact, load_contact_draft};
use super::error::{DbError, DbResult};
use super::ids::{ContactId, NoteId, Timestamp, Version};
use super::schema::{contacts, note_contacts};
use super::{Repository, search_index};
use crate::search::{fold, phone_digits};

/// A field with one value, which a merge takes from one contact or the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum OneValued {
    NamePrefix,
    GivenName,
    MiddleName,
    FamilyName,
    NameSuffix,
    Nickname,
    DisplayName,
    Organization,
    Department,
    JobTitle,
    Birthday,
    Photo,
}

impl OneValued {
    pub const ALL: [OneValued; 12] = [
        OneValued::NamePrefix,
        OneValued::GivenName,
        OneValued::MiddleName,
        OneValued::FamilyName,
        OneValued::NameSuffix,
        OneValued::Nickname,
        OneValued::DisplayName,
        OneValued::Organization,
        OneValued::Department,
        OneValued::JobTitle,
        OneValued::Birthday,
        OneValued::Photo,
    ];

    /// The field's name in the merge window.
    pub fn name(self) -> &'static str {
        match self {
            OneValued::NamePrefix => "Title",
            OneValued::GivenName => "First name",
            OneValued::MiddleName => "Middle name",
            OneValued::FamilyName => "Last name",
            OneValued::NameSuffix => "Suffix",
            OneValued::Nickname => "Nickname",
            OneValued::DisplayName => "Display name",
            OneValued::Organization => "Organisation",
            OneValued::Department => "Department",
            OneValued::JobTitle => "Job title",
            OneValued::Birthday => "Birthday",
            OneValued::Photo => "Photo",
        }
    }

    /// The field's value in a contact, as the merge window shows it ("" when empty).
    pub fn text(self, c: &ContactDraft) -> String {
        let text = match self {
            OneValued::NamePrefix => &c.name_prefix,
            OneValued::GivenName => &c.given_name,
            OneValued::MiddleName => &c.middle_name,
            OneValued::FamilyName => &c.family_name,
            OneValued::NameSuffix => &c.name_suffix,
            OneValued::Nickname => &c.nickname,
            OneValued::DisplayName => &c.display_name,
            OneValued::Organization => &c.organization,
            OneValued::Department => &c.department,
            OneValued::JobTitle => &c.job_title,
            OneValued::Birthday => return c.birthday.map(|b| b.iso()).unwrap_or_default(),
            OneValued::Photo => {
                return c.photo.as_ref().map(Photo::describe).unwrap_or_default();
            }
        };
        text.trim().to_owned()
    }

    /// Copies the field from `from` into `into`.
    fn copy(self, from: &ContactDraft, into: &mut ContactDraft) {
        match self {
            OneValued::NamePrefix => into.name_prefix.clone_from(&from.name_prefix),
            OneValued::GivenName => into.given_name.clone_from(&from.given_name),
            OneValued::MiddleName => into.middle_name.clone_from(&from.middle_name),
            OneValued::FamilyName => into.family_name.clone_from(&from.family_name),
            OneValued::NameSuffix => into.name_suffix.clone_from(&from.name_suffix),
            OneValued::Nickname => into.nickname.clone_from(&from.nickname),
            OneValued::DisplayName => into.display_name.clone_from(&from.display_name),
            OneValued::Organization => into.organization.clone_from(&from.organization),
            OneValued::Department => into.department.clone_from(&from.department),
            OneValued::JobTitle => into.job_title.clone_from(&from.job_title),
            OneValued::Birthday => into.birthday = from.birthday,
            OneValued::Photo => into.photo.clone_from(&from.photo),
        }
    }
}

/// The one-valued fields where the two contacts hold different values, both set: the ones
/// the user chooses between. Values that differ only in case or accents still count as
/// different ("Ann" or "Ann").
pub fn conflicts(kept: &ContactDraft, other: &ContactDraft) -> Vec<OneValued> {
    OneValued::ALL
        .into_iter()
        .filter(|field| match field {
            // Two photos of one size are still two photos: compared whole.
            OneValued::Photo => {
                kept.photo.is_some() && other.photo.is_some() && kept.photo != other.photo
            }
            _ => {
                let (a, b) = (field.text(kept), field.text(other));
                !a.is_empty() && !b.is_empty() && a != b
            }
        })
        .collect()
}

/// The contact `kept` becomes when `other` is merged into it; `from_other` are the fields
/// (among [`conflicts`]) where the user chose the other's value. Identity (UUID) is the kept
/// one's; it was created when the older of the two was.
pub fn merged(kept: &ContactDraft, other: &ContactDraft, from_other: &[OneValued]) -> ContactDraft {
    let mut merged = kept.clone();
    for field in OneValued::ALL {
        let kept_empty = field.text(kept).is_empty();
        if kept_empty || from_other.contains(&field) && !field.text(other).is_empty() {
            field.copy(other, &mut merged);
        }
    }
    merged.favorite = kept.favorite || other.favorite;
    merged.notes = match (kept.notes.trim(), other.notes.trim()) {
        (_, "") => kept.notes.clone(),
        ("", _) => other.notes.clone(),
        (a, b) if a == b || a.contains(b) => kept.notes.clone(),
        _ => format!("{}\n\n{}", kept.notes.trim_end(), other.notes.trim()),
    };
    union(&mut merged.emails, &other.emails, |e| {
        e.address.trim().to_lowercase()
    });
    union(&mut merged.phones, &other.phones, |p| {
        let digits = phone_digits(&p.number);
        if digits.is_empty() {
            p.number.trim().to_owned()
        } else {
            digits
        }
    });
    union(&mut merged.addresses, &other.addresses, |a| {
        a.components().map(fold).join("\n")
    });
    union(&mut merged.websites, &other.websites, |w| {
        w.url.trim().trim_end_matches('/').to_lowercase()
    });
    union(&mut merged.dates, &other.dates, |d| {
        (fold(&d.label), d.date)
    });
    union(&mut merged.related, &other.related, |r| {
        (fold(&r.label), fold(&r.name))
    });
    union(&mut merged.profiles, &other.profiles, |p| {
        (fold(&p.service), p.handle.trim().to_lowercase())
    });
    union(&mut merged.groups, &other.groups, |g| fold(g));
    merged.card_extra =
        crate::exchange::vcard_fields::join_kept_lines(&kept.card_extra, &other.card_extra);
    merged.created = match (kept.created, other.created) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    merged
}

/// Adds the values of `more` that `values` does not hold yet (by `key`), in their order.
fn union<T: Clone, K: PartialEq>(values: &mut Vec<T>, more: &[T], key: impl Fn(&T) -> K) {
    let mut keys: Vec<K> = values.iter().map(&key).collect();
    for value in more {
        let k = key(value);
        if !keys.contains(&k) {
            keys.push(k);
            values.push(value.clone());
        }
    }
}

/// What undoing a merge needs: the kept contact as it was, the versions the merge left, and
/// the note links it added.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeUndo {
    pub kept: ContactId,
    pub kept_before: ContactDraft,
    /// The kept contact's version after the merge; the undo names it.
    pub kept_version: Version,
    pub other: ContactId,
    pub other_version: Version,
    /// Notes that were linked to the other contact only, and were linked to the kept one too.
    pub links_added: Vec<NoteId>,
}

impl Repository {
    /// Merges `other` into `kept` (each at the version the user saw), as one transaction: the
    /// kept contact becomes `merged` (see [`merged`]), gets links to the other's notes, and
    /// the other goes to the trash, its own links left for a restore. Either contact changed
    /// meanwhile is a [`DbError::Conflict`] and nothing changes.
    pub fn merge_contacts(
        &mut self,
        (kept, kept_seen): (ContactId, Version),
        (other, other_seen): (ContactId, Version),
        merged: &ContactDraft,
    ) -> DbResult<MergeUndo> {
        if kept == other {
            return Err(DbError::Invalid(
                "A contact cannot be merged into itself.".to_owned(),
            ));
        }
        self.write(|conn| {
            let kept_before = load_contact_draft(conn, kept)?;
            let kept_saved = claim_contact(conn, kept, kept_seen)?;
            let other_saved = claim_contact(conn, other, other_seen)?;
            let trashed: i64 = contacts::table
                .filter(contacts::id.eq_any([kept, other]))
                .filter(contacts::deleted_at.is_not_null())
                .count()
                .get_result(conn)?;
            if trashed > 0 {
                return Err(DbError::Invalid(
                    "One of the two is in the Trash now; restore it to merge them.".to_owned(),
                ));
            }
            diesel::update(contacts::table.find(kept))
                .set((
                    ContactFields::from_draft(merged),
                    contacts::card_extra.eq(&merged.card_extra),
                    contacts::created_at.eq(merged.created.unwrap_or(kept_saved.updated)),
                    contacts::updated_at.eq(kept_saved.updated),
                    contacts::version.eq(kept_saved.version),
                ))
                .execute(conn)?;
            write_details(
                conn,
                kept,
                merged,
                &mut std::collections::HashMap::new(),
                Details::Replace,
            )?;
            if merged.photo != kept_before.photo {
                write_photo(conn, kept, merged.photo.as_ref())?;
            }
            search_index::index_contact(conn, kept)?;
            let notes_of = |conn: &mut SqliteConnection, id: ContactId| {
                note_contacts::table
                    .filter(note_contacts::contact_id.eq(id))
                    .select(note_contacts::note_id)
                    .load::<NoteId>(conn)
            };
            let already = notes_of(conn, kept)?;
            let links_added: Vec<NoteId> = notes_of(conn, other)?
                .into_iter()
                .filter(|note| !already.contains(note))
                .collect();
            for note in &links_added {
                diesel::insert_into(note_contacts::table)
                    .values((
                        note_contacts::note_id.eq(note),
                        note_contacts::contact_id.eq(kept),
                    ))
                    .execute(conn)?;
            }
            diesel::update(contacts::table.find(other))
                .set((
                    contacts::deleted_at.eq(Some(Timestamp::now())),
                    contacts::version.eq(other_saved.version),
                ))
                .execute(conn)?;
            Ok(MergeUndo {
                kept,
                kept_before,
                kept_version: kept_saved.version,
                other,
                other_version: other_saved.version,
                links_added,
            })
        })
    }

    /// Undoes a merge in one transaction: the kept contact as it was, without the links the
    /// merge added, and the other back from the trash. Either changed since the merge is a
    /// [`DbError::Conflict`] and nothing changes.
    pub fn undo_merge(&mut self, undo: &MergeUndo) -> DbResult<()> {
        self.write(|conn| {
            let kept_saved = claim_contact(conn, undo.kept, undo.kept_version)?;
            let other_saved = claim_contact(conn, undo.other, undo.other_version)?;
            let before = &undo.kept_before;
            diesel::update(contacts::table.find(undo.kept))
                .set((
                    ContactFields::from_draft(before),
                    contacts::card_extra.eq(&before.card_extra),
                    contacts::created_at.eq(before.created.unwrap_or(kept_saved.updated)),
                    contacts::updated_at.eq(before.updated.unwrap_or(kept_saved.updated)),
                    contacts::version.eq(kept_saved.version),
                ))
                .execute(conn)?;
            write_details(
                conn,
                undo.kept,
                before,
                &mut std::collections::HashMap::new(),
                Details::Replace,
            )?;
            write_photo(conn, undo.kept, before.photo.as_ref())?;
            search_index::index_contact(conn, undo.kept)?;
            diesel::delete(
                note_contacts::table
                    .filter(note_contacts::contact_id.eq(undo.kept))
                    .filter(note_contacts::note_id.eq_any(&undo.links_added)),
            )
            .execute(conn)?;
            diesel::update(contacts::table.find(undo.other))
                .set((
                    contacts::deleted_at.eq(None::<Timestamp>),
                    contacts::version.eq(other_saved.version),
                ))
                .execute(conn)?;
            Ok(())
        })
    }
}
