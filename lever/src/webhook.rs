//! The signature of a Lever webhook delivery, shared by the simulator that
//! signs deliveries and the server that verifies them.
//!
//! Lever signs `token + triggeredAt` (the two body fields joined as strings
//! with no separator) with HMAC-SHA256, keyed by the webhook's
//! `signatureToken`, and sends the hex digest in the body's `signature`
//! field. The signature does not cover the rest of the body (Lever Data API
//! docs, section "Request signing").

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Computes the lowercase hex signature Lever puts in a delivery.
/// `triggered_at_ms` is the body's `triggeredAt` in milliseconds since the
/// Unix epoch.
pub fn signature(signature_token: &str, token: &str, triggered_at_ms: i64) -> String {
    hex::encode(
        keyed(signature_token, token, triggered_at_ms)
            .finalize()
            .into_bytes(),
    )
}

/// Checks a delivery's `signature` in constant time. A value that is not
/// hex, or has the wrong length, fails.
pub fn verify(
    signature_token: &str,
    token: &str,
    triggered_at_ms: i64,
    signature_hex: &str,
) -> bool {
    let Ok(expected) = hex::decode(signature_hex.trim()) else {
        return false;
    };

    keyed(signature_token, token, triggered_at_ms)
        .verify_slice(&expected)
        .is_ok()
}

/// Feeds the signed message into an HMAC keyed by `signature_token`.
fn keyed(signature_token: &str, token: &str, triggered_at_ms: i64) -> HmacSha256 {
    // HMAC (RFC 2104) takes keys of any length, and the hmac crate rejects a
    // key only for MACs with a fixed key size, which HMAC is not.
    let mut mac = HmacSha256::new_from_slice(signature_token.as_bytes())
        .expect("HMAC-SHA256 accepts keys of any length");

    mac.update(token.as_bytes());
    mac.update(triggered_at_ms.to_string().as_bytes());

    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Digest computed independently with
    /// `printf '%s' 'abc1431454330072' | openssl dgst -sha256 -hmac key`.
    const KNOWN: &str = "bc45d26da1c5119ba269cbaab0618c942d8aa624d9fb897d16cc095ba7d2f296";

    #[test]
    fn signature_matches_openssl() {
        assert_eq!(signature("key", "abc", 1_431_454_330_072), KNOWN);
    }

    #[test]
    fn verify_accepts_own_signature() {
        let signed = signature("secret", "token-1", 1_700_000_000_000);

        assert!(verify("secret", "token-1", 1_700_000_000_000, &signed));
        assert!(verify(
            "secret",
            "token-1",
            1_700_000_000_000,
            &signed.to_uppercase()
        ));
    }

    #[test]
    fn verify_rejects_other_inputs() {
        let signed = signature("secret", "token-1", 1_700_000_000_000);

        assert!(!verify("other", "token-1", 1_700_000_000_000, &signed));
        assert!(!verify("secret", "token-2", 1_700_000_000_000, &signed));
        assert!(!verify("secret", "token-1", 1_700_000_000_001, &signed));
        assert!(!verify("secret", "token-1", 1_700_000_000_000, "not hex"));
        assert!(!verify(
            "secret",
            "token-1",
            1_700_000_000_000,
            &signed[..62]
        ));
    }
}
