//! Typed ids and timestamps, so a contact id can never be passed where a note id is expected.

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::{BigInt, Integer};
use diesel::sqlite::{Sqlite, SqliteValue};

macro_rules! typed_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, AsExpression, FromSqlRow,
        )]
        #[diesel(sql_type = Integer)]
        pub struct $name(pub i32);

        impl ToSql<Integer, Sqlite> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                <i32 as ToSql<Integer, Sqlite>>::to_sql(&self.0, out)
            }
        }

        impl FromSql<Integer, Sqlite> for $name {
            fn from_sql(value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
                <i32 as FromSql<Integer, Sqlite>>::from_sql(value).map($name)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

typed_id!(
    /// The row id of a note.
    NoteId
);
typed_id!(
    /// The row id of a contact.
    ContactId
);
typed_id!(
    /// The row id of a tag (a note tag or a contact group: they share one vocabulary).
    TagId
);

/// A newtype over a 64-bit integer column, stored as `BIGINT`.
macro_rules! bigint_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            AsExpression,
            FromSqlRow,
            serde::Serialize,
            serde::Deserialize,
        )]
        #[diesel(sql_type = BigInt)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl ToSql<BigInt, Sqlite> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                <i64 as ToSql<BigInt, Sqlite>>::to_sql(&self.0, out)
            }
        }

        impl FromSql<BigInt, Sqlite> for $name {
            fn from_sql(value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
                <i64 as FromSql<BigInt, Sqlite>>::from_sql(value).map($name)
            }
        }
    };
}

bigint_newtype!(
    /// One revision of a note (see `Repository::note_revisions`).
    RevisionId
);
bigint_newtype!(
    /// A point in time: milliseconds since the Unix epoch, UTC.
    Timestamp
);
bigint_newtype!(
    /// How many times a note or a contact has been written. A save names the version it
    /// edited; finding another one means someone else wrote in between (see
    /// [`crate::db::DbError::Conflict`]).
    Version
);

impl Timestamp {
    pub fn now() -> Self {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            // A clock before 1970 is broken; the epoch is the least surprising stand-in.
            .unwrap_or(0);
        Timestamp(millis)
    }
}
