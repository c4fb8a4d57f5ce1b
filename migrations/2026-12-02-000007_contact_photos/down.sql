DROP TABLE contact_thumbnails;
DROP TABLE contact_photos;
