//! Access tokens for calls to Lever. A token about to expire is refreshed first; Lever
//! rotates the refresh token on every refresh, so refreshes of one organization run one at a
//! time and the new pair is stored before the new access token is used.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use app::ssr::clock::now_ms;
use app::ssr::lever_store::{
    find_connection, mark_revoked, save_rotated_tokens, ConnectionRow, LeverTokens,
};
use app::ssr::state::AppState;
use lever::error::LeverError;

/// Refresh this long before the access token's expiry, in milliseconds (2 minutes).
const REFRESH_MARGIN_MS: i64 = 2 * 60 * 1000;

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("Lever is not connected for this organization")]
    NotConnected,
    #[error("Lever rejected the refresh token; the connection is now marked revoked")]
    Revoked,
    #[error("refreshing the Lever token failed: {0}")]
    Refresh(LeverError),
    #[error("no Lever OAuth client is configured")]
    Unconfigured,
    #[error("reading or storing the Lever connection failed")]
    Store,
}

impl TokenError {
    /// Returns whether trying again later may succeed without anyone acting.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Refresh(error) if error.is_retryable()) || matches!(self, Self::Store)
    }
}

/// Per-organization locks that make refreshes single-flight within this process.
#[derive(Default)]
pub struct LeverAuth {
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl LeverAuth {
    fn lock_for(&self, organization_id: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self
            .locks
            .lock()
            .expect("the lock map is never poisoned: no code panics while holding it");
        locks.entry(organization_id.to_owned()).or_default().clone()
    }

    /// Returns a usable access token. With `rejected` (a token Lever just rejected with 401),
    /// the token is refreshed unless another task already replaced it.
    pub async fn access_token(
        &self,
        state: &AppState,
        organization_id: &str,
        rejected: Option<&str>,
    ) -> Result<String, TokenError> {
        let (_, tokens) = live_connection(state, organization_id).await?;
        if is_usable(&tokens, rejected) {
            return Ok(tokens.access_token);
        }

        let lock = self.lock_for(organization_id);
        let _guard = lock.lock().await;

        // Another task may have refreshed while this one waited for the lock.
        let (row, tokens) = live_connection(state, organization_id).await?;
        if is_usable(&tokens, rejected) {
            return Ok(tokens.access_token);
        }

        let (Some(refresh_token), Some(previous_sealed)) =
            (tokens.refresh_token.clone(), row.refresh_token_enc.clone())
        else {
            let _ = mark_revoked(
                &state.db,
                organization_id,
                "Lever gave no refresh token; reconnect Lever",
            )
            .await;
            return Err(TokenError::Revoked);
        };
        let client = state.lever.as_ref().ok_or(TokenError::Unconfigured)?;

        let refreshed = match client.refresh(&refresh_token).await {
            Ok(refreshed) => refreshed,
            Err(LeverError::InvalidGrant(_)) => {
                tracing::warn!(organization.id = %organization_id, "Lever rejected the refresh token; marking the connection revoked");
                let _ = mark_revoked(
                    &state.db,
                    organization_id,
                    "Lever no longer accepts Tryout's access; a Super Admin must reconnect",
                )
                .await;
                return Err(TokenError::Revoked);
            }
            Err(error) => return Err(TokenError::Refresh(error)),
        };

        let new_tokens = LeverTokens {
            access_token: refreshed.access_token,
            // Keep the old refresh token if Lever did not send a new one.
            refresh_token: refreshed.refresh_token.or(Some(refresh_token)),
            access_expires_at: refreshed
                .expires_in
                .map(|lifetime| now_ms() + lifetime.as_millis() as i64),
        };
        let stored = save_rotated_tokens(
            &state.db,
            &state.secrets,
            organization_id,
            &previous_sealed,
            &new_tokens,
        )
        .await
        .map_err(|_| TokenError::Store)?;
        if !stored {
            // The row changed under us (a reconnect); its tokens win.
            return live_connection(state, organization_id)
                .await
                .map(|(_, tokens)| tokens.access_token);
        }

        tracing::info!(organization.id = %organization_id, "Lever access token refreshed");
        Ok(new_tokens.access_token)
    }
}

fn is_usable(tokens: &LeverTokens, rejected: Option<&str>) -> bool {
    let fresh = tokens
        .access_expires_at
        .is_none_or(|expires| expires - REFRESH_MARGIN_MS > now_ms());
    let replaced = rejected.is_none_or(|rejected| rejected != tokens.access_token);
    fresh && replaced
}

/// Loads the organization's live connection row with its unsealed tokens.
async fn live_connection(
    state: &AppState,
    organization_id: &str,
) -> Result<(ConnectionRow, LeverTokens), TokenError> {
    let row = find_connection(&state.db, organization_id)
        .await
        .map_err(|_| TokenError::Store)?;
    let row = row
        .filter(|row| row.status == "live")
        .ok_or(TokenError::NotConnected)?;
    let tokens = row
        .tokens(&state.secrets)
        .map_err(|_| TokenError::Store)?
        .ok_or(TokenError::NotConnected)?;
    Ok((row, tokens))
}
