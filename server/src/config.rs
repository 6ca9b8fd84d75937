//! Typed configuration, built once at start from the command line and environment. Every
//! problem is reported with the variable's name and how to fix it, before anything starts.

pub mod mail;
pub mod media;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use app::ssr::crypto::SecretBox;
use axum::http::HeaderName;
use lever::client::OAuthApp;
use lever::hosts::LeverHosts;
use url::Url;

use crate::cli::{DatabaseArgs, LeverArgs, ServeArgs};

pub use mail::{MailConfig, SmtpConfig, SmtpSecurity};
pub use media::{MediaConfig, S3Config};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("TRYOUT_SECRET_KEY is missing. Generate one with `tryout generate-key` and set it in the environment.")]
    MissingSecretKey,
    #[error("TRYOUT_SECRET_KEY is invalid ({0}). Generate a new one with `tryout generate-key`.")]
    InvalidSecretKey(String),
    #[error("LEVER_ENVIRONMENT must be production, sandbox or a simulator's base URL; {0:?} is none of these.")]
    InvalidLeverEnvironment(String),
    #[error("{0} is set but {1} is missing; set both to let a Super Admin connect Lever.")]
    HalfLeverClient(&'static str, &'static str),
    #[error("TRYOUT_PUBLIC_URL {0:?} cannot be a base for links; use a URL like https://tryout.example.com/.")]
    InvalidPublicUrl(String),
    #[error("LEPTOS_SITE_ROOT {0:?} has no pkg/ directory. Build the browser assets with `cargo leptos build --release`, or point LEPTOS_SITE_ROOT at them.")]
    MissingSiteRoot(PathBuf),
    #[error("could not create the data directory {0:?}: {1}")]
    DataDir(PathBuf, std::io::Error),
    #[error("TRYOUT_OUTBOX_LEASE_SECS ({lease}) must exceed twice LEVER_REQUEST_TIMEOUT_SECS ({timeout}), or a slow write could be sent twice. Raise the lease or lower the timeout.")]
    LeaseTooShort { lease: u64, timeout: u64 },
    #[error("LEVER_REQUESTS_PER_SECOND must be between 1 and 1000; got {0}.")]
    InvalidRequestRate(u32),
    #[error("TRYOUT_MEDIA_URL {0:?} is invalid: {1}. Use file:///absolute/path or s3://bucket/optional/prefix, or unset it to keep media in the data directory.")]
    InvalidMediaUrl(String, String),
    #[error("could not create the media directory {0:?}: {1}. Point TRYOUT_MEDIA_URL at a writable file:// directory or an s3:// bucket.")]
    MediaDirectory(PathBuf, std::io::Error),
    #[error("TRYOUT_MEDIA_URL is an s3:// URL but {0} is missing; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to the bucket's credentials.")]
    MissingS3Credential(&'static str),
    #[error("AWS_ENDPOINT_URL {0:?} is invalid: {1}. Use the S3-compatible server's URL, such as http://127.0.0.1:9000, or unset it for Amazon S3.")]
    InvalidS3Endpoint(String, String),
    #[error("AWS_REGION {0:?} is invalid; use a region name such as eu-central-1, or unset it for us-east-1.")]
    InvalidAwsRegion(String),
    #[error("TRYOUT_SMTP_URL {0} is invalid: {1}. Use smtp://USER:PASSWORD@HOST:587 for STARTTLS, smtps://USER:PASSWORD@HOST:465 for TLS, or smtp://HOST:PORT?tls=none for a relay without TLS; unset it to keep emails in the mailbox page.")]
    InvalidSmtpUrl(String, String),
    #[error("TRYOUT_MAIL_FROM is missing, but TRYOUT_SMTP_URL is set. Set it to the sender of Tryout's emails, such as \"Acme Hiring <hiring@acme.example>\".")]
    MissingMailFrom,
    #[error("TRYOUT_MAIL_FROM {0:?} is invalid ({1}). Use an address such as hiring@acme.example or \"Acme Hiring <hiring@acme.example>\".")]
    InvalidMailFrom(String, String),
    #[error(
        "LEVER_POLL_SECS {0} is out of range; use 1 to 86400 seconds (default 300, five minutes)."
    )]
    InvalidPollInterval(u64),
    #[error("TRYOUT_TRUSTED_PROXY_HEADER {0:?} is not a valid header name. Use the header your reverse proxy writes the client address to, such as X-Forwarded-For, or unset it when clients connect directly.")]
    InvalidTrustedProxyHeader(String),
}

/// Default lease on a claimed outbox row (2 minutes).
pub const DEFAULT_OUTBOX_LEASE: Duration = Duration::from_secs(120);
/// Largest culture video upload by default, in MiB (2 GiB): a few minutes of 1080p video.
pub const DEFAULT_CULTURE_VIDEO_MAX_MIB: u64 = 2048;
/// Default timeout of one call to Lever.
pub const DEFAULT_LEVER_REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// Default pace of calls to Lever per organization, below Lever's documented 10 per second.
pub const DEFAULT_LEVER_REQUESTS_PER_SECOND: u32 = 8;

/// The Lever OAuth client this deployment uses.
#[derive(Debug, Clone)]
pub struct LeverConfig {
    pub hosts: LeverHosts,
    pub app: OAuthApp,
    pub request_timeout: Duration,
    /// Calls per second per organization, shared by every process on the database.
    pub requests_per_second: u32,
    /// Time between two polls of one organization.
    pub poll_interval: Duration,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub public_url: Url,
    pub database_url: String,
    /// `None` takes the backend's default.
    pub database_max_connections: Option<u32>,
    pub site_root: PathBuf,
    /// How long a claimed outbox row stays with the process that claimed it.
    pub outbox_lease: Duration,
    pub secret_key: String,
    /// `None` when no OAuth client is configured: connecting Lever is then unavailable.
    pub lever: Option<LeverConfig>,
    pub media: MediaConfig,
    /// Largest culture video upload, in bytes.
    pub culture_video_max_bytes: u64,
    /// SMTP, or the mailbox page when no SMTP server is configured.
    pub mail: MailConfig,
    /// The header a trusted reverse proxy writes the client's address to; `None` when
    /// clients connect directly.
    pub trusted_proxy_header: Option<HeaderName>,
}

impl Config {
    pub fn from_serve_args(args: &ServeArgs) -> Result<Self, ConfigError> {
        let secret_key = args
            .secret_key
            .clone()
            .ok_or(ConfigError::MissingSecretKey)?;
        SecretBox::from_base64_key(&secret_key)
            .map_err(|error| ConfigError::InvalidSecretKey(error.to_string()))?;

        let public_url = public_url(args.public_url.clone(), args.listen)?;
        let lever = lever_config(&args.lever, &public_url)?;
        if args.outbox_lease_secs <= 2 * args.lever.lever_request_timeout_secs {
            return Err(ConfigError::LeaseTooShort {
                lease: args.outbox_lease_secs,
                timeout: args.lever.lever_request_timeout_secs,
            });
        }
        let media = MediaConfig::from_args(&args.media, &args.database.data_dir)?;
        let mail = MailConfig::from_args(&args.mail)?;
        let trusted_proxy_header = args
            .trusted_proxy_header
            .as_deref()
            .map(trusted_proxy_header)
            .transpose()?;

        Ok(Self {
            listen: args.listen,
            database_url: database_url(&args.database)?,
            database_max_connections: args.database.database_max_connections,
            site_root: site_root(&args.site_root)?,
            outbox_lease: Duration::from_secs(args.outbox_lease_secs),
            public_url,
            secret_key,
            lever,
            media,
            culture_video_max_bytes: args.media.max_culture_video_mib << 20,
            mail,
            trusted_proxy_header,
        })
    }
}

/// Parses `TRYOUT_TRUSTED_PROXY_HEADER` into a header name.
pub fn trusted_proxy_header(value: &str) -> Result<HeaderName, ConfigError> {
    HeaderName::from_bytes(value.trim().as_bytes())
        .map_err(|_| ConfigError::InvalidTrustedProxyHeader(value.to_owned()))
}

/// Returns the public URL with a trailing slash, so `join` appends paths instead of replacing the last segment.
pub fn public_url(configured: Option<Url>, listen: SocketAddr) -> Result<Url, ConfigError> {
    let mut url = match configured {
        Some(url) => url,
        None => {
            Url::parse(&format!("http://{listen}/")).expect("a socket address forms a valid URL")
        }
    };
    if url.cannot_be_a_base() {
        return Err(ConfigError::InvalidPublicUrl(url.to_string()));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// `DATABASE_URL`, or a SQLite file in the data directory (created if missing).
pub fn database_url(args: &DatabaseArgs) -> Result<String, ConfigError> {
    if let Some(url) = &args.database_url {
        return Ok(url.clone());
    }
    std::fs::create_dir_all(&args.data_dir)
        .map_err(|error| ConfigError::DataDir(args.data_dir.clone(), error))?;
    Ok(sqlite_url(&args.data_dir.join("tryout.db")))
}

pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

pub fn site_root(path: &Path) -> Result<PathBuf, ConfigError> {
    if !path.join("pkg").is_dir() {
        return Err(ConfigError::MissingSiteRoot(path.to_path_buf()));
    }
    Ok(path.to_path_buf())
}

fn lever_config(args: &LeverArgs, public_url: &Url) -> Result<Option<LeverConfig>, ConfigError> {
    let (client_id, client_secret) = match (&args.lever_client_id, &args.lever_client_secret) {
        (None, None) => return Ok(None),
        (Some(_), None) => {
            return Err(ConfigError::HalfLeverClient(
                "LEVER_CLIENT_ID",
                "LEVER_CLIENT_SECRET",
            ))
        }
        (None, Some(_)) => {
            return Err(ConfigError::HalfLeverClient(
                "LEVER_CLIENT_SECRET",
                "LEVER_CLIENT_ID",
            ))
        }
        (Some(id), Some(secret)) => (id.clone(), secret.clone()),
    };

    if !(1..=86_400).contains(&args.lever_poll_secs) {
        return Err(ConfigError::InvalidPollInterval(args.lever_poll_secs));
    }
    if !(1..=1000).contains(&args.lever_requests_per_second) {
        return Err(ConfigError::InvalidRequestRate(
            args.lever_requests_per_second,
        ));
    }
    let hosts = match args.lever_environment.as_str() {
        "production" => LeverHosts::production(),
        "sandbox" => LeverHosts::sandbox(),
        other => Url::parse(other)
            .map(|base| LeverHosts::simulator(&base))
            .map_err(|_| ConfigError::InvalidLeverEnvironment(other.to_owned()))?,
    };

    Ok(Some(LeverConfig {
        hosts,
        app: OAuthApp {
            client_id,
            client_secret,
            redirect_uri: callback_url(public_url),
        },
        request_timeout: Duration::from_secs(args.lever_request_timeout_secs.max(1)),
        requests_per_second: args.lever_requests_per_second,
        poll_interval: Duration::from_secs(args.lever_poll_secs),
    }))
}

/// Builds the URL Lever sends the Super Admin back to after consent. It must match the OAuth app's registration.
pub fn callback_url(public_url: &Url) -> Url {
    public_url
        .join("integrations/lever/callback")
        .expect("a base URL joins a relative path")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_url_gains_trailing_slash() {
        let url = public_url(
            Some(Url::parse("https://example.com/tryout").unwrap()),
            "127.0.0.1:1".parse().unwrap(),
        )
        .unwrap();
        assert_eq!(url.as_str(), "https://example.com/tryout/");
        assert_eq!(
            callback_url(&url).as_str(),
            "https://example.com/tryout/integrations/lever/callback"
        );
    }

    #[test]
    fn trusted_proxy_header_must_be_a_header_name() {
        assert_eq!(
            trusted_proxy_header("X-Forwarded-For").unwrap(),
            HeaderName::from_static("x-forwarded-for")
        );
        let error = trusted_proxy_header("X Forwarded").unwrap_err();
        assert!(
            error.to_string().starts_with("TRYOUT_TRUSTED_PROXY_HEADER"),
            "{error}"
        );
    }

    #[test]
    fn public_url_defaults_to_listen_address() {
        let url = public_url(None, "127.0.0.1:4321".parse().unwrap()).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:4321/");
    }

    #[test]
    fn half_configured_lever_client_is_rejected() {
        let args = LeverArgs {
            lever_environment: "production".into(),
            lever_client_id: Some("id".into()),
            lever_client_secret: None,
            lever_request_timeout_secs: 20,
            lever_requests_per_second: DEFAULT_LEVER_REQUESTS_PER_SECOND,
            lever_poll_secs: 300,
        };
        let error = lever_config(&args, &Url::parse("http://localhost/").unwrap()).unwrap_err();
        assert!(error.to_string().contains("LEVER_CLIENT_SECRET is missing"));
    }

    #[test]
    fn unknown_lever_environment_is_rejected() {
        let args = LeverArgs {
            lever_environment: "staging".into(),
            lever_client_id: Some("id".into()),
            lever_client_secret: Some("secret".into()),
            lever_request_timeout_secs: 20,
            lever_requests_per_second: DEFAULT_LEVER_REQUESTS_PER_SECOND,
            lever_poll_secs: 300,
        };
        assert!(matches!(
            lever_config(&args, &Url::parse("http://localhost/").unwrap()),
            Err(ConfigError::InvalidLeverEnvironment(_))
        ));
    }
}
