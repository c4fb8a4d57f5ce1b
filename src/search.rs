//! Search text folding and query parsing: pure logic, no SQL.
//!
//! Folio's search has LIKE semantics (any substring, every term must occur) but ignores case for
//! every letter and ignores accents. Both the indexed text and the query go through [`fold`], so a
//! plain substring test on folded strings is the definition of a match. The database layer turns
//! that definition into index lookups; [`matches`] is the obviously-correct reference it is
//! tested against.

use std::fmt::Write as _;

use rustc_hash::FxHashSet;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Bump when [`fold`] or [`short_grams`] change: databases indexed with another version are
/// re-indexed when opened.
pub const FOLD_VERSION: i32 = 1;

/// Terms shorter than this (in characters, after folding) are answered by the short-gram index.
pub const TRIGRAM_MIN_CHARS: usize = 3;

/// Folds text for matching: compatibility decomposition (NFKD), combining marks (accents)
/// removed, Unicode lower case, `ß` as `ss` and final `ς` as `σ` (as Unicode case folding does).
///
/// Folding is done one character at a time, so `fold(a + b) == fold(a) + fold(b)`: a substring of
/// the original text folds to a substring of the folded text.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`], appending to `out`.
pub fn fold_into(text: &str, out: &mut String) {
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            decompose_compatible(c, |d| push_folded_char(d, out));
        }
    }
}

fn push_folded_char(c: char, out: &mut String) {
    if is_combining_mark(c) {
        return;
    }
    for lower in c.to_lowercase() {
        match lower {
            'ß' => out.push_str("ss"),
            'ς' => out.push('σ'),
            l if is_combining_mark(l) => {}
            l => out.push(l),
        }
    }
}

/// One whitespace-separated term of a query, folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The folded term; never empty, never contains whitespace.
    pub text: String,
    /// For a term that looks like (part of) a phone number, its digits alone, so "555-0100"
    /// also finds "+1 555 0100". Only contact search uses it.
    pub phone_digits: Option<String>,
}

impl Term {
    pub fn char_count(&self) -> usize {
        self.text.chars().count()
    }
}

/// Splits a query into folded terms. Terms that fold to nothing (a lone accent) are dropped, and
/// repeated terms are kept once.
pub fn parse_query(query: &str) -> Vec<Term> {
    let mut terms: Vec<Term> = Vec::new();
    for raw in query.split_whitespace() {
        let text = fold(raw);
        // Folding can produce whitespace from compatibility forms (e.g. U+2002 EN SPACE is already
        // whitespace, but "¨" decomposes to " ̈"); split again so a term never holds whitespace.
        for piece in text.split_whitespace() {
            if terms.iter().any(|t| t.text == piece) {
                continue;
            }
            terms.push(Term {
                text: piece.to_owned(),
                phone_digits: phone_digits_of_term(piece),
            });
        }
    }
    terms
}

/// Characters people type inside phone numbers besides digits.
fn is_phone_punctuation(c: char) -> bool {
    matches!(c, '+' | '-' | '(' | ')' | '.' | '/')
}

fn phone_digits_of_term(term: &str) -> Option<String> {
    let looks_like_phone = term.chars().any(|c| c.is_ascii_digit())
        && term
            .chars()
            .all(|c| c.is_ascii_digit() || is_phone_punctuation(c));
    let digits: String = term.chars().filter(char::is_ascii_digit).collect();
    (looks_like_phone && digits != term).then_some(digits)
}

/// The digits of a phone number, for the index: "+1 (555) 010-0" → "15550100".
pub fn phone_digits(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

/// A whole query that is one valid phone number, as the digits a contact's index entry holds
/// it by: "06 98 76 54 32" read in France, "+33 6 98 76 54 32" and "tel:+33698765432" all mean
/// the number whose E.164 form is +33698765432.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneQuery {
    /// The E.164 digits without the `+` ("33698765432"): found in every number written with
    /// its country ("+33 6 98…", "0033 6 98…").
    pub international: String,
    /// The national digits, trunk prefix included ("0698765432"), when the number belongs to
    /// the region numbers without a country are read in: such a number, written the national
    /// way, is this one. For another country's number they would only be a coincidence of
    /// digits (+34 698 76 54 32 is not the French 06 98 76 54 32).
    pub national: Option<String>,
}

impl PhoneQuery {
    /// Reads a query as a phone number. Only a query made of a number (digits, the punctuation
    /// people type in numbers, an optional `tel:` and extension) that libphonenumber calls
    /// valid counts, so "Ann 0698765432" stays two terms and a number half typed ("06 98 7")
    /// is searched as the digits typed.
    pub fn parse(query: &str, region: Option<phonenumber::country::Id>) -> Option<PhoneQuery> {
        let query = query.trim();
        let number = query
            .get(..4)
            .filter(|scheme| scheme.eq_ignore_ascii_case("tel:"))
            .map_or(query, |_| &query[4..]);
        let lower = number.to_ascii_lowercase();
        let without_extension = ["ext", ";ext=", "x", "#"]
            .iter()
            .filter_map(|marker| lower.find(marker))
            .min()
            .map_or(number, |at| &number[..at]);
        let digits = without_extension
            .chars()
            .filter(char::is_ascii_digit)
            .count();
        let only_number = without_extension
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || is_phone_punctuation(c));
        if digits < 7 || !only_number {
            return None;
        }
        // The extension is left out: the number with any extension, or none, is this number.
        let parsed = phonenumber::parse(region, without_extension).ok()?;
        if !parsed.is_valid() {
            return None;
        }
        let digits_of = |mode| phone_digits(&parsed.format().mode(mode).to_string());
        let national = (region.is_some() && parsed.country().id() == region)
            .then(|| digits_of(phonenumber::Mode::National));
        Some(PhoneQuery {
            international: digits_of(phonenumber::Mode::E164),
            national,
        })
    }

    /// The reference definition: the folded document of a contact holds the number in one of
    /// its forms.
    pub fn matches(&self, folded_document: &str) -> bool {
        folded_document.contains(&self.international)
            || self
                .national
                .as_deref()
                .is_some_and(|national| folded_document.contains(national))
    }
}

/// Whether phone-like terms may also match by their digits alone (contacts) or not (notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneDigits {
    Match,
    Ignore,
}

/// The reference definition of a match: every term occurs in the folded document (or, for a
/// phone-like term with [`PhoneDigits::Match`], its digits do).
pub fn matches(folded_document: &str, terms: &[Term], phone_digits: PhoneDigits) -> bool {
    terms.iter().all(|term| {
        folded_document.contains(&term.text)
            || (phone_digits == PhoneDigits::Match
                && term
                    .phone_digits
                    .as_deref()
                    .is_some_and(|d| folded_document.contains(d)))
    })
}

/// The hex token that stands for a 1- or 2-character sequence in the short-gram index.
pub fn gram_token(gram: &str) -> String {
    let mut token = String::with_capacity(gram.len() * 2 + 1);
    // A leading letter keeps the token a word for every tokenizer, whatever its first digit.
    token.push('g');
    for byte in gram.bytes() {
        let _ = write!(token, "{byte:02x}");
    }
    token
}

/// Every distinct 1- and 2-character sequence of a folded document that holds no whitespace, as
/// space-separated [`gram_token`]s. A term shorter than [`TRIGRAM_MIN_CHARS`] occurs in the
/// document exactly when its token is in this list.
pub fn short_grams(folded_document: &str) -> String {
    let mut seen: FxHashSet<(char, Option<char>)> = FxHashSet::default();
    let mut tokens = String::new();
    let mut previous: Option<char> = None;
    let mut gram = String::with_capacity(8);
    for c in folded_document.chars() {
        if c.is_whitespace() {
            previous = None;
            continue;
        }
        for pair in [(c, None), (previous.unwrap_or(c), previous.map(|_| c))] {
            if seen.insert(pair) {
                gram.clear();
                gram.push(pair.0);
                gram.extend(pair.1);
                tokens.push_str(&gram_token(&gram));
                tokens.push(' ');
            }
        }
        previous = Some(c);
    }
    tokens
}

/// Where the terms occur in `text`, as sorted, non-overlapping byte ranges of `text` itself (not
/// of its folded form), for highlighting. Uses the same folding as search, so what search found
/// is what gets marked.
pub fn match_ranges(text: &str, terms: &[Term]) -> Vec<std::ops::Range<usize>> {
    if terms.is_empty() {
        return Vec::new();
    }
    // Fold one character at a time, remembering which original character each folded byte
    // came from.
    let mut folded = String::with_capacity(text.len());
    let mut origin: Vec<usize> = Vec::with_capacity(text.len());
    for (start, c) in text.char_indices() {
        let before = folded.len();
        let mut buffer = [0u8; 4];
        fold_into(c.encode_utf8(&mut buffer), &mut folded);
        origin.extend(std::iter::repeat_n(start, folded.len() - before));
    }
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    for term in terms {
        // Overlapping occurrences too ("ana" twice in "banana"), so the marks cover all of it.
        let mut from = 0;
        while let Some(found) = folded[from..].find(term.text.as_str()) {
            let at = from + found;
            let first = origin[at];
            let last = origin[at + term.text.len() - 1];
            let end = last + text[last..].chars().next().map_or(0, char::len_utf8);
            ranges.push(first..end);
            from = at + folded[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// At most `max_chars` characters of `text` for a list row: its start, or, when the first match
/// of `terms` lies further in, a window that starts shortly before that match (after "…"), so
/// the row shows why it matched.
pub fn snippet(text: &str, terms: &[Term], max_chars: usize) -> String {
    /// Characters of context kept before the match.
    const LEAD: usize = 30;
    let prefix_end = text
        .char_indices()
        .nth(max_chars.saturating_sub(20))
        .map_or(text.len(), |(i, _)| i);
    // Most hits show in the first lines; fold the rest of a long body only when they do not.
    if prefix_end == text.len() || !match_ranges(&text[..prefix_end], terms).is_empty() {
        return text.chars().take(max_chars).collect();
    }
    let first_match = match_ranges(text, terms).first().map(|r| r.start);
    let start = match first_match {
        Some(at) if text[..at].chars().count() + 20 > max_chars => {
            let lead_start = text[..at]
                .char_indices()
                .rev()
                .nth(LEAD - 1)
                .map_or(0, |(i, _)| i);
            // Begin at a word if one starts within the lead.
            text[lead_start..at]
                .find(char::is_whitespace)
                .map_or(lead_start, |space| lead_start + space + 1)
        }
        _ => 0,
    };
    let window: String = text[start..].chars().take(max_chars).collect();
    if start == 0 {
        window
    } else {
        format!("…{window}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_ignores_case_for_every_letter() {
        assert_eq!(fold("ZÜRICH"), fold("Zürich"));
        assert_eq!(fold("ΣΟΦΙΑ"), fold("σοφια"));
        assert_eq!(fold("ΟΔΥΣΣΕΥΣ"), fold("Οδυσσευς"));
        assert_eq!(fold("ÆRØ"), "ærø");
    }

    #[test]
    fn fold_ignores_accents() {
        assert_eq!(fold("Café"), "cafe");
        assert_eq!(fold("Zürich"), "zurich");
        // Decomposed input folds like precomposed input.
        assert_eq!(fold("Cafe\u{301}"), "cafe");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("ﬁle"), "file");
    }

    #[test]
    fn fold_keeps_wildcards_and_cjk() {
        assert_eq!(fold("50% user_id \\"), "50% user_id \\");
        assert_eq!(fold("東京"), "東京");
    }

    #[test]
    fn fold_is_per_character() {
        let a = "İstanbul Ǆ ";
        let b = "ﬃ Café";
        assert_eq!(fold(&format!("{a}{b}")), format!("{}{}", fold(a), fold(b)));
    }

    #[test]
    fn query_terms_are_folded_and_deduplicated() {
        let terms = parse_query("  Café  ZÜRICH café \u{301} ");
        let texts: Vec<_> = terms.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["cafe", "zurich"]);
    }

    #[test]
    fn phone_like_terms_carry_their_digits() {
        let terms = parse_query("555-0100 (555) 5550100 abc1");
        assert_eq!(terms[0].phone_digits.as_deref(), Some("5550100"));
        assert_eq!(terms[1].phone_digits.as_deref(), Some("555"));
        // Already digits only: nothing extra to search.
        assert_eq!(terms[2].phone_digits, None);
        assert_eq!(terms[3].phone_digits, None);
    }

    #[test]
    fn matches_is_substring_of_every_term() {
        let doc = fold("Search the archive\n50% done");
        assert!(matches(&doc, &parse_query("ARCH 50%"), PhoneDigits::Ignore));
        assert!(!matches(
            &doc,
            &parse_query("arch 500"),
            PhoneDigits::Ignore
        ));
        assert!(!matches(
            &doc,
            &parse_query("arch missing"),
            PhoneDigits::Ignore
        ));
        let phone = fold("+1 555 0100\n15550100");
        assert!(matches(
            &phone,
            &parse_query("555-0100"),
            PhoneDigits::Match
        ));
        assert!(!matches(
            &phone,
            &parse_query("555-0100"),
            PhoneDigits::Ignore
        ));
    }

    #[test]
    fn short_grams_list_each_pair_once_and_skip_whitespace() {
        let grams = short_grams("ab ab");
        let tokens: Vec<_> = grams.split_whitespace().collect();
        assert_eq!(tokens, [gram_token("a"), gram_token("b"), gram_token("ab")]);
        assert!(!grams.contains(&gram_token("b ")));
    }

    use std::collections::HashSet;

    #[test]
    fn gram_tokens_are_distinct_for_distinct_grams() {
        // One two-byte character against two one-byte characters, and so on.
        let grams = ["é", "e", "ee", "%", "_", "東", "東京", "g1"];
        let tokens: HashSet<_> = grams.iter().map(|g| gram_token(g)).collect();
        assert_eq!(tokens.len(), grams.len());
        assert!(
            tokens
                .iter()
                .all(|t| t.chars().all(|c| c.is_ascii_alphanumeric()))
        );
    }

    fn marked<'a>(text: &'a str, query: &str) -> Vec<&'a str> {
        match_ranges(text, &parse_query(query))
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn match_ranges_mark_the_original_text_ignoring_case_and_accents() {
        assert_eq!(marked("Café in ZÜRICH", "cafe zur"), ["Café", "ZÜR"]);
        assert_eq!(marked("Straße", "ss"), ["ß"]);
        assert_eq!(marked("e\u{301}clair", "ecl"), ["e\u{301}cl"]);
        assert_eq!(marked("banana", "ana"), ["anana"]);
        assert_eq!(marked("50% off, 500", "50%"), ["50%"]);
        assert!(marked("nothing here", "").is_empty());
        assert!(marked("nothing here", "xyz").is_empty());
    }

    #[test]
    fn a_snippet_shows_the_first_match() {
        let terms = parse_query("zürich");
        let near = "Trip to Zurich next week";
        assert_eq!(snippet(near, &terms, 240), near);
        let far = format!("{} and then on to ZÜRICH by train.", "word ".repeat(100));
        let shown = snippet(&far, &terms, 60);
        assert!(shown.starts_with('…'), "{shown}");
        assert!(shown.contains("ZÜRICH"), "{shown}");
        assert!(shown.chars().count() <= 61);
        assert_eq!(snippet(&far, &parse_query("absent"), 10), "word word ");
    }

    #[test]
    fn a_query_that_is_a_phone_number_carries_its_e164_and_national_digits() {
        use phonenumber::country::Id;
        let fr = Some(Id::FR);
        let french = PhoneQuery {
            international: "33698765432".into(),
            national: Some("0698765432".into()),
        };
        // Written the national way, the international way, or as a tel: URI: one number.
        assert_eq!(
            PhoneQuery::parse("06 98 76 54 32", fr),
            Some(french.clone())
        );
        assert_eq!(
            PhoneQuery::parse(" +33 6 98 76 54 32 ", fr),
            Some(french.clone())
        );
        assert_eq!(
            PhoneQuery::parse("tel:+33-6-98-76-54-32", fr),
            Some(french.clone())
        );
        // An extension is left out: the number is the same.
        assert_eq!(
            PhoneQuery::parse("06 98 76 54 32 ext. 12", fr),
            Some(french)
        );
        assert_eq!(
            PhoneQuery::parse("tel:+1-650-253-0000;ext=12", None).map(|q| q.international),
            Some("16502530000".into())
        );
        // Spain's number is another number, and its national digits say nothing about a
        // French book.
        assert_eq!(
            PhoneQuery::parse("+34 698 76 54 32", fr),
            Some(PhoneQuery {
                international: "34698765432".into(),
                national: None,
            })
        );
        // Without a region a national number means no country.
        assert_eq!(PhoneQuery::parse("06 98 76 54 32", None), None);
        // Not a number, a number half typed, a name beside a number: searched as typed.
        for query in ["Ann", "06 98 7", "Ann 0698765432", "+33 12", "555-0100", ""] {
            assert_eq!(PhoneQuery::parse(query, fr), None, "{query}");
        }
    }

    #[test]
    fn a_phone_query_matches_either_form_in_a_document() {
        let query = PhoneQuery::parse("06 98 76 54 32", Some(phonenumber::country::Id::FR));
        let Some(query) = query else {
            panic!("a valid French number");
        };
        assert!(query.matches("amelie\n+33 6 98 76 54 32\n33698765432\n"));
        assert!(query.matches("amelie\n06.98.76.54.32\n0698765432\n"));
        assert!(!query.matches("alvaro\n+34 698 76 54 32\n34698765432\n"));
    }
}
