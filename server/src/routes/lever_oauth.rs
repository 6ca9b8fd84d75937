//! Connecting Lever by OAuth. `POST /integrations/lever/authorize` sends a Super Admin to
//! Lever's consent page with a fresh `state` bound to their session. Lever sends them back
//! to `GET /integrations/lever/callback`, where the code is exchanged, Lever's stages,
//! archive reasons, users and postings are loaded, and the connection is stored. Any failure
//! redirects to the Jobs page with a reason and stores nothing.

use app::ssr::authz::{staff_from_cookies, Permission, StaffContext};
use app::ssr::clock::now_ms;
use app::ssr::crypto::{hash_token, random_token};
use app::ssr::outbox_admin::resume_paused_writes;
use app::ssr::state::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use crate::lever_sync;

/// How long a Super Admin has to finish Lever's consent page, in milliseconds (10 minutes).
const STATE_LIFETIME_MS: i64 = 10 * 60 * 1000;

/// Reason connecting failed, sent as the Jobs page's `lever_error` query value.
#[derive(Debug, Clone, Copy)]
enum ConnectFailure {
    Forbidden,
    Unconfigured,
    State,
    Denied,
    Exchange,
    Load,
}

impl ConnectFailure {
    fn redirect(self) -> Response {
        let reason = match self {
            Self::Forbidden => "forbidden",
            Self::Unconfigured => "unconfigured",
            Self::State => "state",
            Self::Denied => "denied",
            Self::Exchange => "exchange",
            Self::Load => "load",
        };
        Redirect::to(&format!("/jobs?lever_error={reason}")).into_response()
    }
}

/// Returns the signed-in Super Admin, or the response that turns anyone else away.
async fn super_admin(state: &AppState, jar: &CookieJar) -> Result<StaffContext, Response> {
    let staff = match staff_from_cookies(&state.db, jar).await {
        Ok(Some(staff)) => staff,
        Ok(None) => return Err(Redirect::to("/sign-in").into_response()),
        Err(_) => return Err(ConnectFailure::State.redirect()),
    };
    if staff.require(Permission::ManageLeverConnection).is_err() {
        tracing::warn!(staff_user.id = %staff.staff_user_id, "Lever connect attempted without the Super Admin role");
        return Err(ConnectFailure::Forbidden.redirect());
    }
    Ok(staff)
}

pub async fn authorize(State(state): State<AppState>, jar: CookieJar) -> Response {
    let staff = match super_admin(&state, &jar).await {
        Ok(staff) => staff,
        Err(response) => return response,
    };
    let Some(client) = &state.lever else {
        return ConnectFailure::Unconfigured.redirect();
    };

    let oauth_state = random_token();
    let now = now_ms();
    // Abandoned consent attempts leave rows behind; clear them as new ones are made.
    if let Err(error) = sqlx::query("DELETE FROM oauth_states WHERE expires_at < $1")
        .bind(now)
        .execute(&state.db)
        .await
    {
        tracing::warn!(%error, "could not delete expired OAuth states");
    }
    let stored = sqlx::query(
        "INSERT INTO oauth_states (state_hash, session_id_hash, organization_id, staff_user_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash_token(&oauth_state))
    .bind(&staff.session_id_hash)
    .bind(&staff.organization_id)
    .bind(&staff.staff_user_id)
    .bind(now)
    .bind(now + STATE_LIFETIME_MS)
    .execute(&state.db)
    .await;
    if let Err(error) = stored {
        tracing::error!(%error, "could not store the OAuth state");
        return ConnectFailure::State.redirect();
    }

    tracing::info!(organization.id = %staff.organization_id, staff_user.id = %staff.staff_user_id, "sending Super Admin to Lever's consent page");
    Redirect::to(client.authorize_url(&oauth_state).as_str()).into_response()
}

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

pub async fn callback(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let staff = match super_admin(&state, &jar).await {
        Ok(staff) => staff,
        Err(response) => return response,
    };
    let Some(client) = state.lever.clone() else {
        return ConnectFailure::Unconfigured.redirect();
    };

    // The state row is deleted whatever happens next, so the same state cannot be used twice.
    if !consume_state(&state, &staff, query.state.as_deref()).await {
        tracing::warn!(organization.id = %staff.organization_id, "Lever callback with an unknown, expired or foreign state");
        return ConnectFailure::State.redirect();
    }
    if let Some(error) = query.error {
        tracing::info!(organization.id = %staff.organization_id, lever.error = %error, "Lever consent was not given");
        return ConnectFailure::Denied.redirect();
    }
    let Some(code) = query.code.filter(|code| !code.is_empty()) else {
        return ConnectFailure::Exchange.redirect();
    };

    let tokens = match client.exchange_code(&code).await {
        Ok(tokens) => tokens,
        Err(error) => {
            tracing::warn!(organization.id = %staff.organization_id, %error, "Lever rejected the authorization code");
            return ConnectFailure::Exchange.redirect();
        }
    };

    match lever_sync::connect(&state, &client, &staff, tokens).await {
        Ok(()) => {
            // Writes put back while the connection was unusable become due at once, not after
            // their pause ends. Then the worker drains them.
            if let Err(error) = resume_paused_writes(&state.db, &staff.organization_id).await {
                tracing::warn!(organization.id = %staff.organization_id, %error, "could not make paused writes due after reconnecting, so they wait until their pause ends");
            }
            state.outbox_wakeup.notify_one();
            Redirect::to("/jobs?lever=connected").into_response()
        }
        Err(error) => {
            tracing::error!(organization.id = %staff.organization_id, %error, "loading Lever's lists failed; connection not stored");
            ConnectFailure::Load.redirect()
        }
    }
}

/// Deletes the state row and returns whether it existed, was unexpired, and belongs to this
/// session and organization.
async fn consume_state(state: &AppState, staff: &StaffContext, oauth_state: Option<&str>) -> bool {
    let Some(oauth_state) = oauth_state.filter(|value| !value.is_empty()) else {
        return false;
    };
    let row: Result<Option<(String, String, i64)>, sqlx::Error> = sqlx::query_as(
        "DELETE FROM oauth_states WHERE state_hash = $1 RETURNING session_id_hash, organization_id, expires_at",
    )
    .bind(hash_token(oauth_state))
    .fetch_optional(&state.db)
    .await;

    match row {
        Ok(Some((session_id_hash, organization_id, expires_at))) => {
            session_id_hash == staff.session_id_hash
                && organization_id == staff.organization_id
                && expires_at > now_ms()
        }
        Ok(None) => false,
        Err(error) => {
            tracing::error!(%error, "could not read the OAuth state");
            false
        }
    }
}
