DROP TABLE revision_attachments;
DROP TABLE note_revisions;
