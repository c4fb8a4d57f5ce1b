pub mod cli;
pub mod db;
pub mod exchange;
pub mod instance;
pub mod logging;
pub mod picture;
pub mod search;
pub mod ui;
