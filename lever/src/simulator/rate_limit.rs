//! Token-bucket rate limit per access token, the scheme the Lever Data API
//! docs describe in section "Rate Limits" (10 requests per second steady,
//! bursts of 20).

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Buckets keep this many keys at most; beyond that all are dropped, which
/// refills every bucket at once. A simulator serves few tokens, so this is
/// only a memory bound.
const MAX_BUCKETS: usize = 10_000;

#[derive(Default)]
pub(crate) struct RateLimiter {
    buckets: HashMap<String, Bucket>,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl RateLimiter {
    /// Takes one request from `key`'s bucket, or returns how long until one
    /// is available.
    pub fn take(&mut self, key: &str, per_second: f64, burst: u32) -> Result<(), Duration> {
        if self.buckets.len() >= MAX_BUCKETS && !self.buckets.contains_key(key) {
            self.buckets.clear();
        }

        let now = Instant::now();
        let capacity = f64::from(burst);
        let bucket = self.buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: capacity,
            updated: now,
        });

        let refill = now.duration_since(bucket.updated).as_secs_f64() * per_second;
        bucket.tokens = (bucket.tokens + refill).min(capacity);
        bucket.updated = now;

        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }

        Err(Duration::from_secs_f64((1.0 - bucket.tokens) / per_second))
    }

    pub fn clear(&mut self) {
        self.buckets.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_limited() {
        let mut limiter = RateLimiter::default();

        for _ in 0..20 {
            assert!(limiter.take("t", 10.0, 20).is_ok());
        }

        assert!(limiter.take("t", 10.0, 20).is_err());
    }

    #[test]
    fn buckets_are_per_key() {
        let mut limiter = RateLimiter::default();

        assert!(limiter.take("a", 10.0, 1).is_ok());
        assert!(limiter.take("a", 10.0, 1).is_err());
        assert!(limiter.take("b", 10.0, 1).is_ok());
    }

    #[test]
    fn wait_is_about_one_refill() {
        let mut limiter = RateLimiter::default();
        limiter.take("t", 10.0, 1).unwrap();

        let wait = limiter.take("t", 10.0, 1).unwrap_err();

        assert!(wait <= Duration::from_millis(100), "{wait:?}");
        assert!(wait > Duration::from_millis(50), "{wait:?}");
    }
}
