//! Account-level lists and lookups: stages, archive reasons, users and
//! postings.

use axum::extract::{Path, RawQuery, State};
use axum::Json;
use serde_json::{json, Value};

use super::Caller;
use crate::simulator::api_error::ApiError;
use crate::simulator::paging::Entry;
use crate::simulator::query::QueryParams;
use crate::simulator::scopes::read_scopes;
use crate::simulator::Simulator;

/// Entries in seed order, keyed by position.
fn in_seed_order<T: serde::Serialize>(items: impl Iterator<Item = (String, T)>) -> Vec<Entry> {
    items
        .enumerate()
        .map(|(index, (id, item))| Entry {
            key: (index as i64, id),
            token_number: index as i64,
            value: serde_json::to_value(item).unwrap_or(Value::Null),
        })
        .collect()
}

/// `GET /v1/stages`.
pub(crate) async fn list_stages(
    State(simulator): State<Simulator>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    caller.require_any(&read_scopes("stages"))?;
    let query = QueryParams::parse(raw.as_deref());

    let mut state = simulator.lock();
    let entries = in_seed_order(state.stages.iter().map(|stage| (stage.id.clone(), stage)));

    state.offsets.page("stages", entries, &query).map(Json)
}

/// `GET /v1/stages/:id`.
pub(crate) async fn get_stage(
    State(simulator): State<Simulator>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require_any(&read_scopes("stages"))?;

    let state = simulator.lock();
    let stage = state
        .stages
        .iter()
        .find(|stage| stage.id == id)
        .ok_or_else(|| ApiError::not_found(format!("Stage {id:?} not found")))?;

    Ok(Json(json!({ "data": stage })))
}

/// `GET /v1/archive_reasons`, optionally filtered by `type`.
pub(crate) async fn list_archive_reasons(
    State(simulator): State<Simulator>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    caller.require_any(&read_scopes("archive_reasons"))?;
    let query = QueryParams::parse(raw.as_deref());

    let kind = query.first("type");
    if let Some(kind) = kind {
        if kind != "hired" && kind != "non-hired" {
            return Err(ApiError::bad_request(format!(
                "type must be hired or non-hired, got {kind:?}"
            )));
        }
    }

    let mut state = simulator.lock();
    let reasons = state
        .archive_reasons
        .iter()
        .filter(|reason| kind.is_none() || reason.r#type.as_deref() == kind)
        .map(|reason| (reason.id.clone(), reason));
    let entries = in_seed_order(reasons);

    state
        .offsets
        .page("archive_reasons", entries, &query)
        .map(Json)
}

/// `GET /v1/archive_reasons/:id`.
pub(crate) async fn get_archive_reason(
    State(simulator): State<Simulator>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require_any(&read_scopes("archive_reasons"))?;

    let state = simulator.lock();
    let reason = state
        .archive_reasons
        .iter()
        .find(|reason| reason.id == id)
        .ok_or_else(|| ApiError::not_found(format!("Archive reason {id:?} not found")))?;

    Ok(Json(json!({ "data": reason })))
}

/// `GET /v1/users`: active users, plus deactivated ones with
/// `includeDeactivated=true`; filters `email` and `accessRole`.
pub(crate) async fn list_users(
    State(simulator): State<Simulator>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    caller.require_any(&read_scopes("users"))?;
    let query = QueryParams::parse(raw.as_deref());

    let include_deactivated = query.flag("includeDeactivated")?.unwrap_or(false);
    let email = query.first("email").map(str::to_lowercase);
    let roles = query.all("accessRole");

    let mut state = simulator.lock();
    let users = state
        .users
        .iter()
        .map(|sim_user| &sim_user.user)
        .filter(|user| include_deactivated || user.deactivated_at.is_none())
        .filter(|user| {
            email.as_deref().is_none_or(|wanted| {
                user.email.as_deref().map(str::to_lowercase).as_deref() == Some(wanted)
            })
        })
        .filter(|user| {
            roles.is_empty()
                || user
                    .access_role
                    .as_deref()
                    .is_some_and(|role| roles.contains(&role))
        })
        .map(|user| (user.id.clone(), user));
    let entries = in_seed_order(users);

    state.offsets.page("users", entries, &query).map(Json)
}

/// `GET /v1/users/:id`.
pub(crate) async fn get_user(
    State(simulator): State<Simulator>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require_any(&read_scopes("users"))?;

    let state = simulator.lock();
    let user = state
        .users
        .iter()
        .map(|sim_user| &sim_user.user)
        .find(|user| user.id == id)
        .ok_or_else(|| ApiError::not_found(format!("User {id:?} not found")))?;

    Ok(Json(json!({ "data": user })))
}

/// `GET /v1/postings`, optionally filtered by `state`. Like Lever, it leaves out each posting's
/// `content` unless the query contains `include=content`.
pub(crate) async fn list_postings(
    State(simulator): State<Simulator>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    caller.require_any(&read_scopes("postings"))?;
    let query = QueryParams::parse(raw.as_deref());
    let states = query.all("state");
    let with_content = query.all("include").contains(&"content");

    let mut state = simulator.lock();
    let postings = state
        .postings
        .iter()
        .filter(|posting| {
            states.is_empty()
                || posting
                    .state
                    .as_deref()
                    .is_some_and(|value| states.contains(&value))
        })
        .map(|posting| {
            let mut posting = posting.clone();
            if !with_content {
                posting.content = None;
            }
            (posting.id.clone(), posting)
        })
        .collect::<Vec<_>>();
    let entries = in_seed_order(postings.into_iter());

    state.offsets.page("postings", entries, &query).map(Json)
}

/// `GET /v1/postings/:id`.
pub(crate) async fn get_posting(
    State(simulator): State<Simulator>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require_any(&read_scopes("postings"))?;

    let state = simulator.lock();
    let posting = state
        .postings
        .iter()
        .find(|posting| posting.id == id)
        .ok_or_else(|| ApiError::not_found(format!("Posting {id:?} not found")))?;

    Ok(Json(json!({ "data": posting })))
}
