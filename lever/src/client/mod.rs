//! Typed async client for the Lever Data API v1 and Lever's OAuth token
//! endpoint.
//!
//! The client stores no tokens: every Data API call takes the access token,
//! so the caller decides where tokens are stored and when they are refreshed.

mod oauth;
mod pagination;
mod reads;
mod transport;
mod webhooks;
mod writes;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::error::LeverError;
use crate::hosts::LeverHosts;

pub use oauth::TokenSet;

/// The registered OAuth app that Lever issued credentials for.
#[derive(Clone)]
pub struct OAuthApp {
    pub client_id: String,
    pub client_secret: String,
    /// Must equal the callback URI registered with Lever, character for
    /// character.
    pub redirect_uri: Url,
}

impl fmt::Debug for OAuthApp {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("OAuthApp")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("redirect_uri", &self.redirect_uri.as_str())
            .finish()
    }
}

/// Client for one Lever environment and one OAuth app. Cloning is cheap.
#[derive(Clone)]
pub struct LeverClient {
    inner: Arc<Inner>,
}

struct Inner {
    hosts: LeverHosts,
    oauth: oauth::OAuthClient,
    /// Data API reads. Follows redirects, as the Lever docs ask for 301.
    read_http: reqwest::Client,
    /// Token endpoint and Data API writes. Never follows redirects, because
    /// the oauth2 crate warns that following them on the token endpoint
    /// opens the client to SSRF, and reqwest 0.12 turns a POST redirected by
    /// 301 or 302, or any write redirected by 303, into a GET. A 3xx then
    /// surfaces as [`LeverError::Rejected`].
    write_http: reqwest::Client,
}

impl fmt::Debug for LeverClient {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("LeverClient")
            .field("hosts", &self.inner.hosts)
            .field("client_id", self.inner.oauth.client_id())
            .finish_non_exhaustive()
    }
}

impl LeverClient {
    /// Builds a client. `request_timeout` bounds each HTTP request from
    /// connecting to reading the whole body.
    ///
    /// Fails with [`LeverError::Config`] when a URL is not http(s), the
    /// timeout is zero, or the HTTP client cannot be built.
    pub fn new(
        hosts: LeverHosts,
        app: OAuthApp,
        request_timeout: Duration,
    ) -> Result<Self, LeverError> {
        validate_config(&hosts, &app, request_timeout)?;

        let oauth = oauth::build_oauth_client(&hosts, &app);
        let read_http = build_http(request_timeout, reqwest::redirect::Policy::limited(5))?;
        let write_http = build_http(request_timeout, reqwest::redirect::Policy::none())?;

        Ok(Self {
            inner: Arc::new(Inner {
                hosts,
                oauth,
                read_http,
                write_http,
            }),
        })
    }

    /// Returns the Lever environment this client talks to.
    pub fn hosts(&self) -> &LeverHosts {
        &self.inner.hosts
    }
}

fn validate_config(
    hosts: &LeverHosts,
    app: &OAuthApp,
    request_timeout: Duration,
) -> Result<(), LeverError> {
    let urls = [
        ("authorize URL", &hosts.authorize_url),
        ("token URL", &hosts.token_url),
        ("API base URL", &hosts.api_base),
        ("redirect URI", &app.redirect_uri),
    ];
    for (label, url) in urls {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(LeverError::Config(format!(
                "{label} {url} must use http or https"
            )));
        }
    }

    if app.client_id.trim().is_empty() {
        return Err(LeverError::Config(
            "the OAuth client id is empty".to_string(),
        ));
    }
    if app.client_secret.is_empty() {
        return Err(LeverError::Config(
            "the OAuth client secret is empty".to_string(),
        ));
    }
    if hosts.audience.trim().is_empty() {
        return Err(LeverError::Config(
            "the OAuth audience is empty".to_string(),
        ));
    }
    if request_timeout.is_zero() {
        return Err(LeverError::Config(
            "the request timeout must be greater than zero".to_string(),
        ));
    }

    Ok(())
}

fn build_http(
    request_timeout: Duration,
    redirects: reqwest::redirect::Policy,
) -> Result<reqwest::Client, LeverError> {
    reqwest::Client::builder()
        .timeout(request_timeout)
        .connect_timeout(request_timeout.min(Duration::from_secs(10)))
        .redirect(redirects)
        .user_agent(concat!("tryout-lever/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|error| LeverError::Config(format!("could not build the HTTP client: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> OAuthApp {
        OAuthApp {
            client_id: "client-1".to_string(),
            client_secret: "very-secret-value".to_string(),
            redirect_uri: Url::parse("https://tryout.example/lever/callback").unwrap(),
        }
    }

    #[test]
    fn oauth_app_debug_redacts_secret() {
        let printed = format!("{:?}", app());

        assert!(!printed.contains("very-secret-value"), "{printed}");
        assert!(printed.contains("client-1"), "{printed}");
    }

    #[test]
    fn client_debug_redacts_secret() {
        let client =
            LeverClient::new(LeverHosts::production(), app(), Duration::from_secs(5)).unwrap();
        let printed = format!("{client:?}");

        assert!(!printed.contains("very-secret-value"), "{printed}");
    }

    #[test]
    fn zero_timeout_rejected() {
        let result = LeverClient::new(LeverHosts::production(), app(), Duration::ZERO);

        assert!(matches!(result, Err(LeverError::Config(_))));
    }

    #[test]
    fn non_http_redirect_uri_rejected() {
        let mut bad = app();
        bad.redirect_uri = Url::parse("ftp://tryout.example/callback").unwrap();

        let result = LeverClient::new(LeverHosts::production(), bad, Duration::from_secs(5));

        assert!(matches!(result, Err(LeverError::Config(_))));
    }
}
