//! Random values for the address-book fields (middle names to profiles), for the round-trip
//! property tests of every format that carries them.

use folio::db::{
    ANNIVERSARY, Birthday, ContactDraft, LabeledDate, LabeledWebsite, Photo, Profile, RelatedPerson,
};
use proptest::prelude::*;

fn trimmed(pattern: &'static str) -> impl Strategy<Value = String> {
    proptest::string::string_regex(pattern)
        .unwrap_or_else(|e| panic!("{pattern}: {e}"))
        .prop_map(|s| s.trim().to_owned())
}

/// The fields, in the shape `fill` puts into a draft.
#[derive(Debug, Clone)]
pub struct AddressBookFields {
    names: (String, String, String, String, String),
    websites: Vec<LabeledWebsite>,
    dates: Vec<LabeledDate>,
    related: Vec<RelatedPerson>,
    profiles: Vec<Profile>,
    photo: Option<Photo>,
}

impl AddressBookFields {
    /// Puts the fields into a draft.
    pub fn fill(self, draft: &mut ContactDraft) {
        let (middle, prefix, suffix, nickname, department) = self.names;
        draft.middle_name = middle;
        draft.name_prefix = prefix;
        draft.name_suffix = suffix;
        draft.nickname = nickname;
        draft.department = department;
        draft.websites = self.websites;
        draft.dates = self.dates;
        draft.related = self.related;
        draft.profiles = self.profiles;
        draft.photo = self.photo;
    }
}

pub fn address_book_fields() -> impl Strategy<Value = AddressBookFields> {
    let names = (
        trimmed("[\\PC--;]{0,12}"),
        proptest::sample::select(&["", "Dr.", "Prof.", "Mme"][..]).prop_map(str::to_owned),
        proptest::sample::select(&["", "Jr.", "PhD", "III"][..]).prop_map(str::to_owned),
        // A comma separates two nicknames in vCard.
        trimmed("[\\PC--,;]{0,12}"),
        trimmed("[\\PC--;]{0,16}"),
    );
    let websites = proptest::collection::vec(
        (
            proptest::sample::select(&["", "home", "work", "homepage", "Blog"][..]),
            "https://[a-z]{1,10}\\.example(/[a-z]{1,5})?",
        )
            .prop_map(|(label, url)| LabeledWebsite {
                label: label.to_owned(),
                url,
            }),
        0..3,
    );
    let dates = proptest::collection::vec(
        (
            proptest::sample::select(&[ANNIVERSARY, "", "Kennenlernen", "home"][..]),
            proptest::option::of(1900i32..2030),
            1u8..=12,
            1u8..=28,
        )
            .prop_filter_map("a date", |(label, year, month, day)| {
                Some(LabeledDate {
                    label: label.to_owned(),
                    date: Birthday::new(year, month, day)?,
                })
            }),
        0..3,
    );
    let related = proptest::collection::vec(
        (
            proptest::sample::select(&["spouse", "child", "assistant", "", "Patenkind"][..]),
            // Google's CSV separates values in a cell with ":::".
            trimmed("[\\PC--;:]{1,16}").prop_filter("a name", |n| !n.is_empty()),
        )
            .prop_map(|(label, name)| RelatedPerson {
                label: label.to_owned(),
                name,
            }),
        0..3,
    );
    let profiles = proptest::collection::vec(
        (
            proptest::sample::select(&["Skype", "Mastodon", "", "XMPP"][..]),
            prop_oneof![
                "[a-z][a-z0-9._]{0,10}",
                "https://social\\.example/@[a-z]{1,8}",
            ],
        )
            .prop_map(|(service, handle)| Profile {
                service: service.to_owned(),
                handle,
            }),
        0..3,
    );
    let photo = proptest::option::of(prop_oneof![
        (
            proptest::sample::select(&["image/jpeg", "image/png"][..]),
            proptest::collection::vec(any::<u8>(), 0..600),
        )
            .prop_map(|(media_type, rest)| {
                // A JPEG's or PNG's first bytes, then anything.
                let mut bytes = match media_type {
                    "image/png" => b"\x89PNG\r\n\x1a\n".to_vec(),
                    _ => vec![0xFF, 0xD8, 0xFF, 0xE0],
                };
                bytes.extend(rest);
                Photo {
                    media_type: media_type.to_owned(),
                    url: String::new(),
                    bytes: bytes.into(),
                }
            }),
        "https://photos\\.example/[a-z0-9]{1,12}\\.jpg".prop_map(|url| Photo {
            url,
            ..Photo::default()
        }),
    ]);
    (names, websites, dates, related, profiles, photo).prop_map(
        |(names, websites, dates, related, profiles, photo)| AddressBookFields {
            names,
            websites,
            dates,
            related,
            profiles,
            photo,
        },
    )
}

/// The address-book fields of a draft, as a comparable value.
pub type AddressBookPart = (
    [String; 5],
    Vec<LabeledWebsite>,
    Vec<LabeledDate>,
    Vec<RelatedPerson>,
    Vec<Profile>,
    Option<Photo>,
);

pub fn address_book_part(c: &ContactDraft) -> AddressBookPart {
    (
        [
            c.middle_name.clone(),
            c.name_prefix.clone(),
            c.name_suffix.clone(),
            c.nickname.clone(),
            c.department.clone(),
        ],
        c.websites.clone(),
        c.dates.clone(),
        c.related.clone(),
        c.profiles.clone(),
        c.photo.clone(),
    )
}
