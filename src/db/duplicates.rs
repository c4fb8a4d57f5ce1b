//! Contacts that may be the same person: after an import, each contact added that shares an
//! email address or a phone number with another live contact is flagged for the user to
//! review. Nothing is merged without them.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;

use super::Repository;
use super::contacts::derived_label;
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

/// Phone numbers match on their last nine digits, so "+44 20 7946 0958" and "020 7946 0958"
/// are one number; numbers of fewer than seven digits are too short to say.
fn phone_key(number: &str) -> Option<String> {
    let digits = phone_digits(number);
    (digits.len() >= 7).then(|| digits[digits.len().saturating_sub(9)..].to_owned())
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
        // Who holds each key, and each contact's keys with the value as written.
        let mut holders: HashMap<String, Vec<ContactId>> = HashMap::new();
        let mut keys_of: HashMap<ContactId, Vec<(String, String)>> = HashMap::new();
        let mut first_email: HashMap<ContactId, String> = HashMap::new();
        for (id, address) in &emails {
            first_email.entry(*id).or_insert_with(|| address.clone());
        }
        let keyed = emails
            .iter()
            .filter_map(|(id, a)| Some((*id, email_key(a)?, a)))
            .chain(
                phones
                    .iter()
                    .filter_map(|(id, n)| Some((*id, phone_key(n)?, n))),
            );
        for (id, key, value) in keyed {
            let ids = holders.entry(key.clone()).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
            keys_of.entry(id).or_default().push((key, value.clone()));
        }
        let mut pairs = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for &id in contacts {
            // The first other contact not already paired with this one.
            'keys: for (key, value) in keys_of.get(&id).into_iter().flatten() {
                for other in holders.get(key).into_iter().flatten().copied() {
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
            let rows: Vec<(ContactId, String, String, String, String)> = contacts::table
                .filter(contacts::id.eq_any(chunk))
                .select((
                    contacts::id,
                    contacts::display_name,
                    contacts::given_name,
                    contacts::family_name,
                    contacts::organization,
                ))
                .load(conn)?;
            for (id, display, given, family, organization) in rows {
                let email = first_email.get(&id).map(String::as_str);
                names.insert(
                    id,
                    derived_label(&display, &given, &family, &organization, email),
                );
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
    fn numbers_match_on_their_last_nine_digits_and_emails_ignoring_case() {
        assert_eq!(phone_key("+44 20 7946 0958"), phone_key("020 7946 0958"));
        assert_ne!(phone_key("020 7946 0958"), phone_key("020 7946 0959"));
        assert_eq!(phone_key("112"), None);
        assert_eq!(email_key(" Ann@Example.ORG "), email_key("ann@example.org"));
        assert_eq!(email_key("not an address"), None);
    }
}
