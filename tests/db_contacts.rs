//! Contacts through the repository: sub-rows, groups, favourites, trash, search, links to notes.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use common::{note, repo};
use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use folio::db::{
    Birthday, ContactDraft, ContactFilter, ContactQuery, ContactSort, DbError, GoToHit,
    LabeledEmail, LabeledPhone, NoteQuery, PostalAddress, Repository,
};

fn ada() -> ContactDraft {
    ContactDraft {
        given_name: "Ada".into(),
        family_name: "Lovelace".into(),
        organization: "Analytical Engines Ltd".into(),
        job_title: "Programmer".into(),
        birthday: Birthday::new(None, 12, 10),
        notes: "Met at the \"difference\" talk".into(),
        emails: vec![
            LabeledEmail {
                label: "work".into(),
                address: "ada@engines.example".into(),
            },
            LabeledEmail {
                label: "home".into(),
                address: "ada@home.example".into(),
            },
        ],
        phones: vec![LabeledPhone {
            label: "mobile".into(),
            number: "+1 (555) 010-0".into(),
        }],
        addresses: vec![PostalAddress {
            label: "home".into(),
            street: "12 St James's Square".into(),
            locality: "London".into(),
            postal_code: "SW1Y 4JH".into(),
            country: "UK".into(),
            ..PostalAddress::default()
        }],
        groups: vec!["Friends".into(), "Mathematicians".into()],
        ..ContactDraft::default()
    }
}

fn labels(repo: &mut Repository, query: &ContactQuery) -> Vec<String> {
    repo.list_contacts(query)
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.label)
        .collect()
}

fn found(repo: &mut Repository, text: &str) -> Vec<String> {
    let mut names = labels(
        repo,
        &ContactQuery {
            search: text.into(),
            limit: 1000,
            ..ContactQuery::default()
        },
    );
    names.sort();
    names
}

#[test]
fn a_contact_keeps_every_detail_in_order() {
    let mut repo = repo();
    let created = repo.create_contact(&ada()).unwrap();
    let read = repo.contact(created.id).unwrap();
    assert_eq!(read, created);
    assert_eq!(read.emails, ada().emails);
    assert_eq!(read.phones, ada().phones);
    assert_eq!(read.addresses, ada().addresses);
    assert_eq!(read.birthday, Birthday::new(None, 12, 10));
    let groups: Vec<_> = read.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(groups, ["Friends", "Mathematicians"]);
    assert_eq!(read.uuid.len(), 36);
}

#[test]
fn an_update_replaces_the_sub_rows() {
    let mut repo = repo();
    let id = repo.create_contact(&ada()).unwrap().id;
    let mut draft = repo.contact_draft(id).unwrap();
    draft.phones.clear();
    draft.emails.swap(0, 1);
    draft.birthday = Birthday::new(Some(1815), 12, 10);
    let updated = at_latest!(repo.update_contact(id, &draft)).unwrap();
    assert!(updated.phones.is_empty());
    assert_eq!(updated.emails[0].address, "ada@home.example");
    assert_eq!(updated.emails[1].address, "ada@engines.example");
    assert_eq!(updated.addresses, ada().addresses);
    assert_eq!(updated.birthday.and_then(|b| b.year), Some(1815));
}

#[test]
fn an_update_that_fails_half_way_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut repo = Repository::open(&path).unwrap();
    let id = repo.create_contact(&ada()).unwrap().id;
    let before = repo.contact(id).unwrap();

    // Make the database refuse one phone number, as a full disk or a broken rule would.
    let mut raw = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    raw.batch_execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON contact_phones WHEN NEW.number = 'boom'
         BEGIN SELECT RAISE(ABORT, 'refused'); END;",
    )
    .unwrap();
    drop(raw);

    let mut draft = repo.contact_draft(id).unwrap();
    draft.given_name = "Changed".into();
    draft.emails.clear();
    draft.phones = vec![
        LabeledPhone {
            label: "work".into(),
            number: "123".into(),
        },
        LabeledPhone {
            label: "work".into(),
            number: "boom".into(),
        },
    ];
    assert!(at_latest!(repo.update_contact(id, &draft)).is_err());
    assert_eq!(repo.contact(id).unwrap(), before);
    assert_eq!(found(&mut repo, "changed"), Vec::<String>::new());
    assert_eq!(found(&mut repo, "ada"), ["Ada Lovelace"]);
}

#[test]
fn impossible_birthdays_are_refused_and_change_nothing() {
    let mut repo = repo();
    let mut draft = ada();
    draft.birthday = Some(Birthday {
        year: Some(2023),
        month: 2,
        day: 29,
    });
    assert!(matches!(
        repo.create_contact(&draft),
        Err(DbError::Invalid(_))
    ));
    assert_eq!(
        repo.list_contacts(&ContactQuery::default()).unwrap().total,
        0
    );
    draft.birthday = Birthday::new(None, 2, 29);
    assert!(repo.create_contact(&draft).is_ok());
}

#[test]
fn favourites_groups_and_sorting() {
    let mut repo = repo();
    let ada_id = repo.create_contact(&ada()).unwrap().id;
    let grace = ContactDraft {
        given_name: "Grace".into(),
        family_name: "Hopper".into(),
        groups: vec!["navy".into()],
        ..ContactDraft::default()
    };
    repo.create_contact(&grace).unwrap();
    let emile = ContactDraft {
        given_name: "Émile".into(),
        family_name: "Borel".into(),
        ..ContactDraft::default()
    };
    repo.create_contact(&emile).unwrap();
    let acme = ContactDraft {
        organization: "ACME".into(),
        ..ContactDraft::default()
    };
    repo.create_contact(&acme).unwrap();

    let by_given = ContactQuery::default();
    assert_eq!(
        labels(&mut repo, &by_given),
        ["ACME", "Ada Lovelace", "Émile Borel", "Grace Hopper"]
    );
    let by_family = ContactQuery {
        sort: ContactSort::FamilyName,
        ..ContactQuery::default()
    };
    assert_eq!(
        labels(&mut repo, &by_family),
        ["ACME", "Émile Borel", "Grace Hopper", "Ada Lovelace"]
    );

    at_latest!(repo.set_contact_favorite(ada_id, true)).unwrap();
    let favourites = ContactQuery {
        filter: ContactFilter::Favorites,
        ..ContactQuery::default()
    };
    assert_eq!(labels(&mut repo, &favourites), ["Ada Lovelace"]);

    let usage = repo.tags_with_usage().unwrap();
    let navy = usage.iter().find(|u| u.tag.name == "navy").unwrap();
    assert_eq!((navy.notes, navy.contacts), (0, 1));
    let in_navy = ContactQuery {
        filter: ContactFilter::Group(navy.tag.id),
        ..ContactQuery::default()
    };
    assert_eq!(labels(&mut repo, &in_navy), ["Grace Hopper"]);

    let (groups, _) = at_latest!(repo.set_contact_groups(ada_id, &["Navy"])).unwrap();
    assert_eq!(groups[0].id, navy.tag.id);
    assert_eq!(
        labels(&mut repo, &in_navy),
        ["Ada Lovelace", "Grace Hopper"]
    );
}

#[test]
fn contacts_are_found_by_name_organisation_email_and_phone() {
    let mut repo = repo();
    repo.create_contact(&ada()).unwrap();
    repo.create_contact(&ContactDraft {
        given_name: "Zoë".into(),
        phones: vec![LabeledPhone {
            label: "".into(),
            number: "030 1234-5678".into(),
        }],
        ..ContactDraft::default()
    })
    .unwrap();
    assert_eq!(found(&mut repo, "love"), ["Ada Lovelace"]);
    assert_eq!(found(&mut repo, "ENGINES ltd"), ["Ada Lovelace"]);
    assert_eq!(found(&mut repo, "home.example"), ["Ada Lovelace"]);
    assert_eq!(found(&mut repo, "zoe"), ["Zoë"]);
    // Phones match whatever formatting either side uses.
    assert_eq!(found(&mut repo, "5550100"), ["Ada Lovelace"]);
    assert_eq!(found(&mut repo, "555-0100"), ["Ada Lovelace"]);
    assert_eq!(found(&mut repo, "(555)"), ["Ada Lovelace"]);
    assert_eq!(found(&mut repo, "12345678"), ["Zoë"]);
    assert_eq!(found(&mut repo, "0-3"), ["Zoë"]);
    assert_eq!(found(&mut repo, "555 zoe"), Vec::<String>::new());
    // Job title and free-text notes are not searched.
    assert_eq!(found(&mut repo, "programmer"), Vec::<String>::new());
    assert_eq!(found(&mut repo, "difference"), Vec::<String>::new());
}

#[test]
fn a_contact_with_no_name_has_an_empty_label() {
    let mut repo = repo();
    repo.create_contact(&ContactDraft::default()).unwrap();
    let page = repo.list_contacts(&ContactQuery::default()).unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].label, "");
}

#[test]
fn a_page_of_contacts_takes_the_same_queries_at_any_size() {
    let mut repo = repo();
    let drafts: Vec<ContactDraft> = (0..60)
        .map(|i| {
            let mut d = ada();
            d.given_name = format!("Person {i:02}");
            d
        })
        .collect();
    repo.import_contacts(&drafts).unwrap();
    let counter = repo.count_queries();
    let small = repo
        .list_contacts(&ContactQuery {
            limit: 3,
            ..ContactQuery::default()
        })
        .unwrap();
    let small_queries = counter.get();
    counter.reset();
    let large = repo
        .list_contacts(&ContactQuery {
            limit: 50,
            ..ContactQuery::default()
        })
        .unwrap();
    assert_eq!(small.items.len(), 3);
    assert_eq!(large.items.len(), 50);
    assert!(
        large
            .items
            .iter()
            .all(|c| c.emails.len() == 2 && c.phones.len() == 1)
    );
    assert_eq!(counter.get(), small_queries);
    assert_eq!(
        counter.get(),
        6,
        "count, page, emails, phones, anniversaries, thumbnails"
    );
}

#[test]
fn trashing_or_purging_a_contact_never_deletes_notes() {
    let mut repo = repo();
    let contact = repo.create_contact(&ada()).unwrap().id;
    let about = note(&mut repo, "Lunch with Ada", "");
    let other = note(&mut repo, "Other", "");
    repo.link_note_contact(about, contact).unwrap();
    repo.link_note_contact(about, contact).unwrap();

    let about_ada: Vec<_> = repo
        .notes_about_contact(contact)
        .unwrap()
        .into_iter()
        .map(|n| n.title)
        .collect();
    assert_eq!(about_ada, ["Lunch with Ada"]);
    let people: Vec<_> = repo
        .contacts_of_note(about)
        .unwrap()
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert_eq!(people, ["Ada Lovelace"]);
    assert!(repo.contacts_of_note(other).unwrap().is_empty());

    at_latest!(repo.trash_contact(contact)).unwrap();
    assert!(repo.note(about).is_ok());
    assert!(repo.contacts_of_note(about).unwrap().is_empty());
    at_latest!(repo.restore_contact(contact)).unwrap();
    assert_eq!(repo.contacts_of_note(about).unwrap().len(), 1);

    at_latest!(repo.trash_contact(contact)).unwrap();
    at_latest!(repo.delete_contact_permanently(contact)).unwrap();
    assert!(repo.note(about).is_ok());
    assert!(matches!(
        repo.contact(contact),
        Err(DbError::NotFound { .. })
    ));
    assert_eq!(repo.list_notes(&NoteQuery::default()).unwrap().total, 2);
    // Its groups went with it, its emails can no longer be found.
    assert!(repo.tags_with_usage().unwrap().is_empty());
    assert!(found(&mut repo, "ada").is_empty());
    let trash = ContactQuery {
        filter: ContactFilter::Trash,
        ..ContactQuery::default()
    };
    assert_eq!(repo.list_contacts(&trash).unwrap().total, 0);
}

#[test]
fn deleting_a_note_removes_its_links_but_not_the_contact() {
    let mut repo = repo();
    let contact = repo.create_contact(&ada()).unwrap().id;
    let about = note(&mut repo, "About Ada", "");
    repo.link_note_contact(about, contact).unwrap();
    at_latest!(repo.trash_note(about)).unwrap();
    assert!(repo.notes_about_contact(contact).unwrap().is_empty());
    at_latest!(repo.delete_note_permanently(about)).unwrap();
    assert!(repo.contact(contact).is_ok());
    let again = note(&mut repo, "Again", "");
    repo.link_note_contact(again, contact).unwrap();
    repo.unlink_note_contact(again, contact).unwrap();
    assert!(repo.notes_about_contact(contact).unwrap().is_empty());
}

#[test]
fn linking_to_something_missing_is_not_found() {
    let mut repo = repo();
    let contact = repo.create_contact(&ada()).unwrap().id;
    let gone = note(&mut repo, "gone", "");
    at_latest!(repo.trash_note(gone)).unwrap();
    at_latest!(repo.delete_note_permanently(gone)).unwrap();
    assert!(matches!(
        repo.link_note_contact(gone, contact),
        Err(DbError::NotFound { what: "note" })
    ));
}

fn person(name: &str, birthday: Option<Birthday>) -> ContactDraft {
    ContactDraft {
        display_name: name.into(),
        birthday,
        ..ContactDraft::default()
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn upcoming(repo: &mut Repository, today: NaiveDate) -> Vec<String> {
    labels(
        repo,
        &ContactQuery {
            filter: ContactFilter::UpcomingBirthdays { today },
            limit: 100,
            ..ContactQuery::default()
        },
    )
}

#[test]
fn upcoming_birthdays_come_soonest_first_across_the_new_year() {
    let mut repo = repo();
    for (name, birthday) in [
        ("Twelfth night", Birthday::new(None, 1, 6)),
        ("New year", Birthday::new(Some(1990), 1, 1)),
        ("Christmas", Birthday::new(None, 12, 25)),
        ("Today", Birthday::new(Some(2000), 12, 20)),
        ("Too late", Birthday::new(None, 1, 20)),
        ("Yesterday", Birthday::new(None, 12, 19)),
        ("No birthday", None),
    ] {
        repo.create_contact(&person(name, birthday)).unwrap();
    }
    let trashed = repo
        .create_contact(&person("Trashed", Birthday::new(None, 12, 21)))
        .unwrap();
    at_latest!(repo.trash_contact(trashed.id)).unwrap();

    assert_eq!(
        upcoming(&mut repo, date(2026, 12, 20)),
        ["Today", "Christmas", "New year", "Twelfth night"]
    );
    // 30 days after 20 December is 19 January: the 20th is one day too far.
    assert_eq!(
        upcoming(&mut repo, date(2026, 12, 21)),
        ["Christmas", "New year", "Twelfth night", "Too late"]
    );

    let new_year = Birthday::new(Some(1990), 1, 1).unwrap();
    let next = new_year.next_on_or_after(date(2026, 12, 20)).unwrap();
    assert_eq!(next, date(2027, 1, 1));
    assert_eq!(new_year.age_on(next), Some(37));
}

#[test]
fn a_29_february_birthday_is_kept_on_the_28th_in_other_years() {
    let mut repo = repo();
    for (name, birthday) in [
        ("Leapling", Birthday::new(Some(2000), 2, 29)),
        ("Twenty-eighth", Birthday::new(None, 2, 28)),
        ("First of March", Birthday::new(None, 3, 1)),
    ] {
        repo.create_contact(&person(name, birthday)).unwrap();
    }
    // 2027 has no 29 February: the leapling's birthday is on the 28th, beside the other one.
    assert_eq!(
        upcoming(&mut repo, date(2027, 2, 1)),
        ["Leapling", "Twenty-eighth", "First of March"]
    );
    // 2028 has one: it falls between the 28th and 1 March.
    assert_eq!(
        upcoming(&mut repo, date(2028, 2, 1)),
        ["Twenty-eighth", "Leapling", "First of March"]
    );
    // On 1 March 2027 the 28th is past: next year's 29 February is too far.
    assert_eq!(upcoming(&mut repo, date(2027, 3, 1)), ["First of March"]);

    let leapling = Birthday::new(Some(2000), 2, 29).unwrap();
    assert_eq!(
        leapling.next_on_or_after(date(2027, 1, 1)),
        Some(date(2027, 2, 28))
    );
    assert_eq!(
        leapling.next_on_or_after(date(2027, 3, 1)),
        Some(date(2028, 2, 29))
    );
    assert_eq!(leapling.age_on(date(2028, 2, 29)), Some(28));
    assert_eq!(
        Birthday::new(None, 2, 29)
            .unwrap()
            .age_on(date(2028, 2, 29)),
        None
    );
}

#[test]
fn clearing_all_contacts_moves_them_to_the_trash_and_emptying_it_keeps_notes() {
    let mut repo = repo();
    let ada = repo.create_contact(&ada()).unwrap();
    let bob = repo.create_contact(&person("Bob", None)).unwrap();
    let already = repo
        .create_contact(&person("Already trashed", None))
        .unwrap();
    at_latest!(repo.trash_contact(already.id)).unwrap();
    let about_ada = note(&mut repo, "Lunch with Ada", "");
    repo.link_note_contact(about_ada, ada.id).unwrap();

    assert_eq!(repo.trash_all_contacts().unwrap(), 2);
    assert!(labels(&mut repo, &ContactQuery::default()).is_empty());
    let trash = ContactQuery {
        filter: ContactFilter::Trash,
        ..ContactQuery::default()
    };
    assert_eq!(repo.count_contacts(&trash).unwrap(), 3);
    at_latest!(repo.restore_contact(bob.id)).unwrap();
    assert_eq!(labels(&mut repo, &ContactQuery::default()), ["Bob"]);

    assert_eq!(repo.empty_contact_trash().unwrap(), 2);
    assert_eq!(repo.count_contacts(&trash).unwrap(), 0);
    assert!(matches!(
        repo.contact(ada.id),
        Err(DbError::NotFound { .. })
    ));
    // The note stays, without the link; the groups nothing uses any more are gone.
    assert_eq!(repo.note(about_ada).unwrap().title, "Lunch with Ada");
    assert!(repo.contacts_of_note(about_ada).unwrap().is_empty());
    assert!(repo.suggest_tags("Mathematicians", 5).unwrap().is_empty());
    // Searching finds nothing of the purged contacts.
    assert!(found(&mut repo, "engines").is_empty());
    assert_eq!(found(&mut repo, "bob"), ["Bob"]);
}

fn go_to(repo: &mut Repository, text: &str) -> Vec<String> {
    repo.go_to(text, 8)
        .unwrap()
        .into_iter()
        .map(|hit| match hit {
            GoToHit::Note { title, .. } => format!("note: {title}"),
            GoToHit::Contact { name, .. } => format!("contact: {name}"),
        })
        .collect()
}

#[test]
fn go_to_finds_notes_by_title_and_contacts_by_name_best_match_first() {
    let mut repo = repo();
    repo.create_contact(&ada()).unwrap();
    repo.create_contact(&person("Émile Zola", None)).unwrap();
    note(&mut repo, "Canada trip", "");
    note(&mut repo, "Ada's birthday party", "");
    note(&mut repo, "Groceries", "Ada likes lemons");
    let trashed = note(&mut repo, "Ada in the trash", "");
    at_latest!(repo.trash_note(trashed)).unwrap();

    // Starts with "ada" first (contacts before notes at the same rank), then inside a word.
    assert_eq!(
        go_to(&mut repo, "ada"),
        [
            "contact: Ada Lovelace",
            "note: Ada's birthday party",
            "note: Canada trip"
        ]
    );
    // Body text is not a title; accents and case are ignored; short terms work.
    assert_eq!(go_to(&mut repo, "lemons"), Vec::<String>::new());
    assert_eq!(go_to(&mut repo, "EMILE"), ["contact: Émile Zola"]);
    assert_eq!(
        go_to(&mut repo, "zo"),
        ["contact: Émile Zola"],
        "two characters use the short-gram index"
    );
    assert_eq!(go_to(&mut repo, "trip can"), ["note: Canada trip"]);
    // While a word is still being typed, a one-letter term ranks rather than filters: what
    // holds it comes first.
    assert_eq!(
        go_to(&mut repo, "ada l"),
        [
            "contact: Ada Lovelace",
            "note: Ada's birthday party",
            "note: Canada trip"
        ]
    );
    assert_eq!(
        go_to(&mut repo, "ada b"),
        [
            "note: Ada's birthday party",
            "contact: Ada Lovelace",
            "note: Canada trip"
        ]
    );
    assert!(go_to(&mut repo, "  ").is_empty());

    // A renamed note is found by its new title only.
    let groceries = repo
        .list_notes(&NoteQuery {
            search: "groceries".into(),
            ..NoteQuery::default()
        })
        .unwrap()
        .items[0]
        .id;
    at_latest!(repo.update_note(groceries, "Shopping list", "Ada likes lemons")).unwrap();
    assert!(go_to(&mut repo, "groceries").is_empty());
    assert_eq!(go_to(&mut repo, "shopping"), ["note: Shopping list"]);
}

#[test]
fn go_to_finds_the_name_that_starts_with_the_text_among_many_that_contain_it() {
    let mut repo = repo();
    // Thirty names that hold "ann" inside and sort before Anna: more than the candidates
    // read in name order.
    let many: Vec<ContactDraft> = (0..30)
        .map(|i| ContactDraft {
            given_name: "Aa".into(),
            family_name: format!("Mann{i:02}"),
            ..ContactDraft::default()
        })
        .collect();
    repo.import_contacts(&many).unwrap();
    repo.create_contact(&ContactDraft {
        given_name: "Anna".into(),
        family_name: "Smith".into(),
        ..ContactDraft::default()
    })
    .unwrap();
    repo.create_contact(&ContactDraft {
        given_name: "Zed".into(),
        family_name: "Annandale".into(),
        ..ContactDraft::default()
    })
    .unwrap();
    let found = go_to(&mut repo, "ann");
    assert_eq!(found[0], "contact: Anna Smith");
    // A family name that starts with it comes next: it is at the start of a word.
    assert_eq!(found[1], "contact: Zed Annandale");
    assert_eq!(found.len(), 8);
}
