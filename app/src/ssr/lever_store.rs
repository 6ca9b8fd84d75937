//! The stored Lever connection of an organization: its sealed tokens and status, and the
//! cached lists of stages, archive reasons, users and postings.

use super::clock::now_ms;
use super::crypto::SecretBox;
use super::db::Db;
use crate::domain::staff::ConnectionStatus;
use crate::error::AppError;

/// The unsealed tokens of a live connection.
pub struct LeverTokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    /// Unix milliseconds after which the access token is no longer accepted.
    pub access_expires_at: Option<i64>,
}

impl std::fmt::Debug for LeverTokens {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("LeverTokens")
            .field("access_expires_at", &self.access_expires_at)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConnectionRow {
    pub organization_id: String,
    pub status: String,
    pub access_token_enc: Option<String>,
    pub refresh_token_enc: Option<String>,
    pub access_expires_at: Option<i64>,
    pub scopes: Option<String>,
    pub connected_by: Option<String>,
    pub connected_at: i64,
    /// Unix milliseconds of the row's last change. Nothing changes a revoked row until it is
    /// reconnected, so while revoked this is when it was revoked.
    pub updated_at: i64,
    pub last_error: Option<String>,
}

impl ConnectionRow {
    pub fn status(&self) -> ConnectionStatus {
        match self.status.as_str() {
            "live" => ConnectionStatus::Live,
            _ => ConnectionStatus::Revoked,
        }
    }

    /// Opens the sealed tokens; the organization id is the associated data they were sealed with.
    pub fn tokens(&self, secrets: &SecretBox) -> Result<Option<LeverTokens>, AppError> {
        let Some(access_sealed) = &self.access_token_enc else {
            return Ok(None);
        };
        let open = |sealed: &str| {
            secrets
                .open(sealed, &self.organization_id)
                .map_err(|error| AppError::internal("opening Lever tokens", error))
        };

        Ok(Some(LeverTokens {
            access_token: open(access_sealed)?,
            refresh_token: self.refresh_token_enc.as_deref().map(open).transpose()?,
            access_expires_at: self.access_expires_at,
        }))
    }
}

pub async fn find_connection(
    db: &Db,
    organization_id: &str,
) -> Result<Option<ConnectionRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT organization_id, status, access_token_enc, refresh_token_enc, access_expires_at, scopes,
                connected_by, connected_at, updated_at, last_error
         FROM lever_connections WHERE organization_id = $1",
    )
    .bind(organization_id)
    .fetch_optional(db)
    .await?)
}

/// Stores a new live connection (or replaces a revoked one) with freshly issued tokens,
/// inside the caller's transaction.
pub async fn save_new_connection(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    secrets: &SecretBox,
    organization_id: &str,
    connected_by: &str,
    tokens: &LeverTokens,
    scopes: Option<&str>,
) -> Result<(), AppError> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO lever_connections
             (organization_id, status, access_token_enc, refresh_token_enc, access_expires_at, scopes,
              connected_by, connected_at, updated_at, last_error)
         VALUES ($1, 'live', $2, $3, $4, $5, $6, $7, $7, NULL)
         ON CONFLICT (organization_id) DO UPDATE SET
             status = 'live', access_token_enc = excluded.access_token_enc,
             refresh_token_enc = excluded.refresh_token_enc, access_expires_at = excluded.access_expires_at,
             scopes = excluded.scopes, connected_by = excluded.connected_by,
             connected_at = excluded.connected_at, updated_at = excluded.updated_at, last_error = NULL",
    )
    .bind(organization_id)
    .bind(secrets.seal(&tokens.access_token, organization_id))
    .bind(tokens.refresh_token.as_ref().map(|token| secrets.seal(token, organization_id)))
    .bind(tokens.access_expires_at)
    .bind(scopes)
    .bind(connected_by)
    .bind(now)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// Stores rotated tokens, but only if the refresh token in the row is still the one this
/// refresh started from (`previous_refresh_sealed`). Returns whether the row was updated.
/// Lever rotates the refresh token on every refresh, so the new pair must be stored before
/// the new access token is used.
pub async fn save_rotated_tokens(
    db: &Db,
    secrets: &SecretBox,
    organization_id: &str,
    previous_refresh_sealed: &str,
    tokens: &LeverTokens,
) -> Result<bool, AppError> {
    let result = sqlx::query(
        "UPDATE lever_connections
         SET access_token_enc = $1, refresh_token_enc = $2, access_expires_at = $3, updated_at = $4, last_error = NULL
         WHERE organization_id = $5 AND status = 'live' AND refresh_token_enc = $6",
    )
    .bind(secrets.seal(&tokens.access_token, organization_id))
    .bind(tokens.refresh_token.as_ref().map(|token| secrets.seal(token, organization_id)))
    .bind(tokens.access_expires_at)
    .bind(now_ms())
    .bind(organization_id)
    .bind(previous_refresh_sealed)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Marks the connection revoked (Lever rejected the refresh token) and drops the tokens.
pub async fn mark_revoked(db: &Db, organization_id: &str, reason: &str) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE lever_connections
         SET status = 'revoked', access_token_enc = NULL, refresh_token_enc = NULL, access_expires_at = NULL,
             last_error = $1, updated_at = $2
         WHERE organization_id = $3",
    )
    .bind(reason)
    .bind(now_ms())
    .bind(organization_id)
    .execute(db)
    .await?;
    Ok(())
}

/// Disconnects a live connection: deletes the stored access and refresh tokens and marks
/// it revoked with `reason`. Returns false when there was no live connection to disconnect.
/// The outbox keeps its rows, and the worker sends nothing while the connection is revoked.
pub async fn disconnect_connection(
    connection: &mut sqlx::AnyConnection,
    organization_id: &str,
    reason: &str,
) -> Result<bool, AppError> {
    let result = sqlx::query(
        "UPDATE lever_connections
         SET status = 'revoked', access_token_enc = NULL, refresh_token_enc = NULL, access_expires_at = NULL,
             last_error = $1, updated_at = $2
         WHERE organization_id = $3 AND status = 'live'",
    )
    .bind(reason)
    .bind(now_ms())
    .bind(organization_id)
    .execute(&mut *connection)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Returns the names of the organization's active Super Admins, who may connect Lever.
pub async fn super_admin_names(db: &Db, organization_id: &str) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT name FROM staff_users WHERE organization_id = $1 AND role = 'super_admin' AND active = 1 ORDER BY name",
    )
    .bind(organization_id)
    .fetch_all(db)
    .await?)
}

/// Counts of the cached lists, for the Jobs page.
pub async fn cached_counts(db: &Db, organization_id: &str) -> Result<(i64, i64), AppError> {
    let stages: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM lever_stages WHERE organization_id = $1")
            .bind(organization_id)
            .fetch_one(db)
            .await?;
    let reasons: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM lever_archive_reasons WHERE organization_id = $1")
            .bind(organization_id)
            .fetch_one(db)
            .await?;
    Ok((stages, reasons))
}
