//! The state every route and server function shares.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use tokio::sync::Notify;
use url::Url;

use super::crypto::SecretBox;
use super::db::Db;
use super::lever_pace::LeverPace;
use super::media::MediaStore;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub secrets: Arc<SecretBox>,
    /// The URL people use to reach this server; links in emails and Lever notes start with it.
    pub public_url: Url,
    /// `None` when no Lever OAuth app is configured; connecting is then unavailable.
    pub lever: Option<lever::client::LeverClient>,
    /// Whether cookies get the `Secure` attribute (the public URL is HTTPS).
    pub cookie_secure: bool,
    /// Wakes the outbox worker when a transaction added writes for Lever.
    pub outbox_wakeup: Arc<Notify>,
    /// Wakes the mail worker when a transaction queued emails.
    pub mail_wakeup: Arc<Notify>,
    /// Whether emails go out over SMTP. Without SMTP they stay in the mailbox page.
    pub smtp_configured: bool,
    /// Wakes the webhook worker when a delivery from Lever was queued.
    pub lever_events_wakeup: Arc<Notify>,
    /// The pace of calls to Lever's API, shared with the other processes on this database.
    pub lever_pace: LeverPace,
    /// Store of video answers, take-home files and culture videos.
    pub media: Arc<MediaStore>,
    /// Largest culture video a role owner may upload, in bytes.
    pub culture_video_max_bytes: u64,
    /// The header a trusted reverse proxy writes the client's address to; `None` when clients
    /// connect directly, so the TCP peer is the client.
    pub trusted_proxy_header: Option<axum::http::HeaderName>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The shared state inside a server function (provided as context by the router).
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        crate::error::AppError::internal("server state", "AppState missing from context")
    })
}
