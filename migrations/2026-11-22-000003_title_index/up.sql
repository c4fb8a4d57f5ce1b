-- Note titles on their own, for the "go to anything" palette (Ctrl+K), which finds notes by
-- title: the note index holds title and body as one document, so it cannot tell them apart.
-- Same design as `note_search`/`note_grams` (see the previous migration): folded text, trigram
-- phrases for terms of 3+ characters, 1- and 2-character grams for shorter ones.
CREATE VIRTUAL TABLE note_title_search USING fts5 (
    text, tokenize = 'trigram case_sensitive 1', detail = 'full', content = '', contentless_delete = 1
);
CREATE VIRTUAL TABLE note_title_grams USING fts5 (
    grams, tokenize = 'ascii', detail = 'none', content = '', contentless_delete = 1
);

-- The index must be rebuilt to fill the new tables; Folio does that when no state is recorded.
DELETE FROM search_index_state;
