//! Branding: an Admin's logo, accent colour and welcome text reach every candidate's portal,
//! and a job's own accent wins over the organization's. A colour with too little contrast is
//! rejected with its ratio and changes nothing, and the welcome text is sanitized. A logo must
//! be an image of at most 2 MiB, and a rejected one leaves nothing behind.

use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{files_under, sample_png, token_of, upload_logo, TestApp};

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

async fn logo_reaches_the_portal(app: TestApp) {
    let admin = signed_in(
        &app,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;
    let png = sample_png(5000);

    let (status, body) = upload_logo(&app, &admin, png.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let logo_url = body["logo_url"].as_str().unwrap().to_owned();
    assert!(logo_url.starts_with("/media/logos/"), "{logo_url}");

    let branding = candidate_branding(&app).await;
    assert_eq!(branding["logo_url"], logo_url.as_str());

    // Anyone may load the logo: candidates see it without signing in.
    let response = Client::new().get(app.url(&logo_url)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/png");
    assert_eq!(response.bytes().await.unwrap().as_ref(), png.as_slice());

    let (status, body) = app.post_form(&admin, "remove_logo", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(candidate_branding(&app).await["logo_url"], Value::Null);
    let changes = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'branding_changed'")
        .await;
    assert_eq!(changes, 2, "the upload and the removal are audited");
}

async fn rejected_logo_leaves_nothing(app: TestApp) {
    let admin = signed_in(
        &app,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;

    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec();
    let (status, body) = upload_logo(&app, &admin, svg).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    assert_eq!(body["Invalid"]["field"], "logo_file", "{body}");
    assert!(
        body.to_string().contains("This file is not an image"),
        "{body}"
    );

    let (status, body) = upload_logo(&app, &admin, sample_png(3 << 20)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(body.to_string().contains("maximum of 2 MiB"), "{body}");

    let team_member = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;
    let (status, body) = upload_logo(&app, &team_member, sample_png(5000)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    assert_eq!(
        files_under(&app.media_dir()),
        Vec::<std::path::PathBuf>::new()
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM media_uploads").await, 0);
    assert_eq!(candidate_branding(&app).await["logo_url"], Value::Null);
}

on_both_backends!(
    logo_reaches_the_portal,
    rejected_logo_leaves_nothing,
    branding_reaches_the_portal,
    low_contrast_accent_is_rejected,
    team_member_cannot_change_branding,
);
