//! One-time links emailed to staff: an invitation, a sign-in link and a password reset.
//! Only the SHA-256 of a link's token is stored. Using a link is one conditional UPDATE, so
//! of two requests racing with the same link exactly one succeeds.

use sqlx::AnyConnection;

use super::clock::now_ms;
use super::crypto::{hash_token, is_well_formed_token, random_token};
use super::db::Db;

const MINUTE_MS: i64 = 60 * 1000;

/// The action a link allows its holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Set a first password; valid 7 days.
    Invitation,
    /// Sign in without a password; valid 15 minutes.
    SignIn,
    /// Set a new password; valid 1 hour.
    PasswordReset,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::SignIn => "sign_in",
            Self::PasswordReset => "password_reset",
        }
    }

    /// Returns how long a link stays usable after it is issued, in milliseconds.
    pub fn lifetime_ms(self) -> i64 {
        match self {
            Self::Invitation => 7 * 24 * 60 * MINUTE_MS,
            Self::SignIn => 15 * MINUTE_MS,
            Self::PasswordReset => 60 * MINUTE_MS,
        }
    }

    /// Returns the path of the page that uses the link, below the public URL.
    pub fn path(self) -> &'static str {
        match self {
            Self::Invitation => "welcome",
            Self::SignIn => "sign-in/link",
            Self::PasswordReset => "reset-password",
        }
    }
}

/// The account a used link belongs to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkOwner {
    pub staff_user_id: String,
    pub organization_id: String,
}

/// Issues a link for `purpose` and returns its token. Earlier unused links of the same
/// person and purpose stop working, so only the newest email's link is live.
pub async fn issue_link(
    connection: &mut AnyConnection,
    organization_id: &str,
    staff_user_id: &str,
    purpose: LinkPurpose,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    let now = now_ms();

    sqlx::query(
        "DELETE FROM staff_tokens
         WHERE staff_user_id = $1 AND organization_id = $2 AND purpose = $3 AND used_at IS NULL",
    )
    .bind(staff_user_id)
    .bind(organization_id)
    .bind(purpose.as_str())
    .execute(&mut *connection)
    .await?;

    sqlx::query(
        "INSERT INTO staff_tokens (token_hash, organization_id, staff_user_id, purpose, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash_token(&token))
    .bind(organization_id)
    .bind(staff_user_id)
    .bind(purpose.as_str())
    .bind(now)
    .bind(now + purpose.lifetime_ms())
    .execute(&mut *connection)
    .await?;

    Ok(token)
}

/// Marks the link used and returns its account, or `None` when the token is unknown, of
/// another purpose, expired, already used, or its account is deactivated. Callers run it in
/// the transaction that acts on the link, so a failed action leaves the link usable.
pub async fn consume_link(
    connection: &mut AnyConnection,
    token: &str,
    purpose: LinkPurpose,
) -> Result<Option<LinkOwner>, sqlx::Error> {
    if !is_well_formed_token(token) {
        return Ok(None);
    }
    let token_hash = hash_token(token);
    let now = now_ms();

    let used = sqlx::query(
        "UPDATE staff_tokens SET used_at = $1
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1
           AND staff_user_id IN (SELECT id FROM staff_users WHERE active = 1)",
    )
    .bind(now)
    .bind(&token_hash)
    .bind(purpose.as_str())
    .execute(&mut *connection)
    .await?
    .rows_affected();
    if used != 1 {
        return Ok(None);
    }

    sqlx::query_as("SELECT staff_user_id, organization_id FROM staff_tokens WHERE token_hash = $1")
        .bind(&token_hash)
        .fetch_optional(&mut *connection)
        .await
}

/// Returns whether the link would still work, without using it, so its page can show at once
/// that it expired instead of after the person fills in the form.
pub async fn link_is_usable(
    db: &Db,
    token: &str,
    purpose: LinkPurpose,
) -> Result<bool, sqlx::Error> {
    if !is_well_formed_token(token) {
        return Ok(false);
    }

    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM staff_tokens t JOIN staff_users u ON u.id = t.staff_user_id
         WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > $3
           AND u.active = 1",
    )
    .bind(hash_token(token))
    .bind(purpose.as_str())
    .bind(now_ms())
    .fetch_optional(db)
    .await?;
    Ok(found.is_some())
}

/// Deletes every unused link of a person, as their account is deactivated.
pub async fn revoke_unused_links(
    connection: &mut AnyConnection,
    organization_id: &str,
    staff_user_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM staff_tokens WHERE staff_user_id = $1 AND organization_id = $2 AND used_at IS NULL",
    )
    .bind(staff_user_id)
    .bind(organization_id)
    .execute(&mut *connection)
    .await?;
    Ok(())
}
