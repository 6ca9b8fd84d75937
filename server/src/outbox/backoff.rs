//! When to try a failed write again: exponential backoff with full jitter, capped.

use std::time::Duration;

use rand::Rng;

/// First retry waits up to this long.
const BASE: Duration = Duration::from_secs(2);
/// No retry waits longer than this.
const CAP: Duration = Duration::from_secs(10 * 60);

/// Delay before attempt `attempts + 1`, honouring Lever's `Retry-After` when it sent one.
pub fn retry_delay(attempts: i64, retry_after: Option<Duration>) -> Duration {
    if let Some(retry_after) = retry_after {
        return retry_after.min(CAP);
    }
    let exponent = u32::try_from(attempts.clamp(0, 16)).unwrap_or(16);
    let ceiling = BASE.saturating_mul(2u32.saturating_pow(exponent)).min(CAP);
    let millis =
        rand::thread_rng().gen_range(ceiling.as_millis() as u64 / 2..=ceiling.as_millis() as u64);
    Duration::from_millis(millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_grows_and_stays_capped() {
        for attempts in 0..30 {
            let delay = retry_delay(attempts, None);
            assert!(delay <= CAP, "attempt {attempts}: {delay:?}");
            assert!(delay >= BASE / 2, "attempt {attempts}: {delay:?}");
        }
        assert!(retry_delay(10, None) >= CAP / 2);
    }

    #[test]
    fn retry_after_wins() {
        assert_eq!(
            retry_delay(5, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
        assert_eq!(retry_delay(5, Some(Duration::from_secs(100_000))), CAP);
    }
}
