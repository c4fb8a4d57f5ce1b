//! Contacts as vCards: reading 2.1, 3.0 and 4.0 through calcard, which tolerates what other
//! apps write (folded lines, quoted-printable with a CHARSET, escapes, grouped properties), and
//! writing 3.0 (RFC 2426) or 4.0 (RFC 6350) through calcard's writer, which escapes values and
//! folds lines at 75 octets without splitting a character.
//!
//! The address-book fields (nickname, websites, dates, relations, profiles) are read and
//! written in `vcard_fields.rs`. What Folio has no field for (`X-` properties, keys, geo…) is
//! kept as vCard 4.0 lines in [`ContactDraft::card_extra`] and written back on export, so an import
//! followed by an export loses nothing but logos, sounds and photos over the size limit.

use std::borrow::Cow;
use std::collections::HashMap;

use calcard::common::{IanaString, PartialDateTime};
use calcard::vcard::{
    VCard, VCardEntry, VCardParameter, VCardParameterName, VCardParameterValue, VCardProperty,
    VCardType, VCardValue, VCardVersion,
};
use calcard::{Entry, Parser};
use serde::Serialize;

use super::strip_prefix_ignore_case;
use super::vcard_fields::{self, date_value, omitted_year, takes_apple_label};
use crate::db::{Birthday, ContactDraft, LabeledEmail, LabeledPhone, PostalAddress, Timestamp};

/// The vCard version an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CardVersion {
    /// RFC 2426, which most address books read.
    V3,
    /// RFC 6350.
    V4,
}

impl CardVersion {
    fn calcard(self) -> VCardVersion {
        match self {
            CardVersion::V3 => VCardVersion::V3_0,
            CardVersion::V4 => VCardVersion::V4_0,
        }
    }
}

/// A card left out of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedCard {
    /// 1 for the file's first card.
    pub number: usize,
    pub reason: String,
}

/// What a vCard file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardsRead {
    pub contacts: Vec<ContactDraft>,
    pub skipped: Vec<SkippedCard>,
    /// Cards whose logo or sound was left out (Folio keeps neither), or whose photo was over
    /// [`crate::db::MAX_PHOTO_BYTES`].
    pub pictures_left_out: usize,
    /// Lines outside any card, ignored.
    pub stray_lines: usize,
}

/// Reads every card in a vCard file's text. A card that cannot be read is skipped with its
/// number and why; the others are still read.
pub fn read_cards(text: &str) -> CardsRead {
    let text = bare_encodings_named(text);
    let text = yearless_dates_without_dashes(&text);
    let mut read = CardsRead::default();
    let mut number = 0;
    // Each card is parsed on its own: calcard reads a card that lacks END:VCARD on into the
    // next one and drops that.
    for piece in pieces_at_cards(&text) {
        if number >= super::MAX_CONTACTS_PER_FILE {
            read.skipped.push(SkippedCard {
                number: number + 1,
                reason: super::contacts_past_limit("cards"),
            });
            break;
        }
        match too_large(piece) {
            Some(reason) if starts_a_card(piece) => {
                number += 1;
                read.skipped.push(SkippedCard { number, reason });
            }
            Some(_) => read.stray_lines += piece.lines().count(),
            None => read_piece(piece, &mut read, &mut number),
        }
    }
    read
}

/// A vCard file's bytes with folded lines joined (a line break followed by a space or a tab
/// is removed, RFC 6350 3.2), so a character split across the fold is whole again before the
/// bytes are decoded. UTF-16, whose line breaks are two bytes wide, is left for the decoder.
pub fn unfold_bytes(bytes: Vec<u8>) -> Vec<u8> {
    let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
    if utf16 || bytes.contains(&0) {
        return bytes;
    }
    let mut joined = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let fold = match &bytes[at..] {
            [b'\r', b'\n', b' ' | b'\t', ..] => 3,
            [b'\n', b' ' | b'\t', ..] => 2,
            _ => 0,
        };
        if fold > 0 {
            at += fold;
        } else {
            joined.push(bytes[at]);
            at += 1;
        }
    }
    joined
}

/// The largest card read: room for a photo of the largest size Folio keeps
/// ([`crate::db::MAX_PHOTO_BYTES`], 10 MB, which base64 makes 13.4 MB) and the rest.
pub const MAX_CARD_BYTES: usize = 24 * 1024 * 1024;
/// The longest line of a card read, after unfolding (a photo is one line).
pub const MAX_CARD_LINE_BYTES: usize = 16 * 1024 * 1024;

/// Why a piece of a file is too large to be read as a card, in plain words.
fn too_large(piece: &str) -> Option<String> {
    const MB: usize = 1024 * 1024;
    if piece.len() > MAX_CARD_BYTES {
        return Some(format!(
            "it is larger than {} MB, the most Folio reads for one card",
            MAX_CARD_BYTES / MB
        ));
    }
    // A line that begins with a space or a tab continues the one before it (folding).
    let mut longest = 0;
    let mut current = 0;
    for line in piece.split_inclusive('\n') {
        current = match line.starts_with([' ', '\t']) {
            true => current + line.len(),
            false => line.len(),
        };
        longest = longest.max(current);
    }
    (longest > MAX_CARD_LINE_BYTES).then(|| {
        format!(
            "one of its lines is longer than {} MB, the most Folio reads",
            MAX_CARD_LINE_BYTES / MB
        )
    })
}

fn starts_a_card(line: &str) -> bool {
    line.trim_start_matches('\u{feff}')
        .get(..11)
        .is_some_and(|head| head.eq_ignore_ascii_case("BEGIN:VCARD"))
}

/// The text cut before every line that begins a card.
fn pieces_at_cards(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if at > start && starts_a_card(line) {
            pieces.push(&text[start..at]);
            start = at;
        }
        at += line.len();
    }
    pieces.push(&text[start..]);
    pieces
}

fn read_piece(text: &str, read: &mut CardsRead, number: &mut usize) {
    let mut parser = Parser::new(text);
    loop {
        let skip = |number: usize, reason: &str| SkippedCard {
            number,
            reason: reason.to_owned(),
        };
        match parser.entry() {
            Entry::Eof => break,
            Entry::VCard(card) => {
                *number += 1;
                let (contact, picture) = contact_from_card(&card);
                read.pictures_left_out += usize::from(picture);
                match contact {
                    Some(contact) => read.contacts.push(contact),
                    None => read.skipped.push(skip(
                        *number,
                        "it has no name, organisation, email or phone number",
                    )),
                }
            }
            Entry::ICalendar(_) => {
                *number += 1;
                read.skipped
                    .push(skip(*number, "it is a calendar entry, not a contact"));
            }
            Entry::UnexpectedComponentEnd { .. } | Entry::UnterminatedComponent(_) => {
                *number += 1;
                read.skipped
                    .push(skip(*number, "its BEGIN and END lines do not match"));
            }
            Entry::TooManyComponents => {
                *number += 1;
                read.skipped
                    .push(skip(*number, "it nests more parts than a card can hold"));
                // The parser cannot go on past this.
                break;
            }
            Entry::InvalidLine(_) => read.stray_lines += 1,
            // Entry is non-exhaustive; whatever a later calcard adds is not a card.
            _ => read.stray_lines += 1,
        }
    }
}

/// vCard 2.1 lets a property say `;QUOTED-PRINTABLE` or `;BASE64` without `ENCODING=`
/// (Russian and older Nokia address books do); calcard knows only the named form, and would
/// keep the encoded text as the value. The bare forms are named here.
fn bare_encodings_named(text: &str) -> Cow<'_, str> {
    fn is_bare(param: &str) -> bool {
        param.eq_ignore_ascii_case("QUOTED-PRINTABLE") || param.eq_ignore_ascii_case("BASE64")
    }
    /// The property's name and parameters: the line up to its first colon.
    fn head(line: &str) -> &str {
        &line[..line.find(':').unwrap_or(0)]
    }
    let has_bare = |line: &str| head(line).split(';').skip(1).any(is_bare);
    if !text.lines().any(has_bare) {
        return Cow::Borrowed(text);
    }
    let mut named = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        if !has_bare(line) {
            named.push_str(line);
            continue;
        }
        let head = head(line);
        for (index, param) in head.split(';').enumerate() {
            if index > 0 {
                named.push(';');
                if is_bare(param) {
                    named.push_str("ENCODING=");
                }
            }
            named.push_str(param);
        }
        named.push_str(&line[head.len()..]);
    }
    Cow::Owned(named)
}

/// calcard reads a 3.0-style yearless birthday `--MM-DD` as a month alone, so the day would be
/// lost; `--MMDD` (the 4.0 form) means the same and is read whole.
fn yearless_dates_without_dashes(text: &str) -> Cow<'_, str> {
    fn is_yearless(value: &str) -> bool {
        let b = value.trim_end().as_bytes();
        b.len() == 7
            && b.starts_with(b"--")
            && b[4] == b'-'
            && [2, 3, 5, 6].iter().all(|&i| b[i].is_ascii_digit())
    }
    fn is_date_property(line: &str) -> bool {
        let name = line.split([':', ';']).next().unwrap_or("");
        let name = name.rsplit('.').next().unwrap_or(name);
        name.eq_ignore_ascii_case("BDAY") || name.eq_ignore_ascii_case("ANNIVERSARY")
    }
    let needs_change = text.lines().any(|line| {
        is_date_property(line) && line.rsplit_once(':').is_some_and(|(_, v)| is_yearless(v))
    });
    if !needs_change {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match line.rsplit_once(':') {
            Some((head, value)) if is_date_property(line) && is_yearless(value) => {
                let ending = &value[value.trim_end().len()..];
                let value = value.trim_end();
                out.push_str(head);
                out.push_str(":--");
                out.push_str(&value[2..4]);
                out.push_str(&value[5..7]);
                out.push_str(ending);
            }
            _ => out.push_str(line),
        }
    }
    Cow::Owned(out)
}

/// A card as a contact, and whether a picture was left out (a logo, a sound, a photo too
/// large). `None` when nothing in the
/// card would show in Folio.
fn contact_from_card(card: &VCard) -> (Option<ContactDraft>, bool) {
    let mut draft = ContactDraft::default();
    let mut formatted_name = String::new();
    let mut picture = false;
    let mut extra = String::new();
    // Apple's address book labels a property through a sibling `itemN.X-ABLabel`.
    let labels: HashMap<&str, String> = card
        .entries
        .iter()
        .filter(
            |e| matches!(&e.name, VCardProperty::Other(n) if n.eq_ignore_ascii_case("X-ABLABEL")),
        )
        .filter_map(|e| Some((e.group.as_deref()?, apple_label(&texts(e)))))
        .collect();
    let label_of = |entry: &VCardEntry| -> String {
        entry
            .group
            .as_deref()
            .and_then(|g| labels.get(g).cloned())
            .unwrap_or_else(|| label_from_types(entry))
    };
    let mut emails = Vec::new();
    let mut phones = Vec::new();
    let mut addresses = Vec::new();
    let mut foreign_uid = None;
    for entry in &card.entries {
        let mut keep = || {
            let _ = entry.write_to(&mut extra, true);
        };
        match &entry.name {
            VCardProperty::Begin
            | VCardProperty::End
            | VCardProperty::Version
            | VCardProperty::Prodid => {}
            VCardProperty::Fn => formatted_name = texts(entry),
            VCardProperty::N => {
                let parts = components(entry);
                let part = |i: usize| parts.get(i).map_or("", String::as_str).trim().to_owned();
                draft.family_name = part(0);
                draft.given_name = part(1);
                draft.middle_name = part(2);
                draft.name_prefix = part(3);
                draft.name_suffix = part(4);
            }
            VCardProperty::Org => {
                // The organisation, then its units: the first unit is the department, and
                // deeper ones stay with it ("Research; Optics").
                let parts = components(entry);
                let mut parts = parts.iter().map(|s| s.trim());
                draft.organization = parts.next().unwrap_or("").to_owned();
                let units: Vec<&str> = parts.filter(|s| !s.is_empty()).collect();
                draft.department = units.join("; ");
            }
            VCardProperty::Title if draft.job_title.is_empty() => {
                draft.job_title = texts(entry).trim().to_owned();
            }
            VCardProperty::Note => {
                let note = texts(entry);
                if !draft.notes.is_empty() {
                    draft.notes.push_str("\n\n");
                }
                draft.notes.push_str(&note);
            }
            VCardProperty::Bday if draft.birthday.is_none() => match birthday(entry) {
                Some(b) => draft.birthday = Some(b),
                None => keep(),
            },
            VCardProperty::Email => {
                let address = texts(entry).trim().to_owned();
                if !address.is_empty() {
                    emails.push((preference(entry), label_of(entry), address));
                }
            }
            VCardProperty::Tel => {
                let number = phone_number(&texts(entry));
                if !number.is_empty() {
                    phones.push((preference(entry), label_of(entry), number));
                }
            }
            VCardProperty::Adr => {
                let parts = components(entry);
                let part = |i: usize| parts.get(i).map_or("", String::as_str).trim().to_owned();
                let address = PostalAddress {
                    label: label_of(entry),
                    po_box: part(0),
                    extended: part(1),
                    street: part(2),
                    locality: part(3),
                    region: part(4),
                    postal_code: part(5),
                    country: part(6),
                };
                addresses.push((preference(entry), address));
            }
            VCardProperty::Categories => {
                for value in all_texts(entry) {
                    let group = value.trim();
                    if group.eq_ignore_ascii_case("starred") {
                        // Google's favourites.
                        draft.favorite = true;
                    } else if !group.is_empty()
                        && !group.eq_ignore_ascii_case("myContacts")
                        && !draft.groups.iter().any(|g| g.eq_ignore_ascii_case(group))
                    {
                        draft.groups.push(group.to_owned());
                    }
                }
            }
            VCardProperty::Uid => {
                let uid = texts(entry);
                let uid = uid.trim();
                match super::canonical_uuid(uid) {
                    Some(uuid) => draft.uuid = Some(uuid),
                    None if !uid.is_empty() => {
                        // Folio keys contacts by UUID; another app's UID is kept to be
                        // written back, and gives a made-up UUID below.
                        foreign_uid = Some(uid.to_owned());
                        keep();
                    }
                    None => {}
                }
            }
            VCardProperty::Rev => draft.updated = entry.values.iter().find_map(revision),
            VCardProperty::Photo if draft.photo.is_none() => match vcard_fields::photo(entry) {
                Some(photo) if photo.bytes.len() <= crate::db::MAX_PHOTO_BYTES => {
                    draft.photo = Some(photo);
                }
                Some(_) => picture = true,
                None => keep(),
            },
            VCardProperty::Logo | VCardProperty::Sound => picture = true,
            VCardProperty::Other(name) if name.eq_ignore_ascii_case(FAVORITE) => {
                draft.favorite = texts(entry).trim().eq_ignore_ascii_case("TRUE");
            }
            // The label of a property Folio reads with its label.
            VCardProperty::Other(name)
                if name.eq_ignore_ascii_case("X-ABLABEL")
                    && entry.group.as_deref().is_some_and(|g| {
                        card.entries
                            .iter()
                            .any(|e| e.group.as_deref() == Some(g) && takes_apple_label(&e.name))
                    }) => {}
            _ => {
                let label = entry.group.as_deref().and_then(|g| labels.get(g));
                if !vcard_fields::read_field(entry, label.map(String::as_str), &mut draft) {
                    keep();
                }
            }
        }
    }
    // The preferred one first; the rest in the card's order.
    emails.sort_by_key(|(pref, _, _)| *pref);
    phones.sort_by_key(|(pref, _, _)| *pref);
    addresses.sort_by_key(|(pref, _)| *pref);
    draft.emails = emails
        .into_iter()
        .map(|(_, label, address)| LabeledEmail { label, address })
        .collect();
    draft.phones = phones
        .into_iter()
        .map(|(_, label, number)| LabeledPhone { label, number })
        .collect();
    draft.addresses = addresses.into_iter().map(|(_, a)| a).collect();
    draft.display_name = formatted_name.trim().to_owned();
    draft.drop_redundant_display_name();
    draft.card_extra = extra;
    if let Some(uid) = foreign_uid {
        // The same card gives the same UUID at each import, so a second import merges. The
        // name is part of it: apps number their UIDs ("1", "2"…), and another app's card 1
        // must not replace this one.
        let key = format!("{uid}\u{0}{}", draft.label());
        draft.uuid = Some(uuid::Uuid::new_v5(&UID_NAMESPACE, key.as_bytes()).to_string());
    }
    let shows_something = !draft.label().is_empty() || !draft.phones.is_empty();
    (shows_something.then_some(draft), picture)
}

/// The namespace of the UUIDs made from other apps' UIDs (a fixed random UUID).
const UID_NAMESPACE: uuid::Uuid = uuid::uuid!("6f1d3c5e-8a47-4d2b-9b1e-2c7a0f9e4d61");

/// Marks a Folio favourite; other apps ignore it.
const FAVORITE: &str = "X-FOLIO-FAVORITE";

/// A property's values as one text (values of a list joined by commas).
pub(super) fn texts(entry: &VCardEntry) -> String {
    all_texts(entry).join(",")
}

pub(super) fn all_texts(entry: &VCardEntry) -> Vec<String> {
    entry.values.iter().flat_map(value_texts).collect()
}

fn value_texts(value: &VCardValue) -> Vec<String> {
    match value {
        VCardValue::Text(t) => vec![t.clone()],
        VCardValue::Component(parts) => parts.clone(),
        VCardValue::Integer(i) => vec![i.to_string()],
        VCardValue::Float(f) => vec![f.to_string()],
        VCardValue::Boolean(b) => vec![b.to_string()],
        VCardValue::PartialDateTime(d) => {
            let mut text = String::new();
            let _ = d.format_as_vcard(&mut text, &calcard::vcard::VCardValueType::DateAndOrTime);
            vec![text]
        }
        VCardValue::Sex(s) => vec![s.as_str().to_owned()],
        VCardValue::Kind(k) => vec![k.as_str().to_owned()],
        VCardValue::GramGender(g) => vec![g.as_str().to_owned()],
        VCardValue::Binary(_) => Vec::new(),
    }
}

/// A structured value's components (`N`, `ADR`, `ORG`), each a comma list joined back.
pub(super) fn components(entry: &VCardEntry) -> Vec<String> {
    entry
        .values
        .iter()
        .map(|value| match value {
            VCardValue::Text(t) => t.clone(),
            // An unescaped comma splits a component; it was a comma in the text.
            VCardValue::Component(parts) => parts.join(","),
            _ => String::new(),
        })
        .collect()
}

/// `tel:+1-555-0100;ext=12` (a `VALUE=uri` phone) as `+1-555-0100 ext. 12`.
fn phone_number(value: &str) -> String {
    let value = value.trim();
    let Some(uri) = strip_prefix_ignore_case(value, "tel:") else {
        return value.to_owned();
    };
    let mut parts = uri.split(';');
    let mut number = parts.next().unwrap_or("").to_owned();
    for part in parts {
        if let Some(ext) = strip_prefix_ignore_case(part, "ext=") {
            number.push_str(" ext. ");
            number.push_str(ext);
        }
    }
    number
}

/// Lower sorts first: `PREF=1` (4.0), a `pref` type (2.1 and 3.0), then the rest.
fn preference(entry: &VCardEntry) -> u32 {
    let mut best = 101;
    for param in &entry.params {
        match (&param.name, &param.value) {
            (VCardParameterName::Pref, VCardParameterValue::Integer(n)) => best = best.min(*n),
            (VCardParameterName::Pref, _) => best = best.min(1),
            (VCardParameterName::Type, VCardParameterValue::Text(t))
                if t.eq_ignore_ascii_case("pref") =>
            {
                best = best.min(1)
            }
            _ => {}
        }
    }
    best
}

/// The words Folio uses for the vCard types it knows, in the order a label lists them.
const TYPE_WORDS: [(&str, &str); 9] = [
    ("HOME", "home"),
    ("WORK", "work"),
    ("OTHER", "other"),
    ("CELL", "mobile"),
    ("FAX", "fax"),
    ("PAGER", "pager"),
    ("MAIN-NUMBER", "main"),
    ("VIDEO", "video"),
    ("TEXTPHONE", "textphone"),
];

/// A label from a property's types: `TYPE=WORK,FAX` is "work fax". Types that say nothing a
/// person would call a label (internet, voice, pref) are left out.
pub(super) fn label_from_types(entry: &VCardEntry) -> String {
    let mut words: Vec<(usize, &str)> = Vec::new();
    for param in &entry.params {
        let token: Cow<'_, str> = match (&param.name, &param.value) {
            (VCardParameterName::Type, VCardParameterValue::Type(t)) => Cow::Borrowed(t.as_str()),
            (VCardParameterName::Type, VCardParameterValue::Text(t)) => Cow::Borrowed(t.as_str()),
            // vCard 2.1 writes bare types: `TEL;WORK;FAX:`.
            (VCardParameterName::Other(name), VCardParameterValue::Null) => {
                Cow::Borrowed(name.as_str())
            }
            _ => continue,
        };
        for token in token.split(',') {
            if let Some(found) = TYPE_WORDS
                .iter()
                .position(|(t, _)| t.eq_ignore_ascii_case(token.trim()))
                && !words.iter().any(|(i, _)| *i == found)
            {
                words.push((found, TYPE_WORDS[found].1));
            }
        }
    }
    words.sort_by_key(|(i, _)| *i);
    words
        .into_iter()
        .map(|(_, w)| w)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The types that say `label`, when they say exactly it (read back they give `label` again).
fn types_for_label(label: &str) -> Option<Vec<VCardType>> {
    if label.is_empty() {
        return Some(Vec::new());
    }
    let mut last = None;
    let mut types = Vec::new();
    for word in label.split(' ') {
        let index = TYPE_WORDS.iter().position(|(_, w)| *w == word)?;
        if last.is_some_and(|l| l >= index) {
            return None;
        }
        last = Some(index);
        types.push(match TYPE_WORDS[index].0 {
            "HOME" => VCardType::Home,
            "WORK" => VCardType::Work,
            "CELL" => VCardType::Cell,
            "FAX" => VCardType::Fax,
            "PAGER" => VCardType::Pager,
            "MAIN-NUMBER" => VCardType::MainNumber,
            "VIDEO" => VCardType::Video,
            "TEXTPHONE" => VCardType::Textphone,
            // OTHER is no RFC type; it is written as a label of its own.
            _ => return None,
        });
    }
    Some(types)
}

/// Apple writes its standard labels as `_$!<Mobile>!$_`, custom ones as they are.
pub(super) fn apple_label(text: &str) -> String {
    let text = text.trim();
    match text
        .strip_prefix("_$!<")
        .and_then(|t| t.strip_suffix(">!$_"))
    {
        Some(inner) => match inner.to_ascii_lowercase().as_str() {
            "mobile" | "iphone" => "mobile".to_owned(),
            "home" => "home".to_owned(),
            "work" => "work".to_owned(),
            "other" => "other".to_owned(),
            "main" => "main".to_owned(),
            "pager" => "pager".to_owned(),
            "homefax" => "home fax".to_owned(),
            "workfax" => "work fax".to_owned(),
            "otherfax" => "fax".to_owned(),
            word if vcard_fields::APPLE_WORDS.contains(&word) => word.to_owned(),
            _ => inner.to_owned(),
        },
        None => text.to_owned(),
    }
}

/// A birthday, with or without its year. Apple marks a birthday without a year with a made-up
/// year named in `X-APPLE-OMIT-YEAR`.
pub(super) fn birthday(entry: &VCardEntry) -> Option<Birthday> {
    let date = entry.values.iter().find_map(|v| v.as_partial_date_time())?;
    let omitted_year = entry.params.iter().find_map(|p| match &p.name {
        VCardParameterName::Other(name) if name.eq_ignore_ascii_case("X-APPLE-OMIT-YEAR") => {
            p.value.as_text().and_then(|t| t.trim().parse::<u16>().ok())
        }
        _ => None,
    });
    let year = date
        .year
        .filter(|y| Some(*y) != omitted_year && *y != 0)
        .map(i32::from);
    Birthday::new(year, date.month?, date.day?)
}

/// `REV` as a time; one without a zone is taken as UTC.
fn revision(value: &VCardValue) -> Option<Timestamp> {
    let d = value.as_partial_date_time()?;
    let date = chrono::NaiveDate::from_ymd_opt(
        i32::from(d.year?),
        u32::from(d.month?),
        u32::from(d.day.unwrap_or(1)),
    )?;
    let time = date.and_hms_opt(
        u32::from(d.hour.unwrap_or(0)),
        u32::from(d.minute.unwrap_or(0)),
        u32::from(d.second.unwrap_or(0)),
    )?;
    let offset =
        i64::from(d.tz_hour.unwrap_or(0)) * 3600 + i64::from(d.tz_minute.unwrap_or(0)) * 60;
    let offset = if d.tz_minus { -offset } else { offset };
    Some(Timestamp((time.and_utc().timestamp() - offset) * 1000))
}

/// Every contact as one vCard file's text.
pub fn write_cards(contacts: &[ContactDraft], version: CardVersion) -> String {
    let mut out = String::with_capacity(contacts.len() * 300);
    for contact in contacts {
        // Writing to a String cannot fail.
        let _ = card_for_contact(contact, version).write_to(&mut out, version.calcard());
    }
    out
}

fn text_entry(name: VCardProperty, value: &str) -> VCardEntry {
    VCardEntry::new(name).with_value(value.to_owned())
}

/// A contact as a card. The first email, phone and address is marked preferred.
fn card_for_contact(contact: &ContactDraft, version: CardVersion) -> VCard {
    let mut entries = Vec::new();
    let label = contact.label();
    let kept = kept_entries(&contact.card_extra);
    entries.push(text_entry(VCardProperty::Fn, &label));
    entries.push(
        VCardEntry::new(VCardProperty::N).with_values(
            [
                contact.family_name.as_str(),
                contact.given_name.as_str(),
                contact.middle_name.as_str(),
                contact.name_prefix.as_str(),
                contact.name_suffix.as_str(),
            ]
            .into_iter()
            .map(|s| VCardValue::Text(s.to_owned()))
            .collect(),
        ),
    );
    // Label groups Folio writes must not reuse a group of a kept property.
    let taken: Vec<String> = kept
        .iter()
        .filter_map(|e| e.group.as_ref().map(|g| g.to_ascii_lowercase()))
        .collect();
    if !contact.organization.is_empty() || !contact.department.is_empty() {
        let units = contact.department.split("; ").filter(|u| !u.is_empty());
        entries.push(
            VCardEntry::new(VCardProperty::Org).with_values(
                std::iter::once(contact.organization.as_str())
                    .chain(units)
                    .map(|s| VCardValue::Text(s.to_owned()))
                    .collect(),
            ),
        );
    }
    if !contact.job_title.is_empty() {
        entries.push(text_entry(VCardProperty::Title, &contact.job_title));
    }
    let mut groups = 0;
    let mut labelled = |entry: VCardEntry, label: &str, first: bool, entries: &mut Vec<_>| {
        let mut entry = entry;
        if first {
            entry.params.push(match version {
                CardVersion::V4 => VCardParameter::pref(1u32),
                CardVersion::V3 => VCardParameter::typ("pref".to_owned()),
            });
        }
        match types_for_label(label) {
            Some(types) => {
                for t in types {
                    entry.params.push(VCardParameter::typ(t));
                }
                entries.push(entry);
            }
            None => {
                let group = loop {
                    groups += 1;
                    let group = format!("item{groups}");
                    if !taken.contains(&group) {
                        break group;
                    }
                };
                entries.push(entry.with_group(Some(group.clone())));
                entries.push(
                    text_entry(VCardProperty::Other("X-ABLabel".to_owned()), label)
                        .with_group(Some(group)),
                );
            }
        }
    };
    for (i, email) in contact.emails.iter().enumerate() {
        let mut entry = text_entry(VCardProperty::Email, &email.address);
        if version == CardVersion::V3 {
            entry
                .params
                .push(VCardParameter::typ("INTERNET".to_owned()));
        }
        labelled(entry, &email.label, i == 0, &mut entries);
    }
    for (i, phone) in contact.phones.iter().enumerate() {
        labelled(
            text_entry(VCardProperty::Tel, &phone.number),
            &phone.label,
            i == 0,
            &mut entries,
        );
    }
    for (i, a) in contact.addresses.iter().enumerate() {
        let entry = VCardEntry::new(VCardProperty::Adr).with_values(
            a.components()
                .into_iter()
                .map(|s| VCardValue::Text(s.to_owned()))
                .collect(),
        );
        labelled(entry, &a.label, i == 0, &mut entries);
    }
    if let Some(b) = contact.birthday {
        let mut entry = VCardEntry::new(VCardProperty::Bday);
        // 3.0 has no date without a year; Apple's convention is the one other apps read.
        if b.year.is_none() && version == CardVersion::V3 {
            entry.params.push(omitted_year());
        }
        entries.push(entry.with_value(VCardValue::PartialDateTime(date_value(b, version))));
    }
    vcard_fields::write_fields(
        contact,
        version,
        &mut entries,
        &mut |entry, label, entries| labelled(entry, label, false, entries),
    );
    if !contact.notes.is_empty() {
        entries.push(text_entry(VCardProperty::Note, &contact.notes));
    }
    if !contact.groups.is_empty() {
        entries.push(
            VCardEntry::new(VCardProperty::Categories).with_values(
                contact
                    .groups
                    .iter()
                    .map(|g| VCardValue::Text(g.clone()))
                    .collect(),
            ),
        );
    }
    if contact.favorite {
        entries.push(text_entry(
            VCardProperty::Other(FAVORITE.to_owned()),
            "TRUE",
        ));
    }
    let kept_uid = kept.iter().any(|e| e.name == VCardProperty::Uid);
    if let Some(uuid) = contact.uuid.as_ref().filter(|_| !kept_uid) {
        let is_uuid = uuid.len() == 36 && uuid.bytes().filter(|b| *b == b'-').count() == 4;
        let uid = match version {
            CardVersion::V4 if is_uuid => format!("urn:uuid:{uuid}"),
            _ => uuid.clone(),
        };
        entries.push(text_entry(VCardProperty::Uid, &uid));
    }
    if let Some(updated) = contact.updated
        && let Some(time) = chrono::DateTime::from_timestamp_millis(updated.0)
    {
        use chrono::{Datelike, Timelike};
        let date = PartialDateTime {
            year: u16::try_from(time.year()).ok(),
            month: u8::try_from(time.month()).ok(),
            day: u8::try_from(time.day()).ok(),
            hour: u8::try_from(time.hour()).ok(),
            minute: u8::try_from(time.minute()).ok(),
            second: u8::try_from(time.second()).ok(),
            tz_hour: Some(0),
            tz_minute: Some(0),
            tz_minus: false,
        };
        entries.push(
            VCardEntry::new(VCardProperty::Rev).with_value(VCardValue::PartialDateTime(date)),
        );
    }
    entries.extend(kept);
    VCard { entries }
}

/// The properties kept from an imported card, read back from their vCard 4.0 lines.
pub(super) fn kept_entries(extra: &str) -> Vec<VCardEntry> {
    if extra.trim().is_empty() {
        return Vec::new();
    }
    let text = format!("BEGIN:VCARD\r\nVERSION:4.0\r\n{extra}END:VCARD\r\n");
    match Parser::new(&text).entry() {
        Entry::VCard(card) => card
            .entries
            .into_iter()
            .filter(|e| !matches!(e.name, VCardProperty::Version))
            .collect(),
        _ => Vec::new(),
    }
}

/// The kept properties as "NAME: value" lines a person can read.
pub fn kept_properties(extra: &str) -> Vec<(String, String)> {
    kept_entries(extra)
        .iter()
        .map(|entry| {
            let name = match &entry.group {
                Some(group) => format!("{group}.{}", entry.name.as_str()),
                None => entry.name.as_str().to_owned(),
            };
            let values: Vec<String> = entry
                .values
                .iter()
                .map(|v| value_texts(v).join(", "))
                .collect();
            (name, values.join("; "))
        })
        .collect()
}
