//! Contacts in and out: vCard 2.1/3.0/4.0 and CSV from the apps people leave, round trips on
//! random contacts, hostile files, possible duplicates, and the command line.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use folio::db::{
    ANNIVERSARY, Birthday, ContactDraft, ContactQuery, LabeledDate, LabeledEmail, LabeledPhone,
    LabeledWebsite, PostalAddress, Profile, Repository, Timestamp,
};
use folio::exchange::contacts_csv::{self, Field, Layout};
use folio::exchange::export::{self, ContactFormat, ContactScope};
use folio::exchange::import;
use folio::exchange::vcard::{self, CardVersion};
use folio::exchange::{Progress, markdown};
use proptest::prelude::*;

mod common;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/contacts")
        .join(name)
}

fn fixture_text(name: &str) -> String {
    markdown::decode_text(&fs::read(fixture(name)).unwrap())
        .unwrap()
        .0
}

fn by_name<'a>(contacts: &'a [ContactDraft], name: &str) -> &'a ContactDraft {
    contacts
        .iter()
        .find(|c| c.label() == name || c.given_name == name)
        .unwrap_or_else(|| panic!("no contact {name} in {contacts:#?}"))
}

fn emails(c: &ContactDraft) -> Vec<(&str, &str)> {
    c.emails
        .iter()
        .map(|e| (e.label.as_str(), e.address.as_str()))
        .collect()
}

fn phones(c: &ContactDraft) -> Vec<(&str, &str)> {
    c.phones
        .iter()
        .map(|p| (p.label.as_str(), p.number.as_str()))
        .collect()
}

#[test]
fn apple_cards_keep_labels_yearless_birthdays_and_what_folio_has_no_field_for() {
    let read = vcard::read_cards(&fixture_text("apple-3.0.vcf"));
    assert_eq!(read.contacts.len(), 2, "{:?}", read.skipped);
    assert_eq!(read.pictures_left_out, 0, "the photo is kept");
    let asa = by_name(&read.contacts, "Åsa Lindqvist");
    assert_eq!(
        asa.display_name, "",
        "FN equal to the name is not a display name"
    );
    assert_eq!(asa.organization, "Nordlys AB");
    assert_eq!(asa.department, "Design");
    assert_eq!(asa.job_title, "Art director");
    assert_eq!(
        emails(asa),
        [
            ("home", "asa@example.se"),
            ("work", "asa.lindqvist@nordlys.example")
        ]
    );
    assert_eq!(
        phones(asa),
        [
            ("mobile", "+46 70 123 45 67"),
            ("Sommarhuset", "+46 8 555 010 20")
        ]
    );
    assert_eq!(asa.birthday, Birthday::new(None, 7, 14));
    assert_eq!(
        asa.notes,
        "Met at the fair, booth 4; prefers email.\nSecond line."
    );
    assert_eq!(asa.groups, ["Friends", "Design"]);
    assert_eq!(asa.addresses[0].street, "Storgatan 5");
    assert_eq!(asa.addresses[0].postal_code, "111 22");
    assert_eq!(
        asa.uuid.as_deref(),
        Some("5e1c2b4a-7d3f-4e6a-9c2b-1f0e3d4c5b6a")
    );
    assert_eq!(
        asa.profiles,
        [Profile {
            service: "twitter".to_owned(),
            handle: "https://twitter.com/asa".to_owned()
        }]
    );
    assert!(
        !asa.card_extra.contains("X-SOCIALPROFILE"),
        "a field now: {}",
        asa.card_extra
    );
    assert!(!asa.card_extra.contains("PHOTO"));
    let photo = asa.photo.as_ref().expect("the photo");
    assert_eq!(photo.media_type, "image/jpeg");
    assert!(
        photo.bytes.starts_with(&[0xFF, 0xD8]),
        "a JPEG's first bytes"
    );

    // A UID that is no UUID gives the same UUID at every import, and is written back.
    let chidi = by_name(&read.contacts, "Chidi Okafor");
    let again = vcard::read_cards(&fixture_text("apple-3.0.vcf"));
    assert_eq!(chidi.uuid, by_name(&again.contacts, "Chidi Okafor").uuid);
    let written = vcard::write_cards(std::slice::from_ref(chidi), CardVersion::V4);
    assert!(written.contains("UID:apple-chidi-0001"), "{written}");
    assert_eq!(written.matches("UID").count(), 1, "{written}");
}

#[test]
fn outlook_2_1_quoted_printable_in_any_charset_and_bare_types() {
    let read = vcard::read_cards(&fixture_text("outlook-2.1.vcf"));
    assert_eq!(read.contacts.len(), 2);
    let jorg = by_name(&read.contacts, "Jörg");
    assert_eq!(jorg.family_name, "Müller");
    assert_eq!(jorg.organization, "Stadtwerke Köln");
    assert_eq!(
        phones(jorg),
        [
            ("mobile", "+49 171 555 0000"),
            ("work", "+49 221 555 100"),
            ("home fax", "+49 221 555 199"),
        ],
        "the PREF one first, then in the card's order"
    );
    assert_eq!(jorg.addresses[0].street, "Straße 1");
    assert_eq!(jorg.addresses[0].locality, "Köln");
    assert_eq!(jorg.notes, "Zeile eins\r\nZeile zwei");
    assert_eq!(jorg.birthday, Birthday::new(Some(1975), 1, 1));
}

#[test]
fn rfc6350_uris_preferences_escapes_folding_and_unknown_properties() {
    let read = vcard::read_cards(&fixture_text("rfc6350-4.0.vcf"));
    assert_eq!(read.contacts.len(), 2);
    let zoe = by_name(&read.contacts, "Dr. Zoë Kowalczyk");
    assert_eq!(zoe.given_name, "Zoë");
    assert_eq!(
        phones(zoe),
        [
            ("mobile", "+48-600-555-010"),
            ("work", "+48-12-555-0100 ext. 42")
        ]
    );
    assert_eq!(emails(zoe), [("home work", "zoe@example.pl")]);
    assert_eq!(zoe.birthday, Birthday::new(None, 2, 29));
    assert_eq!(
        zoe.notes,
        "Notizen über Zürich, Kraków und Škofja Loka — ".repeat(3)
    );
    assert_eq!(zoe.updated, Some(Timestamp(1_735_787_045_000)));
    assert_eq!(zoe.name_prefix, "Dr.");
    assert_eq!(zoe.nickname, "Zo");
    assert_eq!(
        zoe.dates,
        [LabeledDate {
            label: ANNIVERSARY.to_owned(),
            date: Birthday::new(Some(2010), 6, 12).unwrap()
        }]
    );
    assert_eq!(
        zoe.websites,
        [LabeledWebsite {
            label: String::new(),
            url: "https://zoe.example.pl".to_owned()
        }]
    );
    assert!(zoe.card_extra.contains("X-CUSTOM-THING"));
    for now_a_field in ["NICKNAME", "ANNIVERSARY", "URL", "\nN:"] {
        assert!(
            !zoe.card_extra.contains(now_a_field),
            "{now_a_field} in {}",
            zoe.card_extra
        );
    }
    let written = vcard::write_cards(std::slice::from_ref(zoe), CardVersion::V4);
    assert!(
        written.contains("X-CUSTOM-THING;X-PARAM=1:kept\\, as is"),
        "{written}"
    );
    assert!(written.contains("NICKNAME:Zo"));
}

#[test]
fn bad_cards_are_skipped_with_their_number_and_the_good_ones_still_read() {
    let read = vcard::read_cards(&fixture_text("mixed-with-bad.vcf"));
    let names: Vec<String> = read.contacts.iter().map(ContactDraft::label).collect();
    assert_eq!(names, ["First Good", "Second Good", "Third Good"]);
    let skipped: Vec<usize> = read.skipped.iter().map(|s| s.number).collect();
    assert_eq!(skipped, [2, 3, 5], "{:?}", read.skipped);
    assert!(read.skipped[0].reason.contains("calendar"));
    assert_eq!(read.stray_lines, 1);
    // The birthday Folio could not read is kept for the next export.
    assert!(read.contacts[1].card_extra.contains("BDAY:not a date"));
}

#[test]
fn exported_cards_fold_at_75_octets_without_splitting_a_character() {
    let contact = ContactDraft {
        given_name: "Zoë".into(),
        family_name: "Ærøskøbing-Łódź".into(),
        notes: "ÅÄÖ 日本語のメモ, with; escapes\\ and\nlines ".repeat(20),
        birthday: Birthday::new(None, 7, 14),
        uuid: Some(uuid::Uuid::now_v7().to_string()),
        ..ContactDraft::default()
    };
    for version in [CardVersion::V3, CardVersion::V4] {
        let text = vcard::write_cards(std::slice::from_ref(&contact), version);
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let back = vcard::read_cards(&text);
        assert_eq!(back.contacts[0].notes, contact.notes);
        let (no_year, uid) = match version {
            CardVersion::V3 => ("BDAY;X-APPLE-OMIT-YEAR=1604:1604-07-14", "UID:0"),
            CardVersion::V4 => ("BDAY:--0714", "UID:urn:uuid:"),
        };
        assert!(text.contains(no_year), "{text}");
        assert!(text.contains(uid), "{text}");
        assert_eq!(back.contacts[0].birthday, contact.birthday);
    }
}

#[test]
fn csv_layouts_of_google_outlook_and_thunderbird_are_recognised_and_read() {
    let layout = |name: &str| contacts_csv::preview(&fixture_text(name)).unwrap().layout;
    assert_eq!(layout("google-old.csv"), Layout::GoogleOld);
    assert_eq!(layout("google-new.csv"), Layout::GoogleNew);
    assert_eq!(layout("outlook.csv"), Layout::Outlook);
    assert_eq!(layout("thunderbird.csv"), Layout::Thunderbird);
    assert_eq!(layout("unknown-layout.csv"), Layout::Unknown);

    let read = |name: &str| {
        let text = fixture_text(name);
        let preview = contacts_csv::preview(&text).unwrap();
        contacts_csv::read(&text, &preview.fields)
    };
    let google = read("google-old.csv");
    let maria = by_name(&google.contacts, "Maria Souza");
    assert_eq!(
        (maria.given_name.as_str(), maria.middle_name.as_str()),
        ("Maria", "Clara")
    );
    assert!(maria.favorite, "* starred");
    assert_eq!(maria.groups, ["Family"]);
    assert_eq!(
        emails(maria),
        [
            ("home", "maria@example.com"),
            ("home", "maria.souza@example.net"),
            ("work", "msouza@work.example")
        ],
        "\" ::: \" cells split"
    );
    assert_eq!(maria.notes, "Likes tea.\nCall after 6.");
    assert_eq!(maria.addresses[0].locality, "São Paulo");
    assert_eq!(
        (maria.organization.as_str(), maria.department.as_str()),
        ("Padaria Souza", "Sales")
    );
    let tom = by_name(&google.contacts, "Tom Lee");
    assert_eq!(tom.birthday, Birthday::new(None, 5, 20));
    assert_eq!(tom.display_name, "");
    assert_eq!(google.skipped.len(), 1, "the empty row");

    let new = read("google-new.csv");
    let kenji = by_name(&new.contacts, "Kenji Watanabe");
    assert_eq!(phones(kenji)[1], ("Ferienhaus", "+81 3-5555-0102"));
    assert_eq!(kenji.birthday, Birthday::new(None, 12, 24));
    let eloise = by_name(&new.contacts, "Lili");
    assert_eq!(
        eloise.given_name, "Éloïse",
        "the BOM is not part of the first header"
    );
    assert_eq!(eloise.notes, "Un, deux; trois");

    let outlook = read("outlook.csv");
    let john = by_name(&outlook.contacts, "Mr. John Q Public");
    assert_eq!(
        (
            john.name_prefix.as_str(),
            john.middle_name.as_str(),
            john.department.as_str()
        ),
        ("Mr.", "Q", "Research"),
        "Outlook's Title is the honorific"
    );
    assert_eq!(john.birthday, Birthday::new(Some(1985), 4, 12));
    assert_eq!(john.groups, ["Clients", "VIP"]);
    assert_eq!(
        phones(john),
        [
            ("work fax", "+1 425 555 0199"),
            ("work", "+1 425 555 0100"),
            ("mobile", "+1 425 555 0101")
        ]
    );
    assert_eq!(john.addresses[0].street, "1 Main St\nSuite 200");
    assert_eq!(
        by_name(&outlook.contacts, "Jane Roe").birthday,
        None,
        "0/0/00"
    );

    let thunderbird = read("thunderbird.csv");
    let francois = by_name(&thunderbird.contacts, "François Lefèvre");
    assert_eq!(francois.birthday, Birthday::new(None, 6, 15));
    assert_eq!(francois.organization, "Bistro Lefèvre");
    assert_eq!(thunderbird.warnings.len(), 1, "29 February 1979 is no date");
}

#[test]
fn an_unknown_layout_imports_with_the_columns_the_user_chose() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = Repository::open(dir.path().join("f.db")).unwrap();
    let file = fixture("unknown-layout.csv");
    let report = import::import_paths(&mut repo, std::slice::from_ref(&file)).unwrap();
    assert_eq!(report.contacts.added, 0);
    assert!(report.skipped[0].reason.contains("what each column holds"));
    assert_eq!(
        report.csv_to_map[0].0, file,
        "the window asks about this file"
    );

    let preview = contacts_csv::preview(&fixture_text("unknown-layout.csv")).unwrap();
    assert_eq!(preview.headers, ["Person", "Mail", "Tel", "Town"]);
    assert_eq!(preview.rows[0][1], "ana@example.pt");
    let choose = |column: usize, name: &str| {
        contacts_csv::field_choices(column)
            .into_iter()
            .find(|(_, n)| *n == name)
            .unwrap()
            .0
    };
    let fields = [
        choose(0, "Display name"),
        choose(1, "Email"),
        choose(2, "Phone"),
        choose(3, "City"),
    ];
    let report = import::import_csv_with(&mut repo, &file, &fields, &Progress::default()).unwrap();
    assert_eq!(report.contacts.added, 2);
    let ana = repo
        .list_contacts(&ContactQuery {
            search: "Lisboa".into(),
            ..ContactQuery::default()
        })
        .map(|p| p.total);
    assert_eq!(ana.unwrap(), 0, "a city is not searched");
    let page = repo
        .list_contacts(&ContactQuery {
            search: "ana@example.pt".into(),
            ..ContactQuery::default()
        })
        .unwrap();
    let ana = repo.contact(page.items[0].id).unwrap();
    assert_eq!(ana.display_name, "Ana Lima");
    assert_eq!(ana.phones[0].number, "+351 21 555 0101");
    assert_eq!(ana.addresses[0].locality, "Lisboa");
    assert!(matches!(fields[3], Field::Address(..)));
}

#[test]
fn importing_the_same_cards_twice_adds_nothing_and_shared_emails_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = Repository::open(dir.path().join("f.db")).unwrap();
    let files = [fixture("apple-3.0.vcf"), fixture("rfc6350-4.0.vcf")];
    let first = import::import_paths(&mut repo, &files).unwrap();
    assert_eq!(first.contacts.added, 4);
    assert!(first.possible_duplicates.is_empty());
    let second = import::import_paths(&mut repo, &files).unwrap();
    assert_eq!(
        second.contacts.added, 0,
        "cards with a UID are found by it, Grace (none) by what her card holds"
    );
    assert_eq!(second.contacts.kept, 4);

    // A card without a UID that shares Åsa's address and Chidi's number (written another way).
    let other = dir.path().join("other.vcf");
    fs::write(
        &other,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A. Lindqvist\r\nEMAIL:ASA@example.se\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nFN:C. Okafor\r\nTEL:+1 555-010-7788\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Someone Else\r\nTEL:555 0000 111\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let third = import::import_paths(&mut repo, &[other]).unwrap();
    assert_eq!(third.contacts.added, 3);
    let flagged: Vec<(&str, &str, &str)> = third
        .possible_duplicates
        .iter()
        .map(|d| (d.name.as_str(), d.other_name.as_str(), d.shared.as_str()))
        .collect();
    assert_eq!(
        flagged,
        [
            ("A. Lindqvist", "Åsa Lindqvist", "ASA@example.se"),
            ("C. Okafor", "Chidi Okafor", "+1 555-010-7788"),
        ]
    );
}

#[test]
fn hostile_contact_files_are_skipped_or_read_and_never_stop_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = Repository::open(dir.path().join("f.db")).unwrap();
    let files = dir.path().join("in");
    fs::create_dir(&files).unwrap();
    fs::write(files.join("binary.vcf"), [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    fs::write(files.join("empty.vcf"), "").unwrap();
    fs::write(files.join("prose.vcf"), "Dear diary, no cards here.\n").unwrap();
    let mut long = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Long Line\r\nNOTE:".to_vec();
    long.extend(std::iter::repeat_n(b'x', 20 * 1024 * 1024));
    long.extend(b"\r\nEND:VCARD\r\n");
    fs::write(files.join("long.vcf"), long).unwrap();
    fs::write(
        files.join("latin1.vcf"),
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ren\xe9 Faure\r\nEND:VCARD\r\n",
    )
    .unwrap();
    fs::write(files.join("binary.csv"), [0u8, 1, 2, 3, 255, 254]).unwrap();
    fs::write(
        files.join("ragged.csv"),
        "First Name,E-mail Address,Company\n\"unclosed,a@b.c\nx,y,z,extra,more\n",
    )
    .unwrap();
    let report = import::import_paths(&mut repo, &[files]).unwrap();
    // René, and the ragged file's one row (its unclosed quote runs to the end). Long Line's
    // 20 MB line is over the limit for one line: skipped, in words.
    assert_eq!(report.contacts.added, 2, "{report:#?}");
    let reasons: Vec<String> = report
        .skipped
        .iter()
        .map(|s| {
            format!(
                "{}: {}",
                s.file.file_name().unwrap().to_string_lossy(),
                s.reason
            )
        })
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("binary.vcf: the file is not text")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("empty.vcf: the file is empty"))
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("prose.vcf: it holds no contact cards"))
    );
    assert!(reasons.iter().any(|r| r.starts_with("binary.csv")));
    assert!(
        reasons.iter().any(|r| r
            .starts_with("long.vcf: card 1 was skipped: one of its lines is longer than 16 MB")),
        "{reasons:?}"
    );
    let rene = repo
        .list_contacts(&ContactQuery {
            search: "René".into(),
            ..ContactQuery::default()
        })
        .unwrap();
    assert_eq!(rene.total, 1, "Windows-1252 read as such");
}

fn folio(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("--db")
        .arg(dir.join("cli.db"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_exports_and_imports_vcards_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = fixture("");
    let (code, out, err) = folio(dir.path(), &["import", fixtures.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("23 contacts"), "{out}");
    for (format, extra, name) in [
        ("vcf", None, "all4.vcf"),
        ("vcf", Some(["--vcard-version", "3"]), "all3.vcf"),
        ("csv", None, "all.csv"),
        ("csv", Some(["--excel", "--excel"]), "excel.csv"),
    ] {
        let out_path = dir.path().join(name);
        let mut args = vec![
            "export",
            "--format",
            format,
            "--out",
            out_path.to_str().unwrap(),
        ];
        if let Some(extra) = extra {
            args.extend(extra.iter().take(if extra[0] == "--excel" { 1 } else { 2 }));
        }
        let (code, out, err) = folio(dir.path(), &args);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("Exported 23 contacts"), "{out}");
        // An existing file is not replaced.
        let (code, _, err) = folio(dir.path(), &args);
        assert_eq!(code, 1);
        assert!(err.contains("already exists"), "{err}");

        let other = tempfile::tempdir().unwrap();
        let (code, out, err) = folio(
            other.path(),
            &["import", out_path.to_str().unwrap(), "--json"],
        );
        assert_eq!(code, 0, "{err}");
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(report["contacts"]["added"], 23, "{name}: {out}");
    }
    let excel = fs::read(dir.path().join("excel.csv")).unwrap();
    assert!(excel.starts_with("\u{feff}First Name".as_bytes()));
    let v3 = fs::read_to_string(dir.path().join("all3.vcf")).unwrap();
    assert_eq!(v3.matches("VERSION:3.0").count(), 23);
}

// Round trips on random contacts.

const LABELS: [&str; 9] = [
    "",
    "home",
    "work",
    "other",
    "mobile",
    "work fax",
    "School",
    "Sommarhuset",
    "home work",
];
const GROUPS: [&str; 5] = ["Friends", "to do", "Zürich", "日本語", "50%"];

fn trimmed(pattern: &'static str) -> impl Strategy<Value = String> {
    proptest::string::string_regex(pattern)
        .unwrap()
        .prop_map(|s| s.trim().to_owned())
}

fn random_contact() -> impl Strategy<Value = ContactDraft> {
    (basic_contact(), common::address_book::address_book_fields()).prop_map(
        |(mut draft, fields)| {
            fields.fill(&mut draft);
            draft
        },
    )
}

fn basic_contact() -> impl Strategy<Value = ContactDraft> {
    (
        (
            trimmed("\\PC{1,20}").prop_filter("a name", |s| !s.is_empty()),
            trimmed("\\PC{0,20}"),
            trimmed("[\\PC--;]{0,20}"),
            trimmed("\\PC{0,20}"),
            proptest::option::of(trimmed("[A-Za-z][\\PC\\n,;\\\\]{0,60}")),
        ),
        proptest::collection::vec(
            (
                proptest::sample::select(&LABELS[..]),
                "[a-z.]{1,10}@[a-z]{1,8}\\.example",
            ),
            0..3,
        ),
        proptest::collection::vec(
            (
                proptest::sample::select(&LABELS[..]),
                "[+0-9][0-9 ()-]{3,15}[0-9]",
            ),
            0..3,
        ),
        proptest::collection::vec(
            (
                proptest::sample::select(&LABELS[..]),
                trimmed("[A-Za-z0-9 ,.'-]{1,20}"),
                trimmed("\\PC{0,12}"),
                trimmed("[A-Z0-9 ]{0,8}"),
                trimmed("\\PC{0,12}"),
            ),
            0..2,
        ),
        proptest::option::of((proptest::option::of(1900i32..2030), 1u8..=12, 1u8..=31)),
        proptest::sample::subsequence(GROUPS.to_vec(), 0..3),
        any::<bool>(),
        (any::<bool>(), "[A-Z][a-z]{1,8} [A-Z][a-z]{1,8}"),
    )
        .prop_map(
            |(
                (given, family, organization, job_title, notes),
                emails,
                phones,
                addresses,
                birthday,
                groups,
                favorite,
                (has_display, display),
            )| ContactDraft {
                given_name: given,
                family_name: family,
                display_name: if has_display {
                    format!("The {display}")
                } else {
                    String::new()
                },
                organization,
                job_title,
                notes: notes.unwrap_or_default(),
                favorite,
                birthday: birthday.and_then(|(y, m, d)| Birthday::new(y, m, d)),
                emails: emails
                    .into_iter()
                    .map(|(label, address)| LabeledEmail {
                        label: label.to_owned(),
                        address,
                    })
                    .collect(),
                phones: phones
                    .into_iter()
                    .map(|(label, number)| LabeledPhone {
                        label: label.to_owned(),
                        number,
                    })
                    .collect(),
                addresses: addresses
                    .into_iter()
                    .map(
                        |(label, street, locality, postal_code, country)| PostalAddress {
                            label: label.to_owned(),
                            street,
                            locality,
                            postal_code,
                            country,
                            ..PostalAddress::default()
                        },
                    )
                    .collect(),
                groups: groups.into_iter().map(str::to_owned).collect(),
                uuid: Some(uuid::Uuid::now_v7().to_string()),
                updated: Some(Timestamp(1_700_000_000_000)),
                ..ContactDraft::default()
            },
        )
}

/// The fields a format carries, as a comparable value.
fn carried(c: &ContactDraft) -> impl PartialEq + std::fmt::Debug {
    let shown_name = c.label();
    (
        (
            c.given_name.clone(),
            c.family_name.clone(),
            shown_name,
            c.organization.clone(),
            c.job_title.clone(),
            c.notes.clone(),
        ),
        c.birthday,
        c.favorite,
        c.emails.clone(),
        c.phones.clone(),
        c.addresses.clone(),
        c.groups.clone(),
        common::address_book::address_book_part(c),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn contacts_survive_vcard_3_and_4(contacts in proptest::collection::vec(random_contact(), 1..6)) {
        for version in [CardVersion::V3, CardVersion::V4] {
            let text = vcard::write_cards(&contacts, version);
            let back = vcard::read_cards(&text);
            prop_assert_eq!(back.contacts.len(), contacts.len(), "{}", text);
            for (before, after) in contacts.iter().zip(&back.contacts) {
                prop_assert_eq!(carried(before), carried(after), "{}", text);
                prop_assert_eq!(&before.uuid, &after.uuid);
                prop_assert_eq!(before.updated, after.updated);
                prop_assert_eq!(&after.card_extra, "", "{}", text);
            }
        }
    }

    #[test]
    fn contacts_survive_csv(contacts in proptest::collection::vec(random_contact(), 1..6), excel in any::<bool>()) {
        let bytes = contacts_csv::write(&contacts, excel).unwrap();
        let text = markdown::decode_text(&bytes).unwrap().0;
        let preview = contacts_csv::preview(&text).unwrap();
        prop_assert_eq!(preview.layout, Layout::GoogleNew);
        let back = contacts_csv::read(&text, &preview.fields);
        prop_assert_eq!(back.contacts.len(), contacts.len());
        for (before, after) in contacts.iter().zip(&back.contacts) {
            // A CSV cell holds a photo's link, not its bytes.
            let mut before = before.clone();
            before.photo = before.photo.filter(|p| p.bytes.is_empty());
            prop_assert_eq!(carried(&before), carried(after), "{}", text);
        }
    }

    #[test]
    fn any_bytes_as_a_vcard_or_csv_file_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = vcard::read_cards(&text);
        let with_header = format!("BEGIN:VCARD\r\nVERSION:3.0\r\n{text}");
        let _ = vcard::read_cards(&with_header);
        if let Ok(preview) = contacts_csv::preview(&text) {
            let _ = contacts_csv::read(&text, &preview.fields);
        }
    }
}

#[test]
fn an_export_writes_only_the_contacts_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = Repository::open(dir.path().join("f.db")).unwrap();
    import::import_paths(
        &mut repo,
        &[fixture("apple-3.0.vcf"), fixture("outlook.csv")],
    )
    .unwrap();
    let out = dir.path().join("shown.vcf");
    let scope = ContactScope::Shown(ContactQuery {
        search: "contoso".into(),
        ..ContactQuery::default()
    });
    let written = export::export_contacts_file(
        &mut repo,
        &out,
        false,
        ContactFormat::VCard(CardVersion::V4),
        &scope,
    )
    .unwrap();
    assert_eq!(written, 1);
    let text = fs::read_to_string(&out).unwrap();
    assert!(text.contains("FN:Mr. John Q Public"), "{text}");
    assert!(!text.contains("Åsa"));
}

#[test]
fn two_copies_of_a_contact_in_one_import_leave_the_newer_one_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = Repository::open(dir.path().join("f.db")).unwrap();
    let file = dir.path().join("twice.vcf");
    let card = |email: &str, rev: &str| {
        format!(
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Lovelace\r\nEMAIL:{email}\r\n\
             UID:urn:uuid:0190f1a4-6b9c-7d2e-8f10-000000000001\r\nREV:{rev}\r\nEND:VCARD\r\n"
        )
    };
    fs::write(
        &file,
        card("old@example.org", "20240101T000000Z") + &card("new@example.org", "20250101T000000Z"),
    )
    .unwrap();
    let report = import::import_paths(&mut repo, &[file]).unwrap();
    assert_eq!((report.contacts.added, report.contacts.updated), (1, 1));
    let found = |repo: &mut Repository, text: &str| {
        repo.list_contacts(&ContactQuery {
            search: text.into(),
            ..ContactQuery::default()
        })
        .unwrap()
        .total
    };
    assert_eq!(found(&mut repo, "new@example"), 1);
    assert_eq!(
        found(&mut repo, "old@example"),
        0,
        "the first copy is not in the index"
    );
    assert_eq!(found(&mut repo, "Lovelace"), 1, "one entry, not two");
}

/// Inputs the fuzzer (`fuzz/`) found panicking, kept as they were found.
#[test]
fn inputs_found_by_fuzzing_are_read_without_a_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzzed");
    let mut seen = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let bytes = fs::read(entry.unwrap().path()).unwrap();
        seen += 1;
        let Ok((text, _)) = markdown::decode_text(&bytes) else {
            continue;
        };
        let _ = vcard::read_cards(&text);
        if let Ok(preview) = contacts_csv::preview(&text) {
            let _ = contacts_csv::read(&text, &preview.fields);
            for column in 0..preview.headers.len() {
                let fields: Vec<Field> = (0..preview.headers.len())
                    .map(|c| contacts_csv::field_choices(c)[column % 17].0)
                    .collect();
                let _ = contacts_csv::read(&text, &fields);
            }
        }
    }
    assert!(seen >= 4);
}

// Defects a review found, each as the input that showed it.

#[test]
fn folios_label_groups_never_reuse_a_kept_propertys_group() {
    let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Gia Rossi\r\nTEL;TYPE=OTHER:555 0100\r\n\
                item1.URL:https://gia.example\r\nitem1.X-ABLabel:_$!<HomePage>!$_\r\nEND:VCARD\r\n";
    let contact = vcard::read_cards(text).contacts.remove(0);
    assert_eq!(phones(&contact), [("other", "555 0100")]);
    for version in [CardVersion::V3, CardVersion::V4] {
        let written = vcard::write_cards(std::slice::from_ref(&contact), version);
        let back = vcard::read_cards(&written).contacts.remove(0);
        assert_eq!(phones(&back), [("other", "555 0100")], "{written}");
        assert_eq!(
            back.websites,
            [LabeledWebsite {
                label: "homepage".to_owned(),
                url: "https://gia.example".to_owned()
            }],
            "{written}"
        );
        assert_eq!(
            written.matches("item1.").count(),
            2,
            "one label group, not two: {written}"
        );
    }
}

#[test]
fn another_apps_card_with_the_same_uid_is_another_person() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = Repository::open(dir.path().join("f.db")).unwrap();
    let card = |name: &str, rev: &str| {
        format!("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nUID:1\r\nREV:{rev}\r\nEND:VCARD\r\n")
    };
    let a = dir.path().join("a.vcf");
    let b = dir.path().join("b.vcf");
    fs::write(&a, card("Ann Lee", "20240101T000000Z")).unwrap();
    fs::write(&b, card("Bob Roe", "20250101T000000Z")).unwrap();
    import::import_paths(&mut repo, std::slice::from_ref(&a)).unwrap();
    let report = import::import_paths(&mut repo, &[b]).unwrap();
    assert_eq!(report.contacts.added, 1);
    let again = import::import_paths(&mut repo, &[a]).unwrap();
    assert_eq!(again.contacts.added, 0, "the same card again merges");
    let total = repo.list_contacts(&ContactQuery::default()).unwrap().total;
    assert_eq!(total, 2);
}

#[test]
fn a_card_without_end_does_not_take_the_next_one_with_it() {
    let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\n\
                BEGIN:VCARD\r\nVERSION:3.0\r\nFN:B\r\nEND:VCARD\r\n\
                BEGIN:VCARD\r\nVERSION:3.0\r\nFN:C\r\nEND:VCARD\r\n";
    let names: Vec<String> = vcard::read_cards(text)
        .contacts
        .iter()
        .map(ContactDraft::label)
        .collect();
    assert_eq!(names, ["A", "B", "C"]);
}

#[test]
fn honorifics_and_commas_in_an_address_come_back_as_they_were() {
    let text = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Smith;John;Quincy;Dr.;Jr.\r\n\
                ADR;HOME:;;12 Main St, Apt 4;Town;;;\r\nEND:VCARD\r\n";
    let contact = vcard::read_cards(text).contacts.remove(0);
    assert_eq!(contact.addresses[0].street, "12 Main St, Apt 4");
    let written = vcard::write_cards(std::slice::from_ref(&contact), CardVersion::V4);
    assert_eq!(
        (
            contact.given_name.as_str(),
            contact.middle_name.as_str(),
            contact.name_prefix.as_str(),
            contact.name_suffix.as_str()
        ),
        ("John", "Quincy", "Dr.", "Jr.")
    );
    assert!(
        written.contains("N:Smith;John;Quincy;Dr.;Jr.\r\n"),
        "{written}"
    );
    assert_eq!(written.matches("\r\nN:").count(), 1, "{written}");
}

#[test]
fn a_contact_already_paired_is_still_checked_against_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = Repository::open(dir.path().join("f.db")).unwrap();
    let file = dir.path().join("carol.vcf");
    fs::write(
        &file,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Carol\r\nTEL:+44 20 7946 0958\r\nEND:VCARD\r\n",
    )
    .unwrap();
    import::import_paths(&mut repo, std::slice::from_ref(&file)).unwrap();
    fs::write(
        &file,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEMAIL:shared@example.org\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\nEMAIL:shared@example.org\r\n\
         TEL:020 7946 0958\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let report = import::import_paths(&mut repo, &[file]).unwrap();
    let mut pairs: Vec<(String, String)> = report
        .possible_duplicates
        .iter()
        .map(|d| (d.name.clone(), d.other_name.clone()))
        .collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            ("Ann".to_owned(), "Bob".to_owned()),
            ("Bob".to_owned(), "Carol".to_owned())
        ]
    );
}

#[test]
fn a_csv_for_excel_runs_no_formula_and_reads_back_the_same() {
    let contact = ContactDraft {
        display_name: "=HYPERLINK(\"http://evil.example\",\"x\")".into(),
        given_name: "Eve".into(),
        phones: vec![LabeledPhone {
            label: "mobile".into(),
            number: "+44 20 7946 0958".into(),
        }],
        ..ContactDraft::default()
    };
    let bytes = contacts_csv::write(std::slice::from_ref(&contact), true).unwrap();
    let text = markdown::decode_text(&bytes).unwrap().0;
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(text.contains(",'+44 20 7946 0958"), "{text}");
    let preview = contacts_csv::preview(&text).unwrap();
    let back = contacts_csv::read(&text, &preview.fields)
        .contacts
        .remove(0);
    assert_eq!(back.display_name, contact.display_name);
    assert_eq!(back.phones, contact.phones);
}

#[test]
fn a_semicolon_csv_as_excel_writes_it_in_french_imports() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = Repository::open(dir.path().join("f.db")).unwrap();
    // Excel in a French locale: semicolons, Windows-1252, a semicolon inside a quoted cell.
    let mut file = b"First Name;Last Name;E-mail Address;Business Phone;Company;Notes\r\n".to_vec();
    file.extend(b"Ren\xe9;Faure;rene@example.fr;+33 6 98 76 54 32;\"Soci\xe9t\xe9; Paris\";caf\xe9 \xe0 9h\r\n");
    fs::write(dir.path().join("contacts.csv"), file).unwrap();
    let report = import::import_paths(&mut repo, &[dir.path().join("contacts.csv")]).unwrap();
    assert_eq!(report.contacts.added, 1, "{report:#?}");
    let records = repo.all_records().unwrap();
    let rene = &records.contacts[0].contact;
    assert_eq!(rene.given_name, "René");
    assert_eq!(rene.family_name, "Faure");
    assert_eq!(rene.organization, "Société; Paris");
    assert_eq!(rene.emails[0].address, "rene@example.fr");
    assert_eq!(rene.phones[0].number, "+33 6 98 76 54 32");
    assert_eq!(rene.notes, "café à 9h");
}

#[test]
fn the_delimiter_is_found_from_the_header_outside_quotes() {
    assert_eq!(contacts_csv::delimiter("a,b,c\n1,2,3"), b',');
    assert_eq!(contacts_csv::delimiter("a;b;c\n1,5;2;3"), b';');
    assert_eq!(contacts_csv::delimiter("a\tb\tc\n"), b'\t');
    // Semicolons inside a quoted header cell do not count; a tie goes to the comma.
    assert_eq!(contacts_csv::delimiter("\"x;y;z\",b\n"), b',');
    assert_eq!(contacts_csv::delimiter("a;b,c\n"), b',');
    assert_eq!(contacts_csv::delimiter("\u{feff}Name;Phone\r\n"), b';');
    assert_eq!(contacts_csv::delimiter("lonely\n"), b',');
    // A file of unknown columns separated by semicolons still gets its columns to map.
    let preview = contacts_csv::preview("Nom;Téléphone\nAnn;123\n").unwrap();
    assert_eq!(preview.headers, ["Nom", "Téléphone"]);
    assert_eq!(preview.rows, [["Ann", "123"]]);
    assert_eq!(preview.layout, Layout::Unknown);
}

#[test]
fn a_vcard_in_utf16_without_a_byte_order_mark_imports() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = Repository::open(dir.path().join("f.db")).unwrap();
    let card =
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ångström\r\nN:Ångström;Zoë;;;\r\nEND:VCARD\r\n";
    let bytes: Vec<u8> = card.encode_utf16().flat_map(u16::to_le_bytes).collect();
    fs::write(dir.path().join("phone.vcf"), bytes).unwrap();
    let report = import::import_paths(&mut repo, &[dir.path().join("phone.vcf")]).unwrap();
    assert_eq!(report.contacts.added, 1, "{report:#?}");
    let stored = &repo.all_records().unwrap().contacts[0].contact;
    assert_eq!(stored.given_name, "Zoë");
    assert_eq!(stored.family_name, "Ångström");
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.reason.contains("UTF-16 without a byte order mark")),
        "{report:#?}"
    );
}

#[test]
fn a_name_folded_in_the_middle_of_a_character_is_stored_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = Repository::open(dir.path().join("f.db")).unwrap();
    // "βγδ Ωμέγα", folded at octet boundaries inside β and inside Ω (as careless servers do).
    let mut card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\xce\r\n \xb2\xce\xb3\xce\xb4 \xce\r\n\t\xa9\xce\xbc\xce\xad\xce\xb3\xce\xb1\r\n".to_vec();
    card.extend(b"N:\xce\xa9\xce\xbc\r\n \xce\xad\xce\xb3\xce\xb1;\xce\xb2\xce\xb3\xce\xb4;;;\r\nEND:VCARD\r\n");
    fs::write(dir.path().join("folded.vcf"), card).unwrap();
    let report = import::import_paths(&mut repo, &[dir.path().join("folded.vcf")]).unwrap();
    assert_eq!(report.contacts.added, 1, "{report:#?}");
    assert!(
        report.warnings.is_empty(),
        "no Windows-1252 fallback: {report:#?}"
    );
    let stored = &repo.all_records().unwrap().contacts[0].contact;
    assert_eq!(stored.label(), "βγδ Ωμέγα");
    assert_eq!(stored.family_name, "Ωμέγα");
    assert_eq!(stored.given_name, "βγδ");
}

#[test]
fn quoted_printable_names_are_decoded_with_their_declared_charset() {
    // vCard 2.1 as Japanese phones (Shift_JIS), Polish (ISO-8859-2) and Russian (KOI8-R)
    // address books write it.
    let cards = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=93=FA=96=7B;=91=BE=98=59\r\nEND:VCARD\r\n\
                 BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=ISO-8859-2;ENCODING=QUOTED-PRINTABLE:=A3=F3d=BC\r\nEND:VCARD\r\n\
                 BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=KOI8-R;QUOTED-PRINTABLE:=F0=C5=D4=D2=CF=D7;=E9=D7=C1=CE\r\nEND:VCARD\r\n";
    let read = vcard::read_cards(cards);
    assert_eq!(read.contacts.len(), 3, "{read:#?}");
    assert_eq!(read.contacts[0].family_name, "日本");
    assert_eq!(read.contacts[0].given_name, "太郎");
    assert_eq!(read.contacts[1].label(), "Łódź");
    assert_eq!(read.contacts[2].family_name, "Петров");
    assert_eq!(read.contacts[2].given_name, "Иван");
}

#[test]
fn the_command_line_maps_the_columns_of_an_unknown_csv() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    fs::create_dir(&folder).unwrap();
    fs::write(
        folder.join("carnet.csv"),
        "Nom;Prénom;Tél;Courriel\nFaure;René;+33 6 98 76 54 32;rene@example.fr\nDurand;Anne;01 23 45 67 89;\n",
    )
    .unwrap();
    fs::write(folder.join("note.md"), "# Lunch\n\nwith René").unwrap();
    let db = dir.path().join("f.folio");
    let folio = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap()
    };
    let input = folder.to_str().unwrap();

    // A column the file lacks, or a field Folio lacks: refused before anything is imported.
    let wrong = folio(&["import", input, "--map", "Name=Last name"]);
    assert_eq!(wrong.status.code(), Some(1), "{wrong:?}");
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("has no column \"Name\""));
    let wrong = folio(&["import", input, "--map", "Nom=Surname"]);
    assert_eq!(wrong.status.code(), Some(1), "{wrong:?}");
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("\"Surname\" is not a field"));
    assert!(!db.exists() || Repository::open(&db).unwrap().stats().unwrap().notes == 0);

    let done = folio(&[
        "import",
        input,
        "--json",
        "--map",
        "Nom=Last name,Prénom=First name,Tél=Phone,courriel=email",
    ]);
    assert!(done.status.success(), "{done:?}");
    let report: serde_json::Value = serde_json::from_slice(&done.stdout).unwrap();
    assert_eq!(report["notes"]["added"], 1, "{report}");
    assert_eq!(report["contacts"]["added"], 2, "{report}");
    assert_eq!(report["skipped"].as_array().unwrap().len(), 0, "{report}");
    let mut repo = Repository::open(&db).unwrap();
    let contacts = repo.all_records().unwrap().contacts;
    let rene = &contacts
        .iter()
        .find(|c| c.contact.given_name == "René")
        .unwrap()
        .contact;
    assert_eq!(rene.family_name, "Faure");
    assert_eq!(rene.phones[0].number, "+33 6 98 76 54 32");
    assert_eq!(rene.emails[0].address, "rene@example.fr");
}

#[test]
fn a_csv_for_excel_with_semicolons_comes_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = Repository::open(dir.path().join("a.db")).unwrap();
    repo.create_contact(&folio::db::ContactDraft {
        given_name: "René".into(),
        family_name: "Faure".into(),
        organization: "Société; Paris, 3e".into(),
        notes: "café; 9h, mardi".into(),
        ..folio::db::ContactDraft::default()
    })
    .unwrap();
    let file = dir.path().join("contacts.csv");
    let format = ContactFormat::Csv {
        excel: true,
        semicolons: true,
    };
    export::export_contacts_file(&mut repo, &file, false, format, &ContactScope::All).unwrap();
    let written = fs::read(&file).unwrap();
    assert!(written.starts_with("\u{feff}First Name;Middle Name;".as_bytes()));

    let mut other = Repository::open(dir.path().join("b.db")).unwrap();
    let report = import::import_paths(&mut other, &[file]).unwrap();
    assert_eq!(report.contacts.added, 1, "{report:#?}");
    let back = &other.all_records().unwrap().contacts[0].contact;
    assert_eq!(back.organization, "Société; Paris, 3e");
    assert_eq!(back.notes, "café; 9h, mardi");
    assert_eq!(back.given_name, "René");
}

/// Text that is UTF-8 read as Windows-1252: encoded back to Windows-1252 it is valid UTF-8,
/// and shorter ("RenÃ©" gives "René").
fn is_mojibake(text: &str) -> bool {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    !unmappable
        && bytes.iter().any(|b| *b >= 0x80)
        && std::str::from_utf8(&bytes).is_ok_and(|utf8| utf8.chars().count() < text.chars().count())
}

#[test]
fn no_stored_name_is_mojibake_whatever_encoding_the_file_used() {
    assert!(is_mojibake("RenÃ© Ã…ngstrÃ¶m"));
    assert!(!is_mojibake("René Ångström"));
    assert!(!is_mojibake("日本 太郎"));
    let dir = tempfile::tempdir().unwrap();
    let utf16: Vec<u8> = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ångström\r\nEND:VCARD\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let files: [(&str, Vec<u8>); 5] = [
        ("utf16.vcf", utf16),
        (
            "folded.vcf",
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ren\xc3\r\n \xa9 Faure\r\nEND:VCARD\r\n".to_vec(),
        ),
        (
            "latin2.vcf",
            b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=ISO-8859-2;ENCODING=QUOTED-PRINTABLE:=A3=F3d=BC\r\nEND:VCARD\r\n".to_vec(),
        ),
        (
            "utf8qp.vcf",
            b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=UTF-8;QUOTED-PRINTABLE:Jos=C3=A9 M=C3=BCller\r\nEND:VCARD\r\n".to_vec(),
        ),
        (
            "excel.csv",
            b"First Name;Last Name;E-mail Address;Company\r\nJos\xe9;M\xfcller-\xc5str\xf6m;jose@example.de;\r\n"
                .to_vec(),
        ),
    ];
    for (name, bytes) in &files {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    let mut repo = Repository::open(dir.path().join("f.db")).unwrap();
    let report = import::import_paths(&mut repo, &[dir.path().to_owned()]).unwrap();
    assert_eq!(report.contacts.added, 5, "{report:#?}");
    let mut names: Vec<String> = repo
        .all_records()
        .unwrap()
        .contacts
        .iter()
        .map(|c| c.contact.label())
        .collect();
    names.sort();
    for name in &names {
        assert!(!is_mojibake(name), "{name:?} is UTF-8 read as Windows-1252");
    }
    assert_eq!(
        names,
        [
            "José Müller",
            "José Müller-Åström",
            "René Faure",
            "Zoë Ångström",
            "Łódź"
        ]
    );
}

#[test]
fn numbers_are_duplicates_when_they_are_the_same_number_not_the_same_digits() {
    let dir = tempfile::tempdir().unwrap();
    let card = |name: &str, tel: &str| {
        format!("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nTEL:{tel}\r\nEND:VCARD\r\n")
    };
    fs::write(
        dir.path().join("phones.vcf"),
        [
            card("Amélie Paris", "+33 6 98 76 54 32"),
            card("Álvaro Madrid", "+34 698 76 54 32"),
            card("Amélie at home", "06 98 76 54 32"),
        ]
        .concat(),
    )
    .unwrap();
    let flagged = |region: &str| -> Vec<(String, String)> {
        let db = dir.path().join(format!("{region}.folio"));
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
            .env("FOLIO_PHONE_REGION", region)
            .arg("--db")
            .arg(&db)
            .args(["import", "--json"])
            .arg(dir.path().join("phones.vcf"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["possible_duplicates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["name"].as_str().unwrap().to_owned(),
                    d["other_name"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    // Read in France, the national number is Amélie's mobile; Spain's number is another.
    assert_eq!(
        flagged("FR"),
        [("Amélie Paris".to_owned(), "Amélie at home".to_owned())]
    );
    // Read in Spain, "06 98 76 54 32" is no French number: nobody is flagged by number.
    assert_eq!(flagged("ES"), Vec::<(String, String)>::new());
}
