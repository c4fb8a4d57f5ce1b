//! Tags: one vocabulary for note tags and contact groups, unique ignoring case.

use std::collections::HashMap;

use diesel::prelude::*;

use super::Repository;
use super::error::{DbError, DbResult};
use super::ids::TagId;
use super::schema::{contact_tags, contacts, note_tags, notes, tags};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Queryable, Selectable)]
#[diesel(table_name = tags, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Tag {
    pub id: TagId,
    pub name: String,
}

/// A tag with how many live notes and live contacts carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagUsage {
    pub tag: Tag,
    pub notes: i64,
    pub contacts: i64,
}

/// The uniqueness key of a tag name: Unicode lower case of the trimmed name.
pub(crate) fn tag_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Trims names, drops empty ones and keeps the first spelling of names equal but for case.
pub(crate) fn clean_tag_names<S: AsRef<str>>(names: &[S]) -> Vec<&str> {
    let mut seen = std::collections::HashSet::new();
    names
        .iter()
        .map(|n| n.as_ref().trim())
        .filter(|n| !n.is_empty() && seen.insert(tag_key(n)))
        .collect()
}

/// Finds or creates the tags for these names (first use creates them), in the order given.
/// `cache` maps keys to ids; a bulk import keeps it across calls.
pub(crate) fn ensure_tags_cached(
    conn: &mut SqliteConnection,
    names: &[&str],
    cache: &mut HashMap<String, TagId>,
) -> DbResult<Vec<TagId>> {
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        let key = tag_key(name);
        if key.is_empty() {
            return Err(DbError::Invalid("A tag name cannot be empty.".to_owned()));
        }
        if let Some(id) = cache.get(&key) {
            ids.push(*id);
            continue;
        }
        diesel::insert_into(tags::table)
            .values((tags::name.eq(name.trim()), tags::name_key.eq(&key)))
            .on_conflict(tags::name_key)
            .do_nothing()
            .execute(conn)?;
        let id: TagId = tags::table
            .filter(tags::name_key.eq(&key))
            .select(tags::id)
            .first(conn)?;
        cache.insert(key, id);
        ids.push(id);
    }
    Ok(ids)
}

/// Deletes those of the given tags that no note and no contact uses any more, so the sidebar
/// never lists a tag with nothing behind it.
pub(crate) fn delete_if_unused(conn: &mut SqliteConnection, candidates: &[TagId]) -> DbResult<()> {
    if candidates.is_empty() {
        return Ok(());
    }
    diesel::delete(
        tags::table
            .filter(tags::id.eq_any(candidates))
            .filter(diesel::dsl::not(diesel::dsl::exists(
                note_tags::table.filter(note_tags::tag_id.eq(tags::id)),
            )))
            .filter(diesel::dsl::not(diesel::dsl::exists(
                contact_tags::table.filter(contact_tags::tag_id.eq(tags::id)),
            ))),
    )
    .execute(conn)?;
    Ok(())
}

impl Repository {
    /// Every tag in name order, with how many live notes and contacts use it.
    pub fn tags_with_usage(&mut self) -> DbResult<Vec<TagUsage>> {
        let all: Vec<Tag> = tags::table
            .select(Tag::as_select())
            .order(tags::name_key)
            .load(&mut self.conn)?;
        // Every use, from the tag index alone, minus the uses by trashed rows (few, found
        // through the trash index): far cheaper than checking each use's row for the trash.
        let mut note_counts: HashMap<TagId, i64> = note_tags::table
            .group_by(note_tags::tag_id)
            .select((note_tags::tag_id, diesel::dsl::count_star()))
            .load::<(TagId, i64)>(&mut self.conn)?
            .into_iter()
            .collect();
        // `IN (subquery)` makes SQLite start from the trash index; a join would scan every use.
        let trashed_note_uses: Vec<(TagId, i64)> = note_tags::table
            .filter(
                note_tags::note_id.eq_any(
                    notes::table
                        .filter(notes::deleted_at.is_not_null())
                        .select(notes::id),
                ),
            )
            .group_by(note_tags::tag_id)
            .select((note_tags::tag_id, diesel::dsl::count_star()))
            .load(&mut self.conn)?;
        for (tag, trashed) in trashed_note_uses {
            *note_counts.entry(tag).or_default() -= trashed;
        }
        let mut contact_counts: HashMap<TagId, i64> = contact_tags::table
            .group_by(contact_tags::tag_id)
            .select((contact_tags::tag_id, diesel::dsl::count_star()))
            .load::<(TagId, i64)>(&mut self.conn)?
            .into_iter()
            .collect();
        let trashed_contact_uses: Vec<(TagId, i64)> = contact_tags::table
            .filter(
                contact_tags::contact_id.eq_any(
                    contacts::table
                        .filter(contacts::deleted_at.is_not_null())
                        .select(contacts::id),
                ),
            )
            .group_by(contact_tags::tag_id)
            .select((contact_tags::tag_id, diesel::dsl::count_star()))
            .load(&mut self.conn)?;
        for (tag, trashed) in trashed_contact_uses {
            *contact_counts.entry(tag).or_default() -= trashed;
        }
        Ok(all
            .into_iter()
            .map(|tag| TagUsage {
                notes: note_counts.get(&tag.id).copied().unwrap_or(0),
                contacts: contact_counts.get(&tag.id).copied().unwrap_or(0),
                tag,
            })
            .collect())
    }

    /// Tags whose name contains `fragment` (ignoring case), for suggestions while typing.
    pub fn suggest_tags(&mut self, fragment: &str, limit: i64) -> DbResult<Vec<Tag>> {
        let key = tag_key(fragment);
        let pattern = format!("%{}%", escape_like(&key));
        Ok(tags::table
            .filter(tags::name_key.like(pattern).escape('\\'))
            .select(Tag::as_select())
            .order(tags::name_key)
            .limit(limit)
            .load(&mut self.conn)?)
    }
}

/// Escapes LIKE's wildcards so the text matches literally (with `ESCAPE '\'`).
pub(crate) fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
