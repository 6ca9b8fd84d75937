//! `GET` and `POST /authorize`: the simulated Lever sign-in and consent
//! pages (Lever Data API docs, section "Authentication", OAuth steps 1
//! and 2).
//!
//! The authorize parameters travel in hidden form fields from page to
//! page, and a signed ticket proves the sign-in, so no server session is
//! kept.

use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use serde::Deserialize;
use tracing::{debug, info};
use url::Url;

use super::clock::now_ms;
use super::config::SimConfig;
use super::html::{self, ConsentView};
use super::query::QueryParams;
use super::scopes::is_known_scope;
use super::sign_in::{TicketClaims, TICKET_TTL_MS};
use super::Simulator;

/// Name shown on the consent page for the app asking for access.
const APP_NAME: &str = "Tryout";

/// The authorize request as received, before validation.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct AuthorizeParams {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    state: Option<String>,
    audience: Option<String>,
    scope: Option<String>,
    prompt: Option<String>,
}

/// A validated authorize request.
struct AuthorizeRequest {
    client_id: String,
    redirect_uri: Url,
    state: String,
    audience: String,
    scope: String,
    scopes: Vec<String>,
    prompt: Option<String>,
}

impl AuthorizeParams {
    fn from_query(query: &QueryParams) -> Self {
        let value = |name: &str| query.first(name).map(str::to_string);

        Self {
            response_type: value("response_type"),
            client_id: value("client_id"),
            redirect_uri: value("redirect_uri"),
            state: value("state"),
            audience: value("audience"),
            scope: value("scope"),
            prompt: value("prompt"),
        }
    }

    /// Checks the request as Lever's authorization server would; the error
    /// is shown on the error page.
    fn validate(&self, config: &SimConfig) -> Result<AuthorizeRequest, String> {
        let client_id = required(&self.client_id, "client_id")?;
        if client_id != config.client_id {
            return Err(format!(
                "Unknown client_id {client_id:?}: no app is registered with it."
            ));
        }

        let redirect_text = required(&self.redirect_uri, "redirect_uri")?;
        let redirect_uri = Url::parse(redirect_text)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .ok_or_else(|| {
                format!("redirect_uri {redirect_text:?} is not an absolute http or https URL.")
            })?;

        let response_type = required(&self.response_type, "response_type")?;
        if response_type != "code" {
            return Err(format!(
                "Unsupported response_type {response_type:?}: use code."
            ));
        }

        let state = required(&self.state, "state")?;

        // NOTE: the audience is checked for its shape only. Lever requires
        // its own API URL here; the simulator cannot know its public URL
        // behind a proxy or a nest prefix.
        let audience = required(&self.audience, "audience")?;
        if !audience.ends_with("/v1/") {
            return Err(format!(
                "Invalid audience {audience:?}: use the Data API URL ending in /v1/, e.g. https://api.lever.co/v1/."
            ));
        }

        let scope = required(&self.scope, "scope")?;
        let scopes: Vec<String> = scope.split_whitespace().map(str::to_string).collect();
        if let Some(unknown) = scopes.iter().find(|scope| !is_known_scope(scope)) {
            return Err(format!("Unknown scope {unknown:?}."));
        }
        if !scopes.iter().any(|scope| scope == "offline_access") {
            return Err(
                "The scope must include offline_access, or no refresh token can be issued."
                    .to_string(),
            );
        }

        Ok(AuthorizeRequest {
            client_id: client_id.to_string(),
            redirect_uri,
            state: state.to_string(),
            audience: audience.to_string(),
            scope: scopes.join(" "),
            scopes,
            prompt: self.prompt.clone(),
        })
    }
}

fn required<'a>(value: &'a Option<String>, name: &str) -> Result<&'a str, String> {
    match value.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => Ok(text),
        _ => Err(format!("The authorize request is missing {name}.")),
    }
}

impl AuthorizeRequest {
    /// Hidden fields that carry this request to the next page.
    fn hidden(&self) -> String {
        let mut fields = vec![
            ("response_type", "code"),
            ("client_id", self.client_id.as_str()),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("state", self.state.as_str()),
            ("audience", self.audience.as_str()),
            ("scope", self.scope.as_str()),
        ];
        if let Some(prompt) = &self.prompt {
            fields.push(("prompt", prompt.as_str()));
        }

        html::hidden_fields(&fields)
    }

    fn claims<'a>(&'a self, user_id: &'a str, expires_ms: i64) -> TicketClaims<'a> {
        TicketClaims {
            user_id,
            expires_ms,
            client_id: &self.client_id,
            redirect_uri: self.redirect_uri.as_str(),
            scope: &self.scope,
            state: &self.state,
        }
    }
}

/// Fields of both forms. `step` names the form that was posted.
#[derive(Debug, Deserialize)]
pub(crate) struct SubmitForm {
    #[serde(flatten)]
    params: AuthorizeParams,
    step: Option<String>,
    email: Option<String>,
    password: Option<String>,
    user_id: Option<String>,
    expires: Option<String>,
    ticket: Option<String>,
    decision: Option<String>,
}

/// `GET /authorize`: validates the request and shows the sign-in form.
pub(crate) async fn show(State(simulator): State<Simulator>, RawQuery(raw): RawQuery) -> Response {
    let params = AuthorizeParams::from_query(&QueryParams::parse(raw.as_deref()));
    let config = simulator.lock().config.clone();

    match params.validate(&config) {
        Ok(request) => Html(html::sign_in_page(&request.hidden(), None, "")).into_response(),
        Err(message) => error_response(StatusCode::BAD_REQUEST, &message),
    }
}

/// `POST /authorize`: signs the user in, or records their consent.
pub(crate) async fn submit(
    State(simulator): State<Simulator>,
    Form(form): Form<SubmitForm>,
) -> Response {
    let config = simulator.lock().config.clone();
    let request = match form.params.validate(&config) {
        Ok(request) => request,
        Err(message) => return error_response(StatusCode::BAD_REQUEST, &message),
    };

    match form.step.as_deref() {
        Some("sign_in") => sign_in(&simulator, &request, &form),
        Some("consent") => consent(&simulator, &request, &form),
        _ => error_response(
            StatusCode::BAD_REQUEST,
            "The form was not sent by the sign-in or consent page.",
        ),
    }
}

/// Checks the credentials and shows the consent page.
fn sign_in(simulator: &Simulator, request: &AuthorizeRequest, form: &SubmitForm) -> Response {
    let email = form.email.as_deref().unwrap_or_default().trim();
    let password = form.password.as_deref().unwrap_or_default();

    let user = {
        let state = simulator.lock();
        state
            .users
            .iter()
            .find(|candidate| {
                candidate.user.deactivated_at.is_none()
                    && candidate
                        .user
                        .email
                        .as_deref()
                        .is_some_and(|address| address.eq_ignore_ascii_case(email))
                    && candidate.password == password
            })
            .map(|candidate| candidate.user.clone())
    };

    let Some(user) = user else {
        debug!("Lever simulator sign-in failed");
        let page = html::sign_in_page(
            &request.hidden(),
            Some("Incorrect email or password."),
            email,
        );
        return (StatusCode::UNAUTHORIZED, Html(page)).into_response();
    };

    debug!(user_id = %user.id, "Lever simulator sign-in succeeded");

    let expires_ms = now_ms() + TICKET_TTL_MS;
    let ticket = request
        .claims(&user.id, expires_ms)
        .sign(simulator.sign_in_key());
    let expires_text = expires_ms.to_string();
    let hidden = format!(
        "{}{}",
        request.hidden(),
        html::hidden_fields(&[
            ("user_id", user.id.as_str()),
            ("expires", expires_text.as_str()),
            ("ticket", ticket.as_str()),
        ])
    );

    let view = ConsentView {
        app_name: APP_NAME,
        user_name: &user.name,
        user_email: user.email.as_deref().unwrap_or_default(),
        scopes: &request.scopes,
        may_accept: is_super_admin(user.access_role.as_deref()),
    };

    Html(html::consent_page(&view, &hidden)).into_response()
}

/// Records Accept or Deny and redirects to the app.
fn consent(simulator: &Simulator, request: &AuthorizeRequest, form: &SubmitForm) -> Response {
    let user_id = form.user_id.as_deref().unwrap_or_default();
    let expires_ms = form
        .expires
        .as_deref()
        .and_then(|text| text.parse::<i64>().ok())
        .unwrap_or_default();
    let ticket = form.ticket.as_deref().unwrap_or_default();

    if !request
        .claims(user_id, expires_ms)
        .verify(simulator.sign_in_key(), ticket)
    {
        return error_response(
            StatusCode::BAD_REQUEST,
            "Your sign-in has expired or is invalid. Start connecting Lever again from the app.",
        );
    }

    match form.decision.as_deref() {
        Some("deny") => {
            info!(user_id, "Lever simulator consent denied");
            redirect_with(
                &request.redirect_uri,
                &[
                    ("error", "access_denied"),
                    ("error_description", "user_did_not_authorize_the_request"),
                    ("state", &request.state),
                ],
            )
        }
        Some("accept") => accept(simulator, request, user_id),
        _ => error_response(StatusCode::BAD_REQUEST, "Choose Accept or Deny."),
    }
}

/// Issues a code for a Super Admin's consent and redirects with it.
fn accept(simulator: &Simulator, request: &AuthorizeRequest, user_id: &str) -> Response {
    let code = {
        let mut state = simulator.lock();
        let role = state
            .active_user(user_id)
            .map(|user| user.access_role.clone());

        match role {
            None => None,
            Some(role) if !is_super_admin(role.as_deref()) => {
                drop(state);
                return error_response(
                    StatusCode::FORBIDDEN,
                    "Only Super Admins can authorize apps. Ask a Super Admin of your Lever account to connect this app.",
                );
            }
            Some(_) => Some(state.tokens.issue_code(
                &request.client_id,
                request.redirect_uri.as_str(),
                &request.scope,
                user_id,
            )),
        }
    };

    let Some(code) = code else {
        return error_response(
            StatusCode::BAD_REQUEST,
            "The signed-in user no longer exists or was deactivated.",
        );
    };

    info!(user_id, "Lever simulator consent accepted, code issued");

    redirect_with(
        &request.redirect_uri,
        &[("code", &code), ("state", &request.state)],
    )
}

fn is_super_admin(access_role: Option<&str>) -> bool {
    access_role.is_some_and(|role| role.eq_ignore_ascii_case("super admin"))
}

/// Builds a 302 to `target` with `pairs` added to its query.
fn redirect_with(target: &Url, pairs: &[(&str, &str)]) -> Response {
    let mut location = target.clone();
    {
        let mut query = location.query_pairs_mut();
        for (name, value) in pairs {
            query.append_pair(name, value);
        }
    }

    (
        StatusCode::FOUND,
        [(header::LOCATION, location.to_string())],
    )
        .into_response()
}

fn error_response(status: StatusCode, message: &str) -> Response {
    (status, Html(html::error_page(message))).into_response()
}
