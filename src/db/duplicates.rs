//! Contacts that may be the same person: after an import, each contact added that shares an
//! email address or a phone number with another live contact is flagged for the user to
//! review; Find duplicates looks across the whole book, names included. Nothing is merged
//! without the user.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;

use super::Repository;
use super::contacts::{NameParts, derived_label};
use super::error::DbResult;
use super::ids::ContactId;
use super::schema::{contact_addresses, contact_emails, contact_phones, contacts};
use crate::search::{fold, phone_digits};

/// Why two contacts may be one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateReason {
    /// The same email address, ignoring case.
    Email,
    /// The same phone number: the same E.164 form, or the same digits where one does not
    /// parse.
    Phone,
    /// The same name once folded, and another field agreeing (`shared` says which).
    Name,
}

/// A contact that shares an email or phone number with another, or its name and one more
/// field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PossibleDuplicate {
    #[serde(skip)]
    pub contact: ContactId,
    pub name: String,
    #[serde(skip)]
    pub other: ContactId,
    pub other_name: String,
    pub reason: DuplicateReason,
    /// The email or number they share, as the contact has it; for a name, the field that
    /// agrees ("the organisation Acme").
    pub shared: String,
}

impl PossibleDuplicate {
    /// Why, in words: "share ann@example.org", "have the same name and the birthday 1980-03-14".
    pub fn why(&self) -> String {
        match self.reason {
            DuplicateReason::Email | DuplicateReason::Phone => format!("share {}", self.shared),
            DuplicateReason::Name => format!("have the same name and {}", self.shared),
        }
    }
}

/// The region the user chose in the window (View → Phone numbers), for this process.
static CHOSEN_REGION: std::sync::Mutex<Option<phonenumber::country::Id>> =
    std::sync::Mutex::new(None);

/// Makes `region` (a country code such as `FR`) the one national numbers are read in, or,
/// with `None`, goes back to the environment's. Says so when the code names no country.
pub fn choose_phone_region(region: Option<&str>) -> Result<(), String> {
    let id = match region.map(str::trim).filter(|r| !r.is_empty()) {
        Some(code) => Some(
            code.to_uppercase()
                .parse::<phonenumber::country::Id>()
                .map_err(|_| format!("“{code}” is not a two-letter country code"))?,
        ),
        None => None,
    };
    if let Ok(mut chosen) = CHOSEN_REGION.lock() {
        *chosen = id;
    }
    Ok(())
}

/// The region whose national numbers (`06 98 76 54 32` in France) a number without a `+` is
/// read in: the one chosen in the window, else `FOLIO_PHONE_REGION` (`FR`, `DE`…) when set,
/// else the country of the user's locale (`fr_FR.UTF-8`), else none.
pub fn phone_region() -> Option<phonenumber::country::Id> {
    if let Some(chosen) = CHOSEN_REGION.lock().ok().and_then(|c| *c) {
        return Some(chosen);
    }
    let from_env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if let Some(region) = from_env("FOLIO_PHONE_REGION") {
        return region.trim().to_uppercase().parse().ok();
    }
    let locale = from_env("LC_ALL")
        .or_else(|| from_env("LC_TELEPHONE"))
        .or_else(|| from_env("LANG"))?;
    let country = locale.split(['.', '@']).next()?.split('_').nth(1)?;
    country.to_uppercase().parse().ok()
}

/// What a phone number is compared by: its E.164 form when it parses (`+33698765432`), and its
/// last nine digits, which only match a number that does not parse. So `+33 6 98 76 54 32`
/// and `+34 698 76 54 32` differ, `06 98 76 54 32` read in France is the first, and a number
/// with no country still matches the one it ends like. Fewer than seven digits say too little.
fn phone_keys(number: &str, region: Option<phonenumber::country::Id>) -> Vec<PhoneKey> {
    let Some(tail) = digits_tail(number) else {
        return Vec::new();
    };
    match phonenumber::parse(region, number) {
        Ok(parsed) => vec![
            PhoneKey {
                key: parsed.format().mode(phonenumber::Mode::E164).to_string(),
                parsed: true,
            },
            PhoneKey {
                key: tail,
                parsed: true,
            },
        ],
        Err(_) => vec![PhoneKey {
            key: tail,
            parsed: false,
        }],
    }
}

/// A number's last nine digits, when it has seven or more.
fn digits_tail(number: &str) -> Option<String> {
    let digits = phone_digits(number);
    (digits.len() >= 7).then(|| digits[digits.len().saturating_sub(9)..].to_owned())
}

/// One key a number is compared by; digit keys of two numbers that both parsed never match
/// (their E.164 forms decide).
#[derive(Debug, Clone, PartialEq, Eq)]
struct PhoneKey {
    key: String,
    parsed: bool,
}

fn email_key(address: &str) -> Option<String> {
    let key = address.trim().to_lowercase();
    key.contains('@').then_some(key)
}

impl Repository {
    /// For each of `contacts` (in their order) the first other live contact it shares an email
    /// or phone number with and is not already reported with. Each pair is reported once.
    pub fn possible_duplicates(
        &mut self,
        contacts: &[ContactId],
    ) -> DbResult<Vec<PossibleDuplicate>> {
        if contacts.is_empty() {
            return Ok(Vec::new());
        }
        let conn = &mut self.conn;
        let emails: Vec<(ContactId, String)> = contact_emails::table
            .inner_join(contacts::table)
            .filter(contacts::deleted_at.is_null())
            .order((contact_emails::contact_id, contact_emails::position))
            .select((contact_emails::contact_id, contact_emails::address))
            .load(conn)?;
        let phones: Vec<(ContactId, String)> = contact_phones::table
            .inner_join(contacts::table)
            .filter(contacts::deleted_at.is_null())
            .order((contact_phones::contact_id, contact_phones::position))
            .select((contact_phones::contact_id, contact_phones::number))
            .load(conn)?;
        // Who holds each key (and whether by a number that parsed), and each contact's keys
        // with the value as written.
        let region = phone_region();
        let mut holders: HashMap<String, Vec<(ContactId, bool)>> = HashMap::new();
        let mut keys_of: HashMap<ContactId, Vec<(String, bool, String)>> = HashMap::new();
        // What a name falls back to: the first email, else the first phone.
        let mut first_email: HashMap<ContactId, String> = HashMap::new();
        for (id, address) in emails.iter().chain(&phones) {
            first_email.entry(*id).or_insert_with(|| address.clone());
        }
        // Parsing a number costs ~10 µs, and the same number always ends in the same digits:
        // only numbers whose last nine digits another contact's number shares are parsed, so
        // a book of 100,000 contacts is not parsed whole on every import.
        let mut holders_of_tail: HashMap<String, Vec<ContactId>> = HashMap::new();
        for (id, number) in &phones {
            if let Some(tail) = digits_tail(number) {
                let ids = holders_of_tail.entry(tail).or_default();
                if !ids.contains(id) {
                    ids.push(*id);
                }
            }
        }
        let shared =
            |number: &str| digits_tail(number).is_some_and(|tail| holders_of_tail[&tail].len() > 1);
        let keyed = emails
            .iter()
            .filter_map(|(id, a)| Some((*id, email_key(a)?, false, a)))
            .chain(
                phones
                    .iter()
                    .filter(|(_, n)| shared(n))
                    .flat_map(|(id, n)| {
                        phone_keys(n, region)
                            .into_iter()
                            .map(move |k| (*id, k.key, k.parsed, n))
                    }),
            );
        for (id, key, parsed, value) in keyed {
            let ids = holders.entry(key.clone()).or_default();
            if !ids.contains(&(id, parsed)) {
                ids.push((id, parsed));
            }
            keys_of
                .entry(id)
                .or_default()
                .push((key, parsed, value.clone()));
        }
        let mut pairs = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for &id in contacts {
            // The first other contact not already paired with this one.
            'keys: for (key, parsed, value) in keys_of.get(&id).into_iter().flatten() {
                for &(other, other_parsed) in holders.get(key).into_iter().flatten() {
                    // Two numbers that parsed are the same only by their E.164 form.
                    let digits_only = !key.starts_with('+') && !key.contains('@');
                    if digits_only && *parsed && other_parsed {
                        continue;
                    }
                    if other != id && seen.insert((id.min(other), id.max(other))) {
                        pairs.push((id, other, value.clone()));
                        break 'keys;
                    }
                }
            }
        }
        let mut involved: Vec<ContactId> = pairs.iter().flat_map(|(a, b, _)| [*a, *b]).collect();
        involved.sort_unstable();
        involved.dedup();
        let mut names: HashMap<ContactId, String> = HashMap::new();
        for chunk in involved.chunks(10_000) {
            type NameRow = (
                ContactId,
                String,
                (String, String, String, String, String),
                String,
            );
            let rows: Vec<NameRow> = contacts::table
                .filter(contacts::id.eq_any(chunk))
                .select((
                    contacts::id,
                    contacts::display_name,
                    (
                        contacts::name_prefix,
                        contacts::given_name,
                        contacts::middle_name,
                        contacts::family_name,
                        contacts::name_suffix,
                    ),
                    contacts::organization,
                ))
                .load(conn)?;
            for (id, display, (prefix, given, middle, family, suffix), organization) in rows {
                let label = derived_label(&NameParts {
                    display_name: &display,
                    name_prefix: &prefix,
                    given_name: &given,
                    middle_name: &middle,
                    family_name: &family,
                    name_suffix: &suffix,
                    organization: &organization,
                    first_email_or_phone: first_email.get(&id).map(String::as_str),
                });
                names.insert(id, label);
            }
        }
        let name = |id: ContactId| names.get(&id).cloned().unwrap_or_default();
        Ok(pairs
            .into_iter()
            .map(|(contact, other, shared)| PossibleDuplicate {
                contact,
                name: name(contact),
                other,
                other_name: name(other),
                reason: if shared.contains('@') {
                    DuplicateReason::Email
                } else {
                    DuplicateReason::Phone
                },
                shared,
            })
            .collect())
    }

    /// Likely pairs across the whole book: contacts sharing an email or a number (as after
    /// an import), and contacts with the same name, folded, when another field agrees too
    /// (organisation, birthday or city). Each pair once, those by email or number first.
    pub fn find_duplicates(&mut self) -> DbResult<Vec<PossibleDuplicate>> {
        let live: Vec<ContactId> = contacts::table
            .filter(contacts::deleted_at.is_null())
            .order(contacts::id)
            .select(contacts::id)
            .load(&mut self.conn)?;
        let mut found = self.possible_duplicates(&live)?;
        let mut paired: std::collections::HashSet<(ContactId, ContactId)> = found
            .iter()
            .map(|d| (d.contact.min(d.other), d.contact.max(d.other)))
            .collect();
        let named: Vec<NamedRow> = contacts::table
            .filter(contacts::deleted_at.is_null())
            .filter(contacts::given_name.ne("").or(contacts::family_name.ne("")))
            .order((contacts::sort_given, contacts::id))
            .select((
                contacts::id,
                contacts::sort_given,
                contacts::organization,
                (
                    contacts::birthday_year,
                    contacts::birthday_month,
                    contacts::birthday_day,
                ),
            ))
            .load(&mut self.conn)?;
        // Same name: neighbours in sort-key order.
        let mut groups: Vec<&[NamedRow]> = Vec::new();
        let mut start = 0;
        for i in 1..=named.len() {
            if i == named.len() || named[i].1 != named[start].1 {
                if i - start > 1 {
                    groups.push(&named[start..i]);
                }
                start = i;
            }
        }
        let in_groups: Vec<ContactId> = groups.iter().flat_map(|g| g.iter().map(|r| r.0)).collect();
        let mut cities: HashMap<ContactId, Vec<String>> = HashMap::new();
        for chunk in in_groups.chunks(10_000) {
            for (id, city) in contact_addresses::table
                .filter(contact_addresses::contact_id.eq_any(chunk))
                .filter(contact_addresses::locality.ne(""))
                .select((contact_addresses::contact_id, contact_addresses::locality))
                .load::<(ContactId, String)>(&mut self.conn)?
            {
                cities.entry(id).or_default().push(fold(&city));
            }
        }
        let mut by_name = Vec::new();
        for group in groups {
            for (i, a) in group.iter().enumerate() {
                for b in &group[i + 1..] {
                    let pair = (a.0.min(b.0), a.0.max(b.0));
                    if paired.contains(&pair) {
                        continue;
                    }
                    let Some(agrees) = agreeing_field(a, b, &cities) else {
                        continue;
                    };
                    paired.insert(pair);
                    by_name.push((a.0, b.0, agrees));
                }
            }
        }
        let ids: Vec<ContactId> = by_name.iter().flat_map(|(a, b, _)| [*a, *b]).collect();
        let mut labels: HashMap<ContactId, String> = HashMap::new();
        for chunk in ids.chunks(10_000) {
            for contact in self.contact_summaries_of(chunk)? {
                labels.insert(contact.id, contact.label);
            }
        }
        let label = |id: ContactId| labels.get(&id).cloned().unwrap_or_default();
        found.extend(by_name.into_iter().map(|(a, b, agrees)| PossibleDuplicate {
            contact: a,
            name: label(a),
            other: b,
            other_name: label(b),
            reason: DuplicateReason::Name,
            shared: agrees,
        }));
        Ok(found)
    }
}

/// A live contact with a name: its id, its name's sort key, its organisation and birthday.
type NamedRow = (
    ContactId,
    String,
    String,
    (Option<i32>, Option<i32>, Option<i32>),
);

/// The field besides the name on which two same-named contacts agree, in words.
fn agreeing_field(
    a: &NamedRow,
    b: &NamedRow,
    cities: &HashMap<ContactId, Vec<String>>,
) -> Option<String> {
    let (org_a, org_b) = (fold(a.2.trim()), fold(b.2.trim()));
    if !org_a.is_empty() && org_a == org_b {
        return Some(format!("the organisation {}", a.2.trim()));
    }
    let (year, month, day) = a.3;
    if a.3 == b.3
        && let Some(birthday) = super::contacts::birthday_from_columns(year, month, day)
    {
        return Some(format!("the birthday {}", birthday.iso()));
    }
    let none = Vec::new();
    let city_b = cities.get(&b.0).unwrap_or(&none);
    cities
        .get(&a.0)
        .unwrap_or(&none)
        .iter()
        .find(|city| city_b.contains(city))
        .map(|city| format!("the city {city}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_match_by_their_e164_form_and_emails_ignoring_case() {
        let keys = |number: &str, region| -> Vec<String> {
            phone_keys(number, region)
                .into_iter()
                .map(|k| k.key)
                .collect()
        };
        let france = Some(phonenumber::country::Id::FR);
        // France and Spain: the same last nine digits, two numbers.
        assert_ne!(
            keys("+33 6 98 76 54 32", None)[0],
            keys("+34 698 76 54 32", None)[0]
        );
        // One French number, with and without the country code, once France is the region.
        assert_eq!(keys("06 98 76 54 32", france)[0], "+33698765432");
        assert_eq!(keys("+33 6 98 76 54 32", None)[0], "+33698765432");
        // An extension and a tel: URI are the number.
        assert_eq!(keys("tel:+1-555-010-7788;ext=12", None)[0], "+15550107788");
        assert_eq!(keys("+1 555 010 7788 ext. 12", None)[0], "+15550107788");
        // No country known: compared by digits only.
        let unknown = phone_keys("06 98 76 54 32", None);
        assert_eq!(
            unknown,
            [PhoneKey {
                key: "698765432".into(),
                parsed: false
            }]
        );
        assert_eq!(phone_keys("112", None), []);
        assert_eq!(email_key(" Ann@Example.ORG "), email_key("ann@example.org"));
        assert_eq!(email_key("not an address"), None);
    }
}
