-- Substring search with LIKE semantics at 100,000+ notes.
--
-- Folio indexes a *folded* copy of the searchable text (Unicode lower case, accents and other
-- combining marks removed, compatibility forms decomposed; see src/search.rs). Folding happens in
-- Rust, so the repository writes these tables in the same transaction as the row they mirror.
--
-- * `*_search` (trigram, detail=full): a query term of 3+ characters is a trigram phrase, which is
--   an exact substring test. Contentless: the folded text is not stored a second time.
-- * `*_grams` (detail=none): every distinct 1- and 2-character sequence of the document, each
--   written as one hex token. Trigrams cannot answer terms shorter than 3 characters ("th", "%",
--   "東京"); these answer them exactly from the index instead of a scan of every row.
-- * The trigram tables are case-sensitive: FTS5's own case folding differs from Folio's (it maps
--   "ς" to "σ", Rust's lower case does not), and one folding must decide what matches.
CREATE VIRTUAL TABLE note_search USING fts5 (
    text, tokenize = 'trigram case_sensitive 1', detail = 'full', content = '', contentless_delete = 1
);
CREATE VIRTUAL TABLE note_grams USING fts5 (
    grams, tokenize = 'ascii', detail = 'none', content = '', contentless_delete = 1
);
CREATE VIRTUAL TABLE contact_search USING fts5 (
    text, tokenize = 'trigram case_sensitive 1', detail = 'full', content = '', contentless_delete = 1
);
CREATE VIRTUAL TABLE contact_grams USING fts5 (
    grams, tokenize = 'ascii', detail = 'none', content = '', contentless_delete = 1
);

-- FTS5 keeps new entries in memory and writes them out as a segment when this much has gathered
-- (default 1 MiB). Larger segments mean far less merging during an import; the memory is used
-- only while a write transaction is open.
INSERT INTO note_search (note_search, rank) VALUES ('hashsize', 16777216);
INSERT INTO note_grams (note_grams, rank) VALUES ('hashsize', 16777216);
INSERT INTO note_search (note_search, rank) VALUES ('automerge', 8);
INSERT INTO note_grams (note_grams, rank) VALUES ('automerge', 8);

-- Which version of the folding the index was built with. Folio rebuilds the index when this
-- differs from its own (or is missing, as right after this migration).
CREATE TABLE search_index_state (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    fold_version INTEGER NOT NULL
);
