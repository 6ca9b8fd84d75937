//! Start-up: open the database and the media store, build the shared state and the router,
//! start the outbox, mail, webhook and reminder workers and the Lever poller, and serve until Ctrl-C
//! or SIGTERM.

use std::sync::Arc;

use anyhow::Context;
use app::ssr::crypto::SecretBox;
use app::ssr::db::connect_and_migrate;
use app::ssr::lever_pace::LeverPace;
use app::ssr::state::AppState;
use axum::Router;
use leptos::config::{Env, LeptosOptions};
use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::config::{
    Config, MailConfig, DEFAULT_LEVER_REQUESTS_PER_SECOND, DEFAULT_LEVER_REQUEST_TIMEOUT,
};
use crate::invites::poll::Poller;
use crate::lever_auth::LeverAuth;
use crate::mail::transport::Mailer;
use crate::mail::worker::MailWorker;
use crate::media::open_media_store;
use crate::outbox::worker::OutboxWorker;
use crate::reminders::ReminderWorker;
use crate::webhooks::worker::WebhookWorker;

/// A server that is bound and ready to run.
pub struct Application {
    pub state: AppState,
    listener: TcpListener,
    router: Router,
    worker: OutboxWorker,
    mail_worker: MailWorker,
    webhook_worker: WebhookWorker,
    /// `None` when no Lever OAuth client is configured: there is nothing to poll.
    poller: Option<Poller>,
}

impl Application {
    /// Builds everything on an already bound listener. `simulator` is mounted at `/_lever`
    /// by `tryout demo`.
    pub async fn build(
        config: &Config,
        listener: TcpListener,
        simulator: Option<Router>,
    ) -> anyhow::Result<Self> {
        let db = connect_and_migrate(&config.database_url, config.database_max_connections)
            .await
            .context("opening the database")?;
        let secrets =
            SecretBox::from_base64_key(&config.secret_key).context("TRYOUT_SECRET_KEY")?;
        let media = open_media_store(&config.media).await?;

        let mailer = Mailer::new(&config.mail).context("TRYOUT_SMTP_URL")?;
        match &config.mail {
            MailConfig::Smtp(smtp) => tracing::info!(smtp = %smtp, "emails go out over SMTP"),
            MailConfig::Mailbox => tracing::warn!(
                "TRYOUT_SMTP_URL is not set; emails are not delivered and stay in the mailbox page"
            ),
        }

        let lever = match &config.lever {
            Some(lever) => Some(
                lever::client::LeverClient::new(
                    lever.hosts.clone(),
                    lever.app.clone(),
                    lever.request_timeout,
                )
                .context("creating the Lever client")?,
            ),
            None => {
                tracing::warn!("LEVER_CLIENT_ID and LEVER_CLIENT_SECRET are not set; connecting Lever is unavailable");
                None
            }
        };

        let leptos_options = LeptosOptions::builder()
            .output_name("tryout")
            .site_root(config.site_root.display().to_string())
            .site_pkg_dir("pkg")
            .env(Env::PROD)
            .site_addr(listener.local_addr()?)
            .build();

        let state = AppState {
            leptos_options,
            db,
            secrets: Arc::new(secrets),
            public_url: config.public_url.clone(),
            lever,
            cookie_secure: config.public_url.scheme() == "https",
            outbox_wakeup: Arc::new(Notify::new()),
            mail_wakeup: Arc::new(Notify::new()),
            smtp_configured: matches!(config.mail, MailConfig::Smtp(_)),
            lever_events_wakeup: Arc::new(Notify::new()),
            lever_pace: LeverPace::per_second(
                config
                    .lever
                    .as_ref()
                    .map_or(DEFAULT_LEVER_REQUESTS_PER_SECOND, |lever| {
                        lever.requests_per_second
                    }),
            ),
            media: Arc::new(media),
            culture_video_max_bytes: config.culture_video_max_bytes,
            trusted_proxy_header: config.trusted_proxy_header.clone(),
        };
        let lever_auth = Arc::new(LeverAuth::default());
        let router = crate::router::build_router(state.clone(), simulator);
        let request_timeout = config
            .lever
            .as_ref()
            .map_or(DEFAULT_LEVER_REQUEST_TIMEOUT, |lever| lever.request_timeout);
        let worker = OutboxWorker::new(
            state.clone(),
            lever_auth.clone(),
            config.outbox_lease,
            request_timeout,
        );
        let mail_worker = MailWorker::new(state.clone(), Arc::new(mailer));
        let webhook_worker = WebhookWorker::new(state.clone(), lever_auth.clone());
        let poller = config
            .lever
            .as_ref()
            .map(|lever| Poller::new(state.clone(), lever_auth.clone(), lever.poll_interval));

        Ok(Self {
            state,
            listener,
            router,
            worker,
            mail_worker,
            webhook_worker,
            poller,
        })
    }

    pub fn local_addr(&self) -> std::net::SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves requests and runs the workers until a shutdown signal.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let mut workers = vec![
            tokio::spawn(self.worker.run()),
            tokio::spawn(self.mail_worker.run()),
            tokio::spawn(self.webhook_worker.run()),
            tokio::spawn(ReminderWorker::new(self.state.clone()).run()),
        ];
        if let Some(poller) = self.poller {
            workers.push(tokio::spawn(poller.run()));
        }

        // Connection info gives server functions the client's address, which sign-in throttling counts.
        let service = self
            .router
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("serving HTTP")?;

        for worker in workers {
            worker.abort();
        }
        tracing::info!("stopped");
        Ok(())
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing open requests");
}
