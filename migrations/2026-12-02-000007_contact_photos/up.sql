-- Contact photos (issue 16, part 2). The original bytes sit in their own table, so no list
-- query ever reads them; a small thumbnail for the list is made once, on the list thread,
-- into its own table as a small JPEG (an empty one marks a photo that could not be read as a picture).
-- A photo another app gave only as a link keeps the link, and nothing is downloaded.
CREATE TABLE contact_photos (
    contact_id INTEGER PRIMARY KEY NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    media_type TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    bytes BLOB NOT NULL DEFAULT x'' CHECK (length(bytes) <= 10485760),
    CHECK (length(bytes) > 0 OR url <> '')
);

CREATE TABLE contact_thumbnails (
    contact_id INTEGER PRIMARY KEY NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    jpeg BLOB NOT NULL
);
