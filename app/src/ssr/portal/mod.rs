//! The candidate portal on the server: a personal link resolves to one application, and
//! everything a candidate does is checked against that application's role and organization.

pub mod decision;
pub mod link;
pub mod quiz;
pub mod steps;

/// Formats a Unix-millisecond deadline as "Friday 11 December 2026, 18:30 UTC".
pub fn format_deadline(deadline_ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(deadline_ms)
        .map(|deadline| deadline.format("%A %-d %B %Y, %H:%M UTC").to_string())
}
