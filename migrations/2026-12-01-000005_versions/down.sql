ALTER TABLE contacts DROP COLUMN version;
ALTER TABLE notes DROP COLUMN version;
