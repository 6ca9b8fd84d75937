//! `POST /webhooks/lever/{organization_id}`: a delivery from Lever. The route checks it and
//! queues it. The webhook worker handles it later, so Lever gets its response at once.
//!
//! Checks, in order, each with its own status and nothing stored on a rejection:
//! - 400 when the body is not a delivery (not JSON, or a required field missing);
//! - 404 when the organization has no webhook for the event;
//! - 401 when the signature does not match. Lever signs `token` followed by `triggeredAt`
//!   with the webhook's signing token (HMAC-SHA256, hex); the comparison is constant-time;
//! - 400 when `triggeredAt` is more than an hour old or five minutes ahead;
//! - 409 when a delivery with the same `token` was accepted before (a replay);
//! - 202 when the delivery is queued.

use app::ssr::clock::{new_id, now_ms};
use app::ssr::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use lever::types::WebhookDelivery;
use serde_json::json;

use super::register::signing_context;

/// Deliveries older than this are rejected (ms). Lever retries a failed delivery a few times
/// over a period it does not document; anything later is the poll's work.
pub const MAX_DELIVERY_AGE_MS: i64 = 60 * 60 * 1000;
/// How far ahead of this server's clock `triggeredAt` may be (ms).
pub const MAX_CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;
/// Largest body accepted, in bytes. The delivery in Lever's documentation is under 1 KiB.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

fn reject(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

pub async fn receive(
    State(state): State<AppState>,
    Path(organization_id): Path<String>,
    body: Bytes,
) -> Response {
    let delivery: WebhookDelivery = match serde_json::from_slice(&body) {
        Ok(delivery) => delivery,
        Err(_) => {
            tracing::warn!(organization.id = %organization_id, "malformed Lever webhook delivery rejected");
            return reject(
                StatusCode::BAD_REQUEST,
                "The body is not a Lever webhook delivery.",
            );
        }
    };

    let sealed: Option<String> = match sqlx::query_scalar(
        "SELECT signature_token_enc FROM lever_webhooks WHERE organization_id = $1 AND event = $2",
    )
    .bind(&organization_id)
    .bind(&delivery.event)
    .fetch_optional(&state.db)
    .await
    {
        Ok(sealed) => sealed,
        Err(error) => {
            tracing::error!(%error, "reading the webhook's signing token failed");
            return reject(
                StatusCode::SERVICE_UNAVAILABLE,
                "The delivery could not be checked now; send it again later.",
            );
        }
    };
    let Some(sealed) = sealed else {
        tracing::warn!(organization.id = %organization_id, webhook.event = %delivery.event, "Lever webhook delivery for no registered webhook");
        return reject(
            StatusCode::NOT_FOUND,
            "No webhook is registered here for this event.",
        );
    };
    let signature_token = match state
        .secrets
        .open(&sealed, &signing_context(&organization_id))
    {
        Ok(token) => token,
        Err(error) => {
            tracing::error!(organization.id = %organization_id, %error, "the webhook's signing token cannot be opened");
            return reject(
                StatusCode::SERVICE_UNAVAILABLE,
                "The delivery could not be checked now; send it again later.",
            );
        }
    };
    let signed = delivery.signature.as_deref().is_some_and(|signature| {
        lever::webhook::verify(
            &signature_token,
            &delivery.token,
            delivery.triggered_at,
            signature,
        )
    });
    if !signed {
        tracing::warn!(organization.id = %organization_id, webhook.event = %delivery.event, "Lever webhook delivery with a bad signature rejected");
        return reject(StatusCode::UNAUTHORIZED, "The signature does not match.");
    }

    let now = now_ms();
    if delivery.triggered_at < now - MAX_DELIVERY_AGE_MS
        || delivery.triggered_at > now + MAX_CLOCK_SKEW_MS
    {
        tracing::warn!(organization.id = %organization_id, webhook.triggered_at = delivery.triggered_at, "stale Lever webhook delivery rejected");
        return reject(
            StatusCode::BAD_REQUEST,
            "The delivery's triggeredAt is too old or in the future.",
        );
    }

    let data_field = |name: &str| {
        delivery
            .data
            .get(name)
            .and_then(|value| value.as_str())
            .map(str::to_owned)
    };
    let opportunity_id = data_field("opportunityId");
    let to_stage_id = data_field("toStageId");
    let queued = sqlx::query(
        "INSERT INTO lever_webhook_events
             (id, organization_id, token, event, opportunity_id, to_stage_id, triggered_at, received_at, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
         ON CONFLICT (organization_id, token) DO NOTHING",
    )
    .bind(new_id())
    .bind(&organization_id)
    .bind(&delivery.token)
    .bind(&delivery.event)
    .bind(opportunity_id)
    .bind(to_stage_id)
    .bind(delivery.triggered_at)
    .bind(now)
    .execute(&state.db)
    .await;

    match queued {
        Ok(result) if result.rows_affected() == 0 => {
            tracing::warn!(organization.id = %organization_id, "replayed Lever webhook delivery rejected");
            reject(
                StatusCode::CONFLICT,
                "This delivery was received before; it is not handled twice.",
            )
        }
        Ok(_) => {
            state.lever_events_wakeup.notify_one();
            tracing::info!(organization.id = %organization_id, webhook.event = %delivery.event, "Lever webhook delivery queued");
            (StatusCode::ACCEPTED, Json(json!({ "queued": true }))).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "queueing a Lever webhook delivery failed");
            reject(
                StatusCode::SERVICE_UNAVAILABLE,
                "The delivery could not be stored now; send it again later.",
            )
        }
    }
}
