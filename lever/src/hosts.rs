//! The URLs of one Lever environment: authorization page, token endpoint,
//! Data API base and the OAuth `audience` value.

use url::Url;

/// URLs of the OAuth pages, the token endpoint and the Data API of one
/// Lever environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeverHosts {
    /// Page the Super Admin is sent to for consent (`/authorize`).
    pub authorize_url: Url,
    /// Endpoint that exchanges codes and refresh tokens (`/oauth/token`).
    pub token_url: Url,
    /// Data API base without a trailing slash, e.g. `https://api.lever.co/v1`.
    /// The client appends paths such as `/stages` to it as text.
    pub api_base: Url,
    /// Value of the `audience` authorize parameter. Lever's docs write it
    /// with a trailing slash (`https://api.lever.co/v1/`).
    pub audience: String,
}

impl LeverHosts {
    /// Returns the hosts of Lever production, as given in the Lever Data API docs
    /// (section "Authentication", OAuth steps 1 to 5).
    pub fn production() -> Self {
        Self {
            authorize_url: parse_known("https://auth.lever.co/authorize"),
            token_url: parse_known("https://auth.lever.co/oauth/token"),
            api_base: parse_known("https://api.lever.co/v1"),
            audience: "https://api.lever.co/v1/".to_string(),
        }
    }

    /// Returns the hosts of Lever's sandbox. Its authorization server is the
    /// Auth0 tenant `sandbox-lever.auth0.com`.
    ///
    /// NOTE: the sandbox auth host comes from public Lever integrations
    /// (Airbyte's `LeverOAuthFlow`, Embloy), not from a Lever document.
    pub fn sandbox() -> Self {
        Self {
            authorize_url: parse_known("https://sandbox-lever.auth0.com/authorize"),
            token_url: parse_known("https://sandbox-lever.auth0.com/oauth/token"),
            api_base: parse_known("https://api.sandbox.lever.co/v1"),
            audience: "https://api.sandbox.lever.co/v1/".to_string(),
        }
    }

    /// Returns the hosts of a simulator served at `base`, e.g. `http://127.0.0.1:3000/_lever`.
    ///
    /// A trailing slash on `base` is ignored, so `http://127.0.0.1:3000/`
    /// gives `http://127.0.0.1:3000/authorize`.
    pub fn simulator(base: &Url) -> Self {
        let root = base.as_str().trim_end_matches('/');

        Self {
            authorize_url: join_known(root, "/authorize"),
            token_url: join_known(root, "/oauth/token"),
            api_base: join_known(root, "/v1"),
            audience: format!("{root}/v1/"),
        }
    }
}

/// Parses a URL literal of this module, which is valid by construction.
fn parse_known(literal: &str) -> Url {
    Url::parse(literal).expect("hard-coded Lever URL is valid")
}

/// Appends `path` to an already valid URL, which keeps it valid.
fn join_known(root: &str, path: &str) -> Url {
    Url::parse(&format!("{root}{path}")).expect("a valid base URL plus a path is a valid URL")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_urls() {
        let hosts = LeverHosts::production();

        assert_eq!(
            hosts.authorize_url.as_str(),
            "https://auth.lever.co/authorize"
        );
        assert_eq!(
            hosts.token_url.as_str(),
            "https://auth.lever.co/oauth/token"
        );
        assert_eq!(hosts.api_base.as_str(), "https://api.lever.co/v1");
        assert_eq!(hosts.audience, "https://api.lever.co/v1/");
    }

    #[test]
    fn sandbox_urls() {
        let hosts = LeverHosts::sandbox();

        assert_eq!(
            hosts.authorize_url.as_str(),
            "https://sandbox-lever.auth0.com/authorize"
        );
        assert_eq!(
            hosts.token_url.as_str(),
            "https://sandbox-lever.auth0.com/oauth/token"
        );
        assert_eq!(hosts.api_base.as_str(), "https://api.sandbox.lever.co/v1");
        assert_eq!(hosts.audience, "https://api.sandbox.lever.co/v1/");
    }

    #[test]
    fn simulator_urls_under_prefix() {
        let base = Url::parse("http://127.0.0.1:3000/_lever").unwrap();
        let hosts = LeverHosts::simulator(&base);

        assert_eq!(
            hosts.authorize_url.as_str(),
            "http://127.0.0.1:3000/_lever/authorize"
        );
        assert_eq!(
            hosts.token_url.as_str(),
            "http://127.0.0.1:3000/_lever/oauth/token"
        );
        assert_eq!(hosts.api_base.as_str(), "http://127.0.0.1:3000/_lever/v1");
        assert_eq!(hosts.audience, "http://127.0.0.1:3000/_lever/v1/");
    }

    #[test]
    fn simulator_urls_at_root() {
        let base = Url::parse("http://127.0.0.1:4000/").unwrap();
        let hosts = LeverHosts::simulator(&base);

        assert_eq!(
            hosts.authorize_url.as_str(),
            "http://127.0.0.1:4000/authorize"
        );
        assert_eq!(hosts.api_base.as_str(), "http://127.0.0.1:4000/v1");
        assert_eq!(hosts.audience, "http://127.0.0.1:4000/v1/");
    }

    #[test]
    fn no_double_slash_in_audiences() {
        // A public connector once sent `https://api.lever.co//v1/`.
        for hosts in [LeverHosts::production(), LeverHosts::sandbox()] {
            let without_scheme = hosts.audience.trim_start_matches("https://");
            assert!(!without_scheme.contains("//"), "{}", hosts.audience);
        }
    }
}
