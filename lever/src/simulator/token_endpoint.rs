//! `POST /oauth/token`: code exchange and refresh-token rotation (Lever
//! Data API docs, section "Authentication", OAuth steps 3 and 5), with
//! errors in the RFC 6749 section 5.2 shape.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use base64::Engine;
use percent_encoding::percent_decode_str;
use serde_json::json;
use tracing::{debug, info};

use super::tokens::IssuedTokens;
use super::Simulator;

/// `POST /oauth/token` with a form-encoded body.
pub(crate) async fn token(
    State(simulator): State<Simulator>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let field = |name: &str| {
        form.get(name)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    };

    let client_id = match authenticate_client(
        &simulator,
        &headers,
        field("client_id"),
        field("client_secret"),
    ) {
        Ok(client_id) => client_id,
        Err(error) => return error.into_response(),
    };

    match field("grant_type") {
        Some("authorization_code") => {
            exchange_code(&simulator, &client_id, field("code"), field("redirect_uri"))
        }
        Some("refresh_token") => refresh(&simulator, &client_id, field("refresh_token")),
        Some(other) => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            &format!("Grant type {other:?} is not supported"),
        )
        .into_response(),
        None => oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Missing grant_type",
        )
        .into_response(),
    }
}

/// Checks the client credentials, from a Basic header or the body, and
/// returns the client id.
fn authenticate_client(
    simulator: &Simulator,
    headers: &HeaderMap,
    body_id: Option<&str>,
    body_secret: Option<&str>,
) -> Result<String, OAuthError> {
    let basic = match basic_credentials(headers) {
        Ok(basic) => basic,
        Err(message) => {
            return Err(oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                message,
            ))
        }
    };

    let (client_id, client_secret) = match (&basic, body_id, body_secret) {
        (Some((id, secret)), _, _) => {
            if body_id.is_some_and(|body_id| body_id != id) {
                return Err(oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "client_id in the body differs from the Authorization header",
                ));
            }
            (id.clone(), secret.clone())
        }
        (None, Some(id), Some(secret)) => (id.to_string(), secret.to_string()),
        _ => {
            return Err(oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "Missing client credentials",
            ))
        }
    };

    let config = simulator.lock().config.clone();
    if client_id != config.client_id || client_secret != config.client_secret {
        debug!("Lever simulator rejected client credentials");
        return Err(oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed",
        ));
    }

    Ok(client_id)
}

/// Reads `Authorization: Basic`, whose parts RFC 6749 section 2.3.1 form-
/// encodes. `Ok(None)` when the header is absent or not Basic.
fn basic_credentials(headers: &HeaderMap) -> Result<Option<(String, String)>, &'static str> {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
    else {
        return Ok(None);
    };
    let Some(encoded) = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))
    else {
        return Ok(None);
    };

    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| "The Basic Authorization header is not valid base64")?;
    let text =
        String::from_utf8(decoded).map_err(|_| "The Basic Authorization header is not UTF-8")?;
    let (id, secret) = text
        .split_once(':')
        .ok_or("The Basic Authorization header has no colon")?;

    let form_decode = |part: &str| {
        percent_decode_str(&part.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };

    Ok(Some((form_decode(id), form_decode(secret))))
}

fn exchange_code(
    simulator: &Simulator,
    client_id: &str,
    code: Option<&str>,
    redirect_uri: Option<&str>,
) -> Response {
    let Some(code) = code else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "Missing code")
            .into_response();
    };

    let mut state = simulator.lock();
    let error_status = status_or_default(state.config.refresh_error_status);

    let grant = match state.tokens.redeem_code(code, client_id, redirect_uri) {
        Ok(grant) => grant,
        Err(reason) => {
            drop(state);
            debug!(reason, "Lever simulator rejected an authorization code");
            return oauth_error(error_status, "invalid_grant", reason).into_response();
        }
    };

    let ttl = state.config.access_token_ttl;
    let user_id = grant.user_id.clone();
    let issued = state.tokens.issue_tokens(grant, ttl);
    state.tokens.revoked = false;
    drop(state);

    info!(%user_id, "Lever simulator exchanged an authorization code");

    token_response(issued)
}

fn refresh(simulator: &Simulator, client_id: &str, refresh_token: Option<&str>) -> Response {
    let Some(refresh_token) = refresh_token else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Missing refresh_token",
        )
        .into_response();
    };

    let mut state = simulator.lock();
    let error_status = status_or_default(state.config.refresh_error_status);
    let rotation = state.config.refresh_rotation;

    let grant = match state
        .tokens
        .rotate_refresh(refresh_token, client_id, rotation)
    {
        Ok(grant) => grant,
        Err(reason) => {
            drop(state);
            debug!("Lever simulator rejected a refresh token");
            return oauth_error(error_status, "invalid_grant", reason).into_response();
        }
    };

    let ttl = state.config.access_token_ttl;
    let user_id = grant.user_id.clone();
    let issued = state.tokens.issue_tokens(grant, ttl);
    drop(state);

    debug!(%user_id, "Lever simulator rotated a refresh token");

    token_response(issued)
}

/// Returns the configured `invalid_grant` status, or 400 if the value is
/// not a valid status code.
fn status_or_default(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST)
}

fn token_response(issued: IssuedTokens) -> Response {
    let mut body = json!({
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "scope": issued.scope,
        "expires_in": issued.expires_in.as_secs(),
    });
    if let Some(refresh_token) = issued.refresh_token {
        body["refresh_token"] = json!(refresh_token);
    }

    no_store((StatusCode::OK, Json(body)).into_response())
}

/// A token-endpoint error, `{"error", "error_description"}`.
pub(crate) struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: String,
}

fn oauth_error(status: StatusCode, error: &'static str, description: &str) -> OAuthError {
    OAuthError {
        status,
        error,
        description: description.to_string(),
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = Json(json!({ "error": self.error, "error_description": self.description }));

        no_store((self.status, body).into_response())
    }
}

/// Adds `Cache-Control: no-store`, which RFC 6749 section 5.1 requires on
/// token responses.
fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
