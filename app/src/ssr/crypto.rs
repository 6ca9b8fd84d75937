//! Encryption of secrets at rest and hashing of bearer tokens.
//!
//! Lever tokens are sealed with XChaCha20-Poly1305 under the server's secret key. The
//! organization id is bound in as associated data, so a sealed value copied to another
//! organization's row fails to open. Candidate links, sessions and OAuth `state` values
//! are random 256-bit tokens stored only as SHA-256 hashes.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Length of the secret key in bytes.
pub const KEY_BYTES: usize = 32;
/// Length in characters of a random token in URL-safe base64 (32 bytes, no padding).
pub const TOKEN_CHARS: usize = 43;

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("the secret key must be {KEY_BYTES} bytes, base64-encoded; got {0} bytes")]
    KeyLength(usize),
    #[error("the secret key is not valid base64")]
    KeyEncoding,
    #[error("a sealed value could not be opened (wrong key, or the value was altered)")]
    Open,
}

/// Seals and opens secrets with one key.
pub struct SecretBox {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("SecretBox(..)")
    }
}

impl SecretBox {
    pub fn from_base64_key(key: &str) -> Result<Self, CryptoError> {
        let bytes = STANDARD
            .decode(key.trim())
            .map_err(|_| CryptoError::KeyEncoding)?;
        Self::from_key(&bytes)
    }

    pub fn from_key(key: &[u8]) -> Result<Self, CryptoError> {
        if key.len() != KEY_BYTES {
            return Err(CryptoError::KeyLength(key.len()));
        }
        Ok(Self {
            cipher: XChaCha20Poly1305::new(key.into()),
        })
    }

    /// Generates a random key, base64-encoded, for `tryout demo` and first-time set-up.
    pub fn generate_base64_key() -> String {
        let mut key = [0u8; KEY_BYTES];
        rand::thread_rng().fill_bytes(&mut key);
        STANDARD.encode(key)
    }

    /// Encrypts `plaintext`; the result is base64 of a 24-byte nonce followed by the ciphertext.
    pub fn seal(&self, plaintext: &str, associated_data: &str) -> String {
        let mut nonce = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut nonce);
        let payload = Payload {
            msg: plaintext.as_bytes(),
            aad: associated_data.as_bytes(),
        };
        let ciphertext = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), payload)
            .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory buffers");

        let mut sealed = nonce.to_vec();
        sealed.extend_from_slice(&ciphertext);
        STANDARD.encode(sealed)
    }

    pub fn open(&self, sealed: &str, associated_data: &str) -> Result<String, CryptoError> {
        let bytes = STANDARD.decode(sealed).map_err(|_| CryptoError::Open)?;
        if bytes.len() < 24 {
            return Err(CryptoError::Open);
        }
        let (nonce, ciphertext) = bytes.split_at(24);
        let payload = Payload {
            msg: ciphertext,
            aad: associated_data.as_bytes(),
        };
        let plaintext = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), payload)
            .map_err(|_| CryptoError::Open)?;
        String::from_utf8(plaintext).map_err(|_| CryptoError::Open)
    }
}

/// Generates an unguessable token (256 random bits) in URL-safe base64.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Hashes a token into its stored form: lowercase hex SHA-256.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Returns whether `token` has the shape [`random_token`] produces. It is checked before any
/// lookup, so a malformed link gets a clear message instead of a database round trip.
pub fn is_well_formed_token(token: &str) -> bool {
    token.len() == TOKEN_CHARS
        && token
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_value_opens_with_same_key_and_data() {
        let secrets = SecretBox::from_base64_key(&SecretBox::generate_base64_key()).unwrap();
        let sealed = secrets.seal("refresh-token-value", "org-1");

        assert_ne!(sealed, "refresh-token-value");
        assert_eq!(
            secrets.open(&sealed, "org-1").unwrap(),
            "refresh-token-value"
        );
    }

    #[test]
    fn sealed_value_rejects_other_organization() {
        let secrets = SecretBox::from_base64_key(&SecretBox::generate_base64_key()).unwrap();
        let sealed = secrets.seal("refresh-token-value", "org-1");

        assert!(secrets.open(&sealed, "org-2").is_err());
    }

    #[test]
    fn short_key_is_rejected() {
        let error = SecretBox::from_key(&[0u8; 16]).unwrap_err();
        assert!(matches!(error, CryptoError::KeyLength(16)));
    }

    #[test]
    fn random_tokens_are_well_formed_and_distinct() {
        let first = random_token();
        let second = random_token();

        assert!(is_well_formed_token(&first));
        assert_ne!(first, second);
        assert!(!is_well_formed_token("short"));
        assert!(!is_well_formed_token(&format!("{}!", &first[..42])));
    }
}
