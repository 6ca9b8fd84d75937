//! Reading and storing an organization's branding, and the branding a candidate's portal
//! shows. The server functions in `api::branding` and `api::portal` check the caller first.

use super::db::Db;
use super::markdown::render_markdown;
use crate::domain::branding::{BrandingSettings, PortalBranding};
use crate::error::AppError;

/// Loads the branding of `organization_id`.
pub async fn load_branding(db: &Db, organization_id: &str) -> Result<BrandingSettings, AppError> {
    let (organization_name, accent_color, welcome_md): (String, Option<String>, String) =
        sqlx::query_as("SELECT name, accent_color, welcome_md FROM organizations WHERE id = $1")
            .bind(organization_id)
            .fetch_one(db)
            .await?;

    Ok(BrandingSettings {
        organization_name,
        accent_color,
        welcome_md,
    })
}

/// Loads the branding shown to a candidate of job `role_id`: the job's accent colour, else the
/// organization's, and the organization's welcome text as sanitized HTML.
pub async fn portal_branding(
    db: &Db,
    organization_id: &str,
    role_id: &str,
) -> Result<PortalBranding, AppError> {
    let (accent_color, welcome_md): (Option<String>, String) = sqlx::query_as(
        "SELECT COALESCE(r.accent_color, o.accent_color), o.welcome_md FROM roles r
         JOIN organizations o ON o.id = r.organization_id
         WHERE r.id = $1 AND r.organization_id = $2",
    )
    .bind(role_id)
    .bind(organization_id)
    .fetch_one(db)
    .await?;

    Ok(PortalBranding {
        accent_color,
        welcome_html: render_markdown(&welcome_md),
    })
}

/// Loads the accent colour of job `role_id`'s portal: its own, else the organization's.
pub async fn portal_accent(
    db: &Db,
    organization_id: &str,
    role_id: &str,
) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE(r.accent_color, o.accent_color) FROM roles r
         JOIN organizations o ON o.id = r.organization_id
         WHERE r.id = $1 AND r.organization_id = $2",
    )
    .bind(role_id)
    .bind(organization_id)
    .fetch_one(db)
    .await?)
}
