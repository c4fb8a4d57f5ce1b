//! What a contact is, as the rest of Folio sees it: the draft a form or an import fills in,
//! the stored contact, the summary a list row shows, and the queries that list them.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::ids::{ContactId, TagId, Timestamp, Version};
use super::tags::Tag;

/// A birthday; the year is optional (vCard's `--MMDD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Birthday {
    pub year: Option<i32>,
    pub month: u8,
    pub day: u8,
}

impl Birthday {
    /// A birthday that exists in the calendar: 29 February only without a year or in a leap year.
    pub fn new(year: Option<i32>, month: u8, day: u8) -> Option<Birthday> {
        let leap = |y: i32| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 => match year {
                Some(y) if !leap(y) => 28,
                _ => 29,
            },
            _ => return None,
        };
        let year_ok = year.is_none_or(|y| (1..=9999).contains(&y));
        (year_ok && (1..=days_in_month).contains(&day)).then_some(Birthday { year, month, day })
    }

    /// The day the birthday is celebrated in `year`. In years without a 29 February, a birthday
    /// on that day is celebrated on the 28th.
    pub fn in_year(&self, year: i32) -> Option<NaiveDate> {
        let (month, day) = (u32::from(self.month), u32::from(self.day));
        NaiveDate::from_ymd_opt(year, month, day).or_else(|| {
            (month == 2 && day == 29)
                .then(|| NaiveDate::from_ymd_opt(year, 2, 28))
                .flatten()
        })
    }

    /// The first day on or after `today` when the birthday is celebrated.
    pub fn next_on_or_after(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.in_year(today.year())
            .filter(|date| *date >= today)
            .or_else(|| self.in_year(today.year() + 1))
    }

    /// The date as vCard 4.0 and Google write it: "1985-04-12", or "--04-12" without a year.
    pub fn iso(&self) -> String {
        match self.year {
            Some(year) => format!("{year:04}-{:02}-{:02}", self.month, self.day),
            None => format!("--{:02}-{:02}", self.month, self.day),
        }
    }

    /// The age turned on `date` (a day the birthday is celebrated), when the year is known.
    pub fn age_on(&self, date: NaiveDate) -> Option<i32> {
        self.year.map(|year| date.year() - year)
    }
}

/// How many days ahead "Upcoming birthdays" looks, today included in addition.
pub const UPCOMING_BIRTHDAY_DAYS: u64 = 30;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LabeledEmail {
    /// "home", "work", "other" or the user's own text; may be empty.
    pub label: String,
    pub address: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LabeledPhone {
    pub label: String,
    pub number: String,
}

/// A website: "home", "work", "blog" or the user's own label.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LabeledWebsite {
    pub label: String,
    pub url: String,
}

/// A date to remember besides the birthday: "anniversary" or the user's own label. The year is
/// optional, as for a birthday.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LabeledDate {
    pub label: String,
    pub date: Birthday,
}

/// The label of the dates "Upcoming birthdays" lists beside the birthdays.
pub const ANNIVERSARY: &str = "anniversary";

/// A related person: "spouse", "child", "assistant"… and their name, or the URI another app
/// wrote for them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RelatedPerson {
    pub label: String,
    pub name: String,
}

/// An instant-messaging or social profile: the service ("Skype", "Mastodon"…) and the handle
/// or the profile's URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Profile {
    pub service: String,
    pub handle: String,
}

/// The largest photo Folio keeps, in bytes (the table checks it too). Address books' photos
/// are tens of kilobytes; a camera's original is a few megabytes.
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;

/// A contact's photo: the picture's bytes as another app or the user gave them, or only the
/// link another app wrote (nothing is downloaded). The bytes are shared, so a draft clones
/// cheaply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    /// "image/jpeg", "image/png"; empty when unknown.
    #[serde(default)]
    pub media_type: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// In a backup, as base64.
    #[serde(
        default,
        with = "base64_bytes",
        skip_serializing_if = "<[u8]>::is_empty"
    )]
    pub bytes: std::sync::Arc<[u8]>,
}

impl Photo {
    /// What a merge window or a report calls it: "photo, 24 KB" or its link.
    pub fn describe(&self) -> String {
        if self.bytes.is_empty() {
            format!("photo at {}", self.url)
        } else {
            format!("photo, {} KB", self.bytes.len().div_ceil(1024))
        }
    }
}

/// Bytes as base64 text in JSON.
pub(crate) mod base64_bytes {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &std::sync::Arc<[u8]>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<std::sync::Arc<[u8]>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD
            .decode(text.trim())
            .map(std::sync::Arc::from)
            .map_err(serde::de::Error::custom)
    }
}

/// A postal address with vCard's seven components.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct PostalAddress {
    pub label: String,
    pub po_box: String,
    pub extended: String,
    pub street: String,
    pub locality: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
}

impl PostalAddress {
    /// The seven components in vCard's `ADR` order: PO box, extended, street, locality,
    /// region, postal code, country.
    pub fn components(&self) -> [&str; 7] {
        [
            &self.po_box,
            &self.extended,
            &self.street,
            &self.locality,
            &self.region,
            &self.postal_code,
            &self.country,
        ]
    }
}

/// Everything a user edits about a contact. Lists are in order; the first entry is primary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactDraft {
    pub given_name: String,
    pub family_name: String,
    /// Middle names, space-separated, as vCard's `N` "additional names".
    #[serde(skip_serializing_if = "String::is_empty")]
    pub middle_name: String,
    /// "Dr.", "Prof."
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name_prefix: String,
    /// "Jr.", "PhD"
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name_suffix: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub nickname: String,
    pub display_name: String,
    pub organization: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub department: String,
    pub job_title: String,
    pub birthday: Option<Birthday>,
    pub notes: String,
    pub favorite: bool,
    pub emails: Vec<LabeledEmail>,
    pub phones: Vec<LabeledPhone>,
    pub addresses: Vec<PostalAddress>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub websites: Vec<LabeledWebsite>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dates: Vec<LabeledDate>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<RelatedPerson>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<Profile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo: Option<Photo>,
    pub groups: Vec<String>,
    /// Kept by import; made up when `None`. Ignored by updates.
    pub uuid: Option<String>,
    pub created: Option<Timestamp>,
    pub updated: Option<Timestamp>,
    /// vCard properties Folio has no field for, as vCard 4.0 lines, kept for the next export.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub card_extra: String,
}

impl ContactDraft {
    /// The name to show for the contact (see [`derived_label`]).
    pub fn label(&self) -> String {
        derived_label(&self.name_parts())
    }

    /// What the shown name is made from.
    pub fn name_parts(&self) -> NameParts<'_> {
        NameParts {
            display_name: &self.display_name,
            name_prefix: &self.name_prefix,
            given_name: &self.given_name,
            middle_name: &self.middle_name,
            family_name: &self.family_name,
            name_suffix: &self.name_suffix,
            organization: &self.organization,
            first_email_or_phone: self.first_email_or_phone(),
        }
    }

    /// What the shown name falls back to when there is no name or organisation.
    pub fn first_email_or_phone(&self) -> Option<&str> {
        self.emails
            .first()
            .map(|e| e.address.as_str())
            .or_else(|| self.phones.first().map(|p| p.number.as_str()))
    }

    /// Clears a display name that says what Folio would show without it, so the shown name
    /// keeps following the name fields: files from other apps always carry one.
    pub fn drop_redundant_display_name(&mut self) {
        let derived = derived_label(&NameParts {
            display_name: "",
            ..self.name_parts()
        });
        if self.display_name.trim() == derived {
            self.display_name.clear();
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub id: ContactId,
    pub uuid: String,
    pub given_name: String,
    pub family_name: String,
    pub middle_name: String,
    pub name_prefix: String,
    pub name_suffix: String,
    pub nickname: String,
    pub display_name: String,
    pub organization: String,
    pub department: String,
    pub job_title: String,
    pub birthday: Option<Birthday>,
    pub notes: String,
    pub favorite: bool,
    pub created: Timestamp,
    pub updated: Timestamp,
    pub deleted: Option<Timestamp>,
    pub emails: Vec<LabeledEmail>,
    pub phones: Vec<LabeledPhone>,
    pub addresses: Vec<PostalAddress>,
    pub websites: Vec<LabeledWebsite>,
    pub dates: Vec<LabeledDate>,
    pub related: Vec<RelatedPerson>,
    pub profiles: Vec<Profile>,
    pub photo: Option<Photo>,
    pub groups: Vec<Tag>,
    /// vCard properties kept from an import (see [`ContactDraft::card_extra`]).
    pub card_extra: String,
    /// What every write to this contact must name (see [`Version`]).
    pub version: Version,
}

/// A row of the contacts list, with the emails and phones the row shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactSummary {
    pub id: ContactId,
    pub uuid: String,
    /// The display name, or one derived from the other fields; empty only when the contact has
    /// no name, organisation or email at all.
    pub label: String,
    pub given_name: String,
    pub family_name: String,
    pub organization: String,
    pub favorite: bool,
    pub birthday: Option<Birthday>,
    /// The first date labelled [`ANNIVERSARY`], which "Upcoming birthdays" lists too.
    pub anniversary: Option<Birthday>,
    /// The photo's thumbnail (a small JPEG), once the list thread has made it.
    pub thumbnail: Option<std::sync::Arc<[u8]>>,
    pub deleted: Option<Timestamp>,
    pub version: Version,
    pub emails: Vec<LabeledEmail>,
    pub phones: Vec<LabeledPhone>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContactFilter {
    #[default]
    All,
    Favorites,
    Group(TagId),
    /// Live contacts whose birthday or anniversary falls from `today` to
    /// [`UPCOMING_BIRTHDAY_DAYS`] days later, soonest first (the sort is ignored).
    UpcomingBirthdays {
        today: NaiveDate,
    },
    Trash,
    /// Just these two contacts: a contact and its conflict copy, side by side.
    Pair(ContactId, ContactId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContactSort {
    /// By first name, then last name.
    #[default]
    GivenName,
    /// By last name, then first name.
    FamilyName,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactQuery {
    pub filter: ContactFilter,
    /// Whitespace-separated terms; each must occur in a name, the organisation, an email or a
    /// phone (phones also by their digits alone).
    pub search: String,
    pub sort: ContactSort,
    pub offset: i64,
    pub limit: i64,
}

impl Default for ContactQuery {
    fn default() -> Self {
        ContactQuery {
            filter: ContactFilter::All,
            search: String::new(),
            sort: ContactSort::GivenName,
            offset: 0,
            limit: 50,
        }
    }
}

/// What the shown name of a contact is made from.
#[derive(Debug, Clone, Copy, Default)]
pub struct NameParts<'a> {
    pub display_name: &'a str,
    pub name_prefix: &'a str,
    pub given_name: &'a str,
    pub middle_name: &'a str,
    pub family_name: &'a str,
    pub name_suffix: &'a str,
    pub organization: &'a str,
    /// The first email, else the first phone number.
    pub first_email_or_phone: Option<&'a str>,
}

/// The name to show for a contact: its display name, else its full name ("Dr. Jean Baptiste
/// Dupont Jr."), else its organisation, else its first email, else its first phone number. Empty when there
/// is nothing at all.
pub fn derived_label(parts: &NameParts<'_>) -> String {
    let names = [parts.given_name, parts.middle_name, parts.family_name];
    let full_name = if names.iter().all(|n| n.trim().is_empty()) {
        // "Dr." alone is no name.
        String::new()
    } else {
        [parts.name_prefix]
            .into_iter()
            .chain(names)
            .chain([parts.name_suffix])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    [
        parts.display_name.trim(),
        full_name.as_str(),
        parts.organization.trim(),
        parts.first_email_or_phone.unwrap_or("").trim(),
    ]
    .into_iter()
    .find(|s| !s.is_empty())
    .unwrap_or("")
    .to_owned()
}
