-- Folio schema, version 1: notes, tags, contacts and the links between them.
--
-- Conventions:
-- * Timestamps are milliseconds since the Unix epoch, UTC (BIGINT).
-- * Every row that users see has a stable UUID (text, 36 characters) that survives export/import.
-- * `deleted_at` NULL means live; a value means "in the trash since then".
-- * Booleans are 0/1 with a CHECK so no other value can sneak in from outside.

-- Identifies the file as a Folio database (0x466F6C69 = "Foli").
PRAGMA application_id = 1181707369;

CREATE TABLE notes (
    id INTEGER PRIMARY KEY NOT NULL,
    uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    title TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
    body TEXT NOT NULL DEFAULT '',
    pinned BOOLEAN NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted_at BIGINT
);
-- One index per list order of the live list. Pinned notes come first, and `id` breaks ties so
-- paging is stable.
CREATE INDEX notes_live_by_updated ON notes (pinned DESC, updated_at DESC, id DESC)
    WHERE deleted_at IS NULL;
CREATE INDEX notes_live_by_created ON notes (pinned DESC, created_at DESC, id DESC)
    WHERE deleted_at IS NULL;
CREATE INDEX notes_live_by_title ON notes (pinned DESC, title ASC, id ASC)
    WHERE deleted_at IS NULL;
CREATE INDEX notes_trash ON notes (deleted_at DESC) WHERE deleted_at IS NOT NULL;

CREATE TABLE tags (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL CHECK (trim(name) <> ''),
    -- Unicode lower case of `name`, computed by Folio. SQLite's own NOCASE folds only ASCII, so
    -- this column is what keeps "Zürich" and "ZÜRICH" from becoming two tags.
    name_key TEXT NOT NULL UNIQUE CHECK (name_key <> '')
);

CREATE TABLE note_tags (
    note_id INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (note_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX note_tags_by_tag ON note_tags (tag_id, note_id);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY NOT NULL,
    uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    given_name TEXT NOT NULL DEFAULT '',
    family_name TEXT NOT NULL DEFAULT '',
    display_name TEXT NOT NULL DEFAULT '',
    organization TEXT NOT NULL DEFAULT '',
    job_title TEXT NOT NULL DEFAULT '',
    -- A birthday may have no year (vCard `--MMDD`); month and day come together or not at all.
    birthday_year INTEGER CHECK (birthday_year BETWEEN 1 AND 9999),
    birthday_month INTEGER CHECK (birthday_month BETWEEN 1 AND 12),
    birthday_day INTEGER CHECK (
        birthday_day BETWEEN 1 AND
            CASE birthday_month WHEN 2 THEN 29 WHEN 4 THEN 30 WHEN 6 THEN 30
                                WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END
    ),
    notes TEXT NOT NULL DEFAULT '',
    favorite BOOLEAN NOT NULL DEFAULT 0 CHECK (favorite IN (0, 1)),
    -- Sort keys computed by Folio (case- and accent-folded) so "Émile" sorts beside "Emile".
    sort_given TEXT NOT NULL DEFAULT '',
    sort_family TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted_at BIGINT,
    CHECK ((birthday_month IS NULL) = (birthday_day IS NULL)),
    CHECK (birthday_year IS NULL OR birthday_month IS NOT NULL)
);
CREATE INDEX contacts_live_by_given ON contacts (sort_given, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_live_by_family ON contacts (sort_family, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_favorites ON contacts (sort_given, id)
    WHERE deleted_at IS NULL AND favorite = 1;
CREATE INDEX contacts_trash ON contacts (deleted_at DESC) WHERE deleted_at IS NOT NULL;
CREATE INDEX contacts_birthdays ON contacts (birthday_month, birthday_day)
    WHERE deleted_at IS NULL AND birthday_month IS NOT NULL;

-- One-to-many contact details. `position` orders them; position 0 is the primary one.
CREATE TABLE contact_emails (
    id INTEGER PRIMARY KEY NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    label TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL,
    UNIQUE (contact_id, position)
);

CREATE TABLE contact_phones (
    id INTEGER PRIMARY KEY NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    label TEXT NOT NULL DEFAULT '',
    number TEXT NOT NULL,
    UNIQUE (contact_id, position)
);

-- The seven components of a vCard ADR, so an address survives a round trip whole.
CREATE TABLE contact_addresses (
    id INTEGER PRIMARY KEY NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    label TEXT NOT NULL DEFAULT '',
    po_box TEXT NOT NULL DEFAULT '',
    extended TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL DEFAULT '',
    locality TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    UNIQUE (contact_id, position)
);

-- Contact groups share the tag vocabulary with notes.
CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX contact_tags_by_tag ON contact_tags (tag_id, contact_id);

-- "Notes about this person".
CREATE TABLE note_contacts (
    note_id INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    PRIMARY KEY (note_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX note_contacts_by_contact ON note_contacts (contact_id, note_id);
