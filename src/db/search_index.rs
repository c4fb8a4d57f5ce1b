//! Keeps the search tables in step with notes and contacts, and turns folded query terms into
//! index lookups. Callers run these inside the transaction that writes the row itself.

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

use super::contact_types::ContactDraft;
use super::error::DbResult;
use super::ids::{ContactId, NoteId};
use super::schema::{contacts, notes, search_index_state};
use crate::search::{self, FOLD_VERSION, PhoneDigits, TRIGRAM_MIN_CHARS, Term};

/// Rows read per batch when rebuilding, so memory stays flat at any database size.
const REBUILD_BATCH: i64 = 2_000;

/// The searchable text of a note: title and body, folded. A newline separates them, so no term
/// (terms never hold whitespace) can match across the two.
pub fn note_document(title: &str, body: &str) -> String {
    let mut document = String::with_capacity(title.len() + body.len() + 1);
    search::fold_into(title, &mut document);
    document.push('\n');
    search::fold_into(body, &mut document);
    document
}

/// The searchable text of a contact: every name (middle names and nickname included), the
/// organisation and department, the emails, the phones, the websites' hosts, the related
/// people's names and the profiles' handles, plus each phone's digits alone so "5550100" finds
/// "+1 (555) 010-0".
pub fn contact_document(d: &ContactDraft) -> String {
    let texts = [
        d.given_name.as_str(),
        d.middle_name.as_str(),
        d.family_name.as_str(),
        d.display_name.as_str(),
        d.nickname.as_str(),
        d.organization.as_str(),
        d.department.as_str(),
    ]
    .into_iter()
    .chain(d.emails.iter().map(|e| e.address.as_str()))
    .chain(d.phones.iter().map(|p| p.number.as_str()))
    .chain(d.websites.iter().map(|w| website_host(&w.url)))
    .chain(d.related.iter().map(|r| r.name.as_str()))
    .chain(d.profiles.iter().map(|p| p.handle.as_str()));
    let mut document = String::new();
    for text in texts.filter(|t| !t.is_empty()) {
        search::fold_into(text, &mut document);
        document.push('\n');
    }
    for phone in &d.phones {
        document.push_str(&search::phone_digits(&phone.number));
        document.push('\n');
    }
    document
}

/// The host of a website as people type it ("example.org" of "https://www.example.org/about"):
/// what a search for the site should find, without every contact matching "https" or "www".
pub fn website_host(url: &str) -> &str {
    let url = url.trim();
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = host.rsplit_once('@').map_or(host, |(_, host)| host);
    let host = host.split(':').next().unwrap_or(host);
    host.strip_prefix("www.").unwrap_or(host)
}

/// Every FTS5 table of the search index.
const SEARCH_TABLES: [&str; 6] = [
    "note_search",
    "note_grams",
    "note_title_search",
    "note_title_grams",
    "contact_search",
    "contact_grams",
];

#[derive(Clone, Copy)]
enum Index {
    Notes,
    /// Note titles alone, for the go-to palette.
    NoteTitles,
    Contacts,
}

impl Index {
    fn tables(self) -> (&'static str, &'static str) {
        match self {
            Index::Notes => ("note_search", "note_grams"),
            Index::NoteTitles => ("note_title_search", "note_title_grams"),
            Index::Contacts => ("contact_search", "contact_grams"),
        }
    }
}

/// Whether the row may already have index entries that must go first.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// A row just inserted: nothing to remove (a delete in a contentless FTS5 table costs a
    /// tombstone even when there is nothing to delete).
    New,
    Replace,
}

fn write_document(
    conn: &mut SqliteConnection,
    index: Index,
    rowid: i32,
    document: &str,
    existing: Existing,
) -> DbResult<()> {
    if existing == Existing::Replace {
        remove_document(conn, index, rowid)?;
    }
    insert_documents(conn, index, &[(rowid, document)])
}

/// Inserts documents for rows that have no index entries. All trigram entries go first, then
/// all gram entries, so each table's pending entries stay in memory across the batch.
fn insert_documents(
    conn: &mut SqliteConnection,
    index: Index,
    documents: &[(i32, &str)],
) -> DbResult<()> {
    let (trigrams, grams) = index.tables();
    let grams_of: Vec<String> = documents
        .iter()
        .map(|(_, document)| search::short_grams(document))
        .collect();
    // Many rows to one INSERT: `sql_query` statements are not cached, so one INSERT a row
    // meant preparing an FTS5 statement per document, which cost more than indexing it.
    for (chunk, grams_chunk) in documents
        .chunks(INSERT_ROWS)
        .zip(grams_of.chunks(INSERT_ROWS))
    {
        let values = vec!["(?, ?)"; chunk.len()].join(", ");
        let mut texts = diesel::sql_query(format!(
            "INSERT INTO {trigrams} (rowid, text) VALUES {values}"
        ))
        .into_boxed();
        let mut shorts = diesel::sql_query(format!(
            "INSERT INTO {grams} (rowid, grams) VALUES {values}"
        ))
        .into_boxed();
        for ((rowid, document), short) in chunk.iter().zip(grams_chunk) {
            texts = texts.bind::<Integer, _>(*rowid).bind::<Text, _>(*document);
            shorts = shorts
                .bind::<Integer, _>(*rowid)
                .bind::<Text, _>(short.as_str());
        }
        texts.execute(conn)?;
        shorts.execute(conn)?;
    }
    Ok(())
}

/// Rows a multi-row INSERT into an index writes at once (two bound values each).
const INSERT_ROWS: usize = 256;

fn remove_document(conn: &mut SqliteConnection, index: Index, rowid: i32) -> DbResult<()> {
    let (trigrams, grams) = index.tables();
    for table in [trigrams, grams] {
        diesel::sql_query(format!("DELETE FROM {table} WHERE rowid = ?"))
            .bind::<Integer, _>(rowid)
            .execute(conn)?;
    }
    Ok(())
}

/// Writes a note's index entries (after its row was inserted or edited).
pub fn index_note(
    conn: &mut SqliteConnection,
    id: NoteId,
    title: &str,
    body: &str,
    existing: Existing,
) -> DbResult<()> {
    let document = note_document_with_files(conn, title, body)?;
    write_document(conn, Index::Notes, id.0, &document, existing)?;
    write_document(
        conn,
        Index::NoteTitles,
        id.0,
        &search::fold(title),
        existing,
    )
}

/// What the index holds for one note: [`note_document`] and the folded title.
pub struct NoteDocuments {
    pub id: NoteId,
    pub text: String,
    pub title: String,
}

impl NoteDocuments {
    pub fn new(conn: &mut SqliteConnection, id: NoteId, title: &str, body: &str) -> DbResult<Self> {
        Ok(NoteDocuments {
            id,
            text: note_document_with_files(conn, title, body)?,
            title: search::fold(title),
        })
    }
}

/// A note's [`note_document`], followed by the names of the files it refers to, so a note is
/// found by the name of an attachment whatever its caption says.
fn note_document_with_files(
    conn: &mut SqliteConnection,
    title: &str,
    body: &str,
) -> DbResult<String> {
    let mut document = note_document(title, body);
    let names = super::attachments::attachment_names(conn, body)?;
    if !names.is_empty() {
        document.push('\n');
        search::fold_into(&names, &mut document);
    }
    Ok(document)
}

/// Indexes notes that have just been inserted, as one batch.
pub fn index_new_notes(conn: &mut SqliteConnection, documents: &[NoteDocuments]) -> DbResult<()> {
    let texts: Vec<(i32, &str)> = documents
        .iter()
        .map(|d| (d.id.0, d.text.as_str()))
        .collect();
    insert_documents(conn, Index::Notes, &texts)?;
    let titles: Vec<(i32, &str)> = documents
        .iter()
        .map(|d| (d.id.0, d.title.as_str()))
        .collect();
    insert_documents(conn, Index::NoteTitles, &titles)
}

pub fn unindex_note(conn: &mut SqliteConnection, id: NoteId) -> DbResult<()> {
    remove_document(conn, Index::Notes, id.0)?;
    remove_document(conn, Index::NoteTitles, id.0)
}

/// Re-reads a contact with its details and indexes it.
pub fn index_contact(conn: &mut SqliteConnection, id: ContactId) -> DbResult<()> {
    let draft = super::contacts::load_searchable_draft(conn, id)?;
    let document = contact_document(&draft);
    write_document(conn, Index::Contacts, id.0, &document, Existing::Replace)
}

/// Indexes contacts that have just been inserted, from their [`contact_document`]s, as one
/// batch.
pub fn index_new_contacts(
    conn: &mut SqliteConnection,
    documents: &[(ContactId, String)],
) -> DbResult<()> {
    let documents: Vec<(i32, &str)> = documents
        .iter()
        .map(|(id, document)| (id.0, document.as_str()))
        .collect();
    insert_documents(conn, Index::Contacts, &documents)
}

pub fn unindex_contact(conn: &mut SqliteConnection, id: ContactId) -> DbResult<()> {
    remove_document(conn, Index::Contacts, id.0)
}

/// True when the index was built with another folding than this build's (or never built).
pub fn is_stale(conn: &mut SqliteConnection) -> QueryResult<bool> {
    let version: Option<i32> = search_index_state::table
        .select(search_index_state::fold_version)
        .first(conn)
        .optional()?;
    Ok(version != Some(FOLD_VERSION))
}

/// Rebuilds the whole index when it is stale. Runs inside the caller's transaction.
pub fn ensure_current(conn: &mut SqliteConnection) -> DbResult<()> {
    if !is_stale(conn)? {
        return Ok(());
    }
    rebuild(conn)
}

/// Throws the index away and builds it again from the rows.
pub fn rebuild(conn: &mut SqliteConnection) -> DbResult<()> {
    for table in SEARCH_TABLES {
        diesel::sql_query(format!(
            "INSERT INTO {table} ({table}) VALUES ('delete-all')"
        ))
        .execute(conn)?;
    }
    let mut after = NoteId(i32::MIN);
    loop {
        let batch: Vec<(NoteId, String, String)> = notes::table
            .filter(notes::id.gt(after))
            .order(notes::id)
            .limit(REBUILD_BATCH)
            .select((notes::id, notes::title, notes::body))
            .load(conn)?;
        let Some(last) = batch.last() else { break };
        after = last.0;
        // The index was emptied above, so every note is new to it.
        let documents: Vec<NoteDocuments> = batch
            .iter()
            .map(|(id, title, body)| NoteDocuments::new(conn, *id, title, body))
            .collect::<DbResult<_>>()?;
        index_new_notes(conn, &documents)?;
    }
    let contact_ids: Vec<ContactId> = contacts::table.select(contacts::id).load(conn)?;
    for id in contact_ids {
        index_contact(conn, id)?;
    }
    diesel::replace_into(search_index_state::table)
        .values((
            search_index_state::id.eq(1),
            search_index_state::fold_version.eq(FOLD_VERSION),
        ))
        .execute(conn)?;
    Ok(())
}

/// The rowids an FTS5 table matches, ascending. One row comes back (SQLite joins the ids into
/// one string), which is far cheaper than a row per hit when a search matches most notes.
pub(crate) fn matching_rowids(
    conn: &mut SqliteConnection,
    table: &'static str,
    expression: &str,
) -> DbResult<Vec<i32>> {
    joined_rowids(
        conn,
        &format!("SELECT group_concat(rowid, ',') AS ids FROM {table} WHERE {table} MATCH ?"),
        expression,
    )
}

/// The newest (highest) `cap` rowids an FTS5 table matches, ascending. FTS5 reads its
/// rowids in descending order and stops at the limit, so a term that matches nearly every row
/// costs no more than one that matches `cap` rows.
pub(crate) fn newest_matching_rowids(
    conn: &mut SqliteConnection,
    table: &'static str,
    expression: &str,
    cap: u32,
) -> DbResult<Vec<i32>> {
    let mut ids = joined_rowids(
        conn,
        &format!(
            "SELECT group_concat(rowid, ',') AS ids FROM \
             (SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT {cap})"
        ),
        expression,
    )?;
    ids.sort_unstable();
    Ok(ids)
}

fn joined_rowids(conn: &mut SqliteConnection, sql: &str, expression: &str) -> DbResult<Vec<i32>> {
    #[derive(QueryableByName)]
    struct Joined {
        #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
        ids: Option<String>,
    }
    let joined: Joined = diesel::sql_query(sql)
        .bind::<Text, _>(expression)
        .get_result(conn)?;
    Ok(joined
        .ids
        .unwrap_or_default()
        .split(',')
        .filter_map(|id| id.parse().ok())
        .collect())
}

/// The index lookups that answer a query. Every part must hold.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct IndexQuery {
    /// An FTS5 MATCH expression for the trigram table (terms of 3+ characters).
    pub trigram_match: Option<String>,
    /// An FTS5 MATCH expression for the short-gram table (terms of 1–2 characters).
    pub gram_match: Option<String>,
    /// Terms whose alternatives need both tables: (trigram MATCH, gram MATCH), either may hold.
    pub either: Vec<(String, String)>,
}

/// Writes one term as an FTS5 trigram phrase: a quoted string, quotes doubled. Inside a phrase
/// every character is literal, so `%`, `_` and `\` need nothing else.
fn trigram_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Builds the index lookups for a query; see [`crate::search::matches`] for what they must
/// return.
pub(crate) fn index_query(terms: &[Term], phone_digits: PhoneDigits) -> IndexQuery {
    let mut query = IndexQuery::default();
    let mut trigram_parts = Vec::new();
    let mut gram_parts = Vec::new();
    for term in terms {
        let digits = term
            .phone_digits
            .as_deref()
            .filter(|_| phone_digits == PhoneDigits::Match);
        // Digits the same as the term ("555") would make FTS5 read the same hits twice.
        let forms = std::iter::once(term.text.as_str())
            .chain(digits.filter(|d| !d.is_empty() && *d != term.text));
        let (long, short): (Vec<&str>, Vec<&str>) =
            forms.partition(|f| f.chars().count() >= TRIGRAM_MIN_CHARS);
        let long = (!long.is_empty()).then(|| any_of(long.iter().map(|f| trigram_phrase(f))));
        let short =
            (!short.is_empty()).then(|| any_of(short.iter().map(|f| search::gram_token(f))));
        match (long, short) {
            (Some(long), None) => trigram_parts.push(long),
            (None, Some(short)) => gram_parts.push(short),
            (Some(long), Some(short)) => query.either.push((long, short)),
            (None, None) => {}
        }
    }
    query.trigram_match = (!trigram_parts.is_empty()).then(|| trigram_parts.join(" AND "));
    query.gram_match = (!gram_parts.is_empty()).then(|| gram_parts.join(" AND "));
    query
}

fn any_of(alternatives: impl Iterator<Item = String>) -> String {
    let alternatives: Vec<String> = alternatives.collect();
    if alternatives.len() == 1 {
        alternatives.into_iter().collect()
    } else {
        format!("({})", alternatives.join(" OR "))
    }
}

/// How far [`merge_step`] merges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexMerge {
    /// Merge segments within each level until no level holds two: cheap, for idle time after
    /// everyday edits.
    Levels,
    /// Merge segments of every level into one (FTS5's `optimize`, in steps): after a bulk
    /// import, which leaves many segments. After small edits it would rewrite the whole index
    /// to absorb one tiny segment, so it is not for routine use.
    Everything,
}

/// Merges at most about `pages` pages of each search table's segments into fewer, larger ones.
/// Every query reads every segment, so fewer segments make queries faster. Returns whether any
/// table still had merging to do; a step holds the write lock briefly, so a caller can run
/// steps while the user is idle.
pub fn merge_step(conn: &mut SqliteConnection, pages: i32, how: IndexMerge) -> DbResult<bool> {
    #[derive(QueryableByName)]
    struct Changes {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        changes: i64,
    }
    let total_changes = |conn: &mut SqliteConnection| -> DbResult<i64> {
        Ok(diesel::sql_query("SELECT total_changes() AS changes")
            .get_result::<Changes>(conn)?
            .changes)
    };
    let mut more = false;
    for table in SEARCH_TABLES {
        // `usermerge` 2: keep merging while any level holds two segments or more, which ends
        // with about one segment per level.
        diesel::sql_query(format!(
            "INSERT INTO {table} ({table}, rank) VALUES ('usermerge', 2)"
        ))
        .execute(conn)?;
        let before = total_changes(conn)?;
        diesel::sql_query(format!(
            "INSERT INTO {table} ({table}, rank) VALUES ('merge', ?)"
        ))
        // A negative page count tells FTS5 to merge segments of different levels too.
        .bind::<Integer, _>(match how {
            IndexMerge::Levels => pages.abs(),
            IndexMerge::Everything => -pages.abs(),
        })
        .execute(conn)?;
        // FTS5's documented signal: a merge that did nothing changes fewer than two rows.
        more |= total_changes(conn)? - before >= 2;
    }
    Ok(more)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::parse_query;

    #[test]
    fn long_terms_become_trigram_phrases_and_short_ones_gram_tokens() {
        let q = index_query(&parse_query("Café 50% th \"x\"y"), PhoneDigits::Ignore);
        assert_eq!(
            q.trigram_match.as_deref(),
            Some("\"cafe\" AND \"50%\" AND \"\"\"x\"\"y\"")
        );
        assert_eq!(q.gram_match, Some(search::gram_token("th")));
    }

    #[test]
    fn a_term_of_digits_alone_is_looked_up_once() {
        let q = index_query(&parse_query("555"), PhoneDigits::Match);
        assert_eq!(q.trigram_match.as_deref(), Some("\"555\""));
    }

    #[test]
    fn phone_terms_match_as_typed_or_as_digits() {
        let q = index_query(&parse_query("555-0100"), PhoneDigits::Match);
        assert_eq!(
            q.trigram_match.as_deref(),
            Some("(\"555-0100\" OR \"5550100\")")
        );
        let q = index_query(&parse_query("555-0100"), PhoneDigits::Ignore);
        assert_eq!(q.trigram_match.as_deref(), Some("\"555-0100\""));
        // "5-5" as typed needs the trigram table, its digits "55" the gram table.
        let q = index_query(&parse_query("5-5"), PhoneDigits::Match);
        assert_eq!(q.either, [("\"5-5\"".to_owned(), search::gram_token("55"))]);
    }

    #[test]
    fn the_contact_document_holds_phone_digits() {
        let draft = ContactDraft {
            given_name: "Zoë".to_owned(),
            emails: vec![super::super::LabeledEmail {
                label: String::new(),
                address: "z@example.com".to_owned(),
            }],
            phones: vec![super::super::LabeledPhone {
                label: String::new(),
                number: "+1 (555) 010-0".to_owned(),
            }],
            ..ContactDraft::default()
        };
        let doc = contact_document(&draft);
        assert!(doc.contains("zoe"));
        assert!(doc.contains("15550100"));
    }

    #[test]
    fn the_contact_document_holds_the_address_book_fields() {
        let draft = ContactDraft {
            middle_name: "Baptiste".to_owned(),
            nickname: "JB".to_owned(),
            department: "Recherche".to_owned(),
            websites: vec![super::super::LabeledWebsite {
                label: String::new(),
                url: "https://www.exemple.fr/équipe?x=1".to_owned(),
            }],
            related: vec![super::super::RelatedPerson {
                label: "spouse".to_owned(),
                name: "Marie Curie".to_owned(),
            }],
            profiles: vec![super::super::Profile {
                service: "Mastodon".to_owned(),
                handle: "@jb@social.example".to_owned(),
            }],
            ..ContactDraft::default()
        };
        let doc = contact_document(&draft);
        for folded in [
            "baptiste",
            "jb",
            "recherche",
            "exemple.fr",
            "marie curie",
            "@jb@social",
        ] {
            assert!(doc.contains(folded), "{folded} in {doc:?}");
        }
        // The host alone: not every contact with a website matches "https" or "www".
        assert!(!doc.contains("https") && !doc.contains("www") && !doc.contains("equipe"));
    }

    #[test]
    fn a_website_host_is_found_in_what_people_type() {
        assert_eq!(website_host("https://www.example.org/about"), "example.org");
        assert_eq!(website_host("example.org"), "example.org");
        assert_eq!(
            website_host("http://user@example.org:8080/x"),
            "example.org"
        );
        assert_eq!(website_host("  blog.example.org/feed "), "blog.example.org");
    }
}
