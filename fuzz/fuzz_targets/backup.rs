//! A JSON backup as restore and import read it, from any bytes.
#![no_main]

use std::path::Path;

use folio::exchange::backup::parse_backup;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_backup(data, Path::new("fuzz.json"));
});
