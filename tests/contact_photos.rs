//! Contact photos: read from every vCard encoding, written back in the version's form, kept in
//! their own table with a thumbnail made once, refused in words when too large or no picture.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Cursor;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use folio::db::{ContactDraft, ContactQuery, DbError, MAX_PHOTO_BYTES, Photo, Repository};
use folio::exchange::photo_file::set_photo_from_file;
use folio::exchange::vcard::{self, CardVersion};
use folio::exchange::{ExchangeError, import};

/// A real JPEG of `width` × `height` pixels.
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_pixel(width, height, image::Rgb([20, 120, 200]));
    let mut bytes = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .unwrap();
    bytes
}

fn person(name: &str) -> ContactDraft {
    ContactDraft {
        given_name: name.into(),
        ..ContactDraft::default()
    }
}

fn card(version: &str, photo_line: &str) -> String {
    format!(
        "BEGIN:VCARD\r\nVERSION:{version}\r\nFN:Ann Lee\r\nN:Lee;Ann;;;\r\n{photo_line}\r\nEND:VCARD\r\n"
    )
}

#[test]
fn photos_are_read_from_each_vcard_encoding_and_a_link_is_only_kept() {
    let bytes = jpeg(4, 4);
    let b64 = STANDARD.encode(&bytes);
    // 2.1: BASE64, the value folded over lines.
    let folded: String = b64
        .as_bytes()
        .chunks(60)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\r\n ");
    for text in [
        card(
            "2.1",
            &format!("PHOTO;ENCODING=BASE64;TYPE=JPEG:{folded}\r\n"),
        ),
        card("3.0", &format!("PHOTO;ENCODING=b;TYPE=JPEG:{b64}")),
        card("4.0", &format!("PHOTO:data:image/jpeg;base64,{b64}")),
    ] {
        let read = vcard::read_cards(&text);
        let photo = read.contacts[0].photo.as_ref().expect(&text);
        assert_eq!(&photo.bytes[..], &bytes[..], "{text}");
        assert_eq!(photo.media_type, "image/jpeg");
        assert_eq!(read.pictures_left_out, 0);
    }
    for link in [
        "https://example.org/ann.jpg",
        "file:///home/ann/ann.jpg",
        "cid:photo1",
    ] {
        let linked = vcard::read_cards(&card("3.0", &format!("PHOTO;VALUE=uri:{link}")));
        let photo = linked.contacts[0].photo.as_ref().unwrap();
        assert!(photo.bytes.is_empty());
        assert_eq!(photo.url, link);
        let written = vcard::write_cards(&linked.contacts, CardVersion::V4);
        assert!(written.contains(&format!("PHOTO:{link}\r\n")), "{written}");
    }
}

#[test]
fn photos_are_written_as_each_version_expects() {
    let draft = ContactDraft {
        photo: Some(Photo {
            media_type: "image/jpeg".into(),
            url: String::new(),
            bytes: Arc::from(jpeg(4, 4)),
        }),
        ..person("Ann")
    };
    let v3 = vcard::write_cards(std::slice::from_ref(&draft), CardVersion::V3);
    assert!(v3.contains("PHOTO;ENCODING=b;TYPE=JPEG:"), "{v3}");
    let v4 = vcard::write_cards(std::slice::from_ref(&draft), CardVersion::V4);
    assert!(v4.contains("PHOTO:data:image/jpeg;base64\\,"), "{v4}");
    let linked = ContactDraft {
        photo: Some(Photo {
            url: "https://example.org/ann.jpg".into(),
            ..Photo::default()
        }),
        ..person("Ann")
    };
    let v3 = vcard::write_cards(std::slice::from_ref(&linked), CardVersion::V3);
    assert!(
        v3.contains("PHOTO;VALUE=uri:https://example.org/ann.jpg"),
        "{v3}"
    );
}

#[test]
fn a_photo_over_the_limit_is_left_out_of_an_import_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let big = STANDARD.encode(vec![0u8; MAX_PHOTO_BYTES + 1]);
    let file = dir.path().join("big.vcf");
    std::fs::write(
        &file,
        card("3.0", &format!("PHOTO;ENCODING=b;TYPE=JPEG:{big}")),
    )
    .unwrap();
    let mut repo = Repository::open(dir.path().join("f.folio")).unwrap();
    let report = import::import_paths(&mut repo, &[file]).unwrap();
    assert_eq!(report.contacts.added, 1, "the contact, without the photo");
    let warning = &report.warnings[0].reason;
    assert!(warning.contains("photo over 10 MB"), "{warning}");
    let id = repo.list_contacts(&ContactQuery::default()).unwrap().items[0].id;
    assert_eq!(repo.contact_photo(id).unwrap(), None);
}

#[test]
fn a_photo_gets_one_thumbnail_which_goes_with_it() {
    let mut repo = common::repo();
    let ann = repo
        .create_contact(&ContactDraft {
            photo: Some(Photo {
                media_type: "image/jpeg".into(),
                url: String::new(),
                bytes: Arc::from(jpeg(300, 200)),
            }),
            ..person("Ann")
        })
        .unwrap();
    repo.create_contact(&person("Bob")).unwrap();
    // What the list thread does when idle.
    let waiting = repo.photos_without_thumbnail(10).unwrap();
    assert_eq!(waiting.len(), 1);
    let thumb = folio::picture::thumbnail(&waiting[0].1.bytes).unwrap();
    repo.store_thumbnail(ann.id, &waiting[0].1, &thumb).unwrap();
    assert!(
        repo.photos_without_thumbnail(10).unwrap().is_empty(),
        "made once"
    );
    let rows = repo.list_contacts(&ContactQuery::default()).unwrap().items;
    assert_eq!(rows[0].thumbnail.as_deref(), Some(&thumb[..]));
    assert_eq!(rows[1].thumbnail, None);
    // An edit of the form leaves the photo; removing it takes the thumbnail too.
    let edited = repo
        .update_contact(ann.id, ann.version, &person("Ann Lee"))
        .unwrap();
    assert!(edited.photo.is_some());
    let version = repo
        .set_contact_photo(ann.id, edited.version, None, None)
        .unwrap();
    assert!(version > edited.version);
    assert_eq!(repo.contact_photo(ann.id).unwrap(), None);
    assert_eq!(repo.contact_thumbnail(ann.id).unwrap(), None);
}

#[test]
fn a_thumbnail_made_from_a_photo_replaced_meanwhile_is_not_kept() {
    let mut repo = common::repo();
    let photo = |pixel: u8| Photo {
        media_type: "image/png".into(),
        url: String::new(),
        bytes: Arc::from(vec![pixel; 64]),
    };
    let ann = repo
        .create_contact(&ContactDraft {
            photo: Some(photo(1)),
            ..person("Ann")
        })
        .unwrap();
    // The list thread reads the photo; meanwhile another of the very same length replaces it.
    let waiting = repo.photos_without_thumbnail(10).unwrap();
    repo.set_contact_photo(ann.id, ann.version, Some(&photo(2)), None)
        .unwrap();
    repo.store_thumbnail(ann.id, &waiting[0].1, b"old face")
        .unwrap();
    assert_eq!(repo.contact_thumbnail(ann.id).unwrap(), None);
    let waiting = repo.photos_without_thumbnail(10).unwrap();
    assert_eq!(
        waiting[0].1,
        photo(2),
        "the new photo still waits for its own"
    );
    repo.store_thumbnail(ann.id, &waiting[0].1, b"new face")
        .unwrap();
    assert_eq!(
        repo.contact_thumbnail(ann.id).unwrap().as_deref(),
        Some(&b"new face"[..])
    );
}

#[test]
fn a_photo_file_must_be_a_picture_of_sane_size_and_changes_nothing_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let mut repo = Repository::open(dir.path().join("f.folio")).unwrap();
    let ann = repo.create_contact(&person("Ann")).unwrap();
    let text = dir.path().join("notes.png");
    std::fs::write(&text, "not a picture").unwrap();
    let err = set_photo_from_file(&mut repo, ann.id, ann.version, &text).unwrap_err();
    assert!(matches!(err, ExchangeError::NotAPhoto { .. }), "{err}");
    assert!(err.to_string().contains("not a JPEG or PNG"), "{err}");

    // A PNG that claims 100,000 × 100,000 pixels is refused before any is decoded.
    let bomb = dir.path().join("bomb.png");
    std::fs::write(&bomb, include_bytes!("fixtures/pictures/bomb.png")).unwrap();
    let err = set_photo_from_file(&mut repo, ann.id, ann.version, &bomb).unwrap_err();
    assert!(
        err.to_string().contains("larger than Folio decodes"),
        "{err}"
    );
    assert_eq!(
        repo.contact(ann.id).unwrap().version,
        ann.version,
        "nothing changed"
    );

    let good = dir.path().join("ann.jpg");
    std::fs::write(&good, jpeg(640, 480)).unwrap();
    let version = set_photo_from_file(&mut repo, ann.id, ann.version, &good).unwrap();
    assert!(version > ann.version);
    assert!(
        repo.contact_thumbnail(ann.id).unwrap().is_some(),
        "made with it"
    );
    // An older version is a conflict, not an overwrite.
    let stale = set_photo_from_file(&mut repo, ann.id, ann.version, &good).unwrap_err();
    assert!(matches!(
        stale,
        ExchangeError::Database(DbError::Conflict { .. })
    ));
}

#[test]
fn a_contact_photo_over_the_limit_is_refused_by_the_repository() {
    let mut repo = common::repo();
    let too_big = ContactDraft {
        photo: Some(Photo {
            media_type: "image/jpeg".into(),
            url: String::new(),
            bytes: Arc::from(vec![0u8; MAX_PHOTO_BYTES + 1]),
        }),
        ..person("Ann")
    };
    let err = repo.create_contact(&too_big).unwrap_err();
    assert!(err.to_string().contains("up to 10 MB"), "{err}");
}
