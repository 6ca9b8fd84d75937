//! A candidate's personal link, managed by staff: re-sending it (a new token, emailed, and
//! the old one stops working) or expiring it. The server functions in `api::candidate_links`
//! check the caller on the application's job first.

use chrono::{DateTime, Utc};

use super::clock::now_ms;
use super::crypto::{hash_token, random_token};
use super::db::Db;
use super::mail::{invitation_email, queue_email, NewEmail, INVITATION_KIND};
use super::state::AppState;
use crate::error::AppError;

/// The application a link belongs to, as re-sending needs it.
#[derive(sqlx::FromRow)]
pub struct LinkTarget {
    pub role_id: String,
    pub role_title: String,
    pub organization_name: String,
    pub candidate_name: String,
    pub email: String,
    pub deadline_at: Option<i64>,
    pub closed_at: Option<i64>,
}

/// Loads application `application_id` of `organization_id`, or "not found".
pub async fn load_target(
    db: &Db,
    organization_id: &str,
    application_id: &str,
) -> Result<LinkTarget, AppError> {
    let target: Option<LinkTarget> = sqlx::query_as(
        "SELECT a.role_id, r.title AS role_title, o.name AS organization_name, c.name AS candidate_name,
                c.email, a.deadline_at, a.closed_at
         FROM applications a
         JOIN roles r ON r.id = a.role_id AND r.organization_id = a.organization_id
         JOIN candidates c ON c.id = a.candidate_id AND c.organization_id = a.organization_id
         JOIN organizations o ON o.id = a.organization_id
         WHERE a.id = $1 AND a.organization_id = $2",
    )
    .bind(application_id)
    .bind(organization_id)
    .fetch_optional(db)
    .await?;

    target.ok_or_else(|| AppError::NotFound("No such candidate in your organization.".into()))
}

/// Gives the application a new link, which also lifts an expiry, and queues the invitation
/// email with it, in one transaction. The old link stops working at once.
pub async fn resend_link(
    state: &AppState,
    organization_id: &str,
    application_id: &str,
    target: &LinkTarget,
) -> Result<(), AppError> {
    if target.closed_at.is_some() {
        return Err(AppError::Conflict(
            "This application is closed, so its link cannot be sent again.".into(),
        ));
    }
    let token = random_token();
    let link = state
        .public_url
        .join(&format!("c/{token}"))
        .map_err(|error| AppError::internal("building the portal link failed", error))?;
    let deadline = target
        .deadline_at
        .and_then(DateTime::<Utc>::from_timestamp_millis);
    let (subject, body_text, body_html) = invitation_email(
        &target.organization_name,
        &target.role_title,
        &target.candidate_name,
        link.as_str(),
        deadline,
    );

    let mut transaction = state.db.begin().await?;
    sqlx::query(
        "UPDATE applications SET link_token_hash = $1, link_expires_at = NULL
         WHERE id = $2 AND organization_id = $3",
    )
    .bind(hash_token(&token))
    .bind(application_id)
    .bind(organization_id)
    .execute(&mut *transaction)
    .await?;
    queue_email(
        &mut transaction,
        &NewEmail {
            organization_id: organization_id.to_owned(),
            application_id: Some(application_id.to_owned()),
            kind: INVITATION_KIND.into(),
            to_address: target.email.clone(),
            subject,
            body_text,
            body_html: Some(body_html),
        },
    )
    .await?;
    transaction.commit().await?;

    state.mail_wakeup.notify_one();
    Ok(())
}

/// Makes the application's link stop working now. Re-sending gives the candidate a new one.
pub async fn expire_link(
    db: &Db,
    organization_id: &str,
    application_id: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE applications SET link_expires_at = $1
         WHERE id = $2 AND organization_id = $3 AND (link_expires_at IS NULL OR link_expires_at > $1)",
    )
    .bind(now_ms())
    .bind(application_id)
    .bind(organization_id)
    .execute(db)
    .await?;
    Ok(())
}
