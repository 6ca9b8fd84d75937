//! Signing a staff member in: the password check behind the throttle, and starting a fresh
//! session once a password or a one-time link has proved who they are.

use axum_extra::extract::CookieJar;

use super::client_address::client_address;
use super::clock::now_ms;
use super::crypto::{hash_token, is_well_formed_token};
use super::password::verify_password;
use super::session::{self, SESSION_COOKIE};
use super::state::AppState;
use super::throttle::{self, ACCOUNT_FAILURES, ADDRESS_FAILURES, LOCKED_MESSAGE};
use crate::error::AppError;

/// The message of every rejected password sign-in, so it does not reveal which accounts
/// exist, which are deactivated and which have no password yet.
pub const REJECTED_MESSAGE: &str = "That email and password do not match an active account.";

/// The account a sign-in resolves to.
pub struct SignedInAccount {
    pub staff_user_id: String,
    pub organization_id: String,
}

/// Checks `password` for `email` under the throttle. A locked account key or client address
/// is rejected with 429 before the password is hashed. A failure counts against both keys;
/// a success clears the account's count.
pub async fn check_password(
    state: &AppState,
    email: &str,
    password: String,
) -> Result<SignedInAccount, AppError> {
    let account_key = throttle::account_key(email);
    let address_key = client_address(state.trusted_proxy_header.as_ref())
        .await
        .map(throttle::address_key);
    let mut keys = vec![account_key.as_str()];
    keys.extend(address_key.as_deref());

    if throttle::is_locked(&state.db, &keys).await? {
        tracing::info!("staff sign-in rejected while throttled");
        return Err(AppError::TooManyRequests(LOCKED_MESSAGE.into()));
    }

    let account: Option<(String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT id, organization_id, password_hash, active FROM staff_users WHERE email = $1",
    )
    .bind(email)
    .fetch_optional(&state.db)
    .await?;
    let stored_hash = account
        .as_ref()
        .filter(|row| row.3 == 1)
        .and_then(|row| row.2.clone());

    if !verify_password(password, stored_hash).await {
        throttle::count_event(&state.db, &account_key, ACCOUNT_FAILURES).await?;
        if let Some(address_key) = &address_key {
            throttle::count_event(&state.db, address_key, ADDRESS_FAILURES).await?;
        }
        tracing::info!("staff sign-in rejected");
        return Err(AppError::Invalid {
            field: None,
            message: REJECTED_MESSAGE.into(),
        });
    }

    throttle::clear(&state.db, &account_key).await?;
    let (staff_user_id, organization_id, _, _) =
        account.expect("a verified password has an account");
    Ok(SignedInAccount {
        staff_user_id,
        organization_id,
    })
}

/// Starts a new session for the account and sets its cookie. The session the request's
/// cookie named, if any, is deleted first, so a session id planted before sign-in never
/// becomes a signed-in one.
pub async fn start_session(state: &AppState, account: &SignedInAccount) -> Result<(), AppError> {
    let jar: CookieJar = leptos_axum::extract()
        .await
        .map_err(|error| AppError::internal("reading cookies", error))?;
    if let Some(previous) = jar
        .get(SESSION_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .filter(|token| is_well_formed_token(token))
    {
        session::delete_session(&state.db, &hash_token(&previous)).await?;
    }

    let token =
        session::create_session(&state.db, &account.staff_user_id, &account.organization_id)
            .await?;
    sqlx::query(
        "UPDATE staff_users SET last_sign_in_at = $1 WHERE id = $2 AND organization_id = $3",
    )
    .bind(now_ms())
    .bind(&account.staff_user_id)
    .bind(&account.organization_id)
    .execute(&state.db)
    .await?;

    session::set_session_cookie(&token, state.cookie_secure);
    tracing::info!(staff_user.id = %account.staff_user_id, "staff signed in");
    Ok(())
}
