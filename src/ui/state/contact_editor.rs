//! The contact open in the detail pane: the saved contact, the draft being edited, and the
//! helpers the form needs (labels, hints, the birthday fields).

use std::collections::HashMap;

use super::typeahead::Typeahead;
use crate::db::{
    ANNIVERSARY, Birthday, Contact, ContactDraft, ContactId, LabeledDate, NoteSummary, Page,
    Version,
};

/// How many of the notes about a person their page lists (the newest).
pub const NOTES_ABOUT_SHOWN: i64 = 100;

/// Labels offered for emails and addresses; any other text is the user's own.
pub const EMAIL_LABELS: [&str; 3] = ["home", "work", "other"];
/// Labels offered for phones.
pub const PHONE_LABELS: [&str; 4] = ["mobile", "home", "work", "other"];
/// Labels offered for websites.
pub const WEBSITE_LABELS: [&str; 5] = ["homepage", "work", "blog", "profile", "other"];
/// Labels offered for dates besides the birthday.
pub const DATE_LABELS: [&str; 2] = [ANNIVERSARY, "other"];
/// Labels offered for related people (Apple's and Google's words).
pub const RELATION_LABELS: [&str; 12] = [
    "spouse",
    "partner",
    "child",
    "parent",
    "mother",
    "father",
    "brother",
    "sister",
    "friend",
    "relative",
    "assistant",
    "manager",
];
/// Services offered for messaging and social profiles.
pub const SERVICES: [&str; 10] = [
    "Signal", "WhatsApp", "Telegram", "Matrix", "XMPP", "Skype", "Mastodon", "Bluesky", "LinkedIn",
    "GitHub",
];

pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The birthday as typed: a day, a month (0 for none) and an optional year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BirthdayFields {
    pub day: String,
    pub month: u8,
    pub year: String,
}

/// A date of the contact's as typed: its label, the day, month and year fields, and the date
/// last saved from this row (kept while the fields are not a date yet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateRow {
    pub label: String,
    pub fields: BirthdayFields,
    pub saved: Option<Birthday>,
}

/// What the birthday fields hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BirthdayInput {
    Empty,
    Valid(Birthday),
    /// Not a day in the calendar (yet): the saved birthday is kept until it is.
    Invalid,
}

impl BirthdayFields {
    pub fn from(birthday: Option<Birthday>) -> Self {
        match birthday {
            Some(b) => BirthdayFields {
                day: b.day.to_string(),
                month: b.month,
                year: b.year.map(|y| y.to_string()).unwrap_or_default(),
            },
            None => BirthdayFields::default(),
        }
    }

    pub fn parse(&self) -> BirthdayInput {
        let (day, year) = (self.day.trim(), self.year.trim());
        if day.is_empty() && self.month == 0 && year.is_empty() {
            return BirthdayInput::Empty;
        }
        let day = day.parse::<u8>().ok();
        let year = if year.is_empty() {
            Some(None)
        } else {
            year.parse::<i32>().ok().map(Some)
        };
        match (day, year) {
            (Some(day), Some(year)) => Birthday::new(year, self.month, day)
                .map_or(BirthdayInput::Invalid, BirthdayInput::Valid),
            _ => BirthdayInput::Invalid,
        }
    }
}

/// A hint for an email that does not look like one; the contact saves anyway.
pub fn email_hint(address: &str) -> Option<&'static str> {
    let address = address.trim();
    (!address.is_empty() && !address.contains('@')).then_some("An email address needs an @")
}

/// A hint for a phone number without digits; the contact saves anyway.
pub fn phone_hint(number: &str) -> Option<&'static str> {
    let number = number.trim();
    (!number.is_empty() && !number.chars().any(|c| c.is_ascii_digit()))
        .then_some("This number has no digits")
}

/// The contact's name as lists show it.
pub fn display_label(label: &str) -> &str {
    if label.trim().is_empty() {
        "(no name)"
    } else {
        label
    }
}

pub struct ContactEditor {
    /// The contact as last read or saved.
    pub contact: Contact,
    /// The version the draft was edited from: a save names it, so a contact changed
    /// elsewhere meanwhile is never written over.
    pub base: Version,
    pub draft: ContactDraft,
    pub birthday: BirthdayFields,
    /// The dates as typed; the draft holds those that are dates in the calendar.
    pub dates: Vec<DateRow>,
    /// The photo's thumbnail (a small JPEG), once the list thread has made it.
    pub thumbnail: Option<std::sync::Arc<[u8]>>,
    /// The contacts in Folio named like a related person (the name folded), found when the
    /// contact was opened: the form offers to open them.
    pub related_contacts: HashMap<String, ContactId>,
    /// When (egui time, seconds) the first edit not yet saved was made.
    pub dirty_since: Option<f64>,
    pub last_edit: f64,
    /// The "Add group" input and its suggestions.
    pub groups: Typeahead,
    /// "Notes about <name>": the newest [`NOTES_ABOUT_SHOWN`], and how many there are.
    pub notes_about: Page<NoteSummary>,
    /// What an imported vCard held that Folio has no field for, as (property, value): shown
    /// read-only, and written back on export.
    pub kept_from_card: Vec<(String, String)>,
}

impl ContactEditor {
    pub fn new(
        contact: Contact,
        draft: ContactDraft,
        notes_about: Page<NoteSummary>,
        related_contacts: HashMap<String, ContactId>,
    ) -> Self {
        ContactEditor {
            kept_from_card: crate::exchange::vcard::kept_properties(&contact.card_extra),
            birthday: BirthdayFields::from(draft.birthday),
            dates: date_rows(&draft.dates),
            related_contacts,
            thumbnail: None,
            base: contact.version,
            contact,
            draft,
            dirty_since: None,
            last_edit: 0.0,
            groups: Typeahead::default(),
            notes_about,
        }
    }

    pub fn is_read_only(&self) -> bool {
        self.contact.deleted.is_some()
    }

    /// Shows the stored contact's fields again (discarding or after a change elsewhere).
    pub fn show_stored(&mut self, draft: ContactDraft) {
        self.birthday = BirthdayFields::from(draft.birthday);
        self.dates = date_rows(&draft.dates);
        self.draft = draft;
    }

    pub fn mark_edited(&mut self, now: f64) {
        if let BirthdayInput::Valid(b) = self.birthday.parse() {
            self.draft.birthday = Some(b);
        } else if self.birthday.parse() == BirthdayInput::Empty {
            self.draft.birthday = None;
        }
        // A date being typed is saved once it is one; until then the row's saved date stays
        // (the row's own, however rows were moved or removed), and an emptied row is a
        // removed date.
        let mut dates = Vec::with_capacity(self.dates.len());
        for row in &mut self.dates {
            let date = match row.fields.parse() {
                BirthdayInput::Valid(date) => date,
                BirthdayInput::Empty => continue,
                BirthdayInput::Invalid => match row.saved {
                    Some(saved) => saved,
                    None => continue,
                },
            };
            row.saved = Some(date);
            dates.push(LabeledDate {
                label: row.label.trim().to_owned(),
                date,
            });
        }
        self.draft.dates = dates;
        self.dirty_since.get_or_insert(now);
        self.last_edit = now;
    }

    /// The name the detail pane shows: the display name as typed, else the derived one.
    pub fn name(&self) -> String {
        self.draft.label()
    }
}

fn date_rows(dates: &[LabeledDate]) -> Vec<DateRow> {
    dates
        .iter()
        .map(|d| DateRow {
            label: d.label.clone(),
            fields: BirthdayFields::from(Some(d.date)),
            saved: Some(d.date),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthday_fields_accept_a_day_without_a_year_and_refuse_impossible_days() {
        let fields = |day: &str, month, year: &str| BirthdayFields {
            day: day.into(),
            month,
            year: year.into(),
        };
        assert_eq!(fields("", 0, "").parse(), BirthdayInput::Empty);
        assert_eq!(
            fields("29", 2, "").parse(),
            BirthdayInput::Valid(Birthday::new(None, 2, 29).unwrap())
        );
        assert_eq!(
            fields(" 7 ", 3, "1990").parse(),
            BirthdayInput::Valid(Birthday::new(Some(1990), 3, 7).unwrap())
        );
        assert_eq!(fields("29", 2, "2023").parse(), BirthdayInput::Invalid);
        assert_eq!(fields("31", 4, "").parse(), BirthdayInput::Invalid);
        assert_eq!(fields("5", 0, "").parse(), BirthdayInput::Invalid);
        assert_eq!(fields("x", 5, "").parse(), BirthdayInput::Invalid);
    }

    #[test]
    fn hints_mark_but_never_refuse() {
        assert!(email_hint("ada.example.com").is_some());
        assert!(email_hint("ada@example.com").is_none());
        assert!(email_hint("").is_none());
        assert!(phone_hint("call me").is_some());
        assert!(phone_hint("+44 (0) 20").is_none());
        assert_eq!(display_label("  "), "(no name)");
    }
}
