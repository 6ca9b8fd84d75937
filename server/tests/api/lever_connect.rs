//! Connecting Lever by OAuth: the happy path and every way it can fail without leaving a
//! half-made connection.

use reqwest::StatusCode;

use crate::helpers::{location, TestApp};

async fn connections(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM lever_connections").await
}

async fn connect_stores_encrypted_tokens_and_lists(app: TestApp) {
    app.connect_lever().await;

    let (status, access_sealed): (String, String) =
        sqlx::query_as("SELECT status, access_token_enc FROM lever_connections")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(status, "live");
    assert!(!access_sealed.is_empty());
    assert_eq!(app.count("SELECT COUNT(*) FROM lever_stages").await, 6);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM lever_archive_reasons")
            .await,
        3
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM lever_users").await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM lever_postings").await, 2);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM oauth_states").await,
        0,
        "the state is single use"
    );

    // The sealed value opens to a token the simulator accepts, so it is the real token, encrypted.
    let organization_id: String =
        sqlx::query_scalar("SELECT organization_id FROM lever_connections")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let access_token = app
        .state
        .secrets
        .open(&access_sealed, &organization_id)
        .unwrap();
    assert_ne!(access_token, access_sealed);
    let stages = reqwest::Client::new()
        .get(app.simulator.base_url.join("v1/stages").unwrap())
        .bearer_auth(&access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(stages.status(), StatusCode::OK);
}

async fn denied_consent_connects_nothing(app: TestApp) {
    let browser = TestApp::browser();
    app.sign_in(
        &browser,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;

    let callback = app.consent(&browser, "deny").await;
    assert!(callback.contains("error=access_denied"), "{callback}");
    let landing = browser.get(callback).send().await.unwrap();

    assert_eq!(location(&landing), "/jobs?lever_error=denied");
    assert_eq!(connections(&app).await, 0);
}

async fn wrong_state_is_rejected(app: TestApp) {
    let browser = TestApp::browser();
    app.sign_in(
        &browser,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;
    let callback = app.consent(&browser, "accept").await;

    let mut forged = url::Url::parse(&callback).unwrap();
    let code = forged
        .query_pairs()
        .find(|(name, _)| name == "code")
        .unwrap()
        .1
        .into_owned();
    forged
        .query_pairs_mut()
        .clear()
        .append_pair("code", &code)
        .append_pair("state", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    let landing = browser.get(forged).send().await.unwrap();

    assert_eq!(location(&landing), "/jobs?lever_error=state");
    assert_eq!(connections(&app).await, 0);
}

async fn state_from_another_session_is_rejected(app: TestApp) {
    let first = TestApp::browser();
    app.sign_in(
        &first,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;
    let callback = app.consent(&first, "accept").await;

    // The same Super Admin in a second browser: the state belongs to the first session.
    let second = TestApp::browser();
    app.sign_in(
        &second,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;
    let landing = second.get(callback).send().await.unwrap();

    assert_eq!(location(&landing), "/jobs?lever_error=state");
    assert_eq!(connections(&app).await, 0);
}

async fn code_that_fails_to_exchange_connects_nothing(app: TestApp) {
    let browser = TestApp::browser();
    app.sign_in(
        &browser,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;
    let callback = app.consent(&browser, "accept").await;

    // Spend the code first, so Tryout's exchange gets invalid_grant.
    let code = url::Url::parse(&callback)
        .unwrap()
        .query_pairs()
        .find(|(name, _)| name == "code")
        .unwrap()
        .1
        .into_owned();
    let spent = reqwest::Client::new()
        .post(app.simulator.base_url.join("oauth/token").unwrap())
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("client_id", server::demo::lever_account::CLIENT_ID),
            ("client_secret", crate::helpers::CLIENT_SECRET),
            (
                "redirect_uri",
                server::config::callback_url(&app.base).as_str(),
            ),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(spent.status(), StatusCode::OK);
    let landing = browser.get(callback).send().await.unwrap();

    assert_eq!(location(&landing), "/jobs?lever_error=exchange");
    assert_eq!(connections(&app).await, 0);
}

async fn team_member_cannot_start_connect(app: TestApp) {
    let browser = TestApp::browser();
    app.sign_in(
        &browser,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;

    let response = browser
        .post(app.url("/integrations/lever/authorize"))
        .header("origin", app.origin())
        .send()
        .await
        .unwrap();

    assert_eq!(location(&response), "/jobs?lever_error=forbidden");
    assert_eq!(app.count("SELECT COUNT(*) FROM oauth_states").await, 0);
    assert_eq!(connections(&app).await, 0);
}

async fn signed_out_connect_goes_to_sign_in(app: TestApp) {
    let response = TestApp::browser()
        .post(app.url("/integrations/lever/authorize"))
        .header("origin", app.origin())
        .send()
        .await
        .unwrap();

    assert_eq!(location(&response), "/sign-in");
    assert_eq!(app.count("SELECT COUNT(*) FROM oauth_states").await, 0);
}

async fn jobs_status_reports_who_can_connect(app: TestApp) {
    let browser = TestApp::browser();
    app.sign_in(
        &browser,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;

    let response = browser
        .post(app.url("/api/load_lever_status"))
        .header("origin", app.origin())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let status: serde_json::Value = response.json().await.unwrap();

    assert_eq!(status["can_connect"], false);
    assert_eq!(status["status"], "not_connected");
    assert_eq!(status["super_admins"], serde_json::json!(["Alex Rivera"]));
}

on_both_backends!(
    connect_stores_encrypted_tokens_and_lists,
    denied_consent_connects_nothing,
    wrong_state_is_rejected,
    state_from_another_session_is_rejected,
    code_that_fails_to_exchange_connects_nothing,
    team_member_cannot_start_connect,
    signed_out_connect_goes_to_sign_in,
    jobs_status_reports_who_can_connect,
);
