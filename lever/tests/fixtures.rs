//! The client's types parse responses captured from Lever's sandbox, and
//! the example webhook deliveries of Lever's docs.

use lever::{
    CreatedNote, DeletedOpportunity, Note, Opportunity, Page, StageChangeData, User, Webhook,
    WebhookDelivery,
};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("read {path}: {error}"))
}

#[test]
fn opportunities_page_parses() {
    let page: Page<Opportunity> =
        serde_json::from_str(&fixture("opportunities-page.json")).unwrap();

    assert!(page.has_next);
    assert_eq!(page.data.len(), 1);

    let opportunity = &page.data[0];
    assert_eq!(opportunity.id, "2087af84-f146-4535-9368-2309e33e049f");
    assert_eq!(opportunity.name.as_deref(), Some("Candidate Example"));
    assert_eq!(
        opportunity.contact.as_deref(),
        Some("e2719ee1-21f5-4287-a60a-59bd29deac80")
    );
    assert_eq!(opportunity.stage.as_deref(), Some("lead-new"));
    assert_eq!(opportunity.archived, None);
    assert!(opportunity.emails.is_empty());
    assert_eq!(opportunity.tags.len(), 4);
    assert_eq!(opportunity.created_at, Some(1_750_233_426_190));
    assert_eq!(opportunity.updated_at, Some(1_750_247_948_243));
    assert_eq!(opportunity.last_advanced_at, Some(1_750_233_426_190));
    assert_eq!(
        opportunity.applications,
        vec!["2b7f3433-111a-4659-a302-58a32cd2e33c"]
    );
    assert_eq!(
        opportunity
            .urls
            .as_ref()
            .and_then(|urls| urls.show.as_deref()),
        Some("https://hire.sandbox.lever.co/candidates/2087af84-f146-4535-9368-2309e33e049f")
    );
}

#[test]
fn next_token_kept_verbatim() {
    let page: Page<Opportunity> =
        serde_json::from_str(&fixture("opportunities-page.json")).unwrap();

    assert_eq!(
        page.next.as_deref(),
        Some("%5B1%2C1750233409740%2C%2248dd4e94-fea0-4f9a-be5f-95b1853cbbbe%22%5D")
    );
}

#[test]
fn created_note_parses_full_shape() {
    let created: CreatedNote = serde_json::from_value(
        serde_json::from_str::<serde_json::Value>(&fixture("note-created.json")).unwrap()["data"]
            .clone(),
    )
    .unwrap();

    assert_eq!(created.note_id, "26b6397a-c2a3-4e90-85e2-5a4f9b8f11c3");
}

#[test]
fn created_note_parses_documented_shape() {
    let created: CreatedNote = serde_json::from_str(r#"{"noteId":"n-1"}"#).unwrap();

    assert_eq!(created.note_id, "n-1");
}

#[test]
fn created_note_falls_back_to_id() {
    let created: CreatedNote = serde_json::from_str(r#"{"id":"n-2"}"#).unwrap();

    assert_eq!(created.note_id, "n-2");
}

#[test]
fn created_note_without_id_fails() {
    let result = serde_json::from_str::<CreatedNote>(r#"{"text":"Note"}"#);

    assert!(result.is_err());
}

#[test]
fn note_fixture_parses_as_note() {
    let value: serde_json::Value = serde_json::from_str(&fixture("note-created.json")).unwrap();
    let note: Note = serde_json::from_value(value["data"].clone()).unwrap();

    assert_eq!(note.id, "26b6397a-c2a3-4e90-85e2-5a4f9b8f11c3");
    assert_eq!(note.user, None);
    assert!(!note.secret);
    assert_eq!(note.created_at, Some(1_750_421_318_058));
    assert_eq!(note.fields.len(), 1);
    assert_eq!(note.fields[0].r#type.as_deref(), Some("note"));
    assert_eq!(note.fields[0].score, None);
    assert_eq!(note.body(), "Hiring on 2+ experience");
}

#[test]
fn users_page_parses() {
    let page: Page<User> = serde_json::from_str(&fixture("users-page.json")).unwrap();

    assert!(page.has_next);
    assert_eq!(
        page.next.as_deref(),
        Some("%5B1733206956064%2C%22c21d911f-8292-49b7-b135-f7cc233b43fd%22%5D")
    );

    let user = &page.data[0];
    assert_eq!(user.id, "e0a9f3e3-bd9b-4eb1-8d2c-0d9a572bf641");
    assert_eq!(user.access_role.as_deref(), Some("super admin"));
    assert_eq!(user.email.as_deref(), Some("admin@example.com"));
    assert_eq!(user.deactivated_at, None);
}

#[test]
fn timestamps_accept_strings() {
    let json = r#"{"id":"o1","createdAt":"1468953420000","updatedAt":null,"lastAdvancedAt":1468953420001}"#;

    let opportunity: Opportunity = serde_json::from_str(json).unwrap();

    assert_eq!(opportunity.created_at, Some(1_468_953_420_000));
    assert_eq!(opportunity.updated_at, None);
    assert_eq!(opportunity.last_advanced_at, Some(1_468_953_420_001));
}

#[test]
fn non_numeric_timestamp_rejected() {
    let result = serde_json::from_str::<Opportunity>(r#"{"id":"o1","createdAt":"yesterday"}"#);

    assert!(result.is_err());
}

#[test]
fn expanded_stage_reads_as_id() {
    let json = r#"{"id":"o1","stage":{"id":"lead-new","text":"New lead"},"applications":[{"id":"a1","posting":"p1"}]}"#;

    let opportunity: Opportunity = serde_json::from_str(json).unwrap();

    assert_eq!(opportunity.stage.as_deref(), Some("lead-new"));
    assert_eq!(opportunity.applications, vec!["a1"]);
}

#[test]
fn archived_state_parses() {
    let json = r#"{"id":"o1","archived":{"archivedAt":1468953420000,"reason":"r1"}}"#;

    let opportunity: Opportunity = serde_json::from_str(json).unwrap();
    let archived = opportunity.archived.unwrap();

    assert_eq!(archived.archived_at, Some(1_468_953_420_000));
    assert_eq!(archived.reason.as_deref(), Some("r1"));
}

#[test]
fn null_lists_read_as_empty() {
    let opportunity: Opportunity =
        serde_json::from_str(r#"{"id":"o1","emails":null,"tags":null}"#).unwrap();

    assert!(opportunity.emails.is_empty());
    assert!(opportunity.tags.is_empty());
}

#[test]
fn last_page_without_next_parses() {
    let page: Page<User> = serde_json::from_str(r#"{"data":[],"hasNext":false}"#).unwrap();

    assert!(!page.has_next);
    assert_eq!(page.next, None);
}

/// `webhook-stage-change.json` is the "Example delivery" of Lever's Data API
/// docs (section "Webhooks"). The docs' text is not valid JSON: it lacks the
/// comma after `toStageId` and has one after `fromStageId`. The fixture
/// fixes only those two commas.
#[test]
fn documented_delivery_parses() {
    let delivery: WebhookDelivery =
        serde_json::from_str(&fixture("webhook-stage-change.json")).unwrap();

    assert_eq!(delivery.id, None);
    assert_eq!(delivery.event, lever::CANDIDATE_STAGE_CHANGE);
    assert_eq!(delivery.triggered_at, 1_431_454_330_072);
    assert_eq!(
        delivery.token,
        "be58f711f349c7780e4579cd7c63341ac6f881e4dccc3154"
    );
    assert_eq!(
        delivery.signature.as_deref(),
        Some("28e3fbb90ce869c3695c4a9559ff43eae998389a48b42c509d1adbeea0897c16")
    );

    let data: StageChangeData = delivery.data_as().unwrap();
    assert_eq!(data.opportunity_id, "3410c8b9-5c31-4bab-b7e9-9f710206d647");
    assert_eq!(
        data.candidate_id.as_deref(),
        Some("daeaa038-cddb-4d69-9b8c-74b6c23be3f3")
    );
    assert_eq!(
        data.contact_id.as_deref(),
        Some("05c248f9-ccb1-435f-bab5-0ec608aec263")
    );
    assert_eq!(data.to_stage_id, "7c2690d8-6308-4ed9-ae2a-cbfe7db26593");
    assert_eq!(
        data.from_stage_id.as_deref(),
        Some("992f01a9-ee19-41d2-ae79-1040701b195c")
    );
}

/// The test request of Lever's webhooks settings page, as its docs show
/// it: `candidateHired` with empty data.
#[test]
fn documented_test_delivery_parses() {
    let json = r#"{
        "triggeredAt": 1431458021951,
        "event": "candidateHired",
        "data": {},
        "signature": "m3e73080553bcbf65f66c90b6m4ac0mb664c6am763efb1899653808864456b36",
        "token": "657fd5a0759c87d35660b096dbc388d1d31058869f08ce3f"
    }"#;

    let delivery: WebhookDelivery = serde_json::from_str(json).unwrap();

    assert_eq!(delivery.event, "candidateHired");
    assert_eq!(delivery.data, serde_json::json!({}));
    // The docs' sample signature contains non-hex letters, so it can never verify.
    assert!(!lever::webhook::verify(
        "any",
        &delivery.token,
        delivery.triggered_at,
        delivery.signature.as_deref().unwrap()
    ));
}

#[test]
fn delivery_with_text_timestamp_parses() {
    let json = r#"{"id":"e1","event":"candidateDeleted","triggeredAt":"1431458021951","token":"t","data":{"opportunityId":"o1"}}"#;

    let delivery: WebhookDelivery = serde_json::from_str(json).unwrap();

    assert_eq!(delivery.id.as_deref(), Some("e1"));
    assert_eq!(delivery.triggered_at, 1_431_458_021_951);
    assert_eq!(delivery.signature, None);
}

#[test]
fn delivery_without_timestamp_rejected() {
    let json = r#"{"event":"candidateDeleted","token":"t","data":{}}"#;

    assert!(serde_json::from_str::<WebhookDelivery>(json).is_err());
}

#[test]
fn documented_webhook_list_parses() {
    let json = r#"{"data": [{
        "id": "e2befaae-b830-4c21-a002-2d5019486d1a",
        "url": "https://lever.co/webhookHandler",
        "event": "candidateStageChange",
        "createdAt": 1407357447018,
        "updatedAt": 1407357447200,
        "configuration": {"conditions": {"origins": ["applied", "sourced"]}}
    }]}"#;

    let page: Page<Webhook> = serde_json::from_str(json).unwrap();

    assert!(!page.has_next);
    assert_eq!(page.data[0].event, "candidateStageChange");
    assert_eq!(page.data[0].created_at, Some(1_407_357_447_018));
    assert_eq!(
        page.data[0].configuration["conditions"]["origins"][1],
        "sourced"
    );
}

#[test]
fn deleted_opportunity_parses() {
    let json = r#"{"id":"o1","contact":"c1","stage":"lead-new","deletedAt":1700000000000,"deletedBy":"u1"}"#;

    let deleted: DeletedOpportunity = serde_json::from_str(json).unwrap();

    assert_eq!(deleted.opportunity.id, "o1");
    assert_eq!(deleted.opportunity.contact.as_deref(), Some("c1"));
    assert_eq!(deleted.deleted_at, Some(1_700_000_000_000));
    assert_eq!(deleted.deleted_by.as_deref(), Some("u1"));
}
