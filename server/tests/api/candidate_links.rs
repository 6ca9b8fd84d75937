//! A candidate's personal link managed from the candidates page. A new link is emailed and
//! the old one stops working. An expired link is rejected with its own message, and a re-sent
//! link works again after expiry. A Team Member who does not own the job changes nothing.
//! Reminders before a deadline go out once, with a new link only for a candidate who never
//! opened the first one.

use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{token_of, TestApp};

async fn admin(app: &TestApp) -> Client {
    let browser = TestApp::browser();
    app.sign_in(
        &browser,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;
    browser
}

async fn application_id(app: &TestApp, token: &str) -> String {
    sqlx::query_scalar("SELECT id FROM applications WHERE link_token_hash = $1")
        .bind(app::ssr::crypto::hash_token(token))
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

async fn open_portal(app: &TestApp, token: &str) -> (StatusCode, Value) {
    app.call_form("load_portal", &[("token", token)]).await
}

/// Returns the link in the newest invitation email of the application.
async fn newest_link(app: &TestApp, application_id: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body_text FROM emails WHERE application_id = $1 AND kind = 'invitation' ORDER BY id DESC LIMIT 1",
    )
    .bind(application_id)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    app.link_in(&body)
}

async fn resent_link_replaces_the_old_one(app: TestApp) {
    let admin = admin(&app).await;
    let old_token = token_of(&app.northwind.candidates[0].link);
    let id = application_id(&app, &old_token).await;

    let (expired, _) = app
        .post_form(&admin, "expire_candidate_link", &[("application_id", &id)])
        .await;
    let (after_expiry, expiry_body) = open_portal(&app, &old_token).await;
    let (listed, listing) = app
        .post_form(
            &admin,
            "list_candidates",
            &[("role_id", &app.northwind.role_id)],
        )
        .await;
    let (resent, _) = app
        .post_form(&admin, "resend_candidate_link", &[("application_id", &id)])
        .await;
    let new_token = token_of(&newest_link(&app, &id).await);
    let (old_after_resend, _) = open_portal(&app, &old_token).await;
    let (new_after_resend, _) = open_portal(&app, &new_token).await;

    assert_eq!(expired, StatusCode::OK);
    assert_eq!(after_expiry, StatusCode::CONFLICT);
    assert!(expiry_body.to_string().contains("expired"), "{expiry_body}");
    assert_eq!(listed, StatusCode::OK);
    let listing: Value = serde_json::from_str(&listing).unwrap();
    let row = listing["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["application_id"] == id.as_str())
        .unwrap();
    assert_eq!(row["link_expired"], true);
    assert_eq!(resent, StatusCode::OK);
    assert_ne!(new_token, old_token);
    assert_eq!(old_after_resend, StatusCode::NOT_FOUND);
    assert_eq!(new_after_resend, StatusCode::OK);
}

async fn non_owner_cannot_resend_link(app: TestApp) {
    let member = TestApp::browser();
    app.sign_in(
        &member,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;
    let token = token_of(&app.northwind.candidates[0].link);
    let id = application_id(&app, &token).await;
    let emails_before = app.count("SELECT COUNT(*) FROM emails").await;

    // The seeded Team Member owns only the draft job, not the job this candidate applied to.
    let (resent, body) = app
        .post_form(&member, "resend_candidate_link", &[("application_id", &id)])
        .await;
    let (expired, _) = app
        .post_form(&member, "expire_candidate_link", &[("application_id", &id)])
        .await;

    assert_eq!(resent, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(expired, StatusCode::FORBIDDEN);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM emails").await,
        emails_before
    );
    assert_eq!(open_portal(&app, &token).await.0, StatusCode::OK);
}

on_both_backends!(
    resent_link_replaces_the_old_one,
    non_owner_cannot_resend_link,
);

/// Sets the deadline of application `id` to `hours` from now.
async fn set_deadline(app: &TestApp, id: &str, hours: i64) {
    sqlx::query("UPDATE applications SET deadline_at = $1 WHERE id = $2")
        .bind(app::ssr::clock::now_ms() + hours * 60 * 60 * 1000)
        .bind(id)
        .execute(&app.state.db)
        .await
        .unwrap();
}

async fn reminders_of(app: &TestApp, id: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM emails WHERE kind = 'reminder' AND application_id = '{id}'"
    ))
    .await
}

async fn reminder_goes_out_once_before_deadline(app: TestApp) {
    let unopened_token = token_of(&app.northwind.candidates[0].link);
    let unopened = application_id(&app, &unopened_token).await;
    let started_token = token_of(&app.northwind.candidates[1].link);
    let started = application_id(&app, &started_token).await;
    let far_token = token_of(&app.northwind.candidates[2].link);
    let far = application_id(&app, &far_token).await;
    assert_eq!(open_portal(&app, &started_token).await.0, StatusCode::OK);
    set_deadline(&app, &unopened, 24).await;
    set_deadline(&app, &started, 24).await;
    set_deadline(&app, &far, 24 * 7).await;
    let now = app::ssr::clock::now_ms();

    let first = app::ssr::reminders::send_due_reminders(&app.state, now)
        .await
        .unwrap();
    let second = app::ssr::reminders::send_due_reminders(&app.state, now)
        .await
        .unwrap();

    assert_eq!(first, 2);
    assert_eq!(second, 0, "each candidate is reminded once");
    assert_eq!(reminders_of(&app, &unopened).await, 1);
    assert_eq!(reminders_of(&app, &started).await, 1);
    assert_eq!(
        reminders_of(&app, &far).await,
        0,
        "a week away is too early"
    );
    // The candidate who never opened their link gets a new one in the reminder.
    let body: String = sqlx::query_scalar(
        "SELECT body_text FROM emails WHERE kind = 'reminder' AND application_id = $1",
    )
    .bind(&unopened)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    let new_link = app.link_in(&body);
    assert_eq!(
        open_portal(&app, &token_of(&new_link)).await.0,
        StatusCode::OK
    );
    // The candidate who started keeps the link open on their device.
    assert_eq!(open_portal(&app, &started_token).await.0, StatusCode::OK);
}

on_both_backends!(reminder_goes_out_once_before_deadline);
