//! Admin routes under `/_sim` for tests and the demo: state, added and
//! changed opportunities and postings, webhook deliveries, knobs, revocation and reset.
//! They take and return JSON and need no token.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use tracing::info;

use super::admin_changes;
use super::api_error::ApiError;
use super::clock::now_ms;
use super::knobs::{KnobsUpdate, KnobsView};
use super::records::SimOpportunity;
use super::snapshot::{OpportunitySnapshot, SimSnapshot};
use super::Simulator;
use crate::types::Opportunity;

pub(crate) fn routes() -> Router<Simulator> {
    Router::new()
        .route("/_sim/state", get(state))
        .route("/_sim/opportunities", post(add_opportunity))
        .route(
            "/_sim/opportunities/{id}",
            get(opportunity).delete(admin_changes::delete),
        )
        .route(
            "/_sim/opportunities/{id}/stage",
            post(admin_changes::move_to_stage),
        )
        .route(
            "/_sim/opportunities/{id}/archive",
            post(admin_changes::archive),
        )
        .route("/_sim/postings/{id}", axum::routing::put(put_posting))
        .route("/_sim/webhooks/deliveries", get(admin_changes::deliveries))
        .route("/_sim/knobs", get(knobs).post(update_knobs))
        .route("/_sim/revoke", post(revoke))
        .route("/_sim/reset", post(reset))
}

/// `GET /_sim/state`.
async fn state(State(simulator): State<Simulator>) -> Json<SimSnapshot> {
    Json(simulator.snapshot())
}

/// `GET /_sim/opportunities/:id`: one opportunity with its notes.
async fn opportunity(
    State(simulator): State<Simulator>,
    Path(id): Path<String>,
) -> Result<Json<OpportunitySnapshot>, ApiError> {
    let state = simulator.lock();
    let record = state
        .opportunity(&id)
        .ok_or_else(|| ApiError::not_found(format!("Opportunity {id:?} not found")))?;

    Ok(Json(OpportunitySnapshot::of(record)))
}

/// `POST /_sim/opportunities`: adds an opportunity given as Lever JSON.
/// A missing or empty `id` gets a new UUID, and missing timestamps become now. An
/// extra `postings` array of posting ids links it to postings.
async fn add_opportunity(
    State(simulator): State<Simulator>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut value: Value = serde_json::from_slice(&body)
        .map_err(|error| ApiError::bad_request(format!("The body is not valid JSON: {error}")))?;
    // A person adding a candidate by hand leaves the id out, as Lever's own form does.
    if let Some(object) = value.as_object_mut() {
        object
            .entry("id")
            .or_insert_with(|| Value::String(String::new()));
    }
    let mut opportunity: Opportunity = serde_json::from_value(value.clone()).map_err(|error| {
        ApiError::bad_request(format!("The body is not an opportunity: {error}"))
    })?;
    let posting_ids: Vec<String> = match value.get("postings") {
        None | Some(Value::Null) => Vec::new(),
        Some(postings) => serde_json::from_value(postings.clone())
            .map_err(|_| ApiError::bad_request("postings must be an array of posting ids"))?,
    };

    if opportunity.id.trim().is_empty() {
        opportunity.id = uuid::Uuid::new_v4().to_string();
    }
    let now = now_ms();
    let created_at = *opportunity.created_at.get_or_insert(now);
    opportunity.updated_at.get_or_insert(created_at);
    opportunity.last_advanced_at.get_or_insert(created_at);

    let mut state = simulator.lock();
    if state.opportunity(&opportunity.id).is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("Opportunity {:?} already exists", opportunity.id),
        ));
    }
    if opportunity.stage.is_none() {
        opportunity.stage = state.stages.first().map(|stage| stage.id.clone());
    }
    if let Some(stage_id) = &opportunity.stage {
        if state.stage_index(stage_id).is_none() {
            return Err(ApiError::bad_request(format!(
                "Stage {stage_id:?} does not exist"
            )));
        }
    }
    if let Some(unknown) = posting_ids
        .iter()
        .find(|id| !state.postings.iter().any(|posting| &posting.id == *id))
    {
        return Err(ApiError::bad_request(format!(
            "Posting {unknown:?} does not exist"
        )));
    }

    let record = SimOpportunity::new(opportunity, posting_ids);
    let rendered = record.to_json(&state.stages, false);
    state.opportunities.push(record);

    Ok((StatusCode::CREATED, Json(json!({ "data": rendered }))).into_response())
}

/// `PUT /_sim/postings/:id`: adds the posting given as Lever JSON, or replaces the one with
/// that id, as a recruiter editing a posting in Lever would.
async fn put_posting(
    State(simulator): State<Simulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let mut posting: crate::types::Posting = serde_json::from_slice(&body)
        .map_err(|error| ApiError::bad_request(format!("The body is not a posting: {error}")))?;
    posting.id = id;

    let mut state = simulator.lock();
    match state
        .postings
        .iter_mut()
        .find(|stored| stored.id == posting.id)
    {
        Some(stored) => *stored = posting.clone(),
        None => state.postings.push(posting.clone()),
    }
    Ok(Json(json!({ "data": posting })))
}

/// `GET /_sim/knobs`.
async fn knobs(State(simulator): State<Simulator>) -> Json<KnobsView> {
    Json(simulator.knobs())
}

/// `POST /_sim/knobs`: changes the given knobs and returns all of them.
async fn update_knobs(
    State(simulator): State<Simulator>,
    body: Bytes,
) -> Result<Json<KnobsView>, ApiError> {
    let update: KnobsUpdate = serde_json::from_slice(&body)
        .map_err(|error| ApiError::bad_request(format!("Invalid knobs: {error}")))?;

    let view = simulator
        .update_knobs(update)
        .map_err(ApiError::bad_request)?;
    info!("Lever simulator knobs changed");

    Ok(Json(view))
}

/// `POST /_sim/revoke`.
async fn revoke(State(simulator): State<Simulator>) -> Json<Value> {
    simulator.revoke_all();

    Json(json!({ "revoked": true }))
}

/// `POST /_sim/reset`: resets knobs to their start values.
async fn reset(State(simulator): State<Simulator>) -> Json<KnobsView> {
    let view = simulator.reset_knobs();
    info!("Lever simulator knobs reset");

    Json(view)
}
