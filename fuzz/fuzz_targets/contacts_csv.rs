//! A CSV file of contacts as import reads it: decoded from any bytes, previewed (header row,
//! layout, the field of each column), then read with the fields the preview found, as import
//! does for a layout it knows. Then read again with the fields a person can pick for a file of
//! unknown layout (`field_choices`): once per choice, rotated across the columns, so every
//! kind of field meets every column.
#![no_main]

use folio::exchange::contacts_csv::{field_choices, preview, read};
use folio::exchange::markdown::decode_text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok((text, _warning)) = decode_text(data) else {
        return;
    };
    let Ok(preview) = preview(&text) else {
        return;
    };
    let _ = read(&text, &preview.fields);
    let columns = preview.headers.len();
    let choices: Vec<_> = (0..columns).map(field_choices).collect();
    let kinds = choices.first().map_or(0, Vec::len);
    for rotation in 0..kinds {
        let fields: Vec<_> = choices
            .iter()
            .enumerate()
            .map(|(column, list)| list[(column + rotation) % list.len()].0)
            .collect();
        let _ = read(&text, &fields);
    }
});
