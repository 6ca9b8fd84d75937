//! One read or write against Lever on behalf of an organization, outside the outbox: it
//! waits for the organization's shared pace, uses a live access token, and on a 401 refreshes
//! the token once and tries again. The webhook worker and the poller use it.

use std::future::Future;

use app::ssr::state::AppState;
use lever::client::LeverClient;
use lever::error::LeverError;

use crate::lever_auth::{LeverAuth, TokenError};

/// The reason a call did not return Lever's response.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// Lever is not connected, or the connection was revoked: wait for a reconnect.
    #[error("Lever is not usable now: {0}")]
    Paused(TokenError),
    /// A token refresh failed in a way that may pass.
    #[error("the Lever token could not be refreshed now: {0}")]
    Token(TokenError),
    #[error("{0}")]
    Lever(LeverError),
}

impl CallError {
    /// Returns whether trying again later may succeed without anyone acting.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Paused(_) => false,
            Self::Token(_) => true,
            Self::Lever(error) => error.is_retryable() || matches!(error, LeverError::Unauthorized),
        }
    }

    /// Returns whether the connection must be restored before anything can be sent.
    pub fn is_paused(&self) -> bool {
        matches!(self, Self::Paused(_))
    }
}

/// Runs `call` with the organization's client and access token, at the shared pace.
pub async fn call_lever<T, F, Fut>(
    state: &AppState,
    auth: &LeverAuth,
    organization_id: &str,
    call: F,
) -> Result<T, CallError>
where
    F: Fn(LeverClient, String) -> Fut,
    Fut: Future<Output = Result<T, LeverError>>,
{
    let Some(client) = state.lever.clone() else {
        return Err(CallError::Paused(TokenError::Unconfigured));
    };

    let mut rejected: Option<String> = None;
    loop {
        let token = auth
            .access_token(state, organization_id, rejected.as_deref())
            .await
            .map_err(|error| {
                if error.is_transient() {
                    CallError::Token(error)
                } else {
                    CallError::Paused(error)
                }
            })?;

        state.lever_pace.wait_turn(&state.db, organization_id).await;
        match call(client.clone(), token.clone()).await {
            Ok(value) => return Ok(value),
            // One refresh per call, because a second 401 with a fresh token is final.
            Err(LeverError::Unauthorized) if rejected.is_none() => rejected = Some(token),
            Err(error) => return Err(CallError::Lever(error)),
        }
    }
}
