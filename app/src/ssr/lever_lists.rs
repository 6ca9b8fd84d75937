//! Lever's stages and archive reasons as cached in the database, offered in selects and used
//! to check an id a request names before it is stored or sent to Lever.

use super::db::Db;
use crate::domain::job_settings::LeverChoice;
use crate::error::AppError;

/// Lists the organization's cached stages in Lever's order.
pub async fn cached_stages(db: &Db, organization_id: &str) -> Result<Vec<LeverChoice>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, text FROM lever_stages WHERE organization_id = $1 ORDER BY position, text",
    )
    .bind(organization_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(choice).collect())
}

/// Lists the organization's cached archive reasons that Lever marks active (or leaves unmarked).
pub async fn cached_archive_reasons(
    db: &Db,
    organization_id: &str,
) -> Result<Vec<LeverChoice>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, text FROM lever_archive_reasons
         WHERE organization_id = $1 AND COALESCE(status, 'active') = 'active' ORDER BY text",
    )
    .bind(organization_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(choice).collect())
}

/// Returns the name of stage `stage_id`, or an `Invalid` error on `field` when the cached list
/// does not hold it.
pub fn stage_text(stages: &[LeverChoice], stage_id: &str, field: &str) -> Result<String, AppError> {
    find(stages, stage_id).ok_or_else(|| {
        AppError::invalid(
            field,
            "Choose a stage from Lever's list. If it is missing, a Super Admin can reconnect Lever to reload the list.",
        )
    })
}

/// Returns the name of archive reason `reason_id`, or an `Invalid` error on `field` when the
/// cached list does not hold it.
pub fn archive_reason_text(
    reasons: &[LeverChoice],
    reason_id: &str,
    field: &str,
) -> Result<String, AppError> {
    find(reasons, reason_id).ok_or_else(|| {
        AppError::invalid(
            field,
            "Choose an archive reason from Lever's list. If it is missing, a Super Admin can reconnect Lever to reload the list.",
        )
    })
}

fn find(choices: &[LeverChoice], id: &str) -> Option<String> {
    choices
        .iter()
        .find(|choice| choice.id == id)
        .map(|choice| choice.text.clone())
}

fn choice((id, text): (String, String)) -> LeverChoice {
    LeverChoice { id, text }
}
