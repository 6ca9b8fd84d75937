//! Counters that slow down password guessing and mailbox flooding, kept in the database so
//! every process sees the same counts.
//!
//! Failed password sign-ins are counted per account and per client address. Once a key
//! reaches its limit within the window, it is locked until a window's length after that last
//! failure, and a sign-in under a locked key is rejected before any password is checked.
//! Requests for sign-in links and password resets are counted the same way, per hour, and
//! beyond the limit no email is sent.

use std::net::IpAddr;

use super::clock::now_ms;
use super::crypto::hash_token;
use super::db::Db;

const MINUTE_MS: i64 = 60 * 1000;

/// A limit of `max_events` within `window_ms`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max_events: i64,
    pub window_ms: i64,
}

/// Failed password sign-ins per account: 5 within 15 minutes.
pub const ACCOUNT_FAILURES: Limit = Limit {
    max_events: 5,
    window_ms: 15 * MINUTE_MS,
};
/// Failed password sign-ins per client address: 30 within 15 minutes.
pub const ADDRESS_FAILURES: Limit = Limit {
    max_events: 30,
    window_ms: 15 * MINUTE_MS,
};
/// Sign-in link and password reset emails per account: 5 within an hour.
pub const ACCOUNT_LINK_REQUESTS: Limit = Limit {
    max_events: 5,
    window_ms: 60 * MINUTE_MS,
};
/// Sign-in link and password reset requests per client address: 20 within an hour.
pub const ADDRESS_LINK_REQUESTS: Limit = Limit {
    max_events: 20,
    window_ms: 60 * MINUTE_MS,
};

/// The message of a rejected sign-in while a key is locked. It is the same whether or not an
/// account uses the email, and whichever key is locked. Its advice holds in both cases: a
/// sign-in link is not a password sign-in, so neither lock stops it, while a password reset
/// lifts only the account's lock.
pub const LOCKED_MESSAGE: &str =
    "Too many failed sign-ins. Wait 15 minutes and try again, or sign in with a link sent to your email.";

/// Builds the key of failed sign-ins for an email, whether or not an account uses it. The
/// email is stored only as a hash.
pub fn account_key(email: &str) -> String {
    format!("account:{}", hash_token(&email.trim().to_lowercase()))
}

pub fn address_key(address: IpAddr) -> String {
    format!("address:{address}")
}

/// Builds the key of link requests for an email, counted apart from failed sign-ins.
pub fn link_account_key(email: &str) -> String {
    format!("link_account:{}", hash_token(&email.trim().to_lowercase()))
}

pub fn link_address_key(address: IpAddr) -> String {
    format!("link_address:{address}")
}

/// Returns whether any of `keys` is locked now.
pub async fn is_locked(db: &Db, keys: &[&str]) -> Result<bool, sqlx::Error> {
    let now = now_ms();
    for key in keys {
        let locked: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM sign_in_failures WHERE throttle_key = $1 AND locked_until > $2",
        )
        .bind(*key)
        .bind(now)
        .fetch_optional(db)
        .await?;
        if locked.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Counts one event under `key` and returns the count within the current window, including
/// this one. A count that reaches the limit locks the key for a window's length from now.
/// The counting is one upsert, so concurrent requests do not overwrite each other's count.
pub async fn count_event(db: &Db, key: &str, limit: Limit) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    let window_expired_before = now - limit.window_ms;
    let locked_until = now + limit.window_ms;

    // Every expression in SET reads the row as it was before this statement, on both backends.
    sqlx::query_scalar(
        "INSERT INTO sign_in_failures (throttle_key, failures, window_started_at, locked_until)
         VALUES ($1, 1, $2, CASE WHEN $4 <= 1 THEN $5 ELSE NULL END)
         ON CONFLICT (throttle_key) DO UPDATE SET
             failures = CASE WHEN sign_in_failures.window_started_at <= $3 THEN 1
                             ELSE sign_in_failures.failures + 1 END,
             window_started_at = CASE WHEN sign_in_failures.window_started_at <= $3 THEN $2
                                      ELSE sign_in_failures.window_started_at END,
             locked_until = CASE WHEN (CASE WHEN sign_in_failures.window_started_at <= $3 THEN 1
                                            ELSE sign_in_failures.failures + 1 END) >= $4 THEN $5
                                 ELSE sign_in_failures.locked_until END
         RETURNING failures",
    )
    .bind(key)
    .bind(now)
    .bind(window_expired_before)
    .bind(limit.max_events)
    .bind(locked_until)
    .fetch_one(db)
    .await
}

/// Forgets the failures under `key`, after a successful sign-in.
pub async fn clear(db: &Db, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE throttle_key = $1")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_key_ignores_case_and_hides_the_email() {
        let key = account_key(" Ada@Example.com ");

        assert_eq!(key, account_key("ada@example.com"));
        assert!(key.starts_with("account:"));
        assert!(!key.contains("example"), "{key}");
    }
}
