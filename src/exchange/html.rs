//! Notes as one standalone HTML file: a table of contents, then each note with its tags and
//! dates and its Markdown rendered. Every piece of user text is escaped, and raw HTML in a note
//! is shown as text, so nothing in a note can run as a script.

use std::io::Write;
use std::path::Path;

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};
use pulldown_cmark_escape::{escape_href, escape_html};

use super::markdown::iso_date;
use super::{ExchangeResult, atomic};
use crate::db::{Attachment, NoteRecord, attachment_refs};

const STYLE: &str = "
body { font: 16px/1.55 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #222;
       max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 2.5rem 0 .3rem; }
nav li { margin: .15rem 0; }
.meta { color: #666; font-size: .85rem; margin: 0 0 1rem; }
.tag { background: #eef; border-radius: .3rem; padding: 0 .35rem; margin-right: .3rem; }
article { border-top: 1px solid #ddd; }
pre, code { background: #f5f5f5; border-radius: .25rem; }
pre { padding: .6rem; overflow-x: auto; }
blockquote { border-left: 3px solid #ccc; margin-left: 0; padding-left: 1rem; color: #555; }
img { max-width: 100%; }
@media (prefers-color-scheme: dark) {
  body { background: #1b1b1b; color: #ddd; } .meta { color: #999; }
  .tag { background: #334; } pre, code { background: #262626; } article { border-color: #333; }
}
";

/// Text escaped for HTML (escaping into a String cannot fail).
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = escape_html(&mut out, text);
    out
}

/// Whether a link may be followed: not `javascript:`, `vbscript:` or `data:` (which could run
/// code), however it is spelt.
fn safe_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(12)
        .collect::<String>()
        .to_lowercase();
    !["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| scheme.starts_with(s))
}

/// The attachments the exported notes refer to: pictures embedded as `data:` URIs, so the one
/// file stays complete, and the other files named under their note.
#[derive(Debug, Clone, Default)]
pub struct EmbeddedFiles {
    pub attachments: HashMap<String, Attachment>,
    /// `data:` URIs of the pictures, by UUID.
    pub pictures: HashMap<String, String>,
}

impl EmbeddedFiles {
    /// A picture's bytes as a `data:` URI to embed.
    pub fn data_uri(media_type: &str, bytes: &[u8]) -> String {
        format!("data:{media_type};base64,{}", STANDARD.encode(bytes))
    }
}

/// The UUID of an `attachment:UUID` destination.
fn attachment_uuid(dest: &str) -> Option<String> {
    attachment_refs(dest.trim()).into_iter().next()
}

/// A note's Markdown as HTML, with raw HTML turned into visible text and unsafe links emptied.
/// Pictures it attaches are embedded; links to other attachments lead nowhere (the files are
/// listed by name under the note).
pub fn render_markdown(body: &str, files: &EmbeddedFiles, files_anchor: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let events = Parser::new_ext(body, options).map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        // Folio's own pictures, embedded: a `data:` URI of an image Folio stored, never one a
        // note spells out.
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if attachment_uuid(&dest_url).is_some() => Event::Start(Tag::Image {
            link_type,
            dest_url: attachment_uuid(&dest_url)
                .and_then(|uuid| files.pictures.get(&uuid).cloned())
                .map_or(CowStr::Borrowed(""), CowStr::from),
            title,
            id,
        }),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if attachment_uuid(&dest_url).is_some() => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::from(format!("#{files_anchor}")),
            title,
            id,
        }),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed(""),
            title,
            id,
        }),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// A file's size in words: "820 bytes", "24 KB", "3.1 MB".
pub fn size_text(bytes: i64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} bytes")
    } else if b < KB * KB {
        format!("{:.0} KB", (b / KB).ceil())
    } else {
        format!("{:.1} MB", b / (KB * KB))
    }
}

/// The whole document, in memory (tests, small exports): every note with `files`.
pub fn notes_to_html(notes: &[NoteRecord], heading: &str, files: &EmbeddedFiles) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_notes_html(&mut out, notes, heading, &mut |_| Ok(files.clone()));
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the whole document to `out`, asking `files_of` for each note's files just before
/// that note is written: an export of many pictures holds one note's at a time.
pub fn write_notes_html(
    out: &mut dyn Write,
    notes: &[NoteRecord],
    heading: &str,
    files_of: &mut dyn FnMut(&NoteRecord) -> std::io::Result<EmbeddedFiles>,
) -> std::io::Result<()> {
    out.write_all(b"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")?;
    out.write_all(b"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")?;
    writeln!(out, "<title>{}</title>", escaped(heading))?;
    writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>")?;
    writeln!(out, "<header><h1>{}</h1>", escaped(heading))?;
    writeln!(
        out,
        "<p class=\"meta\">{} notes, exported by Folio.</p></header>",
        notes.len()
    )?;
    out.write_all(b"<nav><h2>Contents</h2>\n<ol>\n")?;
    for (i, note) in notes.iter().enumerate() {
        let mut href = String::new();
        let _ = escape_href(&mut href, &format!("note-{}", i + 1));
        writeln!(
            out,
            "<li><a href=\"#{href}\">{}</a></li>",
            escaped(title_of(note))
        )?;
    }
    out.write_all(b"</ol>\n</nav>\n")?;
    for (i, note) in notes.iter().enumerate() {
        let files = files_of(note)?;
        writeln!(out, "<article id=\"note-{}\">", i + 1)?;
        write!(
            out,
            "<h1>{}</h1>\n<p class=\"meta\">",
            escaped(title_of(note))
        )?;
        for tag in &note.tags {
            write!(out, "<span class=\"tag\">#{}</span>", escaped(tag))?;
        }
        writeln!(
            out,
            "Created <time>{}</time> · edited <time>{}</time></p>",
            iso_date(note.created),
            iso_date(note.updated)
        )?;
        let anchor = format!("note-{}-files", i + 1);
        out.write_all(render_markdown(&note.body, &files, &anchor).as_bytes())?;
        // Every file the note names, by name: a picture linked to (not shown) is listed too.
        let named: Vec<String> = attachment_refs(&note.body)
            .iter()
            .filter_map(|uuid| files.attachments.get(uuid))
            .map(|a| format!("{} ({})", escaped(&a.file_name), size_text(a.size)))
            .collect();
        if !named.is_empty() {
            writeln!(
                out,
                "<p class=\"meta\" id=\"{anchor}\">Attached: {}</p>",
                named.join(", ")
            )?;
        }
        out.write_all(b"</article>\n")?;
    }
    out.write_all(b"</body>\n</html>\n")
}

fn title_of(note: &NoteRecord) -> &str {
    if note.title.trim().is_empty() {
        "Untitled"
    } else {
        &note.title
    }
}

/// Writes the notes as one HTML file, atomically (an existing file only when `replace`),
/// asking `files_of` for each note's files as it is written.
pub fn export_html(
    notes: &[NoteRecord],
    path: &Path,
    replace: bool,
    files_of: &mut dyn FnMut(&NoteRecord) -> std::io::Result<EmbeddedFiles>,
) -> ExchangeResult<usize> {
    atomic::write_file(path, replace, |out| {
        write_notes_html(out, notes, "Folio notes", files_of)
    })?;
    Ok(notes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_a_note_holds_can_run_as_a_script() {
        let html = render_markdown(
            "<script>alert(1)</script>\n\nText <img src=x onerror=alert(2)> and \
             [click](javascript:alert(3)) [ok](https://example.com) \
             [sneaky]( JaVaScRiPt:alert(4)) ![i](data:text/html,<script>)",
            &EmbeddedFiles::default(),
            "files",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img src=x"), "{html}");
        assert!(html.contains("&lt;img src=x onerror"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:text"), "{html}");
        assert!(html.contains("href=\"https://example.com\""), "{html}");
    }

    #[test]
    fn titles_and_tags_are_escaped_and_listed_in_the_contents() {
        let note = NoteRecord {
            uuid: String::new(),
            title: "<b>Bold</b> & \"quoted\"".to_owned(),
            body: "# Heading\n\n- a list".to_owned(),
            pinned: false,
            created: crate::db::Timestamp(0),
            updated: crate::db::Timestamp(0),
            deleted: None,
            tags: vec!["<tag>".to_owned()],
            people: Vec::new(),
            source: crate::db::RecordSource::Backup,
        };
        let html = notes_to_html(&[note], "Folio notes", &EmbeddedFiles::default());
        assert!(html.contains("&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quoted&quot;"));
        assert!(html.contains("#&lt;tag&gt;"));
        assert!(html.contains("<a href=\"#note-1\">"));
        assert!(html.contains("<li>a list</li>"));
        assert!(!html.contains("<b>Bold"));
    }
}
