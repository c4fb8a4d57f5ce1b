//! The address-book fields on a contact's page, edited the way a user would: middle name,
//! honorifics, nickname, department, websites, profiles, dates, related people and a street of
//! several lines, each checked in the database.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_support;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use folio::db::{
    ANNIVERSARY, Birthday, ContactDraft, ContactQuery, LabeledDate, LabeledWebsite, Profile,
    RelatedPerson, Repository,
};
use ui_support::App;

fn named(given: &str, family: &str) -> ContactDraft {
    ContactDraft {
        given_name: given.into(),
        family_name: family.into(),
        ..ContactDraft::default()
    }
}

fn show_contacts(app: &mut App) {
    app.harness.get_by_label_contains("All contacts").click();
    app.settle();
}

fn open(app: &mut App, name: &str) {
    app.harness
        .get_by_role_and_label(Role::ListBoxOption, name)
        .click();
    app.settle();
}

/// Scrolls the page to a field, as a user would, then clicks it.
fn click(app: &mut App, label: &str) {
    app.harness.get_by_label(label).scroll_to_me();
    app.settle();
    app.click(label);
}

fn type_into(app: &mut App, label: &str, text: &str) {
    app.harness.get_by_label(label).scroll_to_me();
    app.settle();
    app.type_into(label, text);
}

/// Replaces the whole text of a field (select all, type).
fn retype(app: &mut App, label: &str, text: &str) {
    click(app, label);
    app.harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    app.harness.get_by_label(label).type_text(text);
    app.settle();
}

fn stored(repo: &mut Repository, search: &str) -> folio::db::Contact {
    let page = repo
        .list_contacts(&ContactQuery {
            search: search.into(),
            ..ContactQuery::default()
        })
        .unwrap();
    assert_eq!(page.items.len(), 1, "{search}");
    repo.contact(page.items[0].id).unwrap()
}

#[test]
fn every_new_field_is_typed_saved_and_searchable() {
    let mut app = App::start(|repo| {
        repo.create_contact(&named("Jean", "Dupont")).unwrap();
    });
    show_contacts(&mut app);
    open(&mut app, "Jean Dupont");
    type_into(&mut app, "Middle name", "Baptiste");
    type_into(&mut app, "Name prefix", "Dr.");
    type_into(&mut app, "Name suffix", "Jr.");
    type_into(&mut app, "Nickname", "JB");
    type_into(&mut app, "Department", "Forschung");

    click(&mut app, "+ Add website");
    type_into(&mut app, "Website 1", "https://jb.example/about");
    click(&mut app, "+ Add profile");
    retype(&mut app, "profile 1 label", "Signal");
    type_into(&mut app, "Profile 1", "+33698765432");

    click(&mut app, "+ Add date");
    type_into(&mut app, "Date 1 day", "19");
    click(&mut app, "Date 1 month");
    app.click("June");
    type_into(&mut app, "Date 1 year", "2012");

    click(&mut app, "+ Add related person");
    retype(&mut app, "related person 1 label", "spouse");
    type_into(&mut app, "Related person 1", "Marguerite Perey");

    // The list shows the whole name at once.
    assert_eq!(app.list_titles(), ["Dr. Jean Baptiste Dupont Jr."]);

    let mut repo = app.repo();
    let jean = stored(&mut repo, "Dupont");
    assert_eq!(
        [
            jean.middle_name.as_str(),
            &jean.name_prefix,
            &jean.name_suffix,
            &jean.nickname,
            &jean.department
        ],
        ["Baptiste", "Dr.", "Jr.", "JB", "Forschung"]
    );
    assert_eq!(
        jean.websites,
        [LabeledWebsite {
            label: "homepage".into(),
            url: "https://jb.example/about".into()
        }]
    );
    assert_eq!(
        jean.profiles,
        [Profile {
            service: "Signal".into(),
            handle: "+33698765432".into()
        }]
    );
    assert_eq!(
        jean.dates,
        [LabeledDate {
            label: ANNIVERSARY.into(),
            date: Birthday::new(Some(2012), 6, 19).unwrap()
        }]
    );
    assert_eq!(
        jean.related,
        [RelatedPerson {
            label: "spouse".into(),
            name: "Marguerite Perey".into()
        }]
    );
    // Each is found by the search box's index.
    for term in ["baptiste", "jb", "forschung", "jb.example", "perey"] {
        assert_eq!(stored(&mut repo, term).id, jean.id, "{term}");
    }
}

#[test]
fn a_date_is_saved_only_once_it_is_one_and_removing_it_removes_it() {
    let mut app = App::start(|repo| {
        repo.create_contact(&named("Ann", "Lee")).unwrap();
    });
    show_contacts(&mut app);
    open(&mut app, "Ann Lee");
    click(&mut app, "+ Add date");
    type_into(&mut app, "Date 1 day", "31");
    click(&mut app, "Date 1 month");
    app.click("April");
    app.harness.get_by_label("Not a date yet");
    let mut repo = app.repo();
    assert!(stored(&mut repo, "Lee").dates.is_empty());
    retype(&mut app, "Date 1 day", "30");
    assert_eq!(
        stored(&mut repo, "Lee").dates[0].date,
        Birthday::new(None, 4, 30).unwrap()
    );
    click(&mut app, "Remove date 1");
    assert!(stored(&mut repo, "Lee").dates.is_empty());
}

#[test]
fn a_related_person_in_folio_opens_with_one_click() {
    let mut app = App::start(|repo| {
        repo.create_contact(&named("Marguerite", "Perey")).unwrap();
        repo.create_contact(&ContactDraft {
            related: vec![
                RelatedPerson {
                    label: "spouse".into(),
                    name: "marguerite perey".into(),
                },
                RelatedPerson {
                    label: "child".into(),
                    name: "Nobody In Folio".into(),
                },
            ],
            ..named("Jean", "Dupont")
        })
        .unwrap();
    });
    show_contacts(&mut app);
    open(&mut app, "Jean Dupont");
    assert!(
        app.harness
            .query_by_label("Open related person 2")
            .is_none(),
        "no contact has that name"
    );
    click(&mut app, "Open related person 1");
    assert_eq!(
        app.harness.get_by_label("First name").value().as_deref(),
        Some("Marguerite")
    );
}

#[test]
fn a_street_of_two_lines_is_edited_as_two_lines() {
    let mut app = App::start(|repo| {
        repo.create_contact(&named("Ann", "Lee")).unwrap();
    });
    show_contacts(&mut app);
    open(&mut app, "Ann Lee");
    click(&mut app, "+ Add address");
    type_into(&mut app, "Street 1", "1 Main St");
    app.press(Modifiers::NONE, Key::Enter);
    app.harness.get_by_label("Street 1").type_text("Suite 200");
    app.settle();
    let mut repo = app.repo();
    assert_eq!(
        stored(&mut repo, "Lee").addresses[0].street,
        "1 Main St\nSuite 200"
    );
}

#[test]
fn a_contact_with_only_a_number_is_listed_by_it() {
    let mut app = App::start(|repo| {
        repo.create_contact(&ContactDraft {
            phones: vec![folio::db::LabeledPhone {
                label: "mobile".into(),
                number: "+44 7700 900123".into(),
            }],
            ..ContactDraft::default()
        })
        .unwrap();
    });
    show_contacts(&mut app);
    assert_eq!(app.list_titles(), ["+44 7700 900123"]);
}
