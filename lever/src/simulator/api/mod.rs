//! The simulated Data API under `/v1`: bearer-token checks, scope checks,
//! and the routes Tryout uses.

mod account;
mod notes;
mod opportunities;
mod webhooks;
mod writes;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::routing::get;
use axum::Router;

use super::api_error::ApiError;
use super::query::QueryParams;
use super::state::SimState;
use super::tokens::Grant;
use super::Simulator;

pub(crate) use writes::{reason_field, stage_field};

/// Builds the `/v1` routes, with paths from the simulator root.
pub(crate) fn routes() -> Router<Simulator> {
    Router::new()
        .route("/v1/stages", get(account::list_stages))
        .route("/v1/stages/{id}", get(account::get_stage))
        .route("/v1/archive_reasons", get(account::list_archive_reasons))
        .route("/v1/archive_reasons/{id}", get(account::get_archive_reason))
        .route("/v1/users", get(account::list_users))
        .route("/v1/users/{id}", get(account::get_user))
        .route("/v1/postings", get(account::list_postings))
        .route("/v1/postings/{id}", get(account::get_posting))
        .route("/v1/opportunities", get(opportunities::list))
        .route(
            "/v1/opportunities/deleted",
            get(opportunities::list_deleted),
        )
        .route("/v1/opportunities/{id}", get(opportunities::get))
        .route(
            "/v1/opportunities/{id}/notes",
            get(notes::list).post(notes::create),
        )
        .route("/v1/opportunities/{id}/notes/{note_id}", get(notes::get))
        .route(
            "/v1/opportunities/{id}/stage",
            axum::routing::put(writes::change_stage),
        )
        .route(
            "/v1/opportunities/{id}/archived",
            axum::routing::put(writes::change_archived),
        )
        .route("/v1/webhooks", get(webhooks::list).post(webhooks::create))
        .route("/v1/webhooks/{id}", axum::routing::delete(webhooks::delete))
        .route("/v1", axum::routing::any(not_found))
        .route("/v1/{*rest}", axum::routing::any(not_found))
}

async fn not_found() -> ApiError {
    ApiError::not_found("No such endpoint in the Lever Data API v1 simulator")
}

/// The caller of a Data API request, from a valid bearer token.
pub(crate) struct Caller {
    grant: Grant,
}

impl FromRequestParts<Simulator> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        simulator: &Simulator,
    ) -> Result<Self, Self::Rejection> {
        let header_value = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .ok_or_else(|| {
                ApiError::unauthorized("Missing Authorization header with a Bearer token")
            })?;

        let token = header_value
            .strip_prefix("Bearer ")
            .or_else(|| header_value.strip_prefix("bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                ApiError::unauthorized("The Authorization header must use the Bearer scheme")
            })?;

        let state = simulator.lock();
        let grant = state
            .tokens
            .check_access(token)
            .map_err(ApiError::unauthorized)?;

        Ok(Caller {
            grant: grant.clone(),
        })
    }
}

impl Caller {
    /// Rejects the request with 403 unless the token carries one of `scopes`.
    ///
    /// NOTE: Lever does not document which scope each endpoint needs, nor
    /// the status for a missing scope. The simulator requires the scope
    /// named after the endpoint's resource and returns 403.
    pub fn require_any(&self, scopes: &[String]) -> Result<(), ApiError> {
        if scopes.iter().any(|scope| self.grant.has_scope(scope)) {
            return Ok(());
        }

        Err(ApiError::forbidden(format!(
            "The access token lacks the scope {}",
            scopes.join(" or ")
        )))
    }
}

/// Reads `perform_as`: it must name an active user. When the simulator
/// requires it, writes without it get 400.
pub(crate) fn perform_as(
    state: &SimState,
    query: &QueryParams,
) -> Result<Option<String>, ApiError> {
    let Some(user_id) = query.first("perform_as") else {
        if state.config.require_perform_as {
            return Err(ApiError::bad_request(
                "perform_as is required: pass the id of an active Lever user",
            ));
        }
        return Ok(None);
    };

    if state.active_user(user_id).is_none() {
        return Err(ApiError::bad_request(format!(
            "perform_as {user_id:?} is not an active Lever user"
        )));
    }

    Ok(Some(user_id.to_string()))
}

/// Parses a JSON object body, rejecting anything else with 400.
pub(crate) fn json_object(
    body: &[u8],
) -> Result<serde_json::Map<String, serde_json::Value>, ApiError> {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(object)) => Ok(object),
        Ok(_) => Err(ApiError::bad_request(
            "The request body must be a JSON object",
        )),
        Err(error) => Err(ApiError::bad_request(format!(
            "The request body is not valid JSON: {error}"
        ))),
    }
}
