//! Staff accounts: invitations, one-time sign-in and reset links, deactivation that ends
//! open sessions, sign-in throttling, the Super Admin rules, and the audit log of each change.

use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{token_of, TestApp};

const NEW_PASSWORD: &str = "a long new password";

async fn signed_in(app: &TestApp, email: &str, password: &str) -> Client {
    let browser = TestApp::browser();
    app.sign_in(&browser, email, password).await;
    browser
}

async fn admin(app: &TestApp) -> Client {
    signed_in(
        app,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await
}

async fn staff_id(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT id FROM staff_users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

/// Returns the link in the newest email of `kind` to `to`.
async fn link_in_email(app: &TestApp, to: &str, kind: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body_text FROM emails WHERE to_address = $1 AND kind = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(to)
    .bind(kind)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    app.link_in(&body)
}

async fn emails_of_kind(app: &TestApp, kind: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM emails WHERE kind = $1")
        .bind(kind)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

async fn list_jobs_status(app: &TestApp, browser: &Client) -> StatusCode {
    app.post_form(browser, "list_jobs", &[]).await.0
}

async fn invite(app: &TestApp, browser: &Client, email: &str, role: &str) -> (StatusCode, String) {
    app.post_form(
        browser,
        "invite_staff",
        &[("email", email), ("name", "Nia Invited"), ("role", role)],
    )
    .await
}

async fn set_role(app: &TestApp, browser: &Client, id: &str, role: &str) -> (StatusCode, String) {
    app.post_form(
        browser,
        "change_staff_role",
        &[("staff_user_id", id), ("role", role)],
    )
    .await
}

/// Changes the caller's own role with the confirmation the Staff page sends.
async fn set_own_role(
    app: &TestApp,
    browser: &Client,
    id: &str,
    role: &str,
) -> (StatusCode, String) {
    app.post_form(
        browser,
        "change_staff_role",
        &[
            ("staff_user_id", id),
            ("role", role),
            ("confirm_own_demotion", "yes"),
        ],
    )
    .await
}

async fn sign_in_attempt(app: &TestApp, email: &str, password: &str) -> (StatusCode, String) {
    app.post_form(
        &TestApp::browser(),
        "sign_in",
        &[("email", email), ("password", password)],
    )
    .await
}

/// Whether a server function that redirects on success succeeded.
fn succeeded(status: StatusCode) -> bool {
    status.is_success() || status.is_redirection()
}

async fn accept_invitation(app: &TestApp, token: &str) -> StatusCode {
    app.post_form(
        &TestApp::browser(),
        "accept_invitation",
        &[
            ("token", token),
            ("password", NEW_PASSWORD),
            ("password_confirm", NEW_PASSWORD),
        ],
    )
    .await
    .0
}

async fn invitation_sets_password_once(app: TestApp) {
    let admin = admin(&app).await;
    let email = "nia@northwind.example";

    let (status, body) = invite(&app, &admin, email, "admin").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let link = link_in_email(&app, email, "staff_invitation").await;
    assert!(link.starts_with(&format!("{}welcome/", app.base)), "{link}");
    let token = token_of(&link);

    let newcomer = TestApp::browser();
    let form = [
        ("token", token.as_str()),
        ("password", NEW_PASSWORD),
        ("password_confirm", NEW_PASSWORD),
    ];
    let (first, body) = app.post_form(&newcomer, "accept_invitation", &form).await;
    let (second, _) = app
        .post_form(&TestApp::browser(), "accept_invitation", &form)
        .await;

    assert!(succeeded(first), "{first}: {body}");
    assert_eq!(second, StatusCode::CONFLICT);
    assert_eq!(list_jobs_status(&app, &newcomer).await, StatusCode::OK);
    let (status, _) = sign_in_attempt(&app, email, NEW_PASSWORD).await;
    assert!(succeeded(status), "{status}");
}

async fn invitation_rejects_short_password(app: TestApp) {
    let admin = admin(&app).await;
    invite(&app, &admin, "nia@northwind.example", "team_member").await;
    let token = token_of(&link_in_email(&app, "nia@northwind.example", "staff_invitation").await);

    let (status, body) = app
        .post_form(
            &TestApp::browser(),
            "accept_invitation",
            &[
                ("token", &token),
                ("password", "short"),
                ("password_confirm", "short"),
            ],
        )
        .await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("at least 12 characters"), "{body}");
}

async fn expired_invitation_is_rejected(app: TestApp) {
    let admin = admin(&app).await;
    invite(&app, &admin, "nia@northwind.example", "team_member").await;
    let token = token_of(&link_in_email(&app, "nia@northwind.example", "staff_invitation").await);
    sqlx::query("UPDATE staff_tokens SET expires_at = 1")
        .execute(&app.state.db)
        .await
        .unwrap();

    let (status, body) = app
        .post_form(
            &TestApp::browser(),
            "accept_invitation",
            &[
                ("token", &token),
                ("password", NEW_PASSWORD),
                ("password_confirm", NEW_PASSWORD),
            ],
        )
        .await;

    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("expired or was already used"), "{body}");
    let unset: i64 = app
        .count("SELECT COUNT(*) FROM staff_users WHERE email = 'nia@northwind.example' AND password_hash IS NULL")
        .await;
    assert_eq!(unset, 1);
}

async fn resent_invitation_replaces_the_old_link(app: TestApp) {
    let admin = admin(&app).await;
    invite(&app, &admin, "nia@northwind.example", "team_member").await;
    let old = token_of(&link_in_email(&app, "nia@northwind.example", "staff_invitation").await);
    let id = staff_id(&app, "nia@northwind.example").await;

    let (status, body) = app
        .post_form(&admin, "resend_staff_invitation", &[("staff_user_id", &id)])
        .await;
    let new = token_of(&link_in_email(&app, "nia@northwind.example", "staff_invitation").await);
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_ne!(old, new);
    assert_eq!(accept_invitation(&app, &old).await, StatusCode::CONFLICT);
    assert!(succeeded(accept_invitation(&app, &new).await));
}

async fn invite_rejects_email_in_use(app: TestApp) {
    let admin = admin(&app).await;

    let (status, body) = invite(
        &app,
        &admin,
        &app.globex.admin.email.to_uppercase(),
        "team_member",
    )
    .await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let error: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error["Invalid"]["field"], "email", "{body}");
}

async fn deactivation_ends_open_session(app: TestApp) {
    let admin = admin(&app).await;
    let member = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;
    assert_eq!(list_jobs_status(&app, &member).await, StatusCode::OK);
    let id = staff_id(&app, &app.northwind.team_member.email).await;

    let (status, body) = app
        .post_form(&admin, "deactivate_staff", &[("staff_user_id", &id)])
        .await;

    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        list_jobs_status(&app, &member).await,
        StatusCode::UNAUTHORIZED
    );
    let right_password = sign_in_attempt(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;
    let wrong_password =
        sign_in_attempt(&app, &app.northwind.admin.email, "not-the-password").await;
    assert_eq!(right_password, wrong_password);
}

async fn reactivated_account_signs_in_again(app: TestApp) {
    let admin = admin(&app).await;
    let id = staff_id(&app, &app.northwind.team_member.email).await;
    app.post_form(&admin, "deactivate_staff", &[("staff_user_id", &id)])
        .await;

    let (status, body) = app
        .post_form(&admin, "reactivate_staff", &[("staff_user_id", &id)])
        .await;

    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = sign_in_attempt(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;
    assert!(succeeded(status), "{status}");
}

async fn ten_failed_sign_ins_are_throttled(app: TestApp) {
    let mut known = Vec::new();
    let mut unknown = Vec::new();

    for _ in 0..10 {
        known.push(sign_in_attempt(&app, &app.northwind.admin.email, "not-the-password").await);
        unknown.push(sign_in_attempt(&app, "nobody@northwind.example", "not-the-password").await);
    }
    let right_password = sign_in_attempt(
        &app,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;

    let statuses: Vec<StatusCode> = known.iter().map(|(status, _)| *status).collect();
    assert_eq!(statuses[..5], [StatusCode::UNPROCESSABLE_ENTITY; 5]);
    assert_eq!(statuses[5..], [StatusCode::TOO_MANY_REQUESTS; 5]);
    assert_eq!(known, unknown, "an unknown email is answered the same way");
    assert_eq!(right_password, known[9], "the right password waits too");
    assert!(
        known[9].1.contains("Too many failed sign-ins"),
        "{}",
        known[9].1
    );
}

async fn failures_from_one_address_are_throttled(app: TestApp) {
    for index in 0..30 {
        let (status, _) = sign_in_attempt(
            &app,
            &format!("guess{index}@northwind.example"),
            "password guess",
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "attempt {index}");
    }

    let (status, body) = sign_in_attempt(
        &app,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;

    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
}

async fn reset_link_works_once_and_ends_other_sessions(app: TestApp) {
    let email = app.northwind.team_member.email.clone();
    let old_session = signed_in(&app, &email, &app.northwind.team_member.password).await;
    let stranger = TestApp::browser();

    let (status, known) = app
        .post_form(&stranger, "request_password_reset", &[("email", &email)])
        .await;
    let (_, unknown) = app
        .post_form(
            &stranger,
            "request_password_reset",
            &[("email", "nobody@northwind.example")],
        )
        .await;
    let token = token_of(&link_in_email(&app, &email, "password_reset").await);
    let form = [
        ("token", token.as_str()),
        ("password", NEW_PASSWORD),
        ("password_confirm", NEW_PASSWORD),
    ];
    let new_session = TestApp::browser();
    let (first, _) = app.post_form(&new_session, "reset_password", &form).await;
    let (second, _) = app
        .post_form(&TestApp::browser(), "reset_password", &form)
        .await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(known, unknown, "the answer does not reveal the account");
    assert_eq!(emails_of_kind(&app, "password_reset").await, 1);
    assert!(succeeded(first), "{first}");
    assert_eq!(second, StatusCode::CONFLICT);
    assert_eq!(
        list_jobs_status(&app, &old_session).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(list_jobs_status(&app, &new_session).await, StatusCode::OK);
    assert!(succeeded(
        sign_in_attempt(&app, &email, NEW_PASSWORD).await.0
    ));
}

async fn sign_in_link_works_once(app: TestApp) {
    let email = app.northwind.team_member.email.clone();
    app.post_form(
        &TestApp::browser(),
        "request_sign_in_link",
        &[("email", &email)],
    )
    .await;
    let link = link_in_email(&app, &email, "sign_in_link").await;
    assert!(
        link.starts_with(&format!("{}sign-in/link/", app.base)),
        "{link}"
    );
    let token = token_of(&link);

    // A mail scanner opening the link signs nobody in.
    let page = TestApp::browser()
        .get(&link)
        .header(reqwest::header::ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);

    let browser = TestApp::browser();
    let (first, _) = app
        .post_form(&browser, "use_sign_in_link", &[("token", &token)])
        .await;
    let (second, body) = app
        .post_form(
            &TestApp::browser(),
            "use_sign_in_link",
            &[("token", &token)],
        )
        .await;

    assert!(succeeded(first), "{first}");
    assert_eq!(list_jobs_status(&app, &browser).await, StatusCode::OK);
    assert_eq!(second, StatusCode::CONFLICT);
    assert!(body.contains("expired or was already used"), "{body}");
}

async fn link_requests_are_capped_per_account(app: TestApp) {
    let email = app.northwind.team_member.email.clone();

    for _ in 0..8 {
        let (status, _) = app
            .post_form(
                &TestApp::browser(),
                "request_sign_in_link",
                &[("email", &email)],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }

    assert_eq!(emails_of_kind(&app, "sign_in_link").await, 5);
}

async fn last_super_admin_keeps_role(app: TestApp) {
    let admin = admin(&app).await;
    let own_id = staff_id(&app, &app.northwind.admin.email).await;

    let (demote, body) = set_own_role(&app, &admin, &own_id, "admin").await;
    let (deactivate, _) = app
        .post_form(&admin, "deactivate_staff", &[("staff_user_id", &own_id)])
        .await;

    assert_eq!(demote, StatusCode::CONFLICT);
    assert!(body.contains("last Super Admin"), "{body}");
    assert_eq!(deactivate, StatusCode::CONFLICT);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM staff_users WHERE role = 'super_admin' AND active = 1")
            .await,
        2,
        "both organizations keep their Super Admin"
    );
}

/// Checks that an invited Super Admin without a password does not count as another Super
/// Admin, because nobody can sign in as them yet.
async fn invited_super_admin_does_not_count(app: TestApp) {
    let admin = admin(&app).await;
    let own_id = staff_id(&app, &app.northwind.admin.email).await;
    let (invited, body) = invite(&app, &admin, "pat@northwind.example", "super_admin").await;
    assert_eq!(invited, StatusCode::OK, "{body}");

    let (demote, body) = set_own_role(&app, &admin, &own_id, "admin").await;

    assert_eq!(demote, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("last Super Admin"), "{body}");
    assert_eq!(role_of(&app, &own_id).await, "super_admin");
}

async fn role_of(app: &TestApp, id: &str) -> String {
    sqlx::query_scalar("SELECT role FROM staff_users WHERE id = $1")
        .bind(id)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

async fn own_demotion_needs_confirmation(app: TestApp) {
    let super_admin = admin(&app).await;
    let member_id = staff_id(&app, &app.northwind.team_member.email).await;
    assert_eq!(
        set_role(&app, &super_admin, &member_id, "admin").await.0,
        StatusCode::OK
    );
    let admin = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;

    let (unconfirmed, body) = set_role(&app, &admin, &member_id, "team_member").await;
    let role_after_unconfirmed = role_of(&app, &member_id).await;
    let (confirmed, _) = set_own_role(&app, &admin, &member_id, "team_member").await;
    let role_after_confirmed = role_of(&app, &member_id).await;
    let (staff_page, _) = app.post_form(&admin, "list_staff", &[]).await;

    assert_eq!(unconfirmed, StatusCode::CONFLICT);
    assert!(body.contains("lower your own role"), "{body}");
    assert_eq!(role_after_unconfirmed, "admin");
    assert_eq!(confirmed, StatusCode::OK);
    assert_eq!(role_after_confirmed, "team_member");
    assert_eq!(staff_page, StatusCode::FORBIDDEN);
}

async fn concurrent_demotions_keep_a_super_admin(app: TestApp) {
    let first = admin(&app).await;
    let first_id = staff_id(&app, &app.northwind.admin.email).await;
    let second_id = staff_id(&app, &app.northwind.team_member.email).await;
    assert_eq!(
        set_role(&app, &first, &second_id, "super_admin").await.0,
        StatusCode::OK
    );
    let second = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;

    let (one, two) = tokio::join!(
        set_role(&app, &first, &second_id, "admin"),
        set_role(&app, &second, &first_id, "admin"),
    );

    let organization_id = &app.northwind.organization_id;
    let remaining: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM staff_users WHERE organization_id = $1 AND role = 'super_admin' AND active = 1",
    )
    .bind(organization_id)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(remaining, 1, "{one:?} {two:?}");
    assert!(
        !(one.0 == StatusCode::OK && two.0 == StatusCode::OK),
        "{one:?} {two:?}"
    );
}

async fn admin_cannot_manage_super_admins(app: TestApp) {
    let super_admin = admin(&app).await;
    let member_id = staff_id(&app, &app.northwind.team_member.email).await;
    let super_admin_id = staff_id(&app, &app.northwind.admin.email).await;
    assert_eq!(
        set_role(&app, &super_admin, &member_id, "admin").await.0,
        StatusCode::OK
    );
    let admin = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;

    let (demote, body) = set_role(&app, &admin, &super_admin_id, "admin").await;
    let (deactivate, _) = app
        .post_form(
            &admin,
            "deactivate_staff",
            &[("staff_user_id", &super_admin_id)],
        )
        .await;
    let (grant, _) = set_role(&app, &admin, &member_id, "super_admin").await;
    let (invite_status, _) = invite(&app, &admin, "nia@northwind.example", "super_admin").await;
    let (_, listing) = app.post_form(&admin, "list_staff", &[]).await;

    assert_eq!(demote, StatusCode::FORBIDDEN);
    assert!(body.contains("Only a Super Admin"), "{body}");
    assert_eq!(deactivate, StatusCode::FORBIDDEN);
    assert_eq!(grant, StatusCode::FORBIDDEN);
    assert_eq!(invite_status, StatusCode::FORBIDDEN);
    let listing: Value = serde_json::from_str(&listing).unwrap();
    let super_admin_row = listing["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|member| member["id"] == super_admin_id.as_str())
        .unwrap();
    assert_eq!(
        super_admin_row["actions"]["role_refusal"],
        "Only a Super Admin can change a Super Admin."
    );
    assert_eq!(super_admin_row["actions"]["can_deactivate"], false);
}

async fn team_member_is_refused_staff_page(app: TestApp) {
    let member = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;

    let (status, body) = app.post_form(&member, "list_staff", &[]).await;
    let page = member
        .get(app.url("/staff"))
        .header(reqwest::header::ACCEPT, "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body.contains("Only an Admin or Super Admin can manage staff accounts."),
        "{body}"
    );
    assert!(
        page.contains("Only an Admin or Super Admin can manage staff accounts."),
        "{page}"
    );
}

async fn other_organization_staff_is_not_found(app: TestApp) {
    let admin = admin(&app).await;
    let foreign = staff_id(&app, &app.globex.team_member.email).await;

    let (role, _) = set_role(&app, &admin, &foreign, "admin").await;
    let (deactivate, _) = app
        .post_form(&admin, "deactivate_staff", &[("staff_user_id", &foreign)])
        .await;
    let (resend, _) = app
        .post_form(
            &admin,
            "resend_staff_invitation",
            &[("staff_user_id", &foreign)],
        )
        .await;

    assert_eq!(role, StatusCode::NOT_FOUND);
    assert_eq!(deactivate, StatusCode::NOT_FOUND);
    assert_eq!(resend, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM staff_users WHERE role = 'team_member' AND active = 1")
            .await,
        2
    );
}

async fn audit_log_records_staff_changes(app: TestApp) {
    let admin = admin(&app).await;
    let actor_id = staff_id(&app, &app.northwind.admin.email).await;
    invite(&app, &admin, "nia@northwind.example", "team_member").await;
    let id = staff_id(&app, "nia@northwind.example").await;
    set_role(&app, &admin, &id, "admin").await;
    app.post_form(&admin, "deactivate_staff", &[("staff_user_id", &id)])
        .await;
    app.post_form(&admin, "reactivate_staff", &[("staff_user_id", &id)])
        .await;

    let rows: Vec<(String, Option<String>, String, i64, String, Option<String>, String, String)> = sqlx::query_as(
        "SELECT action, actor_staff_user_id, actor_name, created_at, object_type, object_id, object_label, detail
         FROM audit_events ORDER BY id",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();

    let actions: Vec<&str> = rows.iter().map(|row| row.0.as_str()).collect();
    assert_eq!(
        actions,
        [
            "staff_invited",
            "staff_role_changed",
            "staff_deactivated",
            "staff_reactivated"
        ]
    );
    for (action, actor, actor_name, created_at, object_type, object_id, object_label, _) in &rows {
        assert_eq!(actor.as_deref(), Some(actor_id.as_str()), "{action}");
        assert!(!actor_name.is_empty(), "{action}");
        assert!(*created_at > 1_700_000_000_000, "{action}");
        assert_eq!(object_type, "staff_user", "{action}");
        assert_eq!(object_id.as_deref(), Some(id.as_str()), "{action}");
        assert_eq!(object_label, "Nia Invited", "{action}");
    }
    assert_eq!(rows[1].7, "Team Member to Admin");
}

on_both_backends!(
    invitation_sets_password_once,
    invitation_rejects_short_password,
    expired_invitation_is_rejected,
    resent_invitation_replaces_the_old_link,
    invite_rejects_email_in_use,
    deactivation_ends_open_session,
    reactivated_account_signs_in_again,
    ten_failed_sign_ins_are_throttled,
    failures_from_one_address_are_throttled,
    reset_link_works_once_and_ends_other_sessions,
    sign_in_link_works_once,
    link_requests_are_capped_per_account,
    last_super_admin_keeps_role,
    invited_super_admin_does_not_count,
    own_demotion_needs_confirmation,
    concurrent_demotions_keep_a_super_admin,
    admin_cannot_manage_super_admins,
    team_member_is_refused_staff_page,
    other_organization_staff_is_not_found,
    audit_log_records_staff_changes,
);
