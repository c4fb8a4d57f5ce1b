pub mod db;
pub mod search;
