//! A staff member's own account: renaming oneself, and changing one's password, which needs
//! the current password, counts a wrong one as a failed sign-in, and ends the other sessions.

use reqwest::StatusCode;

use crate::helpers::TestApp;

async fn signed_in(app: &TestApp, email: &str, password: &str) -> reqwest::Client {
    let browser = TestApp::browser();
    app.sign_in(&browser, email, password).await;
    browser
}

async fn password_change_ends_other_sessions(app: TestApp) {
    let email = app.northwind.team_member.email.clone();
    let old_password = app.northwind.team_member.password.clone();
    let new_password = "a-brand-new-password-42";
    let here = signed_in(&app, &email, &old_password).await;
    let elsewhere = signed_in(&app, &email, &old_password).await;

    let (status, body) = app
        .post_form(
            &here,
            "change_own_password",
            &[
                ("current_password", old_password.as_str()),
                ("password", new_password),
                ("password_confirm", new_password),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (here_status, _) = app.post_form(&here, "list_jobs", &[]).await;
    let (elsewhere_status, _) = app.post_form(&elsewhere, "list_jobs", &[]).await;
    assert_eq!(
        here_status,
        StatusCode::OK,
        "the session that changed it stays"
    );
    assert_eq!(
        elsewhere_status,
        StatusCode::UNAUTHORIZED,
        "the other session ends"
    );

    let (old_status, _) = app
        .post_form(
            &TestApp::browser(),
            "sign_in",
            &[
                ("email", email.as_str()),
                ("password", old_password.as_str()),
            ],
        )
        .await;
    assert_eq!(
        old_status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the old password no longer works"
    );
    let fresh = TestApp::browser();
    app.sign_in(&fresh, &email, new_password).await;
    let (fresh_status, _) = app.post_form(&fresh, "list_jobs", &[]).await;
    assert_eq!(fresh_status, StatusCode::OK, "the new password signs in");
}

async fn wrong_current_password_is_rejected(app: TestApp) {
    let email = app.northwind.team_member.email.clone();
    let password = app.northwind.team_member.password.clone();
    let browser = signed_in(&app, &email, &password).await;
    let attempt = [
        ("current_password", "not-my-password"),
        ("password", "another-long-password"),
        ("password_confirm", "another-long-password"),
    ];

    let (status, body) = app
        .post_form(&browser, "change_own_password", &attempt)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.contains("That is not your current password."),
        "{body}"
    );

    // Wrong current passwords count as failed sign-ins, so the fifth locks the account.
    for _ in 0..4 {
        app.post_form(&browser, "change_own_password", &attempt)
            .await;
    }
    let (locked_status, locked_body) = app
        .post_form(&browser, "change_own_password", &attempt)
        .await;
    assert_eq!(
        locked_status,
        StatusCode::TOO_MANY_REQUESTS,
        "{locked_body}"
    );
    let (sign_in_status, _) = app
        .post_form(
            &TestApp::browser(),
            "sign_in",
            &[("email", email.as_str()), ("password", password.as_str())],
        )
        .await;
    assert_eq!(
        sign_in_status,
        StatusCode::TOO_MANY_REQUESTS,
        "the account is locked for sign-in too"
    );

    let (still_status, _) = app.post_form(&browser, "list_jobs", &[]).await;
    assert_eq!(still_status, StatusCode::OK, "the session itself stays");
}

async fn rename_changes_only_own_name(app: TestApp) {
    let browser = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;

    let (empty_status, empty_body) = app
        .post_form(&browser, "rename_self", &[("name", "   ")])
        .await;
    assert_eq!(
        empty_status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{empty_body}"
    );
    let (status, body) = app
        .post_form(&browser, "rename_self", &[("name", "  Grace Hopper ")])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let names: Vec<(String, String)> = sqlx::query_as(
        "SELECT email, name FROM staff_users WHERE organization_id = $1 ORDER BY email",
    )
    .bind(&app.northwind.organization_id)
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    let own = names
        .iter()
        .find(|(email, _)| *email == app.northwind.team_member.email)
        .unwrap();
    assert_eq!(own.1, "Grace Hopper");
    assert_eq!(
        names
            .iter()
            .filter(|(_, name)| name == "Grace Hopper")
            .count(),
        1,
        "nobody else was renamed: {names:?}"
    );
}

on_both_backends!(
    password_change_ends_other_sessions,
    wrong_current_password_is_rejected,
    rename_changes_only_own_name,
);
