//! The address-book fields beyond names, emails, phones and addresses: nickname, websites,
//! dates, related people and IM/social profiles, as vCard writes them in each version and in
//! the dialects of Apple (`itemN.X-ABDATE` with an `X-ABLabel`), Android
//! (`X-ANDROID-CUSTOM`) and older apps (`X-SKYPE`, `X-AIM`…).
//!
//! The same reader moves these fields out of the vCard lines an older Folio kept for them
//! ([`move_kept_lines_into_fields`], run once by the database upgrade).

use std::collections::HashMap;

use calcard::common::{IanaString, PartialDateTime};
use calcard::vcard::{
    VCardEntry, VCardParameter, VCardParameterName, VCardParameterValue, VCardProperty, VCardValue,
};

use super::contacts_csv::parse_birthday;
use super::strip_prefix_ignore_case;
use super::vcard::{
    CardVersion, apple_label, birthday, components, kept_entries, label_from_types, texts,
};
use crate::db::{
    ANNIVERSARY, Birthday, ContactDraft, LabeledDate, LabeledWebsite, Photo, Profile, RelatedPerson,
};

/// Android's nickname row in `X-ANDROID-CUSTOM`.
const ANDROID_NICKNAME: &str = "vnd.android.cursor.item/nickname";

/// Older apps' one property per messenger, with the service each names.
const MESSENGER_PROPERTIES: [(&str, &str); 10] = [
    ("X-AIM", "AIM"),
    ("X-ICQ", "ICQ"),
    ("X-JABBER", "Jabber"),
    ("X-MSN", "MSN"),
    ("X-YAHOO", "Yahoo"),
    ("X-SKYPE", "Skype"),
    ("X-SKYPE-USERNAME", "Skype"),
    ("X-GOOGLE-TALK", "Google Talk"),
    ("X-QQ", "QQ"),
    ("X-GADUGADU", "Gadu-Gadu"),
];

/// Properties whose Apple label (`itemN.X-ABLabel`) is read with them: the label is not kept
/// on its own.
pub(super) fn takes_apple_label(name: &VCardProperty) -> bool {
    match name {
        VCardProperty::Email
        | VCardProperty::Tel
        | VCardProperty::Adr
        | VCardProperty::Url
        | VCardProperty::Related
        | VCardProperty::Impp
        | VCardProperty::Socialprofile => true,
        VCardProperty::Other(name) => ["X-ABDATE", "X-ABRELATEDNAMES", "X-SOCIALPROFILE"]
            .iter()
            .any(|n| name.eq_ignore_ascii_case(n)),
        _ => false,
    }
}

/// Reads one property into the draft's address-book fields when it is one of them; `label` is
/// its Apple label, if it has one. False leaves the property to be kept as it is.
pub(super) fn read_field(
    entry: &VCardEntry,
    label: Option<&str>,
    draft: &mut ContactDraft,
) -> bool {
    let value = || texts(entry).trim().to_owned();
    let label_or_types = || label.map_or_else(|| label_from_types(entry), str::to_owned);
    match &entry.name {
        VCardProperty::Nickname => {
            add_nickname(draft, &value());
            true
        }
        VCardProperty::Url => {
            let url = value();
            if !url.is_empty() {
                draft.websites.push(LabeledWebsite {
                    label: label_or_types(),
                    url,
                });
            }
            true
        }
        VCardProperty::Anniversary => read_date(entry, Some(ANNIVERSARY), draft),
        VCardProperty::Related => {
            let name = value();
            if !name.is_empty() {
                let label = label.map_or_else(|| relation_types(entry), str::to_owned);
                draft.related.push(RelatedPerson { label, name });
            }
            true
        }
        VCardProperty::Impp => {
            let uri = value();
            if !uri.is_empty() {
                let service = param_text(entry, "X-SERVICE-TYPE")
                    .or_else(|| label.map(str::to_owned))
                    .or_else(|| uri.split_once(':').map(|(scheme, _)| scheme.to_owned()))
                    .unwrap_or_default();
                // `skype:ada` of Skype is "ada", as typed; a handle of another scheme
                // (Apple writes Facebook as `xmpp:`) keeps it, to be written back as it was.
                let handle = uri
                    .split_once(':')
                    .filter(|(scheme, _)| scheme.eq_ignore_ascii_case(&service_scheme(&service)))
                    .map_or(uri.clone(), |(_, handle)| handle.to_owned());
                draft.profiles.push(Profile { service, handle });
            }
            true
        }
        VCardProperty::Socialprofile => read_social_profile(entry, label, draft),
        VCardProperty::Other(name) => {
            let name = name.to_ascii_uppercase();
            match name.as_str() {
                "X-ABDATE" => read_date(entry, label, draft),
                "X-ANNIVERSARY" => read_date(entry, Some(ANNIVERSARY), draft),
                "X-ABRELATEDNAMES" => {
                    let name = value();
                    if !name.is_empty() {
                        let label = label.map_or_else(|| relation_types(entry), str::to_owned);
                        draft.related.push(RelatedPerson { label, name });
                    }
                    true
                }
                "X-SOCIALPROFILE" => read_social_profile(entry, label, draft),
                "X-ANDROID-CUSTOM" => {
                    // calcard reads an `X-` value as one text: its parts are split here.
                    let mut parts = components(entry);
                    if parts.len() < 2 {
                        parts = texts(entry).split(';').map(str::to_owned).collect();
                    }
                    match parts.as_slice() {
                        [kind, nickname, ..] if kind.eq_ignore_ascii_case(ANDROID_NICKNAME) => {
                            add_nickname(draft, nickname.trim());
                            true
                        }
                        _ => false,
                    }
                }
                _ => match MESSENGER_PROPERTIES.iter().find(|(n, _)| *n == name) {
                    Some((_, service)) => {
                        let handle = value();
                        if !handle.is_empty() {
                            draft.profiles.push(Profile {
                                service: (*service).to_owned(),
                                handle,
                            });
                        }
                        true
                    }
                    None => false,
                },
            }
        }
        _ => false,
    }
}

/// A nickname joins one already read ("Bob, Bobby"), unless it says the same.
fn add_nickname(draft: &mut ContactDraft, nickname: &str) {
    let known = draft
        .nickname
        .split(", ")
        .any(|n| n.eq_ignore_ascii_case(nickname));
    if nickname.is_empty() || known {
        return;
    }
    if !draft.nickname.is_empty() {
        draft.nickname.push_str(", ");
    }
    draft.nickname.push_str(nickname);
}

/// A date property; one that is not a date in the calendar is kept as it is (false).
fn read_date(entry: &VCardEntry, label: Option<&str>, draft: &mut ContactDraft) -> bool {
    let Some(date) = date_of(entry) else {
        return false;
    };
    let label = label.map_or_else(|| label_from_types(entry), str::to_owned);
    draft.dates.push(LabeledDate { label, date });
    true
}

/// A date property's date. calcard reads `ANNIVERSARY` as a date, but an `X-` property's
/// value as text, which is read here the way a birthday in a CSV file is.
fn date_of(entry: &VCardEntry) -> Option<Birthday> {
    birthday(entry).or_else(|| {
        let date = parse_birthday(&texts(entry))?;
        let omitted_year = param_text(entry, "X-APPLE-OMIT-YEAR").and_then(|y| y.parse().ok());
        match date.year {
            Some(year) if Some(year) == omitted_year => Birthday::new(None, date.month, date.day),
            _ => Some(date),
        }
    })
}

/// `X-SOCIALPROFILE;TYPE=twitter;x-user=ada:https://twitter.com/ada`: the service from its
/// type, the profile's URL (the user name when there is no URL).
fn read_social_profile(entry: &VCardEntry, label: Option<&str>, draft: &mut ContactDraft) -> bool {
    let mut handle = texts(entry).trim().to_owned();
    if handle.is_empty() {
        handle = param_text(entry, "X-USER").unwrap_or_default();
    }
    if handle.is_empty() {
        return true;
    }
    let service = param_text(entry, "SERVICE-TYPE")
        .or_else(|| param_text(entry, "X-SERVICE-TYPE"))
        .or_else(|| {
            let types = type_texts(entry, Case::AsWritten);
            (!types.is_empty()).then(|| types.join(" "))
        })
        .or_else(|| label.map(str::to_owned))
        .unwrap_or_default();
    draft.profiles.push(Profile { service, handle });
    true
}

/// The text of a parameter by name (`X-SERVICE-TYPE`, `X-USER`…).
fn param_text(entry: &VCardEntry, wanted: &str) -> Option<String> {
    entry.params.iter().find_map(|p| {
        let name = match &p.name {
            VCardParameterName::Other(name) => name.as_str(),
            VCardParameterName::ServiceType => "SERVICE-TYPE",
            _ => return None,
        };
        if !name.eq_ignore_ascii_case(wanted) {
            return None;
        }
        let text = p.value.as_text()?.trim();
        (!text.is_empty()).then(|| text.to_owned())
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    Lower,
    /// A service's name ("Mastodon"); the types vCard defines are lower-case all the same.
    AsWritten,
}

/// Every `TYPE` of a property, `pref` left out.
fn type_texts(entry: &VCardEntry, case: Case) -> Vec<String> {
    entry
        .params
        .iter()
        .filter(|p| p.name == VCardParameterName::Type)
        .filter_map(|p| match &p.value {
            VCardParameterValue::Type(t) => Some(t.as_str().to_ascii_lowercase()),
            VCardParameterValue::Text(t) if case == Case::AsWritten => Some(t.clone()),
            VCardParameterValue::Text(t) => Some(t.to_ascii_lowercase()),
            _ => None,
        })
        .flat_map(|t| t.split(',').map(str::to_owned).collect::<Vec<_>>())
        .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("pref"))
        .collect()
}

/// A relation from its types (`RELATED;TYPE=spouse`).
fn relation_types(entry: &VCardEntry) -> String {
    type_texts(entry, Case::Lower).join(" ")
}

/// Writes the address-book fields as properties of a card of `version`. `labelled` adds a
/// property with a label (as types when they say it, else through an Apple label group).
pub(super) fn write_fields(
    contact: &ContactDraft,
    version: CardVersion,
    entries: &mut Vec<VCardEntry>,
    labelled: &mut dyn FnMut(VCardEntry, &str, &mut Vec<VCardEntry>),
) {
    if !contact.nickname.is_empty() {
        entries.push(VCardEntry::new(VCardProperty::Nickname).with_value(contact.nickname.clone()));
    }
    if let Some(photo) = &contact.photo {
        entries.push(photo_entry(photo, version));
    }
    for website in &contact.websites {
        let entry = VCardEntry::new(VCardProperty::Url).with_value(website.url.clone());
        labelled(entry, &website.label, entries);
    }
    for date in &contact.dates {
        match version {
            CardVersion::V4 if date.label == ANNIVERSARY => {
                let value = VCardValue::PartialDateTime(date_value(date.date, version));
                entries.push(VCardEntry::new(VCardProperty::Anniversary).with_value(value));
            }
            _ => {
                // calcard writes an `X-` property's value as text, so the date is written as
                // the text Apple writes.
                let mut entry = VCardEntry::new(VCardProperty::Other("X-ABDATE".to_owned()));
                let text = match (date.date.year, version) {
                    (None, CardVersion::V3) => {
                        entry.params.push(omitted_year());
                        format!(
                            "{APPLE_NO_YEAR:04}-{:02}-{:02}",
                            date.date.month, date.date.day
                        )
                    }
                    _ => date.date.iso(),
                };
                let label = apple_written_label(&date.label);
                labelled_always(entry.with_value(text), &label, entries, labelled);
            }
        }
    }
    for person in &contact.related {
        let entry = match version {
            CardVersion::V4 => VCardEntry::new(VCardProperty::Related)
                .with_param(VCardParameter::new(
                    VCardParameterName::Value,
                    if looks_like_uri(&person.name) {
                        "uri"
                    } else {
                        "text"
                    }
                    .to_owned(),
                ))
                .with_value(person.name.clone())
                // RFC readers (Thunderbird, Nextcloud) take the relation from TYPE, Apple from
                // its label; the reader above prefers the label.
                .with_param_opt(
                    RFC_RELATIONS
                        .contains(&person.label.as_str())
                        .then(|| VCardParameter::typ(person.label.clone())),
                ),
            CardVersion::V3 => VCardEntry::new(VCardProperty::Other("X-ABRELATEDNAMES".to_owned()))
                .with_value(person.name.clone()),
        };
        let label = apple_written_label(&person.label);
        labelled_always(entry, &label, entries, labelled);
    }
    for profile in &contact.profiles {
        let service = profile.service.trim();
        let entry =
            if profile.handle.starts_with("http://") || profile.handle.starts_with("https://") {
                let name = match version {
                    CardVersion::V4 => VCardProperty::Socialprofile,
                    CardVersion::V3 => VCardProperty::Other("X-SOCIALPROFILE".to_owned()),
                };
                let mut entry = VCardEntry::new(name).with_value(profile.handle.clone());
                if !service.is_empty() {
                    // Apple's 3.0 names the service as a type; RFC 9554 as SERVICE-TYPE.
                    entry.params.push(match version {
                        CardVersion::V3 => VCardParameter::typ(service.to_owned()),
                        CardVersion::V4 => {
                            VCardParameter::new(VCardParameterName::ServiceType, service.to_owned())
                        }
                    });
                }
                entry
            } else {
                // Apple's form, which Google and Thunderbird read too: the service named, the
                // handle as a URI of the service's scheme.
                // A handle that names its own scheme (Apple's `xmpp:` for Facebook) is written as
                // it was read.
                let uri = if service.is_empty() || has_scheme(&profile.handle) {
                    profile.handle.clone()
                } else {
                    format!("{}:{}", service_scheme(service), profile.handle)
                };
                let mut entry = VCardEntry::new(VCardProperty::Impp).with_value(uri);
                if !service.is_empty() {
                    entry.params.push(VCardParameter::new(
                        VCardParameterName::Other("X-SERVICE-TYPE".to_owned()),
                        service.to_owned(),
                    ));
                }
                entry
            };
        entries.push(entry);
    }
}

/// The URI scheme Folio writes for a messenger: its name in lower-case letters and digits
/// ("Google Talk" → `googletalk:`).
fn service_scheme(service: &str) -> String {
    service
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Dates and relations are labelled through an Apple label group even when the label is a
/// word vCard has a type for: Apple reads only the group, and the reader above reads both.
fn labelled_always(
    entry: VCardEntry,
    label: &str,
    entries: &mut Vec<VCardEntry>,
    labelled: &mut dyn FnMut(VCardEntry, &str, &mut Vec<VCardEntry>),
) {
    if label.is_empty() {
        entries.push(entry);
    } else {
        // A label with a space is never a type, so `labelled` groups it; the words Folio
        // knows as types ("home") are not relation or date labels.
        labelled(entry, label, entries);
    }
}

/// The label Apple writes for its own words (`_$!<Anniversary>!$_`), else the label itself.
fn apple_written_label(label: &str) -> String {
    match APPLE_WORDS.iter().find(|w| **w == label) {
        Some(word) if *word != "other" => {
            let mut capitalised = word.to_string();
            capitalised[..1].make_ascii_uppercase();
            format!("_$!<{capitalised}>!$_")
        }
        _ => label.to_owned(),
    }
}

/// Apple's own label words for dates, relations and websites, read as these lower-case words.
pub(crate) const APPLE_WORDS: [&str; 14] = [
    "anniversary",
    "spouse",
    "child",
    "mother",
    "father",
    "parent",
    "brother",
    "sister",
    "friend",
    "partner",
    "assistant",
    "manager",
    "homepage",
    "other",
];

/// `xmpp:ada@example.org`, `skype:ada`: a scheme of letters, digits, `+`, `-` or `.`
/// before a colon ("ada@example.org" and "+33 6 12" have none).
fn has_scheme(text: &str) -> bool {
    text.split_once(':').is_some_and(|(scheme, _)| {
        scheme.len() > 1
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// The relation types RFC 6350 defines, which 4.0 readers take from `TYPE`.
const RFC_RELATIONS: [&str; 20] = [
    "contact",
    "acquaintance",
    "friend",
    "met",
    "co-worker",
    "colleague",
    "co-resident",
    "neighbor",
    "child",
    "parent",
    "sibling",
    "spouse",
    "kin",
    "muse",
    "crush",
    "date",
    "sweetheart",
    "me",
    "agent",
    "emergency",
];

fn looks_like_uri(text: &str) -> bool {
    ["urn:", "http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|scheme| strip_prefix_ignore_case(text, scheme).is_some())
}

/// Apple's stand-in year for a date without one in 3.0, which has no such date.
pub(crate) const APPLE_NO_YEAR: u16 = 1604;

pub(super) fn omitted_year() -> VCardParameter {
    VCardParameter::new(
        VCardParameterName::Other("X-APPLE-OMIT-YEAR".to_owned()),
        APPLE_NO_YEAR.to_string(),
    )
}

/// A date as vCard writes it; in 3.0 a date without a year gets Apple's stand-in year.
pub(super) fn date_value(date: Birthday, version: CardVersion) -> PartialDateTime {
    let year = date.year.and_then(|y| u16::try_from(y).ok());
    PartialDateTime {
        year: match (year, version) {
            (None, CardVersion::V3) => Some(APPLE_NO_YEAR),
            (year, _) => year,
        },
        month: Some(date.month),
        day: Some(date.day),
        ..PartialDateTime::default()
    }
}

/// A `PHOTO`: the picture in it (2.1/3.0 base64 with `ENCODING=b`, 4.0 `data:` URIs, which
/// calcard decodes) with its media type, or the link it names. `None` for a value that is
/// neither.
pub(super) fn photo(entry: &VCardEntry) -> Option<Photo> {
    for value in &entry.values {
        match value {
            VCardValue::Binary(data) if !data.data.is_empty() => {
                let media_type = data
                    .content_type
                    .clone()
                    .filter(|t| t.contains('/'))
                    .or_else(|| {
                        let format = image::guess_format(&data.data).ok()?;
                        Some(format.to_mime_type().to_owned())
                    })
                    .unwrap_or_default();
                return Some(Photo {
                    media_type,
                    url: String::new(),
                    bytes: std::sync::Arc::from(data.data.as_slice()),
                });
            }
            VCardValue::Text(text) => {
                let text = text.trim();
                // A link of any scheme (https:, file:, cid:…) is kept as the link.
                if has_scheme(text) {
                    return Some(Photo {
                        url: text.to_owned(),
                        ..Photo::default()
                    });
                }
                // calcard gives base64 that decodes to valid UTF-8 as text: bytes that are a
                // picture, or that hold control characters, are the photo's, not words.
                let binary = text.chars().any(|c| c.is_control() && !c.is_whitespace());
                let sniffed = crate::picture::media_type(text.as_bytes());
                if !text.is_empty() && (binary || sniffed.is_some()) {
                    // The media type as 2.1 and 3.0 name it (`TYPE=JPEG`), else sniffed.
                    let media_type = type_texts(entry, Case::Lower)
                        .iter()
                        .find_map(|t| match t.as_str() {
                            "jpeg" | "jpg" => Some("image/jpeg"),
                            "png" => Some("image/png"),
                            "gif" => Some("image/gif"),
                            _ => None,
                        })
                        .or(sniffed)
                        .unwrap_or_default();
                    return Some(Photo {
                        media_type: media_type.to_owned(),
                        url: String::new(),
                        bytes: std::sync::Arc::from(text.as_bytes()),
                    });
                }
            }
            _ => {}
        }
    }
    None
}

/// The photo as `version` writes it: base64 with `ENCODING=b` in 3.0, a `data:` URI in 4.0,
/// or the link.
pub(super) fn photo_entry(photo: &Photo, version: CardVersion) -> VCardEntry {
    let entry = VCardEntry::new(VCardProperty::Photo);
    if photo.bytes.is_empty() {
        let entry = match version {
            CardVersion::V3 => entry.with_param(VCardParameter::new(
                VCardParameterName::Value,
                "uri".to_owned(),
            )),
            CardVersion::V4 => entry,
        };
        return entry.with_value(photo.url.clone());
    }
    let media_type = (!photo.media_type.is_empty()).then(|| photo.media_type.clone());
    entry.with_value(VCardValue::Binary(calcard::common::Data {
        content_type: media_type,
        data: photo.bytes.to_vec(),
    }))
}

/// Moves what the address-book fields now hold out of the vCard lines an older Folio kept for
/// them: `N`'s middle names, prefix and suffix, nicknames, websites, dates, relations and
/// profiles, with their Apple labels. What Folio still has no field for stays kept. A
/// department glued to the organisation with "; " is split off. True when anything moved.
pub fn move_kept_lines_into_fields(draft: &mut ContactDraft) -> bool {
    let split = split_glued_department(draft);
    move_kept_lines(draft) || split
}

/// [`move_kept_lines_into_fields`] without the department: for a backup restored, whose
/// organisation may hold "; " as its owner typed it.
pub fn move_kept_lines(draft: &mut ContactDraft) -> bool {
    let mut changed = false;
    if !holds_lines_with_fields(&draft.card_extra) {
        return false;
    }
    let kept = kept_entries(&draft.card_extra);
    let labels: HashMap<String, String> = kept
        .iter()
        .filter(|e| is_apple_label(e))
        .filter_map(|e| {
            Some((
                e.group.clone()?.to_ascii_lowercase(),
                apple_label(&texts(e)),
            ))
        })
        .collect();
    let label_of = |entry: &VCardEntry| {
        let group = entry.group.as_ref()?.to_ascii_lowercase();
        labels.get(&group).map(String::as_str)
    };
    let mut moved_groups: Vec<String> = Vec::new();
    let mut remaining: Vec<&VCardEntry> = Vec::new();
    for entry in &kept {
        let moved = match &entry.name {
            VCardProperty::N => {
                let parts = components(entry);
                let part = |i: usize| parts.get(i).map_or("", String::as_str).trim();
                let middle = part(2);
                if !middle.is_empty() && draft.middle_name.is_empty() {
                    if let Some(given) = draft.given_name.strip_suffix(middle) {
                        draft.given_name = given.trim_end().to_owned();
                    }
                    draft.middle_name = middle.to_owned();
                }
                draft.name_prefix = part(3).to_owned();
                draft.name_suffix = part(4).to_owned();
                true
            }
            _ if is_apple_label(entry) => false,
            _ => read_field(entry, label_of(entry), draft),
        };
        if moved {
            changed = true;
            moved_groups.extend(entry.group.as_ref().map(|g| g.to_ascii_lowercase()));
        } else {
            remaining.push(entry);
        }
    }
    if !changed {
        return false;
    }
    let mut extra = String::new();
    for entry in remaining {
        let group = entry.group.as_ref().map(|g| g.to_ascii_lowercase());
        if is_apple_label(entry) && group.is_some_and(|g| moved_groups.contains(&g)) {
            continue;
        }
        let _ = entry.write_to(&mut extra, true);
    }
    draft.card_extra = extra;
    true
}

/// The vCard lines both contacts of a merge kept, the kept contact's first: the other's
/// properties it does not hold already (compared whole, not line by line, since long ones are
/// folded), with Apple label groups renamed where both used one name, and without the other's
/// `UID` (the merged contact is the kept one, and keeps its own).
pub fn join_kept_lines(kept: &str, other: &str) -> String {
    let written = |entry: &VCardEntry| {
        let mut text = String::new();
        let _ = entry.write_to(&mut text, true);
        text
    };
    let ours = kept_entries(kept);
    let theirs = kept_entries(other);
    let mut have: Vec<String> = ours.iter().map(written).collect();
    let groups = |entries: &[VCardEntry]| -> Vec<String> {
        entries
            .iter()
            .filter_map(|e| e.group.as_ref().map(|g| g.to_ascii_lowercase()))
            .collect()
    };
    let clashing = groups(&ours);
    // New names avoid every group of either contact.
    let mut taken: Vec<String> = clashing.iter().cloned().chain(groups(&theirs)).collect();
    let mut renamed: HashMap<String, String> = HashMap::new();
    let mut joined = kept.to_owned();
    for mut entry in theirs {
        if entry.name == VCardProperty::Uid {
            continue;
        }
        if let Some(group) = entry.group.clone()
            && clashing.contains(&group.to_ascii_lowercase())
        {
            let fresh = renamed
                .entry(group.to_ascii_lowercase())
                .or_insert_with(|| {
                    let name = (1..)
                        .map(|n| format!("item{n}"))
                        .find(|name| !taken.contains(name))
                        .unwrap_or_default();
                    taken.push(name.clone());
                    name
                });
            entry.group = Some(fresh.clone());
        }
        let text = written(&entry);
        if !have.contains(&text) {
            joined.push_str(&text);
            have.push(text);
        }
    }
    joined
}

/// Splits "Acme GmbH; Research", the way an older Folio glued a department to its
/// organisation, into the two fields. True when it did.
pub fn split_glued_department(draft: &mut ContactDraft) -> bool {
    if !draft.department.is_empty() {
        return false;
    }
    let Some((organization, department)) = draft.organization.split_once("; ") else {
        return false;
    };
    let (organization, department) = (organization.to_owned(), department.to_owned());
    draft.organization = organization;
    draft.department = department;
    true
}

/// Whether kept lines may hold a property the fields now take (a quick look, so drafts from
/// today's readers, whose kept lines hold none, are not parsed again).
pub fn holds_lines_with_fields(extra: &str) -> bool {
    const NAMES: [&str; 12] = [
        "N:",
        "N;",
        "NICKNAME",
        "URL",
        "ANNIVERSARY",
        "X-ABDATE",
        "RELATED",
        "X-ABRELATEDNAMES",
        "IMPP",
        "SOCIALPROFILE",
        "X-ANDROID-CUSTOM",
        "X-ANNIVERSARY",
    ];
    let upper = extra.to_ascii_uppercase();
    !extra.trim().is_empty()
        && upper.lines().any(|line| {
            let name = line.split_once('.').map_or(line, |(_, rest)| rest);
            NAMES.iter().any(|n| name.starts_with(n))
                || MESSENGER_PROPERTIES
                    .iter()
                    .any(|(p, _)| name.starts_with(p))
        })
}

fn is_apple_label(entry: &VCardEntry) -> bool {
    matches!(&entry.name, VCardProperty::Other(n) if n.eq_ignore_ascii_case("X-ABLABEL"))
}
