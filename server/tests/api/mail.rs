//! Outgoing email: an email queued in a transaction is sent by the mail worker, into the
//! mailbox page without SMTP and to a real SMTP server (aiosmtpd) with it. The mailbox is
//! for Admins of the email's own organization only.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::ssr::db::connect_and_migrate;
use app::ssr::mail::{invitation_email, queue_email, NewEmail, INVITATION_KIND};
use app::ssr::state::AppState;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use server::mail::transport::Mailer;
use server::mail::worker::MailWorker;

use crate::helpers::{Backend, TestApp};
use crate::smtp::SmtpServer;

/// An email's row as the tests check it.
#[derive(Debug, sqlx::FromRow)]
struct EmailRow {
    status: String,
    transport: Option<String>,
    attempts: i64,
    last_error: Option<String>,
    next_attempt_at: i64,
    created_at: i64,
    sent_at: Option<i64>,
}

/// Queues northwind's invitation to its first demo candidate at `to_address` and wakes the
/// worker; returns the email id and the link the email carries.
async fn queue_invitation(app: &TestApp, to_address: &str) -> (String, String) {
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
    let (subject, body_text, body_html) = invitation_email(
        "Northwind Labs",
        "Backend Engineer",
        &candidate.name,
        &candidate.link,
        None,
    );

    let mut transaction = app.state.db.begin().await.unwrap();
    let id = queue_email(
        &mut transaction,
        &NewEmail {
            organization_id: app.northwind.organization_id.clone(),
            application_id: Some(application_id),
            kind: INVITATION_KIND.into(),
            to_address: to_address.into(),
            subject,
            body_text,
            body_html: Some(body_html),
        },
    )
    .await
    .unwrap();
    transaction.commit().await.unwrap();
    app.state.mail_wakeup.notify_one();

    (id, candidate.link.clone())
}

async fn email_row(app: &TestApp, id: &str) -> EmailRow {
    sqlx::query_as(
        "SELECT status, transport, attempts, last_error, next_attempt_at, created_at, sent_at FROM emails WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&app.state.db)
    .await
    .unwrap()
}

/// Polls the email's row until `condition` holds; panics with the last row after 20 s.
async fn wait_for_email(
    app: &TestApp,
    id: &str,
    what: &str,
    condition: impl Fn(&EmailRow) -> bool,
) -> EmailRow {
    let started = Instant::now();
    loop {
        let row = email_row(app, id).await;
        if condition(&row) {
            return row;
        }
        if started.elapsed() > Duration::from_secs(20) {
            panic!("timed out waiting for the email to be {what}; last row: {row:?}");
        }
        app.state.mail_wakeup.notify_one();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn signed_in(app: &TestApp, email: &str, password: &str) -> Client {
    let browser = TestApp::browser();
    app.sign_in(&browser, email, password).await;
    browser
}

async fn post(
    app: &TestApp,
    browser: &Client,
    function: &str,
    form: &[(&str, &str)],
) -> (StatusCode, Value) {
    let response = browser
        .post(app.url(&format!("/api/{function}")))
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

async fn page(app: &TestApp, browser: &Client, path: &str) -> (StatusCode, String) {
    let response = browser
        .get(app.url(path))
        .header(reqwest::header::ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn email_without_smtp_lands_in_mailbox(app: TestApp) {
    let (id, link) = queue_invitation(&app, "Ada Lovelace <ada@example.com>").await;

    let row = wait_for_email(&app, &id, "sent", |row| row.status == "sent").await;

    assert_eq!(row.transport.as_deref(), Some("mailbox"));
    assert_eq!(row.attempts, 1);
    assert!(row.sent_at.is_some());
    assert_eq!(row.last_error, None);

    let admin = signed_in(
        &app,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;
    let (status, mailbox) = post(&app, &admin, "list_mailbox", &[]).await;
    assert_eq!(status, StatusCode::OK, "{mailbox}");
    assert_eq!(mailbox["smtp_configured"], false);
    assert_eq!(mailbox["emails"].as_array().unwrap().len(), 1, "{mailbox}");
    let listed = &mailbox["emails"][0];
    assert_eq!(listed["id"], id.as_str());
    assert_eq!(listed["to_address"], "Ada Lovelace <ada@example.com>");
    assert_eq!(
        listed["subject"],
        "Your next step for the Backend Engineer role at Northwind Labs"
    );
    assert_eq!(listed["delivery"], "Mailbox");

    let (status, email) = post(&app, &admin, "read_email", &[("id", id.as_str())]).await;
    assert_eq!(status, StatusCode::OK, "{email}");
    assert!(
        email["body_text"].as_str().unwrap().contains(&link),
        "{email}"
    );
    let html = email["body_html"].as_str().unwrap();
    assert!(html.contains(&format!("href=\"{link}\"")), "{html}");
    assert!(html.contains("<base target=\"_blank\">"), "{html}");
}

async fn mailbox_pages_show_email_and_link(app: TestApp) {
    let (id, link) = queue_invitation(&app, "ada@example.com").await;
    wait_for_email(&app, &id, "sent", |row| row.status == "sent").await;
    let admin = signed_in(
        &app,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;

    let (list_status, list) = page(&app, &admin, "/mailbox").await;
    let (email_status, email) = page(&app, &admin, &format!("/mailbox/{id}")).await;

    assert_eq!(list_status, StatusCode::OK);
    assert!(list.contains(&format!("href=\"/mailbox/{id}\"")), "{list}");
    assert!(list.contains("In the mailbox"), "{list}");
    assert!(
        list.contains("href=\"/mailbox\""),
        "the header links the mailbox: {list}"
    );
    assert_eq!(email_status, StatusCode::OK);
    assert!(
        email.contains(&format!(
            "<a href=\"{link}\" target=\"_blank\" rel=\"noopener noreferrer\">"
        )),
        "the text body's link is clickable: {email}"
    );
    assert!(
        email.contains("sandbox=\"allow-popups allow-popups-to-escape-sandbox\""),
        "the HTML body is framed without scripts: {email}"
    );
}

async fn mailbox_is_for_admins_of_own_organization(app: TestApp) {
    let (id, _) = queue_invitation(&app, "ada@example.com").await;
    wait_for_email(&app, &id, "sent", |row| row.status == "sent").await;

    let team_member = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;
    let (list_status, _) = post(&app, &team_member, "list_mailbox", &[]).await;
    let (read_status, _) = post(&app, &team_member, "read_email", &[("id", id.as_str())]).await;
    let (_, me) = post(&app, &team_member, "current_staff", &[]).await;
    assert_eq!(list_status, StatusCode::FORBIDDEN);
    assert_eq!(read_status, StatusCode::FORBIDDEN);
    assert_eq!(me["can_open_mailbox"], false, "{me}");

    let other_admin = signed_in(&app, &app.globex.admin.email, &app.globex.admin.password).await;
    let (read_status, read) = post(&app, &other_admin, "read_email", &[("id", id.as_str())]).await;
    let (list_status, list) = post(&app, &other_admin, "list_mailbox", &[]).await;
    assert_eq!(read_status, StatusCode::NOT_FOUND, "{read}");
    assert_eq!(list_status, StatusCode::OK);
    assert_eq!(list["emails"].as_array().unwrap().len(), 0, "{list}");

    let (signed_out_status, _) = post(&app, &TestApp::browser(), "list_mailbox", &[]).await;
    assert_eq!(signed_out_status, StatusCode::UNAUTHORIZED);
}

async fn rolled_back_email_is_not_stored(app: TestApp) {
    let mut transaction = app.state.db.begin().await.unwrap();
    queue_email(
        &mut transaction,
        &NewEmail {
            organization_id: app.northwind.organization_id.clone(),
            application_id: None,
            kind: INVITATION_KIND.into(),
            to_address: "ada@example.com".into(),
            subject: "Subject".into(),
            body_text: "Text".into(),
            body_html: None,
        },
    )
    .await
    .unwrap();

    transaction.rollback().await.unwrap();

    assert_eq!(app.count("SELECT COUNT(*) FROM emails").await, 0);
}

async fn smtp_delivers_invitation(backend: Backend) {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn_with_mail(backend, smtp.mail_config()).await;

    let (id, link) = queue_invitation(&app, "Ada Lovelace <ada@example.com>").await;
    let row = wait_for_email(&app, &id, "sent", |row| {
        row.status != "pending" && row.status != "sending"
    })
    .await;

    assert_eq!(row.status, "sent", "{row:?}");
    assert_eq!(row.transport.as_deref(), Some("smtp"));
    let received = smtp.received();
    assert_eq!(received.len(), 1, "{received:?}");
    let message = &received[0];
    assert_eq!(message["rcpt_tos"], serde_json::json!(["ada@example.com"]));
    assert_eq!(message["mail_from"], "hiring@northwind.example");
    assert_eq!(
        message["subject"],
        "Your next step for the Backend Engineer role at Northwind Labs"
    );
    assert!(
        message["text"].as_str().unwrap().contains(&link),
        "{message}"
    );
    assert!(
        message["html"]
            .as_str()
            .unwrap()
            .contains(&format!("href=\"{link}\"")),
        "{message}"
    );
    assert_eq!(
        message["message_id"],
        format!("<{id}@northwind.example>"),
        "{message}"
    );

    let admin = signed_in(
        &app,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;
    let (_, mailbox) = post(&app, &admin, "list_mailbox", &[]).await;
    assert_eq!(mailbox["smtp_configured"], true);
    assert_eq!(mailbox["emails"][0]["delivery"], "Smtp", "{mailbox}");
}

async fn smtp_permanent_rejection_fails_once(backend: Backend) {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn_with_mail(backend, smtp.mail_config()).await;

    let (id, _) = queue_invitation(&app, "reject-me@example.com").await;
    let row = wait_for_email(&app, &id, "stopped", |row| {
        row.status != "pending" && row.status != "sending"
    })
    .await;

    assert_eq!(row.status, "failed", "{row:?}");
    assert_eq!(row.attempts, 1, "a permanent rejection is not retried");
    let reason = row.last_error.expect("a reason");
    assert!(
        reason.contains("rejected it: 550 5.1.1 Mailbox unavailable"),
        "{reason}"
    );
    assert_eq!(smtp.rejections().len(), 1, "the server saw one try");
    assert!(smtp.received().is_empty());

    let admin = signed_in(
        &app,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;
    let (_, email) = post(&app, &admin, "read_email", &[("id", id.as_str())]).await;
    assert_eq!(
        email["delivery"]["Failed"]["reason"],
        reason.as_str(),
        "{email}"
    );
}

async fn smtp_transient_reply_is_retried_later(backend: Backend) {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn_with_mail(backend, smtp.mail_config()).await;

    let (id, _) = queue_invitation(&app, "later@example.com").await;
    let row = wait_for_email(&app, &id, "tried once", |row| {
        row.attempts >= 1 && row.status == "pending"
    })
    .await;

    assert_eq!(row.attempts, 1, "{row:?}");
    assert!(
        row.next_attempt_at > row.created_at,
        "the retry waits: {row:?}"
    );
    let reason = row.last_error.expect("the failed try's reason");
    assert!(reason.contains("451 4.3.0"), "{reason}");
    assert_eq!(smtp.rejections().len(), 1);
}

async fn workers_send_each_email_once(backend: Backend) {
    const EMAILS: usize = 30;
    let smtp = SmtpServer::start().await;
    let mail = smtp.mail_config();
    let app = TestApp::spawn_with_mail(backend, mail.clone()).await;
    // A second worker on its own connection pool, as another process on the database runs one.
    let url = app.state.db.connect_options().database_url.to_string();
    let second_state = AppState {
        db: connect_and_migrate(&url, Some(2)).await.unwrap(),
        ..app.state.clone()
    };
    let second_worker = MailWorker::new(second_state, Arc::new(Mailer::new(&mail).unwrap()));

    let mut transaction = app.state.db.begin().await.unwrap();
    for index in 0..EMAILS {
        queue_email(
            &mut transaction,
            &NewEmail {
                organization_id: app.northwind.organization_id.clone(),
                application_id: None,
                kind: INVITATION_KIND.into(),
                to_address: format!("candidate{index}@example.com"),
                subject: format!("Email {index}"),
                body_text: "Text".into(),
                body_html: None,
            },
        )
        .await
        .unwrap();
    }
    transaction.commit().await.unwrap();
    app.state.mail_wakeup.notify_one();
    let second_handled = second_worker.run_once().await.unwrap();

    let started = Instant::now();
    while app
        .count("SELECT COUNT(*) FROM emails WHERE status = 'sent'")
        .await
        < EMAILS as i64
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "timed out waiting for {EMAILS} emails to be sent"
        );
        app.state.mail_wakeup.notify_one();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let received = smtp.received();
    let recipients: HashSet<String> = received
        .iter()
        .map(|message| message["rcpt_tos"][0].as_str().unwrap().to_owned())
        .collect();

    assert!(second_handled > 0, "the second worker claimed emails too");
    assert_eq!(received.len(), EMAILS, "each email was sent once");
    assert_eq!(recipients.len(), EMAILS, "every recipient got one");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM emails WHERE attempts <> 1")
            .await,
        0
    );
}

/// An Admin asks for a sign-in link for the Super Admin, which anyone may do on the sign-in
/// page, then opens the email in the mailbox: the link is hidden from them, while the Super
/// Admin it was sent to sees it.
async fn staff_link_is_hidden_from_other_readers(app: TestApp) {
    sqlx::query("UPDATE staff_users SET role = 'admin' WHERE email = $1")
        .bind(&app.northwind.team_member.email)
        .execute(&app.state.db)
        .await
        .unwrap();
    let admin = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;
    let super_admin_email = app.northwind.admin.email.clone();

    let (status, _) = post(
        &app,
        &TestApp::browser(),
        "request_sign_in_link",
        &[("email", super_admin_email.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let id: String =
        sqlx::query_scalar("SELECT id FROM emails WHERE kind = 'sign_in_link' AND to_address = $1")
            .bind(&super_admin_email)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    wait_for_email(&app, &id, "sent", |row| row.status == "sent").await;

    let (status, seen_by_admin) = post(&app, &admin, "read_email", &[("id", id.as_str())]).await;
    assert_eq!(status, StatusCode::OK, "{seen_by_admin}");
    let text = seen_by_admin["body_text"].as_str().unwrap();
    assert!(
        !text.contains("/sign-in/link/"),
        "the Admin must not see the link: {text}"
    );
    assert!(text.contains("Link hidden"), "{text}");
    assert_eq!(seen_by_admin["body_html"], Value::Null, "{seen_by_admin}");
    let (_, page_html) = page(&app, &admin, &format!("/mailbox/{id}")).await;
    assert!(!page_html.contains("/sign-in/link/"), "{page_html}");

    let recipient = signed_in(&app, &super_admin_email, &app.northwind.admin.password).await;
    let (status, seen_by_recipient) =
        post(&app, &recipient, "read_email", &[("id", id.as_str())]).await;
    assert_eq!(status, StatusCode::OK, "{seen_by_recipient}");
    assert!(
        seen_by_recipient["body_text"]
            .as_str()
            .unwrap()
            .contains("/sign-in/link/"),
        "{seen_by_recipient}"
    );
}

on_both_backends!(
    email_without_smtp_lands_in_mailbox,
    mailbox_pages_show_email_and_link,
    mailbox_is_for_admins_of_own_organization,
    rolled_back_email_is_not_stored,
    staff_link_is_hidden_from_other_readers,
);

on_both_backends!(
    backend: smtp_delivers_invitation,
    smtp_permanent_rejection_fails_once,
    smtp_transient_reply_is_retried_later,
    workers_send_each_email_once,
);
