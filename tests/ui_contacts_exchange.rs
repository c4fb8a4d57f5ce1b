//! Contacts in and out from the window: the File menu's contact exports, importing vCards
//! and CSV files (with the column mapping for unknown layouts), and possible duplicates in the
//! import report.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_support;

use std::fs;

use egui_kittest::kittest::Queryable;
use folio::db::{Birthday, ContactDraft, ContactQuery, LabeledEmail, LabeledPhone, Repository};
use folio::exchange::export::ContactFormat;
use folio::exchange::vcard::CardVersion;
use folio::ui::{DialogKind, Settings};
use ui_support::{App, database};

fn person(repo: &mut Repository, given: &str, family: &str, email: &str, phone: &str) {
    repo.create_contact(&ContactDraft {
        given_name: given.into(),
        family_name: family.into(),
        emails: vec![LabeledEmail {
            label: "home".into(),
            address: email.into(),
        }],
        phones: vec![LabeledPhone {
            label: "mobile".into(),
            number: phone.into(),
        }],
        birthday: Birthday::new(None, 7, 14),
        ..ContactDraft::default()
    })
    .unwrap();
}

/// Åsa and Chidi, each with an email, a phone and a birthday without a year.
fn two_people(repo: &mut Repository) {
    person(
        repo,
        "Åsa",
        "Lindqvist",
        "asa@example.se",
        "+46 70 123 45 67",
    );
    person(
        repo,
        "Chidi",
        "Okafor",
        "chidi@example.com",
        "(555) 010-7788",
    );
}

fn empty_app() -> App {
    let (dir, db) = database(|_| {});
    App::start_on(dir, db, Settings::default())
}

fn contact_names(app: &App) -> Vec<String> {
    let mut names: Vec<String> = app
        .repo()
        .list_contacts(&ContactQuery::default())
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.label)
        .collect();
    names.sort();
    names
}

fn show_contacts(app: &mut App) {
    app.harness.get_by_label_contains("All contacts").click();
    app.settle();
}

#[test]
fn contacts_exported_as_vcard_3_from_the_menu_come_back_through_import() {
    let mut app = App::start(two_people);
    let file = app.path("contacts.vcf");
    app.dialogs.answer(Some(file.clone()));
    app.click("File");
    app.click("Export contacts");
    app.click("as vCard 3.0…");
    assert!(
        app.dialogs
            .shown()
            .contains(&DialogKind::ExportContacts(ContactFormat::VCard(
                CardVersion::V3
            )))
    );
    app.harness.get_by_label_contains("Exported 2 contacts");
    let text = fs::read_to_string(&file).unwrap();
    assert_eq!(text.matches("VERSION:3.0").count(), 2);
    assert!(
        text.contains("BDAY;X-APPLE-OMIT-YEAR=1604:1604-07-14"),
        "{text}"
    );

    let mut other = empty_app();
    other.dialogs.answer(Some(file));
    other.click("File");
    other.click("Import…");
    other
        .harness
        .get_by_label_contains("Imported 0 notes and 2 contacts");
    show_contacts(&mut other);
    let mut rows = other.list_titles();
    rows.sort();
    assert_eq!(rows, ["Chidi Okafor", "Åsa Lindqvist"]);
}

#[test]
fn a_csv_of_unknown_columns_is_imported_after_the_user_says_what_each_holds() {
    let mut app = empty_app();
    let file = app.path("people.csv");
    fs::write(
        &file,
        "Person,Mail,Tel,Town\nAna Lima,ana@example.pt,+351 21 555 0101,Lisboa\n\
         Rui Costa,rui@example.pt,+351 22 555 0102,Porto\n",
    )
    .unwrap();
    app.dialogs.answer(Some(file.clone()));
    app.click("File");
    app.click("Import…");
    app.harness.get_by_label("Import contacts from CSV");
    // The first rows are shown as examples.
    app.harness.get_by_label_contains("ana@example.pt");
    assert!(contact_names(&app).is_empty(), "nothing yet");
    for (column, choice) in [
        ("Mail", "Email"),
        ("Person", "Display name"),
        ("Tel", "Phone"),
        ("Town", "City"),
    ] {
        app.click(&format!("What {column} holds"));
        app.click(choice);
        assert_eq!(
            app.harness
                .get_by_label(&format!("What {column} holds"))
                .value()
                .as_deref(),
            Some(choice)
        );
    }
    app.click("Import contacts");
    assert_eq!(contact_names(&app), ["Ana Lima", "Rui Costa"]);
    let mut repo = app.repo();
    let page = repo
        .list_contacts(&ContactQuery {
            search: "Ana Lima".into(),
            ..ContactQuery::default()
        })
        .unwrap();
    let ana = repo.contact(page.items[0].id).unwrap();
    assert_eq!(ana.emails[0].address, "ana@example.pt");
    assert_eq!(ana.phones[0].number, "+351 21 555 0101");
    assert_eq!(ana.addresses[0].locality, "Lisboa");

    // Cancel imports nothing.
    let other = app.path("more.csv");
    fs::write(&other, "Who,Where\nZed,Nowhere\n").unwrap();
    app.dialogs.answer(Some(other));
    app.click("File");
    app.click("Import…");
    app.click("Cancel");
    assert!(
        app.harness
            .query_by_label("Import contacts from CSV")
            .is_none()
    );
    assert_eq!(contact_names(&app), ["Ana Lima", "Rui Costa"]);
}

#[test]
fn a_contact_sharing_a_number_is_flagged_and_one_click_opens_it() {
    let mut app = App::start(|repo| {
        person(
            repo,
            "Chidi",
            "Okafor",
            "chidi@example.com",
            "(555) 010-7788",
        );
    });
    let file = app.path("phone.vcf");
    fs::write(
        &file,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:C. Okafor\r\nTEL:+1 555-010-7788\r\nEND:VCARD\r\n",
    )
    .unwrap();
    app.dialogs.answer(Some(file));
    app.click("File");
    app.click("Import…");
    app.harness.get_by_label("Possible duplicates, to review");
    app.harness.get_by_label("share +1 555-010-7788");
    app.click("Chidi Okafor");
    // The contact page shows the existing contact.
    assert_eq!(
        app.harness
            .get_by_label("First name")
            .value()
            .unwrap_or_default(),
        "Chidi"
    );
}

#[test]
fn the_contacts_shown_by_a_search_are_exported_as_csv() {
    let mut app = App::start(two_people);
    show_contacts(&mut app);
    app.type_into("Search", "okafor");
    let file = app.path("shown.csv");
    app.dialogs.answer(Some(file.clone()));
    app.click("File");
    app.click("Export the 1 contact shown as CSV…");
    app.harness.get_by_label_contains("Exported 1 contact");
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("First Name,"), "{text}");
    assert!(text.contains("Chidi,,Okafor"), "{text}");
    assert!(!text.contains("Åsa"));
}

#[test]
fn what_an_imported_card_holds_beyond_folios_fields_is_shown_and_survives_an_edit() {
    let mut app = empty_app();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/contacts/apple-3.0.vcf");
    app.dialogs.answer(Some(fixture));
    app.click("File");
    app.click("Import…");
    show_contacts(&mut app);
    app.harness
        .get_by_role_and_label(egui::accesskit::Role::ListBoxOption, "Åsa Lindqvist")
        .click();
    app.settle();
    // The page is taller than the window: scroll down to it, as a user would.
    app.harness
        .get_by_label("Also on the imported card (1)")
        .scroll_to_me();
    app.settle();
    app.click("Also on the imported card (1)");
    // Apple's country code of an address has no field; the social profile has one now.
    app.harness.get_by_label("item5.X-ABADR");
    // An edit in the window keeps them.
    app.type_into("Contact notes", " Likes fika.");
    let mut repo = app.repo();
    let page = repo
        .list_contacts(&ContactQuery {
            search: "Lindqvist".into(),
            ..ContactQuery::default()
        })
        .unwrap();
    let asa = repo.contact(page.items[0].id).unwrap();
    assert!(asa.notes.contains("Likes fika."), "{}", asa.notes);
    assert!(asa.card_extra.contains("X-ABADR"), "{}", asa.card_extra);
    assert_eq!(asa.profiles[0].handle, "https://twitter.com/asa");
}
