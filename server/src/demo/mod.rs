//! `tryout demo`: the portal on a fresh SQLite database (or an empty PostgreSQL one), with a seeded organization and
//! role, and a Lever simulator mounted at `/_lever` so "Connect your ATS" works end to end
//! on a machine with no network.

pub mod lever_account;
pub mod role;
pub mod seed;

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use app::ssr::crypto::SecretBox;
use lever::client::OAuthApp;
use lever::hosts::LeverHosts;
use lever::simulator::{SimConfig, Simulator};
use tokio::net::TcpListener;

use crate::cli::DemoArgs;
use crate::config::{
    callback_url, public_url, site_root, sqlite_url, Config, LeverConfig, MailConfig, MediaConfig,
    DEFAULT_CULTURE_VIDEO_MAX_MIB, DEFAULT_LEVER_REQUESTS_PER_SECOND, DEFAULT_OUTBOX_LEASE,
};
use crate::startup::Application;

pub use seed::DemoCredentials;

const DEMO_DATABASE: &str = "tryout-demo.db";
/// The demo polls its simulator often, so a candidate moved into the invite stage with the
/// webhook switch off still gets an invitation while someone watches.
const DEMO_POLL_INTERVAL: Duration = Duration::from_secs(20);

pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    let site_root = site_root(&args.site_root)?;
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("creating {}", args.data_dir.display()))?;
    let database_url = match &args.database_url {
        Some(url) => url.clone(),
        None => {
            remove_previous_database(&args.data_dir)?;
            sqlite_url(&args.data_dir.join(DEMO_DATABASE))
        }
    };

    let listener = TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let public_url = public_url(None, listener.local_addr()?)?;
    let simulator_base = public_url.join("_lever")?;

    let client_secret = SecretBox::generate_base64_key();
    let simulator = Simulator::new(SimConfig {
        client_id: lever_account::CLIENT_ID.into(),
        client_secret: client_secret.clone(),
        ..SimConfig::default()
    });
    simulator.seed(lever_account::seed());

    let config = Config {
        listen: listener.local_addr()?,
        database_url,
        database_max_connections: None,
        site_root,
        outbox_lease: DEFAULT_OUTBOX_LEASE,
        secret_key: SecretBox::generate_base64_key(),
        lever: Some(LeverConfig {
            hosts: LeverHosts::simulator(&simulator_base),
            app: OAuthApp {
                client_id: lever_account::CLIENT_ID.into(),
                client_secret,
                redirect_uri: callback_url(&public_url),
            },
            request_timeout: Duration::from_secs(20),
            requests_per_second: DEFAULT_LEVER_REQUESTS_PER_SECOND,
            poll_interval: DEMO_POLL_INTERVAL,
        }),
        media: MediaConfig::default_directory(&args.data_dir)?,
        culture_video_max_bytes: DEFAULT_CULTURE_VIDEO_MAX_MIB << 20,
        // No SMTP: every email the demo writes lands in the mailbox page.
        mail: MailConfig::Mailbox,
        trusted_proxy_header: None,
        public_url: public_url.clone(),
    };

    let application = Application::build(&config, listener, Some(simulator.router())).await?;
    let organizations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organizations")
        .fetch_one(&application.state.db)
        .await?;
    if organizations > 0 {
        anyhow::bail!("tryout demo needs an empty database, but the one --database-url names already contains organizations; create a new database for the demo");
    }
    let credentials = seed::seed(
        &application.state.db,
        &public_url,
        &simulator_base,
        "northwind",
    )
    .await?;

    println!("{}", credentials.to_text());
    if let Some(path) = &args.write_credentials {
        let json = serde_json::to_string_pretty(&credentials)?;
        std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))?;
    }

    application.run_until_stopped().await
}

/// Deletes the previous demo database: the demo starts clean because the simulator's data lives in memory.
fn remove_previous_database(data_dir: &Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let path = data_dir.join(format!("{DEMO_DATABASE}{suffix}"));
        if path.exists() {
            std::fs::remove_file(&path).with_context(|| {
                format!("removing the previous demo database {}", path.display())
            })?;
        }
    }
    Ok(())
}
