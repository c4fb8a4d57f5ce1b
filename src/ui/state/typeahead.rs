//! A text input that suggests names as the user types: tags on a note, groups on a contact
//! (both are rows of the tags table). The suggestions come from the list thread; the ones
//! shown stay until the answer for the new text arrives.

use crate::db::Tag;
use crate::search::fold;

/// How many suggestions show under the input.
pub const SUGGESTIONS_SHOWN: usize = 6;

#[derive(Debug, Default)]
pub struct Typeahead {
    /// What is typed.
    pub input: String,
    /// Names to suggest, those already chosen left out.
    pub suggestions: Vec<String>,
    /// The text the suggestions were asked for (trimmed).
    pub asked_for: Option<String>,
    /// The request out for suggestions, by its generation.
    pub pending: Option<u64>,
}

impl Typeahead {
    /// The text to ask suggestions for, when it changed since the last request.
    pub fn wanted(&self) -> Option<String> {
        let text = self.input.trim();
        (!text.is_empty() && self.asked_for.as_deref() != Some(text)).then(|| text.to_owned())
    }

    /// Notes a request for `text` as sent.
    pub fn asked(&mut self, text: String, generation: u64) {
        self.asked_for = Some(text);
        self.pending = Some(generation);
    }

    /// Takes the answer to request `generation`, if it is the newest, leaving out what is
    /// `chosen` already. Returns whether it was this input's.
    pub fn receive(&mut self, generation: u64, found: &[Tag], chosen: &[String]) -> bool {
        if self.pending != Some(generation) {
            return false;
        }
        self.pending = None;
        self.suggestions = found
            .iter()
            .filter(|tag| !chosen.iter().any(|own| fold(own) == fold(&tag.name)))
            .take(SUGGESTIONS_SHOWN)
            .map(|tag| tag.name.clone())
            .collect();
        true
    }

    /// Forgets a request that failed: its answer will not come.
    pub fn forget(&mut self, generation: u64) -> bool {
        let mine = self.pending == Some(generation);
        if mine {
            self.pending = None;
            self.suggestions.clear();
        }
        mine
    }

    /// After a name was added: the input empties, and so do the suggestions.
    pub fn clear(&mut self) {
        self.input.clear();
        self.suggestions.clear();
        self.asked_for = None;
        self.pending = None;
    }

    /// How many to ask for, so that enough remain once the `chosen` are left out.
    pub fn limit(chosen: usize) -> i64 {
        (SUGGESTIONS_SHOWN + chosen) as i64
    }

    /// The suggestions to show: none while the input is empty.
    pub fn shown(&self) -> &[String] {
        if self.input.trim().is_empty() {
            &[]
        } else {
            &self.suggestions
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(name: &str) -> Tag {
        Tag {
            id: crate::db::TagId(1),
            name: name.to_owned(),
        }
    }

    #[test]
    fn only_the_newest_answer_counts_and_chosen_names_are_left_out() {
        let mut typeahead = Typeahead {
            input: "wo".to_owned(),
            ..Typeahead::default()
        };
        let text = typeahead.wanted().unwrap();
        typeahead.asked(text, 1);
        typeahead.input = "wor".to_owned();
        let text = typeahead.wanted().unwrap();
        typeahead.asked(text, 2);
        assert!(!typeahead.receive(1, &[tag("wobble")], &[]));
        assert!(typeahead.suggestions.is_empty());
        assert!(typeahead.receive(2, &[tag("Work"), tag("world")], &["work".to_owned()]));
        assert_eq!(typeahead.suggestions, ["world"]);
        assert_eq!(typeahead.wanted(), None, "asked already");
    }
}
