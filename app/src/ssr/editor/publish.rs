//! Whether a job can be published now, and if not, why: the pages show the reason before the
//! click, and publishing checks the same thing again.

use sqlx::AnyConnection;

use super::store::step_outline;
use super::validate::publish_blocker;
use crate::error::AppError;
use crate::ssr::versions::editable_version;

/// Returns why job `role_id` cannot be published yet, or `None` when it can.
pub async fn publish_refusal(
    connection: &mut AnyConnection,
    organization_id: &str,
    role_id: &str,
) -> Result<Option<String>, AppError> {
    let invite_stage: Option<String> = sqlx::query_scalar(
        "SELECT invite_stage_id FROM roles WHERE id = $1 AND organization_id = $2",
    )
    .bind(role_id)
    .bind(organization_id)
    .fetch_optional(&mut *connection)
    .await?
    .flatten();
    if invite_stage.is_none() {
        return Ok(Some(
            "This job cannot be published yet: choose the Lever stage that invites candidates in the job's settings, and save."
                .into(),
        ));
    }

    let outline = match editable_version(connection, organization_id, role_id).await? {
        Some(version) => step_outline(connection, organization_id, &version.id).await?,
        None => Vec::new(),
    };
    Ok(publish_blocker(&outline)
        .map(|blocker| format!("This job cannot be published yet. {blocker}")))
}
