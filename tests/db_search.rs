//! Search through the index returns exactly what a plain scan with the same folding returns.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use folio::db::{
    ContactDraft, ContactQuery, IndexMerge, LabeledEmail, LabeledPhone, NewNote, NoteQuery,
};
use folio::search::{PhoneDigits, PhoneQuery, fold, matches, parse_query};
use proptest::prelude::*;

/// Characters chosen to stress the search: wildcards, escapes, quotes, accents in both forms,
/// case pairs, letters that change length when folded, CJK, emoji, digits and phone punctuation.
const ALPHABET: &[&str] = &[
    "a", "b", "A", "B", "e", "é", "É", "e\u{301}", "ü", "Ü", "u", "ß", "s", "S", "%", "_", "\\",
    "\"", "'", "*", "(", ")", "-", "+", "1", "5", "0", "東", "京", "🙂", "ﬁ", "i", "İ", "Σ", "σ",
    "ς", " ", " ", "\n",
];

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..max).prop_map(|parts| parts.concat())
}

/// Queries of one to three short terms, so 1-, 2- and 3+-character paths all run.
fn query() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::collection::vec(prop::sample::select(ALPHABET), 1..5).prop_map(|p| p.concat()),
        1..4,
    )
    .prop_map(|terms| terms.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn note_search_equals_a_plain_scan(
        docs in prop::collection::vec((text(12), text(40)), 1..30),
        queries in prop::collection::vec(query(), 1..8),
    ) {
        let mut repo = common::repo();
        let notes: Vec<NewNote> = docs
            .iter()
            .map(|(title, body)| NewNote { title: title.clone(), body: body.clone(), ..NewNote::default() })
            .collect();
        let ids = repo.import_notes(&notes).unwrap();
        for q in &queries {
            let terms = parse_query(q);
            let expected: BTreeSet<i32> = ids
                .iter()
                .zip(&docs)
                .filter(|(_, (title, body))| matches(&format!("{}\n{}", fold(title), fold(body)), &terms, PhoneDigits::Ignore))
                .map(|(id, _)| id.0)
                .collect();
            let page = repo
                .list_notes(&NoteQuery { search: q.clone(), limit: 1000, ..NoteQuery::default() })
                .unwrap();
            let found: BTreeSet<i32> = page.items.iter().map(|n| n.id.0).collect();
            prop_assert_eq!(page.total as usize, found.len());
            prop_assert_eq!(&found, &expected, "query {:?}", q);
        }
    }

    #[test]
    fn contact_search_equals_a_plain_scan(
        people in prop::collection::vec((text(8), text(8), text(10), text(10)), 1..20),
        queries in prop::collection::vec(query(), 1..8),
    ) {
        let mut repo = common::repo();
        let drafts: Vec<ContactDraft> = people
            .iter()
            .map(|(given, org, email, phone)| ContactDraft {
                given_name: given.clone(),
                organization: org.clone(),
                emails: vec![LabeledEmail { label: "work".into(), address: email.clone() }],
                phones: vec![LabeledPhone { label: "".into(), number: phone.clone() }],
                ..ContactDraft::default()
            })
            .collect();
        let ids = repo.import_contacts(&drafts).unwrap();
        for q in &queries {
            let terms = parse_query(q);
            let expected: BTreeSet<i32> = ids
                .iter()
                .zip(&people)
                .filter(|(_, (given, org, email, phone))| {
                    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
                    let document = [fold(given), fold(org), fold(email), fold(phone), digits].join("\n");
                    matches(&document, &terms, PhoneDigits::Match)
                        || PhoneQuery::parse(q, folio::db::phone_region()).is_some_and(|number| number.matches(&document))
                })
                .map(|(id, _)| id.0)
                .collect();
            let page = repo
                .list_contacts(&ContactQuery { search: q.clone(), limit: 1000, ..ContactQuery::default() })
                .unwrap();
            let found: BTreeSet<i32> = page.items.iter().map(|c| c.id.0).collect();
            prop_assert_eq!(&found, &expected, "query {:?}", q);
        }
    }
}

#[test]
fn the_scan_itself_is_not_vacuous() {
    // Guards the property above: the reference really distinguishes matches from non-matches.
    let doc = format!("{}\n{}", fold("Zürich Café"), fold("50% of user_id"));
    assert!(matches(
        &doc,
        &parse_query("zurich CAFE 50%"),
        PhoneDigits::Ignore
    ));
    assert!(!matches(&doc, &parse_query("500"), PhoneDigits::Ignore));
    assert!(!matches(&doc, &parse_query("user-id"), PhoneDigits::Ignore));
}

/// Several imports leave several index segments; merging them, either way, must change no
/// result and must finish.
#[test]
fn merging_the_index_changes_no_result_and_ends() {
    for how in [IndexMerge::Levels, IndexMerge::Everything] {
        let mut repo = common::repo();
        for batch in 0..4 {
            let notes: Vec<NewNote> = (0..300)
                .map(|i| NewNote {
                    title: format!("Note {batch}-{i}"),
                    body: format!("Zürich café {} th{}", i % 7, i % 3),
                    ..NewNote::default()
                })
                .collect();
            repo.import_notes(&notes).unwrap();
        }
        let queries = ["zurich", "café 3", "th", "note 2-1", "é", "-29"];
        let before: Vec<Vec<String>> = queries
            .iter()
            .map(|q| common::search(&mut repo, q))
            .collect();
        assert!(
            repo.merge_search_index_step(64, how).unwrap(),
            "four imports leave segments to merge ({how:?})"
        );
        let mut steps = 1;
        while repo.merge_search_index_step(64, how).unwrap() {
            steps += 1;
            assert!(steps < 1000, "merging never finishes ({how:?})");
        }
        let after: Vec<Vec<String>> = queries
            .iter()
            .map(|q| common::search(&mut repo, q))
            .collect();
        assert_eq!(before, after, "{how:?}");
        assert_eq!(after[0].len(), 1200);
    }
}
