//! Steps of a schema upgrade that SQL cannot do. A migration that needs one inserts its name
//! into `pending_upgrades`; Folio runs it in the migration's transaction, right after the
//! migrations, and deletes the row, so an upgrade happens whole or not at all.

use diesel::prelude::*;

use super::contacts::move_kept_card_fields;
use super::error::{DbError, DbResult};
use super::schema::pending_upgrades;

/// Migration 000006: the kept vCard lines into the address-book fields.
const KEPT_CARD_FIELDS: &str = "kept_card_fields";

pub(super) fn run_pending(conn: &mut SqliteConnection) -> DbResult<()> {
    let steps: Vec<String> = pending_upgrades::table
        .select(pending_upgrades::step)
        .load(conn)?;
    for step in steps {
        match step.as_str() {
            KEPT_CARD_FIELDS => {
                move_kept_card_fields(conn)?;
            }
            // Only a newer Folio names other steps, and its file is refused before this.
            other => {
                return Err(DbError::Invalid(format!(
                    "The database asks for an upgrade step this version of Folio does not know \
                     (\"{other}\")."
                )));
            }
        }
        diesel::delete(pending_upgrades::table.filter(pending_upgrades::step.eq(&step)))
            .execute(conn)?;
    }
    Ok(())
}
