//! Authorization codes, access tokens and refresh tokens the simulator has
//! issued, with expiry, single use, rotation and revocation.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rand::RngCore;

use super::config::RefreshRotation;

/// Lifetime of an authorization code. RFC 6749 section 4.1.2 recommends
/// at most 10 minutes.
pub(crate) const CODE_TTL: Duration = Duration::from_secs(10 * 60);

/// Reason a code or token was rejected. The text goes into
/// `error_description` or a 401 message.
pub(crate) type Rejection = &'static str;

#[derive(Default)]
pub(crate) struct TokenStore {
    codes: HashMap<String, CodeGrant>,
    access: HashMap<String, AccessGrant>,
    refresh: HashMap<String, RefreshGrant>,
    pub codes_issued: u64,
    pub access_tokens_issued: u64,
    pub refresh_tokens_issued: u64,
    /// Set by a revocation, cleared by the next code exchange.
    pub revoked: bool,
}

struct CodeGrant {
    client_id: String,
    redirect_uri: String,
    scope: String,
    user_id: String,
    expires_at: Instant,
    used: bool,
}

/// The user a token acts for, and the scopes it carries.
#[derive(Clone, Debug)]
pub(crate) struct Grant {
    pub client_id: String,
    pub user_id: String,
    /// Space-separated scopes.
    pub scope: String,
}

impl Grant {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scope.split(' ').any(|granted| granted == scope)
    }
}

struct AccessGrant {
    grant: Grant,
    expires_at: Instant,
    revoked: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RefreshState {
    Active,
    /// Rotated under [`RefreshRotation::OverlapOld`]: accepted once more.
    Overlap,
    Dead,
}

struct RefreshGrant {
    grant: Grant,
    state: RefreshState,
}

/// Tokens of one successful token request.
pub(crate) struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_in: Duration,
    pub scope: String,
}

impl TokenStore {
    /// Issues a single-use code for the consent a user just gave.
    pub fn issue_code(
        &mut self,
        client_id: &str,
        redirect_uri: &str,
        scope: &str,
        user_id: &str,
    ) -> String {
        let code = random_token("sim_code_");

        self.codes.insert(
            code.clone(),
            CodeGrant {
                client_id: client_id.to_string(),
                redirect_uri: redirect_uri.to_string(),
                scope: scope.to_string(),
                user_id: user_id.to_string(),
                expires_at: Instant::now() + CODE_TTL,
                used: false,
            },
        );
        self.codes_issued += 1;

        code
    }

    /// Spends a code. It must be unused, unexpired, and issued to the same
    /// client for the same redirect URI.
    pub fn redeem_code(
        &mut self,
        code: &str,
        client_id: &str,
        redirect_uri: Option<&str>,
    ) -> Result<Grant, Rejection> {
        let Some(grant) = self.codes.get_mut(code) else {
            return Err("Invalid authorization code");
        };

        if grant.used {
            return Err("Authorization code has already been used");
        }
        if Instant::now() >= grant.expires_at {
            return Err("Authorization code has expired");
        }
        if grant.client_id != client_id {
            return Err("Authorization code was issued to another client");
        }
        if redirect_uri != Some(grant.redirect_uri.as_str()) {
            return Err("redirect_uri does not match the one of the authorization request");
        }

        grant.used = true;

        Ok(Grant {
            client_id: grant.client_id.clone(),
            user_id: grant.user_id.clone(),
            scope: grant.scope.clone(),
        })
    }

    /// Issues an access token, and a refresh token when `offline_access`
    /// was granted.
    pub fn issue_tokens(&mut self, grant: Grant, access_ttl: Duration) -> IssuedTokens {
        let access_token = random_token("sim_at_");
        self.access.insert(
            access_token.clone(),
            AccessGrant {
                grant: grant.clone(),
                expires_at: Instant::now() + access_ttl,
                revoked: false,
            },
        );
        self.access_tokens_issued += 1;

        let refresh_token = grant.has_scope("offline_access").then(|| {
            let token = random_token("sim_rt_");
            self.refresh.insert(
                token.clone(),
                RefreshGrant {
                    grant: grant.clone(),
                    state: RefreshState::Active,
                },
            );
            self.refresh_tokens_issued += 1;
            token
        });

        IssuedTokens {
            access_token,
            refresh_token,
            expires_in: access_ttl,
            scope: grant.scope,
        }
    }

    /// Spends a refresh token for a rotation, following `rotation` for the
    /// old token.
    pub fn rotate_refresh(
        &mut self,
        refresh_token: &str,
        client_id: &str,
        rotation: RefreshRotation,
    ) -> Result<Grant, Rejection> {
        let Some(stored) = self.refresh.get_mut(refresh_token) else {
            return Err("Unknown or invalid refresh token.");
        };

        if stored.grant.client_id != client_id {
            return Err("Unknown or invalid refresh token.");
        }

        stored.state = match (stored.state, rotation) {
            (RefreshState::Dead, _) => return Err("Unknown or invalid refresh token."),
            (RefreshState::Active, RefreshRotation::OverlapOld) => RefreshState::Overlap,
            (RefreshState::Active, RefreshRotation::InvalidateOld) => RefreshState::Dead,
            (RefreshState::Overlap, _) => RefreshState::Dead,
        };

        Ok(stored.grant.clone())
    }

    /// Looks up a bearer token for the Data API.
    pub fn check_access(&self, access_token: &str) -> Result<&Grant, Rejection> {
        let Some(stored) = self.access.get(access_token) else {
            return Err("Invalid access token");
        };

        if stored.revoked {
            return Err("Access token has been revoked");
        }
        if Instant::now() >= stored.expires_at {
            return Err("Access token has expired");
        }

        Ok(&stored.grant)
    }

    /// Revokes every issued refresh token and code, as a Super Admin
    /// revoking the app in Lever's settings would. Access tokens are revoked
    /// too unless `keep_access_tokens`, in which case they work until they
    /// expire.
    pub fn revoke_all(&mut self, keep_access_tokens: bool) {
        if !keep_access_tokens {
            for stored in self.access.values_mut() {
                stored.revoked = true;
            }
        }
        for stored in self.refresh.values_mut() {
            stored.state = RefreshState::Dead;
        }
        for code in self.codes.values_mut() {
            code.used = true;
        }

        self.revoked = true;
    }

    /// Counts the access tokens that would be accepted now.
    pub fn live_access_tokens(&self) -> usize {
        let now = Instant::now();

        self.access
            .values()
            .filter(|stored| !stored.revoked && now < stored.expires_at)
            .count()
    }
}

/// Generates an opaque token: `prefix` plus 32 random bytes in hex.
pub(crate) fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);

    format!("{prefix}{}", hex::encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> Grant {
        Grant {
            client_id: "c".to_string(),
            user_id: "u".to_string(),
            scope: "offline_access stages:read:admin".to_string(),
        }
    }

    #[test]
    fn code_single_use() {
        let mut store = TokenStore::default();
        let code = store.issue_code("c", "https://x/cb", "offline_access", "u");

        assert!(store.redeem_code(&code, "c", Some("https://x/cb")).is_ok());
        assert!(store.redeem_code(&code, "c", Some("https://x/cb")).is_err());
    }

    #[test]
    fn code_redirect_must_match() {
        let mut store = TokenStore::default();
        let code = store.issue_code("c", "https://x/cb", "offline_access", "u");

        assert!(store
            .redeem_code(&code, "c", Some("https://x/other"))
            .is_err());
    }

    #[test]
    fn overlap_accepts_old_token_once() {
        let mut store = TokenStore::default();
        let issued = store.issue_tokens(grant(), Duration::from_secs(60));
        let old = issued.refresh_token.unwrap();

        assert!(store
            .rotate_refresh(&old, "c", RefreshRotation::OverlapOld)
            .is_ok());
        assert!(store
            .rotate_refresh(&old, "c", RefreshRotation::OverlapOld)
            .is_ok());
        assert!(store
            .rotate_refresh(&old, "c", RefreshRotation::OverlapOld)
            .is_err());
    }

    #[test]
    fn invalidate_rejects_old_token() {
        let mut store = TokenStore::default();
        let issued = store.issue_tokens(grant(), Duration::from_secs(60));
        let old = issued.refresh_token.unwrap();

        assert!(store
            .rotate_refresh(&old, "c", RefreshRotation::InvalidateOld)
            .is_ok());
        assert!(store
            .rotate_refresh(&old, "c", RefreshRotation::InvalidateOld)
            .is_err());
    }

    #[test]
    fn expired_access_token_rejected() {
        let mut store = TokenStore::default();
        let issued = store.issue_tokens(grant(), Duration::ZERO);

        assert!(store.check_access(&issued.access_token).is_err());
    }

    #[test]
    fn revoke_kills_everything() {
        let mut store = TokenStore::default();
        let issued = store.issue_tokens(grant(), Duration::from_secs(60));

        store.revoke_all(false);

        assert!(store.check_access(&issued.access_token).is_err());
        assert!(store
            .rotate_refresh(
                &issued.refresh_token.unwrap(),
                "c",
                RefreshRotation::OverlapOld
            )
            .is_err());
        assert!(store.revoked);
    }

    #[test]
    fn revoke_can_keep_access_tokens() {
        let mut store = TokenStore::default();
        let issued = store.issue_tokens(grant(), Duration::from_secs(60));

        store.revoke_all(true);

        assert!(store.check_access(&issued.access_token).is_ok());
        assert!(store
            .rotate_refresh(
                &issued.refresh_token.unwrap(),
                "c",
                RefreshRotation::OverlapOld
            )
            .is_err());
        assert!(store.revoked);
    }
}
