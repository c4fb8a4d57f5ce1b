//! The address-book fields read from exports in the style of Apple, Google, Outlook and
//! Thunderbird, and written back so those apps find them where they look.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::Path;

use folio::db::{
    ANNIVERSARY, Birthday, ContactDraft, LabeledDate, LabeledWebsite, Profile, RelatedPerson,
};
use folio::exchange::contacts_csv;
use folio::exchange::markdown;
use folio::exchange::vcard::{self, CardVersion};

fn fixture_text(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/contacts")
        .join(name);
    markdown::decode_text(&fs::read(path).unwrap()).unwrap().0
}

fn card(name: &str) -> ContactDraft {
    let read = vcard::read_cards(&fixture_text(name));
    assert_eq!(read.contacts.len(), 1, "{:?}", read.skipped);
    read.contacts.into_iter().next().unwrap()
}

fn csv_row(name: &str) -> ContactDraft {
    let text = fixture_text(name);
    let preview = contacts_csv::preview(&text).unwrap();
    let read = contacts_csv::read(&text, &preview.fields);
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    read.contacts.into_iter().next().unwrap()
}

fn website(label: &str, url: &str) -> LabeledWebsite {
    LabeledWebsite {
        label: label.into(),
        url: url.into(),
    }
}

fn date(label: &str, year: Option<i32>, month: u8, day: u8) -> LabeledDate {
    LabeledDate {
        label: label.into(),
        date: Birthday::new(year, month, day).unwrap(),
    }
}

fn related(label: &str, name: &str) -> RelatedPerson {
    RelatedPerson {
        label: label.into(),
        name: name.into(),
    }
}

fn profile(service: &str, handle: &str) -> Profile {
    Profile {
        service: service.into(),
        handle: handle.into(),
    }
}

/// Names, organisation and department as (given, middle, family, prefix, suffix, nickname,
/// organisation, department).
fn names(c: &ContactDraft) -> [&str; 8] {
    [
        &c.given_name,
        &c.middle_name,
        &c.family_name,
        &c.name_prefix,
        &c.name_suffix,
        &c.nickname,
        &c.organization,
        &c.department,
    ]
}

#[test]
fn an_apple_card_gives_every_field_and_keeps_only_what_has_none() {
    let jean = card("apple-fields-3.0.vcf");
    assert_eq!(
        names(&jean),
        [
            "Jean",
            "Baptiste",
            "Dupont",
            "Dr.",
            "",
            "JB",
            "Acme GmbH",
            "Forschung"
        ]
    );
    assert_eq!(jean.label(), "Dr. Jean Baptiste Dupont");
    assert_eq!(
        jean.websites,
        [website("homepage", "https://www.jbdupont.example")]
    );
    assert_eq!(jean.dates, [date(ANNIVERSARY, Some(2012), 6, 19)]);
    assert_eq!(
        jean.related,
        [
            related("spouse", "Marguerite Perey"),
            related("child", "Irène")
        ]
    );
    assert_eq!(
        jean.profiles,
        [
            profile("Skype", "jb.dupont"),
            profile("twitter", "https://twitter.com/jbdupont")
        ]
    );
    assert_eq!(jean.addresses[0].street, "12 rue des Écoles\nBâtiment B");
    let kept: Vec<&str> = jean.card_extra.lines().collect();
    assert_eq!(kept, ["item6.X-ABADR:fr"], "{}", jean.card_extra);
}

#[test]
fn a_google_card_gives_its_fields_with_android_nicknames_and_custom_labels() {
    let priya = card("google-fields-3.0.vcf");
    assert_eq!(priya.nickname, "Pri, Pri-pri");
    assert_eq!(priya.department, "Design");
    assert_eq!(
        priya.websites,
        [website("Portfolio", "https://priya.example.in/portfolio")]
    );
    assert_eq!(priya.dates, [date(ANNIVERSARY, None, 7, 4)]);
    assert_eq!(priya.related, [related("brother", "Arjun")]);
    assert_eq!(priya.profiles, [profile("xmpp", "priya@chat.example")]);
}

#[test]
fn google_outlook_and_thunderbird_csv_columns_give_the_fields() {
    let google = csv_row("google-fields.csv");
    assert_eq!(
        names(&google),
        [
            "Jean",
            "Baptiste",
            "Dupont",
            "Dr.",
            "Jr.",
            "JB",
            "Acme GmbH",
            "Forschung"
        ]
    );
    assert_eq!(
        google.websites,
        [website("homepage", "https://www.jbdupont.example")]
    );
    assert_eq!(
        google.dates,
        [
            date(ANNIVERSARY, Some(2012), 6, 19),
            date("Kennenlernen", None, 3, 1)
        ]
    );
    assert_eq!(
        google.related,
        [
            related("spouse", "Marguerite Perey"),
            related("child", "Irène")
        ]
    );
    assert_eq!(google.profiles, [profile("Skype", "jb.dupont")]);

    let outlook = csv_row("outlook-fields.csv");
    assert_eq!(
        names(&outlook),
        [
            "Jean",
            "Baptiste",
            "Dupont",
            "Dr.",
            "Jr.",
            "JB",
            "Acme GmbH",
            "Forschung"
        ]
    );
    assert_eq!(
        outlook.websites,
        [website("", "https://www.jbdupont.example")]
    );
    assert_eq!(outlook.dates, [date(ANNIVERSARY, Some(2012), 6, 19)]);
    assert_eq!(
        outlook.related,
        [
            related("spouse", "Marguerite Perey"),
            related("child", "Irène"),
            related("assistant", "Paul Martin"),
            related("manager", "Hélène Roux")
        ]
    );

    let thunderbird = csv_row("thunderbird-fields.csv");
    assert_eq!(thunderbird.nickname, "JB");
    assert_eq!(
        (
            thunderbird.organization.as_str(),
            thunderbird.department.as_str()
        ),
        ("Acme GmbH", "Forschung")
    );
    assert_eq!(
        thunderbird.websites,
        [
            website("", "https://www.jbdupont.example"),
            website("", "https://acme.example/jb")
        ]
    );
    assert_eq!(thunderbird.profiles, [profile("", "jbdupont")]);
    assert_eq!(
        thunderbird.addresses[0].street,
        "12 rue des Écoles\nBâtiment B"
    );
}

#[test]
fn outlooks_empty_anniversary_is_no_date_and_no_warning() {
    let text = fixture_text("outlook-fields.csv");
    let preview = contacts_csv::preview(&text).unwrap();
    let read = contacts_csv::read(&text, &preview.fields);
    assert_eq!(read.contacts.len(), 2);
    assert!(read.contacts[1].dates.is_empty());
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
}

#[test]
fn written_cards_use_the_properties_other_apps_read() {
    let jean = card("apple-fields-3.0.vcf");
    let v3 = vcard::write_cards(std::slice::from_ref(&jean), CardVersion::V3);
    for line in [
        "N:Dupont;Jean;Baptiste;Dr.;\r\n",
        "NICKNAME:JB\r\n",
        "ORG:Acme GmbH;Forschung\r\n",
        "X-ABDATE:2012-06-19\r\n",
        "X-ABLabel:_$!<Anniversary>!$_\r\n",
        "X-ABRELATEDNAMES:Marguerite Perey\r\n",
        "X-ABLabel:_$!<Spouse>!$_\r\n",
        "IMPP;X-SERVICE-TYPE=Skype:skype:jb.dupont\r\n",
        "X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/jbdupont\r\n",
    ] {
        assert!(v3.contains(line), "{line} in {v3}");
    }
    let v4 = vcard::write_cards(std::slice::from_ref(&jean), CardVersion::V4);
    for line in [
        "ANNIVERSARY:20120619\r\n",
        "RELATED;VALUE=text;TYPE=spouse:Marguerite Perey\r\n",
        "SOCIALPROFILE;SERVICE-TYPE=twitter:https://twitter.com/jbdupont\r\n",
    ] {
        assert!(v4.contains(line), "{line} in {v4}");
    }
    // Read back, both versions give the same fields.
    for text in [v3, v4] {
        let back = vcard::read_cards(&text).contacts.remove(0);
        assert_eq!(names(&back), names(&jean), "{text}");
        assert_eq!(back.websites, jean.websites);
        assert_eq!(back.dates, jean.dates);
        assert_eq!(back.related, jean.related, "{text}");
        assert_eq!(back.profiles, jean.profiles);
    }
}

#[test]
fn a_handle_with_its_own_scheme_is_written_as_it_was_read() {
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\n\
                IMPP;X-SERVICE-TYPE=Facebook:xmpp:ada@chat.facebook.com\r\nEND:VCARD\r\n";
    let ada = vcard::read_cards(card).contacts.remove(0);
    assert_eq!(
        ada.profiles,
        [profile("Facebook", "xmpp:ada@chat.facebook.com")]
    );
    for version in [CardVersion::V3, CardVersion::V4] {
        let written = vcard::write_cards(std::slice::from_ref(&ada), version);
        assert!(
            written.contains("IMPP;X-SERVICE-TYPE=Facebook:xmpp:ada@chat.facebook.com\r\n"),
            "{written}"
        );
    }
}

#[test]
fn google_csv_gets_the_columns_google_reads() {
    let jean = csv_row("google-fields.csv");
    let bytes = contacts_csv::write(std::slice::from_ref(&jean), false).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let header = text.lines().next().unwrap();
    for column in [
        "Middle Name",
        "Name Prefix",
        "Name Suffix",
        "Nickname",
        "Organization Department",
        "Relation 1 - Label",
        "Website 1 - Value",
        "Event 2 - Value",
        "IM 1 - Service",
    ] {
        assert!(header.contains(column), "{column} in {header}");
    }
    assert!(
        text.contains("Anniversary,2012-06-19,Kennenlernen,--03-01"),
        "{text}"
    );
}
