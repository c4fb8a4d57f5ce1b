//! Numbers and dates as the window writes them.

use crate::db::Timestamp;

/// "1 contact", "3 contacts".
pub fn count_of(count: i64, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}

/// 12345 → "12,345".
pub fn group(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A date for the list: the time today, day and month this year, the full date before.
pub fn short_date(stamp: Timestamp) -> String {
    use chrono::{Datelike, Local, TimeZone};
    let Some(when) = Local.timestamp_millis_opt(stamp.0).single() else {
        return String::new();
    };
    let now = Local::now();
    if when.date_naive() == now.date_naive() {
        when.format("%H:%M").to_string()
    } else if when.year() == now.year() {
        when.format("%-d %b").to_string()
    } else {
        when.format("%-d %b %Y").to_string()
    }
}

pub fn long_date(stamp: Timestamp) -> String {
    use chrono::{Local, TimeZone};
    Local
        .timestamp_millis_opt(stamp.0)
        .single()
        .map(|when| when.format("%-d %b %Y, %H:%M").to_string())
        .unwrap_or_default()
}

/// Today in the user's time zone, for birthdays.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// A size in bytes as people read it: "820 bytes", "12.4 KB", "3.1 MB".
pub fn byte_size(bytes: i64) -> String {
    const KB: f64 = 1000.0;
    let b = bytes as f64;
    if bytes < 1000 {
        count_of(bytes, "byte")
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else {
        format!("{:.1} MB", b / (KB * KB))
    }
}
