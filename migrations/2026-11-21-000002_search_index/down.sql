DROP TABLE search_index_state;
DROP TABLE contact_grams;
DROP TABLE contact_search;
DROP TABLE note_grams;
DROP TABLE note_search;
