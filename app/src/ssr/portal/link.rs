//! Resolving a candidate's personal link to their application.

use super::super::clock::now_ms;
use super::super::crypto::{hash_token, is_well_formed_token};
use super::super::db::Db;
use crate::error::AppError;

/// The application a link opens, with what every portal call needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkedApplication {
    pub application_id: String,
    pub organization_id: String,
    pub role_id: String,
    pub candidate_name: String,
    pub status: String,
    pub lever_opportunity_id: Option<String>,
    pub link_expires_at: Option<i64>,
    pub opened_at: Option<i64>,
    pub invited_at: i64,
    pub deadline_at: Option<i64>,
    /// Set when Lever archived or deleted the opportunity before the candidate finished.
    pub closed_at: Option<i64>,
    /// The portal version the candidate started on, once they started a step.
    pub pinned_version_id: Option<String>,
    /// The role's published version, which a candidate who has not started yet gets.
    pub published_version_id: Option<String>,
}

impl LinkedApplication {
    /// Returns the portal version this candidate is on: the one they started on, else the
    /// role's published version.
    pub fn version_id(&self) -> Result<&str, AppError> {
        self.pinned_version_id
            .as_deref()
            .or(self.published_version_id.as_deref())
            .ok_or_else(|| {
                AppError::Conflict(
                    "This portal is not open yet. The recruiting team will email you when it is."
                        .into(),
                )
            })
    }
}

/// Looks up the application of `token`. A malformed token, an unknown one and an expired
/// one each get their own message; none reveals anything about other applications.
pub async fn resolve_link(db: &Db, token: &str) -> Result<LinkedApplication, AppError> {
    if !is_well_formed_token(token) {
        return Err(AppError::Invalid {
            field: None,
            message:
                "This link is incomplete or mistyped. Open it again from your invitation email, \
                      making sure to copy the whole link."
                    .into(),
        });
    }

    let application: LinkedApplication = sqlx::query_as(
        "SELECT a.id AS application_id, a.organization_id, a.role_id, c.name AS candidate_name, a.status,
                a.lever_opportunity_id, a.link_expires_at, a.opened_at, a.invited_at, a.deadline_at,
                a.closed_at, a.version_id AS pinned_version_id,
                (SELECT v.id FROM portal_versions v
                 WHERE v.role_id = a.role_id AND v.organization_id = a.organization_id AND v.status = 'published')
                    AS published_version_id
         FROM applications a
         JOIN candidates c ON c.id = a.candidate_id AND c.organization_id = a.organization_id
         WHERE a.link_token_hash = $1",
    )
    .bind(hash_token(token))
    .fetch_optional(db)
    .await?
    .ok_or_else(|| {
        AppError::NotFound(
            "This link does not open any application. It may have been replaced by a newer one; \
             check your most recent email from the recruiting team."
                .into(),
        )
    })?;

    if application
        .link_expires_at
        .is_some_and(|expires| expires <= now_ms())
    {
        return Err(AppError::Conflict(
            "This link has expired. Ask the recruiting team to send you a new one.".into(),
        ));
    }
    if application.closed_at.is_some() {
        return Err(AppError::Conflict(
            "This application is closed: the recruiting team is no longer considering it. \
             If you think this is a mistake, reply to your invitation email."
                .into(),
        ));
    }
    Ok(application)
}

/// Pins the application to the version it sees, when it is not pinned yet: called in the
/// transaction that starts the candidate's first step, so later publishing leaves them on
/// the version they started.
pub async fn pin_version(
    connection: &mut sqlx::AnyConnection,
    application: &LinkedApplication,
) -> Result<(), AppError> {
    if application.pinned_version_id.is_some() {
        return Ok(());
    }
    let version_id = application.version_id()?;
    sqlx::query(
        "UPDATE applications SET version_id = $1 WHERE id = $2 AND organization_id = $3 AND version_id IS NULL",
    )
    .bind(version_id)
    .bind(&application.application_id)
    .bind(&application.organization_id)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Records the first time the candidate opened their portal.
pub async fn mark_opened(db: &Db, application: &LinkedApplication) -> Result<(), AppError> {
    if application.opened_at.is_some() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE applications SET opened_at = $1, status = CASE WHEN status = 'invited' THEN 'in_progress' ELSE status END
         WHERE id = $2 AND organization_id = $3 AND opened_at IS NULL",
    )
    .bind(now_ms())
    .bind(&application.application_id)
    .bind(&application.organization_id)
    .execute(db)
    .await?;
    Ok(())
}
