//! Notes, stage changes and archiving over real HTTP, checked against the
//! simulator's state.

mod common;

use common::*;
use lever::simulator::{NoteResponseShape, SimConfig};
use lever::{LeverError, NewNote};
use serde_json::json;

fn note(value: &str, score: Option<u8>) -> NewNote {
    NewNote {
        value: value.to_string(),
        score,
        secret: false,
        notify_followers: true,
    }
}

#[tokio::test]
async fn create_note_with_minimal_response() {
    let config = SimConfig {
        note_response: NoteResponseShape::Minimal,
        ..SimConfig::default()
    };
    let harness = start_with(config, seed(2)).await;
    let token = harness.connect().await.access_token;

    let created = harness
        .client
        .create_note(
            &token,
            "opp-0000",
            &note("Scored 87/100", Some(4)),
            Some(ADMIN_ID),
        )
        .await
        .unwrap();

    let snapshot = harness.sim.simulator.snapshot();
    let notes = &snapshot.opportunity("opp-0000").unwrap().notes;
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].id, created.note_id);
    assert_eq!(notes[0].value, "Scored 87/100");
    assert_eq!(notes[0].score, Some(4));
    assert_eq!(notes[0].user.as_deref(), Some(ADMIN_ID));
}

#[tokio::test]
async fn create_note_with_full_response() {
    let config = SimConfig {
        note_response: NoteResponseShape::Full,
        ..SimConfig::default()
    };
    let harness = start_with(config, seed(2)).await;
    let token = harness.connect().await.access_token;

    let created = harness
        .client
        .create_note(&token, "opp-0001", &note("Passed", None), None)
        .await
        .unwrap();

    let listed = harness.client.list_notes(&token, "opp-0001").await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, created.note_id);
    assert_eq!(listed[0].body(), "Passed");
    assert_eq!(listed[0].user, None);
    assert_eq!(listed[0].fields[0].score, None);
}

#[tokio::test]
async fn note_response_knob_switches_shape() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    harness.knobs(json!({ "note_response": "minimal" })).await;

    let response = harness
        .browser
        .post(harness.url("v1/opportunities/opp-0000/notes"))
        .bearer_auth(&token)
        .json(&json!({ "value": "x" }))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 201);
    let body: serde_json::Value = response.json().await.unwrap();
    let data = body["data"].as_object().unwrap();
    assert_eq!(data.len(), 1, "{body}");
    assert!(data["noteId"].is_string(), "{body}");
}

#[tokio::test]
async fn note_score_out_of_range_not_sent() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let result = harness
        .client
        .create_note(&token, "opp-0000", &note("x", Some(5)), None)
        .await;

    assert!(matches!(result, Err(LeverError::Config(_))), "{result:?}");
    assert_eq!(
        harness
            .sim
            .simulator
            .snapshot()
            .request_count("POST /v1/opportunities/:id/notes"),
        0
    );
}

#[tokio::test]
async fn note_on_unknown_opportunity_not_found() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let result = harness
        .client
        .create_note(&token, "opp-missing", &note("x", None), None)
        .await;

    match result {
        Err(LeverError::NotFound { code, .. }) => assert_eq!(code, "ResourceNotFound"),
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_perform_as_rejected() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let unknown = harness
        .client
        .create_note(&token, "opp-0000", &note("x", None), Some("user-nobody"))
        .await;
    let deactivated = harness
        .client
        .change_stage(&token, "opp-0000", SCREEN_STAGE, Some(FORMER_ID))
        .await;

    assert!(
        matches!(unknown, Err(LeverError::Rejected { status: 400, .. })),
        "{unknown:?}"
    );
    assert!(
        matches!(deactivated, Err(LeverError::Rejected { status: 400, .. })),
        "{deactivated:?}"
    );
}

#[tokio::test]
async fn required_perform_as_enforced() {
    let config = SimConfig {
        require_perform_as: true,
        ..SimConfig::default()
    };
    let harness = start_with(config, seed(2)).await;
    let token = harness.connect().await.access_token;

    let without = harness
        .client
        .create_note(&token, "opp-0000", &note("x", None), None)
        .await;
    let with = harness
        .client
        .create_note(&token, "opp-0000", &note("x", None), Some(ADMIN_ID))
        .await;

    match without {
        Err(LeverError::Rejected {
            status, message, ..
        }) => {
            assert_eq!(status, 400);
            assert!(message.contains("perform_as"), "{message}");
        }
        other => panic!("expected Rejected 400, got {other:?}"),
    }
    assert!(with.is_ok(), "{with:?}");
}

#[tokio::test]
async fn change_stage_moves_opportunity() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    harness
        .client
        .change_stage(&token, "opp-0000", SCREEN_STAGE, Some(ADMIN_ID))
        .await
        .unwrap();

    let fetched = harness
        .client
        .get_opportunity(&token, "opp-0000")
        .await
        .unwrap();
    assert_eq!(fetched.stage.as_deref(), Some(SCREEN_STAGE));
    assert!(fetched.last_advanced_at.unwrap() > BASE_TIME);

    let snapshot = harness.sim.simulator.snapshot();
    let changes = &snapshot.opportunity("opp-0000").unwrap().stage_changes;
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].to_stage_id, SCREEN_STAGE);
    assert_eq!(changes[0].to_stage_index, Some(2));
    assert_eq!(changes[0].user_id.as_deref(), Some(ADMIN_ID));
}

#[tokio::test]
async fn change_stage_accepts_every_response_shape() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    for shape in ["data", "empty_object", "no_content"] {
        harness.knobs(json!({ "write_response": shape })).await;

        let staged = harness
            .client
            .change_stage(&token, "opp-0001", SCREEN_STAGE, None)
            .await;
        let archived = harness
            .client
            .archive(&token, "opp-0001", FAILED_REASON, None)
            .await;
        let unarchived = harness.client.unarchive(&token, "opp-0001", None).await;

        assert!(staged.is_ok(), "{shape}: {staged:?}");
        assert!(archived.is_ok(), "{shape}: {archived:?}");
        assert!(unarchived.is_ok(), "{shape}: {unarchived:?}");
    }
}

#[tokio::test]
async fn unknown_stage_rejected() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let result = harness
        .client
        .change_stage(&token, "opp-0000", "stage-missing", None)
        .await;

    match result {
        Err(LeverError::Rejected {
            status,
            code,
            message,
        }) => {
            assert_eq!(status, 400);
            assert_eq!(code, "BadRequest");
            assert!(message.contains("stage-missing"), "{message}");
        }
        other => panic!("expected Rejected 400, got {other:?}"),
    }
    let snapshot = harness.sim.simulator.snapshot();
    assert_eq!(
        snapshot.opportunity("opp-0000").unwrap().stage.as_deref(),
        Some(ASSESSMENT_STAGE)
    );
}

#[tokio::test]
async fn archive_and_unarchive() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    harness
        .client
        .archive(&token, "opp-0002", FAILED_REASON, Some(ADMIN_ID))
        .await
        .unwrap();
    let archived = harness
        .client
        .get_opportunity(&token, "opp-0002")
        .await
        .unwrap();

    harness
        .client
        .unarchive(&token, "opp-0002", Some(ADMIN_ID))
        .await
        .unwrap();
    let unarchived = harness
        .client
        .get_opportunity(&token, "opp-0002")
        .await
        .unwrap();

    let state = archived.archived.expect("archived state after archive");
    assert_eq!(state.reason.as_deref(), Some(FAILED_REASON));
    assert!(state.archived_at.is_some());
    assert_eq!(unarchived.archived, None);
    assert_eq!(unarchived.stage.as_deref(), Some(ASSESSMENT_STAGE));
    let snapshot = harness.sim.simulator.snapshot();
    assert_eq!(
        snapshot.opportunity("opp-0002").unwrap().archive_changes,
        2,
        "one archive and one unarchive were applied"
    );
}

#[tokio::test]
async fn archived_filter_separates_opportunities() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    harness
        .client
        .archive(&token, "opp-0002", FAILED_REASON, None)
        .await
        .unwrap();

    let active = lever::OpportunityFilter {
        archived: Some(false),
        ..Default::default()
    };
    let archived = lever::OpportunityFilter {
        archived: Some(true),
        ..Default::default()
    };

    let active = harness
        .client
        .list_opportunities(&token, &active)
        .await
        .unwrap();
    let archived = harness
        .client
        .list_opportunities(&token, &archived)
        .await
        .unwrap();
    let all = harness
        .client
        .list_opportunities(&token, &Default::default())
        .await
        .unwrap();

    assert_eq!(active.len(), 5);
    assert!(active
        .iter()
        .all(|opportunity| opportunity.id != "opp-0002"));
    assert_eq!(archived.len(), 1);
    assert_eq!(archived[0].id, "opp-0002");
    assert_eq!(all.len(), 6);
}

#[tokio::test]
async fn unknown_or_inactive_reason_rejected() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let unknown = harness
        .client
        .archive(&token, "opp-0000", "reason-missing", None)
        .await;
    let inactive = harness
        .client
        .archive(&token, "opp-0000", INACTIVE_REASON, None)
        .await;

    assert!(
        matches!(unknown, Err(LeverError::Rejected { status: 400, .. })),
        "{unknown:?}"
    );
    assert!(
        matches!(inactive, Err(LeverError::Rejected { status: 400, .. })),
        "{inactive:?}"
    );
    assert_eq!(
        harness
            .sim
            .simulator
            .snapshot()
            .opportunity("opp-0000")
            .unwrap()
            .archived,
        None
    );
}

#[tokio::test]
async fn stage_change_on_archived_follows_knob() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    harness
        .client
        .archive(&token, "opp-0000", FAILED_REASON, None)
        .await
        .unwrap();

    let allowed = harness
        .client
        .change_stage(&token, "opp-0000", SCREEN_STAGE, None)
        .await;
    harness
        .knobs(json!({ "reject_stage_change_when_archived": true }))
        .await;
    let rejected = harness
        .client
        .change_stage(&token, "opp-0000", "lead-new", None)
        .await;

    assert!(allowed.is_ok(), "{allowed:?}");
    assert!(
        matches!(rejected, Err(LeverError::Rejected { status: 400, .. })),
        "{rejected:?}"
    );
}

#[tokio::test]
async fn note_thread_gets_comment_with_note_id() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    let created = harness
        .client
        .create_note(&token, "opp-0000", &note("First", Some(2)), None)
        .await
        .unwrap();

    let response = harness
        .browser
        .post(harness.url(&format!(
            "v1/opportunities/opp-0000/notes?note_id={}",
            created.note_id
        )))
        .bearer_auth(&token)
        .json(&json!({ "value": "Second", "score": 3 }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);

    let notes = harness.client.list_notes(&token, "opp-0000").await.unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].body(), "First\nSecond");
    assert_eq!(notes[0].fields[1].score, Some(3));
}

#[tokio::test]
async fn admin_adds_opportunity() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let response = harness
        .browser
        .post(harness.url("_sim/opportunities"))
        .json(&json!({ "id": "", "name": "Walk-in", "emails": ["walkin@example.com"], "stage": ASSESSMENT_STAGE }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let body: serde_json::Value = response.json().await.unwrap();
    let id = body["data"]["id"].as_str().unwrap().to_string();

    let fetched = harness.client.get_opportunity(&token, &id).await.unwrap();
    assert_eq!(fetched.name.as_deref(), Some("Walk-in"));
    assert_eq!(fetched.emails, vec!["walkin@example.com"]);

    let admin_view: serde_json::Value = harness
        .browser
        .get(harness.url(&format!("_sim/opportunities/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(admin_view["stage"], ASSESSMENT_STAGE);
    assert_eq!(admin_view["notes"], json!([]));
}

#[tokio::test]
async fn admin_adds_opportunity_without_id() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let response = harness
        .browser
        .post(harness.url("_sim/opportunities"))
        .json(
            &json!({ "name": "Sam Lee", "emails": ["sam@example.com"], "stage": ASSESSMENT_STAGE }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let body: serde_json::Value = response.json().await.unwrap();
    let id = body["data"]["id"].as_str().unwrap().to_string();
    assert!(!id.is_empty(), "the simulator gave the opportunity an id");

    let fetched = harness.client.get_opportunity(&token, &id).await.unwrap();
    assert_eq!(fetched.name.as_deref(), Some("Sam Lee"));
}
