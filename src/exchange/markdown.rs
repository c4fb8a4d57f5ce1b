//! Notes as Markdown files: one `.md` per note with YAML front matter (`title`, `tags`,
//! `created`, `updated`, `pinned`, `people`, `uuid`), and reading such files back, or any
//! Markdown or text file, tolerantly.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use serde::Serialize;
use serde_norway::Value;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::{ExchangeError, ExchangeResult, atomic, on_every_core};
use crate::db::{Attachment, NoteRecord, Timestamp, attachment_refs, extension_for};

/// Longest file name stem written, in bytes of UTF-8 (file systems allow 255 bytes for the
/// whole name; the suffix and extension need the rest).
const MAX_STEM_BYTES: usize = 200;
/// The largest front matter read as such: far beyond the few keys a note has.
pub const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;

/// Whether Windows reserves a name for a device, whatever its extension: CON, PRN, AUX, NUL,
/// COM0–9 and LPT0–9 (with the superscript digits ¹²³ too).
fn is_reserved(stem: &str) -> bool {
    let base = stem.split('.').next().unwrap_or("").trim().to_lowercase();
    if matches!(base.as_str(), "con" | "prn" | "aux" | "nul") {
        return true;
    }
    let mut chars = base.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let rest: Vec<char> = chars.collect();
    (prefix == "com" || prefix == "lpt")
        && rest.len() == 1
        && (rest[0].is_ascii_digit() || matches!(rest[0], '¹' | '²' | '³'))
}

/// A file name stem made from a title that is safe on Windows, macOS and Linux: no path
/// separators or characters Windows refuses, no control characters, no leading or trailing
/// dots or spaces, not a reserved device name, not empty, not too long.
pub fn safe_stem(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let words = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = words.trim_matches(|c: char| c == '.' || c == ' ');
    let mut stem = String::new();
    for c in trimmed.chars() {
        if stem.len() + c.len_utf8() > MAX_STEM_BYTES {
            break;
        }
        stem.push(c);
    }
    let stem = stem.trim_end_matches(['.', ' ']);
    if stem.is_empty() {
        "Untitled".to_owned()
    } else if is_reserved(stem) {
        // "_NUL.txt": no longer the device, whatever follows.
        format!("_{stem}")
    } else {
        stem.to_owned()
    }
}

/// Unique names for a set of stems: a suffix " (2)", " (3)"… on collision, comparing without
/// case, since macOS and Windows file systems do.
pub struct UniqueNames {
    taken: HashSet<String>,
}

impl UniqueNames {
    pub fn new() -> Self {
        UniqueNames {
            taken: HashSet::new(),
        }
    }

    pub fn name(&mut self, stem: &str, extension: &str) -> String {
        let mut candidate = format!("{stem}.{extension}");
        let mut n = 2;
        while !self.taken.insert(candidate.to_lowercase()) {
            candidate = format!("{stem} ({n}).{extension}");
            n += 1;
        }
        candidate
    }
}

impl Default for UniqueNames {
    fn default() -> Self {
        Self::new()
    }
}

pub fn iso_date(stamp: Timestamp) -> String {
    Utc.timestamp_millis_opt(stamp.0)
        .single()
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
        .unwrap_or_default()
}

#[derive(Serialize)]
struct FrontMatter<'a> {
    title: &'a str,
    tags: &'a [String],
    created: String,
    updated: String,
    pinned: bool,
    people: Vec<&'a str>,
    uuid: &'a str,
}

/// One note as a Markdown file's text.
pub fn note_to_markdown(note: &NoteRecord, people: &HashMap<String, String>) -> String {
    let front = FrontMatter {
        title: &note.title,
        tags: &note.tags,
        created: iso_date(note.created),
        updated: iso_date(note.updated),
        pinned: note.pinned,
        people: note
            .people
            .iter()
            .filter_map(|uuid| people.get(uuid).map(String::as_str))
            .collect(),
        uuid: &note.uuid,
    };
    // Serializing plain strings, lists and booleans cannot fail; an empty header is the
    // harmless fallback.
    let yaml = serde_norway::to_string(&front).unwrap_or_default();
    format!("---\n{yaml}---\n\n{}", note.body)
}

/// The folder beside the `.md` files that an export writes attachments into.
pub const ATTACHMENTS_FOLDER: &str = "attachments";

/// A file to write into the export's [`ATTACHMENTS_FOLDER`]: its name there, and what it is.
pub struct ExportedFile {
    pub name: String,
    pub attachment: Attachment,
}

/// Reads an attachment's bytes for an export, one file at a time.
pub type ReadAttachment<'a> = dyn FnMut(&Attachment) -> ExchangeResult<Vec<u8>> + 'a;

/// Writes each note to its own `.md` file in a new folder `folder` (which must not exist or be
/// empty), and `files` into its [`ATTACHMENTS_FOLDER`], all at once: the folder appears whole
/// or not at all. `people` maps contact UUIDs to names. Returns how many notes were written.
pub fn export_markdown(
    notes: &[NoteRecord],
    people: &HashMap<String, String>,
    folder: &Path,
    files: &[ExportedFile],
    read: &mut ReadAttachment<'_>,
) -> ExchangeResult<usize> {
    let mut names = UniqueNames::new();
    let note_files: Vec<(String, &NoteRecord)> = notes
        .iter()
        .map(|note| (names.name(&safe_stem(&note.title), "md"), note))
        .collect();
    atomic::write_folder(folder, |temp| {
        on_every_core(&note_files, |part| {
            for (name, note) in part {
                let path = temp.join(name);
                let mut file = fs::File::create_new(&path).map_err(ExchangeError::io(&path))?;
                file.write_all(note_to_markdown(note, people).as_bytes())
                    .map_err(ExchangeError::io(&path))?;
            }
            Ok(Vec::<()>::new())
        })?;
        if files.is_empty() {
            return Ok(());
        }
        let attachments = temp.join(ATTACHMENTS_FOLDER);
        fs::create_dir(&attachments).map_err(ExchangeError::io(&attachments))?;
        for file in files {
            let path = attachments.join(&file.name);
            let bytes = read(&file.attachment)?;
            let mut out = fs::File::create_new(&path).map_err(ExchangeError::io(&path))?;
            out.write_all(&bytes).map_err(ExchangeError::io(&path))?;
        }
        Ok(())
    })?;
    Ok(notes.len())
}

/// Where a Markdown export puts each attachment the notes refer to: a name in
/// [`ATTACHMENTS_FOLDER`] for each (unique, safe on every system) and the link that reaches it
/// from a note, keyed by UUID.
pub fn attachment_files<'n>(
    notes: impl IntoIterator<Item = &'n NoteRecord>,
    stored: &HashMap<String, Attachment>,
) -> (Vec<ExportedFile>, HashMap<String, String>) {
    let mut names = UniqueNames::new();
    let mut files = Vec::new();
    let mut links = HashMap::new();
    for note in notes {
        for uuid in attachment_refs(&note.body) {
            let Some(attachment) = stored.get(&uuid) else {
                continue;
            };
            if links.contains_key(&uuid) {
                continue;
            }
            let (stem, extension) = match attachment.file_name.rsplit_once('.') {
                Some((stem, ext)) if !stem.trim().is_empty() && !ext.is_empty() => {
                    (stem, safe_stem(ext))
                }
                _ => (
                    attachment.file_name.as_str(),
                    extension_for(&attachment.media_type).to_owned(),
                ),
            };
            let name = names.name(&safe_stem(stem), &extension);
            let link = format!(
                "{ATTACHMENTS_FOLDER}/{}",
                utf8_percent_encode(&name, LINK_UNSAFE)
            );
            links.insert(uuid, link);
            files.push(ExportedFile {
                name,
                attachment: attachment.clone(),
            });
        }
    }
    (files, links)
}

/// What a file name must have encoded to be a Markdown link's destination read the same by
/// CommonMark, Obsidian and Joplin: all but letters, digits and `-._~`.
const LINK_UNSAFE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A note read from a file, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedNote {
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    pub pinned: bool,
    pub created: Option<Timestamp>,
    pub updated: Option<Timestamp>,
    pub people: Vec<String>,
    pub uuid: Option<String>,
    /// Something odd that was tolerated, for the import report.
    pub warning: Option<String>,
}

/// Splits front matter off: the YAML between a first line `---` and the next line `---` (or
/// `...`), and the body after it, less one blank line. `None` when there is none.
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare == "---" || bare == "..." {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body = body
                .strip_prefix("\r\n")
                .or_else(|| body.strip_prefix('\n'))
                .unwrap_or(body);
            return Some((yaml, body));
        }
        offset += line.len();
    }
    None
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list, or a string of comma-separated items (`tags: a, b` as well as `tags: [a, b]`).
fn text_list(value: &Value) -> Vec<String> {
    let items: Vec<String> = match value {
        Value::Sequence(items) => items.iter().filter_map(scalar_text).collect(),
        other => scalar_text(other)
            .map(|s| s.split(',').map(str::to_owned).collect())
            .unwrap_or_default(),
    };
    items
        .into_iter()
        .map(|s| s.trim().trim_start_matches('#').trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// ISO 8601 with a time zone, a date and time taken as UTC, or a date alone.
fn parse_date(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    let millis = DateTime::parse_from_rfc3339(text)
        .map(|t| t.timestamp_millis())
        .ok()
        .or_else(|| {
            [
                "%Y-%m-%dT%H:%M:%S%.f",
                "%Y-%m-%d %H:%M:%S%.f",
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M",
            ]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
            .map(|t| t.and_utc().timestamp_millis())
        })
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc().timestamp_millis())
        })?;
    Some(Timestamp(millis))
}

/// The text of the first level-1 heading (`# Title`), if any.
fn first_heading(body: &str) -> Option<String> {
    body.lines().find_map(|line| {
        let title = line.strip_prefix("# ")?.trim().trim_end_matches('#').trim();
        (!title.is_empty()).then(|| title.to_owned())
    })
}

/// Front matter read line by line: `key: value`, `key: [a, b]`, and `- item` lines under a
/// key with no value. Lines that are none of these are left out. `None` when no line is.
fn loose_front_matter(yaml: &str) -> Option<Value> {
    let mut map = serde_norway::Mapping::new();
    let mut list_key: Option<String> = None;
    for line in yaml.lines() {
        let trimmed = line.trim();
        if let Some(item) = trimmed.strip_prefix("- ")
            && let Some(key) = &list_key
        {
            let entry = map
                .entry(Value::String(key.clone()))
                .or_insert_with(|| Value::Sequence(Vec::new()));
            if let Value::Sequence(items) = entry {
                items.push(Value::String(unquote(item).to_owned()));
            }
            continue;
        }
        let Some((key, value)) = trimmed.split_once(':') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty() || key.contains(char::is_whitespace) {
            list_key = None;
            continue;
        }
        let value = value.trim();
        if value.is_empty() {
            list_key = Some(key.to_owned());
            continue;
        }
        list_key = None;
        let value = match value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            Some(items) => Value::Sequence(
                items
                    .split(',')
                    .map(|i| Value::String(unquote(i.trim()).to_owned()))
                    .collect(),
            ),
            None if value == "true" || value == "false" => Value::Bool(value == "true"),
            None => Value::String(unquote(value).to_owned()),
        };
        map.insert(Value::String(key.to_owned()), value);
    }
    (!map.is_empty()).then_some(Value::Mapping(map))
}

fn unquote(text: &str) -> &str {
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .or_else(|| text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')))
        .unwrap_or(text)
}

/// Whether YAML text may hold an alias (`*name` where a value starts), outside quotes. It
/// errs towards yes: a false yes only means the front matter is read line by line.
fn may_hold_alias(yaml: &str) -> bool {
    yaml.lines().any(|line| {
        let mut quote: Option<char> = None;
        // The last character outside whitespace; `:` stands for the line's start.
        let mut previous = ':';
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (quote, c) {
                // `''` inside single quotes and `\"` inside double quotes are the quote itself.
                (Some('\''), '\'') if chars.peek() == Some(&'\'') => {
                    chars.next();
                }
                (Some('"'), '\\') => {
                    chars.next();
                }
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if "[{,:-?".contains(previous) => {
                    quote = Some(c);
                }
                // An alias starts a value: first on its line, or after `:`, `-`, `?` or a flow
                // `[`, `{`, `,` (spaces between). Inside a plain scalar (`Meeting *urgent*`)
                // a star is text.
                (None, '*')
                    if "[{,:-?".contains(previous)
                        && chars.peek().is_some_and(|next| !next.is_whitespace()) =>
                {
                    return true;
                }
                _ => {}
            }
            if !c.is_whitespace() || quote.is_some() {
                previous = c;
            }
        }
        false
    })
}

/// Reads a note from a file's text. The title comes from the front matter, else the first
/// `#` heading, else `file_stem`; the body is kept whole (a heading used as the title stays in
/// it). Odd front matter is tolerated: an empty key, unknown keys, tags as a string; front
/// matter that is not YAML at all stays in the body, so nothing is lost.
pub fn parse_note(file_stem: &str, text: &str) -> ParsedNote {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut note = ParsedNote {
        title: String::new(),
        body: text.to_owned(),
        tags: Vec::new(),
        pinned: false,
        created: None,
        updated: None,
        people: Vec::new(),
        uuid: None,
        warning: None,
    };
    let front_matter = split_front_matter(text).filter(|(yaml, _)| {
        // Folio's own front matter is a few hundred bytes; a larger block is kept as text.
        let fits = yaml.len() <= MAX_FRONT_MATTER_BYTES;
        if !fits {
            note.warning = Some(format!(
                "its front matter is larger than {} KB, the most Folio reads, so it was kept as \
                 part of the note's text",
                MAX_FRONT_MATTER_BYTES / 1024
            ));
        }
        fits
    });
    if let Some((yaml, body)) = front_matter {
        // Strict YAML first; front matter other tools wrote is not always valid YAML (`: x`,
        // a stray quote), so then it is read line by line as `key: value`.
        // YAML aliases never reach the YAML parser: each `*a` replays everything its anchor
        // holds, so a 600 KB front matter can expand to billions of values (the parser's
        // limit counts the jumps, not what they replay). Folio's own keys never need one; such
        // front matter is read line by line, which takes `*a` as plain text.
        let has_aliases = may_hold_alias(yaml);
        if has_aliases {
            note.warning = Some(
                "its front matter uses YAML aliases (*name), which Folio does not expand; it \
                 was read line by line"
                    .to_owned(),
            );
        }
        let strict = if has_aliases {
            None
        } else {
            serde_norway::from_str::<Value>(yaml).ok()
        };
        let parsed = match strict {
            Some(value) => Ok(value),
            None => loose_front_matter(yaml).ok_or(()),
        };
        // Front matter names at least one thing a note has; a plain note that opens with a
        // `---` rule and a line with a colon is not front matter, and stays whole.
        const KNOWN: [&str; 8] = [
            "title", "tags", "created", "updated", "pinned", "people", "uuid", "date",
        ];
        let parsed = parsed.and_then(|value| match &value {
            Value::Mapping(map)
                if KNOWN
                    .iter()
                    .any(|k| map.contains_key(Value::String((*k).to_owned()))) =>
            {
                Ok(value)
            }
            Value::Null => Ok(value),
            _ => Err(()),
        });
        match parsed {
            Ok(Value::Mapping(map)) => {
                note.body = body.to_owned();
                let get = |key: &str| map.get(Value::String(key.to_owned()));
                if let Some(title) = get("title").and_then(scalar_text) {
                    note.title = title.trim().to_owned();
                }
                if let Some(tags) = get("tags") {
                    note.tags = text_list(tags);
                }
                if let Some(people) = get("people") {
                    note.people = text_list(people);
                }
                note.pinned = match get("pinned") {
                    Some(Value::Bool(b)) => *b,
                    Some(Value::String(s)) => matches!(s.trim(), "true" | "yes" | "True"),
                    _ => false,
                };
                note.created = get("created")
                    .and_then(scalar_text)
                    .and_then(|s| parse_date(&s));
                note.updated = get("updated")
                    .and_then(scalar_text)
                    .and_then(|s| parse_date(&s));
                note.uuid = get("uuid")
                    .and_then(scalar_text)
                    .and_then(|u| super::canonical_uuid(&u));
            }
            Ok(Value::Null) => note.body = body.to_owned(),
            Ok(_) | Err(_) => {
                note.warning = Some(
                    "its front matter is not YAML key: value pairs, so it was kept in the note"
                        .to_owned(),
                );
            }
        }
    }
    if note.title.is_empty() {
        note.title = first_heading(&note.body).unwrap_or_else(|| file_stem.to_owned());
    }
    note
}

/// Why a file was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    Empty,
    Binary,
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Skip::Empty => "the file is empty",
            Skip::Binary => "the file is not text",
        })
    }
}

/// A file's bytes as text: UTF-8 (with or without a BOM), else Windows-1252, which old
/// Windows editors wrote and which maps every byte. Files with NUL bytes are not text.
pub fn decode_text(bytes: &[u8]) -> Result<(String, Option<String>), Skip> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Skip::Empty);
    }
    // Windows Notepad's "Unicode" is UTF-16 with a byte order mark.
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes)
        && encoding != encoding_rs::UTF_8
    {
        let (text, _) = encoding.decode_with_bom_removal(bytes);
        return Ok((text.into_owned(), None));
    }
    if let Some(text) = utf16_without_bom(bytes) {
        return Ok((
            text,
            Some("it is UTF-16 without a byte order mark, and was read as such".to_owned()),
        ));
    }
    if bytes.contains(&0) {
        return Err(Skip::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_owned(), None)),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Ok((
                text.into_owned(),
                Some("it is not UTF-8, so it was read as Windows-1252".to_owned()),
            ))
        }
    }
}

/// Text some exporters write as UTF-16 with no byte order mark, recognised by its zero bytes:
/// text in a Latin script has a zero in (nearly) every high byte of its characters, and none
/// in the low ones. The decoded text must be clean (no invalid pairs, no control characters
/// but whitespace), so binary data with many zeros is not taken for text.
fn utf16_without_bom(bytes: &[u8]) -> Option<String> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let pairs = bytes.len() / 2;
    let zeros_at = |first: usize| {
        bytes
            .iter()
            .skip(first)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    let encoding = if odd * 10 >= pairs * 4 && even * 20 < pairs {
        encoding_rs::UTF_16LE
    } else if even * 10 >= pairs * 4 && odd * 20 < pairs {
        encoding_rs::UTF_16BE
    } else {
        return None;
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let clean = !had_errors && text.chars().all(|c| !c.is_control() || c.is_whitespace());
    clean.then(|| text.into_owned())
}

/// The files an import of `paths` reads: the files given, and the Markdown and text files in
/// the folders given (and their subfolders, hidden ones left out), in name order.
pub fn note_files(paths: &[PathBuf]) -> ExchangeResult<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            collect(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn collect(folder: &Path, files: &mut Vec<PathBuf>) -> ExchangeResult<()> {
    // Links to folders are not followed: one pointing up would be read again and again.
    let mut entries: Vec<PathBuf> = fs::read_dir(folder)
        .map_err(ExchangeError::io(folder))?
        .filter_map(Result::ok)
        .filter(|e| {
            !e.file_type()
                .is_ok_and(|t| t.is_symlink() && e.path().is_dir())
        })
        .map(|e| e.path())
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, files)?;
        } else if importable_kind(&path).is_some() {
            files.push(path);
        }
    }
    Ok(())
}

/// What a file found in a folder is imported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Importable {
    Note,
    Cards,
    Csv,
}

/// By the file's extension; `None` for files an import passes over.
pub fn importable_kind(path: &Path) -> Option<Importable> {
    let extension = path.extension()?.to_string_lossy().to_lowercase();
    match extension.as_str() {
        "md" | "markdown" | "txt" => Some(Importable::Note),
        "vcf" | "vcard" => Some(Importable::Cards),
        "csv" => Some(Importable::Csv),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_everywhere_and_unique_ignoring_case() {
        assert_eq!(safe_stem("../../etc/passwd"), "-..-etc-passwd");
        assert_eq!(safe_stem(r#"a/b\c:d*e?f"g<h>i|j"#), "a-b-c-d-e-f-g-h-i-j");
        assert_eq!(safe_stem("  ..  "), "Untitled");
        assert_eq!(safe_stem("CON"), "_CON");
        assert_eq!(safe_stem("nul.txt"), "_nul.txt");
        assert_eq!(safe_stem("com0"), "_com0");
        assert_eq!(safe_stem("LPT¹.md"), "_LPT¹.md");
        assert_eq!(safe_stem("console"), "console");
        assert_eq!(safe_stem("Trailing dots..."), "Trailing dots");
        assert_eq!(safe_stem(&"é".repeat(300)).len(), MAX_STEM_BYTES);
        assert!(safe_stem(&"😀".repeat(100)).len() <= MAX_STEM_BYTES);
        let mut names = UniqueNames::new();
        assert_eq!(names.name("Notes", "md"), "Notes.md");
        assert_eq!(names.name("notes", "md"), "notes (2).md");
        assert_eq!(names.name("NOTES", "md"), "NOTES (3).md");
    }

    #[test]
    fn aliases_are_found_outside_quotes_only() {
        for yaml in [
            "a: &a [x]\nb: *a",
            "b: [*a, *a]",
            "b: [x,*a]",
            "- *a",
            "b: {k: *a}",
            "*a : x",
            "b:\n  - x\n  - *a",
        ] {
            assert!(may_hold_alias(yaml), "{yaml}");
        }
        for yaml in [
            "title: \"Buy *milk*\"",
            "title: 'a *b* c'",
            "title: ''' *'",
            r#"title: "say \" *x""#,
            "title: 5 * 3",
            "title: Meeting *urgent*",
            "title: a *b",
            "title: a*b",
            "tags: [x, y]",
        ] {
            assert!(!may_hold_alias(yaml), "{yaml}");
        }
    }

    #[test]
    fn odd_front_matter_is_tolerated() {
        let note = parse_note(
            "file",
            "---\ntitle:\ntags: work, home\nunknown: [1, 2]\n: empty key\n---\nFirst line\n",
        );
        assert_eq!(note.title, "file");
        assert_eq!(note.tags, ["work", "home"]);
        assert_eq!(note.body, "First line\n");

        let note = parse_note("file", "# Heading title\nbody");
        assert_eq!(note.title, "Heading title");
        assert_eq!(note.body, "# Heading title\nbody", "the first line stays");

        let note = parse_note("file", "---\ntitle: [closed\n---\nbody");
        assert_eq!(note.title, "[closed", "read line by line when not YAML");
        assert_eq!(note.body, "body");

        let note = parse_note("file", "---\njust a horizontal rule above\n---\nbody");
        assert!(note.warning.is_some());
        assert!(note.body.starts_with("---\njust"), "kept in the note");

        // A rule, a line with a colon, a rule: a plain note, not front matter.
        let text = "---\nAgenda: budget review\n---\nmore";
        let note = parse_note("file", text);
        assert_eq!(note.body, text);

        let note = parse_note(
            "f",
            "---\ncreated: 2024-03-01\nupdated: 2024-03-02T10:00:00+02:00\npinned: true\n---\n\nx",
        );
        assert_eq!(note.created, Some(Timestamp(1_709_251_200_000)));
        assert_eq!(note.updated, Some(Timestamp(1_709_366_400_000)));
        assert!(note.pinned);
        assert_eq!(note.body, "x");
    }

    #[test]
    fn text_is_decoded_or_skipped() {
        assert_eq!(decode_text(b"").unwrap_err(), Skip::Empty);
        assert_eq!(decode_text(b"\x00\x01PNG").unwrap_err(), Skip::Binary);
        // UTF-16 with no byte order mark, either order; binary with zeros stays binary.
        let le: Vec<u8> = "Ada Lovelace, café\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "Ada Lovelace, café\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decode_text(&le).unwrap().0, "Ada Lovelace, café\n");
        assert_eq!(decode_text(&be).unwrap().0, "Ada Lovelace, café\n");
        assert_eq!(
            decode_text(&[0, 1, 0, 2, 0, 3, 0, 4]).unwrap_err(),
            Skip::Binary
        );
        let (text, warning) = decode_text(b"caf\xe9").unwrap();
        assert_eq!(text, "café");
        assert!(warning.is_some());
        assert_eq!(
            decode_text("café".as_bytes()).unwrap(),
            ("café".to_owned(), None)
        );
    }
}
