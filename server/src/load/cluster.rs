//! A cluster: one database, one Lever simulator, several `tryout serve` processes, and the
//! demo organization with the requested number of extra invited candidates.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use app::ssr::crypto::SecretBox;
use app::ssr::db::{connect_and_migrate, Db};
use lever::simulator::{SimConfig, SimSnapshot, Simulator, SpawnedSimulator};
use tempfile::TempDir;

use super::consent::connect_lever;
use super::process::{ProcessSettings, TryoutProcess};
use crate::demo::lever_account::{self, invited_opportunity};
use crate::demo::seed::{add_candidates, seed, CandidateSeed, DemoCredentials};

#[derive(Debug, Clone)]
pub struct ClusterOptions {
    pub database_url: String,
    /// The `tryout` binary to start.
    pub binary: PathBuf,
    pub processes: usize,
    /// Candidates invited beside the demo's three.
    pub candidates: usize,
    pub lever_requests_per_second: u32,
    pub lever_request_timeout_secs: u64,
    pub outbox_lease_secs: u64,
    /// The simulator's rate limit per access token, in requests per second (Lever: 10).
    pub simulator_rate_limit: f64,
}

pub struct Cluster {
    pub processes: Vec<TryoutProcess>,
    pub simulator: SpawnedSimulator,
    /// The harness's own pool on the cluster's database, for seeding and checks.
    pub db: Db,
    pub organization: DemoCredentials,
    /// The candidates added for the run (not the demo's three).
    pub candidates: Vec<crate::demo::seed::CandidateLink>,
    settings: ProcessSettings,
    _dir: TempDir,
}

impl Cluster {
    /// Seeds the database and the simulator, then starts the processes.
    pub async fn start(options: &ClusterOptions) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let site_root = dir.path().join("site");
        std::fs::create_dir_all(site_root.join("pkg"))?;

        let extra: Vec<CandidateSeed> = (1..=options.candidates)
            .map(|number| {
                let opportunity_id = uuid::Uuid::new_v4().to_string();
                CandidateSeed::new(
                    &opportunity_id,
                    &format!("Candidate {number:04}"),
                    &format!("candidate{number:04}@example.com"),
                )
            })
            .collect();

        let client_secret = SecretBox::generate_base64_key();
        let simulator = Simulator::new(SimConfig {
            client_id: lever_account::CLIENT_ID.into(),
            client_secret: client_secret.clone(),
            ..SimConfig::default()
        });
        let mut lever_seed = lever_account::seed();
        lever_seed
            .opportunities
            .extend(extra.iter().map(|candidate| {
                invited_opportunity(&candidate.opportunity_id, &candidate.name, &candidate.email)
            }));
        simulator.seed(lever_seed);
        let simulator = simulator
            .spawn()
            .await
            .context("starting the Lever simulator")?;
        set_rate_limit(&simulator, options.simulator_rate_limit).await?;

        let db = connect_and_migrate(&options.database_url, Some(4))
            .await
            .context("opening the cluster's database")?;
        let settings = ProcessSettings {
            binary: options.binary.clone(),
            database_url: options.database_url.clone(),
            secret_key: SecretBox::generate_base64_key(),
            site_root,
            lever_environment: simulator.base_url.clone(),
            lever_client_id: lever_account::CLIENT_ID.into(),
            lever_client_secret: client_secret,
            lever_requests_per_second: options.lever_requests_per_second,
            lever_request_timeout_secs: options.lever_request_timeout_secs,
            outbox_lease_secs: options.outbox_lease_secs,
            log_dir: dir.path().to_path_buf(),
        };

        let mut processes = Vec::with_capacity(options.processes);
        for number in 1..=options.processes {
            processes.push(TryoutProcess::spawn(&settings, &format!("tryout-{number}")).await?);
        }

        let base = processes
            .first()
            .context("a cluster needs a process")?
            .base
            .clone();
        let organization = seed(&db, &base, &simulator.base_url, "northwind").await?;
        let candidates = add_candidates(
            &db,
            &organization.organization_id,
            &organization.role_id,
            &base,
            &extra,
        )
        .await?;

        Ok(Self {
            processes,
            simulator,
            db,
            organization,
            candidates,
            settings,
            _dir: dir,
        })
    }

    /// Starts one more process on the same database.
    pub async fn add_process(&mut self) -> anyhow::Result<()> {
        let name = format!("tryout-{}", self.processes.len() + 1);
        self.processes
            .push(TryoutProcess::spawn(&self.settings, &name).await?);
        Ok(())
    }

    /// Starts the process at `index` again, as an operator would after it died: same
    /// database and settings, a new port and a new log file. Kill it first.
    pub async fn restart_process(&mut self, index: usize) -> anyhow::Result<()> {
        let name = format!("{}-restarted", self.processes[index].name);
        self.processes[index] = TryoutProcess::spawn(&self.settings, &name).await?;
        Ok(())
    }

    /// Connects the organization's Lever through the first process.
    pub async fn connect_lever(&self) -> anyhow::Result<()> {
        connect_lever(
            &self.processes[0].base,
            &self.organization.admin,
            &self.organization.lever.super_admin,
        )
        .await
    }

    pub async fn lever_state(&self) -> anyhow::Result<SimSnapshot> {
        let url = self.simulator.base_url.join("_sim/state")?;
        Ok(reqwest::get(url).await?.error_for_status()?.json().await?)
    }

    /// Delays every Lever response by `latency_ms`, as a slow Lever would.
    pub async fn set_lever_latency(&self, latency_ms: u64) -> anyhow::Result<()> {
        set_knobs(
            &self.simulator,
            serde_json::json!({ "latency_ms": latency_ms }),
        )
        .await
    }

    /// Writes to Lever not yet sent: pending, or claimed and in flight.
    pub async fn open_writes(&self) -> anyhow::Result<i64> {
        Ok(
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')",
            )
            .fetch_one(&self.db)
            .await?,
        )
    }

    /// Waits until every write in the outbox is sent or failed, then returns Lever's state.
    /// Fails after `timeout` with the number of writes still open.
    pub async fn wait_until_drained(&self, timeout: Duration) -> anyhow::Result<SimSnapshot> {
        let started = Instant::now();
        loop {
            let open = self.open_writes().await?;
            if open == 0 {
                return self.lever_state().await;
            }
            if started.elapsed() > timeout {
                bail!(
                    "{open} writes to Lever were still open after {} s",
                    timeout.as_secs()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

async fn set_rate_limit(simulator: &SpawnedSimulator, per_second: f64) -> anyhow::Result<()> {
    let burst = (per_second * 2.0).ceil() as u32;
    set_knobs(
        simulator,
        serde_json::json!({ "rate_limit_per_second": per_second, "rate_limit_burst": burst }),
    )
    .await
}

/// Changes the simulator's knobs through its admin API (`POST /_sim/knobs`).
async fn set_knobs(simulator: &SpawnedSimulator, knobs: serde_json::Value) -> anyhow::Result<()> {
    let url = simulator.base_url.join("_sim/knobs")?;
    reqwest::Client::new()
        .post(url)
        .json(&knobs)
        .send()
        .await?
        .error_for_status()?;
    Ok(())
}
