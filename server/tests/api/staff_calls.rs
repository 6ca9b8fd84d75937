//! Calling staff server functions as a signed-in person, with the `Origin` header a browser
//! sends on a form post, and adding staff accounts and job memberships for a test.

use app::ssr::clock::new_id;
use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::TestApp;

/// Calls server function `name` as the signed-in `browser`, with a form body.
pub async fn call_as(
    app: &TestApp,
    browser: &Client,
    name: &str,
    form: &[(&str, &str)],
) -> (StatusCode, Value) {
    let request = browser.post(app.url(&format!("/api/{name}"))).form(form);
    send_as(app, request).await
}

/// Calls JSON-encoded server function `name` as the signed-in `browser`.
pub async fn call_json_as(
    app: &TestApp,
    browser: &Client,
    name: &str,
    body: Value,
) -> (StatusCode, Value) {
    let request = browser.post(app.url(&format!("/api/{name}"))).json(&body);
    send_as(app, request).await
}

/// Sends a server function call with the page's `Origin`; returns the status and the body,
/// decoded as JSON when it is JSON.
async fn send_as(app: &TestApp, request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request
        .header(reqwest::header::ORIGIN, app.origin())
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

/// Returns a browser signed in as `email`.
pub async fn signed_in(app: &TestApp, email: &str, password: &str) -> Client {
    let browser = TestApp::browser();
    app.sign_in(&browser, email, password).await;
    browser
}

/// Adds an active staff account with `role` to `organization_id`; returns its id and a
/// browser signed in as it.
pub async fn add_staff(
    app: &TestApp,
    organization_id: &str,
    role: &str,
    name: &str,
) -> (String, Client) {
    let id = new_id();
    let email = format!("{}@staff.example", name.to_lowercase().replace(' ', "."));
    let password = "a-long-test-password";
    sqlx::query(
        "INSERT INTO staff_users (id, organization_id, email, name, role, password_hash, active, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 1, 0)",
    )
    .bind(&id)
    .bind(organization_id)
    .bind(&email)
    .bind(name)
    .bind(role)
    .bind(app::ssr::password::hash_password(password.to_string()).await.unwrap())
    .execute(&app.state.db)
    .await
    .unwrap();

    (id, signed_in(app, &email, password).await)
}

/// Makes `staff_user_id` an `owner` or `reviewer` of job `role_id` directly in the database.
pub async fn add_member(
    app: &TestApp,
    organization_id: &str,
    role_id: &str,
    staff_user_id: &str,
    membership: &str,
) {
    sqlx::query(
        "INSERT INTO role_members (organization_id, role_id, staff_user_id, membership, added_at)
         VALUES ($1, $2, $3, $4, 0)",
    )
    .bind(organization_id)
    .bind(role_id)
    .bind(staff_user_id)
    .bind(membership)
    .execute(&app.state.db)
    .await
    .unwrap();
}

/// Returns the id of the staff account with `email`.
pub async fn staff_id(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT id FROM staff_users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

/// Returns the id of the application linked to Lever opportunity `opportunity_id`.
pub async fn application_of(app: &TestApp, opportunity_id: &str) -> String {
    sqlx::query_scalar("SELECT id FROM applications WHERE lever_opportunity_id = $1")
        .bind(opportunity_id)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}
