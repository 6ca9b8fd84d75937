//! Two `tryout serve` processes share one PostgreSQL database and one Lever simulator. 200
//! candidates submit quizzes through both, and Lever ends up with exactly one note and one
//! stage move per candidate. The same is true when one process is killed with writes claimed.

use std::sync::Arc;
use std::time::Duration;

use app::domain::quiz::AttemptStatus;
use reqwest::Client;
use server::demo::lever_account::PASS_STAGE_ID;
use server::load::candidate::{
    answer_all, complete_guide, load_portal, load_quiz, portal_steps, start_quiz, submit_quiz,
    take_quiz, token_of,
};
use server::load::{Cluster, ClusterOptions};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::helpers::PostgresDatabase;

const CANDIDATES: usize = 200;
/// Quizzes in flight at once.
const CONCURRENCY: usize = 8;

/// Tryout's shared pace is below the simulator's limit, and two unshared paces would be
/// above it: any 429 in a run means the processes did not share the pace.
fn options(database: &PostgresDatabase) -> ClusterOptions {
    ClusterOptions {
        database_url: database.url.clone(),
        binary: env!("CARGO_BIN_EXE_tryout").into(),
        processes: 2,
        candidates: CANDIDATES,
        lever_requests_per_second: 20,
        lever_request_timeout_secs: 2,
        outbox_lease_secs: 5,
        simulator_rate_limit: 25.0,
    }
}

/// Takes the quizzes of `candidates` (indexes into the cluster's candidates), each through
/// the process `route` picks, `CONCURRENCY` at a time.
async fn take_quizzes(
    cluster: &Cluster,
    candidates: std::ops::Range<usize>,
    route: impl Fn(usize) -> usize,
) {
    let http = Client::new();
    let permits = Arc::new(Semaphore::new(CONCURRENCY));
    let mut quizzes = JoinSet::new();

    for index in candidates {
        let (http, permits) = (http.clone(), permits.clone());
        let base = cluster.processes[route(index)].base.clone();
        let token = token_of(&cluster.candidates[index].link).to_string();
        quizzes.spawn(async move {
            let _permit = permits.acquire().await.expect("the semaphore stays open");
            take_quiz(&http, &base, &token)
                .await
                .map_err(|error| format!("candidate {index}: {error:#}"))
        });
    }

    while let Some(result) = quizzes.join_next().await {
        result.expect("a quiz task panicked").unwrap();
    }
}

/// Asserts Lever has exactly one note and one stage move, to the pass stage, for every
/// candidate of the run, and nothing was rate-limited.
async fn assert_each_write_landed_once(cluster: &Cluster) {
    let lever = cluster
        .wait_until_drained(Duration::from_secs(180))
        .await
        .unwrap();

    let mut notes = 0;
    let mut stage_moves = 0;
    for candidate in &cluster.candidates {
        let opportunity = lever
            .opportunity(&candidate.opportunity_id)
            .expect("the simulator holds every opportunity");
        assert_eq!(
            opportunity.notes.len(),
            1,
            "{} has {} notes",
            candidate.name,
            opportunity.notes.len()
        );
        assert_eq!(
            opportunity.stage_changes.len(),
            1,
            "{} has {} stage moves",
            candidate.name,
            opportunity.stage_changes.len()
        );
        assert_eq!(opportunity.stage.as_deref(), Some(PASS_STAGE_ID));
        notes += opportunity.notes.len();
        stage_moves += opportunity.stage_changes.len();
    }
    assert_eq!((notes, stage_moves), (CANDIDATES, CANDIDATES));
    assert_eq!(
        lever.rate_limited_responses, 0,
        "Lever's rate limit was hit, so the pace was not shared"
    );
}

#[tokio::test]
async fn postgres_two_processes_send_each_write_once() {
    let database = PostgresDatabase::create().await;
    let cluster = Cluster::start(&options(&database)).await.unwrap();
    cluster.connect_lever().await.unwrap();

    // The first candidate saves answers through one process and submits through the other.
    // Each process reads what the other wrote.
    let http = Client::new();
    let (first, second) = (&cluster.processes[0].base, &cluster.processes[1].base);
    let token = token_of(&cluster.candidates[0].link);
    let steps = portal_steps(&http, first, token).await.unwrap();
    complete_guide(&http, first, token, &steps).await.unwrap();
    let session = start_quiz(&http, first, token, &steps).await.unwrap();
    answer_all(&http, first, token, &session).await.unwrap();

    let seen = load_quiz(&http, second, token, &steps.quiz).await.unwrap();
    assert_eq!(seen.status, AttemptStatus::InProgress);
    assert_eq!(
        seen.answers.len(),
        session.questions.len(),
        "the second process sees every saved answer"
    );
    let answered_on_first = load_quiz(&http, first, token, &steps.quiz)
        .await
        .unwrap()
        .answers;
    assert_eq!(seen.answers, answered_on_first);

    submit_quiz(&http, second, token, &steps).await.unwrap();
    assert!(
        load_portal(&http, first, token).await.unwrap().completed,
        "the first process sees the submit"
    );

    take_quizzes(&cluster, 1..CANDIDATES, |index| index % 2).await;
    assert_each_write_landed_once(&cluster).await;
}

/// A write the frozen process had claimed: (id, kind, opportunity, marker, claimed_until).
type Orphan = (String, String, String, String, i64);

/// Returns whether Lever already shows the orphan's write, so its request reached Lever.
fn landed(orphan: &Orphan, lever: &lever::simulator::SimSnapshot) -> bool {
    let (_, kind, opportunity_id, marker, _) = orphan;
    let Some(opportunity) = lever.opportunity(opportunity_id) else {
        return false;
    };
    match kind.as_str() {
        "note" => opportunity
            .notes
            .iter()
            .any(|note| note.value.contains(marker.as_str())),
        _ => !opportunity.stage_changes.is_empty(),
    }
}

#[tokio::test]
async fn postgres_killed_process_loses_and_doubles_nothing() {
    let database = PostgresDatabase::create().await;
    let options = options(&database);
    let lease_ms = options.outbox_lease_secs as i64 * 1000;
    let mut cluster = Cluster::start(&options).await.unwrap();
    cluster.connect_lever().await.unwrap();
    // Slow responses keep each claim open for a while, so a freeze often lands mid-request.
    cluster.set_lever_latency(100).await.unwrap();

    take_quizzes(&cluster, 0..CANDIDATES / 2, |index| index % 2).await;

    // Freeze the first process, then look for the claims it holds. The survivor's own claims
    // turn over within a second, so a claim older than that belongs to the frozen process.
    // Kill it only once one of its writes has reached Lever without the outbox knowing: a
    // request in flight. Otherwise let it run a little and try again.
    let started = std::time::Instant::now();
    let orphans: Vec<Orphan> = loop {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "the first process never held a write in flight"
        );
        cluster.processes[0].pause().unwrap();
        let paused_at = app::ssr::clock::now_ms();
        tokio::time::sleep(Duration::from_millis(1000)).await;

        let orphans: Vec<Orphan> = sqlx::query_as(
            "SELECT id, kind, opportunity_id, marker, claimed_until FROM outbox
             WHERE status = 'sending' AND claimed_until < $1",
        )
        .bind(paused_at + lease_ms + 500)
        .fetch_all(&cluster.db)
        .await
        .unwrap();
        let lever = cluster.lever_state().await.unwrap();
        if orphans.iter().any(|orphan| landed(orphan, &lever)) {
            cluster.processes[0].kill().await.unwrap();
            break orphans;
        }

        cluster.processes[0].resume().unwrap();
        tokio::time::sleep(Duration::from_millis(
            30 + 17 * (started.elapsed().as_millis() as u64 % 7),
        ))
        .await;
    };

    take_quizzes(&cluster, CANDIDATES / 2..CANDIDATES, |_| 1).await;
    assert_each_write_landed_once(&cluster).await;

    // Each orphan was sent by the survivor, and only after its lease had ended.
    for (id, kind, _, _, claimed_until) in &orphans {
        let (status, attempts, sent_at): (String, i64, i64) =
            sqlx::query_as("SELECT status, attempts, sent_at FROM outbox WHERE id = $1")
                .bind(id)
                .fetch_one(&cluster.db)
                .await
                .unwrap();
        assert_eq!(status, "sent", "{kind} write {id}");
        assert!(
            attempts >= 2,
            "{kind} write {id} was sent without a second attempt"
        );
        assert!(
            sent_at >= *claimed_until,
            "{kind} write {id} was taken over {} ms before its lease ended",
            claimed_until - sent_at
        );
    }
}
