//! Two `tryout serve` processes on one PostgreSQL database and one Lever simulator: 200
//! candidates submit quizzes through both, and Lever ends up with exactly one note and one
//! stage move per candidate, also when one process is killed while it has writes claimed.

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

    // The first candidate answers through one process and submits through the other; each
    // process reads what the other wrote.
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

#[tokio::test]
async fn postgres_killed_process_loses_and_doubles_nothing() {
    let database = PostgresDatabase::create().await;
    let mut cluster = Cluster::start(&options(&database)).await.unwrap();
    cluster.connect_lever().await.unwrap();

    take_quizzes(&cluster, 0..CANDIDATES / 2, |index| index % 2).await;

    // Kill the first process while both hold a claimed write: its claim outlives it.
    let claimed = loop {
        let sending: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sending'")
                .fetch_one(&cluster.db)
                .await
                .unwrap();
        if sending >= 2 {
            cluster.processes[0].kill().await.unwrap();
            break sending;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    assert!(claimed >= 2);

    take_quizzes(&cluster, CANDIDATES / 2..CANDIDATES, |_| 1).await;
    assert_each_write_landed_once(&cluster).await;

    let reclaimed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE attempts > 1")
        .fetch_one(&cluster.db)
        .await
        .unwrap();
    assert!(
        reclaimed >= 1,
        "no write was taken over from the killed process"
    );
}
