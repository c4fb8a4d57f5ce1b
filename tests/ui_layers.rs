//! The window's modules form layers: no import cycle inside `src/ui`, views never reach the
//! app or `apply`, and no drawing code touches the database (its reads go to the list thread).
//! Read from the source, as a reviewer would.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `folder`.
fn sources(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found
}

/// The top module of `src/ui` a file belongs to: `views` for `ui/views/notes.rs`, `app` for
/// `ui/app.rs`; `None` for `ui/mod.rs` itself.
fn top_module(ui: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(ui).unwrap();
    let first = relative.components().next()?.as_os_str().to_string_lossy();
    let name = first.trim_end_matches(".rs").to_owned();
    (name != "mod").then_some(name)
}

/// The names that follow `prefix` in `text`: `crate::ui::views` and `crate::ui::{views, app}`
/// both give `views`.
fn names_after(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in text.match_indices(prefix) {
        let rest = &text[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inside = &group[..group.find('}').unwrap_or(group.len())];
            for part in inside.split(',') {
                let name = ident(part.trim());
                if !name.is_empty() {
                    names.insert(name);
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                names.insert(name);
            }
        }
    }
    names
}

/// For each top module, the top modules of `src/ui` its files use.
fn uses() -> BTreeMap<String, BTreeSet<String>> {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let tops: BTreeSet<String> = sources(&ui)
        .iter()
        .filter_map(|f| top_module(&ui, f))
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in sources(&ui) {
        let Some(from) = top_module(&ui, &file) else {
            continue;
        };
        let text = fs::read_to_string(&file).unwrap();
        let nested = file.parent() != Some(ui.as_path());
        // A file directly in ui/ names its siblings `super::x`; one a folder down, `super::`
        // is its own module (and `super::super::x` a sibling).
        let mut used = names_after(&text, "crate::ui::");
        used.extend(names_after(
            &text,
            if nested { "super::super::" } else { "super::" },
        ));
        let entry = graph.entry(from.clone()).or_default();
        for to in used {
            if to != from && tops.contains(&to) {
                entry.insert(to);
            }
        }
    }
    graph
}

#[test]
fn the_window_modules_have_no_import_cycle() {
    let graph = uses();
    assert!(
        graph.contains_key("views") && graph.contains_key("state"),
        "{graph:?}"
    );
    // Depth-first, looking for a module reached again on its own path.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if let Some(at) = path.iter().position(|n| n == node) {
            panic!("import cycle: {} -> {node}", path[at..].join(" -> "));
        }
        if done.contains(node) {
            return;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, path, done);
        }
        path.pop();
        done.insert(node.to_owned());
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, &graph, &mut Vec::new(), &mut done);
    }
}

#[test]
fn views_and_widgets_know_neither_the_app_nor_apply() {
    let graph = uses();
    for layer in ["views", "widgets", "state", "actions", "command"] {
        let used = graph.get(layer).cloned().unwrap_or_default();
        assert!(
            !used.contains("app") && !used.contains("apply"),
            "{layer} uses {used:?}"
        );
    }
}

#[test]
fn no_drawing_code_touches_the_database() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    for folder in ["views", "widgets"] {
        for file in sources(&ui.join(folder)) {
            let text = fs::read_to_string(&file).unwrap();
            for (number, line) in text.lines().enumerate() {
                // The file's path is all a view may ask the repository.
                let touches = line.contains("repo.") && !line.contains("repo.path()")
                    || line.contains("Repository");
                assert!(!touches, "{}:{}: {line}", file.display(), number + 1);
            }
        }
    }
}
