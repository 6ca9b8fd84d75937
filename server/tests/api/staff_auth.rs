//! Staff sign-in and sessions: the same message for an unknown email and a wrong password,
//! sessions that end on the server, and pages that need one.

use reqwest::StatusCode;

use crate::helpers::TestApp;

async fn sign_in_status(app: &TestApp, email: &str, password: &str) -> (StatusCode, String) {
    let response = TestApp::browser()
        .post(app.url("/api/sign_in"))
        .header("origin", app.origin())
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn wrong_password_and_unknown_email_look_alike(app: TestApp) {
    let wrong_password = sign_in_status(&app, &app.northwind.admin.email, "not-the-password").await;
    let unknown_email = sign_in_status(&app, "nobody@northwind.example", "not-the-password").await;

    assert_eq!(wrong_password.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong_password, unknown_email);
    assert!(
        wrong_password.1.contains("do not match an active account"),
        "{}",
        wrong_password.1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
}

async fn expired_session_is_rejected(app: TestApp) {
    let browser = TestApp::browser();
    app.sign_in(
        &browser,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;
    let before = browser
        .post(app.url("/api/list_jobs"))
        .header("origin", app.origin())
        .send()
        .await
        .unwrap();
    assert_eq!(before.status(), StatusCode::OK);

    sqlx::query("UPDATE sessions SET expires_at = 1")
        .execute(&app.state.db)
        .await
        .unwrap();
    let after = browser
        .post(app.url("/api/list_jobs"))
        .header("origin", app.origin())
        .send()
        .await
        .unwrap();

    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
}

async fn sign_out_ends_session_on_server(app: TestApp) {
    let browser = TestApp::browser();
    app.sign_in(
        &browser,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);

    let response = browser
        .post(app.url("/api/sign_out"))
        .header("origin", app.origin())
        .send()
        .await
        .unwrap();

    assert!(response.status().is_success() || response.status().is_redirection());
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    let after = browser
        .post(app.url("/api/list_jobs"))
        .header("origin", app.origin())
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
}

async fn jobs_list_only_own_organization(app: TestApp) {
    let browser = TestApp::browser();
    app.sign_in(
        &browser,
        &app.globex.admin.email,
        &app.globex.admin.password,
    )
    .await;
    let northwind_role: String = sqlx::query_scalar(
        "SELECT r.id FROM roles r JOIN organizations o ON o.id = r.organization_id WHERE o.name = 'Northwind Labs'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();

    let jobs: serde_json::Value = browser
        .post(app.url("/api/list_jobs"))
        .header("origin", app.origin())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let foreign = browser
        .post(app.url("/api/list_candidates"))
        .header("origin", app.origin())
        .form(&[("role_id", northwind_role.as_str())])
        .send()
        .await
        .unwrap();

    let job_ids: Vec<&str> = jobs
        .as_array()
        .unwrap()
        .iter()
        .map(|job| job["id"].as_str().unwrap())
        .collect();
    assert_eq!(job_ids.len(), 2, "globex's two seeded jobs: {jobs}");
    assert!(!job_ids.contains(&northwind_role.as_str()));
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
}

async fn jobs_page_redirects_signed_out_browser(app: TestApp) {
    let response = TestApp::browser()
        .get(app.url("/jobs"))
        .header(reqwest::header::ACCEPT, "text/html")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(crate::helpers::location(&response), "/sign-in");
}

async fn wrong_password_without_javascript_returns_to_form(app: TestApp) {
    let response = TestApp::browser()
        .post(app.url("/api/sign_in"))
        .header("origin", app.origin())
        .header(reqwest::header::ACCEPT, "text/html")
        .header(reqwest::header::REFERER, app.url("/sign-in").as_str())
        .form(&[
            ("email", app.northwind.admin.email.as_str()),
            ("password", "not-the-password"),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::FOUND);
    let location = crate::helpers::location(&response);
    assert!(location.contains("/sign-in"), "{location}");
    assert!(
        location.contains("__err="),
        "the error travels back to the form: {location}"
    );
    let page = reqwest::Client::new()
        .get(app.url(&location))
        .header(reqwest::header::ACCEPT, "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("do not match an active account"),
        "the sign-in page shows the error"
    );
}

/// A form sent from another site (or with no `Origin`) is rejected before it reaches the
/// server function. A JSON call needs no `Origin`, because no form can send one across sites.
async fn cross_site_forms_are_refused(app: TestApp) {
    let browser = TestApp::browser();
    app.sign_in(
        &browser,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;
    let sessions_before = app.count("SELECT COUNT(*) FROM sessions").await;

    let foreign = browser
        .post(app.url("/api/sign_out"))
        .header("origin", "http://evil.example")
        .form(&[("unused", "")])
        .send()
        .await
        .unwrap();
    let missing = browser.post(app.url("/api/sign_out")).send().await.unwrap();
    let sessions_after_refusals = app.count("SELECT COUNT(*) FROM sessions").await;
    let json = browser
        .post(app.url("/api/complete_content_step"))
        .json(&serde_json::json!({"token": "no-such-link", "step_id": "no-such-step"}))
        .send()
        .await
        .unwrap();
    let own = browser
        .post(app.url("/api/sign_out"))
        .header("origin", app.origin())
        .send()
        .await
        .unwrap();

    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    assert!(foreign.text().await.unwrap().contains("from another site"));
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        sessions_after_refusals, sessions_before,
        "a refused sign-out ends nothing"
    );
    let json_status = json.status();
    let json_body = json.text().await.unwrap();
    assert!(
        !json_body.contains("from another site"),
        "the JSON call passed the check: {json_status} {json_body}"
    );
    assert!(
        json_body.contains("link"),
        "the server function turned the made-up link down: {json_status} {json_body}"
    );
    assert!(own.status().is_success() || own.status().is_redirection());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions").await,
        sessions_before - 1
    );
}

on_both_backends!(
    cross_site_forms_are_refused,
    wrong_password_and_unknown_email_look_alike,
    expired_session_is_rejected,
    sign_out_ends_session_on_server,
    jobs_list_only_own_organization,
    jobs_page_redirects_signed_out_browser,
    wrong_password_without_javascript_returns_to_form,
);
