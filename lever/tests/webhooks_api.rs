//! Webhooks managed through `/v1/webhooks` over real HTTP: create, list and
//! delete through the client, both documented create shapes, input checks
//! and scopes.

mod common;

use common::*;
use lever::LeverError;
use serde_json::{json, Value};

const HOOK_URL: &str = "https://tryout.example/lever/webhooks";

#[tokio::test]
async fn create_list_delete_webhook() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let created = harness
        .client
        .create_webhook(&token, HOOK_URL, "candidateStageChange")
        .await
        .unwrap();
    let listed = harness.client.list_webhooks(&token).await.unwrap();
    harness
        .client
        .delete_webhook(&token, &created.id)
        .await
        .unwrap();
    let after_delete = harness.client.list_webhooks(&token).await.unwrap();

    assert_eq!(created.url, HOOK_URL);
    assert_eq!(created.event, "candidateStageChange");
    assert_eq!(created.signature_token.len(), 48);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, created.id);
    assert_eq!(listed[0].url, HOOK_URL);
    assert_eq!(listed[0].event, "candidateStageChange");
    assert!(listed[0].created_at.is_some());
    assert!(after_delete.is_empty(), "{after_delete:?}");
}

#[tokio::test]
async fn signature_token_not_listed() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    let created = harness
        .client
        .create_webhook(&token, HOOK_URL, "candidateDeleted")
        .await
        .unwrap();

    let body = harness
        .browser
        .get(harness.url("v1/webhooks"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    assert!(!body.contains(&created.signature_token), "{body}");
    assert!(!body.contains("signatureToken"), "{body}");
}

#[tokio::test]
async fn each_webhook_gets_own_token() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let first = harness
        .client
        .create_webhook(&token, HOOK_URL, "candidateStageChange")
        .await
        .unwrap();
    let second = harness
        .client
        .create_webhook(&token, HOOK_URL, "candidateStageChange")
        .await
        .unwrap();

    assert_ne!(first.id, second.id);
    assert_ne!(first.signature_token, second.signature_token);
}

#[tokio::test]
async fn delete_unknown_webhook_counts_as_gone() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let deleted = harness.client.delete_webhook(&token, "no-such-hook").await;
    let raw = harness
        .browser
        .delete(harness.url("v1/webhooks/no-such-hook"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();

    assert!(deleted.is_ok(), "{deleted:?}");
    assert_eq!(raw.status().as_u16(), 404);
    let body: Value = raw.json().await.unwrap();
    assert_eq!(body["code"], "ResourceNotFound");
}

#[tokio::test]
async fn delete_answers_no_content() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    let created = harness
        .client
        .create_webhook(&token, HOOK_URL, "candidateStageChange")
        .await
        .unwrap();

    let response = harness
        .browser
        .delete(harness.url(&format!("v1/webhooks/{}", created.id)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(
        harness
            .sim
            .simulator
            .snapshot()
            .request_count("DELETE /v1/webhooks/:id"),
        1
    );
}

#[tokio::test]
async fn create_shape_data() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    harness
        .knobs(json!({ "webhook_create_shape": "data" }))
        .await;

    let response = harness
        .browser
        .post(harness.url("v1/webhooks"))
        .bearer_auth(&token)
        .json(&json!({ "url": HOOK_URL, "event": "candidateStageChange" }))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 201);
    let body: Value = response.json().await.unwrap();
    assert!(body["data"]["id"].is_string(), "{body}");
    assert_eq!(body["data"]["event"], "candidateStageChange");
    assert_eq!(body["data"]["url"], HOOK_URL);
    assert_eq!(
        body["data"]["configuration"]["signatureToken"]
            .as_str()
            .map(str::len),
        Some(48),
        "{body}"
    );
}

#[tokio::test]
async fn create_shape_double_data() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    harness
        .knobs(json!({ "webhook_create_shape": "double_data" }))
        .await;

    let response = harness
        .browser
        .post(harness.url("v1/webhooks"))
        .bearer_auth(&token)
        .json(&json!({ "url": HOOK_URL, "event": "candidateStageChange" }))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 201);
    let body: Value = response.json().await.unwrap();
    assert!(body["data"]["data"]["id"].is_string(), "{body}");
    assert!(
        body["data"]["data"]["configuration"]["signatureToken"].is_string(),
        "{body}"
    );
}

#[tokio::test]
async fn client_reads_both_create_shapes() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    for shape in ["data", "double_data"] {
        harness
            .knobs(json!({ "webhook_create_shape": shape }))
            .await;

        let created = harness
            .client
            .create_webhook(&token, HOOK_URL, "candidateArchiveChange")
            .await
            .unwrap_or_else(|error| panic!("{shape}: {error}"));

        assert_eq!(created.signature_token.len(), 48, "{shape}");
        assert_eq!(created.event, "candidateArchiveChange", "{shape}");
    }
}

#[tokio::test]
async fn conditions_kept_in_list() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    let configuration = json!({ "conditions": { "origins": ["applied", "referred"] } });

    let response = harness
        .browser
        .post(harness.url("v1/webhooks"))
        .bearer_auth(&token)
        .json(&json!({
            "url": HOOK_URL,
            "event": "candidateStageChange",
            "configuration": configuration,
        }))
        .send()
        .await
        .unwrap();
    let listed = harness.client.list_webhooks(&token).await.unwrap();

    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(listed[0].configuration, configuration);
}

#[tokio::test]
async fn invalid_webhooks_rejected() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    let cases = [
        json!({ "url": HOOK_URL, "event": "candidateMoved" }),
        json!({ "url": HOOK_URL }),
        json!({ "url": "/relative/path", "event": "candidateStageChange" }),
        json!({ "url": "ftp://tryout.example/hook", "event": "candidateStageChange" }),
        json!({ "event": "candidateStageChange" }),
        json!({ "url": HOOK_URL, "event": "candidateDeleted",
                "configuration": { "conditions": { "origins": ["applied"] } } }),
        json!({ "url": HOOK_URL, "event": "candidateStageChange",
                "configuration": { "conditions": { "origins": ["walk-in"] } } }),
        json!({ "url": HOOK_URL, "event": "candidateStageChange", "configuration": "all" }),
    ];

    for case in cases {
        let response = harness
            .browser
            .post(harness.url("v1/webhooks"))
            .bearer_auth(&token)
            .json(&case)
            .send()
            .await
            .unwrap();

        assert_eq!(response.status().as_u16(), 400, "{case}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "BadRequest", "{case}");
        assert!(body["message"].is_string(), "{case}");
    }
    assert!(harness
        .client
        .list_webhooks(&token)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn client_surfaces_invalid_event() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let result = harness
        .client
        .create_webhook(&token, HOOK_URL, "candidateMoved")
        .await;

    match result {
        Err(LeverError::Rejected { status, code, .. }) => {
            assert_eq!(status, 400);
            assert_eq!(code, "BadRequest");
        }
        other => panic!("expected Rejected, got {other:?}"),
    }
}

#[tokio::test]
async fn webhooks_need_webhook_scope() {
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

    let listed = harness.client.list_webhooks(&token).await;
    let created = harness
        .client
        .create_webhook(&token, HOOK_URL, "candidateStageChange")
        .await;
    let deleted = harness.client.delete_webhook(&token, "any").await;

    assert!(
        matches!(listed, Err(LeverError::Forbidden { .. })),
        "{listed:?}"
    );
    assert!(
        matches!(created, Err(LeverError::Forbidden { .. })),
        "{created:?}"
    );
    assert!(
        matches!(deleted, Err(LeverError::Forbidden { .. })),
        "{deleted:?}"
    );
}

#[tokio::test]
async fn read_scope_lists_but_cannot_write() {
    let harness = start().await;
    let code = harness
        .authorize_code_with_scope("offline_access webhooks:read:admin")
        .await;
    let token = harness
        .client
        .exchange_code(&code)
        .await
        .unwrap()
        .access_token;

    let listed = harness.client.list_webhooks(&token).await;
    let created = harness
        .client
        .create_webhook(&token, HOOK_URL, "candidateStageChange")
        .await;

    assert!(listed.is_ok(), "{listed:?}");
    assert!(
        matches!(created, Err(LeverError::Forbidden { .. })),
        "{created:?}"
    );
}

#[tokio::test]
async fn webhooks_need_token() {
    let harness = start().await;

    let response = harness
        .browser
        .get(harness.url("v1/webhooks"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 401);
}
