//! The time limit on requests. Every request gets [`REQUEST_TIMEOUT`] to produce its response,
//! except a culture video upload, which may take as long as its bytes keep arriving (its
//! handler gives up after a minute without any).

use std::time::Duration;

use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::routes::culture_video::UPLOAD_PATH;

/// Maximum time one request may take before the server responds with 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

pub async fn limit_request_time(request: Request<Body>, next: Next) -> Response {
    let is_upload = request.method() == Method::POST
        && request
            .extensions()
            .get::<MatchedPath>()
            .is_some_and(|path| path.as_str() == UPLOAD_PATH);
    if is_upload {
        return next.run(request).await;
    }

    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}
