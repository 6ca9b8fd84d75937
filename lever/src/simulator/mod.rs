//! A Lever simulator that speaks the same HTTP API as Lever: the OAuth
//! authorize pages, the token endpoint and the `/v1` Data API, served from
//! memory.
//!
//! Some of Lever's behaviour is undocumented: refresh-token rotation, the
//! `invalid_grant` status, response bodies of writes, `Retry-After`, webhook
//! timeouts and revocation. There the simulator can behave either way,
//! chosen through [`SimConfig`] and [`Knobs`]. Admin routes under `/_sim`
//! show the state, set knobs and change opportunities as a recruiter in
//! Lever would. The page `/settings/webhooks` switches webhook events on.
//!
//! Every link in the served pages is relative, so the router can be nested
//! under any prefix, e.g. `/_lever`.

mod admin;
mod admin_changes;
mod api;
mod api_error;
mod authorize;
mod clock;
mod config;
mod html;
mod knobs;
mod metering;
mod paging;
mod pipeline;
mod query;
mod rate_limit;
mod records;
mod recruiter_actions;
mod scopes;
mod sign_in;
mod snapshot;
mod state;
mod token_endpoint;
mod tokens;
mod webhooks;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use tokio::task::JoinHandle;
use tracing::{info, warn};
use url::Url;

pub use config::{NoteResponseShape, RefreshRotation, Seed, SimConfig, SimUser};
pub use knobs::{
    FailNext, Knobs, KnobsUpdate, KnobsView, LoseMode, LoseNext, WebhookCreateShape,
    WriteResponseShape,
};
pub use records::StageChange;
pub use snapshot::{NoteSnapshot, OpportunitySnapshot, SimSnapshot};
pub use webhooks::DeliveryAttempt;

use crate::hosts::LeverHosts;
use api_error::ApiError;
use state::SimState;
use webhooks::WebhookEvent;

/// An in-memory Lever. Cloning shares the same state.
#[derive(Clone)]
pub struct Simulator {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<SimState>,
    /// Key that signs the sign-in step of the authorize pages, so the
    /// consent form cannot be posted for a user who did not sign in.
    sign_in_key: [u8; 32],
    /// Client of webhook deliveries, `None` if it could not be built. It
    /// follows no redirects, because Lever counts a 3xx as a failed
    /// delivery.
    webhook_http: Option<reqwest::Client>,
}

impl Simulator {
    /// Creates a simulator with no data; call [`Simulator::seed`] next.
    pub fn new(config: SimConfig) -> Self {
        let mut sign_in_key = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut sign_in_key);

        let webhook_http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .inspect_err(|error| {
                warn!(%error, "Lever simulator cannot deliver webhooks: the HTTP client failed to start");
            })
            .ok();

        Self {
            shared: Arc::new(Shared {
                state: Mutex::new(SimState::new(config)),
                sign_in_key,
                webhook_http,
            }),
        }
    }

    /// Replaces the account data (stages, archive reasons, users, postings,
    /// opportunities). Issued tokens stay valid.
    pub fn seed(&self, seed: Seed) {
        self.lock().install_seed(seed);
    }

    /// Routes at the simulator root: `/authorize`, `/oauth/token`, `/v1/...`,
    /// `/settings/webhooks` and `/_sim/...`.
    pub fn router(&self) -> Router {
        // Knobs, request counts and the rate limit apply to the token
        // endpoint and the Data API, not to the pages or the admin routes.
        let metered = Router::new()
            .route("/oauth/token", post(token_endpoint::token))
            .merge(api::routes())
            .layer(from_fn_with_state(self.clone(), metering::meter));

        Router::new()
            .route("/authorize", get(authorize::show).post(authorize::submit))
            .route(
                "/settings/webhooks",
                get(webhooks::settings_page::show).post(webhooks::settings_page::submit),
            )
            .merge(metered)
            .merge(admin::routes())
            .with_state(self.clone())
    }

    /// Serves [`Simulator::router`] on `127.0.0.1` at a free port. The
    /// server stops when the returned value is dropped.
    pub async fn spawn(self) -> std::io::Result<SpawnedSimulator> {
        let listener =
            tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
        let address = listener.local_addr()?;
        let router = self.router();

        let handle = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                warn!(%error, "Lever simulator server stopped with an error");
            }
        });
        info!(%address, "Lever simulator listening");

        let base_url = Url::parse(&format!("http://{address}/")).map_err(std::io::Error::other)?;

        Ok(SpawnedSimulator {
            base_url,
            simulator: self,
            handle,
        })
    }

    /// Copies the state for inspection in tests and the demo.
    pub fn snapshot(&self) -> SimSnapshot {
        SimSnapshot::of(&self.lock())
    }

    /// Changes knobs as `POST /_sim/knobs` does; the error names the invalid
    /// value.
    pub fn update_knobs(&self, update: KnobsUpdate) -> Result<KnobsView, String> {
        let mut state = self.lock();
        let state = &mut *state;

        update.apply(&mut state.knobs, &mut state.config)?;

        Ok(KnobsView::new(&state.knobs, &state.config))
    }

    /// Returns every knob's current value.
    pub fn knobs(&self) -> KnobsView {
        let state = self.lock();

        KnobsView::new(&state.knobs, &state.config)
    }

    /// Resets knobs and settings to their values at start, as
    /// `POST /_sim/reset` does. Data and tokens stay.
    pub fn reset_knobs(&self) -> KnobsView {
        let mut state = self.lock();

        state.knobs = Knobs::default();
        state.config = state.initial_config.clone();
        state.rate_limiter.clear();

        KnobsView::new(&state.knobs, &state.config)
    }

    /// Revokes every issued token, as a Super Admin revoking the app in
    /// Lever would: refreshes get `invalid_grant`, and the Data API returns
    /// 401 unless the `revoke_keeps_access_tokens` knob lets access tokens
    /// work until they expire.
    ///
    /// NOTE: Lever does not document whether webhooks created through the
    /// API keep firing after a revocation; the simulator keeps them.
    pub fn revoke_all(&self) {
        let mut state = self.lock();
        let keep_access_tokens = state.knobs.revoke_keeps_access_tokens;
        state.tokens.revoke_all(keep_access_tokens);

        info!(keep_access_tokens, "Lever simulator revoked every token");
    }

    /// Runs `change` under the state lock, chooses the recipients of the
    /// webhook event it returns, and sends the deliveries after the lock is
    /// released.
    pub(crate) fn change_and_notify<T>(
        &self,
        change: impl FnOnce(&mut SimState) -> Result<(T, Option<WebhookEvent>), ApiError>,
    ) -> Result<T, ApiError> {
        let (result, deliveries) = {
            let mut state = self.lock();
            let (result, event) = change(&mut state)?;
            let deliveries = event
                .map(|event| webhooks::plan(&mut state, event))
                .unwrap_or_default();
            (result, deliveries)
        };

        webhooks::spawn_deliveries(self, deliveries);

        Ok(result)
    }

    fn lock(&self) -> MutexGuard<'_, SimState> {
        // A handler that panicked while holding the lock leaves data that is
        // still consistent enough for a simulator, so poisoning is ignored.
        self.shared
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn sign_in_key(&self) -> &[u8; 32] {
        &self.shared.sign_in_key
    }

    fn webhook_http(&self) -> Option<&reqwest::Client> {
        self.shared.webhook_http.as_ref()
    }
}

/// A simulator served on `127.0.0.1`. Dropping it stops the server.
pub struct SpawnedSimulator {
    /// Root of the served router, e.g. `http://127.0.0.1:41234/`.
    pub base_url: Url,
    pub simulator: Simulator,
    handle: JoinHandle<()>,
}

impl SpawnedSimulator {
    /// Returns the hosts that point a [`crate::LeverClient`] at this
    /// simulator.
    pub fn hosts(&self) -> LeverHosts {
        LeverHosts::simulator(&self.base_url)
    }
}

impl Drop for SpawnedSimulator {
    fn drop(&mut self) {
        self.handle.abort();
    }
}
