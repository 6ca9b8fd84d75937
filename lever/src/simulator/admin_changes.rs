//! Admin routes that change opportunities as a recruiter in Lever's app
//! would, each delivering the webhook event it triggers, and the log of
//! webhook deliveries. Like the other `/_sim` routes they need no token.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use tracing::info;

use super::api::{json_object, reason_field, stage_field};
use super::api_error::ApiError;
use super::pipeline;
use super::snapshot::OpportunitySnapshot;
use super::webhooks::DeliveryAttempt;
use super::Simulator;

/// `POST /_sim/opportunities/:id/stage` with `{"stage": "<stage id>"}`:
/// moves the opportunity and returns it.
pub(crate) async fn move_to_stage(
    State(simulator): State<Simulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<OpportunitySnapshot>, ApiError> {
    let stage_id = stage_field(&json_object(&body)?)?;

    let snapshot = simulator.change_and_notify(|state| {
        let event = pipeline::move_to_stage(state, &id, &stage_id, None)?;
        Ok((pipeline::opportunity_snapshot(state, &id)?, event))
    })?;
    info!(opportunity_id = %id, "Lever simulator admin moved an opportunity");

    Ok(Json(snapshot))
}

/// `POST /_sim/opportunities/:id/archive` with `{"reason": "<id>"}` to
/// archive, or `{"reason": null}` to unarchive; returns the opportunity.
pub(crate) async fn archive(
    State(simulator): State<Simulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<OpportunitySnapshot>, ApiError> {
    let reason_id = reason_field(&json_object(&body)?)?;

    let snapshot = simulator.change_and_notify(|state| {
        let event = pipeline::set_archived(state, &id, reason_id)?;
        Ok((pipeline::opportunity_snapshot(state, &id)?, event))
    })?;
    info!(opportunity_id = %id, "Lever simulator admin changed an archived state");

    Ok(Json(snapshot))
}

/// `DELETE /_sim/opportunities/:id`: deletes the opportunity; 204.
pub(crate) async fn delete(
    State(simulator): State<Simulator>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    simulator.change_and_notify(|state| {
        let event = pipeline::delete(state, &id, None)?;
        Ok(((), Some(event)))
    })?;
    info!(opportunity_id = %id, "Lever simulator admin deleted an opportunity");

    Ok(StatusCode::NO_CONTENT)
}

/// `GET /_sim/webhooks/deliveries`: every logged delivery attempt, oldest
/// first.
pub(crate) async fn deliveries(State(simulator): State<Simulator>) -> Json<Vec<DeliveryAttempt>> {
    Json(simulator.webhook_deliveries())
}
