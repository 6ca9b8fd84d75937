//! Staff sign-in, sign-out and "who am I".

use leptos::prelude::*;

use crate::domain::staff::StaffMe;
use crate::error::AppError;

/// Signs a staff member in with email and password, then redirects to the Jobs page.
/// The message for a wrong email and a wrong password is the same, so it does not reveal
/// which accounts exist. Repeated failures are throttled per account and per client address
/// (HTTP 429), with one message whether or not the account exists.
#[server(prefix = "/api", endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    use crate::ssr::staff_sign_in::{check_password, start_session};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let state = app_state()?;
            let email = email.trim().to_lowercase();
            if email.is_empty() || password.is_empty() {
                return Err(AppError::Invalid {
                    field: None,
                    message: "Enter your email and password.".into(),
                });
            }

            let account = check_password(&state, &email, password).await?;
            start_session(&state, &account).await?;
            leptos_axum::redirect("/jobs");
            Ok(())
        }
        .await,
    )
}

/// Ends the session on the server and clears the cookie.
#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::ssr::{authz::require_staff, session, state::app_state};

    let state = app_state()?;
    if let Ok(staff) = require_staff().await {
        session::delete_session(&state.db, &staff.session_id_hash).await?;
    }
    session::set_session_cookie("", state.cookie_secure);
    leptos_axum::redirect("/sign-in");
    Ok(())
}

/// Returns the signed-in staff member, or `None` without a session.
#[server(prefix = "/api", endpoint = "current_staff")]
pub async fn current_staff() -> Result<Option<StaffMe>, AppError> {
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::state::app_state;

    let staff = match require_staff().await {
        Ok(staff) => staff,
        Err(AppError::Unauthenticated) => return Ok(None),
        Err(other) => return Err(other),
    };
    let organization_name: String =
        sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
            .bind(&staff.organization_id)
            .fetch_one(&app_state()?.db)
            .await?;

    Ok(Some(StaffMe {
        can_open_mailbox: staff.role.allows(Permission::ViewMailbox),
        can_view_audit_log: staff.role.allows(Permission::ViewAuditLog),
        can_manage_staff: staff.role.allows(Permission::ManageStaff),
        can_create_jobs: staff.role.allows(Permission::CreateJobs),
        can_manage_branding: staff.role.allows(Permission::ManageBranding),
        id: staff.staff_user_id,
        name: staff.name,
        email: staff.email,
        role: staff.role,
        organization_name,
        can_manage_integration: staff.role.allows(Permission::ManageIntegration),
        can_manage_lever_connection: staff.role.allows(Permission::ManageLeverConnection),
    }))
}
