//! YAML front matter as a Markdown import reads it, the bytes placed between `---` lines:
//! aliases, anchors, tags, deep nesting and broken YAML must give a note (or a warning), never
//! a panic, a hang or an explosion of memory (run with `-rss_limit_mb`).
#![no_main]

use folio::exchange::markdown::parse_note;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let yaml = String::from_utf8_lossy(data);
    let _ = parse_note("fuzz", &format!("---\n{yaml}\n---\nbody"));
});
