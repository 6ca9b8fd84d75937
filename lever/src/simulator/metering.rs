//! Middleware on `/oauth/token` and `/v1`: counts requests per endpoint,
//! then applies the latency, failure and lost-response knobs and the rate
//! limit.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::debug;

use super::api_error::ApiError;
use super::knobs::{prefix_matches, LoseMode};
use super::Simulator;

/// Delay of a lost response in `hang` mode when the knob sets none.
const DEFAULT_HANG: Duration = Duration::from_secs(30);

/// Runs one metered request through the knobs.
pub(crate) async fn meter(
    State(simulator): State<Simulator>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    let key = endpoint_key(request.method(), &path);
    let is_api = path == "/v1" || path.starts_with("/v1/");
    let bucket_key = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("anonymous")
        .to_string();

    let (latency_ms, failure, lost) = {
        let mut state = simulator.lock();
        *state.request_counts.entry(key.clone()).or_default() += 1;
        let failure = take_failure(&mut state.knobs, &path);
        let lost = take_lost(&mut state.knobs, &path);
        (state.knobs.latency_ms, failure, lost)
    };

    if latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(latency_ms)).await;
    }

    if let Some(error) = failure {
        debug!(endpoint = %key, status = error.status.as_u16(), "Lever simulator injected a failure");
        return error.into_response();
    }

    if is_api {
        if let Err(error) = check_rate_limit(&simulator, &bucket_key) {
            debug!(endpoint = %key, "Lever simulator rate limit reached");
            return error.into_response();
        }
    }

    let response = next.run(request).await;

    let Some(mode) = lost else {
        return response;
    };

    debug!(endpoint = %key, status = response.status().as_u16(), "Lever simulator dropped a response after handling");
    if let LostResponse::Hang(duration) = mode {
        tokio::time::sleep(duration).await;
    }

    ApiError::new(
        StatusCode::GATEWAY_TIMEOUT,
        "The upstream server did not answer in time",
    )
    .into_response()
}

/// Spends one use of `fail_next` if it matches `path`.
fn take_failure(knobs: &mut super::knobs::Knobs, path: &str) -> Option<ApiError> {
    let fail_next = knobs.fail_next.as_mut()?;
    if !prefix_matches(fail_next.path_prefix.as_deref(), path) {
        return None;
    }

    let status =
        StatusCode::from_u16(fail_next.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut error = ApiError::new(status, "Failure injected by the Lever simulator");
    error.retry_after_secs = fail_next.retry_after_secs;

    fail_next.count = fail_next.count.saturating_sub(1);
    if fail_next.count == 0 {
        knobs.fail_next = None;
    }

    Some(error)
}

enum LostResponse {
    GatewayTimeout,
    Hang(Duration),
}

/// Spends one use of `lose_next_responses` if it matches `path`.
fn take_lost(knobs: &mut super::knobs::Knobs, path: &str) -> Option<LostResponse> {
    let lose_next = knobs.lose_next_responses.as_mut()?;
    if !prefix_matches(lose_next.path_prefix.as_deref(), path) {
        return None;
    }

    let mode = match lose_next.mode {
        LoseMode::GatewayTimeout => LostResponse::GatewayTimeout,
        LoseMode::Hang => LostResponse::Hang(
            lose_next
                .hang_ms
                .map(Duration::from_millis)
                .unwrap_or(DEFAULT_HANG),
        ),
    };

    lose_next.count = lose_next.count.saturating_sub(1);
    if lose_next.count == 0 {
        knobs.lose_next_responses = None;
    }

    Some(mode)
}

/// Takes a request from the caller's bucket, or returns the 429.
fn check_rate_limit(simulator: &Simulator, bucket_key: &str) -> Result<(), ApiError> {
    let mut state = simulator.lock();
    let per_second = state.knobs.rate_limit_per_second;
    let burst = state.knobs.rate_limit_burst;
    let send_retry_after = state.knobs.rate_limit_retry_after;

    let Err(wait) = state.rate_limiter.take(bucket_key, per_second, burst) else {
        return Ok(());
    };
    state.rate_limited_responses += 1;

    let mut error = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "Rate limit exceeded, retry later",
    );
    if send_retry_after {
        // Retry-After takes whole seconds, so round the wait up.
        error.retry_after_secs = Some(wait.as_secs() + u64::from(wait.subsec_nanos() > 0));
    }

    Err(error)
}

/// Path segments at an id's position that name a fixed endpoint instead, as
/// in `/v1/opportunities/deleted`.
const FIXED_SEGMENTS: &[&str] = &["deleted"];

/// Names the endpoint of a request for the counts, with ids replaced:
/// `POST /v1/opportunities/abc/notes` gives `POST /v1/opportunities/:id/notes`.
pub(crate) fn endpoint_key(method: &Method, path: &str) -> String {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let is_api = segments.first() == Some(&"v1");

    // In /v1/<resource>/<id>/<sub-resource>/<id>, ids sit at even positions from 2.
    let template: Vec<&str> = segments
        .iter()
        .enumerate()
        .map(|(index, segment)| {
            let is_id = index >= 2 && index % 2 == 0 && !FIXED_SEGMENTS.contains(segment);
            if is_api && is_id {
                ":id"
            } else {
                segment
            }
        })
        .collect();

    format!("{method} /{}", template.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_keys_hide_ids() {
        assert_eq!(endpoint_key(&Method::GET, "/v1/stages"), "GET /v1/stages");
        assert_eq!(
            endpoint_key(&Method::GET, "/v1/stages/lead-new"),
            "GET /v1/stages/:id"
        );
        assert_eq!(
            endpoint_key(&Method::POST, "/v1/opportunities/abc/notes"),
            "POST /v1/opportunities/:id/notes"
        );
        assert_eq!(
            endpoint_key(&Method::GET, "/v1/opportunities/abc/notes/n1"),
            "GET /v1/opportunities/:id/notes/:id"
        );
        assert_eq!(
            endpoint_key(&Method::GET, "/v1/opportunities/deleted"),
            "GET /v1/opportunities/deleted"
        );
        assert_eq!(
            endpoint_key(&Method::DELETE, "/v1/webhooks/w1"),
            "DELETE /v1/webhooks/:id"
        );
        assert_eq!(
            endpoint_key(&Method::POST, "/oauth/token"),
            "POST /oauth/token"
        );
    }
}
