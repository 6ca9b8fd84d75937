//! Manual decisions on a candidate: moving their Lever opportunity to a stage, or archiving
//! it with a reason. The write goes through the outbox in the same transaction as the
//! audit entry, so Lever gets it once it is reachable.

use leptos::prelude::*;

use crate::error::AppError;

/// Moves the application's Lever opportunity to stage `stage_id`, one of the cached stages.
/// Only the job's owners and Admins may.
#[server(prefix = "/api", endpoint = "move_candidate")]
pub async fn move_candidate(application_id: String, stage_id: String) -> Result<(), AppError> {
    super::with_status(decide(application_id, Decision::Move { stage_id }).await)
}

/// Archives the application's Lever opportunity with `archive_reason_id`, one of the cached
/// archive reasons, and closes the application in Tryout. Only the job's owners and Admins may.
#[server(prefix = "/api", endpoint = "archive_candidate")]
pub async fn archive_candidate(
    application_id: String,
    archive_reason_id: String,
) -> Result<(), AppError> {
    super::with_status(
        decide(
            application_id,
            Decision::Archive {
                reason_id: archive_reason_id,
            },
        )
        .await,
    )
}

#[cfg(feature = "ssr")]
enum Decision {
    Move { stage_id: String },
    Archive { reason_id: String },
}

/// Checks the caller on the application's job, then queues the write and records it.
#[cfg(feature = "ssr")]
async fn decide(application_id: String, decision: Decision) -> Result<(), AppError> {
    use crate::domain::audit::AuditAction;
    use crate::ssr::audit::{record, AuditObject};
    use crate::ssr::authz::{require_staff, JobPermission};
    use crate::ssr::lever_lists::{
        archive_reason_text, cached_archive_reasons, cached_stages, stage_text,
    };
    use crate::ssr::outbox::{enqueue, LeverWrite};
    use crate::ssr::state::app_state;

    let staff = require_staff().await?;
    let state = app_state()?;
    let organization_id = &staff.organization_id;

    let application: Option<(String, Option<String>, String, String)> = sqlx::query_as(
        "SELECT a.role_id, a.lever_opportunity_id, a.status, c.name
         FROM applications a JOIN candidates c ON c.id = a.candidate_id AND c.organization_id = a.organization_id
         WHERE a.id = $1 AND a.organization_id = $2",
    )
    .bind(&application_id)
    .bind(organization_id)
    .fetch_optional(&state.db)
    .await?;
    let (role_id, opportunity_id, status, candidate_name) = application
        .ok_or_else(|| AppError::NotFound("No such candidate in your organization.".into()))?;
    staff
        .require_job(&state.db, &role_id, JobPermission::Decide)
        .await?;

    let (write, action, detail) = match decision {
        Decision::Move { stage_id } => {
            let stages = cached_stages(&state.db, organization_id).await?;
            let text = stage_text(&stages, &stage_id, "stage_id")?;
            (
                LeverWrite::Stage { stage_id },
                AuditAction::CandidateMoved,
                text,
            )
        }
        Decision::Archive { reason_id } => {
            let reasons = cached_archive_reasons(&state.db, organization_id).await?;
            let text = archive_reason_text(&reasons, &reason_id, "archive_reason_id")?;
            (
                LeverWrite::Archive { reason_id },
                AuditAction::CandidateArchived,
                text,
            )
        }
    };
    let opportunity_id = opportunity_id.ok_or_else(|| {
        AppError::Conflict("This candidate is not linked to a Lever opportunity yet.".into())
    })?;
    if status == "archived" {
        return Err(AppError::Conflict(
            "This candidate is already archived.".into(),
        ));
    }

    let mut transaction = state.db.begin().await?;
    if matches!(write, LeverWrite::Archive { .. }) {
        sqlx::query(
            "UPDATE applications SET status = 'archived' WHERE id = $1 AND organization_id = $2",
        )
        .bind(&application_id)
        .bind(organization_id)
        .execute(&mut *transaction)
        .await?;
    }
    enqueue(
        &mut transaction,
        organization_id,
        Some(&application_id),
        &opportunity_id,
        &[write],
    )
    .await?;
    let object = AuditObject {
        kind: "application",
        id: Some(&application_id),
        label: &candidate_name,
    };
    record(&mut transaction, &staff, action, object, &detail).await?;
    transaction.commit().await?;
    state.outbox_wakeup.notify_one();

    tracing::info!(application.id = %application_id, staff_user.id = %staff.staff_user_id, audit.action = action.as_str(), "manual decision queued for Lever");
    Ok(())
}
