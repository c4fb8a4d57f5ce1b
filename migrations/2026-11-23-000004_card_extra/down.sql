INSERT INTO contact_search (contact_search, rank) VALUES ('hashsize', 1048576);
INSERT INTO contact_grams (contact_grams, rank) VALUES ('hashsize', 1048576);
INSERT INTO contact_search (contact_search, rank) VALUES ('automerge', 4);
INSERT INTO contact_grams (contact_grams, rank) VALUES ('automerge', 4);
ALTER TABLE contacts DROP COLUMN card_extra;
