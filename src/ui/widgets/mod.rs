//! Widgets the views share. They draw what they are given and return what the user did;
//! none of them reads the database.

pub mod avatar;
pub mod chips;
pub mod list;
