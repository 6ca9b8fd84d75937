//! The one error type of the client, with Lever's HTTP outcomes sorted into
//! variants that callers act on (retry, reconnect, show the admin).

use std::time::Duration;

/// Failure of a call to Lever.
///
/// Display texts are safe to show an admin: they carry no tokens, secrets or
/// response bodies beyond Lever's own `code` and `message`.
#[derive(Debug, thiserror::Error)]
pub enum LeverError {
    /// The Data API returned 401: the access token was missing, expired or
    /// revoked.
    #[error("Lever rejected the access token (HTTP 401); refresh it or reconnect Lever")]
    Unauthorized,

    /// The Data API returned 403: the account's settings or the granted
    /// scopes do not allow the operation.
    #[error("Lever refused the operation (HTTP 403 {code}): {message}")]
    Forbidden { code: String, message: String },

    /// The Data API returned 404.
    #[error("Lever did not find the resource (HTTP 404 {code}): {message}")]
    NotFound { code: String, message: String },

    /// Lever returned 429. Lever does not document a `Retry-After` header,
    /// so `retry_after` is set only when one was sent.
    #[error("Lever rate limit reached (HTTP 429); retry later")]
    RateLimited { retry_after: Option<Duration> },

    /// Lever returned 5xx. A 503 means maintenance.
    #[error("Lever had a server error (HTTP {status}); retry later")]
    Server { status: u16 },

    /// The request timed out. Lever may still have applied a write.
    #[error("the request to Lever timed out; a write may still have been applied")]
    Timeout,

    /// The connection failed or was reset before a full response arrived.
    #[error("could not reach Lever: {0}")]
    Connect(String),

    /// Any other 4xx from the Data API, with Lever's `{code, message}` body
    /// (empty strings when the body had none).
    #[error("Lever rejected the request (HTTP {status} {code}): {message}")]
    Rejected {
        status: u16,
        code: String,
        message: String,
    },

    /// The token endpoint returned `invalid_grant`: the code or refresh token
    /// is unknown, used, expired or revoked. The connection needs a new
    /// consent from a Super Admin.
    #[error(
        "Lever no longer accepts this authorization ({0}); a Super Admin must reconnect Lever"
    )]
    InvalidGrant(String),

    /// Any other error from the token endpoint.
    #[error("Lever's token endpoint returned an error: {0}")]
    OAuth(String),

    /// A 2xx body that could not be parsed.
    #[error("could not parse Lever's response: {0}")]
    Decode(String),

    /// The client was configured or called with invalid values.
    #[error("invalid Lever client configuration: {0}")]
    Config(String),
}

impl LeverError {
    /// Returns whether the same request may succeed later: rate limits, server
    /// errors, timeouts and connection failures.
    ///
    /// A retried create after `Timeout` or `Server` can duplicate the
    /// resource, because Lever has no idempotency keys.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            LeverError::RateLimited { .. }
                | LeverError::Server { .. }
                | LeverError::Timeout
                | LeverError::Connect(_)
        )
    }

    /// Returns the wait Lever requested in `Retry-After`, if it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            LeverError::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retryable_variants() {
        assert!(LeverError::RateLimited { retry_after: None }.is_retryable());
        assert!(LeverError::Server { status: 503 }.is_retryable());
        assert!(LeverError::Timeout.is_retryable());
        assert!(LeverError::Connect("reset".into()).is_retryable());
    }

    #[test]
    fn final_variants() {
        let rejected = LeverError::Rejected {
            status: 400,
            code: "BadRequest".into(),
            message: "bad".into(),
        };

        assert!(!LeverError::Unauthorized.is_retryable());
        assert!(!rejected.is_retryable());
        assert!(!LeverError::InvalidGrant("invalid_grant".into()).is_retryable());
        assert!(!LeverError::Decode("x".into()).is_retryable());
    }

    #[test]
    fn retry_after_only_from_rate_limit() {
        let limited = LeverError::RateLimited {
            retry_after: Some(Duration::from_secs(3)),
        };

        assert_eq!(limited.retry_after(), Some(Duration::from_secs(3)));
        assert_eq!(LeverError::Server { status: 503 }.retry_after(), None);
    }
}
