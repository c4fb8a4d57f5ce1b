//! Exports: notes as a folder of Markdown files or one HTML page, contacts as one vCard or CSV
//! file. Each writes a new file or folder through a temporary one renamed into place, and
//! replaces an existing file only when the caller says the user agreed.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{ExchangeError, ExchangeResult, contacts_csv, markdown, vcard};
use crate::db::{
    Attachment, ContactDraft, ContactQuery, NoteQuery, NoteRecord, Records, Repository,
    attachment_refs, rewrite_attachment_refs,
};

/// Which notes an export writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteScope {
    /// Every live note.
    All,
    /// The notes of a list as shown: its filter and search (offset and limit are ignored).
    Shown(NoteQuery),
    /// The notes chosen by the user, by UUID.
    Chosen(Vec<String>),
}

/// The notes of `scope`, in the order they were created.
fn notes_in(
    repo: &mut Repository,
    records: Records,
    scope: &NoteScope,
) -> ExchangeResult<Vec<NoteRecord>> {
    let wanted: Option<HashSet<String>> = match scope {
        NoteScope::All => None,
        NoteScope::Chosen(uuids) => Some(uuids.iter().cloned().collect()),
        NoteScope::Shown(query) => Some(
            repo.notes_page(&NoteQuery {
                offset: 0,
                limit: i64::MAX,
                ..query.clone()
            })?
            .into_iter()
            .map(|n| n.uuid)
            .collect(),
        ),
    };
    Ok(records
        .notes
        .into_iter()
        .filter(|n| match &wanted {
            Some(uuids) => uuids.contains(&n.uuid),
            None => n.deleted.is_none(),
        })
        .collect())
}

/// Exports the live notes as one HTML file (an existing file only when `replace`).
pub fn export_html_file(
    repo: &mut Repository,
    path: &Path,
    replace: bool,
    scope: &NoteScope,
) -> ExchangeResult<usize> {
    // The notes and the pictures they name, as of one moment.
    repo.read_consistently(|repo| html_snapshot(repo, path, replace, scope))
}

fn html_snapshot(
    repo: &mut Repository,
    path: &Path,
    replace: bool,
    scope: &NoteScope,
) -> ExchangeResult<usize> {
    let records = repo.all_records()?;
    let stored = attachments_by_uuid(&records);
    let notes = notes_in(repo, records, scope)?;
    // Each note's pictures are read as it is written, and dropped after: the page is written
    // as it is made, never held whole.
    let mut files_of = |note: &NoteRecord| -> std::io::Result<super::html::EmbeddedFiles> {
        let mut files = super::html::EmbeddedFiles::default();
        for uuid in attachment_refs(&note.body) {
            let Some(attachment) = stored.get(&uuid) else {
                continue;
            };
            // Only pictures a browser shows are embedded; the rest are named.
            if attachment.media_type.starts_with("image/")
                && attachment.media_type != "image/svg+xml"
                && let Some(bytes) = repo
                    .attachment_blob(&attachment.hash)
                    .map_err(std::io::Error::other)?
            {
                let uri = super::html::EmbeddedFiles::data_uri(&attachment.media_type, &bytes);
                files.pictures.insert(uuid.clone(), uri);
            }
            files.attachments.insert(uuid, attachment.clone());
        }
        Ok(files)
    };
    super::html::export_html(&notes, path, replace, &mut files_of)
}

/// The attachments of the records, by UUID.
fn attachments_by_uuid(records: &Records) -> HashMap<String, Attachment> {
    records
        .attachments
        .iter()
        .map(|r| (r.attachment.uuid.clone(), r.attachment.clone()))
        .collect()
}

/// Exports the live notes to a new folder of Markdown files. Returns how many were written.
pub fn export_markdown_folder(
    repo: &mut Repository,
    folder: &Path,
    scope: &NoteScope,
) -> ExchangeResult<usize> {
    // The notes and the files they name, as of one moment.
    repo.read_consistently(|repo| markdown_snapshot(repo, folder, scope))
}

fn markdown_snapshot(
    repo: &mut Repository,
    folder: &Path,
    scope: &NoteScope,
) -> ExchangeResult<usize> {
    let records = repo.all_records()?;
    let names: HashMap<String, String> = records
        .contacts
        .iter()
        .filter_map(|r| r.contact.uuid.clone().map(|uuid| (uuid, r.contact.label())))
        .collect();
    let stored = attachments_by_uuid(&records);
    let mut notes = notes_in(repo, records, scope)?;
    // The links to attachments become relative paths into the export's attachments folder,
    // so any Markdown viewer shows the pictures.
    let (files, links) = markdown::attachment_files(&notes, &stored);
    for note in &mut notes {
        note.body = rewrite_attachment_refs(&note.body, |uuid| links.get(uuid).cloned());
    }
    markdown::export_markdown(&notes, &names, folder, &files, &mut |attachment| {
        repo.attachment_blob(&attachment.hash)?
            .ok_or(ExchangeError::Database(crate::db::DbError::NotFound {
                what: "attachment",
            }))
    })
}

/// Which contacts an export writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactScope {
    /// Every live contact.
    All,
    /// The contacts of a list as shown: its filter and search.
    Shown(ContactQuery),
}

/// The file format of a contacts export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactFormat {
    VCard(vcard::CardVersion),
    /// Google Contacts' layout; `excel` adds the byte order mark Excel needs, `semicolons`
    /// separates the columns as Excel expects where the comma is the decimal mark.
    Csv {
        excel: bool,
        semicolons: bool,
    },
}

/// Exports the contacts of `scope` to one file (an existing file only when `replace`), in the
/// order they were created. Returns how many were written.
pub fn export_contacts_file(
    repo: &mut Repository,
    path: &Path,
    replace: bool,
    format: ContactFormat,
    scope: &ContactScope,
) -> ExchangeResult<usize> {
    let records = repo.all_records()?;
    let wanted: Option<HashSet<String>> = match scope {
        ContactScope::All => None,
        ContactScope::Shown(query) => Some(
            repo.contacts_page(&ContactQuery {
                offset: 0,
                limit: i64::MAX,
                ..query.clone()
            })?
            .into_iter()
            .map(|c| c.uuid)
            .collect(),
        ),
    };
    let contacts: Vec<ContactDraft> = records
        .contacts
        .into_iter()
        .filter(|r| match &wanted {
            Some(uuids) => r.contact.uuid.as_ref().is_some_and(|u| uuids.contains(u)),
            None => r.deleted.is_none(),
        })
        .map(|r| r.contact)
        .collect();
    let bytes = match format {
        ContactFormat::VCard(version) => vcard::write_cards(&contacts, version).into_bytes(),
        ContactFormat::Csv { excel, semicolons } => {
            let delimiter = if semicolons { b';' } else { b',' };
            contacts_csv::write_with(&contacts, excel, delimiter).map_err(|e| {
                ExchangeError::Io {
                    path: path.to_owned(),
                    source: std::io::Error::other(e),
                }
            })?
        }
    };
    super::atomic::write_file(path, replace, |out| {
        use std::io::Write;
        out.write_all(&bytes)
    })?;
    Ok(contacts.len())
}
