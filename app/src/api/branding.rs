//! The organization's branding: its logo, its accent colour and the welcome text every
//! candidate reads. Admins and Super Admins read and change it.

use leptos::prelude::*;

use crate::domain::branding::BrandingSettings;
use crate::error::AppError;

/// Loads the caller's organization's branding.
#[server(prefix = "/api", endpoint = "load_branding")]
pub async fn load_branding() -> Result<BrandingSettings, AppError> {
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ManageBranding)?;
            let state = app_state()?;
            crate::ssr::branding::load_branding(&state.db, &staff.organization_id).await
        }
        .await,
    )
}

/// Saves the accent colour (`#rrggbb`, blank for Tryout's own) and the welcome text
/// (Markdown). A colour with too little contrast against white is rejected with its ratio.
#[server(prefix = "/api", endpoint = "save_branding")]
pub async fn save_branding(accent_color: String, welcome_md: String) -> Result<(), AppError> {
    use crate::domain::audit::AuditAction;
    use crate::domain::branding::{check_accent, MAX_WELCOME_CHARS};
    use crate::ssr::audit::{record, AuditObject};
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ManageBranding)?;
            let state = app_state()?;
            let accent_color =
                check_accent(&accent_color).map_err(|message| AppError::invalid("accent_color", message))?;
            if welcome_md.chars().count() > MAX_WELCOME_CHARS {
                return Err(AppError::invalid(
                    "welcome_md",
                    format!("Keep the welcome text to {MAX_WELCOME_CHARS} characters or fewer."),
                ));
            }

            let mut transaction = state.db.begin().await?;
            sqlx::query("UPDATE organizations SET accent_color = $1, welcome_md = $2 WHERE id = $3")
                .bind(&accent_color)
                .bind(welcome_md.trim())
                .bind(&staff.organization_id)
                .execute(&mut *transaction)
                .await?;
            let detail = format!("accent {}", accent_color.as_deref().unwrap_or("default"));
            let object = AuditObject {
                kind: "organization",
                id: Some(&staff.organization_id),
                label: "Branding",
            };
            record(&mut transaction, &staff, AuditAction::BrandingChanged, object, &detail).await?;
            transaction.commit().await?;

            tracing::info!(organization.id = %staff.organization_id, staff_user.id = %staff.staff_user_id,
                "branding saved");
            Ok(())
        }
        .await,
    )
}

/// Removes the organization's logo; portals then show none. The stored file stays, so an
/// audit entry's logo id still names it.
#[server(prefix = "/api", endpoint = "remove_logo")]
pub async fn remove_logo() -> Result<(), AppError> {
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ManageBranding)?;
            let state = app_state()?;
            crate::ssr::branding::set_logo(&state.db, &staff, None).await
        }
        .await,
    )
}
