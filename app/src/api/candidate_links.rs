//! Staff actions on a candidate's personal link: re-send it with a new token, or expire it.
//! Both take the Decide permission on the application's job, like moving a candidate.

use leptos::prelude::*;

use crate::error::AppError;

/// Emails the candidate of `application_id` a new personal link; the old one stops working.
#[server(prefix = "/api", endpoint = "resend_candidate_link")]
pub async fn resend_candidate_link(application_id: String) -> Result<(), AppError> {
    super::with_status(
        async {
            let (staff, state, target) = decidable_target(&application_id).await?;

            crate::ssr::candidate_links::resend_link(
                &state,
                &staff.organization_id,
                &application_id,
                &target,
            )
            .await?;
            tracing::info!(application.id = %application_id, staff_user.id = %staff.staff_user_id,
                "candidate link sent again");
            Ok(())
        }
        .await,
    )
}

/// Makes the personal link of `application_id` stop working now.
#[server(prefix = "/api", endpoint = "expire_candidate_link")]
pub async fn expire_candidate_link(application_id: String) -> Result<(), AppError> {
    super::with_status(
        async {
            let (staff, state, _) = decidable_target(&application_id).await?;

            crate::ssr::candidate_links::expire_link(
                &state.db,
                &staff.organization_id,
                &application_id,
            )
            .await?;
            tracing::info!(application.id = %application_id, staff_user.id = %staff.staff_user_id,
                "candidate link expired");
            Ok(())
        }
        .await,
    )
}

/// Loads application `application_id` of the caller's organization after checking that the
/// caller may decide on its job.
#[cfg(feature = "ssr")]
async fn decidable_target(
    application_id: &str,
) -> Result<
    (
        crate::ssr::authz::StaffContext,
        crate::ssr::state::AppState,
        crate::ssr::candidate_links::LinkTarget,
    ),
    AppError,
> {
    use crate::ssr::authz::{require_staff, JobPermission};
    use crate::ssr::candidate_links::load_target;
    use crate::ssr::state::app_state;

    let staff = require_staff().await?;
    let state = app_state()?;
    let target = load_target(&state.db, &staff.organization_id, application_id).await?;
    staff
        .require_job(&state.db, &target.role_id, JobPermission::Decide)
        .await?;
    Ok((staff, state, target))
}
