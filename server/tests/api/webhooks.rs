//! Learning about candidates from Lever: the webhook Tryout registers on connect, the checks
//! on every delivery, invitations from the simulator's own signed deliveries, the poll that
//! catches a missed delivery, and applications closed by an archive or delete in Lever.

use std::time::{Duration, Instant};

use app::ssr::clock::now_ms;
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::config::Config;
use server::demo::lever_account::{FAIL_ARCHIVE_REASON_ID, INVITE_STAGE_ID, POSTING_ID};
use server::webhooks::register::signing_context;

use crate::helpers::{Backend, TestApp, TestOptions};

/// The stage before the invite stage in the demo account: new applicants.
const NEW_APPLICANT_STAGE: &str = "applicant-new";

/// Adds an opportunity to the simulator on the demo posting, in `stage`; returns its id.
async fn add_opportunity(app: &TestApp, name: &str, email: &str, stage: &str) -> String {
    let response = reqwest::Client::new()
        .post(app.simulator.base_url.join("_sim/opportunities").unwrap())
        .json(&json!({
            "id": "",
            "name": name,
            "emails": [email],
            "stage": stage,
            "postings": [POSTING_ID],
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "adding an opportunity"
    );
    let body: Value = response.json().await.unwrap();
    body["data"]["id"].as_str().unwrap().to_owned()
}

/// Runs a simulator admin call, as a recruiter acting in Lever would.
async fn lever_admin(app: &TestApp, method: reqwest::Method, path: &str, body: Option<Value>) {
    let mut request =
        reqwest::Client::new().request(method, app.simulator.base_url.join(path).unwrap());
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    assert!(
        response.status().is_success(),
        "simulator {path} failed: {}",
        response.text().await.unwrap()
    );
}

async fn move_to_stage(app: &TestApp, opportunity_id: &str, stage: &str) {
    lever_admin(
        app,
        reqwest::Method::POST,
        &format!("_sim/opportunities/{opportunity_id}/stage"),
        Some(json!({ "stage": stage })),
    )
    .await;
}

/// Opens the signing token Tryout stored for northwind's webhook, as the server does.
async fn signing_token(app: &TestApp) -> String {
    let organization_id = &app.northwind.organization_id;
    let sealed: String = sqlx::query_scalar(
        "SELECT signature_token_enc FROM lever_webhooks WHERE organization_id = $1 AND event = 'candidateStageChange'",
    )
    .bind(organization_id)
    .fetch_one(&app.state.db)
    .await
    .expect("a registered webhook");
    app.state
        .secrets
        .open(&sealed, &signing_context(organization_id))
        .unwrap()
}

/// Lists the webhooks Lever has, through the API with northwind's stored access token.
async fn registered_webhooks(app: &TestApp) -> Vec<lever::types::Webhook> {
    let connection =
        app::ssr::lever_store::find_connection(&app.state.db, &app.northwind.organization_id)
            .await
            .unwrap()
            .expect("a stored connection");
    let tokens = connection
        .tokens(&app.state.secrets)
        .unwrap()
        .expect("live tokens");
    app.state
        .lever
        .as_ref()
        .unwrap()
        .list_webhooks(&tokens.access_token)
        .await
        .unwrap()
}

/// Builds a stage-change delivery as Lever sends it, signed with `signing_token`.
fn delivery(signing_token: &str, token: &str, triggered_at: i64, opportunity_id: &str) -> Value {
    json!({
        "id": uuid::Uuid::new_v4().to_string(),
        "event": "candidateStageChange",
        "triggeredAt": triggered_at,
        "token": token,
        "signature": lever::webhook::signature(signing_token, token, triggered_at),
        "data": {
            "opportunityId": opportunity_id,
            "candidateId": opportunity_id,
            "contactId": uuid::Uuid::new_v4().to_string(),
            "toStageId": INVITE_STAGE_ID,
            "fromStageId": NEW_APPLICANT_STAGE,
        },
    })
}

async fn post_delivery(app: &TestApp, organization_id: &str, body: &[u8]) -> StatusCode {
    reqwest::Client::new()
        .post(app.url(&format!("/webhooks/lever/{organization_id}")))
        .header("content-type", "application/json")
        .header("user-agent", "Lever-Webhooks")
        .body(body.to_vec())
        .send()
        .await
        .unwrap()
        .status()
}

/// Makes a random 48-character delivery token, as Lever sends.
fn delivery_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        &uuid::Uuid::new_v4().simple().to_string()[..16]
    )
}

async fn applications_of(app: &TestApp, opportunity_id: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM applications WHERE lever_opportunity_id = '{opportunity_id}'"
    ))
    .await
}

async fn invitations_to(app: &TestApp, email: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM emails WHERE kind = 'invitation' AND to_address = '{email}'"
    ))
    .await
}

/// Waits until `sql` counts at least `expected` rows; panics after 20 s.
async fn wait_for_count(app: &TestApp, what: &str, sql: &str, expected: i64) {
    let started = Instant::now();
    loop {
        let count = app.count(sql).await;
        if count >= expected {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}: {count} of {expected}"
        );
        app.state.lever_events_wakeup.notify_one();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

on_both_backends!(
    connect_registers_stage_change_webhook,
    bad_deliveries_are_rejected_and_change_nothing,
    valid_delivery_invites_once_however_often_it_arrives,
    simulator_delivery_invites_into_the_mailbox,
);

async fn connect_registers_stage_change_webhook(app: TestApp) {
    app.connect_lever().await;

    let stored = app
        .count("SELECT COUNT(*) FROM lever_webhooks WHERE event = 'candidateStageChange'")
        .await;
    assert_eq!(stored, 1, "one webhook row for the connected organization");
    assert!(
        signing_token(&app).await.len() >= 16,
        "the signing token opens"
    );

    // Lever has exactly one webhook, aimed at this organization's endpoint.
    let webhooks = registered_webhooks(&app).await;
    assert_eq!(webhooks.len(), 1, "{webhooks:?}");
    assert_eq!(webhooks[0].event, "candidateStageChange");
    assert!(webhooks[0].url.ends_with(&format!(
        "/webhooks/lever/{}",
        app.northwind.organization_id
    )));

    // A reconnect replaces the webhook instead of adding a second one.
    app.connect_lever().await;
    assert_eq!(
        registered_webhooks(&app).await.len(),
        1,
        "one webhook after a reconnect"
    );
}

async fn bad_deliveries_are_rejected_and_change_nothing(app: TestApp) {
    app.connect_lever().await;
    let organization_id = app.northwind.organization_id.clone();
    let signing_token = signing_token(&app).await;
    let opportunity_id =
        add_opportunity(&app, "Rae Quinn", "rae.quinn@example.com", INVITE_STAGE_ID).await;
    let now = now_ms();

    let malformed = post_delivery(
        &app,
        &organization_id,
        b"{\"event\": \"candidateStageChange\", ",
    )
    .await;
    assert_eq!(malformed, StatusCode::BAD_REQUEST, "malformed JSON");
    let missing_token = post_delivery(
        &app,
        &organization_id,
        br#"{"event":"candidateStageChange","triggeredAt":1,"data":{}}"#,
    )
    .await;
    assert_eq!(missing_token, StatusCode::BAD_REQUEST, "no token");

    let mut forged = delivery(&signing_token, &delivery_token(), now, &opportunity_id);
    forged["signature"] = json!(lever::webhook::signature(
        "not-the-token",
        forged["token"].as_str().unwrap(),
        now
    ));
    let bad_signature = post_delivery(&app, &organization_id, forged.to_string().as_bytes()).await;
    assert_eq!(
        bad_signature,
        StatusCode::UNAUTHORIZED,
        "signature by another key"
    );

    let mut unsigned = delivery(&signing_token, &delivery_token(), now, &opportunity_id);
    unsigned.as_object_mut().unwrap().remove("signature");
    let no_signature = post_delivery(&app, &organization_id, unsigned.to_string().as_bytes()).await;
    assert_eq!(no_signature, StatusCode::UNAUTHORIZED, "no signature");

    // Signed correctly, but the signature covers the time: changing it breaks the signature.
    let mut moved_time = delivery(&signing_token, &delivery_token(), now, &opportunity_id);
    moved_time["triggeredAt"] = json!(now + 1);
    let tampered = post_delivery(&app, &organization_id, moved_time.to_string().as_bytes()).await;
    assert_eq!(
        tampered,
        StatusCode::UNAUTHORIZED,
        "triggeredAt changed after signing"
    );

    let two_hours_ago = now - 2 * 60 * 60 * 1000;
    let stale = delivery(
        &signing_token,
        &delivery_token(),
        two_hours_ago,
        &opportunity_id,
    );
    let stale_status = post_delivery(&app, &organization_id, stale.to_string().as_bytes()).await;
    assert_eq!(stale_status, StatusCode::BAD_REQUEST, "stale triggeredAt");

    let other_organization = post_delivery(
        &app,
        &app.globex.organization_id,
        delivery(&signing_token, &delivery_token(), now, &opportunity_id)
            .to_string()
            .as_bytes(),
    )
    .await;
    assert_eq!(
        other_organization,
        StatusCode::NOT_FOUND,
        "an organization with no webhook"
    );

    // Nothing was queued or created by any of them.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM lever_webhook_events").await,
        0
    );
    assert_eq!(applications_of(&app, &opportunity_id).await, 0);

    // A valid delivery, then its replay: the replay is refused.
    let valid = delivery(&signing_token, &delivery_token(), now, &opportunity_id).to_string();
    assert_eq!(
        post_delivery(&app, &organization_id, valid.as_bytes()).await,
        StatusCode::ACCEPTED
    );
    assert_eq!(
        post_delivery(&app, &organization_id, valid.as_bytes()).await,
        StatusCode::CONFLICT,
        "replayed token"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM lever_webhook_events").await,
        1
    );
}

async fn valid_delivery_invites_once_however_often_it_arrives(app: TestApp) {
    app.connect_lever().await;
    let organization_id = app.northwind.organization_id.clone();
    let signing_token = signing_token(&app).await;
    let email = "ines.moreau@example.com";
    let opportunity_id = add_opportunity(&app, "Inès Moreau", email, INVITE_STAGE_ID).await;

    // The same move delivered three times: Lever's retry (same token) and two reruns.
    let first = delivery(&signing_token, &delivery_token(), now_ms(), &opportunity_id).to_string();
    assert_eq!(
        post_delivery(&app, &organization_id, first.as_bytes()).await,
        StatusCode::ACCEPTED
    );
    assert_eq!(
        post_delivery(&app, &organization_id, first.as_bytes()).await,
        StatusCode::CONFLICT
    );
    for _ in 0..2 {
        let again =
            delivery(&signing_token, &delivery_token(), now_ms(), &opportunity_id).to_string();
        assert_eq!(
            post_delivery(&app, &organization_id, again.as_bytes()).await,
            StatusCode::ACCEPTED
        );
    }

    wait_for_count(
        &app,
        "the three deliveries to be handled",
        "SELECT COUNT(*) FROM lever_webhook_events WHERE status = 'handled'",
        3,
    )
    .await;
    assert_eq!(
        applications_of(&app, &opportunity_id).await,
        1,
        "one application"
    );
    assert_eq!(invitations_to(&app, email).await, 1, "one invitation email");

    let (role_id, status): (String, String) =
        sqlx::query_as("SELECT role_id, status FROM applications WHERE lever_opportunity_id = $1")
            .bind(&opportunity_id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(role_id, app.northwind.role_id);
    assert_eq!(status, "invited");
}

async fn simulator_delivery_invites_into_the_mailbox(app: TestApp) {
    app.connect_lever().await;
    app.set_knobs(json!({
        "webhook_events_enabled": ["candidateStageChange"],
        "webhook_duplicates": 2,
    }))
    .await;
    let email = "tomas.berg@example.com";
    let opportunity_id = add_opportunity(&app, "Tomas Berg", email, NEW_APPLICANT_STAGE).await;

    move_to_stage(&app, &opportunity_id, INVITE_STAGE_ID).await;

    wait_for_count(
        &app,
        "the invitation to reach the mailbox",
        &format!(
            "SELECT COUNT(*) FROM emails WHERE to_address = '{email}' AND status = 'sent' AND transport = 'mailbox'"
        ),
        1,
    )
    .await;
    assert_eq!(applications_of(&app, &opportunity_id).await, 1);
    assert_eq!(
        invitations_to(&app, email).await,
        1,
        "duplicate deliveries sent one email"
    );

    // The email's link opens this candidate's portal.
    let body: String = sqlx::query_scalar("SELECT body_text FROM emails WHERE to_address = $1")
        .bind(email)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let link = body
        .split_whitespace()
        .find(|word| word.contains("/c/"))
        .expect("a portal link in the email");
    let token = crate::helpers::token_of(link);
    let (status, portal) = app
        .call_form("load_portal", &[("token", token.as_str())])
        .await;
    assert_eq!(status, StatusCode::OK, "{portal}");
    assert_eq!(portal["candidate_first_name"], "Tomas", "{portal}");

    // A candidate moved to some other stage is not invited.
    let elsewhere = add_opportunity(
        &app,
        "Lena Fox",
        "lena.fox@example.com",
        NEW_APPLICANT_STAGE,
    )
    .await;
    move_to_stage(&app, &elsewhere, server::demo::lever_account::PASS_STAGE_ID).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.state.lever_events_wakeup.notify_one();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(applications_of(&app, &elsewhere).await, 0);
}

/// Spawns a test app whose poll runs every second.
async fn polling_app(backend: Backend) -> TestApp {
    TestApp::spawn_configured(backend, TestOptions::default(), |config: &mut Config| {
        if let Some(lever) = config.lever.as_mut() {
            lever.poll_interval = Duration::from_secs(1);
        }
    })
    .await
}

mod missed_webhook_is_caught_by_the_poll {
    use super::*;

    #[tokio::test]
    async fn sqlite() {
        run(polling_app(Backend::Sqlite).await).await;
    }

    #[tokio::test]
    async fn postgres() {
        run(polling_app(Backend::Postgres).await).await;
    }

    async fn run(app: TestApp) {
        let admin = app.connect_lever().await;
        // The switch in Lever's webhook settings is off, so nothing is delivered.
        let email = "mina.sato@example.com";
        let opportunity_id = add_opportunity(&app, "Mina Sato", email, NEW_APPLICANT_STAGE).await;
        move_to_stage(&app, &opportunity_id, INVITE_STAGE_ID).await;

        wait_for_count(
            &app,
            "the poll to invite the candidate",
            &format!(
                "SELECT COUNT(*) FROM applications WHERE lever_opportunity_id = '{opportunity_id}'"
            ),
            1,
        )
        .await;
        assert_eq!(
            app.count("SELECT COUNT(*) FROM lever_webhook_events").await,
            0,
            "no delivery arrived"
        );
        assert_eq!(invitations_to(&app, email).await, 1);
        let mark: i64 = sqlx::query_scalar(
            "SELECT high_water FROM lever_poll_marks WHERE name LIKE 'invite:%'",
        )
        .fetch_one(&app.state.db)
        .await
        .unwrap();
        assert!(mark > 0, "the high-water mark advanced");

        // Archiving in Lever closes the open application, and its link shows it is closed.
        lever_admin(
            &app,
            reqwest::Method::POST,
            &format!("_sim/opportunities/{opportunity_id}/archive"),
            Some(json!({ "reason": FAIL_ARCHIVE_REASON_ID })),
        )
        .await;
        wait_for_count(
            &app,
            "the poll to close the archived candidate's application",
            &format!(
                "SELECT COUNT(*) FROM applications WHERE lever_opportunity_id = '{opportunity_id}' AND closed_reason = 'archived_in_lever'"
            ),
            1,
        )
        .await;

        let body: String = sqlx::query_scalar("SELECT body_text FROM emails WHERE to_address = $1")
            .bind(email)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        let link = body
            .split_whitespace()
            .find(|word| word.contains("/c/"))
            .expect("a portal link in the email");
        let token = crate::helpers::token_of(link);
        let (status, closed) = app
            .call_form("load_portal", &[("token", token.as_str())])
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{closed}");
        assert!(
            closed.to_string().contains("This application is closed"),
            "{closed}"
        );

        // The role's candidate list shows why the application closed.
        let response = admin
            .post(app.url("/api/list_candidates"))
            .header("origin", app.origin())
            .form(&[("role_id", app.northwind.role_id.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let listed: Value = response.json().await.unwrap();
        let row = listed["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["lever_opportunity_id"] == opportunity_id.as_str())
            .expect("the closed application is listed");
        assert_eq!(row["status"], "closed (archived in Lever)");

        // Deleting in Lever closes it too.
        let deleted = add_opportunity(
            &app,
            "Ola Berg",
            "ola.berg@example.com",
            NEW_APPLICANT_STAGE,
        )
        .await;
        move_to_stage(&app, &deleted, INVITE_STAGE_ID).await;
        wait_for_count(
            &app,
            "the second invitation",
            &format!("SELECT COUNT(*) FROM applications WHERE lever_opportunity_id = '{deleted}'"),
            1,
        )
        .await;
        lever_admin(
            &app,
            reqwest::Method::DELETE,
            &format!("_sim/opportunities/{deleted}"),
            None,
        )
        .await;
        wait_for_count(
            &app,
            "the poll to close the deleted candidate's application",
            &format!(
                "SELECT COUNT(*) FROM applications WHERE lever_opportunity_id = '{deleted}' AND closed_reason = 'deleted_in_lever'"
            ),
            1,
        )
        .await;
    }
}

mod revocation_is_noticed_within_one_poll {
    use super::*;

    #[tokio::test]
    async fn sqlite() {
        run(polling_app(Backend::Sqlite).await).await;
    }

    #[tokio::test]
    async fn postgres() {
        run(polling_app(Backend::Postgres).await).await;
    }

    async fn run(app: TestApp) {
        let admin = app.connect_lever().await;

        lever_admin(&app, reqwest::Method::POST, "_sim/revoke", None).await;
        let revoked_at = Instant::now();
        wait_for_count(
            &app,
            "the poll to notice the revocation",
            "SELECT COUNT(*) FROM lever_connections WHERE status = 'revoked'",
            1,
        )
        .await;
        eprintln!("revocation noticed after {:?}", revoked_at.elapsed());

        // The Jobs page's status, as staff see it, shows that Lever is disconnected.
        let response = admin
            .post(app.url("/api/load_lever_status"))
            .header("origin", app.origin())
            .header("content-type", "application/x-www-form-urlencoded")
            .body("")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let status: Value = response.json().await.unwrap();
        assert_eq!(status["status"], "revoked", "{status}");

        // Reconnecting makes it live again.
        app.connect_lever().await;
        assert_eq!(
            app.count("SELECT COUNT(*) FROM lever_connections WHERE status = 'live'")
                .await,
            1
        );
    }
}
