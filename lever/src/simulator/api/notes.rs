//! Notes on an opportunity: list, fetch, and create (Lever Data API docs,
//! section "Notes").

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use tracing::debug;

use super::{json_object, perform_as, Caller};
use crate::simulator::api_error::ApiError;
use crate::simulator::clock::now_ms;
use crate::simulator::config::NoteResponseShape;
use crate::simulator::paging::Entry;
use crate::simulator::pipeline::opportunity_not_found;
use crate::simulator::query::QueryParams;
use crate::simulator::records::{SimComment, SimNote};
use crate::simulator::scopes::{read_scopes, write_scopes};
use crate::simulator::Simulator;

/// Clock skew allowed for a `createdAt` in the future, in milliseconds.
/// Lever rejects future timestamps.
const FUTURE_TOLERANCE_MS: i64 = 60_000;

/// `GET /v1/opportunities/:id/notes`, oldest first.
pub(crate) async fn list(
    State(simulator): State<Simulator>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    caller.require_any(&read_scopes("notes"))?;
    let query = QueryParams::parse(raw.as_deref());

    let mut state = simulator.lock();
    let record = state
        .opportunity(&id)
        .ok_or_else(|| opportunity_not_found(&id))?;
    let entries: Vec<Entry> = record
        .notes
        .iter()
        .map(|note| Entry {
            key: (note.created_at, note.id.clone()),
            token_number: note.created_at,
            value: note.to_json(),
        })
        .collect();

    state.offsets.page("notes", entries, &query).map(Json)
}

/// `GET /v1/opportunities/:id/notes/:note_id`.
pub(crate) async fn get(
    State(simulator): State<Simulator>,
    caller: Caller,
    Path((id, note_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    caller.require_any(&read_scopes("notes"))?;

    let state = simulator.lock();
    let record = state
        .opportunity(&id)
        .ok_or_else(|| opportunity_not_found(&id))?;
    let note = record
        .notes
        .iter()
        .find(|note| note.id == note_id)
        .ok_or_else(|| ApiError::not_found(format!("Note {note_id:?} not found")))?;

    Ok(Json(json!({ "data": note.to_json() })))
}

/// The fields of a note body, validated.
struct NoteInput {
    value: String,
    score: Option<u8>,
    secret: bool,
    created_at: Option<i64>,
}

impl NoteInput {
    fn parse(body: &[u8]) -> Result<Self, ApiError> {
        let object = json_object(body)?;

        let value = match object.get("value") {
            Some(Value::String(value)) if !value.trim().is_empty() => value.clone(),
            _ => {
                return Err(ApiError::bad_request(
                    "value is required and must be a non-empty string",
                ))
            }
        };

        let score = match object.get("score") {
            None | Some(Value::Null) => None,
            Some(score) => match score.as_u64() {
                Some(number @ 1..=4) => Some(number as u8),
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "score must be an integer from 1 to 4, got {score}"
                    )))
                }
            },
        };

        let flag = |name: &str| match object.get(name) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(flag)) => Ok(*flag),
            Some(other) => Err(ApiError::bad_request(format!(
                "{name} must be true or false, got {other}"
            ))),
        };
        let secret = flag("secret")?;
        flag("notifyFollowers")?;

        let created_at = match object.get("createdAt") {
            None | Some(Value::Null) => None,
            Some(value) => match value.as_i64() {
                Some(millis) if millis <= now_ms() + FUTURE_TOLERANCE_MS => Some(millis),
                Some(_) => {
                    return Err(ApiError::bad_request("createdAt must not be in the future"))
                }
                None => {
                    return Err(ApiError::bad_request(
                        "createdAt must be a timestamp in milliseconds",
                    ))
                }
            },
        };

        Ok(Self {
            value,
            score,
            secret,
            created_at,
        })
    }
}

/// `POST /v1/opportunities/:id/notes`. With `note_id` the value is added
/// as a comment to that note thread.
pub(crate) async fn create(
    State(simulator): State<Simulator>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_any(&write_scopes("notes"))?;
    let query = QueryParams::parse(raw.as_deref());
    let input = NoteInput::parse(&body)?;

    let mut state = simulator.lock();
    if state.opportunity(&id).is_none() {
        return Err(opportunity_not_found(&id));
    }
    let author = perform_as(&state, &query)?;
    let shape = state.config.note_response;
    let record = state
        .opportunity_mut(&id)
        .ok_or_else(|| opportunity_not_found(&id))?;

    let created_at = input.created_at.unwrap_or_else(now_ms);
    let comment = SimComment {
        value: input.value,
        score: input.score,
        user: author.clone(),
        stage: record.opportunity.stage.clone(),
        created_at,
    };

    let note = match query.first("note_id") {
        Some(note_id) => {
            let note = record
                .notes
                .iter_mut()
                .find(|note| note.id == note_id)
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "note_id {note_id:?} is not a note on this opportunity"
                    ))
                })?;
            note.comments.push(comment);
            note.clone()
        }
        None => {
            let note = SimNote {
                id: uuid::Uuid::new_v4().to_string(),
                secret: input.secret,
                user: author,
                created_at,
                comments: vec![comment],
            };
            record.notes.push(note.clone());
            note
        }
    };
    drop(state);

    debug!(opportunity_id = %id, note_id = %note.id, "Lever simulator created a note");

    let data = match shape {
        NoteResponseShape::Minimal => json!({ "noteId": note.id }),
        NoteResponseShape::Full => {
            let mut full = note.to_json();
            full["noteId"] = json!(note.id);
            full
        }
    };

    Ok((StatusCode::CREATED, Json(json!({ "data": data }))).into_response())
}
