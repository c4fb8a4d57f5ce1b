-- The fields address books have (issue 16): until now a middle name was glued to the first
-- name, a department to the organisation, and the rest sat only in the kept vCard lines
-- (`card_extra`), where nobody could edit or search them.
ALTER TABLE contacts ADD COLUMN middle_name TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN name_prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN name_suffix TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN nickname TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN department TEXT NOT NULL DEFAULT '';

CREATE TABLE contact_websites (
    id INTEGER PRIMARY KEY NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    label TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL,
    UNIQUE (contact_id, position)
);

-- Anniversaries and the user's own dates; like a birthday, the year is optional.
CREATE TABLE contact_dates (
    id INTEGER PRIMARY KEY NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    label TEXT NOT NULL DEFAULT '',
    year INTEGER CHECK (year BETWEEN 1 AND 9999),
    month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    UNIQUE (contact_id, position)
);
CREATE INDEX contact_dates_by_day ON contact_dates (month, day);

-- Spouse, child, assistant…: a label and a name (or the URI another app wrote).
CREATE TABLE contact_related (
    id INTEGER PRIMARY KEY NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    label TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    UNIQUE (contact_id, position)
);

-- Instant messaging and social profiles: the service and the handle (or profile URL).
CREATE TABLE contact_profiles (
    id INTEGER PRIMARY KEY NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    service TEXT NOT NULL DEFAULT '',
    handle TEXT NOT NULL,
    UNIQUE (contact_id, position)
);

-- Steps of an upgrade that SQL cannot do: Folio runs each in the migration's transaction,
-- right after it, and deletes its row. Moving the kept vCard lines into the new fields needs
-- the vCard reader.
CREATE TABLE pending_upgrades (
    step TEXT PRIMARY KEY NOT NULL
);
INSERT INTO pending_upgrades (step) VALUES ('kept_card_fields');
