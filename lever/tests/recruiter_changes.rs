//! Changes scripted on Lever's side through the admin routes (stage moves,
//! archiving, deletion), the deleted-opportunities list, the
//! `archived_at_start` filter, and the webhooks settings page.

mod common;

use common::*;
use lever::simulator::{OpportunitySnapshot, Seed};
use lever::OpportunityFilter;
use serde_json::{json, Value};

#[tokio::test]
async fn admin_stage_move_recorded() {
    let harness = start().await;

    let response = harness
        .browser
        .post(harness.url("_sim/opportunities/opp-0001/stage"))
        .json(&json!({ "stage": SCREEN_STAGE }))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 200);
    let moved: OpportunitySnapshot = response.json().await.unwrap();
    assert_eq!(moved.stage.as_deref(), Some(SCREEN_STAGE));
    assert_eq!(moved.stage_changes.len(), 1);
    assert_eq!(moved.stage_changes[0].to_stage_id, SCREEN_STAGE);
    assert_eq!(moved.stage_changes[0].to_stage_index, Some(2));
    assert_eq!(moved.stage_changes[0].user_id, None);
    assert!(moved.last_advanced_at > Some(BASE_TIME));
    assert_eq!(moved.updated_at, moved.last_advanced_at);
}

#[tokio::test]
async fn admin_stage_move_rejects_unknowns() {
    let harness = start().await;

    let unknown_stage = harness
        .browser
        .post(harness.url("_sim/opportunities/opp-0001/stage"))
        .json(&json!({ "stage": "stage-nowhere" }))
        .send()
        .await
        .unwrap();
    let unknown_opportunity = harness
        .browser
        .post(harness.url("_sim/opportunities/opp-9999/stage"))
        .json(&json!({ "stage": SCREEN_STAGE }))
        .send()
        .await
        .unwrap();
    let missing_stage = harness
        .browser
        .post(harness.url("_sim/opportunities/opp-0001/stage"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();

    assert_eq!(unknown_stage.status().as_u16(), 400);
    assert_eq!(unknown_opportunity.status().as_u16(), 404);
    assert_eq!(missing_stage.status().as_u16(), 400);
    assert!(harness
        .sim
        .simulator
        .snapshot()
        .opportunity("opp-0001")
        .unwrap()
        .stage_changes
        .is_empty());
}

#[tokio::test]
async fn admin_archive_and_unarchive() {
    let harness = start().await;

    let archived = harness
        .browser
        .post(harness.url("_sim/opportunities/opp-0001/archive"))
        .json(&json!({ "reason": FAILED_REASON }))
        .send()
        .await
        .unwrap();
    let archived: OpportunitySnapshot = archived.json().await.unwrap();
    let unarchived = harness
        .browser
        .post(harness.url("_sim/opportunities/opp-0001/archive"))
        .json(&json!({ "reason": null }))
        .send()
        .await
        .unwrap();
    let unarchived: OpportunitySnapshot = unarchived.json().await.unwrap();
    let inactive = harness
        .browser
        .post(harness.url("_sim/opportunities/opp-0001/archive"))
        .json(&json!({ "reason": INACTIVE_REASON }))
        .send()
        .await
        .unwrap();

    let state = archived.archived.expect("archived");
    assert_eq!(state.reason.as_deref(), Some(FAILED_REASON));
    assert!(state.archived_at.is_some());
    assert_eq!(unarchived.archived, None);
    assert_eq!(inactive.status().as_u16(), 400);
}

#[tokio::test]
async fn admin_delete_moves_to_deleted_list() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let deleted = harness
        .browser
        .delete(harness.url("_sim/opportunities/opp-0002"))
        .send()
        .await
        .unwrap();
    let lookup = harness
        .browser
        .get(harness.url("_sim/opportunities/opp-0002"))
        .send()
        .await
        .unwrap();
    let again = harness
        .browser
        .delete(harness.url("_sim/opportunities/opp-0002"))
        .send()
        .await
        .unwrap();
    let fetched = harness.client.get_opportunity(&token, "opp-0002").await;
    let listed = harness
        .client
        .list_opportunities(&token, &OpportunityFilter::default())
        .await
        .unwrap();
    let deleted_list = harness
        .client
        .list_deleted_opportunities(&token, None)
        .await
        .unwrap();

    assert_eq!(deleted.status().as_u16(), 204);
    assert_eq!(lookup.status().as_u16(), 404);
    assert_eq!(again.status().as_u16(), 404);
    assert!(
        matches!(fetched, Err(lever::LeverError::NotFound { .. })),
        "{fetched:?}"
    );
    assert!(listed
        .iter()
        .all(|opportunity| opportunity.id != "opp-0002"));
    assert_eq!(deleted_list.len(), 1);
    assert_eq!(deleted_list[0].opportunity.id, "opp-0002");
    assert_eq!(
        deleted_list[0].opportunity.contact.as_deref(),
        Some("contact-0002")
    );
    assert!(deleted_list[0].deleted_at.is_some());
    assert_eq!(deleted_list[0].deleted_by, None);
    assert_eq!(
        harness.sim.simulator.snapshot().deleted_opportunity_ids,
        vec!["opp-0002".to_string()]
    );
}

#[tokio::test]
async fn deleted_list_filters_by_time() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    harness
        .sim
        .simulator
        .delete_opportunity("opp-0001")
        .unwrap();
    let first = harness
        .client
        .list_deleted_opportunities(&token, None)
        .await
        .unwrap()[0]
        .deleted_at
        .unwrap();

    let from_first = harness
        .client
        .list_deleted_opportunities(&token, Some(first))
        .await
        .unwrap();
    let after_first = harness
        .client
        .list_deleted_opportunities(&token, Some(first + 1))
        .await
        .unwrap();
    let before_first: Value = harness
        .browser
        .get(harness.url(&format!(
            "v1/opportunities/deleted?deleted_at_end={}",
            first - 1
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert_eq!(from_first.len(), 1);
    assert!(after_first.is_empty(), "{after_first:?}");
    assert_eq!(before_first["data"], json!([]));
    assert_eq!(before_first["hasNext"], false);
}

#[tokio::test]
async fn deleted_list_follows_next_tokens() {
    let harness = start_with(lever::simulator::SimConfig::default(), seed(105)).await;
    let token = harness.connect().await.access_token;
    for index in 0..103 {
        harness
            .sim
            .simulator
            .delete_opportunity(&format!("opp-{index:04}"))
            .unwrap();
    }

    let deleted = harness
        .client
        .list_deleted_opportunities(&token, None)
        .await
        .unwrap();

    let mut ids: Vec<String> = deleted
        .iter()
        .map(|deleted| deleted.opportunity.id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(deleted.len(), 103);
    assert_eq!(ids.len(), 103);
    assert_eq!(
        harness
            .sim
            .simulator
            .snapshot()
            .request_count("GET /v1/opportunities/deleted"),
        2
    );
}

#[tokio::test]
async fn deleted_list_pages_with_limit() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    for id in ["opp-0001", "opp-0002", "opp-0003"] {
        harness.sim.simulator.delete_opportunity(id).unwrap();
    }

    let first: Value = harness
        .browser
        .get(harness.url("v1/opportunities/deleted?limit=2"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let next = first["next"].as_str().expect("next token").to_string();
    let second: Value = harness
        .browser
        .get(harness.url(&format!("v1/opportunities/deleted?limit=2&offset={next}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert_eq!(first["data"].as_array().unwrap().len(), 2);
    assert_eq!(first["hasNext"], true);
    assert_eq!(second["data"].as_array().unwrap().len(), 1);
    assert_eq!(second["hasNext"], false);
    assert!(second["data"][0]["deletedAt"].is_i64());
}

#[tokio::test]
async fn deleted_list_needs_opportunity_scope() {
    let harness = start().await;
    let code = harness
        .authorize_code_with_scope("offline_access stages:read:admin")
        .await;
    let token = harness
        .client
        .exchange_code(&code)
        .await
        .unwrap()
        .access_token;

    let result = harness
        .client
        .list_deleted_opportunities(&token, None)
        .await;

    assert!(
        matches!(result, Err(lever::LeverError::Forbidden { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn archived_at_filter_bounds() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    let archived = harness
        .sim
        .simulator
        .archive("opp-0003", Some(FAILED_REASON))
        .unwrap()
        .archived
        .unwrap()
        .archived_at
        .unwrap();

    let from = |start: i64| OpportunityFilter {
        archived_at_start: Some(start),
        ..OpportunityFilter::default()
    };
    let matching = harness
        .client
        .list_opportunities(&token, &from(archived))
        .await
        .unwrap();
    let later = harness
        .client
        .list_opportunities(&token, &from(archived + 1))
        .await
        .unwrap();
    let ended: Value = harness
        .browser
        .get(harness.url(&format!(
            "v1/opportunities?archived_at_end={}",
            archived - 1
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let ids: Vec<&str> = matching
        .iter()
        .map(|opportunity| opportunity.id.as_str())
        .collect();
    assert_eq!(ids, vec!["opp-0003"]);
    assert!(later.is_empty(), "{later:?}");
    assert_eq!(ended["data"], json!([]));
}

#[tokio::test]
async fn in_process_methods_report_errors() {
    let harness = start().await;
    let simulator = &harness.sim.simulator;

    let unknown_stage = simulator.move_to_stage("opp-0001", "stage-nowhere");
    let unknown_opportunity = simulator.archive("opp-9999", Some(FAILED_REASON));
    let unknown_reason = simulator.archive("opp-0001", Some("reason-nowhere"));
    let unknown_delete = simulator.delete_opportunity("opp-9999");

    assert!(unknown_stage.unwrap_err().contains("stage-nowhere"));
    assert!(unknown_opportunity.unwrap_err().contains("opp-9999"));
    assert!(unknown_reason.unwrap_err().contains("reason-nowhere"));
    assert!(unknown_delete.unwrap_err().contains("opp-9999"));
}

#[tokio::test]
async fn seeding_forgets_deleted() {
    let harness = start().await;
    harness
        .sim
        .simulator
        .delete_opportunity("opp-0001")
        .unwrap();

    harness.sim.simulator.seed(Seed::default());

    assert!(harness
        .sim
        .simulator
        .snapshot()
        .deleted_opportunity_ids
        .is_empty());
}

#[tokio::test]
async fn settings_page_switches_events() {
    let harness = start().await;

    let page = harness
        .browser
        .get(harness.url("settings/webhooks"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let switched_on = harness
        .browser
        .post(harness.url("settings/webhooks"))
        .form(&[("event", "candidateStageChange"), ("enabled", "on")])
        .send()
        .await
        .unwrap();
    let location = switched_on
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    let after_on = harness
        .browser
        .get(harness.url("settings/webhooks?saved=candidateStageChange"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let enabled_on = harness.knobs(json!({})).await["webhook_events_enabled"].clone();
    harness
        .browser
        .post(harness.url("settings/webhooks"))
        .form(&[("event", "candidateStageChange")])
        .send()
        .await
        .unwrap();
    let enabled_off = harness.knobs(json!({})).await["webhook_events_enabled"].clone();

    assert!(
        page.contains("name=\"enabled\" value=\"on\"> Candidate stage change<"),
        "{page}"
    );
    assert!(page.contains("action=\"webhooks\""), "{page}");
    assert_eq!(switched_on.status().as_u16(), 303);
    assert_eq!(
        location.as_deref(),
        Some("webhooks?saved=candidateStageChange")
    );
    assert!(
        after_on.contains("name=\"enabled\" value=\"on\" checked> Candidate stage change<"),
        "{after_on}"
    );
    assert!(
        after_on.contains("Candidate stage change is on."),
        "{after_on}"
    );
    assert_eq!(enabled_on, json!(["candidateStageChange"]));
    assert_eq!(enabled_off, json!([]));
}

#[tokio::test]
async fn settings_page_lists_webhooks() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    harness
        .client
        .create_webhook(&token, "https://tryout.example/hooks/a", "candidateDeleted")
        .await
        .unwrap();

    let page = harness
        .browser
        .get(harness.url("settings/webhooks"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    assert!(
        page.contains("1 webhook: https://tryout.example/hooks/a"),
        "{page}"
    );
}

#[tokio::test]
async fn settings_page_rejects_unknown_event() {
    let harness = start().await;

    let response = harness
        .browser
        .post(harness.url("settings/webhooks"))
        .form(&[("event", "<script>"), ("enabled", "on")])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 400);
    let page = response.text().await.unwrap();
    assert!(page.contains("&lt;script&gt;"), "{page}");
    assert_eq!(
        harness.knobs(json!({})).await["webhook_events_enabled"],
        json!([])
    );
}

#[tokio::test]
async fn unknown_event_knob_rejected() {
    let harness = start().await;

    let response = harness
        .browser
        .post(harness.url("_sim/knobs"))
        .json(&json!({ "webhook_events_enabled": ["candidateMoved"] }))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 400);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("candidateMoved"),
        "{body}"
    );
}
