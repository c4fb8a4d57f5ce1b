//! Comparing a note's revisions: the first line that changed (for the History list) and the
//! two texts side by side with the changed lines and, inside them, the changed words marked.
//! No UI and no SQL.

use std::time::{Duration, Instant};

use similar::{ChangeTag, TextDiff};

/// How long a comparison may take before it settles for whole changed lines: a frame, about.
/// (Word-by-word marks of two long, very different texts would otherwise take seconds.)
const DIFF_TIME_LIMIT: Duration = Duration::from_millis(30);
/// The longest "first changed line" the list shows.
const LINE_SHOWN_CHARS: usize = 80;

/// How a piece of one side of a comparison reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// The same on both sides.
    Same,
    /// On a line that changed, in words that did not.
    ChangedLine,
    /// Words only this side has.
    ChangedWords,
}

/// One side of a comparison: its text in pieces, each marked.
pub type Side = Vec<(Mark, String)>;

/// An older and a newer text side by side.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    pub older: Side,
    pub newer: Side,
    /// Lines only the older text has, and lines only the newer has.
    pub lines_removed: usize,
    pub lines_added: usize,
}

/// Compares two texts line by line, marking the words that differ inside changed lines.
pub fn compare(older: &str, newer: &str) -> Comparison {
    let deadline = Instant::now() + DIFF_TIME_LIMIT;
    let diff = TextDiff::configure()
        .deadline(deadline)
        .diff_lines(older, newer);
    let mut comparison = Comparison::default();
    for op in diff.ops() {
        for change in diff.iter_inline_changes_deadline(op, Some(deadline)) {
            let (side, whole) = match change.tag() {
                ChangeTag::Equal => {
                    let text: String = change.iter_strings_lossy().map(|(_, s)| s).collect();
                    push(&mut comparison.older, Mark::Same, &text);
                    push(&mut comparison.newer, Mark::Same, &text);
                    continue;
                }
                ChangeTag::Delete => {
                    comparison.lines_removed += 1;
                    (&mut comparison.older, Mark::ChangedLine)
                }
                ChangeTag::Insert => {
                    comparison.lines_added += 1;
                    (&mut comparison.newer, Mark::ChangedLine)
                }
            };
            for (emphasized, text) in change.iter_strings_lossy() {
                let mark = if emphasized {
                    Mark::ChangedWords
                } else {
                    whole
                };
                push(side, mark, &text);
            }
            // A last line without its newline still ends here.
            if change.missing_newline() {
                push(side, whole, "\n");
            }
        }
    }
    comparison
}

/// Appends to a side, joining a piece to the one before when they read alike.
fn push(side: &mut Side, mark: Mark, text: &str) {
    if text.is_empty() {
        return;
    }
    match side.last_mut() {
        Some((last, joined)) if *last == mark => joined.push_str(text),
        _ => side.push((mark, text.to_owned())),
    }
}

/// The first line of `older` that `newer` does not have in its place, trimmed and cut short,
/// for a line in the History list: "" when the bodies are the same.
pub fn first_changed_line(older: &str, newer: &str) -> String {
    let mut old_lines = older.lines();
    let mut new_lines = newer.lines();
    loop {
        match (old_lines.next(), new_lines.next()) {
            (None, None) => return String::new(),
            (Some(a), Some(b)) if a == b => continue,
            (a, b) => {
                if let Some(line) = words_of(a).or(words_of(b)) {
                    return shortened(line);
                }
                // A blank line added or removed: the change worth naming comes after.
            }
        }
    }
}

/// A line trimmed, when it has anything but blanks.
fn words_of(line: Option<&str>) -> Option<&str> {
    line.map(str::trim).filter(|l| !l.is_empty())
}

fn shortened(line: &str) -> String {
    if line.chars().count() <= LINE_SHOWN_CHARS {
        return line.to_owned();
    }
    let mut cut: String = line.chars().take(LINE_SHOWN_CHARS - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(side: &Side) -> String {
        side.iter().map(|(_, t)| t.as_str()).collect()
    }

    fn marked(side: &Side, mark: Mark) -> Vec<&str> {
        side.iter()
            .filter(|(m, _)| *m == mark)
            .map(|(_, t)| t.as_str())
            .collect()
    }

    #[test]
    fn each_side_reads_as_its_text() {
        let older = "Shopping\ntwo eggs\nflour\n";
        let newer = "Shopping\nthree eggs\nflour\nmilk";
        let comparison = compare(older, newer);
        assert_eq!(text_of(&comparison.older), older);
        assert_eq!(text_of(&comparison.newer), format!("{newer}\n"));
        assert_eq!((comparison.lines_removed, comparison.lines_added), (1, 2));
    }

    #[test]
    fn only_the_changed_words_are_marked_as_such() {
        let comparison = compare("Buy two eggs today\n", "Buy three eggs today\n");
        assert_eq!(marked(&comparison.older, Mark::ChangedWords), ["two"]);
        assert_eq!(marked(&comparison.newer, Mark::ChangedWords), ["three"]);
        assert!(
            marked(&comparison.newer, Mark::ChangedLine)
                .concat()
                .contains("eggs")
        );
    }

    #[test]
    fn the_same_text_has_nothing_marked() {
        let comparison = compare("a\nb\n", "a\nb\n");
        assert_eq!(comparison.older, vec![(Mark::Same, "a\nb\n".to_owned())]);
        assert_eq!((comparison.lines_removed, comparison.lines_added), (0, 0));
    }

    #[test]
    fn the_first_changed_line_is_the_older_texts_when_it_has_one() {
        assert_eq!(
            first_changed_line("a\nold line\nc", "a\nnew line\nc"),
            "old line"
        );
        assert_eq!(first_changed_line("a\n", "a\nadded"), "added");
        assert_eq!(first_changed_line("a\nb", "a\nb"), "");
        assert_eq!(first_changed_line("a\ncut", "a"), "cut");
        assert_eq!(first_changed_line("a\n\nold", "a\n"), "old");
        let long = "x".repeat(200);
        assert_eq!(
            first_changed_line(&long, "").chars().count(),
            LINE_SHOWN_CHARS
        );
    }
}
