//! One `tryout serve` child process on a free 127.0.0.1 port, with its log in a file.
//! Dropping it kills the process; [`TryoutProcess::kill`] does so on purpose, with
//! SIGKILL, so nothing in the process gets to finish its work.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use tokio::process::{Child, Command};
use url::Url;

/// Settings shared by every process of a cluster.
#[derive(Debug, Clone)]
pub struct ProcessSettings {
    pub binary: PathBuf,
    pub database_url: String,
    pub secret_key: String,
    pub site_root: PathBuf,
    pub lever_environment: Url,
    pub lever_client_id: String,
    pub lever_client_secret: String,
    pub lever_requests_per_second: u32,
    pub lever_request_timeout_secs: u64,
    pub outbox_lease_secs: u64,
    /// Directory for each process's log file.
    pub log_dir: PathBuf,
}

pub struct TryoutProcess {
    pub name: String,
    pub base: Url,
    pub log: PathBuf,
    child: Child,
}

impl TryoutProcess {
    /// Starts `tryout serve` and waits until `/healthz` returns 200 (at most 30 seconds).
    pub async fn spawn(settings: &ProcessSettings, name: &str) -> anyhow::Result<Self> {
        let port = free_port()?;
        let base = Url::parse(&format!("http://127.0.0.1:{port}/"))?;
        let log = settings.log_dir.join(format!("{name}.log"));
        let log_file =
            std::fs::File::create(&log).with_context(|| format!("creating {}", log.display()))?;

        let child = Command::new(&settings.binary)
            .arg("serve")
            .env("TRYOUT_LISTEN", format!("127.0.0.1:{port}"))
            .env("TRYOUT_PUBLIC_URL", base.as_str())
            .env("DATABASE_URL", &settings.database_url)
            .env("TRYOUT_SECRET_KEY", &settings.secret_key)
            .env("LEPTOS_SITE_ROOT", &settings.site_root)
            .env("LEVER_ENVIRONMENT", settings.lever_environment.as_str())
            .env("LEVER_CLIENT_ID", &settings.lever_client_id)
            .env("LEVER_CLIENT_SECRET", &settings.lever_client_secret)
            .env(
                "LEVER_REQUESTS_PER_SECOND",
                settings.lever_requests_per_second.to_string(),
            )
            .env(
                "LEVER_REQUEST_TIMEOUT_SECS",
                settings.lever_request_timeout_secs.to_string(),
            )
            .env(
                "TRYOUT_OUTBOX_LEASE_SECS",
                settings.outbox_lease_secs.to_string(),
            )
            .env("RUST_LOG", "warn,server=info")
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", settings.binary.display()))?;

        let mut process = Self {
            name: name.into(),
            base,
            log,
            child,
        };
        process.wait_until_ready().await?;
        Ok(process)
    }

    async fn wait_until_ready(&mut self) -> anyhow::Result<()> {
        let started = Instant::now();
        let health = self.base.join("healthz")?;
        let http = reqwest::Client::new();

        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "{} exited with {status} before it was ready; its log:\n{}",
                    self.name,
                    tail(&self.log)
                );
            }
            if let Ok(response) = http.get(health.clone()).send().await {
                if response.status().is_success() {
                    return Ok(());
                }
            }
            if started.elapsed() > Duration::from_secs(30) {
                bail!(
                    "{} did not respond to /healthz within 30 s; its log:\n{}",
                    self.name,
                    tail(&self.log)
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Freezes the process with SIGSTOP: it keeps its connections and claims but does nothing.
    pub fn pause(&self) -> anyhow::Result<()> {
        self.signal("STOP")
    }

    /// Lets a paused process run again (SIGCONT).
    pub fn resume(&self) -> anyhow::Result<()> {
        self.signal("CONT")
    }

    /// Sends a signal with the `kill` command, by this child's pid only.
    fn signal(&self, name: &str) -> anyhow::Result<()> {
        let pid = self.child.id().context("the process has already exited")?;
        let status = std::process::Command::new("kill")
            .arg(format!("-{name}"))
            .arg(pid.to_string())
            .status()?;
        if !status.success() {
            bail!("kill -{name} {pid} failed with {status}");
        }
        Ok(())
    }

    /// Kills the process with SIGKILL and waits for it to be gone.
    pub async fn kill(&mut self) -> anyhow::Result<()> {
        self.child.start_kill().context("sending SIGKILL")?;
        self.child
            .wait()
            .await
            .context("waiting for the killed process")?;
        Ok(())
    }
}

/// Asks the kernel for a free port on 127.0.0.1. The port is released before the child
/// binds it; another program taking it in between makes the child fail to start, loudly.
fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("binding 127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// Returns the last lines of a log, for error messages.
fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}
