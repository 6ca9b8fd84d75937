//! Staff password hashing with argon2id, run off the async runtime because one hash takes
//! tens of milliseconds of CPU.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

pub use crate::domain::staff_accounts::MIN_PASSWORD_CHARS;

/// Hashes `password` into a PHC string.
pub async fn hash_password(password: String) -> Result<String, crate::error::AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
    })
    .await
    .map_err(|error| crate::error::AppError::internal("password hashing task", error))?
    .map_err(|error| crate::error::AppError::internal("password hashing", error))
}

/// Checks `password` against a stored PHC string. A `None` hash still spends the same work
/// on a dummy hash, so response time does not reveal whether the account exists.
pub async fn verify_password(password: String, stored_hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let argon2 = Argon2::default();
        match stored_hash
            .as_deref()
            .and_then(|hash| PasswordHash::new(hash).ok())
        {
            Some(parsed) => argon2.verify_password(password.as_bytes(), &parsed).is_ok(),
            None => {
                let salt = SaltString::generate(&mut OsRng);
                let _ = argon2.hash_password(password.as_bytes(), &salt);
                false
            }
        }
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_verifies_only_the_same_password() {
        let hash = hash_password("correct horse battery".into()).await.unwrap();

        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery".into(), Some(hash.clone())).await);
        assert!(!verify_password("wrong horse battery".into(), Some(hash)).await);
        assert!(!verify_password("anything".into(), None).await);
    }
}
