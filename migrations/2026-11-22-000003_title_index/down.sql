DROP TABLE note_title_grams;
DROP TABLE note_title_search;
DELETE FROM search_index_state;
