//! The contacts half of the window, driven like a user would: find widgets by their label,
//! click, type, then check the database or the screen.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_support;

use chrono::{Datelike, Days, Local};
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use folio::db::{
    Birthday, ContactDraft, ContactFilter, ContactId, ContactQuery, LabeledEmail, LabeledPhone,
    Repository,
};
use folio::ui::Settings;
use ui_support::{App, note};

fn contact(repo: &mut Repository, draft: ContactDraft) -> ContactId {
    repo.create_contact(&draft).unwrap().id
}

fn named(name: &str) -> ContactDraft {
    let (given, family) = name.split_once(' ').unwrap_or((name, ""));
    ContactDraft {
        given_name: given.into(),
        family_name: family.into(),
        ..ContactDraft::default()
    }
}

fn email(label: &str, address: &str) -> LabeledEmail {
    LabeledEmail {
        label: label.into(),
        address: address.into(),
    }
}

fn phone(label: &str, number: &str) -> LabeledPhone {
    LabeledPhone {
        label: label.into(),
        number: number.into(),
    }
}

/// Shows a sidebar entry of the contacts section (its label is followed by its count).
fn show(app: &mut App, entry: &str) {
    app.harness.get_by_label_contains(entry).click();
    app.settle();
}

/// Replaces the whole text of a field, the way a user selects all and types.
fn retype(app: &mut App, label: &str, text: &str) {
    app.harness.get_by_label(label).click();
    app.harness.step();
    app.harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    app.harness.get_by_label(label).type_text(text);
    app.settle();
}

/// Clicks the list row of this contact (its name also heads the page once it is open).
fn open(app: &mut App, name: &str) {
    app.harness
        .get_by_role_and_label(Role::ListBoxOption, name)
        .click();
    app.settle();
}

fn value(app: &App, label: &str) -> String {
    app.harness.get_by_label(label).value().unwrap_or_default()
}

#[test]
fn a_new_contact_keeps_every_email_phone_and_address_in_order_after_reopening() {
    let mut app = App::start(|_| {});
    show(&mut app, "All contacts");
    app.press(Modifiers::COMMAND, Key::N);
    assert_eq!(
        app.list_titles(),
        ["(no name)"],
        "an empty contact is never a blank row"
    );

    app.type_into("First name", "Ada");
    app.type_into("Last name", "Lovelace");
    app.click("+ Add email");
    app.type_into("Email 1", "ada@home.example");
    app.click("+ Add email");
    app.type_into("Email 2", "ada@engines.example");
    app.click("+ Add phone");
    app.type_into("Phone 1", "+44 20 7946 0958");
    retype(&mut app, "phone 1 label", "boat");
    app.click("+ Add address");
    app.type_into("Street 1", "12 St James's Square");
    app.type_into("City 1", "London");
    app.type_into("Country 1", "UK");
    assert_eq!(app.list_titles(), ["Ada Lovelace"]);

    let (dir, db) = (app.dir, app.db);
    drop(app.harness);
    let mut repo = Repository::open(&db).unwrap();
    let id = repo.list_contacts(&ContactQuery::default()).unwrap().items[0].id;
    let saved = repo.contact(id).unwrap();
    assert_eq!(
        (saved.given_name.as_str(), saved.family_name.as_str()),
        ("Ada", "Lovelace")
    );
    assert_eq!(
        saved.emails,
        [
            email("home", "ada@home.example"),
            email("work", "ada@engines.example")
        ]
    );
    assert_eq!(saved.phones, [phone("boat", "+44 20 7946 0958")]);
    assert_eq!(saved.addresses.len(), 1);
    let address = &saved.addresses[0];
    assert_eq!(
        (
            address.label.as_str(),
            address.street.as_str(),
            address.locality.as_str(),
            address.country.as_str()
        ),
        ("home", "12 St James's Square", "London", "UK")
    );
    drop(repo);

    // And the window shows it all again.
    let mut app = App::start_on(dir, db, Settings::default());
    show(&mut app, "All contacts");
    open(&mut app, "Ada Lovelace");
    assert_eq!(value(&app, "Email 1"), "ada@home.example");
    assert_eq!(value(&app, "Email 2"), "ada@engines.example");
    assert_eq!(value(&app, "phone 1 label"), "boat");
    assert_eq!(value(&app, "City 1"), "London");
}

#[test]
fn removing_a_phone_leaves_the_others_and_reordering_changes_the_primary() {
    let mut app = App::start(|repo| {
        contact(
            repo,
            ContactDraft {
                emails: vec![
                    email("work", "ada@work.example"),
                    email("home", "ada@home.example"),
                ],
                phones: vec![
                    phone("mobile", "111"),
                    phone("home", "222"),
                    phone("work", "333"),
                ],
                ..named("Ada Lovelace")
            },
        );
    });
    show(&mut app, "All contacts");
    open(&mut app, "Ada Lovelace");
    app.click("Remove phone 2");
    app.click("Move email 2 up");
    app.settle();

    let mut repo = app.repo();
    let id = repo.list_contacts(&ContactQuery::default()).unwrap().items[0].id;
    let saved = repo.contact(id).unwrap();
    assert_eq!(saved.phones, [phone("mobile", "111"), phone("work", "333")]);
    assert_eq!(
        saved.emails,
        [
            email("home", "ada@home.example"),
            email("work", "ada@work.example")
        ]
    );
    assert_eq!(value(&app, "Phone 2"), "333");
}

#[test]
fn hints_mark_odd_values_but_the_contact_still_saves() {
    let mut app = App::start(|repo| {
        contact(repo, named("Ada Lovelace"));
    });
    show(&mut app, "All contacts");
    open(&mut app, "Ada Lovelace");
    app.click("+ Add email");
    app.type_into("Email 1", "ada.example.com");
    app.click("+ Add phone");
    app.type_into("Phone 1", "call the office");
    app.harness.get_by_label("An email address needs an @");
    app.harness.get_by_label("This number has no digits");

    let mut repo = app.repo();
    let id = repo.list_contacts(&ContactQuery::default()).unwrap().items[0].id;
    let saved = repo.contact(id).unwrap();
    assert_eq!(saved.emails[0].address, "ada.example.com");
    assert_eq!(saved.phones[0].number, "call the office");
}

#[test]
fn upcoming_birthdays_list_the_next_thirty_days_soonest_first_with_the_age() {
    let today = Local::now().date_naive();
    let on = |days: u64| today.checked_add_days(Days::new(days)).unwrap();
    let birthday = |date: chrono::NaiveDate, year: Option<i32>| {
        Birthday::new(year, date.month() as u8, date.day() as u8)
    };
    let in_ten = on(10);
    // In ten days and forty years ago: both dates exist, whatever today is.
    let ten_days = birthday(in_ten, Some(in_ten.year() - 40)).or_else(|| birthday(in_ten, None));
    let mut app = App::start(|repo| {
        for (name, b) in [
            ("Later Person", birthday(on(45), None)),
            ("Soon Person", birthday(on(3), None)),
            ("Ten Days", ten_days),
            (
                "Yesterday Person",
                birthday(today.pred_opt().unwrap(), None),
            ),
            ("No Birthday", None),
        ] {
            contact(
                repo,
                ContactDraft {
                    birthday: b,
                    ..named(name)
                },
            );
        }
    });
    show(&mut app, "Upcoming birthdays");
    assert_eq!(app.list_titles(), ["Soon Person", "Ten Days"]);
    open(&mut app, "Ten Days");
    if ten_days.is_some_and(|b| b.year.is_some()) {
        app.harness.get_by_label_contains("turning 40");
    }
}

#[test]
fn a_birthday_without_a_year_is_typed_and_saved() {
    let mut app = App::start(|repo| {
        contact(repo, named("Ada Lovelace"));
        contact(repo, named("Bob Babbage"));
    });
    show(&mut app, "All contacts");
    open(&mut app, "Ada Lovelace");
    app.type_into("Birthday day", "29");
    app.harness.get_by_label("Birthday month").click();
    app.settle();
    app.click("February");
    app.settle();
    let mut repo = app.repo();
    let id = repo.list_contacts(&ContactQuery::default()).unwrap().items[0].id;
    assert_eq!(
        repo.contact(id).unwrap().birthday,
        Birthday::new(None, 2, 29)
    );
    // A year without a 29 February is refused with a hint; the saved birthday stays.
    app.type_into("Birthday year", "2023");
    app.harness.get_by_label_contains("Not a date yet");
    app.harness.get_by_label("Birthday not saved");
    assert_eq!(
        repo.contact(id).unwrap().birthday,
        Birthday::new(None, 2, 29)
    );
    // Leaving the contact says the typed birthday was dropped.
    open(&mut app, "Bob Babbage");
    app.harness
        .get_by_label_contains("The birthday typed for Ada Lovelace was not a date");
}

#[test]
fn favourite_and_group_filters_show_their_contacts() {
    let mut app = App::start(|repo| {
        contact(
            repo,
            ContactDraft {
                favorite: true,
                groups: vec!["Friends".into()],
                ..named("Ada Lovelace")
            },
        );
        contact(
            repo,
            ContactDraft {
                groups: vec!["Work".into()],
                ..named("Bob Babbage")
            },
        );
        contact(repo, named("Cy Young"));
    });
    show(&mut app, "Favourites");
    assert_eq!(app.list_titles(), ["Ada Lovelace"]);
    show(&mut app, "Work 1");
    assert_eq!(app.list_titles(), ["Bob Babbage"]);

    show(&mut app, "All contacts");
    open(&mut app, "Cy Young");
    app.click("Favourite");
    app.type_into("Add group", "Work");
    app.press(Modifiers::NONE, Key::Enter);
    show(&mut app, "Work 2");
    assert_eq!(app.list_titles(), ["Bob Babbage", "Cy Young"]);
    show(&mut app, "Favourites");
    assert_eq!(app.list_titles(), ["Ada Lovelace", "Cy Young"]);

    // Removing the group chip takes Cy out of the group.
    show(&mut app, "All contacts");
    open(&mut app, "Cy Young");
    app.click("Work  ×");
    show(&mut app, "Work 1");
    assert_eq!(app.list_titles(), ["Bob Babbage"]);
}

#[test]
fn a_note_links_to_a_person_and_both_pages_lead_to_each_other() {
    let mut app = App::start(|repo| {
        note(repo, "Lunch", "Talked about engines");
        contact(repo, named("Ada Lovelace"));
    });
    app.click("Lunch");
    app.type_into("Add person", "lovel");
    app.click("Ada Lovelace");
    let lunch = app.note_id("Lunch");
    assert_eq!(
        app.repo().contacts_of_note(lunch).unwrap()[0].label,
        "Ada Lovelace"
    );

    // The person chip opens the contact, which lists the note; the note opens again.
    app.click("Ada Lovelace");
    assert_eq!(value(&app, "First name"), "Ada");
    app.harness.get_by_label("Notes about Ada Lovelace (1)");
    app.click("Lunch");
    assert_eq!(value(&app, "Title"), "Lunch");

    // Trashing the contact keeps the note; purging it removes the link.
    app.click("Ada Lovelace");
    app.click("Move to Trash");
    assert_eq!(app.repo().note(lunch).unwrap().body, "Talked about engines");
    show(&mut app, "All notes");
    app.click("Lunch");
    assert!(app.harness.query_by_label("Ada Lovelace").is_none());
    app.harness.get_by_label_contains("Trash 1").click();
    app.settle();
    open(&mut app, "Ada Lovelace");
    app.click("Delete permanently…");
    app.click("Delete permanently");
    let mut repo = app.repo();
    assert_eq!(repo.note(lunch).unwrap().title, "Lunch");
    assert_eq!(
        repo.count_contacts(&ContactQuery {
            filter: ContactFilter::Trash,
            ..ContactQuery::default()
        })
        .unwrap(),
        0
    );
    assert!(repo.contacts_of_note(lunch).unwrap().is_empty());
}

#[test]
fn a_new_name_under_people_becomes_a_contact() {
    let mut app = App::start(|repo| {
        note(repo, "Call", "");
    });
    app.click("Call");
    app.type_into("Add person", "Grace Hopper");
    app.press(Modifiers::NONE, Key::Enter);
    let call = app.note_id("Call");
    let people = app.repo().contacts_of_note(call).unwrap();
    assert_eq!(people[0].label, "Grace Hopper");
}

#[test]
fn contacts_are_searched_by_a_phone_number_typed_another_way() {
    let mut app = App::start(|repo| {
        contact(
            repo,
            ContactDraft {
                phones: vec![phone("work", "+1 (555) 010-4477")],
                ..named("Ada Lovelace")
            },
        );
        contact(
            repo,
            ContactDraft {
                phones: vec![phone("work", "+1 (555) 010-9999")],
                ..named("Bob Babbage")
            },
        );
        note(repo, "5550104477 in a note", "");
    });
    show(&mut app, "All contacts");
    app.type_into("Search", "555-010-4477");
    assert_eq!(app.list_titles(), ["Ada Lovelace"]);
    app.press(Modifiers::NONE, Key::Escape);
    assert_eq!(app.list_titles().len(), 2, "Esc clears the search");
    app.type_into("Search", "5550104477");
    assert_eq!(app.list_titles(), ["Ada Lovelace"]);
}

#[test]
fn ctrl_k_finds_notes_and_contacts_together_and_enter_opens_one() {
    let mut app = App::start(|repo| {
        note(repo, "Project Ada", "");
        note(repo, "Unrelated", "Ada in the body only");
        contact(repo, named("Ada Lovelace"));
    });
    app.press(Modifiers::COMMAND, Key::K);
    app.harness.get_by_label("Go to anything").type_text("ada");
    app.settle();
    app.harness.get_by_label("Contact: Ada Lovelace");
    app.harness.get_by_label("Note: Project Ada");
    assert!(app.harness.query_by_label("Note: Unrelated").is_none());
    // The best match comes first: the name that starts with what was typed.
    app.press(Modifiers::NONE, Key::Enter);
    assert_eq!(value(&app, "First name"), "Ada");

    app.press(Modifiers::COMMAND, Key::K);
    app.harness.get_by_label("Go to anything").type_text("proj");
    app.settle();
    app.press(Modifiers::NONE, Key::Enter);
    assert_eq!(value(&app, "Title"), "Project Ada");
}

#[test]
fn clear_all_contacts_asks_with_the_count_and_moves_them_to_the_trash() {
    let mut app = App::start(|repo| {
        for name in ["Ada Lovelace", "Bob Babbage", "Cy Young"] {
            contact(repo, named(name));
        }
    });
    show(&mut app, "All contacts");
    app.click("Clear all…");
    app.harness
        .get_by_label("Move all 3 contacts to the Trash?");
    app.click("Clear all contacts");
    assert!(app.list_titles().is_empty());
    let mut repo = app.repo();
    let trash = ContactQuery {
        filter: ContactFilter::Trash,
        ..ContactQuery::default()
    };
    assert_eq!(repo.count_contacts(&trash).unwrap(), 3);
    app.harness
        .get_by_label_contains("3 contacts moved to Trash");
    show(&mut app, "Trash 3");
    assert_eq!(app.list_titles().len(), 3);

    // Emptying the trash runs on the list thread; the window follows when it is done.
    app.click("Empty trash…");
    app.harness
        .get_by_label("Delete the 3 contacts in the Trash permanently?");
    app.click("Empty trash");
    assert!(app.list_titles().is_empty());
    app.harness
        .get_by_label_contains("3 contacts deleted permanently");
    assert_eq!(repo.count_contacts(&trash).unwrap(), 0);
}

#[test]
fn a_trashed_contact_comes_back_with_undo() {
    let mut app = App::start(|repo| {
        contact(repo, named("Ada Lovelace"));
    });
    show(&mut app, "All contacts");
    open(&mut app, "Ada Lovelace");
    app.click("Move to Trash");
    assert!(app.list_titles().is_empty());
    app.click("Undo");
    assert_eq!(app.list_titles(), ["Ada Lovelace"]);
}

#[test]
fn a_frame_where_nothing_changed_runs_no_query_in_the_contacts_either() {
    // Every contact with a photo and its thumbnail: the rows draw their avatars.
    let photo_bytes = {
        let picture = image::RgbImage::from_pixel(320, 240, image::Rgb([20, 120, 200]));
        let mut bytes = Vec::new();
        picture
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
        bytes
    };
    let thumbnail = folio::picture::thumbnail(&photo_bytes).unwrap();
    let photo = folio::db::Photo {
        media_type: "image/jpeg".into(),
        url: String::new(),
        bytes: photo_bytes.into(),
    };
    let mut app = App::start(|repo| {
        let lunch = note(repo, "Lunch", "");
        for i in 0..150 {
            let id = contact(
                repo,
                ContactDraft {
                    emails: vec![email("work", &format!("p{i}@example.com"))],
                    birthday: Birthday::new(None, 1 + (i % 12) as u8, 1 + (i % 28) as u8),
                    groups: vec![format!("Group {}", i % 5)],
                    ..named(&format!("Person {i:03}"))
                },
            );
            repo.link_note_contact(lunch, id).unwrap();
            let version = repo.contact(id).unwrap().version;
            repo.set_contact_photo(id, version, Some(&photo), Some(&thumbnail))
                .unwrap();
        }
    });
    show(&mut app, "All contacts");
    open(&mut app, "Person 000");
    let session = app.harness.state_mut().session_mut().unwrap();
    assert!(
        session.contacts.row(0).unwrap().thumbnail.is_some(),
        "the rows draw photos"
    );
    app.press(Modifiers::COMMAND, Key::K);
    app.harness.get_by_label("Go to anything").type_text("pers");
    app.settle();
    let session = app
        .harness
        .state_mut()
        .session_mut()
        .expect("a database is open");
    let window_queries = session.repo.count_queries();
    let list_queries = session.worker.query_counter().clone();
    list_queries.reset();
    let idle = std::time::Instant::now();
    // (Well under the 3 s after which the thread would start merging the index.)
    for _ in 0..26 {
        app.harness.step();
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let idle_seconds = idle.elapsed().as_secs_f64();
    assert_eq!(
        window_queries.get(),
        0,
        "queries on the window's connection"
    );
    ui_support::assert_only_the_outside_change_poll(&list_queries, idle_seconds);

    // The counters do count: typing in the palette asks the list thread.
    app.harness.get_by_label("Go to anything").type_text("on 1");
    app.settle();
    assert!(list_queries.get() > 0);
}

#[test]
fn enter_under_people_takes_the_first_suggestion_for_what_is_typed() {
    let mut app = App::start(|repo| {
        note(repo, "Call", "");
        contact(repo, named("Grace Hopper"));
        contact(repo, named("Grace Rossi"));
    });
    app.click("Call");
    // Typed and entered at once: the suggestions for "grace" must not be taken for "grace ro".
    app.harness.get_by_label("Add person").click();
    app.harness.step();
    app.harness.get_by_label("Add person").type_text("grace ro");
    app.harness.key_press(Key::Enter);
    app.settle();
    let call = app.note_id("Call");
    let people: Vec<String> = app
        .repo()
        .contacts_of_note(call)
        .unwrap()
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert_eq!(people, ["Grace Rossi"]);
}
