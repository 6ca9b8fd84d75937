//! Changes to an opportunity's place in the pipeline, shared by the Data
//! API and the admin routes: stage moves, archiving and deletion. Each one
//! returns the webhook event it triggers, for
//! [`Simulator::change_and_notify`](super::Simulator::change_and_notify).

use super::api_error::ApiError;
use super::clock::now_ms;
use super::records::{DeletedRecord, StageChange};
use super::snapshot::OpportunitySnapshot;
use super::state::SimState;
use super::webhooks::WebhookEvent;
use crate::types::ArchivedState;

/// Moves an opportunity to `stage_id` and records the stage change. Only a
/// move to another stage triggers `candidateStageChange`, because Lever's
/// event means a move "from one stage to another".
pub(crate) fn move_to_stage(
    state: &mut SimState,
    opportunity_id: &str,
    stage_id: &str,
    author: Option<String>,
) -> Result<Option<WebhookEvent>, ApiError> {
    let Some(stage_index) = state.stage_index(stage_id) else {
        return Err(ApiError::bad_request(format!(
            "Stage {stage_id:?} does not exist"
        )));
    };
    let record = state
        .opportunity_mut(opportunity_id)
        .ok_or_else(|| opportunity_not_found(opportunity_id))?;

    let now = now_ms();
    let from_stage_id = record.opportunity.stage.replace(stage_id.to_string());
    record.opportunity.last_advanced_at = Some(now);
    record.opportunity.updated_at = Some(now);
    record.stage_changes.push(StageChange {
        to_stage_id: stage_id.to_string(),
        to_stage_index: Some(stage_index),
        user_id: author,
        updated_at: now,
    });

    if from_stage_id.as_deref() == Some(stage_id) {
        return Ok(None);
    }

    Ok(Some(WebhookEvent::stage_change(
        &record.opportunity,
        from_stage_id,
        stage_id,
        now,
    )))
}

/// Archives an opportunity with `reason_id`, changes the reason of an
/// archived one, or unarchives it when `reason_id` is `None`. Archiving
/// and unarchiving trigger `candidateArchiveChange`.
///
/// NOTE: Lever does not document whether a new reason on an opportunity
/// that stays archived triggers the event; the simulator sends none.
pub(crate) fn set_archived(
    state: &mut SimState,
    opportunity_id: &str,
    reason_id: Option<String>,
) -> Result<Option<WebhookEvent>, ApiError> {
    if state.opportunity(opportunity_id).is_none() {
        return Err(opportunity_not_found(opportunity_id));
    }
    if let Some(reason_id) = &reason_id {
        check_archive_reason(state, reason_id)?;
    }
    let record = state
        .opportunity_mut(opportunity_id)
        .ok_or_else(|| opportunity_not_found(opportunity_id))?;

    // NOTE: Lever does not document which stage an unarchived opportunity
    // lands in; the simulator keeps the stage it had.
    let now = now_ms();
    let was_archived = record.opportunity.archived.is_some();
    record.opportunity.archived = reason_id.map(|reason| ArchivedState {
        archived_at: Some(now),
        reason: Some(reason),
    });
    record.opportunity.updated_at = Some(now);
    record.archive_changes += 1;

    if was_archived == record.opportunity.archived.is_some() {
        return Ok(None);
    }

    Ok(Some(WebhookEvent::archive_change(&record.opportunity, now)))
}

/// Deletes an opportunity: it leaves every list but
/// `GET /opportunities/deleted`, and `candidateDeleted` is triggered.
pub(crate) fn delete(
    state: &mut SimState,
    opportunity_id: &str,
    deleted_by: Option<String>,
) -> Result<WebhookEvent, ApiError> {
    let position = state
        .opportunities
        .iter()
        .position(|record| record.opportunity.id == opportunity_id)
        .ok_or_else(|| opportunity_not_found(opportunity_id))?;

    let now = now_ms();
    let record = state.opportunities.remove(position);
    let event = WebhookEvent::deleted(&record.opportunity, now);
    state.deleted_opportunities.push(DeletedRecord {
        record,
        deleted_at: now,
        deleted_by,
    });

    Ok(event)
}

/// Rejects an archive reason that does not exist or is inactive.
fn check_archive_reason(state: &SimState, reason_id: &str) -> Result<(), ApiError> {
    let reason = state
        .archive_reasons
        .iter()
        .find(|reason| reason.id == reason_id)
        .ok_or_else(|| {
            ApiError::bad_request(format!("Archive reason {reason_id:?} does not exist"))
        })?;

    if reason.status.as_deref() == Some("inactive") {
        return Err(ApiError::bad_request(format!(
            "Archive reason {reason_id:?} is inactive"
        )));
    }

    Ok(())
}

pub(crate) fn opportunity_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Opportunity {id:?} not found"))
}

/// Copies the opportunity `id`, e.g. after a change, or returns 404.
pub(crate) fn opportunity_snapshot(
    state: &SimState,
    id: &str,
) -> Result<OpportunitySnapshot, ApiError> {
    state
        .opportunity(id)
        .map(OpportunitySnapshot::of)
        .ok_or_else(|| opportunity_not_found(id))
}
