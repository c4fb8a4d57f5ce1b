//! What the window holds between frames. Nothing here draws; the views read and edit it, and
//! `apply` changes it through [`session::Session`]'s methods.

pub mod avatars;
pub mod contact_editor;
mod edits;
pub mod history;
pub mod lists;
pub mod note_editor;
pub mod note_pictures;
pub mod paged_list;
pub mod palette;
mod saving;
pub mod session;
pub mod sql_console;
pub mod typeahead;
pub mod window;
