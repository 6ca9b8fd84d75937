//! Branding: an Admin's accent colour and welcome text reach every candidate's portal, a job's
//! own accent wins over the organization's, a colour with too little contrast is rejected with
//! its ratio and changes nothing, and the welcome text is sanitized.

use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{token_of, TestApp};

async fn signed_in(app: &TestApp, email: &str, password: &str) -> Client {
    let browser = TestApp::browser();
    app.sign_in(&browser, email, password).await;
    browser
}

/// Loads the candidate portal of the first seeded candidate, as their browser would.
async fn candidate_branding(app: &TestApp) -> Value {
    let token = token_of(&app.northwind.candidates[0].link);
    let (status, overview) = app
        .call_form("load_portal", &[("token", token.as_str())])
        .await;
    assert_eq!(status, StatusCode::OK, "{overview}");
    overview["branding"].clone()
}

async fn stored_accent(app: &TestApp) -> Option<String> {
    sqlx::query_scalar("SELECT accent_color FROM organizations WHERE id = $1")
        .bind(&app.northwind.organization_id)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

async fn branding_reaches_the_portal(app: TestApp) {
    let admin = signed_in(
        &app,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;
    let welcome = "Welcome to **Northwind**.\n\n<script>alert(1)</script><a href=\"javascript:steal()\">x</a>";

    let (saved, body) = app
        .post_form(
            &admin,
            "save_branding",
            &[("accent_color", " 0B3D2E "), ("welcome_md", welcome)],
        )
        .await;
    let branding = candidate_branding(&app).await;

    assert_eq!(saved, StatusCode::OK, "{body}");
    assert_eq!(stored_accent(&app).await.as_deref(), Some("#0b3d2e"));
    assert_eq!(branding["accent_color"], "#0b3d2e");
    let html = branding["welcome_html"].as_str().unwrap();
    assert!(html.contains("<strong>Northwind</strong>"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("javascript:"), "{html}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'branding_changed'")
            .await,
        1
    );

    // A job's own accent wins over the organization's.
    let role_id = app.northwind.role_id.as_str();
    let (saved, body) = app
        .post_form(
            &admin,
            "save_job_settings",
            &[
                ("role_id", role_id),
                ("title", "Backend Engineer"),
                ("accent_color", "#5a189a"),
            ],
        )
        .await;
    assert_eq!(saved, StatusCode::OK, "{body}");
    assert_eq!(candidate_branding(&app).await["accent_color"], "#5a189a");
}

async fn low_contrast_accent_is_rejected(app: TestApp) {
    let admin = signed_in(
        &app,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;

    let (light, light_body) = app
        .post_form(
            &admin,
            "save_branding",
            &[("accent_color", "#ffcc00"), ("welcome_md", "Hi")],
        )
        .await;
    let (malformed, malformed_body) = app
        .post_form(
            &admin,
            "save_branding",
            &[("accent_color", "blue"), ("welcome_md", "Hi")],
        )
        .await;
    let (job, job_body) = app
        .post_form(
            &admin,
            "save_job_settings",
            &[
                ("role_id", app.northwind.role_id.as_str()),
                ("title", "Backend Engineer"),
                ("accent_color", "#eeeeee"),
            ],
        )
        .await;

    assert_eq!(light, StatusCode::UNPROCESSABLE_ENTITY);
    let light_body: Value = serde_json::from_str(&light_body).unwrap();
    assert_eq!(light_body["Invalid"]["field"], "accent_color");
    assert!(
        light_body["Invalid"]["message"]
            .as_str()
            .unwrap()
            .contains("1.5:1"),
        "{light_body}"
    );
    assert_eq!(
        malformed,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{malformed_body}"
    );
    assert_eq!(job, StatusCode::UNPROCESSABLE_ENTITY, "{job_body}");
    assert_eq!(stored_accent(&app).await, None, "nothing was saved");
    assert_eq!(candidate_branding(&app).await["accent_color"], Value::Null);
}

async fn team_member_cannot_change_branding(app: TestApp) {
    let member = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;

    let (status, body) = app
        .post_form(
            &member,
            "save_branding",
            &[("accent_color", "#0b3d2e"), ("welcome_md", "Hi")],
        )
        .await;

    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body.contains("Only an Admin or Super Admin can change the branding."),
        "{body}"
    );
    assert_eq!(stored_accent(&app).await, None);
}

on_both_backends!(
    branding_reaches_the_portal,
    low_contrast_accent_is_rejected,
    team_member_cannot_change_branding,
);
