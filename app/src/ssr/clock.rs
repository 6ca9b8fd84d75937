//! Wall-clock time as stored in the database: UTC milliseconds since the Unix epoch.

/// Milliseconds since the Unix epoch, UTC.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Generates a time-ordered id (UUID v7), so rows sort by creation when ordered by id.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
