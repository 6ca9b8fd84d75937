//! The Integration page's server functions, disconnecting Lever in Tryout, and the
//! disconnected-Lever banner. A write Lever rejects for good stops with its reason, and an
//! Admin retries or discards it. Writes of one opportunity keep their order. A disconnect
//! keeps every write until a reconnect drains them.

use std::time::{Duration, Instant};

use app::ssr::clock::new_id;
use app::ssr::outbox::{enqueue, LeverWrite};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use server::demo::lever_account::PASS_STAGE_ID;

use crate::helpers::TestApp;

const BANNER_TEXT: &str =
    "Lever is disconnected: results are kept and will be sent when it is reconnected.";

/// Calls a staff server function as the signed-in `browser`, with a form body.
async fn call_as(
    app: &TestApp,
    browser: &Client,
    name: &str,
    form: &[(&str, &str)],
) -> (StatusCode, Value) {
    let response = browser
        .post(app.url(&format!("/api/{name}")))
        .header("origin", app.origin())
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Renders a staff page as the signed-in `browser`, without JavaScript.
async fn page_as(app: &TestApp, browser: &Client, path: &str) -> (StatusCode, String) {
    let response = browser
        .get(app.url(path))
        .header(reqwest::header::ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

/// Adds a staff account with `role` to `organization_id` and returns a browser signed in as it.
async fn signed_in_staff(app: &TestApp, organization_id: &str, role: &str, name: &str) -> Client {
    let email = format!("{}@staff.example", name.to_lowercase().replace(' ', "."));
    let password = "a-long-test-password";
    sqlx::query(
        "INSERT INTO staff_users (id, organization_id, email, name, role, password_hash, active, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 1, 0)",
    )
    .bind(new_id())
    .bind(organization_id)
    .bind(&email)
    .bind(name)
    .bind(role)
    .bind(app::ssr::password::hash_password(password.to_string()).await.unwrap())
    .execute(&app.state.db)
    .await
    .unwrap();

    let browser = TestApp::browser();
    app.sign_in(&browser, &email, password).await;
    browser
}

async fn signed_in(app: &TestApp, email: &str, password: &str) -> Client {
    let browser = TestApp::browser();
    app.sign_in(&browser, email, password).await;
    browser
}

/// Queues a note and then a stage move for Northwind's first candidate, as a submitted quiz
/// would, and returns their outbox ids in that order.
async fn queue_note_and_stage_move(app: &TestApp) -> (String, String) {
    let candidate = &app.northwind.candidates[0];
    let application_id: String = sqlx::query_scalar(
        "SELECT a.id FROM applications a JOIN candidates c ON c.id = a.candidate_id
         WHERE a.organization_id = $1 AND c.email = $2",
    )
    .bind(&app.northwind.organization_id)
    .bind(&candidate.email)
    .fetch_one(&app.state.db)
    .await
    .unwrap();

    let mut transaction = app.state.db.begin().await.unwrap();
    enqueue(
        &mut transaction,
        &app.northwind.organization_id,
        Some(&application_id),
        &candidate.opportunity_id,
        &[
            LeverWrite::Note {
                value: "Screening quiz: 12 / 12 points".into(),
                score: Some(4),
            },
            LeverWrite::Stage {
                stage_id: PASS_STAGE_ID.into(),
            },
        ],
    )
    .await
    .unwrap();
    transaction.commit().await.unwrap();
    app.state.outbox_wakeup.notify_one();

    let newest: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM outbox WHERE opportunity_id = $1 ORDER BY id DESC LIMIT 2",
    )
    .bind(&candidate.opportunity_id)
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    assert_eq!(newest.len(), 2, "a note and a stage move were queued");
    (newest[1].clone(), newest[0].clone())
}

/// Makes Lever reject the next note for Northwind's first candidate with HTTP 400.
async fn reject_next_note(app: &TestApp) {
    let opportunity = &app.northwind.candidates[0].opportunity_id;
    app.set_knobs(json!({"fail_next": {
        "status": 400,
        "count": 1,
        "path_prefix": format!("/v1/opportunities/{opportunity}/notes"),
    }}))
    .await;
}

async fn write_status(app: &TestApp, write_id: &str) -> String {
    sqlx::query_scalar("SELECT status FROM outbox WHERE id = $1")
        .bind(write_id)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

/// Wakes the outbox until the write has `status`. Panics after 20 s.
async fn wait_for_status(app: &TestApp, write_id: &str, status: &str) {
    let started = Instant::now();
    loop {
        let current = write_status(app, write_id).await;
        if current == status {
            return;
        }
        if started.elapsed() > Duration::from_secs(20) {
            panic!("write {write_id} is still {current}, expected {status}");
        }
        app.state.outbox_wakeup.notify_one();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn rejected_write_fails_and_retry_sends_it(app: TestApp) {
    app.connect_lever().await;
    let admin = signed_in_staff(&app, &app.northwind.organization_id, "admin", "Ada Admin").await;
    reject_next_note(&app).await;
    let opportunity = app.northwind.candidates[0].opportunity_id.clone();

    let (note, stage_move) = queue_note_and_stage_move(&app).await;
    wait_for_status(&app, &note, "failed").await;

    let (status, failed) =
        call_as(&app, &admin, "list_lever_writes", &[("status", "failed")]).await;
    assert_eq!(status, StatusCode::OK, "{failed}");
    let rows = failed["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{failed}");
    assert_eq!(rows[0]["id"], note.as_str());
    assert_eq!(rows[0]["kind"], "note");
    assert_eq!(rows[0]["status"], "failed");
    assert_eq!(rows[0]["attempts"], 1);
    assert_eq!(rows[0]["opportunity_id"], opportunity.as_str());
    assert_eq!(
        rows[0]["candidate_name"],
        app.northwind.candidates[0].name.as_str()
    );
    assert!(rows[0]["role_title"].is_string(), "{failed}");
    let reason = rows[0]["last_error"].as_str().unwrap();
    assert!(reason.contains("HTTP 400"), "{reason}");

    let (_, pending) = call_as(&app, &admin, "list_lever_writes", &[("status", "pending")]).await;
    assert_eq!(pending["rows"][0]["id"], stage_move.as_str());
    assert_eq!(
        pending["rows"][0]["held_by_failed"], true,
        "the stage move waits for the failed note"
    );
    assert_eq!(write_status(&app, &stage_move).await, "pending");

    let (status, body) = call_as(&app, &admin, "retry_lever_write", &[("write_id", &note)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let lever = app
        .wait_for_lever("the retried note and then the stage move", |state| {
            state
                .opportunity(&opportunity)
                .and_then(|o| o.stage.clone())
                .as_deref()
                == Some(PASS_STAGE_ID)
        })
        .await;
    assert_eq!(lever.opportunity(&opportunity).unwrap().notes.len(), 1);
    wait_for_status(&app, &note, "sent").await;
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM outbox WHERE id = $1")
        .bind(&note)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(attempts, 2, "the retry kept the failed attempt");

    let (status, body) = call_as(&app, &admin, "retry_lever_write", &[("write_id", &note)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains("only a failed write"), "{body}");
}

async fn discarded_write_is_kept_and_unblocks_later(app: TestApp) {
    let super_admin = app.connect_lever().await;
    reject_next_note(&app).await;
    let opportunity = app.northwind.candidates[0].opportunity_id.clone();
    let (note, stage_move) = queue_note_and_stage_move(&app).await;
    wait_for_status(&app, &note, "failed").await;

    let (status, body) = call_as(
        &app,
        &super_admin,
        "discard_lever_write",
        &[("write_id", &note)],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let lever = app
        .wait_for_lever("the stage move after the discard", |state| {
            state
                .opportunity(&opportunity)
                .and_then(|o| o.stage.clone())
                .as_deref()
                == Some(PASS_STAGE_ID)
        })
        .await;
    assert!(
        lever.opportunity(&opportunity).unwrap().notes.is_empty(),
        "the discarded note was never sent"
    );
    wait_for_status(&app, &stage_move, "sent").await;
    let (status, discarded_by, discarded_at): (String, Option<String>, Option<i64>) =
        sqlx::query_as("SELECT status, discarded_by, discarded_at FROM outbox WHERE id = $1")
            .bind(&note)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(status, "discarded");
    let admin_id: String = sqlx::query_scalar("SELECT id FROM staff_users WHERE email = $1")
        .bind(&app.northwind.admin.email)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(discarded_by, Some(admin_id));
    assert!(discarded_at.is_some());

    let (_, listed) = call_as(
        &app,
        &super_admin,
        "list_lever_writes",
        &[("status", "discarded")],
    )
    .await;
    assert_eq!(listed["rows"][0]["id"], note.as_str(), "{listed}");
    assert_eq!(listed["rows"][0]["discarded_by"], "Alex Rivera");
    let (status, body) = call_as(
        &app,
        &super_admin,
        "discard_lever_write",
        &[("write_id", &note)],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

async fn staff_without_permission_or_organization_rejected(app: TestApp) {
    // Lever is not connected, so nothing is sent. The test marks the write failed directly.
    let (note, _) = queue_note_and_stage_move(&app).await;
    sqlx::query("UPDATE outbox SET status = 'failed', last_error = 'rejected' WHERE id = $1")
        .bind(&note)
        .execute(&app.state.db)
        .await
        .unwrap();
    let member = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;
    let outsider = signed_in(&app, &app.globex.admin.email, &app.globex.admin.password).await;

    for (name, form) in [
        ("load_integration", vec![]),
        ("list_lever_writes", vec![]),
        ("retry_lever_write", vec![("write_id", note.as_str())]),
        ("discard_lever_write", vec![("write_id", note.as_str())]),
        ("disconnect_lever", vec![]),
    ] {
        let (status, body) = call_as(&app, &member, name, &form).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}: {body}");
    }
    for name in ["retry_lever_write", "discard_lever_write"] {
        let (status, body) = call_as(&app, &outsider, name, &[("write_id", note.as_str())]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{name}: {body}");
    }
    let (status, listed) = call_as(&app, &outsider, "list_lever_writes", &[]).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert!(listed["rows"].as_array().unwrap().is_empty(), "{listed}");
    assert_eq!(
        write_status(&app, &note).await,
        "failed",
        "nothing changed the write"
    );
}

async fn list_pages_newest_first_by_cursor(app: TestApp) {
    for _ in 0..30 {
        queue_note_and_stage_move(&app).await;
    }
    let admin = signed_in(
        &app,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;

    let (status, first) = call_as(&app, &admin, "list_lever_writes", &[]).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let cursor = first["next_before"].as_str().unwrap().to_string();
    let (_, second) = call_as(&app, &admin, "list_lever_writes", &[("before", &cursor)]).await;

    let ids = |page: &Value| -> Vec<String> {
        page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["id"].as_str().unwrap().to_string())
            .collect()
    };
    let (first_ids, second_ids) = (ids(&first), ids(&second));
    assert_eq!(first_ids.len(), 50);
    assert_eq!(second_ids.len(), 10);
    assert!(second["next_before"].is_null(), "{}", second["next_before"]);
    let mut all = first_ids.clone();
    all.extend(second_ids);
    let mut newest_first = all.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    newest_first.dedup();
    assert_eq!(all, newest_first, "60 distinct writes, newest first");

    let (status, body) = call_as(
        &app,
        &admin,
        "list_lever_writes",
        &[("before", "not-an-id")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

async fn disconnect_keeps_writes_until_reconnect(app: TestApp) {
    let super_admin = app.connect_lever().await;
    let admin = signed_in_staff(&app, &app.northwind.organization_id, "admin", "Ada Admin").await;
    let member = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;
    let opportunity = app.northwind.candidates[0].opportunity_id.clone();

    let (_, page) = page_as(&app, &super_admin, "/integration").await;
    assert!(
        page.contains("Disconnect Lever"),
        "a Super Admin sees the button"
    );
    let (_, page) = page_as(&app, &admin, "/integration").await;
    assert!(page.contains("Lever is connected"), "{page}");
    assert!(!page.contains("Disconnect Lever"), "an Admin does not");

    let (status, body) = call_as(&app, &admin, "disconnect_lever", &[]).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only a Super Admin disconnects: {body}"
    );
    let (status, body) = call_as(&app, &super_admin, "disconnect_lever", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (connection, access, refresh, reason): (String, Option<String>, Option<String>, Option<String>) =
        sqlx::query_as(
            "SELECT status, access_token_enc, refresh_token_enc, last_error FROM lever_connections WHERE organization_id = $1",
        )
        .bind(&app.northwind.organization_id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(connection, "revoked");
    assert_eq!(access, None, "the access token is deleted");
    assert_eq!(refresh, None, "the refresh token is deleted");
    assert!(
        reason
            .as_deref()
            .unwrap_or_default()
            .contains("Alex Rivera"),
        "{reason:?}"
    );
    let (status, body) = call_as(&app, &super_admin, "disconnect_lever", &[]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    let (note, stage_move) = queue_note_and_stage_move(&app).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(write_status(&app, &note).await, "pending");
    assert_eq!(write_status(&app, &stage_move).await, "pending");

    let (status, banner) = call_as(&app, &member, "load_lever_banner", &[]).await;
    assert_eq!(status, StatusCode::OK, "{banner}");
    assert_eq!(banner["disconnected"], true);
    assert_eq!(banner["super_admins"], json!(["Alex Rivera"]));
    assert_eq!(banner["waiting_writes"], 2);
    assert_eq!(banner["can_reconnect"], false);
    let (_, banner) = call_as(&app, &super_admin, "load_lever_banner", &[]).await;
    assert_eq!(banner["can_reconnect"], true);
    let (_, page) = page_as(&app, &super_admin, "/integration").await;
    assert!(
        page.contains(BANNER_TEXT),
        "the Integration page shows the banner"
    );
    assert!(
        page.contains("Disconnected in Tryout by Alex Rivera"),
        "{page}"
    );
    assert!(page.contains("Reconnect Lever on the Jobs page"));
    let (status, jobs_page) = page_as(&app, &member, "/jobs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        jobs_page.contains(BANNER_TEXT),
        "the Jobs page shows the banner"
    );
    assert!(jobs_page.contains("A Super Admin can reconnect it: Alex Rivera."));

    app.connect_lever().await;
    let lever = app
        .wait_for_lever("the kept writes after reconnecting", |state| {
            state
                .opportunity(&opportunity)
                .and_then(|o| o.stage.clone())
                .as_deref()
                == Some(PASS_STAGE_ID)
        })
        .await;
    assert_eq!(lever.opportunity(&opportunity).unwrap().notes.len(), 1);
    let (_, banner) = call_as(&app, &member, "load_lever_banner", &[]).await;
    assert_eq!(banner["disconnected"], false, "{banner}");
}

async fn revoked_in_lever_drains_on_reconnect(app: TestApp) {
    app.connect_lever().await;
    let member = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;
    let opportunity = app.northwind.candidates[0].opportunity_id.clone();
    let revoke = reqwest::Client::new()
        .post(app.simulator.base_url.join("_sim/revoke").unwrap())
        .send()
        .await
        .unwrap();
    assert!(revoke.status().is_success());

    let (note, stage_move) = queue_note_and_stage_move(&app).await;
    let started = Instant::now();
    loop {
        let (_, banner) = call_as(&app, &member, "load_lever_banner", &[]).await;
        if banner["disconnected"] == true {
            assert_eq!(banner["waiting_writes"], 2, "{banner}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the revocation was never noticed"
        );
        app.state.outbox_wakeup.notify_one();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let paused_until: i64 = sqlx::query_scalar("SELECT next_attempt_at FROM outbox WHERE id = $1")
        .bind(&note)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert!(
        paused_until > app::ssr::clock::now_ms(),
        "the note that met the revocation was put back for later"
    );
    assert_eq!(write_status(&app, &note).await, "pending");
    assert_eq!(write_status(&app, &stage_move).await, "pending");

    // The worker paused the note for 30 s, longer than wait_for_lever waits, so only the
    // reconnect makes it due in time.
    app.connect_lever().await;
    let lever = app
        .wait_for_lever("the kept writes after reconnecting", |state| {
            state
                .opportunity(&opportunity)
                .and_then(|o| o.stage.clone())
                .as_deref()
                == Some(PASS_STAGE_ID)
        })
        .await;
    assert_eq!(lever.opportunity(&opportunity).unwrap().notes.len(), 1);
}

async fn integration_page_renders_for_admins(app: TestApp) {
    let (note, _) = queue_note_and_stage_move(&app).await;
    sqlx::query("UPDATE outbox SET status = 'failed', last_error = 'Lever rejected the request (HTTP 400 BadRequest): no such field' WHERE id = $1")
        .bind(&note)
        .execute(&app.state.db)
        .await
        .unwrap();
    let admin = signed_in(
        &app,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;
    let member = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;

    let (status, page) = page_as(&app, &admin, "/integration?status=failed").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Writes to Lever"), "{page}");
    assert!(
        page.contains("no such field"),
        "the failure's reason is shown"
    );
    assert!(page.contains("Retry now"));
    let (_, jobs_page) = page_as(&app, &admin, "/jobs").await;
    assert!(
        jobs_page.contains("href=\"/integration\""),
        "the header links to the page"
    );
    assert!(
        jobs_page.contains("href=\"/integration?status=failed\""),
        "the failed count links to the failed writes"
    );

    let (_, page) = page_as(&app, &member, "/integration").await;
    assert!(page.contains("Only an Admin or Super Admin"), "{page}");
    assert!(!page.contains("Retry now"));
    let (_, jobs_page) = page_as(&app, &member, "/jobs").await;
    assert!(!jobs_page.contains("href=\"/integration\""));
}

on_both_backends!(
    rejected_write_fails_and_retry_sends_it,
    discarded_write_is_kept_and_unblocks_later,
    staff_without_permission_or_organization_rejected,
    list_pages_newest_first_by_cursor,
    disconnect_keeps_writes_until_reconnect,
    revoked_in_lever_drains_on_reconnect,
    integration_page_renders_for_admins,
);
