//! Contacts with their emails, phones, postal addresses and groups.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sqlite::Sqlite;

use super::contact_details::{
    Details, MoreDetails, addresses_of, emails_of, more_details_of, phones_of, write_details,
};
use super::contact_photos::{photos_of, write_photo};
use super::error::{DbError, DbResult};
use super::ids::{ContactId, TagId, Timestamp, Version};
use super::notes::{CONFLICT_TAG, Merged, Saved, conflict_title, next_write};
use super::schema::{contact_tags, contacts, tags};
use super::search_index;
use super::tags::{Tag, delete_if_unused};
use super::{Repository, new_uuid, now};
use crate::search::fold;

pub use super::contact_types::*;

#[derive(Queryable, Selectable)]
#[diesel(table_name = contacts, check_for_backend(Sqlite))]
struct ContactRow {
    id: ContactId,
    uuid: String,
    given_name: String,
    family_name: String,
    middle_name: String,
    name_prefix: String,
    name_suffix: String,
    nickname: String,
    display_name: String,
    organization: String,
    department: String,
    job_title: String,
    birthday_year: Option<i32>,
    birthday_month: Option<i32>,
    birthday_day: Option<i32>,
    notes: String,
    favorite: bool,
    created_at: Timestamp,
    updated_at: Timestamp,
    deleted_at: Option<Timestamp>,
    card_extra: String,
    version: Version,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = contacts, treat_none_as_null = true)]
pub(super) struct ContactFields<'a> {
    given_name: &'a str,
    family_name: &'a str,
    middle_name: &'a str,
    name_prefix: &'a str,
    name_suffix: &'a str,
    nickname: &'a str,
    display_name: &'a str,
    organization: &'a str,
    department: &'a str,
    job_title: &'a str,
    birthday_year: Option<i32>,
    birthday_month: Option<i32>,
    birthday_day: Option<i32>,
    notes: &'a str,
    favorite: bool,
    sort_given: String,
    sort_family: String,
}

impl<'a> ContactFields<'a> {
    pub(super) fn from_draft(draft: &'a ContactDraft) -> Self {
        let fallback = fold(&derived_label(&NameParts {
            display_name: &draft.display_name,
            organization: &draft.organization,
            first_email_or_phone: draft.first_email_or_phone(),
            ..NameParts::default()
        }));
        let key = |first: &str, second: &str| {
            let name = format!("{} {}", first.trim(), second.trim());
            let name = name.trim();
            if name.is_empty() {
                fallback.clone()
            } else {
                fold(name)
            }
        };
        ContactFields {
            given_name: &draft.given_name,
            family_name: &draft.family_name,
            middle_name: &draft.middle_name,
            name_prefix: &draft.name_prefix,
            name_suffix: &draft.name_suffix,
            nickname: &draft.nickname,
            display_name: &draft.display_name,
            organization: &draft.organization,
            department: &draft.department,
            job_title: &draft.job_title,
            birthday_year: draft.birthday.and_then(|b| b.year),
            birthday_month: draft.birthday.map(|b| i32::from(b.month)),
            birthday_day: draft.birthday.map(|b| i32::from(b.day)),
            notes: &draft.notes,
            favorite: draft.favorite,
            sort_given: key(&draft.given_name, &draft.family_name),
            sort_family: key(&draft.family_name, &draft.given_name),
        }
    }
}

fn validate(draft: &ContactDraft) -> DbResult<()> {
    super::contact_photos::check_photo(draft.photo.as_ref())?;
    let dates = draft
        .birthday
        .iter()
        .chain(draft.dates.iter().map(|d| &d.date));
    for b in dates {
        if Birthday::new(b.year, b.month, b.day).is_none() {
            return Err(DbError::Invalid(format!(
                "{}-{:02}-{:02} is not a date in the calendar.",
                b.year.map_or("--".to_owned(), |y| y.to_string()),
                b.month,
                b.day
            )));
        }
    }
    Ok(())
}

/// Inserts a contact and indexes it.
fn insert_contact(
    conn: &mut SqliteConnection,
    draft: &ContactDraft,
    tag_cache: &mut HashMap<String, TagId>,
) -> DbResult<ContactId> {
    let id = insert_contact_row(conn, draft, tag_cache)?;
    search_index::index_contact(conn, id)?;
    Ok(id)
}

/// Inserts a contact with its sub-rows, leaving the search index to the caller: an import
/// indexes all its contacts after their rows, so FTS5 writes its entries in one batch rather
/// than flushing at each contact's statements.
fn insert_contact_row(
    conn: &mut SqliteConnection,
    draft: &ContactDraft,
    tag_cache: &mut HashMap<String, TagId>,
) -> DbResult<ContactId> {
    validate(draft)?;
    let stamp = now();
    let created = draft.created.unwrap_or(stamp);
    let uuid = draft.uuid.clone().unwrap_or_else(new_uuid);
    let id: ContactId = diesel::insert_into(contacts::table)
        .values((
            ContactFields::from_draft(draft),
            contacts::uuid.eq(&uuid),
            contacts::created_at.eq(created),
            contacts::updated_at.eq(draft.updated.unwrap_or(created.max(stamp))),
            contacts::card_extra.eq(&draft.card_extra),
        ))
        .returning(contacts::id)
        .get_result(conn)?;
    write_details(conn, id, draft, tag_cache, Details::New)?;
    if draft.photo.is_some() {
        write_photo(conn, id, draft.photo.as_ref())?;
    }
    Ok(id)
}

/// Checks, inside a write's transaction, that the contact is still at version `seen`; see
/// [`super::notes::claim_note`].
pub(super) fn claim_contact(
    conn: &mut SqliteConnection,
    id: ContactId,
    seen: Version,
) -> DbResult<Saved> {
    let stored: (Version, Timestamp) = contacts::table
        .find(id)
        .select((contacts::version, contacts::updated_at))
        .first(conn)
        .optional()?
        .ok_or_else(|| DbError::not_found("contact"))?;
    next_write("contact", stored, seen)
}

/// Every contact as a draft (UUID and dates included) with when it was trashed, in id order:
/// six queries whatever the number of contacts.
pub(super) fn all_contact_drafts(
    conn: &mut SqliteConnection,
) -> DbResult<Vec<(ContactDraft, Option<Timestamp>)>> {
    let rows: Vec<ContactRow> = contacts::table
        .order(contacts::id)
        .select(ContactRow::as_select())
        .load(conn)?;
    let mut emails = emails_of(conn, None)?;
    let mut phones = phones_of(conn, None)?;
    let mut addresses = addresses_of(conn, None)?;
    let mut more = more_details_of(conn, None)?;
    let mut photos = photos_of(conn, None)?;
    let mut groups: HashMap<ContactId, Vec<String>> = HashMap::new();
    for (id, name) in contact_tags::table
        .inner_join(tags::table)
        .order((contact_tags::contact_id, tags::name_key))
        .select((contact_tags::contact_id, tags::name))
        .load::<(ContactId, String)>(conn)?
    {
        groups.entry(id).or_default().push(name);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let id = row.id;
            let deleted = row.deleted_at;
            let contact = contact_from_row(
                row,
                emails.remove(&id).unwrap_or_default(),
                phones.remove(&id).unwrap_or_default(),
                addresses.remove(&id).unwrap_or_default(),
                more.remove(&id).unwrap_or_default(),
                photos.remove(&id),
                Vec::new(),
            );
            let mut draft = draft_of(contact);
            draft.groups = groups.remove(&id).unwrap_or_default();
            (draft, deleted)
        })
        .collect())
}

/// A stored contact from its row and details.
fn contact_from_row(
    row: ContactRow,
    emails: Vec<LabeledEmail>,
    phones: Vec<LabeledPhone>,
    addresses: Vec<PostalAddress>,
    more: MoreDetails,
    photo: Option<Photo>,
    groups: Vec<Tag>,
) -> Contact {
    Contact {
        id: row.id,
        uuid: row.uuid,
        given_name: row.given_name,
        family_name: row.family_name,
        middle_name: row.middle_name,
        name_prefix: row.name_prefix,
        name_suffix: row.name_suffix,
        nickname: row.nickname,
        display_name: row.display_name,
        organization: row.organization,
        department: row.department,
        job_title: row.job_title,
        birthday: birthday_from_columns(row.birthday_year, row.birthday_month, row.birthday_day),
        notes: row.notes,
        favorite: row.favorite,
        created: row.created_at,
        updated: row.updated_at,
        deleted: row.deleted_at,
        emails,
        phones,
        addresses,
        websites: more.websites,
        dates: more.dates,
        related: more.related,
        profiles: more.profiles,
        photo,
        groups,
        card_extra: row.card_extra,
        version: row.version,
    }
}

/// The editable form of a stored contact, UUID and dates included: what the window edits
/// without reading the contact again.
impl From<Contact> for ContactDraft {
    fn from(contact: Contact) -> Self {
        draft_of(contact)
    }
}

fn draft_of(c: Contact) -> ContactDraft {
    ContactDraft {
        given_name: c.given_name,
        family_name: c.family_name,
        middle_name: c.middle_name,
        name_prefix: c.name_prefix,
        name_suffix: c.name_suffix,
        nickname: c.nickname,
        display_name: c.display_name,
        organization: c.organization,
        department: c.department,
        job_title: c.job_title,
        birthday: c.birthday,
        notes: c.notes,
        favorite: c.favorite,
        emails: c.emails,
        phones: c.phones,
        addresses: c.addresses,
        websites: c.websites,
        dates: c.dates,
        related: c.related,
        profiles: c.profiles,
        photo: c.photo,
        groups: c.groups.into_iter().map(|g| g.name).collect(),
        uuid: Some(c.uuid),
        created: Some(c.created),
        updated: Some(c.updated),
        card_extra: c.card_extra,
    }
}

/// Writes the search index entries of contacts just inserted, in one batch: FTS5 flushes at
/// each statement otherwise.
pub(super) fn index_new_contacts<'a>(
    conn: &mut SqliteConnection,
    added: impl IntoIterator<Item = (ContactId, &'a ContactDraft)>,
) -> DbResult<()> {
    let documents: Vec<(ContactId, String)> = added
        .into_iter()
        .map(|(id, d)| (id, search_index::contact_document(d)))
        .collect();
    search_index::index_new_contacts(conn, &documents)
}

/// A stored contact as a merge finds it: its id, last change and version.
pub(super) type StoredContact = (ContactId, Timestamp, Version);

/// The stored contacts with these UUIDs, in a few queries.
pub(super) fn contacts_by_uuid(
    conn: &mut SqliteConnection,
    uuids: &[&str],
) -> DbResult<HashMap<String, StoredContact>> {
    let mut found = HashMap::new();
    // SQLite takes at most 32,766 bound values in one statement.
    for chunk in uuids.chunks(30_000) {
        let rows: Vec<(String, ContactId, Timestamp, Version)> = contacts::table
            .filter(contacts::uuid.eq_any(chunk))
            .select((
                contacts::uuid,
                contacts::id,
                contacts::updated_at,
                contacts::version,
            ))
            .load(conn)?;
        found.extend(
            rows.into_iter()
                .map(|(uuid, id, at, version)| (uuid, (id, at, version))),
        );
    }
    Ok(found)
}

/// Merges a contact by its UUID (`existing`: the stored contact with it, if any), the way
/// [`super::notes::merge_note`] merges a note. Its links to notes stay. A contact added is not in the search index yet: the caller indexes all it
/// added at once ([`index_new_contacts`]). The caller holds the transaction.
pub(super) fn merge_contact(
    conn: &mut SqliteConnection,
    draft: &ContactDraft,
    deleted: Option<Timestamp>,
    existing: Option<StoredContact>,
    tag_cache: &mut HashMap<String, TagId>,
) -> DbResult<(ContactId, Merged)> {
    let (id, merged) = match existing {
        None => (insert_contact_row(conn, draft, tag_cache)?, Merged::Added),
        Some((id, stored, version)) if draft.updated.is_some_and(|u| u > stored) => {
            validate(draft)?;
            // Read in this transaction, so it is the stored version unless the same UUID came
            // twice in one file: then the later copy is the one that counts.
            let replaced = diesel::update(
                contacts::table
                    .find(id)
                    .filter(contacts::version.eq(version)),
            )
            .set((
                ContactFields::from_draft(draft),
                contacts::updated_at.eq(draft.updated.unwrap_or(stored)),
                contacts::card_extra.eq(&draft.card_extra),
                contacts::version.eq(contacts::version + 1),
            ))
            .execute(conn)?;
            if replaced == 0 {
                return Err(DbError::Conflict { what: "contact" });
            }
            if let Some(created) = draft.created {
                diesel::update(contacts::table.find(id))
                    .set(contacts::created_at.eq(created))
                    .execute(conn)?;
            }
            write_details(conn, id, draft, tag_cache, Details::Replace)?;
            write_photo(conn, id, draft.photo.as_ref())?;
            search_index::index_contact(conn, id)?;
            (id, Merged::Updated)
        }
        Some((id, ..)) => return Ok((id, Merged::Kept)),
    };
    // A new contact is inserted live; only a trashed one needs its trash time.
    if merged == Merged::Updated || deleted.is_some() {
        diesel::update(contacts::table.find(id))
            .set(contacts::deleted_at.eq(deleted))
            .execute(conn)?;
    }
    Ok((id, merged))
}

/// A list row's columns: id, UUID, display name, prefix, given, middle and family names,
/// suffix, organisation,
/// favourite, birthday, trashed, version.
pub(super) type SummaryRow = (
    ContactId,
    String,
    (String, String, String, String, String, String),
    String,
    bool,
    (Option<i32>, Option<i32>, Option<i32>),
    Option<Timestamp>,
    Version,
);

pub(super) fn birthday_from_columns(
    year: Option<i32>,
    month: Option<i32>,
    day: Option<i32>,
) -> Option<Birthday> {
    Birthday::new(year, u8::try_from(month?).ok()?, u8::try_from(day?).ok()?)
}

/// Whether a contact is read with its photo's bytes (up to 10 MB) or without.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Photos {
    Read,
    LeftOut,
}

/// What the search index reads of a contact: everything but the photo, which it never
/// searches (every save reindexes the contact).
pub(super) fn load_searchable_draft(
    conn: &mut SqliteConnection,
    id: ContactId,
) -> DbResult<ContactDraft> {
    Ok(draft_of(load_contact(conn, id, Photos::LeftOut)?))
}

/// A stored contact with all its details.
fn load_contact(conn: &mut SqliteConnection, id: ContactId, photo: Photos) -> DbResult<Contact> {
    let row: ContactRow = contacts::table
        .find(id)
        .select(ContactRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| DbError::not_found("contact"))?;
    let emails = emails_of(conn, Some(&[id]))?
        .remove(&id)
        .unwrap_or_default();
    let phones = phones_of(conn, Some(&[id]))?
        .remove(&id)
        .unwrap_or_default();
    let addresses = addresses_of(conn, Some(&[id]))?
        .remove(&id)
        .unwrap_or_default();
    let more = more_details_of(conn, Some(&[id]))?
        .remove(&id)
        .unwrap_or_default();
    let photo = match photo {
        Photos::Read => photos_of(conn, Some(&[id]))?.remove(&id),
        Photos::LeftOut => None,
    };
    let groups = contact_tags::table
        .inner_join(tags::table)
        .filter(contact_tags::contact_id.eq(id))
        .order(tags::name_key)
        .select(Tag::as_select())
        .load(conn)?;
    Ok(contact_from_row(
        row, emails, phones, addresses, more, photo, groups,
    ))
}

/// A stored contact as a draft, all its details included (what the search index reads, what
/// a merge starts from).
pub(super) fn load_contact_draft(
    conn: &mut SqliteConnection,
    id: ContactId,
) -> DbResult<ContactDraft> {
    Ok(draft_of(load_contact(conn, id, Photos::Read)?))
}

/// The step of the address-book fields' upgrade (migration 000006) that SQL cannot do: each
/// contact whose kept vCard lines hold what is now a field, or whose organisation has a
/// department glued to it, gets its fields from them. Its version goes up; when it last changed
/// does not, since its owner changed nothing. Runs in the migration's transaction.
pub(super) fn move_kept_card_fields(conn: &mut SqliteConnection) -> DbResult<usize> {
    let candidates: Vec<ContactId> = contacts::table
        .filter(
            contacts::card_extra
                .ne("")
                .or(contacts::organization.like("%; %")),
        )
        .select(contacts::id)
        .load(conn)?;
    let mut tag_cache = HashMap::new();
    let mut moved = 0;
    for id in candidates {
        let mut draft = draft_of(load_contact(conn, id, Photos::Read)?);
        if !crate::exchange::vcard_fields::move_kept_lines_into_fields(&mut draft) {
            continue;
        }
        diesel::update(contacts::table.find(id))
            .set((
                ContactFields::from_draft(&draft),
                contacts::card_extra.eq(&draft.card_extra),
                contacts::version.eq(contacts::version + 1),
            ))
            .execute(conn)?;
        write_details(conn, id, &draft, &mut tag_cache, Details::Replace)?;
        search_index::index_contact(conn, id)?;
        moved += 1;
    }
    Ok(moved)
}

impl Repository {
    pub fn create_contact(&mut self, draft: &ContactDraft) -> DbResult<Contact> {
        let id = self.write(|conn| insert_contact(conn, draft, &mut HashMap::new()))?;
        self.contact(id)
    }

    /// Creates many contacts in one transaction: all of them or, on any error, none. The
    /// search index is written after all the rows, in one batch.
    pub fn import_contacts(&mut self, drafts: &[ContactDraft]) -> DbResult<Vec<ContactId>> {
        self.write(|conn| {
            let mut tag_cache = HashMap::new();
            let ids = drafts
                .iter()
                .map(|draft| insert_contact_row(conn, draft, &mut tag_cache))
                .collect::<DbResult<Vec<_>>>()?;
            index_new_contacts(conn, ids.iter().copied().zip(drafts))?;
            Ok(ids)
        })
    }

    /// Saves a whole contact over version `seen`, the one the draft was edited from: its
    /// fields, and its emails, phones, addresses and groups replaced by the draft's, in one
    /// transaction. The vCard properties kept from an import stay as they are: the window has
    /// no field for them. Fails with [`DbError::Conflict`], changing nothing, when the stored
    /// contact is another version by now ([`Repository::keep_contact_conflict_copy`]).
    pub fn update_contact(
        &mut self,
        id: ContactId,
        seen: Version,
        draft: &ContactDraft,
    ) -> DbResult<Contact> {
        validate(draft)?;
        self.write(|conn| {
            let saved = claim_contact(conn, id, seen)?;
            diesel::update(contacts::table.find(id).filter(contacts::version.eq(seen)))
                .set((
                    ContactFields::from_draft(draft),
                    contacts::updated_at.eq(saved.updated),
                    contacts::version.eq(saved.version),
                ))
                .execute(conn)?;
            write_details(conn, id, draft, &mut HashMap::new(), Details::Replace)?;
            search_index::index_contact(conn, id)
        })?;
        self.contact(id)
    }

    /// Keeps a draft that could not be saved over a contact changed elsewhere
    /// ([`DbError::Conflict`]) as a new contact: its name gets "(conflict, 1 Dec 2026 14:03)"
    /// and it joins the group [`CONFLICT_TAG`]. The original is left as the other writer made it.
    pub fn keep_contact_conflict_copy(&mut self, draft: &ContactDraft) -> DbResult<Contact> {
        let mut copy = draft.clone();
        copy.display_name = conflict_title(&draft.label(), Timestamp::now());
        copy.groups.push(CONFLICT_TAG.to_owned());
        copy.uuid = None;
        copy.created = None;
        copy.updated = None;
        self.create_contact(&copy)
    }

    /// The stored version of a contact; `None` when it was deleted for good.
    pub fn contact_version(&mut self, id: ContactId) -> DbResult<Option<Version>> {
        Ok(contacts::table
            .find(id)
            .select(contacts::version)
            .first(&mut self.conn)
            .optional()?)
    }

    pub fn contact(&mut self, id: ContactId) -> DbResult<Contact> {
        load_contact(&mut self.conn, id, Photos::Read)
    }

    pub fn set_contact_favorite(
        &mut self,
        id: ContactId,
        seen: Version,
        favorite: bool,
    ) -> DbResult<Version> {
        self.set_contact_column(id, seen, contacts::favorite.eq(favorite))
    }

    /// Moves a contact to the trash. Its notes stay; so do the links, until it is purged.
    pub fn trash_contact(&mut self, id: ContactId, seen: Version) -> DbResult<Version> {
        self.set_contact_column(id, seen, contacts::deleted_at.eq(Some(now())))
    }

    pub fn restore_contact(&mut self, id: ContactId, seen: Version) -> DbResult<Version> {
        self.set_contact_column(id, seen, contacts::deleted_at.eq(None::<Timestamp>))
    }

    /// One column of version `seen` of a contact; returns the new version.
    fn set_contact_column<V>(
        &mut self,
        id: ContactId,
        seen: Version,
        change: V,
    ) -> DbResult<Version>
    where
        V: diesel::AsChangeset<Target = contacts::table>,
        V::Changeset: diesel::query_builder::QueryFragment<Sqlite>,
    {
        self.write(|conn| {
            let saved = claim_contact(conn, id, seen)?;
            diesel::update(contacts::table.find(id).filter(contacts::version.eq(seen)))
                .set(change)
                .execute(conn)?;
            diesel::update(contacts::table.find(id))
                .set(contacts::version.eq(saved.version))
                .execute(conn)?;
            Ok(saved.version)
        })
    }

    /// Replaces the groups of version `seen` of a contact. Returns them in name order, with
    /// the contact's new version.
    pub fn set_contact_groups<S: AsRef<str>>(
        &mut self,
        id: ContactId,
        seen: Version,
        names: &[S],
    ) -> DbResult<(Vec<Tag>, Version)> {
        let mut draft = self.contact_draft(id)?;
        draft.groups = names.iter().map(|n| n.as_ref().to_owned()).collect();
        let saved = self.update_contact(id, seen, &draft)?;
        Ok((saved.groups, saved.version))
    }

    /// The live contacts named like these people (a related person's name), by the name
    /// folded: first and last names (or, without them, the shown name) equal to it once
    /// folded. One query for each name, through the sort-key index.
    pub fn contacts_named(&mut self, names: &[&str]) -> DbResult<HashMap<String, ContactId>> {
        let mut found = HashMap::new();
        for name in names {
            let key = fold(name.trim());
            if key.is_empty() || found.contains_key(&key) {
                continue;
            }
            let id: Option<ContactId> = contacts::table
                .filter(contacts::deleted_at.is_null())
                .filter(contacts::sort_given.eq(&key))
                .order(contacts::id)
                .select(contacts::id)
                .first(&mut self.conn)
                .optional()?;
            if let Some(id) = id {
                found.insert(key, id);
            }
        }
        Ok(found)
    }

    /// The editable form of a stored contact.
    pub fn contact_draft(&mut self, id: ContactId) -> DbResult<ContactDraft> {
        Ok(draft_of(self.contact(id)?))
    }

    /// Deletes version `seen` of a contact for good, if it is in the trash (one restored or
    /// edited elsewhere since is left alone: [`DbError::Conflict`]), with its emails, phones,
    /// addresses, groups and note links. The notes themselves stay.
    pub fn delete_contact_permanently(&mut self, id: ContactId, seen: Version) -> DbResult<()> {
        self.write(|conn| {
            let tag_ids: Vec<TagId> = contact_tags::table
                .filter(contact_tags::contact_id.eq(id))
                .select(contact_tags::tag_id)
                .load(conn)?;
            let deleted = diesel::delete(
                contacts::table
                    .find(id)
                    .filter(contacts::version.eq(seen))
                    .filter(contacts::deleted_at.is_not_null()),
            )
            .execute(conn)?;
            if deleted == 0 {
                claim_contact(conn, id, seen)?;
                return Err(DbError::Conflict { what: "contact" });
            }
            search_index::unindex_contact(conn, id)?;
            delete_if_unused(conn, &tag_ids)
        })
    }

    /// Moves every live contact to the trash in one statement ("Clear all contacts"). Returns
    /// how many moved; they can be restored from the trash.
    pub fn trash_all_contacts(&mut self) -> DbResult<usize> {
        self.write(|conn| {
            Ok(
                diesel::update(contacts::table.filter(contacts::deleted_at.is_null()))
                    .set((
                        contacts::deleted_at.eq(Some(now())),
                        contacts::version.eq(contacts::version + 1),
                    ))
                    .execute(conn)?,
            )
        })
    }

    /// Deletes every contact in the trash for good, in one transaction. Their notes stay.
    pub fn empty_contact_trash(&mut self) -> DbResult<usize> {
        self.write(|conn| {
            let trashed: Vec<ContactId> = contacts::table
                .filter(contacts::deleted_at.is_not_null())
                .select(contacts::id)
                .load(conn)?;
            // A subquery, not the ids bound: a trash can hold more than SQLite's 32,766 values.
            let tag_ids: Vec<TagId> = contact_tags::table
                .filter(
                    contact_tags::contact_id.eq_any(
                        contacts::table
                            .filter(contacts::deleted_at.is_not_null())
                            .select(contacts::id),
                    ),
                )
                .select(contact_tags::tag_id)
                .distinct()
                .load(conn)?;
            for id in &trashed {
                search_index::unindex_contact(conn, *id)?;
            }
            let deleted =
                diesel::delete(contacts::table.filter(contacts::deleted_at.is_not_null()))
                    .execute(conn)?;
            delete_if_unused(conn, &tag_ids)?;
            Ok(deleted)
        })
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthdays_must_exist_in_the_calendar() {
        assert!(Birthday::new(None, 2, 29).is_some());
        assert!(Birthday::new(Some(2024), 2, 29).is_some());
        assert!(Birthday::new(Some(2023), 2, 29).is_none());
        assert!(Birthday::new(None, 4, 31).is_none());
        assert!(Birthday::new(None, 13, 1).is_none());
        assert!(Birthday::new(Some(0), 1, 1).is_none());
    }

    #[test]
    fn the_label_falls_back_from_display_name_to_names_to_organisation_to_email() {
        let label = |display_name, given_name, family_name, organization, first| {
            derived_label(&NameParts {
                display_name,
                given_name,
                family_name,
                organization,
                first_email_or_phone: first,
                ..NameParts::default()
            })
        };
        assert_eq!(label("Boss", "Ada", "L", "", None), "Boss");
        assert_eq!(label(" ", "Ada", "Lovelace", "", None), "Ada Lovelace");
        assert_eq!(label("", "", "Lovelace", "", None), "Lovelace");
        assert_eq!(label("", "", "", "ACME", Some("a@b")), "ACME");
        assert_eq!(label("", "", "", "", Some("a@b")), "a@b");
        assert_eq!(label("", "", "", "", None), "");
        let middle = NameParts {
            given_name: "Jean",
            middle_name: "Baptiste",
            family_name: "Dupont",
            ..NameParts::default()
        };
        assert_eq!(derived_label(&middle), "Jean Baptiste Dupont");
        let honorifics = NameParts {
            name_prefix: "Dr.",
            name_suffix: "Jr.",
            ..middle
        };
        assert_eq!(derived_label(&honorifics), "Dr. Jean Baptiste Dupont Jr.");
        let title_only = NameParts {
            name_prefix: "Dr.",
            organization: "ACME",
            ..NameParts::default()
        };
        assert_eq!(derived_label(&title_only), "ACME");
    }
}
