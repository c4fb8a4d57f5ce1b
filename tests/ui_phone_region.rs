//! View → "Phone numbers without + are from": the country national numbers are read in, so
//! an import finds the same number written two ways. (A test binary of its own: the region is
//! the process's.)

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_support;

use std::fs;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use ui_support::App;

#[test]
fn a_region_chosen_in_the_view_menu_reads_national_numbers_for_duplicates() {
    let mut app = App::start(|_| {});
    app.click("View");
    app.type_into("Phone region", "fr");
    app.press(Modifiers::NONE, Key::Enter);
    assert_eq!(
        app.harness.state().settings().phone_region.as_deref(),
        Some("FR")
    );
    assert_eq!(
        folio::db::phone_region(),
        Some(phonenumber_region_fr()),
        "the import reads national numbers as French"
    );

    let file = app.path("phones.vcf");
    let card = |name: &str, tel: &str| {
        format!("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nTEL:{tel}\r\nEND:VCARD\r\n")
    };
    fs::write(
        &file,
        [
            card("Amélie Paris", "+33 6 98 76 54 32"),
            card("Álvaro Madrid", "+34 698 76 54 32"),
            card("Amélie at home", "06 98 76 54 32"),
        ]
        .concat(),
    )
    .unwrap();
    app.dialogs.answer(Some(file));
    // The first click outside closes the View menu, the second opens File.
    app.click("File");
    if app.harness.query_by_label("Import…").is_none() {
        app.click("File");
    }
    app.click("Import…");
    app.harness.get_by_label("Possible duplicates, to review");
    app.harness.get_by_label("Amélie at home");
    app.harness.get_by_label("share +33 6 98 76 54 32");
    assert!(
        app.harness.query_by_label("Álvaro Madrid").is_none(),
        "Spain's number is another number"
    );

    // Searched whole, the number finds both French spellings and not the Spanish number,
    // whichever way it is typed.
    app.harness.get_by_label_contains("All contacts").click();
    app.settle();
    assert_eq!(app.list_titles().len(), 3);
    for typed in ["06 98 76 54 32", "+33 6 98 76 54 32", "tel:+33698765432"] {
        app.type_into("Search", typed);
        let mut found = app.list_titles();
        found.sort();
        assert_eq!(found, ["Amélie Paris", "Amélie at home"], "{typed}");
        app.press(Modifiers::NONE, Key::Escape);
    }
    app.type_into("Search", "+34 698 76 54 32");
    assert_eq!(app.list_titles(), ["Álvaro Madrid"]);
    app.press(Modifiers::NONE, Key::Escape);

    // Go to anything (Ctrl+K) matches the number the same way: typed as one run of digits,
    // it is one term, which the digits of "+33 6 98…" do not hold.
    app.press(Modifiers::COMMAND, Key::K);
    app.harness
        .get_by_label("Go to anything")
        .type_text("0698765432");
    app.settle();
    app.harness.get_by_label_contains("Contact: Amélie Paris");
    app.harness.get_by_label_contains("Contact: Amélie at home");
    assert!(
        app.harness
            .query_by_label_contains("Contact: Álvaro Madrid")
            .is_none()
    );
    app.press(Modifiers::NONE, Key::Escape);

    // Emptied, the field gives the locale's region back; a code that names no country is said
    // so, and changes nothing.
    app.click("View");
    app.harness.get_by_label("Phone region").click();
    app.harness.step();
    app.press(Modifiers::NONE, Key::End);
    app.press(Modifiers::NONE, Key::Backspace);
    app.press(Modifiers::NONE, Key::Backspace);
    app.harness.get_by_label("Phone region").type_text("zz");
    app.settle();
    app.harness
        .get_by_label_contains("is not a two-letter country code");
    assert_eq!(app.harness.state().settings().phone_region, None);
}

fn phonenumber_region_fr() -> phonenumber::country::Id {
    phonenumber::country::Id::FR
}
