//! Links between notes and contacts: "notes about this person".

use diesel::prelude::*;

use super::contact_lists::SUMMARY_COLUMNS;
use super::error::{DbError, DbResult};
use super::ids::{ContactId, NoteId};
use super::notes::summary_columns;
use super::schema::{contacts, note_contacts, notes};
use super::{ContactSummary, NoteSummary, Page, Repository};

/// Gives note `to` the same people as note `from` (a conflict copy is about the same people).
/// The caller holds the transaction.
pub(super) fn copy_note_links(
    conn: &mut SqliteConnection,
    from: NoteId,
    to: NoteId,
) -> DbResult<()> {
    let people: Vec<ContactId> = note_contacts::table
        .filter(note_contacts::note_id.eq(from))
        .select(note_contacts::contact_id)
        .load(conn)?;
    diesel::insert_or_ignore_into(note_contacts::table)
        .values(
            people
                .iter()
                .map(|c| {
                    (
                        note_contacts::note_id.eq(to),
                        note_contacts::contact_id.eq(c),
                    )
                })
                .collect::<Vec<_>>(),
        )
        .execute(conn)?;
    Ok(())
}

impl Repository {
    /// Links a note to a contact. Linking twice is harmless.
    pub fn link_note_contact(&mut self, note: NoteId, contact: ContactId) -> DbResult<()> {
        self.write(|conn| {
            let note_exists: bool =
                diesel::select(diesel::dsl::exists(notes::table.find(note))).get_result(conn)?;
            if !note_exists {
                return Err(DbError::not_found("note"));
            }
            let contact_exists: bool =
                diesel::select(diesel::dsl::exists(contacts::table.find(contact)))
                    .get_result(conn)?;
            if !contact_exists {
                return Err(DbError::not_found("contact"));
            }
            diesel::insert_or_ignore_into(note_contacts::table)
                .values((
                    note_contacts::note_id.eq(note),
                    note_contacts::contact_id.eq(contact),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    pub fn unlink_note_contact(&mut self, note: NoteId, contact: ContactId) -> DbResult<()> {
        self.write(|conn| {
            diesel::delete(note_contacts::table.find((note, contact))).execute(conn)?;
            Ok(())
        })
    }

    /// The live contacts a note is about, in name order, with their emails and phones.
    pub fn contacts_of_note(&mut self, note: NoteId) -> DbResult<Vec<ContactSummary>> {
        let rows = contacts::table
            .inner_join(note_contacts::table)
            .filter(note_contacts::note_id.eq(note))
            .filter(contacts::deleted_at.is_null())
            .order((contacts::sort_given, contacts::id))
            .select(SUMMARY_COLUMNS)
            .load(&mut self.conn)?;
        self.contact_summaries(rows)
    }

    /// The live notes about a contact, most recently updated first, with their tags.
    pub fn notes_about_contact(&mut self, contact: ContactId) -> DbResult<Vec<NoteSummary>> {
        Ok(self.notes_about_contact_page(contact, i64::MAX)?.items)
    }

    /// The newest `limit` live notes about a contact, with how many there are in all.
    pub fn notes_about_contact_page(
        &mut self,
        contact: ContactId,
        limit: i64,
    ) -> DbResult<Page<NoteSummary>> {
        let about = || {
            notes::table
                .inner_join(note_contacts::table)
                .filter(note_contacts::contact_id.eq(contact))
                .filter(notes::deleted_at.is_null())
        };
        let total: i64 = about().count().get_result(&mut self.conn)?;
        let rows = about()
            .order((notes::updated_at.desc(), notes::id.desc()))
            .select(summary_columns())
            .limit(limit.max(0))
            .load(&mut self.conn)?;
        let items = self.summaries_with_tags(rows)?;
        Ok(Page { items, total })
    }
}
