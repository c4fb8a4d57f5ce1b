//! Find duplicates and the merge window, driven like a user would: Contacts → Find
//! duplicates…, compare a pair, pick a value, merge, then Undo.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_support;

use egui_kittest::kittest::Queryable;
use folio::db::{ContactDraft, ContactQuery, LabeledEmail, LabeledPhone, Repository};
use ui_support::App;

fn seed(repo: &mut Repository) {
    repo.create_contact(&ContactDraft {
        given_name: "Ann".into(),
        family_name: "Lee".into(),
        emails: vec![LabeledEmail {
            label: "home".into(),
            address: "ann@x.example".into(),
        }],
        groups: vec!["Friends".into()],
        ..ContactDraft::default()
    })
    .unwrap();
    repo.create_contact(&ContactDraft {
        given_name: "Annie".into(),
        family_name: "Lee".into(),
        organization: "Acme".into(),
        emails: vec![LabeledEmail {
            label: "work".into(),
            address: "ANN@x.example".into(),
        }],
        phones: vec![LabeledPhone {
            label: "mobile".into(),
            number: "+44 7700 900123".into(),
        }],
        ..ContactDraft::default()
    })
    .unwrap();
    repo.create_contact(&ContactDraft {
        given_name: "Someone".into(),
        family_name: "Else".into(),
        ..ContactDraft::default()
    })
    .unwrap();
}

fn live(repo: &mut Repository) -> Vec<String> {
    repo.list_contacts(&ContactQuery::default())
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.label)
        .collect()
}

#[test]
fn a_pair_found_is_merged_with_the_chosen_name_and_one_undo_restores_both() {
    let mut app = App::start(seed);
    let before: Vec<ContactDraft> = {
        let mut repo = app.repo();
        let ids: Vec<_> = repo
            .list_contacts(&ContactQuery::default())
            .unwrap()
            .items
            .into_iter()
            .map(|c| c.id)
            .collect();
        ids.into_iter()
            .map(|id| repo.contact_draft(id).unwrap())
            .collect()
    };
    app.click("Contacts");
    app.click("Find duplicates…");
    app.harness
        .get_by_label("1 pair that may be one person each. Compare a pair to merge it.");
    app.click("Compare Ann Lee and Annie Lee");
    // The first names differ: the user keeps the other's.
    app.click("Keep First name Annie");
    app.harness.get_by_label_contains("ann@x.example");
    app.click("Merge");

    let mut repo = app.repo();
    assert_eq!(live(&mut repo), ["Annie Lee", "Someone Else"]);
    let merged_id = repo.list_contacts(&ContactQuery::default()).unwrap().items[0].id;
    let merged = repo.contact(merged_id).unwrap();
    assert_eq!(merged.organization, "Acme");
    assert_eq!(merged.emails.len(), 1, "the same address once");
    assert_eq!(merged.phones.len(), 1);
    assert_eq!(merged.groups[0].name, "Friends");
    // The merged contact is open.
    assert_eq!(
        app.harness.get_by_label("First name").value().as_deref(),
        Some("Annie")
    );

    app.click("Undo");
    assert_eq!(live(&mut repo), ["Ann Lee", "Annie Lee", "Someone Else"]);
    let ids: Vec<_> = repo
        .list_contacts(&ContactQuery::default())
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.id)
        .collect();
    let after: Vec<ContactDraft> = ids
        .into_iter()
        .map(|id| repo.contact_draft(id).unwrap())
        .collect();
    assert_eq!(after, before, "both exactly as they were");
}

#[test]
fn no_duplicates_is_said_in_words() {
    let mut app = App::start(|repo| {
        repo.create_contact(&ContactDraft {
            given_name: "Only".into(),
            ..ContactDraft::default()
        })
        .unwrap();
    });
    app.click("Contacts");
    app.click("Find duplicates…");
    app.harness
        .get_by_label_contains("No likely duplicates: no two contacts");
}
