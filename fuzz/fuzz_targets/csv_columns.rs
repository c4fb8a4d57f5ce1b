//! The CSV column mapper: any header row (one header per line of the input, as many columns as
//! the input has lines) is mapped to fields, then one row of the same width is read with them.
//! Wide files and repeated labelled columns (`Phone 1 - Value` … `Phone 70000 - Value`) must
//! neither panic nor overflow a slot counter.
#![no_main]

use folio::exchange::contacts_csv::{fields_for_headers, read};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let headers: Vec<String> = text.lines().map(str::to_owned).collect();
    let (_layout, fields) = fields_for_headers(&headers);
    // Every header quoted (quotes doubled), as a spreadsheet writes them.
    let quoted: Vec<String> = headers
        .iter()
        .map(|h| format!("\"{}\"", h.replace('"', "\"\"")))
        .collect();
    let row = vec!["x"; headers.len()].join(",");
    let _ = read(&format!("{}\n{row}\n", quoted.join(",")), &fields);
});
