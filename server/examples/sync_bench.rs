//! Measures, in one run, quiz submissions per second and their latency on SQLite and on
//! PostgreSQL, and how fast the outbox drains into Lever with one and with two processes.
//! It drives real `tryout serve` processes and a Lever simulator on 127.0.0.1 and prints
//! Markdown for BENCHMARKS.md. `scripts/bench` runs it; by hand:
//!
//! ```text
//! cargo run --release -p server --example sync_bench -- target/release/tryout postgres://postgres@127.0.0.1:5432/postgres
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use reqwest::Client;
use server::load::candidate::{
    answer_all, complete_guide, portal_steps, start_quiz, submit_quiz, take_quiz, token_of,
};
use server::load::{Cluster, ClusterOptions};
use sqlx::{Connection, Executor, PgConnection};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Quizzes submitted per submission measurement.
const QUIZZES: usize = 400;
/// Quizzes whose writes wait for the drain measurement (two writes each). The drain must
/// last several of the workers' 2-second polls, or when a worker first looks would dominate.
const DRAIN_QUIZZES: usize = 1500;
/// Submissions in flight at once.
const CONCURRENCY: usize = 16;
/// The drain runs at a pace far above Lever's 10/s, so it measures Tryout, not the pace.
const DRAIN_PACE: u32 = 1000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(binary), Some(postgres_url)) = (args.next(), args.next()) else {
        bail!("usage: sync_bench TRYOUT_BINARY POSTGRES_URL (a server the bench may create databases on)");
    };
    let dir = tempfile::tempdir()?;

    println!("| Measurement | Backend | Processes | Result | p50 | p99 |");
    println!("|---|---|---|---|---|---|");

    let sqlite_url = server::config::sqlite_url(&dir.path().join("bench.db"));
    let submit = submissions(&binary, &sqlite_url)
        .await
        .context("SQLite submissions")?;
    println!("| Quiz submissions ({QUIZZES}, {CONCURRENCY} at a time) | SQLite | 1 | {:.0} /s | {:.1} ms | {:.1} ms |", submit.0, submit.1, submit.2);

    let database = BenchDatabase::create(&postgres_url).await?;
    let submit = submissions(&binary, &database.url)
        .await
        .context("PostgreSQL submissions")?;
    println!("| Quiz submissions ({QUIZZES}, {CONCURRENCY} at a time) | PostgreSQL | 1 | {:.0} /s | {:.1} ms | {:.1} ms |", submit.0, submit.1, submit.2);
    database.drop_database().await?;

    for processes in [1, 2] {
        let database = BenchDatabase::create(&postgres_url).await?;
        let (writes, rate) = drain(&binary, &database.url, processes)
            .await
            .context("outbox drain")?;
        println!("| Outbox drain ({writes} writes to Lever) | PostgreSQL | {processes} | {rate:.0} writes/s | | |");
        database.drop_database().await?;
    }
    Ok(())
}

fn options(binary: &str, database_url: &str, candidates: usize, pace: u32) -> ClusterOptions {
    ClusterOptions {
        database_url: database_url.into(),
        binary: binary.into(),
        processes: 1,
        candidates,
        lever_requests_per_second: pace,
        lever_request_timeout_secs: 10,
        outbox_lease_secs: 60,
        simulator_rate_limit: 100_000.0,
    }
}

/// Brings every candidate to the point of submitting, then submits all quizzes,
/// `CONCURRENCY` at a time. Returns submissions per second and the p50 and p99 latency (ms).
async fn submissions(binary: &str, database_url: &str) -> anyhow::Result<(f64, f64, f64)> {
    let cluster = Cluster::start(&options(binary, database_url, QUIZZES, DRAIN_PACE)).await?;
    let base = cluster.processes[0].base.clone();
    let http = Client::new();

    let prepared = for_each_candidate(&cluster, |http, base, token| async move {
        let steps = portal_steps(&http, &base, &token).await?;
        complete_guide(&http, &base, &token, &steps).await?;
        let session = start_quiz(&http, &base, &token, &steps).await?;
        answer_all(&http, &base, &token, &session).await?;
        Ok((token, steps))
    })
    .await?;

    let started = Instant::now();
    let permits = Arc::new(Semaphore::new(CONCURRENCY));
    let mut submits = JoinSet::new();
    for (token, steps) in prepared {
        let (http, base, permits) = (http.clone(), base.clone(), permits.clone());
        submits.spawn(async move {
            let _permit = permits.acquire().await?;
            let submitted = Instant::now();
            submit_quiz(&http, &base, &token, &steps).await?;
            Ok::<_, anyhow::Error>(submitted.elapsed())
        });
    }
    let mut latencies = Vec::with_capacity(QUIZZES);
    while let Some(result) = submits.join_next().await {
        latencies.push(result??);
    }
    let elapsed = started.elapsed();

    latencies.sort_unstable();
    Ok((
        latencies.len() as f64 / elapsed.as_secs_f64(),
        millis(percentile(&latencies, 0.50)),
        millis(percentile(&latencies, 0.99)),
    ))
}

/// Submits every quiz while Lever is not connected, so the writes wait in the outbox; then
/// connects Lever and lets the processes drain it. Returns (writes, writes per second).
async fn drain(binary: &str, database_url: &str, processes: usize) -> anyhow::Result<(i64, f64)> {
    let mut cluster =
        Cluster::start(&options(binary, database_url, DRAIN_QUIZZES, DRAIN_PACE)).await?;
    for_each_candidate(&cluster, |http, base, token| async move {
        take_quiz(&http, &base, &token).await.map(|_| ())
    })
    .await?;
    for _ in 1..processes {
        cluster.add_process().await?;
    }

    cluster.connect_lever().await?;
    cluster.wait_until_drained(Duration::from_secs(600)).await?;

    // Timed from the first send to the last, as the outbox recorded them: the workers notice
    // the new connection on their next poll, up to 2 s later, which is not sending time.
    let (writes, first, last): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), MIN(sent_at), MAX(sent_at) FROM outbox WHERE status = 'sent'",
    )
    .fetch_one(&cluster.db)
    .await?;
    let seconds = ((last - first).max(1)) as f64 / 1000.0;
    Ok((writes, writes as f64 / seconds))
}

/// Runs `walk` for every candidate of the run, `CONCURRENCY` at a time, on the first process.
async fn for_each_candidate<T, F, Fut>(cluster: &Cluster, walk: F) -> anyhow::Result<Vec<T>>
where
    T: Send + 'static,
    F: Fn(Client, url::Url, String) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<T>> + Send + 'static,
{
    let http = Client::new();
    let permits = Arc::new(Semaphore::new(CONCURRENCY));
    let mut walks = JoinSet::new();
    for candidate in &cluster.candidates {
        let future = walk(
            http.clone(),
            cluster.processes[0].base.clone(),
            token_of(&candidate.link).to_string(),
        );
        let permits = permits.clone();
        walks.spawn(async move {
            let _permit = permits.acquire().await?;
            future.await
        });
    }
    let mut results = Vec::new();
    while let Some(result) = walks.join_next().await {
        results.push(result??);
    }
    Ok(results)
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 * fraction).ceil() as usize)
        .saturating_sub(1)
        .min(sorted.len().saturating_sub(1));
    sorted.get(index).copied().unwrap_or_default()
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// A database created for one measurement on the bench's PostgreSQL server.
struct BenchDatabase {
    url: String,
    admin_url: String,
    name: String,
}

impl BenchDatabase {
    async fn create(admin_url: &str) -> anyhow::Result<Self> {
        let name = format!("tryout_bench_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(admin_url)
            .await
            .context("connecting to the bench's PostgreSQL")?;
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await?;
        let mut url = url::Url::parse(admin_url)?;
        url.set_path(&name);
        Ok(Self {
            url: url.to_string(),
            admin_url: admin_url.into(),
            name,
        })
    }

    async fn drop_database(self) -> anyhow::Result<()> {
        let mut admin = PgConnection::connect(&self.admin_url).await?;
        admin
            .execute(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name).as_str())
            .await?;
        Ok(())
    }
}
