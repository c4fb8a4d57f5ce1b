//! The address-book fields (middle names to profiles) through the repository: stored, replaced,
//! searched, listed as upcoming anniversaries, and moved out of the kept vCard lines of a
//! database an older Folio wrote.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use folio::db::{
    ANNIVERSARY, Birthday, ContactDraft, ContactFilter, ContactQuery, DbError, LabeledDate,
    LabeledPhone, LabeledWebsite, Profile, RelatedPerson, Repository,
};

fn jean() -> ContactDraft {
    ContactDraft {
        given_name: "Jean".into(),
        middle_name: "Baptiste".into(),
        family_name: "Dupont".into(),
        name_prefix: "Dr.".into(),
        name_suffix: "Jr.".into(),
        nickname: "JB".into(),
        organization: "Acme GmbH".into(),
        department: "Forschung".into(),
        websites: vec![LabeledWebsite {
            label: "work".into(),
            url: "https://www.acme-labs.example/team/jb".into(),
        }],
        dates: vec![
            LabeledDate {
                label: ANNIVERSARY.into(),
                date: Birthday::new(Some(2012), 6, 19).unwrap(),
            },
            LabeledDate {
                label: "Kennenlernen".into(),
                date: Birthday::new(None, 3, 1).unwrap(),
            },
        ],
        related: vec![RelatedPerson {
            label: "spouse".into(),
            name: "Marguerite Perey".into(),
        }],
        profiles: vec![Profile {
            service: "Mastodon".into(),
            handle: "@jbd@social.example".into(),
        }],
        ..ContactDraft::default()
    }
}

fn found(repo: &mut Repository, text: &str) -> Vec<String> {
    repo.list_contacts(&ContactQuery {
        search: text.into(),
        ..ContactQuery::default()
    })
    .unwrap()
    .items
    .into_iter()
    .map(|c| c.label)
    .collect()
}

#[test]
fn every_field_is_stored_and_read_back_in_order() {
    let mut repo = common::repo();
    let saved = repo.create_contact(&jean()).unwrap();
    let mut draft = repo.contact_draft(saved.id).unwrap();
    assert_eq!(draft.uuid.take().map(|u| u.len()), Some(36));
    (draft.created, draft.updated) = (None, None);
    assert_eq!(draft, jean());
    assert_eq!(saved.middle_name, "Baptiste");
    assert_eq!(saved.dates.len(), 2);
}

#[test]
fn a_save_replaces_the_many_valued_fields_whole() {
    let mut repo = common::repo();
    let saved = repo.create_contact(&jean()).unwrap();
    let mut edited = jean();
    edited.websites.clear();
    edited.dates.remove(0);
    edited.related.push(RelatedPerson {
        label: "child".into(),
        name: "Irène".into(),
    });
    edited.profiles.reverse();
    let after = repo
        .update_contact(saved.id, saved.version, &edited)
        .unwrap();
    assert!(after.websites.is_empty());
    assert_eq!(after.dates, edited.dates);
    assert_eq!(after.related, edited.related);
    // An edit over a version it did not see changes none of them.
    let stale = repo.update_contact(saved.id, saved.version, &jean());
    assert!(matches!(stale, Err(DbError::Conflict { .. })));
    assert!(repo.contact(saved.id).unwrap().websites.is_empty());
}

#[test]
fn a_date_that_is_not_in_the_calendar_is_refused() {
    let mut repo = common::repo();
    let mut draft = jean();
    draft.dates[1].date = Birthday {
        year: Some(2023),
        month: 2,
        day: 29,
    };
    assert!(matches!(
        repo.create_contact(&draft),
        Err(DbError::Invalid(_))
    ));
    assert_eq!(
        repo.list_contacts(&ContactQuery::default()).unwrap().total,
        0
    );
}

#[test]
fn nickname_department_website_host_related_names_and_handles_are_searched() {
    let mut repo = common::repo();
    repo.create_contact(&jean()).unwrap();
    repo.create_contact(&ContactDraft {
        given_name: "Someone".into(),
        family_name: "Else".into(),
        ..ContactDraft::default()
    })
    .unwrap();
    for term in [
        "baptiste",
        "jb",
        "forsch",
        "acme-labs",
        "perey",
        "jbd@social",
    ] {
        assert_eq!(
            found(&mut repo, term),
            ["Dr. Jean Baptiste Dupont Jr."],
            "{term}"
        );
    }
    // The host, not the whole address: "https" and the path find nothing.
    assert!(found(&mut repo, "https").is_empty());
    assert!(found(&mut repo, "team").is_empty());
}

#[test]
fn a_contact_with_only_a_phone_number_is_shown_by_it() {
    let mut repo = common::repo();
    let saved = repo
        .create_contact(&ContactDraft {
            phones: vec![LabeledPhone {
                label: "mobile".into(),
                number: "+33 6 98 76 54 32".into(),
            }],
            ..ContactDraft::default()
        })
        .unwrap();
    let page = repo.list_contacts(&ContactQuery::default()).unwrap();
    assert_eq!(page.items[0].label, "+33 6 98 76 54 32");
    assert_eq!(
        repo.contact_draft(saved.id).unwrap().label(),
        "+33 6 98 76 54 32"
    );
}

#[test]
fn upcoming_birthdays_list_anniversaries_too_soonest_first() {
    let mut repo = common::repo();
    let today = NaiveDate::from_ymd_opt(2026, 6, 10).unwrap();
    repo.create_contact(&jean()).unwrap(); // anniversary 19 June
    repo.create_contact(&ContactDraft {
        display_name: "Birthday on the 12th".into(),
        birthday: Birthday::new(None, 6, 12),
        ..ContactDraft::default()
    })
    .unwrap();
    repo.create_contact(&ContactDraft {
        display_name: "Anniversary far away".into(),
        dates: vec![LabeledDate {
            label: ANNIVERSARY.into(),
            date: Birthday::new(None, 12, 1).unwrap(),
        }],
        ..ContactDraft::default()
    })
    .unwrap();
    let trashed = repo
        .create_contact(&ContactDraft {
            display_name: "In the trash".into(),
            dates: vec![LabeledDate {
                label: "Anniversary".into(),
                date: Birthday::new(None, 6, 11).unwrap(),
            }],
            ..ContactDraft::default()
        })
        .unwrap();
    repo.trash_contact(trashed.id, trashed.version).unwrap();
    repo.create_contact(&ContactDraft {
        display_name: "Capital A".into(),
        dates: vec![LabeledDate {
            label: "Anniversary".into(),
            date: Birthday::new(None, 6, 15).unwrap(),
        }],
        ..ContactDraft::default()
    })
    .unwrap();
    repo.create_contact(&ContactDraft {
        display_name: "Another kind of date".into(),
        dates: vec![LabeledDate {
            label: "Kennenlernen".into(),
            date: Birthday::new(None, 6, 11).unwrap(),
        }],
        ..ContactDraft::default()
    })
    .unwrap();
    let page = repo
        .list_contacts(&ContactQuery {
            filter: ContactFilter::UpcomingBirthdays { today },
            ..ContactQuery::default()
        })
        .unwrap();
    let names: Vec<&str> = page.items.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        names,
        [
            "Birthday on the 12th",
            "Capital A",
            "Dr. Jean Baptiste Dupont Jr."
        ],
        "the trashed contact's anniversary is not listed"
    );
    assert_eq!(page.total, 3);
    assert_eq!(page.items[2].anniversary, Birthday::new(Some(2012), 6, 19));
    assert_eq!(page.items[1].anniversary, Birthday::new(None, 6, 15));
}

/// A database as an older Folio left it: the fields sat in the kept vCard lines (with Apple's
/// label groups), the middle name was glued to the first name and the department to the
/// organisation. The file is made with this build, then put back the way the old one wrote it.
#[test]
fn an_upgrade_moves_the_kept_lines_into_the_fields_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.folio");
    let id = {
        let mut repo = Repository::open(&path).unwrap();
        repo.create_contact(&ContactDraft {
            given_name: "Other".into(),
            ..ContactDraft::default()
        })
        .unwrap()
        .id
    };
    let kept = "N:Dupont;Jean;Baptiste;Dr.;\r\n\
                NICKNAME:JB\r\n\
                item1.URL:https://jb.example\r\n\
                item1.X-ABLabel:_$!<HomePage>!$_\r\n\
                item2.X-ABDATE:2012-06-19\r\n\
                item2.X-ABLabel:_$!<Anniversary>!$_\r\n\
                item3.X-ABRELATEDNAMES:Marguerite\r\n\
                item3.X-ABLabel:_$!<Spouse>!$_\r\n\
                IMPP;X-SERVICE-TYPE=Skype:skype:jb.dupont\r\n\
                X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Pierre;1;;;;;;;;;;;;;\r\n\
                item4.X-ABADR:fr\r\n\
                X-CUSTOM-THING:kept as is\r\n";
    {
        let mut raw = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
        raw.batch_execute(&format!(
            "UPDATE contacts SET given_name = 'Jean Baptiste', family_name = 'Dupont', \
             organization = 'Acme GmbH; Forschung', card_extra = '{}' WHERE id = {};
             INSERT INTO pending_upgrades (step) VALUES ('kept_card_fields');",
            kept.replace('\'', "''"),
            id.0
        ))
        .unwrap();
    }
    let mut repo = Repository::open(&path).unwrap();
    let c = repo.contact(id).unwrap();
    assert_eq!(
        (
            c.given_name.as_str(),
            c.middle_name.as_str(),
            c.family_name.as_str(),
            c.name_prefix.as_str()
        ),
        ("Jean", "Baptiste", "Dupont", "Dr.")
    );
    assert_eq!(
        (c.organization.as_str(), c.department.as_str()),
        ("Acme GmbH", "Forschung")
    );
    assert_eq!(c.nickname, "JB");
    assert_eq!(
        c.websites,
        [LabeledWebsite {
            label: "homepage".into(),
            url: "https://jb.example".into()
        }]
    );
    assert_eq!(
        c.dates,
        [LabeledDate {
            label: ANNIVERSARY.into(),
            date: Birthday::new(Some(2012), 6, 19).unwrap()
        }]
    );
    assert_eq!(
        c.related,
        [RelatedPerson {
            label: "spouse".into(),
            name: "Marguerite".into()
        }]
    );
    assert_eq!(
        c.profiles,
        [Profile {
            service: "Skype".into(),
            handle: "jb.dupont".into()
        }]
    );
    // What Folio has no field for stays, and nothing it moved.
    for stays in [
        "X-ABADR",
        "X-CUSTOM-THING",
        "vnd.android.cursor.item/relation",
    ] {
        assert!(c.card_extra.contains(stays), "{stays} in {}", c.card_extra);
    }
    for moved in [
        "NICKNAME",
        "URL",
        "X-ABDATE",
        "RELATEDNAMES",
        "IMPP",
        "HomePage",
        "\nN:",
    ] {
        assert!(!c.card_extra.contains(moved), "{moved} in {}", c.card_extra);
    }
    // The search index knows the moved fields.
    assert_eq!(found(&mut repo, "marguerite"), ["Dr. Jean Baptiste Dupont"]);
    // The step ran once: the next open finds nothing pending.
    drop(repo);
    let mut raw = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    let pending: i64 = diesel::RunQueryDsl::get_result(
        diesel::dsl::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT count(*) FROM pending_upgrades)",
        )),
        &mut raw,
    )
    .unwrap();
    assert_eq!(pending, 0);
}

#[test]
fn a_backup_from_before_the_fields_restores_into_them() {
    let mut repo = common::repo();
    let old = folio::db::ContactRecord {
        contact: ContactDraft {
            given_name: "Jean".into(),
            organization: "Smith; Jones LLP".into(),
            card_extra: "NICKNAME:JB\r\nitem1.URL:https://jb.example\r\n\
                         item1.X-ABLabel:_$!<HomePage>!$_\r\nX-CUSTOM:kept\r\n"
                .into(),
            uuid: Some("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into()),
            ..ContactDraft::default()
        },
        deleted: None,
    };
    repo.merge_records(&folio::db::Records {
        notes: Vec::new(),
        contacts: vec![old],
        ..Default::default()
    })
    .unwrap();
    let id = repo.list_contacts(&ContactQuery::default()).unwrap().items[0].id;
    let c = repo.contact(id).unwrap();
    assert_eq!(c.nickname, "JB");
    assert_eq!(c.websites[0].url, "https://jb.example");
    assert_eq!(c.card_extra, "X-CUSTOM:kept\r\n");
    assert_eq!(
        c.organization, "Smith; Jones LLP",
        "an organisation as typed is not split"
    );
    assert_eq!(
        found(&mut repo, "jb.example"),
        ["Jean"],
        "indexed with its fields"
    );
}
