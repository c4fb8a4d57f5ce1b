-- Every write to a note or a contact increments its `version`, and every save names the version
-- it edited (`UPDATE … WHERE id = ? AND version = ?`). A save that finds another version changes
-- nothing and is a conflict: Folio then keeps both texts instead of overwriting a change the
-- writer never saw (another program, the command line, or later another computer).
ALTER TABLE notes ADD COLUMN version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE contacts ADD COLUMN version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1);
