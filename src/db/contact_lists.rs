//! Lists of contacts: a page of the list shown (its filter, search and sort), its count, and
//! the summaries the list draws, each in a fixed number of queries whatever the page size.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use diesel::connection::DefaultLoadingMode;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer};
use diesel::sqlite::Sqlite;

use super::contact_details::{emails_of, phones_of};
use super::contact_photos::thumbnails_of;
use super::contacts::*;
use super::error::DbResult;
use super::hits::{HitSet, in_order_of};
use super::ids::ContactId;
use super::schema::{contact_dates, contact_tags, contacts};
use super::search_index;
use super::{Page, Repository};
use crate::search::{PhoneDigits, PhoneQuery, Term, fold, parse_query};

/// When `text` is a whole phone number, the contacts that hold it written another way:
/// "06 98 76 54 32" finds "+33 6 98 76 54 32", whose digits the index holds, and the other way
/// round. `None` when `text` is no number.
pub(super) fn number_written_otherwise(
    conn: &mut SqliteConnection,
    text: &str,
) -> DbResult<Option<HitSet<ContactId>>> {
    let Some(phone) = PhoneQuery::parse(text, super::phone_region()) else {
        return Ok(None);
    };
    let number = Term {
        text: phone.international,
        phone_digits: phone.national,
    };
    let index = search_index::index_query(&[number], PhoneDigits::Match);
    Ok(Some(HitSet::find(
        conn,
        &index,
        "contact_search",
        "contact_grams",
    )?))
}

impl Repository {
    /// One page of contacts with their emails and phones, and the size of the whole list. The
    /// number of queries does not depend on the page size; a search reads the index once for
    /// both.
    pub fn list_contacts(&mut self, query: &ContactQuery) -> DbResult<Page<ContactSummary>> {
        let hits = self.contact_hits(query)?;
        let total = self.count_contacts_with(query, hits.as_ref())?;
        let items = self.contacts_page_with(query, hits.as_ref())?;
        Ok(Page { items, total })
    }

    /// How many contacts the query's list holds.
    pub fn count_contacts(&mut self, query: &ContactQuery) -> DbResult<i64> {
        let hits = self.contact_hits(query)?;
        self.count_contacts_with(query, hits.as_ref())
    }

    /// One page of contacts with their emails and phones, without counting the whole list:
    /// three queries whatever the page size, plus the index reads of a search.
    pub fn contacts_page(&mut self, query: &ContactQuery) -> DbResult<Vec<ContactSummary>> {
        let hits = self.contact_hits(query)?;
        self.contacts_page_with(query, hits.as_ref())
    }

    fn contact_hits(&mut self, query: &ContactQuery) -> DbResult<Option<HitSet<ContactId>>> {
        let terms = parse_query(&query.search);
        if terms.is_empty() {
            return Ok(None);
        }
        let index = search_index::index_query(&terms, PhoneDigits::Match);
        let hits = HitSet::find(&mut self.conn, &index, "contact_search", "contact_grams")?;
        Ok(Some(
            match number_written_otherwise(&mut self.conn, &query.search)? {
                Some(number_hits) => hits.union(number_hits),
                None => hits,
            },
        ))
    }

    fn count_contacts_with(
        &mut self,
        query: &ContactQuery,
        hits: Option<&HitSet<ContactId>>,
    ) -> DbResult<i64> {
        let conn = &mut self.conn;
        let Some(hits) = hits else {
            return Ok(filtered_contacts(query).count().get_result(conn)?);
        };
        if query.filter == ContactFilter::All {
            // The live list is nearly every contact: all hits but those in the trash.
            let trashed: Vec<ContactId> = contacts::table
                .filter(contacts::deleted_at.is_not_null())
                .select(contacts::id)
                .load(conn)?;
            let trashed_hits = hits.count_in(&trashed);
            return Ok(hits.len() as i64 - trashed_hits as i64);
        }
        let listed: Vec<ContactId> = filtered_contacts(query).select(contacts::id).load(conn)?;
        Ok(hits.count_in(&listed) as i64)
    }

    pub(super) fn contacts_page_with(
        &mut self,
        query: &ContactQuery,
        hits: Option<&HitSet<ContactId>>,
    ) -> DbResult<Vec<ContactSummary>> {
        let (offset, limit) = (query.offset.max(0), query.limit.max(0));
        if limit == 0 {
            return Ok(Vec::new());
        }
        let rows: Vec<SummaryRow> = match hits {
            None => ordered_contacts(filtered_contacts(query), query)
                .select(SUMMARY_COLUMNS)
                .limit(limit)
                .offset(offset)
                .load(&mut self.conn)?,
            // Nothing matched: no walk of the whole list looking for a hit.
            Some(hits) if hits.len() == 0 => Vec::new(),
            Some(hits) => {
                let contacts_estimate: i64 = contacts::table
                    .select(diesel::dsl::max(contacts::id))
                    .first::<Option<ContactId>>(&mut self.conn)?
                    .map_or(0, |id| i64::from(id.0));
                let page_ids = if hits.should_bind_clustered(contacts_estimate) {
                    ordered_contacts(filtered_contacts(query), query)
                        .filter(contacts::id.eq_any(hits.ids()))
                        .select(contacts::id)
                        .limit(limit)
                        .offset(offset)
                        .load(&mut self.conn)?
                } else {
                    let walk =
                        ordered_contacts(filtered_contacts(query), query).select(contacts::id);
                    hits.page_of_walk(
                        walk.load_iter::<ContactId, DefaultLoadingMode>(&mut self.conn)?,
                        offset,
                        limit,
                    )?
                };
                let mut rows: Vec<SummaryRow> = contacts::table
                    .filter(contacts::id.eq_any(&page_ids))
                    .select(SUMMARY_COLUMNS)
                    .load(&mut self.conn)?;
                in_order_of(&mut rows, &page_ids, |row| row.0);
                rows
            }
        };
        self.contact_summaries(rows)
    }

    /// Live contacts whose first-then-last or last-then-first name starts with `prefix`
    /// (folded), by first name: the go-to palette's best candidates, read from the name
    /// indexes.
    pub(super) fn contacts_named_with_prefix(
        &mut self,
        prefix: &str,
        limit: i64,
    ) -> DbResult<Vec<ContactSummary>> {
        let prefix = fold(prefix.trim());
        if prefix.is_empty() || limit <= 0 {
            return Ok(Vec::new());
        }
        // Every key that starts with the prefix sorts from it up to it followed by the last
        // code point.
        let end = format!("{prefix}\u{10FFFF}");
        let mut ids: Vec<ContactId> = contacts::table
            .filter(contacts::deleted_at.is_null())
            .filter(
                contacts::sort_given
                    .ge(&prefix)
                    .and(contacts::sort_given.lt(&end)),
            )
            .order((contacts::sort_given, contacts::id))
            .select(contacts::id)
            .limit(limit)
            .load(&mut self.conn)?;
        let by_family: Vec<ContactId> = contacts::table
            .filter(contacts::deleted_at.is_null())
            .filter(
                contacts::sort_family
                    .ge(&prefix)
                    .and(contacts::sort_family.lt(&end)),
            )
            .order((contacts::sort_family, contacts::id))
            .select(contacts::id)
            .limit(limit)
            .load(&mut self.conn)?;
        for id in by_family {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let rows: Vec<SummaryRow> = contacts::table
            .filter(contacts::id.eq_any(&ids))
            .order((contacts::sort_given, contacts::id))
            .select(SUMMARY_COLUMNS)
            .load(&mut self.conn)?;
        self.contact_summaries(rows)
    }

    /// The list rows of these contacts, in name order.
    pub(crate) fn contact_summaries_of(
        &mut self,
        ids: &[ContactId],
    ) -> DbResult<Vec<ContactSummary>> {
        let rows: Vec<SummaryRow> = contacts::table
            .filter(contacts::id.eq_any(ids))
            .order((contacts::sort_given, contacts::id))
            .select(SUMMARY_COLUMNS)
            .load(&mut self.conn)?;
        self.contact_summaries(rows)
    }

    pub(crate) fn contact_summaries(
        &mut self,
        rows: Vec<SummaryRow>,
    ) -> DbResult<Vec<ContactSummary>> {
        let ids: Vec<ContactId> = rows.iter().map(|r| r.0).collect();
        let (mut emails, mut phones, anniversaries, mut thumbnails) = if ids.is_empty() {
            Default::default()
        } else {
            (
                emails_of(&mut self.conn, Some(&ids))?,
                phones_of(&mut self.conn, Some(&ids))?,
                anniversaries_of(&mut self.conn, &ids)?,
                thumbnails_of(&mut self.conn, &ids)?,
            )
        };
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    uuid,
                    (display_name, name_prefix, given_name, middle_name, family_name, name_suffix),
                    organization,
                    favorite,
                    (birthday_year, birthday_month, birthday_day),
                    deleted,
                    version,
                )| {
                    let emails = emails.remove(&id).unwrap_or_default();
                    let phones = phones.remove(&id).unwrap_or_default();
                    let label = derived_label(&NameParts {
                        display_name: &display_name,
                        name_prefix: &name_prefix,
                        given_name: &given_name,
                        middle_name: &middle_name,
                        family_name: &family_name,
                        name_suffix: &name_suffix,
                        organization: &organization,
                        first_email_or_phone: emails
                            .first()
                            .map(|e| e.address.as_str())
                            .or_else(|| phones.first().map(|p| p.number.as_str())),
                    });
                    ContactSummary {
                        id,
                        uuid,
                        label,
                        given_name,
                        family_name,
                        organization,
                        favorite,
                        birthday: birthday_from_columns(
                            birthday_year,
                            birthday_month,
                            birthday_day,
                        ),
                        anniversary: anniversaries.get(&id).copied(),
                        thumbnail: thumbnails.remove(&id),
                        deleted,
                        version,
                        emails,
                        phones,
                    }
                },
            )
            .collect())
    }
}

type BirthdayColumns = (
    contacts::birthday_year,
    contacts::birthday_month,
    contacts::birthday_day,
);

const BIRTHDAY_COLUMNS: BirthdayColumns = (
    contacts::birthday_year,
    contacts::birthday_month,
    contacts::birthday_day,
);

type NameColumns = (
    contacts::display_name,
    contacts::name_prefix,
    contacts::given_name,
    contacts::middle_name,
    contacts::family_name,
    contacts::name_suffix,
);

pub(crate) const SUMMARY_COLUMNS: (
    contacts::id,
    contacts::uuid,
    NameColumns,
    contacts::organization,
    contacts::favorite,
    BirthdayColumns,
    contacts::deleted_at,
    contacts::version,
) = (
    contacts::id,
    contacts::uuid,
    (
        contacts::display_name,
        contacts::name_prefix,
        contacts::given_name,
        contacts::middle_name,
        contacts::family_name,
        contacts::name_suffix,
    ),
    contacts::organization,
    contacts::favorite,
    BIRTHDAY_COLUMNS,
    contacts::deleted_at,
    contacts::version,
);

/// The first anniversary of each of these contacts, in one query.
fn anniversaries_of(
    conn: &mut SqliteConnection,
    ids: &[ContactId],
) -> DbResult<HashMap<ContactId, Birthday>> {
    let rows: Vec<(ContactId, Option<i32>, i32, i32)> = contact_dates::table
        .filter(contact_dates::contact_id.eq_any(ids))
        .filter(diesel::dsl::sql::<Bool>(&format!(
            "lower(label) = '{ANNIVERSARY}'"
        )))
        .order((contact_dates::contact_id, contact_dates::position.desc()))
        .select((
            contact_dates::contact_id,
            contact_dates::year,
            contact_dates::month,
            contact_dates::day,
        ))
        .load(conn)?;
    // In descending position, so the first anniversary is inserted last and stays.
    Ok(rows
        .into_iter()
        .filter_map(|(id, year, month, day)| {
            Some((id, birthday_from_columns(year, Some(month), Some(day))?))
        })
        .collect())
}

/// SQL for "the birthday or an anniversary falls in the upcoming window", built from integers
/// only.
struct BirthdayWindow {
    /// A condition on the contacts row.
    condition: String,
    /// An ordering expression: how many days until the birthday.
    order_by: String,
}

/// The birthdays celebrated from `today` to [`UPCOMING_BIRTHDAY_DAYS`] days later, as month and
/// day keys (`month * 100 + day`). A 29 February birthday counts on the 28th in years without
/// one, the way [`Birthday::in_year`] places it.
fn birthday_window(today: NaiveDate) -> BirthdayWindow {
    let mut days_until: Vec<(u32, u64)> = Vec::new();
    let mut months: Vec<u32> = Vec::new();
    for offset in 0..=UPCOMING_BIRTHDAY_DAYS {
        let Some(date) = today.checked_add_days(chrono::Days::new(offset)) else {
            break;
        };
        days_until.push((date.month() * 100 + date.day(), offset));
        if date.month() == 2 && date.day() == 28 && date.with_day(29).is_none() {
            days_until.push((229, offset));
        }
        if !months.contains(&date.month()) {
            months.push(date.month());
        }
    }
    let months = months
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let keys = days_until
        .iter()
        .map(|(k, _)| k.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let days = |key: &str| {
        let whens: Vec<String> = days_until
            .iter()
            .map(|(k, days)| format!("WHEN {k} THEN {days}"))
            .collect();
        format!("CASE {key} {} END", whens.join(" "))
    };
    let birthday_key = "(contacts.birthday_month * 100 + contacts.birthday_day)";
    let date_key = "(d.month * 100 + d.day)";
    let anniversaries = format!(
        "FROM contact_dates d WHERE d.contact_id = contacts.id \
         AND lower(d.label) = '{ANNIVERSARY}' AND d.month IN ({months}) AND {date_key} IN ({keys})"
    );
    BirthdayWindow {
        // The month tests let SQLite use the birthdays' and dates' indexes; the key tests are
        // exact.
        // In parentheses whole: Diesel joins filters with AND and puts none around raw SQL,
        // so an OR left bare would let trashed contacts in.
        condition: format!(
            "((contacts.birthday_month IN ({months}) AND {birthday_key} IN ({keys})) \
             OR EXISTS (SELECT 1 {anniversaries}))"
        ),
        // The sooner of the two; a contact without one of them waits for the other.
        order_by: format!(
            "MIN(COALESCE({}, 999), COALESCE((SELECT MIN({}) {anniversaries}), 999))",
            days(birthday_key),
            days(date_key),
        ),
    }
}

/// The list's order: soonest birthday first in Upcoming birthdays, else by the chosen name.
fn ordered_contacts(
    selected: contacts::BoxedQuery<'static, Sqlite>,
    query: &ContactQuery,
) -> contacts::BoxedQuery<'static, Sqlite> {
    match (query.filter, query.sort) {
        (ContactFilter::UpcomingBirthdays { today }, _) => selected
            .order(sql::<Integer>(&birthday_window(today).order_by))
            .then_order_by((contacts::sort_given, contacts::id)),
        (_, ContactSort::GivenName) => selected.order((contacts::sort_given, contacts::id)),
        (_, ContactSort::FamilyName) => selected.order((contacts::sort_family, contacts::id)),
    }
}

/// The contacts of the query's filter; a search is applied through a [`HitSet`].
fn filtered_contacts(query: &ContactQuery) -> contacts::BoxedQuery<'static, Sqlite> {
    let mut selected = contacts::table.into_boxed();
    selected = match query.filter {
        ContactFilter::All => selected.filter(contacts::deleted_at.is_null()),
        ContactFilter::Favorites => selected
            .filter(contacts::deleted_at.is_null())
            .filter(contacts::favorite.eq(true)),
        ContactFilter::Group(tag) => selected.filter(contacts::deleted_at.is_null()).filter(
            contacts::id.eq_any(
                contact_tags::table
                    .filter(contact_tags::tag_id.eq(tag))
                    .select(contact_tags::contact_id),
            ),
        ),
        ContactFilter::UpcomingBirthdays { today } => selected
            .filter(contacts::deleted_at.is_null())
            .filter(sql::<Bool>(&birthday_window(today).condition)),
        ContactFilter::Trash => selected.filter(contacts::deleted_at.is_not_null()),
        ContactFilter::Pair(a, b) => selected.filter(contacts::id.eq_any([a, b])),
    };
    selected
}
