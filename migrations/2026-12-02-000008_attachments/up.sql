-- Pictures and files in notes (issue 17). A file's bytes are stored once, keyed by their
-- SHA-256, however many times and in however many notes it is attached; each attachment is
-- the file as attached (its UUID, which a note's Markdown names as `attachment:UUID`, its
-- name and media type). Which notes use which attachment is read off the notes' text when a
-- note is written, so the links never disagree with what the text shows. Deleting notes for
-- good removes the attachments they used that no other note uses; an attachment whose last
-- reference was taken out of a text (or never saved) says since when in `unlinked_since`, and
-- goes a week later, so an undone edit or a reference cut and pasted elsewhere still finds it.
CREATE TABLE attachment_blobs (
    hash TEXT PRIMARY KEY NOT NULL CHECK (length(hash) = 64),
    bytes BLOB NOT NULL CHECK (length(bytes) <= 104857600)
);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY NOT NULL,
    uuid TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL DEFAULT 'application/octet-stream',
    size BIGINT NOT NULL CHECK (size >= 0),
    hash TEXT NOT NULL REFERENCES attachment_blobs (hash),
    created_at BIGINT NOT NULL,
    unlinked_since BIGINT
);
CREATE INDEX attachments_unlinked ON attachments (unlinked_since) WHERE unlinked_since IS NOT NULL;
CREATE INDEX attachments_by_hash ON attachments (hash);

CREATE TABLE note_attachments (
    note_id INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    attachment_id INTEGER NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,
    PRIMARY KEY (note_id, attachment_id)
) WITHOUT ROWID;
CREATE INDEX note_attachments_by_attachment ON note_attachments (attachment_id);
