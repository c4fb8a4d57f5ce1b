pub mod cli;
pub mod db;
pub mod exchange;
pub mod instance;
pub mod logging;
pub mod search;
pub mod ui;
