//! A contact's one-to-many details: emails, phones, postal addresses, websites, dates, related
//! people and profiles, each a table of rows in order, and its groups. Written whole for each
//! save; read for one contact, a page of them, or all.

use std::collections::HashMap;

use diesel::prelude::*;

use super::contact_types::{
    Birthday, ContactDraft, LabeledDate, LabeledEmail, LabeledPhone, LabeledWebsite, PostalAddress,
    Profile, RelatedPerson,
};
use super::error::DbResult;
use super::ids::{ContactId, TagId};
use super::schema::{
    contact_addresses, contact_dates, contact_emails, contact_phones, contact_profiles,
    contact_related, contact_tags, contact_websites,
};
use super::tags::{clean_tag_names, delete_if_unused, ensure_tags_cached};

fn position(index: usize) -> i32 {
    i32::try_from(index).unwrap_or(i32::MAX)
}

/// Whether a contact's sub-rows are written for a row just inserted (nothing to replace) or
/// replace what it had.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Details {
    New,
    Replace,
}

/// Writes a contact's emails, phones, addresses, websites, dates, related people, profiles and
/// groups, replacing what it had with [`Details::Replace`]. The caller holds the transaction, so
/// the contact is never seen half-written. Each row is its own INSERT of one
/// fixed shape, so SQLite prepares it once per connection; a multi-row INSERT has a new shape
/// for each count and was prepared again for every contact of an import.
pub(super) fn write_details(
    conn: &mut SqliteConnection,
    id: ContactId,
    draft: &ContactDraft,
    tag_cache: &mut HashMap<String, TagId>,
    details: Details,
) -> DbResult<()> {
    if details == Details::Replace {
        diesel::delete(contact_emails::table.filter(contact_emails::contact_id.eq(id)))
            .execute(conn)?;
        diesel::delete(contact_phones::table.filter(contact_phones::contact_id.eq(id)))
            .execute(conn)?;
        diesel::delete(contact_addresses::table.filter(contact_addresses::contact_id.eq(id)))
            .execute(conn)?;
        diesel::delete(contact_websites::table.filter(contact_websites::contact_id.eq(id)))
            .execute(conn)?;
        diesel::delete(contact_dates::table.filter(contact_dates::contact_id.eq(id)))
            .execute(conn)?;
        diesel::delete(contact_related::table.filter(contact_related::contact_id.eq(id)))
            .execute(conn)?;
        diesel::delete(contact_profiles::table.filter(contact_profiles::contact_id.eq(id)))
            .execute(conn)?;
    }
    for (i, e) in draft.emails.iter().enumerate() {
        diesel::insert_into(contact_emails::table)
            .values((
                contact_emails::contact_id.eq(id),
                contact_emails::position.eq(position(i)),
                contact_emails::label.eq(&e.label),
                contact_emails::address.eq(&e.address),
            ))
            .execute(conn)?;
    }
    for (i, p) in draft.phones.iter().enumerate() {
        diesel::insert_into(contact_phones::table)
            .values((
                contact_phones::contact_id.eq(id),
                contact_phones::position.eq(position(i)),
                contact_phones::label.eq(&p.label),
                contact_phones::number.eq(&p.number),
            ))
            .execute(conn)?;
    }
    for (i, a) in draft.addresses.iter().enumerate() {
        diesel::insert_into(contact_addresses::table)
            .values((
                contact_addresses::contact_id.eq(id),
                contact_addresses::position.eq(position(i)),
                contact_addresses::label.eq(&a.label),
                contact_addresses::po_box.eq(&a.po_box),
                contact_addresses::extended.eq(&a.extended),
                contact_addresses::street.eq(&a.street),
                contact_addresses::locality.eq(&a.locality),
                contact_addresses::region.eq(&a.region),
                contact_addresses::postal_code.eq(&a.postal_code),
                contact_addresses::country.eq(&a.country),
            ))
            .execute(conn)?;
    }
    for (i, w) in draft.websites.iter().enumerate() {
        diesel::insert_into(contact_websites::table)
            .values((
                contact_websites::contact_id.eq(id),
                contact_websites::position.eq(position(i)),
                contact_websites::label.eq(&w.label),
                contact_websites::url.eq(&w.url),
            ))
            .execute(conn)?;
    }
    for (i, d) in draft.dates.iter().enumerate() {
        diesel::insert_into(contact_dates::table)
            .values((
                contact_dates::contact_id.eq(id),
                contact_dates::position.eq(position(i)),
                contact_dates::label.eq(&d.label),
                contact_dates::year.eq(d.date.year),
                contact_dates::month.eq(i32::from(d.date.month)),
                contact_dates::day.eq(i32::from(d.date.day)),
            ))
            .execute(conn)?;
    }
    for (i, r) in draft.related.iter().enumerate() {
        diesel::insert_into(contact_related::table)
            .values((
                contact_related::contact_id.eq(id),
                contact_related::position.eq(position(i)),
                contact_related::label.eq(&r.label),
                contact_related::name.eq(&r.name),
            ))
            .execute(conn)?;
    }
    for (i, p) in draft.profiles.iter().enumerate() {
        diesel::insert_into(contact_profiles::table)
            .values((
                contact_profiles::contact_id.eq(id),
                contact_profiles::position.eq(position(i)),
                contact_profiles::service.eq(&p.service),
                contact_profiles::handle.eq(&p.handle),
            ))
            .execute(conn)?;
    }
    let previous: Vec<TagId> = match details {
        Details::New => Vec::new(),
        Details::Replace => {
            let previous = contact_tags::table
                .filter(contact_tags::contact_id.eq(id))
                .select(contact_tags::tag_id)
                .load(conn)?;
            diesel::delete(contact_tags::table.filter(contact_tags::contact_id.eq(id)))
                .execute(conn)?;
            previous
        }
    };
    if draft.groups.is_empty() && previous.is_empty() {
        return Ok(());
    }
    let wanted = ensure_tags_cached(conn, &clean_tag_names(&draft.groups), tag_cache)?;
    for tag in &wanted {
        diesel::insert_into(contact_tags::table)
            .values((
                contact_tags::contact_id.eq(id),
                contact_tags::tag_id.eq(tag),
            ))
            .execute(conn)?;
    }
    let dropped: Vec<TagId> = previous
        .into_iter()
        .filter(|t| !wanted.contains(t))
        .collect();
    delete_if_unused(conn, &dropped)?;
    Ok(())
}

/// The emails of these contacts (of all, with `None`), grouped and in order, in one query.
pub(super) fn emails_of(
    conn: &mut SqliteConnection,
    ids: Option<&[ContactId]>,
) -> DbResult<HashMap<ContactId, Vec<LabeledEmail>>> {
    let mut query = contact_emails::table.into_boxed();
    if let Some(ids) = ids {
        query = query.filter(contact_emails::contact_id.eq_any(ids));
    }
    let rows: Vec<(ContactId, String, String)> = query
        .order((contact_emails::contact_id, contact_emails::position))
        .select((
            contact_emails::contact_id,
            contact_emails::label,
            contact_emails::address,
        ))
        .load(conn)?;
    let mut grouped: HashMap<ContactId, Vec<LabeledEmail>> = HashMap::new();
    for (id, label, address) in rows {
        grouped
            .entry(id)
            .or_default()
            .push(LabeledEmail { label, address });
    }
    Ok(grouped)
}

/// The phones of these contacts (of all, with `None`), grouped and in order, in one query.
pub(super) fn phones_of(
    conn: &mut SqliteConnection,
    ids: Option<&[ContactId]>,
) -> DbResult<HashMap<ContactId, Vec<LabeledPhone>>> {
    let mut query = contact_phones::table.into_boxed();
    if let Some(ids) = ids {
        query = query.filter(contact_phones::contact_id.eq_any(ids));
    }
    let rows: Vec<(ContactId, String, String)> = query
        .order((contact_phones::contact_id, contact_phones::position))
        .select((
            contact_phones::contact_id,
            contact_phones::label,
            contact_phones::number,
        ))
        .load(conn)?;
    let mut grouped: HashMap<ContactId, Vec<LabeledPhone>> = HashMap::new();
    for (id, label, number) in rows {
        grouped
            .entry(id)
            .or_default()
            .push(LabeledPhone { label, number });
    }
    Ok(grouped)
}

/// The postal addresses of these contacts (of all, with `None`), grouped and in order, in one
/// query.
pub(super) fn addresses_of(
    conn: &mut SqliteConnection,
    ids: Option<&[ContactId]>,
) -> DbResult<HashMap<ContactId, Vec<PostalAddress>>> {
    let mut query = contact_addresses::table.into_boxed();
    if let Some(ids) = ids {
        query = query.filter(contact_addresses::contact_id.eq_any(ids));
    }
    let rows: Vec<AddressRow> = query
        .order((contact_addresses::contact_id, contact_addresses::position))
        .select((
            contact_addresses::contact_id,
            contact_addresses::label,
            contact_addresses::po_box,
            contact_addresses::extended,
            contact_addresses::street,
            contact_addresses::locality,
            contact_addresses::region,
            contact_addresses::postal_code,
            contact_addresses::country,
        ))
        .load(conn)?;
    let mut grouped: HashMap<ContactId, Vec<PostalAddress>> = HashMap::new();
    for (id, label, po_box, extended, street, locality, region, postal_code, country) in rows {
        grouped.entry(id).or_default().push(PostalAddress {
            label,
            po_box,
            extended,
            street,
            locality,
            region,
            postal_code,
            country,
        });
    }
    Ok(grouped)
}

/// A postal address row: the contact, then the label and the seven vCard components.
type AddressRow = (
    ContactId,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

/// The details added with the address-book fields (issue 16), read together: a page of the
/// list never needs them, a contact's page and an export always do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct MoreDetails {
    pub websites: Vec<LabeledWebsite>,
    pub dates: Vec<LabeledDate>,
    pub related: Vec<RelatedPerson>,
    pub profiles: Vec<Profile>,
}

/// The websites, dates, related people and profiles of these contacts (of all, with `None`),
/// in four queries.
pub(super) fn more_details_of(
    conn: &mut SqliteConnection,
    ids: Option<&[ContactId]>,
) -> DbResult<HashMap<ContactId, MoreDetails>> {
    let mut grouped: HashMap<ContactId, MoreDetails> = HashMap::new();

    let mut websites = contact_websites::table.into_boxed();
    if let Some(ids) = ids {
        websites = websites.filter(contact_websites::contact_id.eq_any(ids));
    }
    for (id, label, url) in websites
        .order((contact_websites::contact_id, contact_websites::position))
        .select((
            contact_websites::contact_id,
            contact_websites::label,
            contact_websites::url,
        ))
        .load::<(ContactId, String, String)>(conn)?
    {
        let websites = &mut grouped.entry(id).or_default().websites;
        websites.push(LabeledWebsite { label, url });
    }

    let mut dates = contact_dates::table.into_boxed();
    if let Some(ids) = ids {
        dates = dates.filter(contact_dates::contact_id.eq_any(ids));
    }
    for (id, label, year, month, day) in dates
        .order((contact_dates::contact_id, contact_dates::position))
        .select((
            contact_dates::contact_id,
            contact_dates::label,
            contact_dates::year,
            contact_dates::month,
            contact_dates::day,
        ))
        .load::<(ContactId, String, Option<i32>, i32, i32)>(conn)?
    {
        // The table's checks keep month and day in range; a day the calendar lacks (31 April,
        // written by another program) is left out rather than shown wrong.
        let date = u8::try_from(month)
            .ok()
            .zip(u8::try_from(day).ok())
            .and_then(|(month, day)| Birthday::new(year, month, day));
        if let Some(date) = date {
            let dates = &mut grouped.entry(id).or_default().dates;
            dates.push(LabeledDate { label, date });
        }
    }

    let mut related = contact_related::table.into_boxed();
    if let Some(ids) = ids {
        related = related.filter(contact_related::contact_id.eq_any(ids));
    }
    for (id, label, name) in related
        .order((contact_related::contact_id, contact_related::position))
        .select((
            contact_related::contact_id,
            contact_related::label,
            contact_related::name,
        ))
        .load::<(ContactId, String, String)>(conn)?
    {
        let related = &mut grouped.entry(id).or_default().related;
        related.push(RelatedPerson { label, name });
    }

    let mut profiles = contact_profiles::table.into_boxed();
    if let Some(ids) = ids {
        profiles = profiles.filter(contact_profiles::contact_id.eq_any(ids));
    }
    for (id, service, handle) in profiles
        .order((contact_profiles::contact_id, contact_profiles::position))
        .select((
            contact_profiles::contact_id,
            contact_profiles::service,
            contact_profiles::handle,
        ))
        .load::<(ContactId, String, String)>(conn)?
    {
        let profiles = &mut grouped.entry(id).or_default().profiles;
        profiles.push(Profile { service, handle });
    }
    Ok(grouped)
}
