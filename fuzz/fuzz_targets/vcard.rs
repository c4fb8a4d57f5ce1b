//! A vCard file as import reads it: its folded lines joined and its bytes decoded, then every
//! card read; and the reader alone on the bytes taken as lossy UTF-8. What was read is then
//! shown (the kept properties) and exported again as 3.0 and 4.0, as a user can do right after
//! an import.
#![no_main]

use folio::exchange::markdown::decode_text;
use folio::exchange::vcard::{CardVersion, kept_properties, read_cards, unfold_bytes, write_cards};
use libfuzzer_sys::fuzz_target;

fn check(text: &str) {
    let read = read_cards(text);
    for contact in &read.contacts {
        let _ = kept_properties(&contact.card_extra);
    }
    let _ = write_cards(&read.contacts, CardVersion::V3);
    let _ = write_cards(&read.contacts, CardVersion::V4);
}

fuzz_target!(|data: &[u8]| {
    if let Ok((text, _warning)) = decode_text(&unfold_bytes(data.to_vec())) {
        check(&text);
    }
    check(&String::from_utf8_lossy(data));
});
