//! `GET` and `POST /v1/webhooks` and `DELETE /v1/webhooks/:id` (Lever Data
//! API docs, section "Webhooks via the API").
//!
//! NOTE: Lever requires HTTPS webhook URLs with a certificate from a public
//! CA. The simulator also accepts `http` URLs, so tests can deliver to a
//! receiver on 127.0.0.1.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use tracing::info;
use url::Url;

use super::{json_object, Caller};
use crate::simulator::api_error::ApiError;
use crate::simulator::knobs::WebhookCreateShape;
use crate::simulator::paging::Entry;
use crate::simulator::query::QueryParams;
use crate::simulator::scopes::{read_scopes, write_scopes};
use crate::simulator::webhooks::SimWebhook;
use crate::simulator::Simulator;
use crate::types::{is_webhook_event, EVENTS_WITH_CONDITIONS, WEBHOOK_ORIGINS};

/// `GET /v1/webhooks`, oldest first.
pub(crate) async fn list(
    State(simulator): State<Simulator>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    caller.require_any(&read_scopes("webhooks"))?;
    let query = QueryParams::parse(raw.as_deref());

    let mut state = simulator.lock();
    let entries: Vec<Entry> = state
        .webhooks
        .iter()
        .enumerate()
        .map(|(index, webhook)| Entry {
            key: (index as i64, webhook.id.clone()),
            token_number: webhook.created_at,
            value: webhook.to_json(),
        })
        .collect();

    state.offsets.page("webhooks", entries, &query).map(Json)
}

/// `POST /v1/webhooks` with `{url, event, configuration?}`: registers a
/// webhook and returns it with `configuration.signatureToken`, shaped by
/// the `webhook_create_shape` knob.
pub(crate) async fn create(
    State(simulator): State<Simulator>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_any(&write_scopes("webhooks"))?;
    let object = json_object(&body)?;
    let url = webhook_url(object.get("url"))?;
    let event = webhook_event(object.get("event"))?;
    let configuration = configuration(object.get("configuration"), &event)?;

    let webhook = SimWebhook::new(url, event, configuration);
    let created = webhook.to_created_json();

    let mut state = simulator.lock();
    let shape = state.knobs.webhook_create_shape;
    info!(webhook_id = %webhook.id, event = %webhook.event, "Lever simulator created a webhook");
    state.webhooks.push(webhook);

    let body = match shape {
        WebhookCreateShape::Data => json!({ "data": created }),
        WebhookCreateShape::DoubleData => json!({ "data": { "data": created } }),
    };

    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// `DELETE /v1/webhooks/:id`: 204, or 404 for an unknown id.
pub(crate) async fn delete(
    State(simulator): State<Simulator>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require_any(&write_scopes("webhooks"))?;

    let mut state = simulator.lock();
    let before = state.webhooks.len();
    state.webhooks.retain(|webhook| webhook.id != id);
    if state.webhooks.len() == before {
        return Err(ApiError::not_found(format!("Webhook {id:?} not found")));
    }
    info!(webhook_id = %id, "Lever simulator deleted a webhook");

    Ok(StatusCode::NO_CONTENT)
}

/// Reads `url`: an absolute http or https URL.
fn webhook_url(value: Option<&Value>) -> Result<String, ApiError> {
    let Some(Value::String(text)) = value else {
        return Err(ApiError::bad_request(
            "url is required: the absolute https URL that receives the events",
        ));
    };

    let valid = Url::parse(text)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some());
    if valid.is_none() {
        return Err(ApiError::bad_request(format!(
            "url {text:?} is invalid: use an absolute https URL"
        )));
    }

    Ok(text.clone())
}

/// Reads `event`: one of Lever's webhook event names.
fn webhook_event(value: Option<&Value>) -> Result<String, ApiError> {
    match value {
        Some(Value::String(event)) if is_webhook_event(event) => Ok(event.clone()),
        Some(Value::String(event)) => Err(ApiError::bad_request(format!(
            "event {event:?} is invalid: use one of Lever's webhook events, e.g. candidateStageChange"
        ))),
        _ => Err(ApiError::bad_request(
            "event is required: one of Lever's webhook events, e.g. candidateStageChange",
        )),
    }
}

/// Reads the optional `configuration`. Only `conditions.origins` is known,
/// and only four events accept conditions.
fn configuration(value: Option<&Value>, event: &str) -> Result<Map<String, Value>, ApiError> {
    let configuration = match value {
        None | Some(Value::Null) => return Ok(Map::new()),
        Some(Value::Object(configuration)) => configuration.clone(),
        Some(_) => return Err(ApiError::bad_request("configuration must be a JSON object")),
    };

    let Some(conditions) = configuration.get("conditions") else {
        return Ok(configuration);
    };
    if !EVENTS_WITH_CONDITIONS.contains(&event) {
        return Err(ApiError::bad_request(format!(
            "event {event:?} does not accept conditions; only {} do",
            EVENTS_WITH_CONDITIONS.join(", ")
        )));
    }

    let origins = conditions.get("origins").and_then(Value::as_array);
    let valid = origins.is_some_and(|origins| {
        origins.iter().all(|origin| {
            origin
                .as_str()
                .is_some_and(|origin| WEBHOOK_ORIGINS.contains(&origin))
        })
    });
    if !valid {
        return Err(ApiError::bad_request(format!(
            "configuration.conditions.origins must be an array of {}",
            WEBHOOK_ORIGINS.join(", ")
        )));
    }

    Ok(configuration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_checked() {
        assert!(webhook_url(Some(&json!("https://example.com/hook"))).is_ok());
        assert!(webhook_url(Some(&json!("http://127.0.0.1:8080/hook"))).is_ok());
        assert!(webhook_url(Some(&json!("/hook"))).is_err());
        assert!(webhook_url(Some(&json!("ftp://example.com/hook"))).is_err());
        assert!(webhook_url(Some(&json!(42))).is_err());
        assert!(webhook_url(None).is_err());
    }

    #[test]
    fn conditions_only_on_some_events() {
        let with_conditions = json!({"conditions": {"origins": ["applied", "sourced"]}});

        assert!(configuration(Some(&with_conditions), "candidateStageChange").is_ok());
        assert!(configuration(Some(&with_conditions), "candidateDeleted").is_err());
    }

    #[test]
    fn unknown_origin_rejected() {
        let bad = json!({"conditions": {"origins": ["walk-in"]}});

        assert!(configuration(Some(&bad), "candidateStageChange").is_err());
    }
}
