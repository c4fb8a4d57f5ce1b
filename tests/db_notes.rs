//! Notes through the repository: lifecycle, tags, pins, lists, search.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{note, repo, search, titles};
use folio::db::{DbError, NewNote, NoteFilter, NoteQuery, NoteSort, Timestamp};

#[test]
fn a_note_is_created_read_updated_and_keeps_its_uuid() {
    let mut repo = repo();
    let id = note(&mut repo, "Groceries", "milk\neggs");
    let created = repo.note(id).unwrap();
    assert_eq!(created.title, "Groceries");
    assert_eq!(created.body, "milk\neggs");
    assert_eq!(created.uuid.len(), 36);
    assert!(!created.pinned);
    assert_eq!(created.deleted, None);

    let saved = at_latest!(repo.update_note(id, "Shopping", "milk\neggs\nbread")).unwrap();
    let updated = repo.note(id).unwrap();
    assert_eq!(updated.version, saved.version);
    assert_eq!(saved.version.0, created.version.0 + 1);
    assert_eq!(updated.title, "Shopping");
    assert_eq!(updated.body, "milk\neggs\nbread");
    assert_eq!(updated.uuid, created.uuid);
    assert_eq!(updated.updated, saved.updated);
    assert!(updated.updated >= created.updated);
}

#[test]
fn missing_notes_are_reported_as_not_found() {
    let mut repo = repo();
    let id = note(&mut repo, "gone", "");
    at_latest!(repo.trash_note(id)).unwrap();
    at_latest!(repo.delete_note_permanently(id)).unwrap();
    assert!(matches!(repo.note(id), Err(DbError::NotFound { .. })));
    assert!(matches!(
        at_latest!(repo.update_note(id, "x", "y")),
        Err(DbError::NotFound { .. })
    ));
    assert!(matches!(
        at_latest!(repo.trash_note(id)),
        Err(DbError::NotFound { .. })
    ));
}

#[test]
fn the_trash_lifecycle_moves_restores_and_purges() {
    let mut repo = repo();
    let keep = note(&mut repo, "keep", "");
    let bin = note(&mut repo, "bin", "");
    let purge = note(&mut repo, "purge", "");

    at_latest!(repo.trash_note(bin)).unwrap();
    at_latest!(repo.trash_note(purge)).unwrap();
    assert_eq!(titles(&mut repo, &NoteQuery::default()), ["keep"]);
    let trash = NoteQuery {
        filter: NoteFilter::Trash,
        sort: NoteSort::Title,
        ..NoteQuery::default()
    };
    assert_eq!(titles(&mut repo, &trash), ["bin", "purge"]);
    assert!(repo.note(bin).unwrap().deleted.is_some());

    at_latest!(repo.restore_note(bin)).unwrap();
    assert_eq!(repo.note(bin).unwrap().deleted, None);
    at_latest!(repo.delete_note_permanently(purge)).unwrap();
    assert!(titles(&mut repo, &trash).is_empty());

    at_latest!(repo.trash_note(keep)).unwrap();
    assert_eq!(repo.empty_note_trash().unwrap(), 1);
    assert!(repo.note(keep).is_err());
    assert_eq!(titles(&mut repo, &NoteQuery::default()), ["bin"]);
}

#[test]
fn tags_are_created_on_first_use_and_unique_ignoring_case() {
    let mut repo = repo();
    let a = note(&mut repo, "a", "");
    let b = note(&mut repo, "b", "");
    let (tags_a, _) = at_latest!(repo.set_note_tags(a, &["Work", "Zürich", " work ", ""])).unwrap();
    let names: Vec<_> = tags_a.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Work", "Zürich"]);
    let (tags_b, _) = at_latest!(repo.set_note_tags(b, &["WORK", "ZÜRICH"])).unwrap();
    // Same tags, first spelling kept.
    assert_eq!(tags_a, tags_b);

    let usage = repo.tags_with_usage().unwrap();
    assert_eq!(usage.len(), 2);
    assert!(usage.iter().all(|u| u.notes == 2 && u.contacts == 0));

    let work = tags_a[0].id;
    let by_tag = NoteQuery {
        filter: NoteFilter::Tag(work),
        sort: NoteSort::Title,
        ..NoteQuery::default()
    };
    assert_eq!(titles(&mut repo, &by_tag), ["a", "b"]);
    at_latest!(repo.set_note_tags(b, &["Zürich"])).unwrap();
    assert_eq!(titles(&mut repo, &by_tag), ["a"]);
    let listed = repo.list_notes(&by_tag).unwrap();
    assert_eq!(listed.items[0].tags.len(), 2);

    // Usage counts live notes only: a trashed note's tags stop counting until it is restored.
    at_latest!(repo.trash_note(a)).unwrap();
    let counts = |repo: &mut folio::db::Repository| -> Vec<(String, i64)> {
        repo.tags_with_usage()
            .unwrap()
            .into_iter()
            .map(|u| (u.tag.name, u.notes))
            .collect()
    };
    assert_eq!(
        counts(&mut repo),
        [("Work".to_owned(), 0), ("Zürich".to_owned(), 1)]
    );
    at_latest!(repo.restore_note(a)).unwrap();
    assert_eq!(
        counts(&mut repo),
        [("Work".to_owned(), 1), ("Zürich".to_owned(), 2)]
    );
}

#[test]
fn a_tag_nothing_uses_any_more_disappears() {
    let mut repo = repo();
    let a = note(&mut repo, "a", "");
    at_latest!(repo.set_note_tags(a, &["temporary", "kept"])).unwrap();
    at_latest!(repo.set_note_tags(a, &["kept"])).unwrap();
    let names: Vec<_> = repo
        .tags_with_usage()
        .unwrap()
        .into_iter()
        .map(|u| u.tag.name)
        .collect();
    assert_eq!(names, ["kept"]);
    at_latest!(repo.trash_note(a)).unwrap();
    at_latest!(repo.delete_note_permanently(a)).unwrap();
    assert!(repo.tags_with_usage().unwrap().is_empty());
}

#[test]
fn suggestions_find_tags_by_any_part_of_the_name() {
    let mut repo = repo();
    let a = note(&mut repo, "a", "");
    at_latest!(repo.set_note_tags(a, &["Project-Alpha", "project_beta", "home"])).unwrap();
    let names = |repo: &mut folio::db::Repository, q: &str| -> Vec<String> {
        repo.suggest_tags(q, 10)
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect()
    };
    assert_eq!(names(&mut repo, "JECT"), ["Project-Alpha", "project_beta"]);
    // "_" is literal, not LIKE's any-character.
    assert_eq!(names(&mut repo, "t_b"), ["project_beta"]);
}

#[test]
fn pinned_notes_come_first_in_every_order() {
    let mut repo = repo();
    let older = repo
        .create_note(&NewNote {
            title: "older".into(),
            created: Some(Timestamp(1_000)),
            updated: Some(Timestamp(1_000)),
            ..NewNote::default()
        })
        .unwrap()
        .id;
    repo.create_note(&NewNote {
        title: "newer".into(),
        created: Some(Timestamp(2_000)),
        updated: Some(Timestamp(2_000)),
        ..NewNote::default()
    })
    .unwrap();
    repo.create_note(&NewNote {
        title: "Alpha".into(),
        created: Some(Timestamp(1_500)),
        updated: Some(Timestamp(1_500)),
        ..NewNote::default()
    })
    .unwrap();
    let by = |sort| NoteQuery {
        sort,
        ..NoteQuery::default()
    };
    assert_eq!(
        titles(&mut repo, &by(NoteSort::Updated)),
        ["newer", "Alpha", "older"]
    );
    assert_eq!(
        titles(&mut repo, &by(NoteSort::Title)),
        ["Alpha", "newer", "older"]
    );

    at_latest!(repo.set_note_pinned(older, true)).unwrap();
    assert_eq!(
        titles(&mut repo, &by(NoteSort::Updated)),
        ["older", "newer", "Alpha"]
    );
    assert_eq!(
        titles(&mut repo, &by(NoteSort::Created)),
        ["older", "newer", "Alpha"]
    );
    assert_eq!(
        titles(&mut repo, &by(NoteSort::Title)),
        ["older", "Alpha", "newer"]
    );
    let pinned = NoteQuery {
        filter: NoteFilter::Pinned,
        ..NoteQuery::default()
    };
    assert_eq!(titles(&mut repo, &pinned), ["older"]);
}

#[test]
fn pages_partition_the_list_and_carry_the_total() {
    let mut repo = repo();
    let notes: Vec<NewNote> = (0..25)
        .map(|i| NewNote {
            title: format!("n{i:02}"),
            updated: Some(Timestamp(i)),
            ..NewNote::default()
        })
        .collect();
    repo.import_notes(&notes).unwrap();
    let mut seen = Vec::new();
    for page in 0..3 {
        let listed = repo
            .list_notes(&NoteQuery {
                offset: page * 10,
                limit: 10,
                ..NoteQuery::default()
            })
            .unwrap();
        assert_eq!(listed.total, 25);
        seen.extend(listed.items.into_iter().map(|n| n.title));
    }
    let expected: Vec<String> = (0..25).rev().map(|i| format!("n{i:02}")).collect();
    assert_eq!(seen, expected);
}

#[test]
fn a_list_row_carries_a_preview_not_the_whole_body() {
    let mut repo = repo();
    let body = "é".repeat(100_000);
    note(&mut repo, "big", &body);
    let row = &repo.list_notes(&NoteQuery::default()).unwrap().items[0];
    assert_eq!(row.preview.chars().count(), 240);
}

#[test]
fn a_page_of_notes_with_tags_takes_the_same_queries_at_any_size() {
    let mut repo = repo();
    for i in 0..60 {
        let id = note(&mut repo, &format!("n{i}"), "body");
        at_latest!(repo.set_note_tags(id, &[format!("t{}", i % 7), "all".to_owned()])).unwrap();
    }
    let counter = repo.count_queries();
    let small = repo
        .list_notes(&NoteQuery {
            limit: 2,
            ..NoteQuery::default()
        })
        .unwrap();
    let small_queries = counter.get();
    counter.reset();
    let large = repo
        .list_notes(&NoteQuery {
            limit: 50,
            ..NoteQuery::default()
        })
        .unwrap();
    let large_queries = counter.get();
    assert_eq!(small.items.len(), 2);
    assert_eq!(large.items.len(), 50);
    assert!(large.items.iter().all(|n| n.tags.len() == 2));
    assert_eq!(small_queries, large_queries);
    assert_eq!(large_queries, 3, "count, page, tags");
}

#[test]
fn search_finds_any_part_of_a_word_in_title_or_body() {
    let mut repo = repo();
    note(&mut repo, "Search tips", "");
    note(&mut repo, "Other", "the archive is large");
    note(&mut repo, "Nothing", "here");
    assert_eq!(search(&mut repo, "arch"), ["Other", "Search tips"]);
    assert_eq!(search(&mut repo, "ARCH tips"), ["Search tips"]);
    assert_eq!(search(&mut repo, "tips archive"), Vec::<String>::new());
}

#[test]
fn search_ignores_case_and_accents_for_every_letter() {
    let mut repo = repo();
    note(&mut repo, "Zürich trip", "");
    note(&mut repo, "Café", "");
    note(&mut repo, "ΣΟΦΙΑ", "");
    assert_eq!(search(&mut repo, "ZÜRICH"), ["Zürich trip"]);
    assert_eq!(search(&mut repo, "zurich"), ["Zürich trip"]);
    assert_eq!(search(&mut repo, "cafe"), ["Café"]);
    assert_eq!(search(&mut repo, "CAFÉ"), ["Café"]);
    assert_eq!(search(&mut repo, "σοφ"), ["ΣΟΦΙΑ"]);
}

#[test]
fn wildcards_in_a_query_match_literally() {
    let mut repo = repo();
    note(&mut repo, "fifty", "50% off");
    note(&mut repo, "five hundred", "500 items");
    note(&mut repo, "ident", "user_id");
    note(&mut repo, "spaced", "user id and userXid");
    note(&mut repo, "path", "C:\\temp");
    assert_eq!(search(&mut repo, "50%"), ["fifty"]);
    assert_eq!(search(&mut repo, "%"), ["fifty"]);
    assert_eq!(search(&mut repo, "user_id"), ["ident"]);
    assert_eq!(search(&mut repo, "_"), ["ident"]);
    assert_eq!(search(&mut repo, "\\"), ["path"]);
    assert_eq!(search(&mut repo, "\\temp"), ["path"]);
}

#[test]
fn terms_of_one_or_two_characters_are_exact_too() {
    let mut repo = repo();
    note(&mut repo, "東京 trip", "");
    note(&mut repo, "ends with ab", "");
    note(&mut repo, "x", "nothing");
    assert_eq!(search(&mut repo, "東京"), ["東京 trip"]);
    assert_eq!(search(&mut repo, "東"), ["東京 trip"]);
    assert_eq!(search(&mut repo, "ab"), ["ends with ab"]);
    assert_eq!(search(&mut repo, "AB th"), ["ends with ab"]);
    assert_eq!(search(&mut repo, "q"), Vec::<String>::new());
    assert_eq!(search(&mut repo, "x"), ["x"]);
}

#[test]
fn edits_and_deletes_keep_the_index_in_step() {
    let mut repo = repo();
    let id = note(&mut repo, "alpha", "first");
    at_latest!(repo.update_note(id, "beta", "second")).unwrap();
    assert!(search(&mut repo, "alpha").is_empty());
    assert!(search(&mut repo, "first").is_empty());
    assert_eq!(search(&mut repo, "second"), ["beta"]);
    at_latest!(repo.trash_note(id)).unwrap();
    assert!(search(&mut repo, "second").is_empty());
    let in_trash = NoteQuery {
        filter: NoteFilter::Trash,
        search: "SECOND".into(),
        ..NoteQuery::default()
    };
    assert_eq!(titles(&mut repo, &in_trash), ["beta"]);
    at_latest!(repo.delete_note_permanently(id)).unwrap();
    let again = note(&mut repo, "gamma", "");
    assert!(search(&mut repo, "second").is_empty());
    assert_eq!(search(&mut repo, "gamma"), ["gamma"]);
    let _ = again;
}

#[test]
fn search_combines_with_filters_and_pages() {
    let mut repo = repo();
    let notes: Vec<NewNote> = (0..30)
        .map(|i| NewNote {
            title: format!("meeting {i:02}"),
            tags: if i % 3 == 0 {
                vec!["work".into()]
            } else {
                vec![]
            },
            updated: Some(Timestamp(i)),
            ..NewNote::default()
        })
        .collect();
    repo.import_notes(&notes).unwrap();
    let work = repo.tags_with_usage().unwrap()[0].tag.id;
    let query = NoteQuery {
        filter: NoteFilter::Tag(work),
        search: "MEET".into(),
        limit: 4,
        offset: 2,
        ..NoteQuery::default()
    };
    let page = repo.list_notes(&query).unwrap();
    assert_eq!(page.total, 10);
    let got: Vec<_> = page.items.into_iter().map(|n| n.title).collect();
    assert_eq!(
        got,
        ["meeting 21", "meeting 18", "meeting 15", "meeting 12"]
    );
}

#[test]
fn a_duplicate_uuid_is_refused_as_a_duplicate() {
    let mut repo = repo();
    let first = repo
        .create_note(&NewNote {
            title: "a".into(),
            ..NewNote::default()
        })
        .unwrap();
    let copy = NewNote {
        title: "b".into(),
        uuid: Some(first.uuid.clone()),
        ..NewNote::default()
    };
    assert!(matches!(
        repo.create_note(&copy),
        Err(DbError::Duplicate { .. })
    ));
    // A failed bulk import leaves nothing behind.
    let batch = vec![
        NewNote {
            title: "c".into(),
            ..NewNote::default()
        },
        copy,
    ];
    assert!(repo.import_notes(&batch).is_err());
    assert_eq!(titles(&mut repo, &NoteQuery::default()), ["a"]);
    assert!(search(&mut repo, "c").is_empty());
}

#[test]
fn dense_and_sparse_searches_page_alike() {
    // 400 notes, most of them matching "common": pages of such a search walk the list and probe
    // the index note by note, while "rare" fetches its few hits. Both must page exactly like a
    // plain list of the matching notes.
    let mut repo = repo();
    let notes: Vec<NewNote> = (0..400)
        .map(|i| NewNote {
            title: format!("n{i:03}"),
            body: if i % 10 == 3 {
                "rare and common".into()
            } else if i % 20 == 0 {
                "other".into()
            } else {
                "common".into()
            },
            updated: Some(Timestamp(i64::from(i % 37) * 1000 + i64::from(i))),
            ..NewNote::default()
        })
        .collect();
    let ids = repo.import_notes(&notes).unwrap();
    at_latest!(repo.set_note_pinned(ids[7], true)).unwrap();
    at_latest!(repo.set_note_pinned(ids[20], true)).unwrap();
    for i in [1, 13, 55, 300] {
        at_latest!(repo.trash_note(ids[i])).unwrap();
    }
    let trashed = [1usize, 13, 55, 300];
    let matching = |word: &str| -> Vec<String> {
        let mut live: Vec<(bool, i64, usize)> = notes
            .iter()
            .enumerate()
            .filter(|(i, n)| !trashed.contains(i) && n.body.contains(word))
            .map(|(i, n)| (i == 7 || i == 20, n.updated.unwrap().0, i))
            .collect();
        live.sort_by(|a, b| b.cmp(a));
        live.into_iter()
            .map(|(_, _, i)| format!("n{i:03}"))
            .collect()
    };
    // Every "rare" note also says "common", so both words together select the "rare" notes.
    for (word, expected_word) in [
        ("common", "common"),
        ("COMMON rare", "rare"),
        ("rare", "rare"),
    ] {
        let expected = matching(expected_word);
        for (offset, limit) in [
            (0, 10),
            (10, 10),
            (expected.len() as i64 - 5, 10),
            (0, 1000),
        ] {
            let query = NoteQuery {
                search: word.into(),
                offset,
                limit,
                ..NoteQuery::default()
            };
            let page = repo.list_notes(&query).unwrap();
            assert_eq!(page.total, expected.len() as i64, "{word}");
            let got: Vec<String> = page.items.into_iter().map(|n| n.title).collect();
            let end = (offset + limit).min(expected.len() as i64) as usize;
            assert_eq!(got, expected[offset as usize..end], "{word} at {offset}");
        }
    }
}

#[test]
fn a_page_of_no_rows_is_empty_in_every_plan() {
    let mut repo = repo();
    let notes: Vec<NewNote> = (0..200)
        .map(|i| NewNote {
            title: format!("common {i}"),
            ..NewNote::default()
        })
        .collect();
    repo.import_notes(&notes).unwrap();
    for search in ["", "common", "ommon 199"] {
        let page = repo
            .list_notes(&NoteQuery {
                search: search.into(),
                limit: 0,
                ..NoteQuery::default()
            })
            .unwrap();
        assert!(
            page.items.is_empty(),
            "{search:?} gave {} rows",
            page.items.len()
        );
        assert!(page.total > 0);
    }
}

#[test]
fn search_snippets_show_where_each_note_matched() {
    let mut repo = common::repo();
    let far = common::note(
        &mut repo,
        "Far",
        &format!("{}and finally Zürich.", "filler text ".repeat(40)),
    );
    let near = common::note(&mut repo, "Near", "Zurich is first. Then a lot more.");
    let snippets = repo.search_snippets(&[far, near], "zurich").unwrap();
    assert!(snippets[&far].starts_with('…'), "{}", snippets[&far]);
    assert!(snippets[&far].contains("Zürich"));
    assert_eq!(snippets[&near], "Zurich is first. Then a lot more.");
}
