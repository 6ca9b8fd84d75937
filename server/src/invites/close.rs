//! Closing the applications of an opportunity that Lever archived or deleted. Only
//! applications the candidate has not finished are closed: a finished one keeps its result,
//! and its archive may well be Tryout's own write coming back.

use app::ssr::clock::now_ms;
use app::ssr::db::Db;

/// The reason Lever closed an application, as stored and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    Archived,
    Deleted,
}

impl CloseReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Archived => "archived_in_lever",
            Self::Deleted => "deleted_in_lever",
        }
    }
}

/// Closes the open applications of `opportunity_id`; returns how many it closed.
pub async fn close_applications(
    db: &Db,
    organization_id: &str,
    opportunity_id: &str,
    reason: CloseReason,
) -> Result<u64, sqlx::Error> {
    let closed = sqlx::query(
        "UPDATE applications SET closed_at = $1, closed_reason = $2
         WHERE organization_id = $3 AND lever_opportunity_id = $4 AND closed_at IS NULL
           AND status IN ('invited', 'in_progress')",
    )
    .bind(now_ms())
    .bind(reason.as_str())
    .bind(organization_id)
    .bind(opportunity_id)
    .execute(db)
    .await?
    .rows_affected();

    if closed > 0 {
        tracing::info!(organization.id = %organization_id, lever.opportunity_id = %opportunity_id,
            applications = closed, reason = reason.as_str(), "applications closed by Lever");
    }
    Ok(closed)
}
