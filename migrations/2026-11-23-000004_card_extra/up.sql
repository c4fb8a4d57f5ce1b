-- vCard properties Folio has no field for (nickname, URLs, anniversaries, X- properties...),
-- kept as vCard 4.0 lines so an import followed by an export loses nothing.
ALTER TABLE contacts ADD COLUMN card_extra TEXT NOT NULL DEFAULT '';
