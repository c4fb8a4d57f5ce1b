//! Contacts that may be the same person: after an import, each contact added that shares an
//! email address or a phone number with another live contact is flagged for the user to
//! review. Nothing is merged without them.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;

use super::Repository;
use super::contacts::{NameParts, derived_label};
use super::error::DbResult;
use super::ids::ContactId;
use super::schema::{contact_emails, contact_phones, contacts};
use crate::search::phone_digits;

/// A contact that shares an email or phone number with another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PossibleDuplicate {
    #[serde(skip)]
    pub contact: ContactId,
    pub name: String,
    #[serde(skip)]
    pub other: ContactId,
    pub other_name: String,
    /// The email or number they share, as the contact has it.
    pub shared: String,
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
                shared,
            })
            .collect())
    }
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
