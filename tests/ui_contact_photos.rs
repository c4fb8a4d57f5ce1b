//! A contact's photo in the window: set through the file dialog or by dropping a picture,
//! shown on the page and in the list, and removed.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_support;

use std::io::Cursor;
use std::sync::Arc;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use folio::db::{ContactDraft, ContactId, ContactQuery};
use ui_support::App;

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_pixel(width, height, image::Rgb([20, 120, 200]));
    let mut bytes = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .unwrap();
    bytes
}

fn ann_open() -> App {
    let mut app = App::start(|repo| {
        repo.create_contact(&ContactDraft {
            given_name: "Ann".into(),
            family_name: "Lee".into(),
            ..ContactDraft::default()
        })
        .unwrap();
    });
    app.harness.get_by_label_contains("All contacts").click();
    app.settle();
    app.harness
        .get_by_role_and_label(Role::ListBoxOption, "Ann Lee")
        .click();
    app.settle();
    app
}

fn ann(app: &App) -> ContactId {
    app.repo()
        .list_contacts(&ContactQuery::default())
        .unwrap()
        .items[0]
        .id
}

#[test]
fn a_photo_is_set_from_the_dialog_shown_in_the_list_and_removed() {
    let mut app = ann_open();
    app.harness.get_by_label("No photo of Ann Lee");
    let file = app.path("ann.jpg");
    std::fs::write(&file, jpeg(800, 600)).unwrap();
    app.dialogs.answer(Some(file));
    app.click("Set photo…");
    app.harness.get_by_label_contains("Photo set.");
    let id = ann(&app);
    let mut repo = app.repo();
    let photo = repo.contact_photo(id).unwrap().expect("a photo");
    assert_eq!(photo.media_type, "image/jpeg");
    assert!(repo.contact_thumbnail(id).unwrap().is_some());
    app.harness.get_by_label("Photo of Ann Lee");
    // The list's row carries the thumbnail the avatar is drawn from.
    let session = app.harness.state_mut().session_mut().unwrap();
    assert!(session.contacts.row(0).unwrap().thumbnail.is_some());

    app.click("Remove photo");
    app.harness.get_by_label("No photo of Ann Lee");
    assert_eq!(repo.contact_photo(id).unwrap(), None);
}

#[test]
fn a_picture_dropped_on_an_open_contact_is_its_photo() {
    let mut app = ann_open();
    let file = app.path("dropped.jpg");
    std::fs::write(&file, jpeg(64, 64)).unwrap();
    app.harness.input_mut().dropped_files =
        vec![std::sync::Arc::new(ui_support::Dropped(file))
            as Arc<dyn egui::DroppedFile + Send + Sync>];
    app.settle();
    app.harness.get_by_label_contains("Photo set.");
    let id = ann(&app);
    assert!(app.repo().contact_photo(id).unwrap().is_some());
    assert_eq!(
        app.repo()
            .list_contacts(&ContactQuery::default())
            .unwrap()
            .total,
        1,
        "nothing was imported"
    );
}

#[test]
fn a_file_that_is_no_picture_is_refused_in_words() {
    let mut app = ann_open();
    let file = app.path("fake.png");
    std::fs::write(&file, "just text").unwrap();
    app.dialogs.answer(Some(file));
    app.click("Set photo…");
    app.harness.get_by_label_contains("The photo was not set: ");
    let id = ann(&app);
    assert_eq!(app.repo().contact_photo(id).unwrap(), None);
}

#[test]
fn an_imported_photo_gets_its_thumbnail_while_the_window_idles() {
    let mut app = App::start(|repo| {
        repo.create_contact(&ContactDraft {
            given_name: "Imported".into(),
            photo: Some(folio::db::Photo {
                media_type: "image/jpeg".into(),
                url: String::new(),
                bytes: Arc::from(jpeg(1200, 900)),
            }),
            ..ContactDraft::default()
        })
        .unwrap();
    });
    app.harness.get_by_label_contains("All contacts").click();
    app.settle();
    let id = ann(&app);
    assert_eq!(app.repo().contact_thumbnail(id).unwrap(), None, "not yet");
    // The list thread makes it once the window has been idle a few seconds.
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(10) {
        app.harness.step();
        std::thread::sleep(std::time::Duration::from_millis(50));
        let session = app.harness.state_mut().session_mut().unwrap();
        if session
            .contacts
            .row(0)
            .is_some_and(|r| r.thumbnail.is_some())
        {
            break;
        }
    }
    let session = app.harness.state_mut().session_mut().unwrap();
    assert!(
        session.contacts.row(0).unwrap().thumbnail.is_some(),
        "the row has its thumbnail"
    );
    assert!(app.repo().contact_thumbnail(id).unwrap().is_some());
}
