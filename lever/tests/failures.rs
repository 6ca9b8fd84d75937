//! Rate limits, server errors, timeouts and lost responses over real
//! HTTP, injected through the simulator's knobs.

mod common;

use std::time::{Duration, Instant};

use common::*;
use lever::simulator::{FailNext, KnobsUpdate, LoseMode, LoseNext, SimConfig};
use lever::{LeverClient, LeverError, NewNote};
use serde_json::json;

fn note(value: &str) -> NewNote {
    NewNote {
        value: value.to_string(),
        score: Some(3),
        secret: false,
        notify_followers: false,
    }
}

#[tokio::test]
async fn injected_429_without_retry_after() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    harness
        .knobs(json!({ "fail_next": { "status": 429, "count": 1 } }))
        .await;

    let limited = harness.client.list_stages(&token).await;
    let after = harness.client.list_stages(&token).await;

    match limited {
        Err(error @ LeverError::RateLimited { .. }) => {
            assert_eq!(error.retry_after(), None);
            assert!(error.is_retryable());
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert!(after.is_ok(), "{after:?}");
}

#[tokio::test]
async fn injected_429_with_retry_after() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    harness
        .knobs(json!({ "fail_next": { "status": 429, "count": 1, "retry_after_secs": 7 } }))
        .await;

    let limited = harness.client.list_users(&token).await;

    match limited {
        Err(error @ LeverError::RateLimited { .. }) => {
            assert_eq!(error.retry_after(), Some(Duration::from_secs(7)))
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

#[tokio::test]
async fn rate_limit_bucket_answers_429() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    harness
        .knobs(json!({ "rate_limit_per_second": 0.5, "rate_limit_burst": 3, "rate_limit_retry_after": true }))
        .await;

    let mut outcomes = Vec::new();
    for _ in 0..4 {
        outcomes.push(harness.client.get_opportunity(&token, "opp-0000").await);
    }

    assert!(outcomes[..3].iter().all(Result::is_ok), "{outcomes:?}");
    match &outcomes[3] {
        Err(LeverError::RateLimited { retry_after }) => {
            let wait = retry_after.expect("Retry-After is sent when the knob is on");
            assert!(
                wait >= Duration::from_secs(1) && wait <= Duration::from_secs(2),
                "{wait:?}"
            );
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

#[tokio::test]
async fn rate_limit_code_is_too_many_requests() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    harness
        .knobs(json!({ "rate_limit_per_second": 0.5, "rate_limit_burst": 1 }))
        .await;
    harness.client.list_stages(&token).await.unwrap();

    let response = harness
        .browser
        .get(harness.url("v1/stages"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 429);
    assert!(response.headers().get("retry-after").is_none());
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "TooManyRequests");
}

#[tokio::test]
async fn default_rate_limit_allows_burst_of_twenty() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let mut statuses = Vec::new();
    for _ in 0..25 {
        let response = harness
            .browser
            .get(harness.url("v1/stages"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }

    let limited = statuses.iter().filter(|status| **status == 429).count();
    assert!(
        statuses[..20].iter().all(|status| *status == 200),
        "{statuses:?}"
    );
    assert!(limited >= 1, "{statuses:?}");
}

#[tokio::test]
async fn injected_503_is_server_error() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    harness
        .knobs(json!({ "fail_next": { "status": 503, "count": 2, "path_prefix": "/v1/opportunities" } }))
        .await;

    let other_path = harness.client.list_stages(&token).await;
    let first = harness.client.get_opportunity(&token, "opp-0000").await;
    let second = harness.client.get_opportunity(&token, "opp-0000").await;
    let third = harness.client.get_opportunity(&token, "opp-0000").await;

    assert!(other_path.is_ok(), "{other_path:?}");
    assert!(
        matches!(first, Err(LeverError::Server { status: 503 })),
        "{first:?}"
    );
    assert!(
        matches!(second, Err(LeverError::Server { status: 503 })),
        "{second:?}"
    );
    assert!(third.is_ok(), "{third:?}");
}

#[tokio::test]
async fn token_endpoint_503_is_server_error() {
    let harness = start().await;
    let refresh = harness.connect().await.refresh_token.unwrap();
    harness
        .knobs(json!({ "fail_next": { "status": 503, "count": 1, "path_prefix": "/oauth/token" } }))
        .await;

    let failed = harness.client.refresh(&refresh).await;
    let retried = harness.client.refresh(&refresh).await;

    assert!(
        matches!(failed, Err(LeverError::Server { status: 503 })),
        "{failed:?}"
    );
    assert!(retried.is_ok(), "{retried:?}");
}

#[tokio::test]
async fn lost_response_note_still_created() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    harness
        .knobs(json!({ "lose_next_responses": { "count": 1, "path_prefix": "/v1/opportunities/opp-0000/notes" } }))
        .await;

    let result = harness
        .client
        .create_note(&token, "opp-0000", &note("Lost reply"), None)
        .await;

    assert!(
        matches!(
            result,
            Err(LeverError::Timeout) | Err(LeverError::Server { .. })
        ),
        "{result:?}"
    );
    let snapshot = harness.sim.simulator.snapshot();
    let notes = &snapshot.opportunity("opp-0000").unwrap().notes;
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].value, "Lost reply");
}

#[tokio::test]
async fn hung_response_times_out_after_write() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    let impatient = LeverClient::new(
        harness.sim.hosts(),
        app(&SimConfig::default()),
        Duration::from_millis(300),
    )
    .unwrap();
    harness
        .sim
        .simulator
        .update_knobs(KnobsUpdate {
            lose_next_responses: Some(LoseNext {
                count: 1,
                path_prefix: Some("/v1/opportunities/opp-0001/stage".to_string()),
                mode: LoseMode::Hang,
                hang_ms: Some(2_000),
            }),
            ..KnobsUpdate::default()
        })
        .unwrap();

    let started = Instant::now();
    let result = impatient
        .change_stage(&token, "opp-0001", SCREEN_STAGE, None)
        .await;

    assert!(matches!(result, Err(LeverError::Timeout)), "{result:?}");
    assert!(
        started.elapsed() < Duration::from_millis(1_500),
        "{:?}",
        started.elapsed()
    );
    let snapshot = harness.sim.simulator.snapshot();
    assert_eq!(
        snapshot.opportunity("opp-0001").unwrap().stage.as_deref(),
        Some(SCREEN_STAGE)
    );
}

#[tokio::test]
async fn latency_knob_causes_timeout() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    let impatient = LeverClient::new(
        harness.sim.hosts(),
        app(&SimConfig::default()),
        Duration::from_millis(200),
    )
    .unwrap();
    harness.knobs(json!({ "latency_ms": 600 })).await;

    let result = impatient.list_stages(&token).await;

    assert!(matches!(result, Err(LeverError::Timeout)), "{result:?}");
}

#[tokio::test]
async fn stopped_simulator_is_connect_error() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    let client = harness.client.clone();
    drop(harness.sim);
    // Aborting the server task closes the listener on the runtime's next turn.
    tokio::time::sleep(Duration::from_millis(50)).await;

    let result = client.list_stages(&token).await;

    match result {
        Err(error @ LeverError::Connect(_)) => assert!(error.is_retryable()),
        other => panic!("expected Connect, got {other:?}"),
    }
}

#[tokio::test]
async fn reset_clears_knobs() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    harness
        .sim
        .simulator
        .update_knobs(KnobsUpdate {
            fail_next: Some(FailNext {
                status: 500,
                count: 5,
                path_prefix: None,
                retry_after_secs: None,
            }),
            latency_ms: Some(10),
            ..KnobsUpdate::default()
        })
        .unwrap();

    let response = harness
        .browser
        .post(harness.url("_sim/reset"))
        .send()
        .await
        .unwrap();
    let view: serde_json::Value = response.json().await.unwrap();

    assert_eq!(view["fail_next"], serde_json::Value::Null);
    assert_eq!(view["latency_ms"], 0);
    assert!(harness.client.list_stages(&token).await.is_ok());
}

#[tokio::test]
async fn invalid_knobs_rejected() {
    let harness = start().await;

    for body in [
        json!({ "refresh_error_status": 418 }),
        json!({ "fail_next": { "status": 200, "count": 1 } }),
        json!({ "latency_msec": 5 }),
    ] {
        let response = harness
            .browser
            .post(harness.url("_sim/knobs"))
            .json(&body)
            .send()
            .await
            .unwrap();

        assert_eq!(response.status().as_u16(), 400, "{body}");
    }
}

#[tokio::test]
async fn state_counts_requests_per_endpoint() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    harness
        .client
        .get_opportunity(&token, "opp-0000")
        .await
        .unwrap();
    harness
        .client
        .get_opportunity(&token, "opp-0001")
        .await
        .unwrap();

    let state = harness.state().await;

    assert_eq!(state["requestCounts"]["GET /v1/opportunities/:id"], 2);
    assert_eq!(state["requestCounts"]["POST /oauth/token"], 1);
    assert_eq!(state["tokensIssued"], 1);
}
