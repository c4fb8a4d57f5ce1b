//! Contacts as CSV: reading the layouts Google Contacts (old and new), Outlook and Thunderbird
//! export, or any other once the user has said what each column holds; writing Google's
//! layout, which Google and Outlook both import.

use std::collections::HashMap;

use serde::Serialize;

use super::vcard_fields::APPLE_WORDS;
use crate::db::{
    Birthday, ContactDraft, LabeledDate, LabeledEmail, LabeledPhone, LabeledWebsite, Photo,
    PostalAddress, Profile, RelatedPerson,
};

mod write;
pub use write::{write, write_with};

/// Which of a contact's emails, phones or addresses a column belongs to, and the label the
/// column itself implies (Outlook's "Business Phone" is a work phone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Slot {
    pub index: u16,
    pub label: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressPart {
    PoBox,
    Extended,
    Street,
    /// A second street line, joined to the first.
    Street2,
    Locality,
    Region,
    PostalCode,
    Country,
    /// The whole address as one text; used only when the parts are all empty.
    Formatted,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Ignore,
    GivenName,
    MiddleName,
    FamilyName,
    /// "Dr." (Outlook calls it "Title").
    NamePrefix,
    NameSuffix,
    Nickname,
    DisplayName,
    Organization,
    Department,
    JobTitle,
    Birthday,
    BirthYear,
    BirthMonth,
    BirthDay,
    Notes,
    Groups,
    Email(Slot),
    EmailLabel(Slot),
    Phone(Slot),
    PhoneLabel(Slot),
    Address(Slot, AddressPart),
    AddressLabel(Slot),
    Website(Slot),
    WebsiteLabel(Slot),
    /// A date: "Event 1 - Value", Outlook's "Anniversary".
    Event(Slot),
    EventLabel(Slot),
    /// A related person's name: "Relation 1 - Value", Outlook's "Spouse".
    Relation(Slot),
    RelationLabel(Slot),
    /// Google's "Photo": a link to the picture (nothing is downloaded).
    Photo,
    /// An instant-messaging handle: "IM 1 - Value", Thunderbird's "Screen Name".
    Profile(Slot),
    ProfileService(Slot),
}

/// The choices a person mapping an unknown file's columns picks from, with their names.
/// Emails and phones take the column's number as their slot, so each column is one more
/// email or phone; the address parts make one address.
pub fn field_choices(column: usize) -> Vec<(Field, &'static str)> {
    let slot = Slot {
        index: u16::try_from(column).unwrap_or(u16::MAX),
        label: "",
    };
    let address = Slot {
        index: 0,
        label: "",
    };
    vec![
        (Field::Ignore, "Leave out"),
        (Field::GivenName, "First name"),
        (Field::MiddleName, "Middle name"),
        (Field::FamilyName, "Last name"),
        (Field::DisplayName, "Display name"),
        (Field::Organization, "Organisation"),
        (Field::Department, "Department"),
        (Field::Nickname, "Nickname"),
        (Field::JobTitle, "Job title"),
        (Field::Birthday, "Birthday"),
        (Field::Notes, "Notes"),
        (Field::Groups, "Groups"),
        (Field::Email(slot), "Email"),
        (Field::Phone(slot), "Phone"),
        (Field::Address(address, AddressPart::Street), "Street"),
        (Field::Address(address, AddressPart::Locality), "City"),
        (Field::Address(address, AddressPart::Region), "Region"),
        (
            Field::Address(address, AddressPart::PostalCode),
            "Postal code",
        ),
        (Field::Address(address, AddressPart::Country), "Country"),
        (Field::Website(slot), "Website"),
    ]
}

/// The app whose export a file's header row matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Layout {
    GoogleOld,
    GoogleNew,
    Outlook,
    Thunderbird,
    /// Not one Folio knows: the user says what each column holds.
    Unknown,
}

impl Layout {
    pub fn name(self) -> &'static str {
        match self {
            Layout::GoogleOld => "Google Contacts (older layout)",
            Layout::GoogleNew => "Google Contacts",
            Layout::Outlook => "Outlook",
            Layout::Thunderbird => "Thunderbird",
            Layout::Unknown => "an unknown layout",
        }
    }
}

/// A CSV file's header row, its first rows, and what Folio makes of its columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvPreview {
    pub headers: Vec<String>,
    /// Up to [`PREVIEW_ROWS`] rows, each as long as the header row.
    pub rows: Vec<Vec<String>>,
    pub layout: Layout,
    pub fields: Vec<Field>,
}

pub const PREVIEW_ROWS: usize = 5;
/// The most columns a CSV file of contacts may have. Outlook's export, the widest an address
/// book writes, has under a hundred.
pub const MAX_COLUMNS: usize = 1_000;

/// Why a file cannot be read as CSV contacts at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotCsv(pub String);

impl std::fmt::Display for NotCsv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes())
}

/// The character between a file's columns: a comma, or the semicolon Excel writes where the
/// comma is the decimal mark (French, German, Italian…), or a tab. Whichever separates the
/// header row into the most columns, counted outside quotes; a comma when none does.
pub fn delimiter(text: &str) -> u8 {
    let header = header_line(text);
    let mut counts = [(b',', 0), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in header.bytes() {
        match byte {
            b'"' => quoted = !quoted,
            _ if quoted => {}
            _ => {
                if let Some(count) = counts.iter_mut().find(|(d, _)| *d == byte) {
                    count.1 += 1;
                }
            }
        }
    }
    // The first of the most frequent: a comma wins a tie.
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(d, n)| if n > best.1 { (d, n) } else { best },
        )
        .0
}

/// The header row's text: up to the first line break outside quotes.
fn header_line(text: &str) -> &str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut quoted = false;
    for (at, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => return &text[..at],
            _ => {}
        }
    }
    text
}

/// The header row and first rows of a file's text (decoded already, see
/// [`super::markdown::decode_text`]).
pub fn preview(text: &str) -> Result<CsvPreview, NotCsv> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = reader(text).into_records();
    let headers: Vec<String> = match records.next() {
        Some(Ok(row)) => row.iter().map(|h| h.trim().to_owned()).collect(),
        Some(Err(e)) => return Err(NotCsv(format!("its first line is not CSV: {e}"))),
        None => return Err(NotCsv("it is empty".to_owned())),
    };
    if headers.len() > MAX_COLUMNS {
        return Err(NotCsv(format!(
            "it has {} columns; Folio reads CSV files of up to {MAX_COLUMNS} columns",
            headers.len()
        )));
    }
    if headers.len() < 2 {
        return Err(NotCsv(
            "its first line has no commas, semicolons or tabs, so it is not a CSV file of \
             contacts"
                .to_owned(),
        ));
    }
    let mut rows = Vec::new();
    for row in records.take(PREVIEW_ROWS) {
        let row = row.map_err(|e| NotCsv(format!("it is not CSV: {e}")))?;
        let mut cells: Vec<String> = row.iter().map(str::to_owned).collect();
        cells.resize(headers.len(), String::new());
        rows.push(cells);
    }
    let (layout, fields) = fields_for_headers(&headers);
    Ok(CsvPreview {
        headers,
        rows,
        layout,
        fields,
    })
}

/// Every header's field, and the layout they make.
pub fn fields_for_headers(headers: &[String]) -> (Layout, Vec<Field>) {
    let lower: Vec<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
    let has = |name: &str| lower.iter().any(|h| h == name);
    let layout = if has("e-mail 1 - type") || has("given name") {
        Layout::GoogleOld
    } else if has("e-mail 1 - label") || (has("first name") && has("labels")) {
        Layout::GoogleNew
    } else if has("e-mail address") && (has("business phone") || has("company")) {
        Layout::Outlook
    } else if has("primary email") {
        Layout::Thunderbird
    } else {
        Layout::Unknown
    };
    // Numbered columns ("Phone 2 - Value") take their number as their slot; columns named by
    // what they are ("Mobile Phone") take one each from 100 up. A file has at most
    // MAX_COLUMNS columns, but a mapper called with more must not overflow.
    let mut next_slot = 100;
    let fields = lower
        .iter()
        .map(|h| field_for_header(h, &mut next_slot))
        .collect();
    (layout, fields)
}

/// `"e-mail 2 - value"` → `(2, "value")`.
fn numbered<'a>(header: &'a str, kind: &str) -> Option<(u16, &'a str)> {
    let rest = header.strip_prefix(kind)?.strip_prefix(' ')?;
    let (number, part) = rest.split_once(" - ")?;
    Some((number.trim().parse().ok()?, part.trim()))
}

fn field_for_header(header: &str, next_slot: &mut u16) -> Field {
    let mut fixed = |label: &'static str| {
        *next_slot = next_slot.saturating_add(1);
        Slot {
            index: *next_slot,
            label,
        }
    };
    let slot = |index: u16| Slot { index, label: "" };
    if let Some((n, part)) = numbered(header, "e-mail") {
        return match part {
            "type" | "label" => Field::EmailLabel(slot(n)),
            "value" => Field::Email(slot(n)),
            _ => Field::Ignore,
        };
    }
    if let Some((n, part)) = numbered(header, "phone") {
        return match part {
            "type" | "label" => Field::PhoneLabel(slot(n)),
            "value" => Field::Phone(slot(n)),
            _ => Field::Ignore,
        };
    }
    for (kind, value, label) in [
        (
            "website",
            Field::Website as fn(Slot) -> Field,
            Field::WebsiteLabel as fn(Slot) -> Field,
        ),
        ("event", Field::Event, Field::EventLabel),
        ("relation", Field::Relation, Field::RelationLabel),
    ] {
        if let Some((n, part)) = numbered(header, kind) {
            return match part {
                "type" | "label" => label(slot(n)),
                "value" => value(slot(n)),
                _ => Field::Ignore,
            };
        }
    }
    // Google's IM columns: the label says "Home" or "Work", the service says "Skype".
    if let Some((n, part)) =
        numbered(header, "im").or_else(|| numbered(header, "instant messenger"))
    {
        return match part {
            "service" => Field::ProfileService(slot(n)),
            "value" => Field::Profile(slot(n)),
            _ => Field::Ignore,
        };
    }
    if let Some((n, part)) = numbered(header, "address") {
        let part = match part {
            "type" | "label" => return Field::AddressLabel(slot(n)),
            "street" => AddressPart::Street,
            "city" => AddressPart::Locality,
            "po box" => AddressPart::PoBox,
            "region" => AddressPart::Region,
            "postal code" => AddressPart::PostalCode,
            "country" => AddressPart::Country,
            "extended address" => AddressPart::Extended,
            "formatted" => AddressPart::Formatted,
            _ => return Field::Ignore,
        };
        return Field::Address(slot(n), part);
    }
    // Outlook and Thunderbird name a phone or address by what it is.
    let address_of = |prefix: &str| -> Option<AddressPart> {
        let rest = header.strip_prefix(prefix)?.strip_prefix(' ')?;
        Some(match rest {
            "street" | "address" => AddressPart::Street,
            "street 2" | "street 3" | "address 2" => AddressPart::Street2,
            "city" => AddressPart::Locality,
            "state" => AddressPart::Region,
            "postal code" | "zipcode" => AddressPart::PostalCode,
            "country/region" | "country" => AddressPart::Country,
            "po box" => AddressPart::PoBox,
            _ => return None,
        })
    };
    for (prefix, index, label) in [
        ("home", 1, "home"),
        ("business", 2, "work"),
        ("work", 2, "work"),
        ("other", 3, "other"),
    ] {
        if let Some(part) = address_of(prefix) {
            return Field::Address(Slot { index, label }, part);
        }
    }
    match header {
        "given name" | "first name" => Field::GivenName,
        "additional name" | "middle name" => Field::MiddleName,
        "family name" | "last name" | "surname" => Field::FamilyName,
        // Outlook's "Title" is "Mr." or "Dr.".
        "name prefix" | "title" => Field::NamePrefix,
        "name suffix" | "suffix" => Field::NameSuffix,
        "nickname" => Field::Nickname,
        "photo" => Field::Photo,
        "web page" | "web page 1" | "web page 2" | "personal web page" | "website" => {
            Field::Website(fixed(""))
        }
        "business web page" => Field::Website(fixed("work")),
        "anniversary" => Field::Event(fixed("anniversary")),
        "spouse" => Field::Relation(fixed("spouse")),
        "children" => Field::Relation(fixed("child")),
        "assistant's name" => Field::Relation(fixed("assistant")),
        "manager's name" => Field::Relation(fixed("manager")),
        "screen name" => Field::Profile(fixed("")),
        "name" | "display name" | "full name" | "file as" => Field::DisplayName,
        "organization 1 - name"
        | "organization name"
        | "organization"
        | "organisation"
        | "company" => Field::Organization,
        "organization 1 - department" | "organization department" | "department" => {
            Field::Department
        }
        // Outlook's "Title" is "Mr." or "Dr.", not a job.
        "organization 1 - title" | "organization title" | "job title" => Field::JobTitle,
        "birthday" | "date of birth" => Field::Birthday,
        "birth year" => Field::BirthYear,
        "birth month" => Field::BirthMonth,
        "birth day" => Field::BirthDay,
        "notes" | "note" => Field::Notes,
        "group membership" | "labels" | "categories" | "groups" => Field::Groups,
        "e-mail address" | "primary email" | "email" | "e-mail" | "email address" => {
            Field::Email(slot(1))
        }
        "e-mail 2 address" | "secondary email" => Field::Email(slot(2)),
        "e-mail 3 address" => Field::Email(slot(3)),
        "mobile phone" | "mobile number" | "mobile" => Field::Phone(fixed("mobile")),
        "home phone" | "home phone 2" => Field::Phone(fixed("home")),
        "business phone" | "business phone 2" | "work phone" => Field::Phone(fixed("work")),
        "business fax" => Field::Phone(fixed("work fax")),
        "home fax" => Field::Phone(fixed("home fax")),
        "fax number" | "other fax" => Field::Phone(fixed("fax")),
        "pager" | "pager number" => Field::Phone(fixed("pager")),
        "company main phone" => Field::Phone(fixed("main")),
        "other phone" => Field::Phone(fixed("other")),
        "primary phone" | "phone" | "telephone" => Field::Phone(fixed("")),
        _ => Field::Ignore,
    }
}

/// What reading a file gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvRead {
    pub contacts: Vec<ContactDraft>,
    /// Rows left out, with why (row 1 is the first after the header).
    pub skipped: Vec<(usize, String)>,
    /// Rows read with a value Folio could not use.
    pub warnings: Vec<(usize, String)>,
}

/// Google puts several values of one kind in one cell.
fn values_of(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(":::").map(str::trim).filter(|v| !v.is_empty())
}

/// Google's labels are capitalised ("Mobile", "Home Fax") and mark the primary one with
/// "* ". Folio's own words are lower case.
fn label_from_csv(label: &str) -> String {
    let label = label.trim();
    let label = label.strip_prefix("* ").unwrap_or(label).trim();
    let lower = label.to_lowercase();
    if is_known_label(&lower) {
        lower
    } else {
        label.to_owned()
    }
}

/// Folio's own label words, which Google writes capitalised: those of emails, phones and
/// addresses, and Apple's words for dates, relations and websites.
fn is_known_label(label: &str) -> bool {
    const CONTACT_WORDS: [&str; 9] = [
        "home", "work", "other", "mobile", "fax", "pager", "main", "home fax", "work fax",
    ];
    CONTACT_WORDS.contains(&label) || APPLE_WORDS.contains(&label)
}

pub(super) fn label_to_csv(label: &str) -> String {
    if is_known_label(label) {
        label
            .split(' ')
            .map(|w| {
                let mut chars = w.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        label.to_owned()
    }
}

/// "1985-04-12", "--04-12" (no year), "4/12/1985" (Outlook, month first) or "19850412".
pub(super) fn parse_birthday(text: &str) -> Option<Birthday> {
    let text = text.trim();
    // Only digits and separators: then every index below falls between characters.
    if !text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.'))
    {
        return None;
    }
    let number = |s: &str| s.trim().parse::<u32>().ok();
    let byte = |n: u32| u8::try_from(n).ok();
    if let Some(rest) = text.strip_prefix("--") {
        let (month, day) = match rest.split_once('-') {
            Some((m, d)) => (number(m)?, number(d)?),
            None if rest.len() == 4 => (number(&rest[..2])?, number(&rest[2..])?),
            None => return None,
        };
        return Birthday::new(None, byte(month)?, byte(day)?);
    }
    let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
    let (year, month, day) = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => (number(y)?, number(m)?, number(d)?),
        [m, d, y] if text.contains('/') && y.len() == 4 => (number(y)?, number(m)?, number(d)?),
        [d, m, y] if text.contains('.') && y.len() == 4 => (number(y)?, number(m)?, number(d)?),
        [whole] if whole.len() == 8 => (
            number(&whole[..4])?,
            number(&whole[4..6])?,
            number(&whole[6..])?,
        ),
        _ => return None,
    };
    Birthday::new(Some(i32::try_from(year).ok()?), byte(month)?, byte(day)?)
}

/// Outlook writes "0/0/00" for no birthday.
fn is_no_date(text: &str) -> bool {
    text.chars()
        .all(|c| matches!(c, '0' | '/' | '-' | '.' | ' '))
}

/// Reads every row with the given fields (one per column).
pub fn read(text: &str, fields: &[Field]) -> CsvRead {
    // A byte order mark says the file was written for Excel, where quoted formulas are undone.
    let (text, for_excel) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    let mut read = CsvRead::default();
    for (number, row) in reader(text).into_records().skip(1).enumerate() {
        let number = number + 1;
        if number > super::MAX_CONTACTS_PER_FILE {
            read.skipped
                .push((number, super::contacts_past_limit("rows")));
            break;
        }
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                read.skipped.push((number, format!("it is not CSV: {e}")));
                continue;
            }
        };
        // Cells past the last column with a field are never looked at.
        let cells: Vec<&str> = row
            .iter()
            .take(fields.len())
            .map(|cell| match for_excel {
                true => made_inert(cell).unwrap_or(cell),
                false => cell,
            })
            .collect();
        match contact_from_row(&cells, fields) {
            Ok((contact, warning)) => {
                if let Some(warning) = warning {
                    read.warnings.push((number, warning));
                }
                read.contacts.push(contact);
            }
            Err(reason) => read.skipped.push((number, reason.to_owned())),
        }
    }
    read
}

#[derive(Default)]
struct Parts {
    label: String,
    values: Vec<String>,
    labels: Vec<String>,
    address: PostalAddress,
    street2: String,
    formatted: String,
}

/// The emails, phones or addresses of a row, in the order their columns come, found by slot
/// in constant time (a wide file has a slot per column).
#[derive(Default)]
struct Slots {
    in_order: Vec<(Slot, Parts)>,
    position: HashMap<u16, usize>,
}

impl Slots {
    /// A cell of values (several in one cell, Google's way).
    fn values(&mut self, slot: Slot, cell: &str) {
        let parts = self.parts(slot);
        parts.values.extend(values_of(cell).map(str::to_owned));
    }

    /// A cell of labels, one for each value in the value cell.
    fn labels(&mut self, slot: Slot, cell: &str) {
        self.parts(slot).labels = values_of(cell).map(label_from_csv).collect();
    }

    fn parts(&mut self, slot: Slot) -> &mut Parts {
        let at = *self.position.entry(slot.index).or_insert_with(|| {
            self.in_order.push((
                slot,
                Parts {
                    label: slot.label.to_owned(),
                    ..Parts::default()
                },
            ));
            self.in_order.len() - 1
        });
        &mut self.in_order[at].1
    }
}

fn contact_from_row(
    cells: &[&str],
    fields: &[Field],
) -> Result<(ContactDraft, Option<String>), &'static str> {
    let mut draft = ContactDraft::default();
    let mut birth = (None, None, None);
    let mut birthday_text = None;
    let mut emails = Slots::default();
    let mut phones = Slots::default();
    let mut addresses = Slots::default();
    let mut websites = Slots::default();
    let mut events = Slots::default();
    let mut relations = Slots::default();
    let mut profiles = Slots::default();
    for (cell, field) in cells.iter().zip(fields) {
        let value = cell.trim();
        if value.is_empty() {
            continue;
        }
        match *field {
            Field::Ignore => {}
            Field::GivenName => draft.given_name = value.to_owned(),
            Field::MiddleName => draft.middle_name = value.to_owned(),
            Field::FamilyName => draft.family_name = value.to_owned(),
            Field::NamePrefix => draft.name_prefix = value.to_owned(),
            Field::NameSuffix => draft.name_suffix = value.to_owned(),
            Field::Nickname => draft.nickname = value.to_owned(),
            Field::DisplayName => draft.display_name = value.to_owned(),
            Field::Organization => draft.organization = value.to_owned(),
            Field::Department => draft.department = value.to_owned(),
            Field::Photo => {
                let is_link = value.starts_with("https://") || value.starts_with("http://");
                if is_link {
                    draft.photo = Some(Photo {
                        url: value.to_owned(),
                        ..Photo::default()
                    });
                }
            }
            Field::JobTitle => draft.job_title = value.to_owned(),
            Field::Birthday => {
                if !is_no_date(value) {
                    birthday_text = Some(value.to_owned());
                }
            }
            Field::BirthYear => birth.0 = value.parse::<i32>().ok(),
            Field::BirthMonth => birth.1 = value.parse::<u8>().ok(),
            Field::BirthDay => birth.2 = value.parse::<u8>().ok(),
            Field::Notes => draft.notes = cell.to_string(),
            Field::Groups => {
                for group in values_of(value).flat_map(|g| g.split(';')) {
                    let group = group.trim();
                    let system = group.strip_prefix("* ");
                    match system.map(str::to_lowercase).as_deref() {
                        Some("starred") => draft.favorite = true,
                        Some(_) => {}
                        None if group.is_empty()
                            || draft.groups.iter().any(|g| g.eq_ignore_ascii_case(group)) => {}
                        None => draft.groups.push(group.to_owned()),
                    }
                }
            }
            Field::Email(slot) => emails
                .parts(slot)
                .values
                .extend(values_of(value).map(str::to_owned)),
            Field::EmailLabel(slot) => {
                emails.parts(slot).labels = values_of(value).map(label_from_csv).collect()
            }
            Field::Phone(slot) => phones
                .parts(slot)
                .values
                .extend(values_of(value).map(str::to_owned)),
            Field::PhoneLabel(slot) => {
                phones.parts(slot).labels = values_of(value).map(label_from_csv).collect()
            }
            Field::AddressLabel(slot) => addresses.parts(slot).label = label_from_csv(value),
            Field::Website(slot) => websites.values(slot, value),
            Field::WebsiteLabel(slot) => websites.labels(slot, value),
            Field::Event(slot) => events.values(slot, value),
            Field::EventLabel(slot) => events.labels(slot, value),
            Field::Relation(slot) => relations.values(slot, value),
            Field::RelationLabel(slot) => relations.labels(slot, value),
            Field::Profile(slot) => profiles.values(slot, value),
            // The service is no label; it is read through the labels' column.
            Field::ProfileService(slot) => {
                profiles.parts(slot).labels = values_of(value).map(str::to_owned).collect()
            }
            Field::Address(slot, part) => {
                let parts = addresses.parts(slot);
                let a = &mut parts.address;
                let target = match part {
                    AddressPart::PoBox => &mut a.po_box,
                    AddressPart::Extended => &mut a.extended,
                    AddressPart::Street => &mut a.street,
                    AddressPart::Street2 => &mut parts.street2,
                    AddressPart::Locality => &mut a.locality,
                    AddressPart::Region => &mut a.region,
                    AddressPart::PostalCode => &mut a.postal_code,
                    AddressPart::Country => &mut a.country,
                    AddressPart::Formatted => &mut parts.formatted,
                };
                if !target.is_empty() {
                    target.push('\n');
                }
                target.push_str(value);
            }
        }
    }
    let label_for = |parts: &Parts, i: usize| {
        parts
            .labels
            .get(i)
            .or(parts.labels.first())
            .cloned()
            .unwrap_or_else(|| parts.label.clone())
    };
    let labelled = |slots: &Slots| -> Vec<(String, String)> {
        slots
            .in_order
            .iter()
            .flat_map(|(_, parts)| {
                parts
                    .values
                    .iter()
                    .enumerate()
                    .map(move |(i, value)| (label_for(parts, i), value.clone()))
            })
            .collect()
    };
    for (label, url) in labelled(&websites) {
        draft.websites.push(LabeledWebsite { label, url });
    }
    for (label, name) in labelled(&relations) {
        draft.related.push(RelatedPerson { label, name });
    }
    for (service, handle) in labelled(&profiles) {
        draft.profiles.push(Profile { service, handle });
    }
    let mut unread_events = Vec::new();
    for (label, text) in labelled(&events) {
        match parse_birthday(&text) {
            Some(date) => draft.dates.push(LabeledDate { label, date }),
            None if is_no_date(&text) => {}
            None => unread_events.push(text),
        }
    }
    for (_, parts) in &emails.in_order {
        for (i, address) in parts.values.iter().enumerate() {
            draft.emails.push(LabeledEmail {
                label: label_for(parts, i),
                address: address.clone(),
            });
        }
    }
    for (_, parts) in &phones.in_order {
        for (i, number) in parts.values.iter().enumerate() {
            draft.phones.push(LabeledPhone {
                label: label_for(parts, i),
                number: number.clone(),
            });
        }
    }
    for (_, mut parts) in addresses.in_order {
        if !parts.street2.is_empty() {
            if !parts.address.street.is_empty() {
                parts.address.street.push('\n');
            }
            parts.address.street.push_str(&parts.street2);
        }
        let empty = parts.address.components().iter().all(|s| s.is_empty());
        let a = &mut parts.address;
        if empty {
            if parts.formatted.is_empty() {
                continue;
            }
            a.street = parts.formatted.clone();
        }
        a.label = parts.label.clone();
        draft.addresses.push(parts.address);
    }
    draft.drop_redundant_display_name();
    let mut warning = unread_events
        .first()
        .map(|text| format!("its date \"{text}\" is not a date Folio reads"));
    if let Some(text) = birthday_text {
        match parse_birthday(&text) {
            Some(b) => draft.birthday = Some(b),
            None => warning = Some(format!("its birthday \"{text}\" is not a date Folio reads")),
        }
    } else if let (year, Some(month), Some(day)) = birth {
        draft.birthday = Birthday::new(year.filter(|y| *y > 0), month, day);
        if draft.birthday.is_none() {
            warning = Some("its birthday is not a date in the calendar".to_owned());
        }
    }
    if draft.label().is_empty() && draft.phones.is_empty() {
        return Err("it has no name, organisation, email or phone number");
    }
    Ok((draft, warning))
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, so a name
/// like `=HYPERLINK(…)` could act when the file is opened; a leading `'` makes it plain text
/// (and keeps "+44 …" a phone number rather than a sum).
pub(super) fn inert_in_a_spreadsheet(cell: &str) -> String {
    // A cell that already looks made inert gets one more quote, which reading takes off.
    if runs_as_formula(cell) || made_inert(cell).is_some() {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

fn runs_as_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// The cell before [`inert_in_a_spreadsheet`] quoted it, if it did.
fn made_inert(cell: &str) -> Option<&str> {
    cell.strip_prefix('\'')
        .filter(|rest| runs_as_formula(rest) || made_inert(rest).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthdays_in_the_forms_contact_apps_write() {
        let b = |y, m, d| Birthday::new(y, m, d);
        assert_eq!(parse_birthday("1985-04-12"), b(Some(1985), 4, 12));
        assert_eq!(parse_birthday(" --04-12"), b(None, 4, 12));
        assert_eq!(parse_birthday("--0412"), b(None, 4, 12));
        assert_eq!(parse_birthday("4/12/1985"), b(Some(1985), 4, 12));
        assert_eq!(parse_birthday("12.04.1985"), b(Some(1985), 4, 12));
        assert_eq!(parse_birthday("19850412"), b(Some(1985), 4, 12));
        assert_eq!(parse_birthday("1985-02-30"), None);
        assert_eq!(parse_birthday("next tuesday"), None);
        // Found by fuzzing: a multi-byte character where a digit was expected.
        assert_eq!(parse_birthday("--1®2"), None);
        assert_eq!(parse_birthday("123®567"), None);
        assert!(is_no_date("0/0/00"));
    }

    #[test]
    fn labels_read_as_folio_writes_them() {
        assert_eq!(label_from_csv("* Mobile"), "mobile");
        assert_eq!(label_from_csv("Home Fax"), "home fax");
        assert_eq!(label_from_csv("Ferienhaus"), "Ferienhaus");
        assert_eq!(label_to_csv("work fax"), "Work Fax");
        assert_eq!(label_to_csv("School"), "School");
    }
}
