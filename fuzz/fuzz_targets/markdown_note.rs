//! A Markdown note file as import reads it: decoded from any bytes, then parsed (front matter,
//! title, tags); and the parser alone on the bytes taken as lossy UTF-8.
#![no_main]

use folio::exchange::markdown::{decode_text, parse_note};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((text, _warning)) = decode_text(data) {
        let _ = parse_note("fuzz", &text);
    }
    let _ = parse_note("fuzz", &String::from_utf8_lossy(data));
});
