//! `PUT /v1/opportunities/:id/stage` and `PUT /v1/opportunities/:id/archived`
//! (Lever Data API docs, sections "Update opportunity stage" and "Update
//! opportunity archived state").

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use tracing::debug;

use super::opportunities::opportunity_not_found;
use super::{json_object, perform_as, Caller};
use crate::simulator::api_error::ApiError;
use crate::simulator::clock::now_ms;
use crate::simulator::knobs::WriteResponseShape;
use crate::simulator::query::QueryParams;
use crate::simulator::records::{SimOpportunity, StageChange};
use crate::simulator::scopes::write_scopes;
use crate::simulator::state::SimState;
use crate::simulator::Simulator;
use crate::types::ArchivedState;

/// `PUT /v1/opportunities/:id/stage` with `{"stage": "<stage id>"}`.
pub(crate) async fn change_stage(
    State(simulator): State<Simulator>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_any(&write_scopes("opportunities"))?;
    let query = QueryParams::parse(raw.as_deref());
    let object = json_object(&body)?;
    let stage_id = match object.get("stage") {
        Some(Value::String(stage_id)) if !stage_id.is_empty() => stage_id.clone(),
        _ => {
            return Err(ApiError::bad_request(
                "stage is required and must be a stage id",
            ))
        }
    };

    let mut state = simulator.lock();
    if state.opportunity(&id).is_none() {
        return Err(opportunity_not_found(&id));
    }
    let author = perform_as(&state, &query)?;
    let Some(stage_index) = state.stage_index(&stage_id) else {
        return Err(ApiError::bad_request(format!(
            "Stage {stage_id:?} does not exist"
        )));
    };
    let reject_archived = state.knobs.reject_stage_change_when_archived;
    let shape = state.knobs.write_response;

    let SimState {
        opportunities,
        stages,
        ..
    } = &mut *state;
    let record = find_record(opportunities, &id)?;
    if reject_archived && record.opportunity.archived.is_some() {
        return Err(ApiError::bad_request(
            "The opportunity is archived: unarchive it before changing its stage",
        ));
    }

    let now = now_ms();
    record.opportunity.stage = Some(stage_id.clone());
    record.opportunity.last_advanced_at = Some(now);
    record.opportunity.updated_at = Some(now);
    record.stage_changes.push(StageChange {
        to_stage_id: stage_id,
        to_stage_index: Some(stage_index),
        user_id: author,
        updated_at: now,
    });
    let rendered = record.to_json(stages, false);

    debug!(opportunity_id = %id, "Lever simulator changed a stage");

    Ok(write_response(shape, rendered))
}

/// `PUT /v1/opportunities/:id/archived` with `{"reason": "<id>"}` to
/// archive (or change the reason), or `{"reason": null}` to unarchive.
pub(crate) async fn change_archived(
    State(simulator): State<Simulator>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_any(&write_scopes("opportunities"))?;
    let query = QueryParams::parse(raw.as_deref());
    let object = json_object(&body)?;
    let reason_id = match object.get("reason") {
        Some(Value::Null) => None,
        Some(Value::String(reason_id)) if !reason_id.is_empty() => Some(reason_id.clone()),
        _ => {
            return Err(ApiError::bad_request(
                "reason is required: an archive reason id, or null to unarchive",
            ))
        }
    };

    let mut state = simulator.lock();
    if state.opportunity(&id).is_none() {
        return Err(opportunity_not_found(&id));
    }
    perform_as(&state, &query)?;
    if let Some(reason_id) = &reason_id {
        let reason = state
            .archive_reasons
            .iter()
            .find(|reason| &reason.id == reason_id)
            .ok_or_else(|| {
                ApiError::bad_request(format!("Archive reason {reason_id:?} does not exist"))
            })?;
        if reason.status.as_deref() == Some("inactive") {
            return Err(ApiError::bad_request(format!(
                "Archive reason {reason_id:?} is inactive"
            )));
        }
    }
    let shape = state.knobs.write_response;

    let SimState {
        opportunities,
        stages,
        ..
    } = &mut *state;
    let record = find_record(opportunities, &id)?;

    // NOTE: Lever does not document which stage an unarchived opportunity
    // lands in; the simulator keeps the stage it had.
    let now = now_ms();
    record.opportunity.archived = reason_id.map(|reason| ArchivedState {
        archived_at: Some(now),
        reason: Some(reason),
    });
    record.opportunity.updated_at = Some(now);
    record.archive_changes += 1;
    let rendered = record.to_json(stages, false);

    debug!(opportunity_id = %id, "Lever simulator changed an archived state");

    Ok(write_response(shape, rendered))
}

fn find_record<'a>(
    opportunities: &'a mut [SimOpportunity],
    id: &str,
) -> Result<&'a mut SimOpportunity, ApiError> {
    opportunities
        .iter_mut()
        .find(|record| record.opportunity.id == id)
        .ok_or_else(|| opportunity_not_found(id))
}

/// Builds the response to a successful write, shaped by the
/// `write_response` knob.
fn write_response(shape: WriteResponseShape, opportunity: Value) -> Response {
    match shape {
        WriteResponseShape::Data => Json(json!({ "data": opportunity })).into_response(),
        WriteResponseShape::EmptyObject => Json(json!({})).into_response(),
        WriteResponseShape::NoContent => StatusCode::NO_CONTENT.into_response(),
    }
}
