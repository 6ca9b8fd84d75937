//! `PUT /v1/opportunities/:id/stage` and `PUT /v1/opportunities/:id/archived`
//! (Lever Data API docs, sections "Update opportunity stage" and "Update
//! opportunity archived state"). Both deliver the webhook event the change
//! triggers.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use tracing::debug;

use super::{json_object, perform_as, Caller};
use crate::simulator::api_error::ApiError;
use crate::simulator::knobs::WriteResponseShape;
use crate::simulator::pipeline::{self, opportunity_not_found};
use crate::simulator::query::QueryParams;
use crate::simulator::scopes::write_scopes;
use crate::simulator::state::SimState;
use crate::simulator::Simulator;

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
    let stage_id = stage_field(&json_object(&body)?)?;

    let response = simulator.change_and_notify(|state| {
        let record = state
            .opportunity(&id)
            .ok_or_else(|| opportunity_not_found(&id))?;
        let is_archived = record.opportunity.archived.is_some();
        let author = perform_as(state, &query)?;
        if state.stage_index(&stage_id).is_none() {
            return Err(ApiError::bad_request(format!(
                "Stage {stage_id:?} does not exist"
            )));
        }
        if state.knobs.reject_stage_change_when_archived && is_archived {
            return Err(ApiError::bad_request(
                "The opportunity is archived: unarchive it before changing its stage",
            ));
        }

        let event = pipeline::move_to_stage(state, &id, &stage_id, author)?;

        Ok((rendered_response(state, &id), event))
    })?;

    debug!(opportunity_id = %id, "Lever simulator changed a stage");

    Ok(response)
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
    let reason_id = reason_field(&json_object(&body)?)?;

    let response = simulator.change_and_notify(|state| {
        if state.opportunity(&id).is_none() {
            return Err(opportunity_not_found(&id));
        }
        perform_as(state, &query)?;

        let event = pipeline::set_archived(state, &id, reason_id)?;

        Ok((rendered_response(state, &id), event))
    })?;

    debug!(opportunity_id = %id, "Lever simulator changed an archived state");

    Ok(response)
}

/// Reads `stage` of a stage change body: a stage id.
pub(crate) fn stage_field(object: &Map<String, Value>) -> Result<String, ApiError> {
    match object.get("stage") {
        Some(Value::String(stage_id)) if !stage_id.is_empty() => Ok(stage_id.clone()),
        _ => Err(ApiError::bad_request(
            "stage is required and must be a stage id",
        )),
    }
}

/// Reads `reason` of an archive body: an archive reason id, or `None` for
/// `null`, which unarchives.
pub(crate) fn reason_field(object: &Map<String, Value>) -> Result<Option<String>, ApiError> {
    match object.get("reason") {
        Some(Value::Null) => Ok(None),
        Some(Value::String(reason_id)) if !reason_id.is_empty() => Ok(Some(reason_id.clone())),
        _ => Err(ApiError::bad_request(
            "reason is required: an archive reason id, or null to unarchive",
        )),
    }
}

/// Renders the changed opportunity in the shape the `write_response` knob
/// chooses.
fn rendered_response(state: &SimState, id: &str) -> Response {
    let rendered = state
        .opportunity(id)
        .map(|record| record.to_json(&state.stages, false))
        .unwrap_or(Value::Null);

    write_response(state.knobs.write_response, rendered)
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
