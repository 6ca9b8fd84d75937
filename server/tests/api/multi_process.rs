//! `tryout serve` processes on one database and one Lever simulator. Two processes on
//! PostgreSQL take 200 quizzes between them, and Lever ends up with exactly one note and one
//! stage move or archive per candidate. The same exact state results when a process is
//! killed with SIGKILL while a write is in flight and then started again: with two
//! processes on PostgreSQL, and with the only process on SQLite.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use app::domain::quiz::AttemptStatus;
use reqwest::Client;
use server::demo::lever_account::{FAIL_ARCHIVE_REASON_ID, INVITE_STAGE_ID, PASS_STAGE_ID};
use server::load::answers::AnswerSheet;
use server::load::candidate::{
    answer_all, complete_guide, load_portal, load_quiz, portal_steps, start_quiz, submit_quiz,
    take_quiz_with, token_of,
};
use server::load::{Cluster, ClusterOptions};
use server::outbox::send::marker_line;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::helpers::PostgresDatabase;

const CANDIDATES: usize = 200;
/// Quizzes in flight at once.
const CONCURRENCY: usize = 8;
/// How long a process's claim on a write lasts; a killed process's writes wait this long.
const OUTBOX_LEASE_SECS: u64 = 5;

/// Tryout's shared pace is below the simulator's limit, and two unshared paces would be
/// above it: any 429 in a run means the processes did not share the pace.
fn options(database_url: &str, processes: usize, candidates: usize) -> ClusterOptions {
    ClusterOptions {
        database_url: database_url.into(),
        binary: env!("CARGO_BIN_EXE_tryout").into(),
        processes,
        candidates,
        lever_requests_per_second: 20,
        lever_request_timeout_secs: 2,
        outbox_lease_secs: OUTBOX_LEASE_SECS,
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
            take_quiz_with(&http, &base, &token, AnswerSheet::for_candidate(index))
                .await
                .map_err(|error| format!("candidate {index}: {error:#}"))
        });
    }

    while let Some(result) = quizzes.join_next().await {
        result.expect("a quiz task panicked").unwrap();
    }
}

/// Waits until the outbox is drained and asserts the exact state each candidate's answer
/// sheet must leave: in Lever one note (the outbox row's own, found by its marker) with the
/// sheet's score and score line, and exactly one stage move to the pass stage or one archive
/// with the fail reason; in the outbox only sent rows; and no 429 from Lever.
async fn assert_exact_final_state(cluster: &Cluster) {
    let lever = cluster
        .wait_until_drained(Duration::from_secs(180))
        .await
        .unwrap();
    let candidates = cluster.candidates.len();

    let statuses: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status ORDER BY status")
            .fetch_all(&cluster.db)
            .await
            .unwrap();
    assert_eq!(
        statuses,
        vec![("sent".to_string(), 2 * candidates as i64)],
        "a note and a stage move or archive per candidate, all sent"
    );
    let markers: HashMap<String, String> =
        sqlx::query_as("SELECT opportunity_id, marker FROM outbox WHERE kind = 'note'")
            .fetch_all(&cluster.db)
            .await
            .unwrap()
            .into_iter()
            .collect();

    for (index, candidate) in cluster.candidates.iter().enumerate() {
        let sheet = AnswerSheet::for_candidate(index);
        let name = &candidate.name;
        let opportunity = lever
            .opportunity(&candidate.opportunity_id)
            .expect("the simulator holds every opportunity");

        assert_eq!(
            opportunity.notes.len(),
            1,
            "{name} ({sheet:?}) has these notes: {:#?}",
            opportunity.notes
        );
        let note = &opportunity.notes[0];
        assert_eq!(note.score, Some(sheet.lever_score()), "{name} ({sheet:?})");
        assert!(
            note.value.contains(sheet.score_line()),
            "{name} ({sheet:?}) lacks {:?}: {}",
            sheet.score_line(),
            note.value
        );
        assert!(
            note.value
                .contains(&marker_line(&markers[&candidate.opportunity_id])),
            "{name}: the note is not the outbox row's: {}",
            note.value
        );

        let reason = opportunity
            .archived
            .as_ref()
            .and_then(|archived| archived.reason.as_deref());
        if sheet.passes() {
            assert_eq!(opportunity.stage.as_deref(), Some(PASS_STAGE_ID), "{name}");
            assert_eq!(
                opportunity.stage_changes.len(),
                1,
                "{name} has {} stage moves",
                opportunity.stage_changes.len()
            );
            assert_eq!(reason, None, "{name} was archived");
            assert_eq!(opportunity.archive_changes, 0, "{name} was archived");
        } else {
            assert_eq!(
                opportunity.stage.as_deref(),
                Some(INVITE_STAGE_ID),
                "{name} was moved"
            );
            assert!(opportunity.stage_changes.is_empty(), "{name} was moved");
            assert_eq!(reason, Some(FAIL_ARCHIVE_REASON_ID), "{name}");
            assert_eq!(
                opportunity.archive_changes, 1,
                "{name} was archived {} times",
                opportunity.archive_changes
            );
        }
    }
    assert_eq!(
        lever.rate_limited_responses, 0,
        "Lever's rate limit was hit, so the pace was not shared"
    );
}

#[tokio::test]
async fn postgres_two_processes_send_each_write_once() {
    let database = PostgresDatabase::create().await;
    let cluster = Cluster::start(&options(&database.url, 2, CANDIDATES))
        .await
        .unwrap();
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
    assert_exact_final_state(&cluster).await;
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
        "stage" => !opportunity.stage_changes.is_empty(),
        _ => opportunity.archive_changes > 0,
    }
}

/// Kills the process at `index` with SIGKILL at a moment when one of its writes has
/// reached Lever but the outbox does not know yet, and returns the writes it had claimed.
///
/// The process is frozen (SIGSTOP), and its claims are read from the outbox. Other processes'
/// claims turn over within a second, so after a second's wait a claim made before the
/// freeze belongs to the frozen process. If none of its writes is in flight, it runs a
/// little longer and the search starts again.
async fn kill_with_write_in_flight(cluster: &mut Cluster, index: usize) -> Vec<Orphan> {
    let lease_ms = OUTBOX_LEASE_SECS as i64 * 1000;
    let started = std::time::Instant::now();
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "process {index} never held a write in flight"
        );
        cluster.processes[index].pause().unwrap();
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
            cluster.processes[index].kill().await.unwrap();
            return orphans;
        }

        cluster.processes[index].resume().unwrap();
        tokio::time::sleep(Duration::from_millis(
            30 + 17 * (started.elapsed().as_millis() as u64 % 7),
        ))
        .await;
    }
}

/// Asserts each orphan was sent again, and only after its lease had ended.
async fn assert_orphans_taken_over(cluster: &Cluster, orphans: &[Orphan]) {
    for (id, kind, _, _, claimed_until) in orphans {
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

#[tokio::test]
async fn postgres_killed_process_loses_and_doubles_nothing() {
    let database = PostgresDatabase::create().await;
    let mut cluster = Cluster::start(&options(&database.url, 2, CANDIDATES))
        .await
        .unwrap();
    cluster.connect_lever().await.unwrap();
    // Slow responses keep each claim open for a while, so a freeze often lands mid-request.
    cluster.set_lever_latency(100).await.unwrap();

    take_quizzes(&cluster, 0..CANDIDATES / 2, |index| index % 2).await;
    let orphans = kill_with_write_in_flight(&mut cluster, 0).await;
    cluster.restart_process(0).await.unwrap();

    take_quizzes(&cluster, CANDIDATES / 2..CANDIDATES, |index| index % 2).await;
    assert_exact_final_state(&cluster).await;
    assert_orphans_taken_over(&cluster, &orphans).await;
}

/// SQLite serves one process, so here the killed process is the only one: nothing sends
/// until it is started again, and the restarted process takes over its claims.
#[tokio::test]
async fn sqlite_killed_process_restarts_without_loss() {
    const SQLITE_CANDIDATES: usize = 100;
    let directory = tempfile::tempdir().unwrap();
    let database_url = server::config::sqlite_url(&directory.path().join("tryout.db"));
    let mut cluster = Cluster::start(&options(&database_url, 1, SQLITE_CANDIDATES))
        .await
        .unwrap();
    cluster.connect_lever().await.unwrap();
    cluster.set_lever_latency(100).await.unwrap();

    take_quizzes(&cluster, 0..SQLITE_CANDIDATES / 2, |_| 0).await;
    let orphans = kill_with_write_in_flight(&mut cluster, 0).await;
    cluster.restart_process(0).await.unwrap();

    take_quizzes(&cluster, SQLITE_CANDIDATES / 2..SQLITE_CANDIDATES, |_| 0).await;
    assert_exact_final_state(&cluster).await;
    assert_orphans_taken_over(&cluster, &orphans).await;
}
