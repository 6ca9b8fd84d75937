//! Signed proof that a user signed in on the authorize page, carried in
//! hidden fields of the consent form so no server session is needed.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::clock::now_ms;

/// Validity of the consent form after sign-in, in milliseconds.
pub(crate) const TICKET_TTL_MS: i64 = 15 * 60 * 1000;

type HmacSha256 = Hmac<Sha256>;

/// Claims a ticket vouches for: the user and the exact authorize request.
pub(crate) struct TicketClaims<'a> {
    pub user_id: &'a str,
    pub expires_ms: i64,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub scope: &'a str,
    pub state: &'a str,
}

impl TicketClaims<'_> {
    fn mac(&self, key: &[u8]) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length");

        // Length prefixes keep two different claim sets from joining into
        // the same bytes.
        for part in [
            self.user_id,
            &self.expires_ms.to_string(),
            self.client_id,
            self.redirect_uri,
            self.scope,
            self.state,
        ] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }

        mac
    }

    /// Returns the hex signature of the claims.
    pub fn sign(&self, key: &[u8]) -> String {
        hex::encode(self.mac(key).finalize().into_bytes())
    }

    /// Checks the signature in constant time, and that the ticket has not
    /// expired.
    pub fn verify(&self, key: &[u8], signature_hex: &str) -> bool {
        let Ok(signature) = hex::decode(signature_hex) else {
            return false;
        };

        self.expires_ms > now_ms() && self.mac(key).verify_slice(&signature).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(user_id: &str, expires_ms: i64) -> TicketClaims<'_> {
        TicketClaims {
            user_id,
            expires_ms,
            client_id: "c",
            redirect_uri: "https://x/cb",
            scope: "offline_access",
            state: "s",
        }
    }

    #[test]
    fn signed_ticket_verifies() {
        let expires = now_ms() + 60_000;
        let signature = claims("u1", expires).sign(b"key");

        assert!(claims("u1", expires).verify(b"key", &signature));
    }

    #[test]
    fn other_user_rejected() {
        let expires = now_ms() + 60_000;
        let signature = claims("u1", expires).sign(b"key");

        assert!(!claims("u2", expires).verify(b"key", &signature));
    }

    #[test]
    fn expired_ticket_rejected() {
        let expires = now_ms() - 1;
        let signature = claims("u1", expires).sign(b"key");

        assert!(!claims("u1", expires).verify(b"key", &signature));
    }
}
