//! Webhook deliveries from the simulator to a receiver on 127.0.0.1: the
//! settings switch, signatures, payloads, retries, timeouts, duplicates
//! and dropped events.

mod common;

use std::time::Duration;

use common::receiver::{Received, Receiver};
use common::*;
use lever::simulator::DeliveryAttempt;
use lever::{
    ArchiveChangeData, CreatedWebhook, DeletedData, OpportunityFilter, StageChangeData,
    CANDIDATE_ARCHIVE_CHANGE, CANDIDATE_DELETED, CANDIDATE_STAGE_CHANGE,
};
use serde_json::{json, Value};

/// A connected harness with a receiver and one webhook per event in
/// `events`, all switched on, retrying after 10 ms.
struct Setup {
    harness: Harness,
    receiver: Receiver,
    token: String,
    webhooks: Vec<CreatedWebhook>,
}

async fn setup(events: &[&str]) -> Setup {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    let receiver = Receiver::start().await;

    let mut webhooks = Vec::new();
    for event in events {
        let created = harness
            .client
            .create_webhook(&token, &receiver.url, event)
            .await
            .unwrap();
        receiver.trust(&created.signature_token);
        webhooks.push(created);
    }
    harness
        .knobs(json!({
            "webhook_events_enabled": events,
            "webhook_retry_base_ms": 10,
        }))
        .await;

    Setup {
        harness,
        receiver,
        token,
        webhooks,
    }
}

fn deliveries(harness: &Harness) -> Vec<DeliveryAttempt> {
    harness.sim.simulator.webhook_deliveries()
}

/// Waits until the delivery log contains `count` attempts and returns them.
async fn logged(harness: &Harness, count: usize) -> Vec<DeliveryAttempt> {
    eventually(&format!("{count} logged delivery attempts"), || {
        let attempts = deliveries(harness);
        (attempts.len() >= count).then_some(attempts)
    })
    .await
}

fn stage_change(received: &Received) -> StageChangeData {
    received.delivery.data_as().unwrap()
}

#[tokio::test]
async fn api_stage_change_delivered_signed() {
    let mut setup = setup(&[CANDIDATE_STAGE_CHANGE]).await;

    setup
        .harness
        .client
        .change_stage(&setup.token, "opp-0001", SCREEN_STAGE, Some(ADMIN_ID))
        .await
        .unwrap();
    let received = setup.receiver.next().await;

    assert!(received.verified, "{received:?}");
    assert_eq!(received.status, 200);
    assert_eq!(received.user_agent.as_deref(), Some("Lever-Webhooks"));
    assert_eq!(received.content_type.as_deref(), Some("application/json"));
    assert_eq!(received.delivery.event, CANDIDATE_STAGE_CHANGE);
    assert_eq!(received.delivery.token.len(), 48);
    assert!(received.delivery.id.is_some());
    assert!(lever::webhook::verify(
        &setup.webhooks[0].signature_token,
        &received.delivery.token,
        received.delivery.triggered_at,
        received.delivery.signature.as_deref().unwrap(),
    ));

    let data = stage_change(&received);
    assert_eq!(data.opportunity_id, "opp-0001");
    assert_eq!(data.candidate_id.as_deref(), Some("opp-0001"));
    assert_eq!(data.contact_id.as_deref(), Some("contact-0001"));
    assert_eq!(data.from_stage_id.as_deref(), Some("lead-new"));
    assert_eq!(data.to_stage_id, SCREEN_STAGE);

    let snapshot = setup.harness.sim.simulator.snapshot();
    let opportunity = snapshot.opportunity("opp-0001").unwrap();
    assert_eq!(
        opportunity.last_advanced_at,
        Some(received.delivery.triggered_at)
    );
}

#[tokio::test]
async fn signature_fails_with_other_token() {
    let mut setup = setup(&[CANDIDATE_STAGE_CHANGE]).await;

    setup
        .harness
        .sim
        .simulator
        .move_to_stage("opp-0001", SCREEN_STAGE)
        .unwrap();
    let received = setup.receiver.next().await;

    let signature = received.delivery.signature.as_deref().unwrap();
    assert!(received.verified);
    assert!(!lever::webhook::verify(
        "another-signature-token",
        &received.delivery.token,
        received.delivery.triggered_at,
        signature,
    ));
}

#[tokio::test]
async fn nothing_delivered_while_switched_off() {
    let mut setup = setup(&[CANDIDATE_STAGE_CHANGE]).await;
    setup
        .harness
        .knobs(json!({ "webhook_events_enabled": [] }))
        .await;

    setup
        .harness
        .sim
        .simulator
        .move_to_stage("opp-0001", SCREEN_STAGE)
        .unwrap();
    let enabled = setup
        .harness
        .browser
        .post(setup.harness.url("settings/webhooks"))
        .form(&[("event", CANDIDATE_STAGE_CHANGE), ("enabled", "on")])
        .send()
        .await
        .unwrap();
    setup
        .harness
        .sim
        .simulator
        .move_to_stage("opp-0003", SCREEN_STAGE)
        .unwrap();
    let received = setup.receiver.next().await;

    assert_eq!(enabled.status().as_u16(), 303);
    assert_eq!(stage_change(&received).opportunity_id, "opp-0003");
    let attempts = logged(&setup.harness, 1).await;
    assert_eq!(attempts.len(), 1, "{attempts:?}");
    assert_eq!(attempts[0].token, received.delivery.token);
    assert!(setup.receiver.try_next().is_none());
}

#[tokio::test]
async fn only_subscribed_event_delivered() {
    let mut setup = setup(&[CANDIDATE_DELETED]).await;
    setup
        .harness
        .knobs(json!({ "webhook_events_enabled": [CANDIDATE_STAGE_CHANGE, CANDIDATE_DELETED] }))
        .await;

    setup
        .harness
        .sim
        .simulator
        .move_to_stage("opp-0001", SCREEN_STAGE)
        .unwrap();
    setup
        .harness
        .sim
        .simulator
        .delete_opportunity("opp-0002")
        .unwrap();
    let received = setup.receiver.next().await;

    assert_eq!(received.delivery.event, CANDIDATE_DELETED);
    let data: DeletedData = received.delivery.data_as().unwrap();
    assert_eq!(data.opportunity_id, "opp-0002");
    assert_eq!(data.contact_id.as_deref(), Some("contact-0002"));
}

#[tokio::test]
async fn archive_and_unarchive_delivered() {
    let mut setup = setup(&[CANDIDATE_ARCHIVE_CHANGE]).await;

    setup
        .harness
        .client
        .archive(&setup.token, "opp-0001", FAILED_REASON, None)
        .await
        .unwrap();
    let archived = setup.receiver.next().await;
    setup
        .harness
        .client
        .unarchive(&setup.token, "opp-0001", None)
        .await
        .unwrap();
    let unarchived = setup.receiver.next().await;

    assert!(archived.verified);
    assert_eq!(archived.delivery.event, CANDIDATE_ARCHIVE_CHANGE);
    let archived_data: ArchiveChangeData = archived.delivery.data_as().unwrap();
    assert_eq!(archived_data.opportunity_id, "opp-0001");
    let state = archived_data
        .archived
        .expect("archived state in the payload");
    assert_eq!(state.reason.as_deref(), Some(FAILED_REASON));
    assert_eq!(state.archived_at, Some(archived.delivery.triggered_at));

    let unarchived_data: ArchiveChangeData = unarchived.delivery.data_as().unwrap();
    assert_eq!(unarchived_data.archived, None);
    assert_ne!(archived.delivery.token, unarchived.delivery.token);
}

#[tokio::test]
async fn same_stage_not_delivered() {
    let mut setup = setup(&[CANDIDATE_STAGE_CHANGE]).await;

    // opp-0000 already sits in the assessment stage.
    setup
        .harness
        .sim
        .simulator
        .move_to_stage("opp-0000", ASSESSMENT_STAGE)
        .unwrap();
    setup
        .harness
        .sim
        .simulator
        .move_to_stage("opp-0001", SCREEN_STAGE)
        .unwrap();
    let received = setup.receiver.next().await;

    assert_eq!(stage_change(&received).opportunity_id, "opp-0001");
    assert_eq!(logged(&setup.harness, 1).await.len(), 1);
}

#[tokio::test]
async fn retried_after_server_error() {
    let mut setup = setup(&[CANDIDATE_STAGE_CHANGE]).await;
    setup.receiver.fail_next(2);

    setup
        .harness
        .sim
        .simulator
        .move_to_stage("opp-0001", SCREEN_STAGE)
        .unwrap();
    let first = setup.receiver.next().await;
    let second = setup.receiver.next().await;
    let third = setup.receiver.next().await;

    assert_eq!(first.status, 500);
    assert_eq!(second.status, 500);
    assert_eq!(third.status, 200);
    assert_eq!(first.delivery.token, third.delivery.token);
    assert_eq!(first.delivery.signature, third.delivery.signature);

    let attempts = logged(&setup.harness, 3).await;
    let statuses: Vec<Option<u16>> = attempts.iter().map(|attempt| attempt.status).collect();
    let numbers: Vec<u32> = attempts.iter().map(|attempt| attempt.attempt).collect();
    assert_eq!(statuses, vec![Some(500), Some(500), Some(200)]);
    assert_eq!(numbers, vec![1, 2, 3]);
    assert_eq!(attempts[0].webhook_id, setup.webhooks[0].id);
    assert_eq!(attempts[0].url, setup.receiver.url);

    let snapshot = eventually("attempt counts", || {
        let snapshot = setup.harness.sim.simulator.snapshot();
        (snapshot.webhook_attempts_delivered == 1).then_some(snapshot)
    })
    .await;
    assert_eq!(snapshot.webhook_attempts_failed, 2);
}

#[tokio::test]
async fn gives_up_after_five_retries() {
    let mut setup = setup(&[CANDIDATE_STAGE_CHANGE]).await;
    setup.receiver.fail_next(100);

    setup
        .harness
        .sim
        .simulator
        .move_to_stage("opp-0001", SCREEN_STAGE)
        .unwrap();
    for _ in 0..6 {
        assert_eq!(setup.receiver.next().await.status, 500);
    }

    let attempts = logged(&setup.harness, 6).await;
    assert_eq!(
        attempts
            .iter()
            .map(|attempt| attempt.attempt)
            .collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5, 6]
    );
    // A seventh attempt would come 320 ms after the sixth. The next change's
    // delivery is sent at once, so it must be the next request.
    setup.receiver.fail_next(0);
    setup
        .harness
        .sim
        .simulator
        .move_to_stage("opp-0003", SCREEN_STAGE)
        .unwrap();
    let next = setup.receiver.next().await;
    assert_eq!(stage_change(&next).opportunity_id, "opp-0003");
}

#[tokio::test]
async fn retried_after_timeout() {
    let mut setup = setup(&[CANDIDATE_STAGE_CHANGE]).await;
    setup
        .harness
        .knobs(json!({ "webhook_timeout_ms": 200 }))
        .await;
    setup.receiver.stall_next(1, Duration::from_secs(3));

    setup
        .harness
        .sim
        .simulator
        .move_to_stage("opp-0001", SCREEN_STAGE)
        .unwrap();
    let attempts = eventually("a delivered attempt", || {
        let attempts = deliveries(&setup.harness);
        attempts
            .iter()
            .any(|attempt| attempt.status == Some(200))
            .then_some(attempts)
    })
    .await;

    assert_eq!(attempts[0].attempt, 1);
    assert_eq!(attempts[0].status, None);
    assert_eq!(attempts[1].attempt, 2);
    assert_eq!(attempts[1].status, Some(200));
    let received = setup.receiver.next().await;
    assert_eq!(received.delivery.token, attempts[1].token);
}

#[tokio::test]
async fn duplicates_keep_token_and_signature() {
    let mut setup = setup(&[CANDIDATE_STAGE_CHANGE]).await;
    setup
        .harness
        .knobs(json!({ "webhook_duplicates": 2 }))
        .await;

    setup
        .harness
        .sim
        .simulator
        .move_to_stage("opp-0001", SCREEN_STAGE)
        .unwrap();
    let copies = [
        setup.receiver.next().await,
        setup.receiver.next().await,
        setup.receiver.next().await,
    ];

    for copy in &copies {
        assert!(copy.verified);
        assert_eq!(copy.delivery.token, copies[0].delivery.token);
        assert_eq!(copy.delivery.signature, copies[0].delivery.signature);
        assert_eq!(copy.delivery.id, copies[0].delivery.id);
        assert_eq!(copy.delivery.triggered_at, copies[0].delivery.triggered_at);
    }
    let attempts = logged(&setup.harness, 3).await;
    assert_eq!(
        attempts
            .iter()
            .map(|attempt| attempt.copy)
            .collect::<Vec<_>>(),
        vec![0, 1, 2]
    );
}

#[tokio::test]
async fn dropped_event_found_by_polling() {
    let mut setup = setup(&[CANDIDATE_STAGE_CHANGE]).await;
    setup
        .harness
        .knobs(json!({ "drop_next_webhooks": 1 }))
        .await;

    let dropped = setup
        .harness
        .sim
        .simulator
        .move_to_stage("opp-0001", SCREEN_STAGE)
        .unwrap();
    setup
        .harness
        .sim
        .simulator
        .move_to_stage("opp-0003", SCREEN_STAGE)
        .unwrap();
    let received = setup.receiver.next().await;

    assert_eq!(stage_change(&received).opportunity_id, "opp-0003");
    assert_eq!(
        setup.harness.knobs(json!({})).await["drop_next_webhooks"],
        0
    );

    let polled = setup
        .harness
        .client
        .list_opportunities(
            &setup.token,
            &OpportunityFilter {
                stage_id: Some(SCREEN_STAGE.to_string()),
                advanced_at_start: dropped.last_advanced_at,
                archived: Some(false),
                ..OpportunityFilter::default()
            },
        )
        .await
        .unwrap();
    let ids: Vec<&str> = polled
        .iter()
        .map(|opportunity| opportunity.id.as_str())
        .collect();
    assert!(ids.contains(&"opp-0001"), "{ids:?}");
    assert_eq!(logged(&setup.harness, 1).await.len(), 1);
}

#[tokio::test]
async fn every_subscribed_webhook_delivered() {
    let mut setup = setup(&[CANDIDATE_STAGE_CHANGE, CANDIDATE_STAGE_CHANGE]).await;

    setup
        .harness
        .sim
        .simulator
        .move_to_stage("opp-0001", SCREEN_STAGE)
        .unwrap();
    let first = setup.receiver.next().await;
    let second = setup.receiver.next().await;

    assert!(first.verified);
    assert!(second.verified);
    assert_eq!(first.delivery.id, second.delivery.id);
    assert_ne!(first.delivery.token, second.delivery.token);
    let attempts = logged(&setup.harness, 2).await;
    let mut webhook_ids: Vec<&str> = attempts
        .iter()
        .map(|attempt| attempt.webhook_id.as_str())
        .collect();
    webhook_ids.sort();
    let mut expected: Vec<&str> = setup
        .webhooks
        .iter()
        .map(|webhook| webhook.id.as_str())
        .collect();
    expected.sort();
    assert_eq!(webhook_ids, expected);
}

#[tokio::test]
async fn deleted_webhook_gets_nothing() {
    let mut setup = setup(&[CANDIDATE_STAGE_CHANGE, CANDIDATE_DELETED]).await;
    setup
        .harness
        .client
        .delete_webhook(&setup.token, &setup.webhooks[0].id)
        .await
        .unwrap();

    setup
        .harness
        .sim
        .simulator
        .move_to_stage("opp-0001", SCREEN_STAGE)
        .unwrap();
    setup
        .harness
        .sim
        .simulator
        .delete_opportunity("opp-0003")
        .unwrap();
    let received = setup.receiver.next().await;

    assert_eq!(received.delivery.event, CANDIDATE_DELETED);
    assert_eq!(logged(&setup.harness, 1).await.len(), 1);
}

#[tokio::test]
async fn deliveries_listed_over_http() {
    let mut setup = setup(&[CANDIDATE_STAGE_CHANGE]).await;

    let moved = setup
        .harness
        .browser
        .post(setup.harness.url("_sim/opportunities/opp-0001/stage"))
        .json(&json!({ "stage": SCREEN_STAGE }))
        .send()
        .await
        .unwrap();
    let received = setup.receiver.next().await;
    logged(&setup.harness, 1).await;
    let listed: Vec<Value> = setup
        .harness
        .browser
        .get(setup.harness.url("_sim/webhooks/deliveries"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert_eq!(moved.status().as_u16(), 200);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["event"], CANDIDATE_STAGE_CHANGE);
    assert_eq!(listed[0]["token"], received.delivery.token.as_str());
    assert_eq!(listed[0]["status"], 200);
    assert_eq!(listed[0]["attempt"], 1);
    assert_eq!(listed[0]["webhook_id"], setup.webhooks[0].id.as_str());
    assert_eq!(listed[0]["url"], setup.receiver.url.as_str());
    assert!(listed[0]["at"].is_i64());
    let state = setup.harness.state().await;
    assert_eq!(state["webhookAttemptsDelivered"], 1);
    assert_eq!(state["webhookAttemptsFailed"], 0);
}
