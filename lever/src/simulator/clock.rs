//! Wall-clock time in Lever's unit, milliseconds since the Unix epoch.

use std::time::{SystemTime, UNIX_EPOCH};

/// Returns milliseconds since the Unix epoch, or 0 on a clock set before
/// 1970.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as i64)
        .unwrap_or_default()
}
