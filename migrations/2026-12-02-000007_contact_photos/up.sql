-- Contact photos (issue 16, part 2). The original bytes sit in their own table, so no list
-- query ever reads them. A small thumbnail for the list is made once, on the list thread, into
-- its own table as a small JPEG: a photo written gets a row with no JPEG yet, which the partial
-- index finds at once (scanning the photos would read every photo's bytes); an empty JPEG
-- marks a photo that is no picture Folio reads. A photo another app gave only as a link keeps
-- the link, and nothing is downloaded.
CREATE TABLE contact_photos (
    contact_id INTEGER PRIMARY KEY NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    media_type TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    bytes BLOB NOT NULL DEFAULT x'' CHECK (length(bytes) <= 10485760),
    CHECK (length(bytes) > 0 OR url <> '')
);

CREATE TABLE contact_thumbnails (
    contact_id INTEGER PRIMARY KEY NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    jpeg BLOB
);
CREATE INDEX contact_thumbnails_to_make ON contact_thumbnails (contact_id) WHERE jpeg IS NULL;
