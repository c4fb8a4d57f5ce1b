//! Finding duplicates across the book and merging two contacts into one: what the merged
//! contact holds (a property test: no value is lost unless the user chose another), the merge
//! and its undo as one transaction each, and `folio duplicates`.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use folio::db::{
    Birthday, ContactDraft, ContactQuery, DbError, DuplicateReason, LabeledEmail, LabeledPhone,
    NewNote, OneValued, PostalAddress, Repository, conflicts, merged,
};
use proptest::prelude::*;

fn email(address: &str) -> LabeledEmail {
    LabeledEmail {
        label: "home".into(),
        address: address.into(),
    }
}

fn phone(number: &str) -> LabeledPhone {
    LabeledPhone {
        label: "mobile".into(),
        number: number.into(),
    }
}

fn person(given: &str, family: &str) -> ContactDraft {
    ContactDraft {
        given_name: given.into(),
        family_name: family.into(),
        ..ContactDraft::default()
    }
}

#[test]
fn one_valued_fields_are_chosen_and_the_rest_is_joined_without_doubles() {
    let kept = ContactDraft {
        organization: "Acme".into(),
        job_title: "Chemist".into(),
        emails: vec![email("jb@acme.example")],
        phones: vec![phone("+33 6 98 76 54 32")],
        groups: vec!["Work".into()],
        notes: "Met in Lyon.".into(),
        ..person("Jean", "Dupont")
    };
    let other = ContactDraft {
        organization: "Acme GmbH".into(),
        nickname: "JB".into(),
        birthday: Birthday::new(None, 3, 14),
        emails: vec![email("JB@acme.example"), email("jean@home.example")],
        phones: vec![phone("+33698765432")],
        groups: vec!["work".into(), "Friends".into()],
        notes: "Likes tea.".into(),
        favorite: true,
        ..person("Jean", "Dupont")
    };
    assert_eq!(conflicts(&kept, &other), [OneValued::Organization]);

    let keep_ours = merged(&kept, &other, &[]);
    assert_eq!(keep_ours.organization, "Acme");
    assert_eq!(
        keep_ours.nickname, "JB",
        "an empty field takes the other's value"
    );
    assert_eq!(keep_ours.birthday, Birthday::new(None, 3, 14));
    assert_eq!(
        keep_ours.emails,
        [email("jb@acme.example"), email("jean@home.example")]
    );
    assert_eq!(keep_ours.phones, [phone("+33 6 98 76 54 32")]);
    assert_eq!(keep_ours.groups, ["Work", "Friends"]);
    assert_eq!(keep_ours.notes, "Met in Lyon.\n\nLikes tea.");
    assert!(keep_ours.favorite);

    let take_theirs = merged(&kept, &other, &[OneValued::Organization]);
    assert_eq!(take_theirs.organization, "Acme GmbH");
}

fn random_person() -> impl Strategy<Value = ContactDraft> {
    (
        (
            prop::sample::select(&["", "Jean", "Ann", "Zoë"][..]),
            prop::sample::select(&["", "Dupont", "Lee"][..]),
            prop::sample::select(&["", "Acme", "Initech"][..]),
            prop::option::of((1u8..=12, 1u8..=28)),
            prop::sample::select(&["", "Met in Lyon.", "Likes tea."][..]),
            any::<bool>(),
        ),
        prop::collection::vec(
            prop::sample::select(&["a@x.example", "A@X.example", "b@y.example"][..]),
            0..3,
        ),
        prop::collection::vec(
            prop::sample::select(&["+33 6 98 76 54 32", "+33698765432", "555 0100"][..]),
            0..3,
        ),
        prop::collection::vec(prop::sample::select(&["Work", "work", "Friends"][..]), 0..3),
        prop::collection::vec(
            prop::sample::select(&["1 Main St", "12 rue des Écoles"][..]),
            0..2,
        ),
        common::address_book::address_book_fields(),
    )
        .prop_map(
            |(
                (given, family, org, birthday, notes, favorite),
                emails,
                phones,
                groups,
                streets,
                fields,
            )| {
                let mut draft = ContactDraft {
                    organization: org.into(),
                    birthday: birthday.and_then(|(m, d)| Birthday::new(None, m, d)),
                    notes: notes.into(),
                    favorite,
                    emails: emails.into_iter().map(email).collect(),
                    phones: phones.into_iter().map(phone).collect(),
                    groups: groups.into_iter().map(str::to_owned).collect(),
                    addresses: streets
                        .into_iter()
                        .map(|street| PostalAddress {
                            street: street.into(),
                            ..PostalAddress::default()
                        })
                        .collect(),
                    ..person(given, family)
                };
                fields.fill(&mut draft);
                draft
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Merging never loses a value without the user choosing it.
    #[test]
    fn merging_loses_only_the_values_the_user_chose_against(
        kept in random_person(),
        other in random_person(),
        picks in prop::collection::vec(any::<bool>(), 12),
    ) {
        let choosable = conflicts(&kept, &other);
        let chosen: Vec<OneValued> = choosable
            .iter()
            .zip(&picks)
            .filter(|(_, pick)| **pick)
            .map(|(field, _)| *field)
            .collect();
        let result = merged(&kept, &other, &chosen);
        for field in OneValued::ALL {
            let (a, b, m) = (field.text(&kept), field.text(&other), field.text(&result));
            let expected = if a.is_empty() || chosen.contains(&field) && !b.is_empty() { &b } else { &a };
            prop_assert_eq!(&m, expected, "{:?}", field);
        }
        let key = |s: &str| s.trim().to_lowercase();
        for e in kept.emails.iter().chain(&other.emails) {
            prop_assert!(result.emails.iter().any(|r| key(&r.address) == key(&e.address)));
        }
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        for p in kept.phones.iter().chain(&other.phones) {
            prop_assert!(result.phones.iter().any(|r| digits(&r.number) == digits(&p.number)));
        }
        for a in kept.addresses.iter().chain(&other.addresses) {
            prop_assert!(result.addresses.iter().any(|r| r.street == a.street));
        }
        for g in kept.groups.iter().chain(&other.groups) {
            prop_assert!(result.groups.iter().any(|r| r.eq_ignore_ascii_case(g)));
        }
        for w in kept.websites.iter().chain(&other.websites) {
            prop_assert!(result.websites.iter().any(|r| key(&r.url) == key(&w.url)));
        }
        for d in kept.dates.iter().chain(&other.dates) {
            prop_assert!(result.dates.iter().any(|r| r.date == d.date));
        }
        for r in kept.related.iter().chain(&other.related) {
            prop_assert!(result.related.iter().any(|m| m.name.to_lowercase() == r.name.to_lowercase()));
        }
        for p in kept.profiles.iter().chain(&other.profiles) {
            prop_assert!(result.profiles.iter().any(|m| key(&m.handle) == key(&p.handle)));
        }
        for notes in [&kept.notes, &other.notes] {
            prop_assert!(result.notes.contains(notes.trim()));
        }
        prop_assert_eq!(result.favorite, kept.favorite || other.favorite);
        // And without doubles: merging the result with either again adds nothing.
        prop_assert_eq!(merged(&result, &other, &[]).emails.len(), result.emails.len());
        prop_assert_eq!(merged(&result, &kept, &[]).phones.len(), result.phones.len());
    }
}

#[test]
fn a_merge_keeps_both_notes_and_groups_and_one_undo_restores_both() {
    let mut repo = common::repo();
    let kept = repo
        .create_contact(&ContactDraft {
            emails: vec![email("jb@acme.example")],
            groups: vec!["Work".into()],
            ..person("Jean", "Dupont")
        })
        .unwrap();
    let other = repo
        .create_contact(&ContactDraft {
            organization: "Acme".into(),
            phones: vec![phone("+33 6 98 76 54 32")],
            groups: vec!["Friends".into()],
            ..person("J.", "Dupont")
        })
        .unwrap();
    let note_of_other = common::note(&mut repo, "Lunch with JB", "");
    let note_of_both = common::note(&mut repo, "Project", "");
    repo.link_note_contact(note_of_other, other.id).unwrap();
    repo.link_note_contact(note_of_both, other.id).unwrap();
    repo.link_note_contact(note_of_both, kept.id).unwrap();
    let before_kept = repo.contact_draft(kept.id).unwrap();
    let before_other = repo.contact_draft(other.id).unwrap();

    let a = repo.contact_draft(kept.id).unwrap();
    let b = repo.contact_draft(other.id).unwrap();
    assert_eq!(conflicts(&a, &b), [OneValued::GivenName]);
    let result = merged(&a, &b, &[]);
    let undo = repo
        .merge_contacts((kept.id, kept.version), (other.id, other.version), &result)
        .unwrap();

    let after = repo.contact(kept.id).unwrap();
    assert_eq!(after.given_name, "Jean");
    assert_eq!(after.organization, "Acme");
    assert_eq!(after.phones, [phone("+33 6 98 76 54 32")]);
    let groups: Vec<&str> = after.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(groups, ["Friends", "Work"]);
    let mut notes: Vec<String> = repo
        .notes_about_contact_page(kept.id, 10)
        .unwrap()
        .items
        .into_iter()
        .map(|n| n.title)
        .collect();
    notes.sort();
    assert_eq!(notes, ["Lunch with JB", "Project"]);
    assert!(
        repo.contact(other.id).unwrap().deleted.is_some(),
        "in the trash"
    );
    let listed = repo.list_contacts(&ContactQuery::default()).unwrap();
    assert_eq!(listed.total, 1);
    // The merged contact is found by what the other had.
    let found = repo
        .list_contacts(&ContactQuery {
            search: "698765432".into(),
            ..ContactQuery::default()
        })
        .unwrap();
    assert_eq!(found.items[0].id, kept.id);

    repo.undo_merge(&undo).unwrap();
    let restored_kept = repo.contact_draft(kept.id).unwrap();
    let restored_other = repo.contact_draft(other.id).unwrap();
    assert_eq!(restored_kept, before_kept);
    assert_eq!(restored_other, before_other);
    assert!(repo.contact(other.id).unwrap().deleted.is_none());
    let titles = |repo: &mut Repository, id| -> Vec<String> {
        let mut t: Vec<String> = repo
            .notes_about_contact_page(id, 10)
            .unwrap()
            .items
            .into_iter()
            .map(|n| n.title)
            .collect();
        t.sort();
        t
    };
    assert_eq!(titles(&mut repo, kept.id), ["Project"]);
    assert_eq!(titles(&mut repo, other.id), ["Lunch with JB", "Project"]);
    assert!(
        repo.list_contacts(&ContactQuery {
            search: "698765432".into(),
            ..ContactQuery::default()
        })
        .unwrap()
        .items
        .iter()
        .all(|c| c.id == other.id),
        "the index forgets what the kept one no longer has"
    );
}

#[test]
fn a_merge_over_a_contact_changed_meanwhile_changes_nothing() {
    let mut repo = common::repo();
    let kept = repo.create_contact(&person("Jean", "Dupont")).unwrap();
    let other = repo.create_contact(&person("Jean", "Dupont")).unwrap();
    let changed = repo
        .update_contact(
            other.id,
            other.version,
            &ContactDraft {
                nickname: "JB".into(),
                ..person("Jean", "Dupont")
            },
        )
        .unwrap();
    let a = repo.contact_draft(kept.id).unwrap();
    let result = merged(&a, &a, &[]);
    let stale = repo.merge_contacts((kept.id, kept.version), (other.id, other.version), &result);
    assert!(matches!(stale, Err(DbError::Conflict { .. })), "{stale:?}");
    assert_eq!(repo.contact(kept.id).unwrap().version, kept.version);
    assert!(repo.contact(other.id).unwrap().deleted.is_none());
    assert_eq!(repo.contact(other.id).unwrap().version, changed.version);
}

#[test]
fn duplicates_across_the_book_are_found_by_email_number_or_name_and_one_more_field() {
    let mut repo = common::repo();
    let ann = |repo: &mut Repository, draft: ContactDraft| repo.create_contact(&draft).unwrap().id;
    ann(
        &mut repo,
        ContactDraft {
            emails: vec![email("ann@x.example")],
            ..person("Ann", "Lee")
        },
    );
    ann(
        &mut repo,
        ContactDraft {
            emails: vec![email("ANN@x.example")],
            ..person("Annie", "Lee")
        },
    );
    ann(
        &mut repo,
        ContactDraft {
            phones: vec![phone("+33 6 98 76 54 32")],
            ..person("Fr", "One")
        },
    );
    ann(
        &mut repo,
        ContactDraft {
            phones: vec![phone("+34 698 76 54 32")],
            ..person("Es", "Two")
        },
    );
    ann(
        &mut repo,
        ContactDraft {
            organization: "Acme".into(),
            ..person("Jean", "Dupont")
        },
    );
    ann(
        &mut repo,
        ContactDraft {
            organization: "ACME".into(),
            ..person("Jéan", "Dupont")
        },
    );
    ann(
        &mut repo,
        ContactDraft {
            organization: "Initech".into(),
            ..person("Bob", "Roe")
        },
    );
    ann(
        &mut repo,
        ContactDraft {
            organization: "Globex".into(),
            ..person("Bob", "Roe")
        },
    );
    let found = repo.find_duplicates().unwrap();
    let pairs: Vec<(&str, &str, DuplicateReason)> = found
        .iter()
        .map(|d| (d.name.as_str(), d.other_name.as_str(), d.reason))
        .collect();
    assert_eq!(
        pairs,
        [
            ("Ann Lee", "Annie Lee", DuplicateReason::Email),
            ("Jean Dupont", "Jéan Dupont", DuplicateReason::Name),
        ],
        "France and Spain differ; two Bob Roe at different companies are two people"
    );
    assert_eq!(
        found[1].why(),
        "have the same name and the organisation Acme"
    );
}

#[test]
fn the_command_line_lists_duplicates_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.folio");
    {
        let mut repo = Repository::open(&db).unwrap();
        for name in ["Ann", "Annie"] {
            repo.create_contact(&ContactDraft {
                emails: vec![email("ann@x.example")],
                ..person(name, "Lee")
            })
            .unwrap();
        }
        repo.create_note(&NewNote::default()).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["duplicates", "--json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["duplicates"][0]["name"], "Ann Lee");
    assert_eq!(json["duplicates"][0]["other_name"], "Annie Lee");
    assert_eq!(json["duplicates"][0]["reason"], "email");
    assert_eq!(json["duplicates"][0]["shared"], "ann@x.example");
}

#[test]
fn two_photos_of_one_size_are_a_choice_and_a_trashed_contact_is_not_merged() {
    let photo = |byte: u8| folio::db::Photo {
        media_type: "image/jpeg".into(),
        url: String::new(),
        bytes: vec![0xFF, 0xD8, byte, byte].into(),
    };
    let kept = ContactDraft {
        photo: Some(photo(1)),
        ..person("Ann", "Lee")
    };
    let other = ContactDraft {
        photo: Some(photo(2)),
        ..person("Ann", "Lee")
    };
    assert_eq!(conflicts(&kept, &other), [OneValued::Photo]);
    assert_eq!(
        merged(&kept, &other, &[OneValued::Photo]).photo,
        Some(photo(2))
    );

    let mut repo = common::repo();
    let a = repo.create_contact(&kept).unwrap();
    let b = repo.create_contact(&other).unwrap();
    let trashed = repo.trash_contact(a.id, a.version).unwrap();
    let result = merged(&kept, &other, &[]);
    let refused = repo.merge_contacts((a.id, trashed), (b.id, b.version), &result);
    assert!(matches!(refused, Err(DbError::Invalid(_))), "{refused:?}");
    assert!(
        repo.contact(b.id).unwrap().deleted.is_none(),
        "nothing changed"
    );
}

#[test]
fn kept_card_lines_are_joined_whole_with_their_own_labels_and_one_uid() {
    let kept = ContactDraft {
        card_extra: format!(
            "UID:kept-uid\r\nitem1.X-FOO:foo\r\nitem1.X-ABLabel:Foo\r\nX-LONG:{}\r\n",
            "a".repeat(200)
        ),
        ..person("Ann", "Lee")
    };
    let other = ContactDraft {
        card_extra: format!(
            "UID:other-uid\r\nitem1.X-BAR:bar\r\nitem1.X-ABLabel:Bar\r\nitem2.X-BAZ:baz\r\n\
             item2.X-ABLabel:Baz\r\nX-LONG:{}\r\nX-OTHER-LONG:{}\r\n",
            "a".repeat(200),
            "a".repeat(150)
        ),
        ..person("Ann", "Lee")
    };
    // Stored as an import stores them: folded at 75 octets.
    let stored = |draft: &ContactDraft| {
        let card = format!(
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann Lee\r\n{}END:VCARD\r\n",
            draft.card_extra
        );
        folio::exchange::vcard::read_cards(&card).contacts.remove(0)
    };
    let (kept, other) = (stored(&kept), stored(&other));
    let result = merged(&kept, &other, &[]);
    let back = stored(&ContactDraft {
        card_extra: result.card_extra.clone(),
        ..person("Ann", "Lee")
    });
    let kept_lines = folio::exchange::vcard::kept_properties(&back.card_extra);
    let value = |name: &str| -> Vec<String> {
        kept_lines
            .iter()
            .filter(|(n, _)| n.ends_with(name))
            .map(|(_, v)| v.clone())
            .collect()
    };
    assert_eq!(value("X-LONG"), ["a".repeat(200)], "once, whole");
    assert_eq!(
        value("X-OTHER-LONG"),
        ["a".repeat(150)],
        "the other's, whole"
    );
    assert_eq!(value("UID"), ["kept-uid"]);
    // Each property keeps its own label: X-BAR's group was renamed away from X-FOO's.
    let group_of = |name: &str| {
        kept_lines
            .iter()
            .find(|(n, _)| n.ends_with(name))
            .map(|(n, _)| n.split('.').next().unwrap_or("").to_owned())
            .unwrap()
    };
    assert_ne!(group_of("X-FOO"), group_of("X-BAR"));
    assert_ne!(group_of("X-BAR"), group_of("X-BAZ"));
}
