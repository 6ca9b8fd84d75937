//! The OAuth 2.0 authorization-code flow against Lever's authorization
//! server: the consent URL, the code exchange and refresh-token rotation
//! (Lever Data API docs, section "Authentication", OAuth steps 1 to 5).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use oauth2::basic::{BasicClient, BasicErrorResponse, BasicErrorResponseType, BasicTokenResponse};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, RedirectUrl, RefreshToken, RequestTokenError, Scope, TokenResponse, TokenUrl,
};
use tracing::debug;
use url::Url;

use super::transport::{parse_retry_after, redact_quoted, transport_error};
use super::{LeverClient, OAuthApp};
use crate::error::LeverError;
use crate::hosts::LeverHosts;
use crate::types::SCOPES;

/// oauth2 client with the authorize and token endpoints set.
pub(super) type OAuthClient =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// Tokens returned by the token endpoint.
#[derive(Clone)]
pub struct TokenSet {
    pub access_token: String,
    /// Lever returns a new refresh token on every refresh. Store it in place
    /// of the old one before using the access token. `None` when the
    /// response had none (no `offline_access` scope).
    pub refresh_token: Option<String>,
    /// Access-token lifetime; Lever documents 3600 seconds.
    pub expires_in: Option<Duration>,
    /// Granted scopes, space-separated.
    pub scope: Option<String>,
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("TokenSet")
            .field("access_token", &"[redacted]")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[redacted]"),
            )
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .finish()
    }
}

pub(super) fn build_oauth_client(hosts: &LeverHosts, app: &OAuthApp) -> OAuthClient {
    BasicClient::new(ClientId::new(app.client_id.clone()))
        .set_client_secret(ClientSecret::new(app.client_secret.clone()))
        .set_auth_uri(AuthUrl::from_url(hosts.authorize_url.clone()))
        .set_token_uri(TokenUrl::from_url(hosts.token_url.clone()))
        .set_redirect_uri(RedirectUrl::from_url(app.redirect_uri.clone()))
        // Lever's example sends client_id and client_secret in the form body.
        .set_auth_type(AuthType::RequestBody)
}

/// Status and `Retry-After` of the last token-endpoint response, which the
/// oauth2 crate does not pass on with its errors.
#[derive(Clone, Copy)]
struct ResponseMeta {
    status: u16,
    retry_after: Option<Duration>,
}

#[derive(Debug, thiserror::Error)]
enum TokenTransportError {
    #[error("HTTP request failed")]
    Http(#[source] reqwest::Error),
    #[error("could not rebuild the HTTP response")]
    Rebuild(#[source] oauth2::http::Error),
}

impl LeverClient {
    /// Builds the URL that sends a Super Admin to Lever's consent page.
    ///
    /// It requests every scope in [`SCOPES`], the Data API `audience`, and
    /// `prompt=consent` so the consent screen is shown even after an earlier
    /// grant. `state` must be an unguessable value that the callback checks.
    pub fn authorize_url(&self, state: &str) -> Url {
        let scopes = SCOPES
            .iter()
            .map(|(scope, _)| Scope::new((*scope).to_string()));
        let state = state.to_string();

        let (url, _state) = self
            .inner
            .oauth
            .authorize_url(move || CsrfToken::new(state))
            .add_scopes(scopes)
            .add_extra_param("audience", self.inner.hosts.audience.clone())
            .add_extra_param("prompt", "consent")
            .url();

        url
    }

    /// Exchanges the `code` from the consent callback for tokens. A code
    /// works once.
    pub async fn exchange_code(&self, code: &str) -> Result<TokenSet, LeverError> {
        let meta = Arc::new(Mutex::new(None));
        let http = self.token_http_client(&meta);
        let started = Instant::now();

        let result = self
            .inner
            .oauth
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .request_async(&http)
            .await;

        finish_token_request("authorization_code", started, result, &meta)
    }

    /// Trades a refresh token for new tokens. The returned set carries a new
    /// refresh token, and the old one may stop working at once.
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenSet, LeverError> {
        let meta = Arc::new(Mutex::new(None));
        let http = self.token_http_client(&meta);
        let refresh_token = RefreshToken::new(refresh_token.to_string());
        let started = Instant::now();

        let result = self
            .inner
            .oauth
            .exchange_refresh_token(&refresh_token)
            .request_async(&http)
            .await;

        finish_token_request("refresh_token", started, result, &meta)
    }

    /// Builds the HTTP client handed to the oauth2 crate. It owns clones of
    /// what it uses, so its futures are `Send + 'static` and the token calls
    /// can run in spawned tasks and axum handlers.
    fn token_http_client(
        &self,
        meta: &Arc<Mutex<Option<ResponseMeta>>>,
    ) -> impl Fn(oauth2::HttpRequest) -> TokenRequestFuture {
        let http = self.inner.write_http.clone();
        let meta = Arc::clone(meta);

        move |request| Box::pin(send_token_request(http.clone(), request, Arc::clone(&meta)))
    }
}

/// Future of one token request, boxed so that its type can be named.
type TokenRequestFuture =
    Pin<Box<dyn Future<Output = Result<oauth2::HttpResponse, TokenTransportError>> + Send>>;

/// Sends one token request for the oauth2 crate, keeping the status and
/// `Retry-After` in `meta` for error mapping.
async fn send_token_request(
    http: reqwest::Client,
    request: oauth2::HttpRequest,
    meta: Arc<Mutex<Option<ResponseMeta>>>,
) -> Result<oauth2::HttpResponse, TokenTransportError> {
    let request = reqwest::Request::try_from(request).map_err(TokenTransportError::Http)?;
    let response = http
        .execute(request)
        .await
        .map_err(TokenTransportError::Http)?;

    let status = response.status();
    let retry_after = parse_retry_after(response.headers());
    *meta.lock().expect("token meta lock is never poisoned") = Some(ResponseMeta {
        status: status.as_u16(),
        retry_after,
    });

    let mut builder = oauth2::http::Response::builder().status(status);
    for (name, value) in response.headers() {
        builder = builder.header(name, value);
    }
    let body = response.bytes().await.map_err(TokenTransportError::Http)?;

    builder
        .body(body.to_vec())
        .map_err(TokenTransportError::Rebuild)
}

type TokenResult =
    Result<BasicTokenResponse, RequestTokenError<TokenTransportError, BasicErrorResponse>>;

/// Logs the token request and turns its outcome into a [`TokenSet`] or a
/// [`LeverError`].
fn finish_token_request(
    grant_type: &'static str,
    started: Instant,
    result: TokenResult,
    meta: &Mutex<Option<ResponseMeta>>,
) -> Result<TokenSet, LeverError> {
    let meta = *meta.lock().expect("token meta lock is never poisoned");
    let elapsed_ms = started.elapsed().as_millis() as u64;
    let status = meta.map(|meta| meta.status);

    let outcome = result
        .map(token_set)
        .map_err(|error| map_token_error(error, meta));

    match &outcome {
        Ok(_) => debug!(
            grant_type,
            ?status,
            elapsed_ms,
            "Lever token request succeeded"
        ),
        Err(error) => debug!(grant_type, ?status, elapsed_ms, %error, "Lever token request failed"),
    }

    outcome
}

fn token_set(response: BasicTokenResponse) -> TokenSet {
    let scope = response.scopes().map(|scopes| {
        scopes
            .iter()
            .map(|scope| scope.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    });

    TokenSet {
        access_token: response.access_token().secret().clone(),
        refresh_token: response.refresh_token().map(|token| token.secret().clone()),
        expires_in: response.expires_in(),
        scope,
    }
}

/// Sorts a failed token request into a [`LeverError`].
///
/// Lever does not document the status of an unusable refresh token. Auth0,
/// which runs Lever's sandbox authorization server, returns 403 (Auth0
/// article "Troubleshoot Refresh Token Unknown or Invalid Before Expiry"),
/// while RFC 6749 section 5.2 specifies 400. Any status with `error=invalid_grant` therefore maps
/// to [`LeverError::InvalidGrant`].
fn map_token_error(
    error: RequestTokenError<TokenTransportError, BasicErrorResponse>,
    meta: Option<ResponseMeta>,
) -> LeverError {
    if let Some(transient) = meta.and_then(transient_status_error) {
        return transient;
    }

    match error {
        RequestTokenError::Request(TokenTransportError::Http(error)) => transport_error(error),
        RequestTokenError::Request(TokenTransportError::Rebuild(error)) => LeverError::OAuth(
            format!("the token endpoint sent an invalid HTTP response: {error}"),
        ),
        RequestTokenError::ServerResponse(response) => match response.error() {
            BasicErrorResponseType::InvalidGrant => LeverError::InvalidGrant(
                response
                    .error_description()
                    .cloned()
                    .unwrap_or_else(|| "invalid_grant".to_string()),
            ),
            _ => LeverError::OAuth(response.to_string()),
        },
        RequestTokenError::Parse(error, _body) => match meta {
            Some(meta) if (200..300).contains(&meta.status) => LeverError::Decode(format!(
                "token response: {}",
                redact_quoted(&error.to_string())
            )),
            Some(meta) => LeverError::OAuth(format!(
                "HTTP {} with a body that is not an OAuth error response",
                meta.status
            )),
            None => LeverError::OAuth("the token endpoint sent an unreadable response".to_string()),
        },
        RequestTokenError::Other(message) => match meta {
            Some(meta) if (200..300).contains(&meta.status) => {
                LeverError::Decode(format!("token response: {message}"))
            }
            Some(meta) => LeverError::OAuth(format!("HTTP {}: {message}", meta.status)),
            None => LeverError::OAuth(message),
        },
    }
}

/// Returns the retryable error for a 429 or 5xx token response, whatever
/// its body.
fn transient_status_error(meta: ResponseMeta) -> Option<LeverError> {
    match meta.status {
        429 => Some(LeverError::RateLimited {
            retry_after: meta.retry_after,
        }),
        500..=599 => Some(LeverError::Server {
            status: meta.status,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> LeverClient {
        let app = OAuthApp {
            client_id: "client-1".to_string(),
            client_secret: "secret-1".to_string(),
            redirect_uri: Url::parse("https://tryout.example/lever/callback").unwrap(),
        };
        LeverClient::new(LeverHosts::production(), app, Duration::from_secs(5)).unwrap()
    }

    fn query_value(url: &Url, name: &str) -> Option<String> {
        url.query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }

    #[test]
    fn authorize_url_parameters() {
        let url = client().authorize_url("state-123");

        assert_eq!(url.origin().ascii_serialization(), "https://auth.lever.co");
        assert_eq!(url.path(), "/authorize");
        assert_eq!(query_value(&url, "response_type").as_deref(), Some("code"));
        assert_eq!(query_value(&url, "client_id").as_deref(), Some("client-1"));
        assert_eq!(
            query_value(&url, "redirect_uri").as_deref(),
            Some("https://tryout.example/lever/callback")
        );
        assert_eq!(query_value(&url, "state").as_deref(), Some("state-123"));
        assert_eq!(
            query_value(&url, "audience").as_deref(),
            Some("https://api.lever.co/v1/")
        );
        assert_eq!(query_value(&url, "prompt").as_deref(), Some("consent"));
    }

    #[test]
    fn authorize_url_requests_every_scope() {
        let url = client().authorize_url("s");
        let scope = query_value(&url, "scope").expect("scope parameter");
        let requested: Vec<&str> = scope.split(' ').collect();
        let expected: Vec<&str> = SCOPES.iter().map(|(name, _)| *name).collect();

        assert_eq!(requested, expected);
    }

    #[test]
    fn authorize_url_has_no_secret() {
        let url = client().authorize_url("s");

        assert!(!url.as_str().contains("secret-1"));
    }

    #[test]
    fn token_set_debug_redacts_tokens() {
        let tokens = TokenSet {
            access_token: "access-abc".to_string(),
            refresh_token: Some("refresh-def".to_string()),
            expires_in: Some(Duration::from_secs(3600)),
            scope: Some("offline_access".to_string()),
        };
        let printed = format!("{tokens:?}");

        assert!(!printed.contains("access-abc"), "{printed}");
        assert!(!printed.contains("refresh-def"), "{printed}");
        assert!(printed.contains("offline_access"), "{printed}");
    }
}
