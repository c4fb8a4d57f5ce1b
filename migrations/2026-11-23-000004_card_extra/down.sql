ALTER TABLE contacts DROP COLUMN card_extra;
