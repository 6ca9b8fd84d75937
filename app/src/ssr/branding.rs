//! Reading and storing an organization's branding (its logo included), and the branding a
//! candidate's portal shows. The server functions in `api::branding` and `api::portal` check the caller first.

use super::audit::{record, AuditObject};
use super::authz::StaffContext;
use super::db::Db;
use super::markdown::render_markdown;
use crate::domain::audit::AuditAction;
use crate::domain::branding::{BrandingSettings, PortalBranding};
use crate::domain::upload::logo_url;
use crate::error::AppError;

/// Loads the branding of `organization_id`.
pub async fn load_branding(db: &Db, organization_id: &str) -> Result<BrandingSettings, AppError> {
    let (organization_name, accent_color, welcome_md, logo_upload_id): (
        String,
        Option<String>,
        String,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT name, accent_color, welcome_md, logo_upload_id FROM organizations WHERE id = $1",
    )
    .bind(organization_id)
    .fetch_one(db)
    .await?;

    Ok(BrandingSettings {
        organization_name,
        accent_color,
        welcome_md,
        logo_url: logo_upload_id.as_deref().map(logo_url),
    })
}

/// Makes upload `upload_id` the logo of the caller's organization, or removes the logo when it
/// is `None`, and records the change in the audit log.
pub async fn set_logo(
    db: &Db,
    staff: &StaffContext,
    upload_id: Option<&str>,
) -> Result<(), AppError> {
    let mut transaction = db.begin().await?;
    sqlx::query("UPDATE organizations SET logo_upload_id = $1 WHERE id = $2")
        .bind(upload_id)
        .bind(&staff.organization_id)
        .execute(&mut *transaction)
        .await?;

    let detail = match upload_id {
        Some(id) => format!("logo {id}"),
        None => "logo removed".to_owned(),
    };
    let object = AuditObject {
        kind: "organization",
        id: Some(&staff.organization_id),
        label: "Branding",
    };
    record(
        &mut transaction,
        staff,
        AuditAction::BrandingChanged,
        object,
        &detail,
    )
    .await?;
    transaction.commit().await?;

    tracing::info!(organization.id = %staff.organization_id, staff_user.id = %staff.staff_user_id, upload.id = ?upload_id, "logo changed");
    Ok(())
}

/// Loads the branding shown to a candidate of job `role_id`: the job's accent colour, else the
/// organization's, and the organization's welcome text as sanitized HTML.
pub async fn portal_branding(
    db: &Db,
    organization_id: &str,
    role_id: &str,
) -> Result<PortalBranding, AppError> {
    let (accent_color, welcome_md, logo_upload_id): (Option<String>, String, Option<String>) = sqlx::query_as(
        "SELECT COALESCE(r.accent_color, o.accent_color), o.welcome_md, o.logo_upload_id FROM roles r
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
        logo_url: logo_upload_id.as_deref().map(logo_url),
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
