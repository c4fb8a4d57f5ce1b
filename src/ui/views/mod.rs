//! The panels and windows. A view draws the state it is given, may edit in place what the user
//! types (the editors' text, the search box), and turns every other click or key into a
//! command. Views never import the app, and never read the database: what they show arrived
//! from the list thread.

pub mod contact_form;
pub mod contacts;
pub mod history;
pub mod merge;
pub mod notes;
pub mod overlays;
pub mod palette;
pub mod shell;
pub mod sql_console;
