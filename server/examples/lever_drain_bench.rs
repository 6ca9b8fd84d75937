//! Measures how long the outbox takes to drain 1,000 queued writes into a Lever that
//! enforces its documented rate limit: the simulator at 10 requests per second with bursts
//! of 20, and Tryout's client-side pace at its default. It compares that time with the
//! ideal one, the writes divided by the rate. It also counts the requests the drain made
//! (a retried write reads Lever before it writes again) and the 429s Lever returned. It
//! drives one `tryout serve` process on a SQLite file and a simulator on 127.0.0.1, and
//! prints Markdown for BENCHMARKS.md. `scripts/bench` runs it; by hand:
//!
//! ```text
//! cargo run --release -p server --example lever_drain_bench -- target/release/tryout [PACE ...]
//! ```
//!
//! Each PACE (LEVER_REQUESTS_PER_SECOND) gives one row; without any, the default pace.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use lever::simulator::SimSnapshot;
use reqwest::Client;
use server::config::DEFAULT_LEVER_REQUESTS_PER_SECOND;
use server::load::answers::AnswerSheet;
use server::load::candidate::{take_quiz_with, token_of};
use server::load::{Cluster, ClusterOptions};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Quizzes submitted while Lever is disconnected; each queues a note and a stage move or an
/// archive, so 1,000 writes wait.
const QUIZZES: usize = 500;
/// Lever's documented steady rate per API key; the cluster sets the burst to twice this.
const LEVER_RATE_PER_SECOND: f64 = 10.0;
/// Quizzes taken at once while the writes are queued.
const CONCURRENCY: usize = 16;
/// Maximum time the bench waits for one drain.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(900);

/// The figures of one drain.
struct Drain {
    writes: i64,
    /// Writes that needed more than one attempt.
    retried_writes: i64,
    /// Time from the first write sent to the last, as the outbox recorded them.
    send_span: Duration,
    /// Time from the OAuth callback to an empty outbox, which adds the connect itself.
    connect_to_empty: Duration,
    lever: SimSnapshot,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(binary) = args.next() else {
        bail!("usage: lever_drain_bench TRYOUT_BINARY [PACE ...] (PACE: LEVER_REQUESTS_PER_SECOND, default {DEFAULT_LEVER_REQUESTS_PER_SECOND})");
    };
    let mut paces = args
        .map(|pace| {
            pace.parse::<u32>().with_context(|| {
                format!("PACE {pace:?} is not a whole number of requests per second")
            })
        })
        .collect::<anyhow::Result<Vec<u32>>>()?;
    if paces.is_empty() {
        paces.push(DEFAULT_LEVER_REQUESTS_PER_SECOND);
    }

    println!("| Tryout pace (LEVER_REQUESTS_PER_SECOND) | Writes | Requests to Lever | 429 responses | Retried writes | Drain, first to last send | Ideal at Tryout's pace | Ideal at Lever's 10/s | Callback to empty outbox |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for pace in paces {
        let drain = drain(&binary, pace)
            .await
            .with_context(|| format!("the drain at {pace} requests per second"))?;
        let requests = opportunity_requests(&drain.lever);
        println!(
            "| {pace} /s | {} | {requests} | {} | {} | {:.1} s | {:.1} s | {:.1} s | {:.1} s |",
            drain.writes,
            drain.lever.rate_limited_responses,
            drain.retried_writes,
            drain.send_span.as_secs_f64(),
            drain.writes as f64 / f64::from(pace),
            drain.writes as f64 / LEVER_RATE_PER_SECOND,
            drain.connect_to_empty.as_secs_f64(),
        );
        println!();
        println!(
            "Requests at {pace} /s by endpoint: {}",
            breakdown(&drain.lever)
        );
        println!();
    }
    Ok(())
}

/// Queues the writes of `QUIZZES` quizzes while Lever is disconnected, connects Lever, and
/// times the outbox until it is empty.
async fn drain(binary: &str, pace: u32) -> anyhow::Result<Drain> {
    let directory = tempfile::tempdir()?;
    let options = ClusterOptions {
        database_url: server::config::sqlite_url(&directory.path().join("bench.db")),
        binary: binary.into(),
        processes: 1,
        candidates: QUIZZES,
        lever_requests_per_second: pace,
        lever_request_timeout_secs: server::config::DEFAULT_LEVER_REQUEST_TIMEOUT.as_secs(),
        outbox_lease_secs: server::config::DEFAULT_OUTBOX_LEASE.as_secs(),
        simulator_rate_limit: LEVER_RATE_PER_SECOND,
    };
    let cluster = Cluster::start(&options).await?;
    take_quizzes(&cluster).await?;

    let connected = Instant::now();
    cluster.connect_lever().await?;
    let lever = cluster.wait_until_drained(DRAIN_TIMEOUT).await?;
    let connect_to_empty = connected.elapsed();

    let (writes, retried_writes, first, last): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN attempts > 1 THEN 1 ELSE 0 END), 0), MIN(sent_at), MAX(sent_at)
         FROM outbox WHERE status = 'sent'",
    )
    .fetch_one(&cluster.db)
    .await?;
    let unsent = cluster.open_writes().await?;
    if unsent > 0 || writes != 2 * QUIZZES as i64 {
        bail!(
            "{writes} writes were sent and {unsent} are still open; expected {} sent",
            2 * QUIZZES
        );
    }

    Ok(Drain {
        writes,
        retried_writes,
        send_span: Duration::from_millis(u64::try_from(last - first).unwrap_or(0)),
        connect_to_empty,
        lever,
    })
}

/// Takes every candidate's quiz, `CONCURRENCY` at a time, with the answer sheets dealt in
/// turn, so the writes mix notes, stage moves and archives.
async fn take_quizzes(cluster: &Cluster) -> anyhow::Result<()> {
    let http = Client::new();
    let permits = Arc::new(Semaphore::new(CONCURRENCY));
    let mut quizzes = JoinSet::new();

    for (index, candidate) in cluster.candidates.iter().enumerate() {
        let (http, permits) = (http.clone(), permits.clone());
        let base = cluster.processes[0].base.clone();
        let token = token_of(&candidate.link).to_string();
        quizzes.spawn(async move {
            let _permit = permits.acquire().await?;
            take_quiz_with(&http, &base, &token, AnswerSheet::for_candidate(index)).await
        });
    }
    while let Some(result) = quizzes.join_next().await {
        result??;
    }
    Ok(())
}

/// Counts the requests on opportunities: the writes and the reads a retry makes first. The
/// token exchange and the four list reads of the connect are left out.
fn opportunity_requests(lever: &SimSnapshot) -> u64 {
    lever
        .request_counts
        .iter()
        .filter(|(endpoint, _)| endpoint.contains("/v1/opportunities"))
        .map(|(_, count)| count)
        .sum()
}

fn breakdown(lever: &SimSnapshot) -> String {
    lever
        .request_counts
        .iter()
        .filter(|(endpoint, _)| endpoint.contains("/v1/opportunities"))
        .map(|(endpoint, count)| format!("`{endpoint}` {count}"))
        .collect::<Vec<_>>()
        .join(", ")
}
