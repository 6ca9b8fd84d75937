//! Server-side staff sessions: a random id in an HttpOnly cookie, its SHA-256 in the database.

use axum::http::header::SET_COOKIE;
use axum::http::HeaderValue;
use axum_extra::extract::CookieJar;

use super::clock::now_ms;
use super::crypto::{hash_token, is_well_formed_token, random_token};
use super::db::Db;
use crate::error::AppError;

pub const SESSION_COOKIE: &str = "tryout_session";
/// A session ends after this long without a request, in milliseconds (12 hours).
pub const IDLE_TIMEOUT_MS: i64 = 12 * 60 * 60 * 1000;
/// The stored expiry is pushed forward at most this often, to spare a write per request (5 minutes).
const TOUCH_INTERVAL_MS: i64 = 5 * 60 * 1000;

/// A live session row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id_hash: String,
    pub staff_user_id: String,
    pub organization_id: String,
    pub last_seen_at: i64,
}

/// Creates a session for a staff member and returns the cookie value to send.
pub async fn create_session(
    db: &Db,
    staff_user_id: &str,
    organization_id: &str,
) -> Result<String, AppError> {
    let token = random_token();
    let now = now_ms();

    // Sessions that timed out are only ever rejected, so they are deleted as new ones start.
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(db)
        .await?;

    sqlx::query(
        "INSERT INTO sessions (id_hash, staff_user_id, organization_id, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(hash_token(&token))
    .bind(staff_user_id)
    .bind(organization_id)
    .bind(now)
    .bind(now + IDLE_TIMEOUT_MS)
    .execute(db)
    .await?;

    Ok(token)
}

/// Looks up the session named by the request's cookie, extending its idle timeout.
pub async fn find_session(db: &Db, jar: &CookieJar) -> Result<Option<SessionRow>, AppError> {
    let Some(token) = jar
        .get(SESSION_COOKIE)
        .map(|cookie| cookie.value().to_owned())
    else {
        return Ok(None);
    };
    if !is_well_formed_token(&token) {
        return Ok(None);
    }

    let now = now_ms();
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT id_hash, staff_user_id, organization_id, last_seen_at FROM sessions
         WHERE id_hash = $1 AND expires_at > $2",
    )
    .bind(hash_token(&token))
    .bind(now)
    .fetch_optional(db)
    .await?;

    if let Some(session) = &row {
        if now - session.last_seen_at > TOUCH_INTERVAL_MS {
            sqlx::query(
                "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3",
            )
            .bind(now)
            .bind(now + IDLE_TIMEOUT_MS)
            .bind(&session.id_hash)
            .execute(db)
            .await?;
        }
    }
    Ok(row)
}

pub async fn delete_session(db: &Db, id_hash: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Builds the `Set-Cookie` value that stores a session id, or clears it when `token` is empty.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    let max_age = if token.is_empty() {
        0
    } else {
        IDLE_TIMEOUT_MS / 1000
    };
    let secure = if secure { "; Secure" } else { "" };
    let value = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    );
    HeaderValue::from_str(&value).expect("session cookies contain only URL-safe base64")
}

/// Adds a `Set-Cookie` header to the response of the current server function.
pub fn set_session_cookie(token: &str, secure: bool) {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.append_header(SET_COOKIE, session_cookie(token, secure));
    }
}
