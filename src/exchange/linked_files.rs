//! Markdown import: the local pictures and files a note links to (`![](img/photo.png)`,
//! `[report](files/report.pdf)`, `<img src="scan.jpg">`) become attachments, and the links
//! name them. Remote addresses are left as they are and nothing is downloaded; a link to a
//! file that is missing, or that leaves the imported folder (`../../etc/passwd`), is kept as
//! text, not read, and named in the report.

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use percent_encoding::percent_decode_str;
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::markdown::{Importable, importable_kind};
use crate::db::{MAX_ATTACHMENT_BYTES, NewAttachment, Repository};

/// A link in a note's text to something that may be a local file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalLink {
    /// The bytes of the text to replace: the link's destination, or a whole `<img>` tag.
    pub range: Range<usize>,
    /// The destination as written, percent-decoded: a path relative to the note's file.
    pub target: String,
    /// For an `<img>` tag, the Markdown image that replaces it (with `{}` for the new
    /// destination); `None` when only the destination is replaced.
    pub image_alt: Option<String>,
}

/// The links of a note's text that may name local files: inline Markdown images and links,
/// and `<img src>` tags. Addresses with a scheme (`https:`, `mailto:`, `data:`, `attachment:`),
/// anchors and empty destinations are not.
pub fn local_links(text: &str) -> Vec<LocalLink> {
    /// An inline link being read: its source, where its text ends so far, its destination.
    struct Open {
        range: Range<usize>,
        text_end: usize,
        dest: String,
    }
    let mut links = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    for (event, range) in Parser::new_ext(text, Options::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image {
                link_type: LinkType::Inline,
                dest_url,
                ..
            })
            | Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url,
                ..
            }) => open.push(Open {
                text_end: range.start,
                range,
                dest: dest_url.into_string(),
            }),
            Event::End(TagEnd::Image | TagEnd::Link)
                if open.last().is_some_and(|o| o.range == range) =>
            {
                let Some(link) = open.pop() else { continue };
                // A link inside another's text (an image in a link) is part of that text.
                if let Some(outer) = open.last_mut() {
                    outer.text_end = outer.text_end.max(range.end);
                }
                // The path as CommonMark reads it (escapes undone), and where it is written.
                if let Some(target) = local_target(&link.dest)
                    && let Some(dest) = inline_destination(text, link.range.clone(), link.text_end)
                {
                    links.push(LocalLink {
                        range: dest,
                        target,
                        image_alt: None,
                    });
                }
            }
            other => {
                if let Some(link) = open.last_mut() {
                    link.text_end = link.text_end.max(range.end);
                }
                if let Event::Html(_) | Event::InlineHtml(_) = other {
                    links.extend(img_tags(text, range));
                }
            }
        }
    }
    links.sort_by_key(|l| l.range.start);
    links.dedup_by_key(|l| l.range.start);
    links
}

/// The text without its images and links to the attachment `uuid` (a line left empty goes
/// too): what the attachments strip's Remove does.
pub fn without_links_to(text: &str, uuid: &str) -> String {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(text, Options::all()).into_offset_iter() {
        let dest = match &event {
            Event::Start(Tag::Image { dest_url, .. })
            | Event::Start(Tag::Link { dest_url, .. }) => dest_url,
            _ => continue,
        };
        let names_it = crate::db::attachment_refs(dest).first().map(String::as_str) == Some(uuid);
        if names_it && ranges.last().is_none_or(|last| last.end <= range.start) {
            ranges.push(range);
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for range in ranges {
        out.push_str(&text[copied..range.start]);
        copied = range.end;
        // The link alone on its line: the line goes with it.
        if (out.is_empty() || out.ends_with('\n')) && text[copied..].starts_with('\n') {
            copied += 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// The destination of an inline link or image whose whole source is `range` and whose text
/// ends at `text_end`: after the first `](` from there, up to the title or the closing
/// parenthesis.
fn inline_destination(text: &str, range: Range<usize>, text_end: usize) -> Option<Range<usize>> {
    let source = text.get(range.clone())?;
    let after_text = text_end.checked_sub(range.start)?;
    let open = after_text + source.get(after_text..)?.find("](")? + 2;
    let after = &source[open..];
    let skipped = after.len() - after.trim_start().len();
    let start = open + skipped;
    let rest = &source[start..];
    let length = if let Some(inner) = rest.strip_prefix('<') {
        inner.find('>')? + 2
    } else {
        let mut depth = 0usize;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    end = i;
                    break;
                }
                ')' => depth -= 1,
                c if c.is_whitespace() => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        end
    };
    (length > 0).then(|| range.start + start..range.start + start + length)
}

/// A destination as a path, when it names no scheme and no anchor.
fn local_target(destination: &str) -> Option<String> {
    let bare = destination
        .strip_prefix('<')
        .and_then(|d| d.strip_suffix('>'))
        .unwrap_or(destination)
        .trim();
    let has_scheme = bare.split_once(':').is_some_and(|(scheme, _)| {
        scheme.len() > 1
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if bare.is_empty() || bare.starts_with('#') || bare.starts_with("//") || has_scheme {
        return None;
    }
    // A query or fragment says where in the file, not which file.
    let path = bare.split(['?', '#']).next().unwrap_or(bare);
    let decoded = percent_decode_str(path).decode_utf8().ok()?.into_owned();
    (!decoded.is_empty()).then_some(decoded)
}

/// The `<img … src="…">` tags inside a stretch of raw HTML, each to be replaced whole by a
/// Markdown image.
fn img_tags(text: &str, range: Range<usize>) -> Vec<LocalLink> {
    let Some(html) = text.get(range.clone()) else {
        return Vec::new();
    };
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<img") {
        let start = from + at;
        let Some(length) = lower[start..].find('>') else {
            break;
        };
        let end = start + length + 1;
        let tag = &html[start..end];
        if let Some(target) = attribute(tag, "src").and_then(|src| local_target(&src)) {
            found.push(LocalLink {
                range: range.start + start..range.start + end,
                target,
                image_alt: Some(attribute(tag, "alt").unwrap_or_default()),
            });
        }
        from = end;
    }
    found
}

/// The value of an attribute of an HTML tag, quoted or not.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name) {
        let start = from + at;
        from = start + name.len();
        let before_ok = lower[..start]
            .chars()
            .last()
            .is_some_and(char::is_whitespace);
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_at = tag.len() - rest.len() + 1;
        let value = tag[value_at..].trim_start();
        return Some(match value.chars().next() {
            Some(quote @ ('"' | '\'')) => value[1..].split(quote).next()?.to_owned(),
            _ => value
                .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .next()?
                .to_owned(),
        });
    }
    None
}

/// Where a link of a note in `note_folder` leads, when that is inside `root` (the folder
/// imported): `..` steps are followed in the path as written, then any symbolic link on the
/// way, and either leaving the folder is refused.
pub fn resolve_inside(root: &Path, note_folder: &Path, target: &str) -> Result<PathBuf, String> {
    let relative = Path::new(target);
    if relative.is_absolute() || target.starts_with('\\') || target.get(1..2) == Some(":") {
        return Err(
            "it is an absolute path, outside the imported folder, so it was not read".to_owned(),
        );
    }
    let mut path = note_folder.to_path_buf();
    for component in relative.components() {
        match component {
            Component::ParentDir => {
                if !path.pop() {
                    return Err(leaves());
                }
            }
            // A hidden file or folder (`.ssh/id_rsa`) is not something a note shows: a folder
            // import skips them, and a link does not reach them either.
            Component::Normal(part) if part.to_string_lossy().starts_with('.') => {
                return Err("it names a hidden file or folder, so it was not read".to_owned());
            }
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return Err(leaves()),
        }
    }
    if !path.starts_with(root) {
        return Err(leaves());
    }
    let real = path
        .canonicalize()
        .map_err(|_| "it was not found, so the link was kept as it was".to_owned())?;
    let real_root = root
        .canonicalize()
        .map_err(|e| format!("the imported folder could not be read: {e}"))?;
    if !real.starts_with(&real_root) {
        return Err(leaves());
    }
    Ok(real)
}

fn leaves() -> String {
    "it leads outside the imported folder, so it was not read".to_owned()
}

/// Stores the local files a note's text links to as attachments and returns the text with the
/// links naming them, and, in words, what could not be attached (the links kept as they
/// were). Links to other notes (`.md`, `.txt`) stay links. `added` collects the UUIDs stored,
/// so an import that fails later can take them back.
pub fn attach_linked_files(
    repo: &mut Repository,
    root: &Path,
    note_file: &Path,
    text: &str,
    added: &mut Vec<String>,
) -> (String, Vec<String>) {
    let links = local_links(text);
    if links.is_empty() {
        return (text.to_owned(), Vec::new());
    }
    // `folio import note.md` names a file in the current folder: its parent is "".
    let note_folder = match note_file.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let mut out = String::with_capacity(text.len());
    let mut problems = Vec::new();
    let mut copied = 0;
    for link in links {
        if link.range.start < copied {
            continue;
        }
        let replacement = match attach_one(repo, root, note_folder, &link.target) {
            Ok(Some((uuid, new))) => {
                if new {
                    added.push(uuid.clone());
                }
                let dest = format!("{}{uuid}", crate::db::ATTACHMENT_SCHEME);
                Some(match &link.image_alt {
                    Some(alt) => format!("![{}]({dest})", alt.replace(['[', ']'], "")),
                    None => dest,
                })
            }
            Ok(None) => None,
            Err(reason) => {
                problems.push(format!("the link to “{}”: {reason}", link.target));
                None
            }
        };
        if let Some(replacement) = replacement {
            out.push_str(&text[copied..link.range.start]);
            out.push_str(&replacement);
            copied = link.range.end;
        }
    }
    out.push_str(&text[copied..]);
    (out, problems)
}

/// Attaches the file a link leads to, and says whether it was stored now (not the same bytes
/// found already); `None` for a link to a note or a folder, which stays.
fn attach_one(
    repo: &mut Repository,
    root: &Path,
    note_folder: &Path,
    target: &str,
) -> Result<Option<(String, bool)>, String> {
    let path = resolve_inside(root, note_folder, target)?;
    if path.is_dir() || importable_kind(&path) == Some(Importable::Note) {
        return Ok(None);
    }
    let bytes = super::read_regular_file(&path, MAX_ATTACHMENT_BYTES as u64)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The same bytes already here are that attachment, whatever the file is called now: an
    // export read back (its names made safe for every system) adds nothing.
    let (attachment, new) = repo
        .add_attachment_once(&NewAttachment {
            file_name: &file_name,
            media_type: "",
            bytes: &bytes,
            uuid: None,
            created: None,
        })
        .map_err(|e| e.to_string())?;
    Ok(Some((attachment.uuid, new)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(text: &str) -> Vec<String> {
        local_links(text).into_iter().map(|l| l.target).collect()
    }

    #[test]
    fn local_images_links_and_img_tags_are_found_and_remote_ones_are_not() {
        let text = "![a photo](img/photo%20one.png \"title\") and [report](<files/q 1.pdf>)\n\
                    ![remote](https://example.org/x.png) [mail](mailto:a@b.c) [top](#top)\n\
                    ![done](attachment:0f8e2b34-1c2d-4e5f-8a9b-0c1d2e3f4a5b) ![](data:image/png;base64,AAAA)\n\
                    <img alt=\"scan\" src='scans/page(1).jpg'> `![code](not/a/link.png)`\n\n\
                    ![paren](dir/a(b).png)";
        assert_eq!(
            targets(text),
            [
                "img/photo one.png",
                "files/q 1.pdf",
                "scans/page(1).jpg",
                "dir/a(b).png"
            ]
        );
        let links = local_links(text);
        assert_eq!(&text[links[0].range.clone()], "img/photo%20one.png");
        assert_eq!(&text[links[1].range.clone()], "<files/q 1.pdf>");
        assert_eq!(
            &text[links[2].range.clone()],
            "<img alt=\"scan\" src='scans/page(1).jpg'>"
        );
        assert_eq!(links[2].image_alt.as_deref(), Some("scan"));
        assert_eq!(&text[links[3].range.clone()], "dir/a(b).png");
    }

    #[test]
    fn titles_escapes_and_links_around_pictures_do_not_confuse_the_destination() {
        let text = "![x](pic.png \"a ](b\") [![in](inner.png)](outer.pdf) ![esc](a\\_b.png)";
        let links = local_links(text);
        let found: Vec<(&str, &str)> = links
            .iter()
            .map(|l| (l.target.as_str(), &text[l.range.clone()]))
            .collect();
        assert_eq!(
            found,
            [
                ("pic.png", "pic.png"),
                ("inner.png", "inner.png"),
                ("outer.pdf", "outer.pdf"),
                ("a_b.png", "a\\_b.png")
            ]
        );
    }

    #[test]
    fn removing_an_attachment_takes_its_links_and_leaves_the_rest() {
        let uuid = "0f8e2b34-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
        let text = format!(
            "Before\n![photo](attachment:{uuid})\nSee [it](attachment:{uuid}) and \
             [other](attachment:11111111-2222-4333-8444-555555555555).\n"
        );
        assert_eq!(
            without_links_to(&text, uuid),
            "Before\nSee  and [other](attachment:11111111-2222-4333-8444-555555555555).\n"
        );
        assert_eq!(without_links_to("no links", uuid), "no links");
    }

    #[test]
    fn a_path_that_leaves_the_folder_is_not_read() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path().join("notes");
        std::fs::create_dir_all(root.join("sub")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("secret.txt"), "x").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join("ok.png"), "x").unwrap_or_else(|e| panic!("{e}"));
        let note_folder = root.join("sub");
        assert!(resolve_inside(&root, &note_folder, "../ok.png").is_ok());
        for escape in [
            "../../secret.txt",
            "/etc/passwd",
            "../../../../etc/passwd",
            "C:\\x",
        ] {
            let err = resolve_inside(&root, &note_folder, escape).unwrap_err();
            assert!(err.contains("outside"), "{escape}: {err}");
        }
        assert!(
            resolve_inside(&root, &note_folder, "missing.png")
                .unwrap_err()
                .contains("not found")
        );
        // A symbolic link inside the folder that points out of it is not followed out.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.png"))
                .unwrap_or_else(|e| panic!("{e}"));
            let err = resolve_inside(&root, &root, "link.png").unwrap_err();
            assert!(err.contains("outside"), "{err}");
        }
    }
}
