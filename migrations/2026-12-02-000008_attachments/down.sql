DROP TABLE note_attachments;
DROP TABLE attachments;
DROP TABLE attachment_blobs;
