pub mod db;
pub mod search;
pub mod ui;
