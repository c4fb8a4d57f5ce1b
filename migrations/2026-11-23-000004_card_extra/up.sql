-- vCard properties Folio has no field for (nickname, URLs, anniversaries, X- properties...),
-- kept as vCard 4.0 lines so an import followed by an export loses nothing.
ALTER TABLE contacts ADD COLUMN card_extra TEXT NOT NULL DEFAULT '';

-- The contacts' index gets the notes' settings (000002): importing 10,000 vCards spent half its
-- time flushing and merging 1 MiB segments.
INSERT INTO contact_search (contact_search, rank) VALUES ('hashsize', 16777216);
INSERT INTO contact_grams (contact_grams, rank) VALUES ('hashsize', 16777216);
INSERT INTO contact_search (contact_search, rank) VALUES ('automerge', 8);
INSERT INTO contact_grams (contact_grams, rank) VALUES ('automerge', 8);
