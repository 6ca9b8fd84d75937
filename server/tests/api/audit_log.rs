//! The audit log: each recorded action leaves one entry with its actor, time and object, in
//! the actor's organization only, and Admins list them newest first, filtered and paged.

use reqwest::StatusCode;
use serde_json::Value;
use server::demo::lever_account::{FAIL_ARCHIVE_REASON_ID, PASS_STAGE_ID};

use crate::helpers::TestApp;
use crate::staff_calls::{application_of, call_as, signed_in, staff_id};

#[derive(Debug, sqlx::FromRow)]
struct EventRow {
    action: String,
    organization_id: String,
    actor_staff_user_id: Option<String>,
    actor_name: String,
    object_type: String,
    object_id: Option<String>,
    object_label: String,
    detail: String,
    created_at: i64,
}

async fn events(app: &TestApp) -> Vec<EventRow> {
    sqlx::query_as(
        "SELECT action, organization_id, actor_staff_user_id, actor_name, object_type, object_id,
                object_label, detail, created_at
         FROM audit_events ORDER BY id",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap()
}

/// Runs every audited action once as northwind's Super Admin.
async fn audited_actions(app: &TestApp) {
    let admin = app.connect_lever().await;
    let northwind = &app.northwind;
    let role_id = northwind.role_id.as_str();
    let member_id = staff_id(app, &northwind.team_member.email).await;
    let first = application_of(app, &northwind.candidates[0].opportunity_id).await;
    let second = application_of(app, &northwind.candidates[1].opportunity_id).await;
    let calls: [(&str, Vec<(&str, &str)>); 7] = [
        ("unpublish_job", vec![("role_id", role_id)]),
        ("publish_job", vec![("role_id", role_id)]),
        (
            "set_job_member",
            vec![
                ("role_id", role_id),
                ("staff_user_id", member_id.as_str()),
                ("membership", "owner"),
            ],
        ),
        (
            "set_job_member",
            vec![("role_id", role_id), ("staff_user_id", member_id.as_str())],
        ),
        (
            "move_candidate",
            vec![
                ("application_id", first.as_str()),
                ("stage_id", PASS_STAGE_ID),
            ],
        ),
        (
            "archive_candidate",
            vec![
                ("application_id", second.as_str()),
                ("archive_reason_id", FAIL_ARCHIVE_REASON_ID),
            ],
        ),
        ("disconnect_lever", vec![]),
    ];
    for (name, form) in calls {
        let (status, body) = call_as(app, &admin, name, &form).await;
        assert_eq!(status, StatusCode::OK, "{name}: {body}");
    }
}

async fn each_action_is_recorded(app: TestApp) {
    let before = app::ssr::clock::now_ms();
    audited_actions(&app).await;
    let northwind = &app.northwind;
    let admin_id = staff_id(&app, &northwind.admin.email).await;
    let member_id = staff_id(&app, &northwind.team_member.email).await;

    let events = events(&app).await;
    let actions: Vec<&str> = events.iter().map(|event| event.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "lever_connected",
            "portal_unpublished",
            "portal_published",
            "job_member_added",
            "job_member_removed",
            "candidate_moved",
            "candidate_archived",
            "lever_disconnected",
        ]
    );
    for event in &events {
        assert_eq!(
            event.organization_id, northwind.organization_id,
            "{event:?}"
        );
        assert_eq!(
            event.actor_staff_user_id.as_deref(),
            Some(admin_id.as_str()),
            "{event:?}"
        );
        assert_eq!(event.actor_name, "Alex Rivera", "{event:?}");
        assert!(event.created_at >= before, "{event:?}");
        assert!(event.object_id.is_some(), "{event:?}");
        assert!(!event.object_label.is_empty(), "{event:?}");
    }
    let object = |action: &str| {
        let event = events.iter().find(|event| event.action == action).unwrap();
        (
            event.object_type.as_str(),
            event.object_id.clone().unwrap(),
            event.detail.as_str(),
        )
    };
    assert_eq!(object("lever_connected").0, "lever_connection");
    assert_eq!(object("lever_disconnected").0, "lever_connection");
    assert_eq!(
        object("portal_published"),
        ("role", northwind.role_id.clone(), "")
    );
    assert_eq!(
        object("job_member_added"),
        ("staff_user", member_id.clone(), "owner")
    );
    assert_eq!(
        object("job_member_removed"),
        ("staff_user", member_id, "owner")
    );
    assert_eq!(object("candidate_moved").0, "application");
    assert_eq!(object("candidate_moved").2, "Phone screen");
    assert_eq!(object("candidate_archived").0, "application");
    let moved = events
        .iter()
        .find(|event| event.action == "candidate_moved")
        .unwrap();
    assert_eq!(moved.object_label, northwind.candidates[0].name);
}

async fn refused_action_records_nothing(app: TestApp) {
    let member = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;

    for name in ["publish_job", "unpublish_job"] {
        let (status, _) = call_as(
            &app,
            &member,
            name,
            &[("role_id", app.northwind.role_id.as_str())],
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}");
    }
    let (status, _) = call_as(&app, &member, "disconnect_lever", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events").await, 0);
}

fn actions_of(page: &Value) -> Vec<String> {
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["action"].as_str().unwrap().to_owned())
        .collect()
}

async fn list_filters_and_pages(app: TestApp) {
    audited_actions(&app).await;
    let northwind = &app.northwind;
    let admin = signed_in(&app, &northwind.admin.email, &northwind.admin.password).await;
    let admin_id = staff_id(&app, &northwind.admin.email).await;

    let (status, page) = call_as(&app, &admin, "list_audit_events", &[]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let all = actions_of(&page);
    assert_eq!(all.len(), 8);
    assert_eq!(all[0], "lever_disconnected", "newest first");
    assert!(page["next_before"].is_null());
    assert_eq!(page["actors"][0][0], admin_id.as_str());
    assert_eq!(page["entries"][0]["action_label"], "Disconnected Lever");

    let (_, page) = call_as(
        &app,
        &admin,
        "list_audit_events",
        &[("action", "candidate_moved")],
    )
    .await;
    assert_eq!(actions_of(&page), ["candidate_moved"]);
    let (_, page) = call_as(
        &app,
        &admin,
        "list_audit_events",
        &[("actor", admin_id.as_str())],
    )
    .await;
    assert_eq!(actions_of(&page).len(), 8);
    let (_, page) = call_as(
        &app,
        &admin,
        "list_audit_events",
        &[("actor", "someone-else")],
    )
    .await;
    assert!(actions_of(&page).is_empty());
    let (status, body) = call_as(
        &app,
        &admin,
        "list_audit_events",
        &[("action", "dropped_tables")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // 60 more entries make two pages of 50; `before` continues below the last one shown.
    for _ in 0..30 {
        for name in ["unpublish_job", "publish_job"] {
            let (status, _) = call_as(
                &app,
                &admin,
                name,
                &[("role_id", northwind.role_id.as_str())],
            )
            .await;
            assert_eq!(status, StatusCode::OK);
        }
    }
    let (_, first) = call_as(&app, &admin, "list_audit_events", &[]).await;
    assert_eq!(actions_of(&first).len(), 50);
    let cursor = first["next_before"].as_str().unwrap().to_owned();
    assert_eq!(cursor, first["entries"][49]["id"].as_str().unwrap());
    let (_, second) = call_as(
        &app,
        &admin,
        "list_audit_events",
        &[("before", cursor.as_str())],
    )
    .await;
    assert_eq!(actions_of(&second).len(), 18);
    assert!(second["next_before"].is_null());
    assert_eq!(actions_of(&second).last().unwrap(), "lever_connected");
}

async fn list_is_admin_only_and_per_organization(app: TestApp) {
    audited_actions(&app).await;
    let member = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;
    let globex_admin = signed_in(&app, &app.globex.admin.email, &app.globex.admin.password).await;

    let (status, body) = call_as(&app, &member, "list_audit_events", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body
        .to_string()
        .contains("Only an Admin or Super Admin can read the audit log."));

    let (status, page) = call_as(&app, &globex_admin, "list_audit_events", &[]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        actions_of(&page).is_empty(),
        "globex sees none of northwind's entries: {page}"
    );
    assert!(page["actors"].as_array().unwrap().is_empty());
    let northwind_admin = staff_id(&app, &app.northwind.admin.email).await;
    let (_, page) = call_as(
        &app,
        &globex_admin,
        "list_audit_events",
        &[("actor", northwind_admin.as_str())],
    )
    .await;
    assert!(actions_of(&page).is_empty());
}

async fn audit_page_renders_without_javascript(app: TestApp) {
    audited_actions(&app).await;
    let admin = signed_in(
        &app,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;

    let response = admin
        .get(app.url("/audit?action=candidate_moved&actor="))
        .header(reqwest::header::ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Moved a candidate to a stage"),
        "the entry is in the table"
    );
    assert!(html.contains(&app.northwind.candidates[0].name));
    assert!(
        !html.contains("Disconnected Lever</td>"),
        "the filter applies on the server"
    );
    assert!(
        html.contains(r#"href="/audit""#),
        "the header links the page"
    );
}

on_both_backends!(
    each_action_is_recorded,
    refused_action_records_nothing,
    list_filters_and_pages,
    list_is_admin_only_and_per_organization,
    audit_page_renders_without_javascript,
);
