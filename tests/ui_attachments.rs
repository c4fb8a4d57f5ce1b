//! Pictures and files in a note, through the window (issue 17, part 2): paste a screenshot,
//! drop a file, attach through Note → Attach file…, see the picture in the preview, and remove
//! an attachment.

// A test fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_support;

use std::io::Cursor;
use std::sync::Arc;

use egui::load::{SizeHint, TexturePoll};
use egui::{Event, Key, Modifiers, TextureOptions};
use egui_kittest::kittest::Queryable;
use ui_support::{App, note};

fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbaImage::from_pixel(width, height, image::Rgba([30, 120, 200, 255]));
    let mut bytes = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

/// The app with one note, open, its body focused.
fn note_open() -> App {
    let mut app = App::start(|repo| {
        note(repo, "Receipts", "Groceries\n");
    });
    app.click("Receipts");
    app.harness.get_by_label("Body").click();
    app.settle();
    app
}

fn body(app: &App) -> String {
    let id = app.note_id("Receipts");
    app.repo().note(id).unwrap().body
}

/// Waits until the note's pictures are decoded, then gives the size of this one's texture
/// (`None` while it loads), or why it has none.
fn texture_of(app: &mut App, uri: &str) -> Result<Option<egui::Vec2>, String> {
    app.settle();
    match app
        .harness
        .ctx
        .try_load_texture(uri, TextureOptions::default(), SizeHint::default())
    {
        Ok(TexturePoll::Ready { texture }) => Ok(Some(texture.size)),
        Ok(TexturePoll::Pending { .. }) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn a_pasted_screenshot_is_attached_where_the_cursor_is_and_shows_in_the_preview() {
    let mut app = note_open();
    let screenshot = egui::ColorImage::from_rgba_unmultiplied([64, 32], &[200u8; 64 * 32 * 4]);
    app.harness
        .input_mut()
        .events
        .push(Event::PasteImage(Arc::new(screenshot)));
    app.settle();
    app.harness.get_by_label_contains("Attached Pasted ");

    let text = body(&app);
    assert!(text.starts_with("Groceries\n![Pasted "), "{text}");
    let id = app.note_id("Receipts");
    let attached = app.repo().attachments_of_note(id).unwrap();
    assert_eq!(attached.len(), 1);
    assert_eq!(attached[0].media_type, "image/png");
    let bytes = app
        .repo()
        .attachment_bytes(&attached[0].uuid)
        .unwrap()
        .unwrap();
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (64, 32));
    // The strip under the note names it.
    app.harness.get_by_label(&attached[0].file_name);

    app.press(Modifiers::COMMAND, Key::E);
    let uri = format!("attachment:{}", attached[0].uuid);
    assert_eq!(
        texture_of(&mut app, &uri),
        Ok(Some(egui::vec2(64.0, 32.0))),
        "the preview shows the picture"
    );
}

#[test]
fn a_dropped_file_is_attached_and_removing_it_takes_it_out_of_the_text() {
    let mut app = note_open();
    let file = app.path("manual.pdf");
    std::fs::write(&file, b"%PDF-1.7 a manual").unwrap();
    app.harness.input_mut().dropped_files =
        vec![Arc::new(ui_support::Dropped(file)) as Arc<dyn egui::DroppedFile + Send + Sync>];
    app.settle();
    app.harness.get_by_label_contains("Attached manual.pdf.");
    let id = app.note_id("Receipts");
    let attached = app.repo().attachments_of_note(id).unwrap();
    assert_eq!(attached.len(), 1, "attached, not imported as a note");
    assert_eq!(app.repo().stats().unwrap().notes, 1);
    assert!(body(&app).contains(&format!("[manual.pdf](attachment:{})", attached[0].uuid)));
    app.harness.get_by_label("17 bytes");

    app.click("Remove manual.pdf");
    assert_eq!(body(&app), "Groceries\n");
    assert!(app.repo().attachments_of_note(id).unwrap().is_empty());
    assert!(app.harness.query_by_label("Remove manual.pdf").is_none());
}

#[test]
fn attach_file_in_the_note_menu_attaches_the_files_chosen() {
    let mut app = note_open();
    let photo = app.path("beach.png");
    std::fs::write(&photo, png(20, 10)).unwrap();
    app.dialogs.answer(Some(photo));
    app.click("Note");
    app.click("Attach file…");
    app.harness.get_by_label_contains("Attached beach.png.");
    assert!(
        body(&app).contains("![beach.png](attachment:"),
        "{}",
        body(&app)
    );
}

#[test]
fn a_damaged_picture_shows_a_placeholder_and_the_window_goes_on() {
    let mut app = note_open();
    let broken = app.path("broken.png");
    let mut bytes = png(8, 8);
    bytes.truncate(40);
    std::fs::write(&broken, bytes).unwrap();
    app.dialogs.answer(Some(broken));
    app.click("Note");
    app.click("Attach file…");
    let id = app.note_id("Receipts");
    let attached = app.repo().attachments_of_note(id).unwrap();
    assert_eq!(attached[0].media_type, "image/png");
    app.press(Modifiers::COMMAND, Key::E);
    let uri = format!("attachment:{}", attached[0].uuid);
    // The placeholder, not an 8×8 picture.
    let [w, h] = folio::ui::PLACEHOLDER_SIZE;
    assert_eq!(
        texture_of(&mut app, &uri),
        Ok(Some(egui::vec2(w as f32, h as f32)))
    );
    // The window goes on: the note still edits.
    app.press(Modifiers::COMMAND, Key::E);
    app.harness.get_by_label("Body");
}

#[test]
fn save_as_writes_a_copy_of_the_attachment_where_the_user_chose() {
    let mut app = note_open();
    let photo = app.path("beach.png");
    let bytes = png(30, 20);
    std::fs::write(&photo, &bytes).unwrap();
    app.dialogs.answer(Some(photo));
    app.click("Note");
    app.click("Attach file…");
    let copy = app.path("copy of beach.png");
    app.dialogs.answer(Some(copy.clone()));
    app.click("Save beach.png as…");
    app.harness.get_by_label_contains("Saved ");
    assert_eq!(std::fs::read(&copy).unwrap(), bytes);
}

#[test]
fn a_note_with_pictures_open_in_its_preview_runs_no_query_while_idle() {
    let mut app = App::start(|repo| {
        let photo = repo
            .add_attachment(&folio::db::NewAttachment {
                file_name: "photo.png",
                media_type: "",
                bytes: &png(40, 30),
                uuid: None,
                created: None,
            })
            .unwrap();
        note(repo, "Album", &photo.markdown_reference());
    });
    app.click("Album");
    app.press(Modifiers::COMMAND, Key::E);
    app.harness.get_by_label("photo.png");
    let session = app.harness.state_mut().session_mut().unwrap();
    let window_queries = session.repo.count_queries();
    window_queries.reset();
    for _ in 0..20 {
        app.harness.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(
        window_queries.get(),
        0,
        "queries on the window's connection"
    );
    // And the counter counts: a change of the text's references reads the strip again.
    app.press(Modifiers::COMMAND, Key::E);
    app.harness.get_by_label("Body").click();
    app.harness.step();
    app.harness
        .get_by_label("Body")
        .type_text(" [again](attachment:00000000-0000-4000-8000-000000000000)");
    app.settle();
    assert!(window_queries.get() > 0);
}
