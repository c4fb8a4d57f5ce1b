-- Note history: a note's earlier states, each kept before something replaced or removed it (an
-- editing session's first save, the trash, delete for good, an import or restore over it, a
-- merge, a restore of another revision).
--
-- Revisions name their note by UUID, not by id, and have no foreign key: a note deleted for
-- good keeps its revisions ("Deleted notes" in History…) until the retention rule thins them.
-- The body is zstd-compressed; the title is kept plain for the list. `saved_at` is when the
-- text was written (the note's `updated` then), `kept_at` when it became a revision: the
-- retention rule ages revisions by it, so a note deleted for good keeps its last text as long
-- as the rule says however old that text was. `created_at` is the note's, for bringing back a
-- note deleted for good.
-- One state is kept once: the same note, time and content (`content_hash`, SHA-256 of title,
-- body and tags) is a duplicate and ignored, which also makes a restore of a backup with
-- history idempotent.
CREATE TABLE note_revisions (
    id INTEGER PRIMARY KEY,
    note_uuid TEXT NOT NULL,
    saved_at BIGINT NOT NULL,
    kept_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('edit', 'trash', 'delete', 'import', 'backup', 'restore')),
    title TEXT NOT NULL,
    tags TEXT NOT NULL,
    -- A revision is stored whole (base_id NULL: a key), or as the zstd difference from its
    -- note's key (the key's text as zstd's dictionary): sessions change a little of a note, so
    -- the difference is a few dozen bytes where the whole text would be a kilobyte. The
    -- retention rule never removes a key before the revisions stored against it (it stores the
    -- newest of them whole first), and the foreign key refuses it if it tried.
    base_id INTEGER REFERENCES note_revisions (id),
    body_zstd BLOB NOT NULL,
    body_bytes BIGINT NOT NULL CHECK (body_bytes >= 0),
    content_hash BLOB NOT NULL,
    UNIQUE (note_uuid, saved_at, content_hash)
);
-- The retention rule walks revisions by age.
CREATE INDEX note_revisions_by_age ON note_revisions (kept_at);
-- The revisions stored against a key: counted at each insert, re-encoded before the key goes,
-- and looked up by the foreign key when a revision is deleted.
CREATE INDEX note_revisions_by_base ON note_revisions (base_id) WHERE base_id IS NOT NULL;

-- The attachments each revision names: they stay while a revision could bring them back
-- (a picture removed from the text, or the note deleted for good). A revision removed by the
-- retention rule lets go of them; one no note or revision names is then removed a week later,
-- like any unlinked attachment.
CREATE TABLE revision_attachments (
    revision_id INTEGER NOT NULL REFERENCES note_revisions (id) ON DELETE CASCADE,
    attachment_id INTEGER NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,
    PRIMARY KEY (revision_id, attachment_id)
) WITHOUT ROWID;
CREATE INDEX revision_attachments_by_attachment ON revision_attachments (attachment_id);
