//! Job settings, publishing, job members and manual decisions: who may do each on which job,
//! what is stored, and what reaches Lever.

use reqwest::StatusCode;
use server::demo::lever_account::{FAIL_ARCHIVE_REASON_ID, INVITE_STAGE_ID, PASS_STAGE_ID};

use crate::helpers::TestApp;
use crate::staff_calls::{add_member, add_staff, application_of, call_as, signed_in, staff_id};

const EDIT_REFUSAL: &str =
    "Only this job's owners and Admins can edit it. An Admin can make you an owner.";

/// The settings form of the demo job with `title`, mapped to the demo's Lever stages.
fn settings_form<'a>(role_id: &'a str, title: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("role_id", role_id),
        ("title", title),
        ("team", "Platform"),
        ("location", "Remote"),
        ("intro_md", "Welcome."),
        ("invite_stage_id", INVITE_STAGE_ID),
        ("pass_stage_id", PASS_STAGE_ID),
        ("fail_archive_reason_id", FAIL_ARCHIVE_REASON_ID),
        ("auto_decide", "on"),
        ("deadline_days", "14"),
    ]
}

async fn title_of(app: &TestApp, role_id: &str) -> String {
    sqlx::query_scalar("SELECT title FROM roles WHERE id = $1")
        .bind(role_id)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

async fn owner_saves_settings(app: TestApp) {
    app.connect_lever().await;
    let northwind = &app.northwind;
    // The seeded job follows a Lever posting, which owns its title (see posting_import.rs).
    // This test is about a job made in Tryout, so its owner may change the title.
    sqlx::query("UPDATE roles SET lever_posting_id = NULL WHERE id = $1")
        .bind(&northwind.role_id)
        .execute(&app.state.db)
        .await
        .unwrap();
    let member_id = staff_id(&app, &northwind.team_member.email).await;
    add_member(
        &app,
        &northwind.organization_id,
        &northwind.role_id,
        &member_id,
        "owner",
    )
    .await;
    let owner = signed_in(
        &app,
        &northwind.team_member.email,
        &northwind.team_member.password,
    )
    .await;

    let form = settings_form(&northwind.role_id, "Staff Backend Engineer");
    let (status, body) = call_as(&app, &owner, "save_job_settings", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (title, deadline_days, team): (String, Option<i64>, Option<String>) =
        sqlx::query_as("SELECT title, deadline_days, team FROM roles WHERE id = $1")
            .bind(&northwind.role_id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(title, "Staff Backend Engineer");
    assert_eq!(deadline_days, Some(14));
    assert_eq!(team.as_deref(), Some("Platform"));

    let (status, settings) = call_as(
        &app,
        &owner,
        "load_job_settings",
        &[("role_id", northwind.role_id.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    assert!(settings["edit_refusal"].is_null(), "{settings}");
    assert!(
        settings["stages"].as_array().unwrap().len() > 1,
        "{settings}"
    );
}

async fn save_rejects_invalid_fields(app: TestApp) {
    app.connect_lever().await;
    let northwind = &app.northwind;
    let admin = signed_in(&app, &northwind.admin.email, &northwind.admin.password).await;
    let before = title_of(&app, &northwind.role_id).await;

    let cases: [(&str, &str, &str); 4] = [
        ("title", "   ", "title"),
        ("deadline_days", "0", "deadline_days"),
        ("invite_stage_id", "no-such-stage", "invite_stage_id"),
        (
            "fail_archive_reason_id",
            "no-such-reason",
            "fail_archive_reason_id",
        ),
    ];
    for (field, value, named) in cases {
        let mut form = settings_form(&northwind.role_id, "Changed title");
        for entry in form.iter_mut() {
            if entry.0 == field {
                entry.1 = value;
            }
        }
        let (status, body) = call_as(&app, &admin, "save_job_settings", &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
        assert_eq!(body["Invalid"]["field"], named, "{body}");
    }
    assert_eq!(
        title_of(&app, &northwind.role_id).await,
        before,
        "nothing was saved"
    );
}

async fn non_owner_is_refused_and_nothing_changes(app: TestApp) {
    let northwind = &app.northwind;
    let member = signed_in(
        &app,
        &northwind.team_member.email,
        &northwind.team_member.password,
    )
    .await;
    let before = title_of(&app, &northwind.role_id).await;

    let form = settings_form(&northwind.role_id, "Taken over");
    let (status, body) = call_as(&app, &member, "save_job_settings", &form).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.to_string().contains(EDIT_REFUSAL), "{body}");
    assert_eq!(title_of(&app, &northwind.role_id).await, before);

    let (status, body) = call_as(
        &app,
        &member,
        "unpublish_job",
        &[("role_id", northwind.role_id.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    // The member may still read the settings, with the reason the form is read-only.
    let (status, settings) = call_as(
        &app,
        &member,
        "load_job_settings",
        &[("role_id", northwind.role_id.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    assert_eq!(settings["edit_refusal"], EDIT_REFUSAL);
    assert!(settings["members_refusal"].is_string(), "{settings}");
    assert!(
        settings["staff"].as_array().unwrap().is_empty(),
        "no staff list for a Team Member"
    );

    let (_, jobs) = call_as(&app, &member, "list_jobs", &[]).await;
    assert_eq!(jobs[0]["can_edit"], false, "{jobs}");
    assert_eq!(jobs[0]["can_decide"], false, "{jobs}");
}

async fn limited_member_sees_only_assigned_jobs(app: TestApp) {
    let northwind = &app.northwind;
    let (limited_id, limited) = add_staff(
        &app,
        &northwind.organization_id,
        "limited_team_member",
        "Lee Limited",
    )
    .await;

    let (status, jobs) = call_as(&app, &limited, "list_jobs", &[]).await;
    assert_eq!(status, StatusCode::OK, "{jobs}");
    assert_eq!(
        jobs.as_array().unwrap().len(),
        0,
        "unassigned jobs are hidden: {jobs}"
    );
    for name in ["load_job_settings", "list_candidates"] {
        let (status, body) = call_as(
            &app,
            &limited,
            name,
            &[("role_id", northwind.role_id.as_str())],
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{name}: {body}");
    }

    add_member(
        &app,
        &northwind.organization_id,
        &northwind.role_id,
        &limited_id,
        "reviewer",
    )
    .await;
    let (_, jobs) = call_as(&app, &limited, "list_jobs", &[]).await;
    assert_eq!(jobs.as_array().unwrap().len(), 1, "{jobs}");
    assert_eq!(jobs[0]["membership"], "reviewer");
    assert_eq!(jobs[0]["can_edit"], false);
    let (status, list) = call_as(
        &app,
        &limited,
        "list_candidates",
        &[("role_id", northwind.role_id.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert!(list["decide_refusal"].is_string(), "{list}");
}

async fn other_organization_gets_not_found(app: TestApp) {
    let globex_admin = signed_in(&app, &app.globex.admin.email, &app.globex.admin.password).await;
    let role_id = app.northwind.role_id.as_str();

    for name in [
        "load_job_settings",
        "list_candidates",
        "publish_job",
        "unpublish_job",
    ] {
        let (status, body) = call_as(&app, &globex_admin, name, &[("role_id", role_id)]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{name}: {body}");
    }
    let form = settings_form(role_id, "Globex owns this now");
    let (status, _) = call_as(&app, &globex_admin, "save_job_settings", &form).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let application = application_of(&app, &app.northwind.candidates[0].opportunity_id).await;
    let (status, _) = call_as(
        &app,
        &globex_admin,
        "move_candidate",
        &[
            ("application_id", application.as_str()),
            ("stage_id", PASS_STAGE_ID),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_ne!(title_of(&app, role_id).await, "Globex owns this now");
}

async fn publish_needs_steps_and_invite_stage(app: TestApp) {
    let northwind = &app.northwind;
    let admin = signed_in(&app, &northwind.admin.email, &northwind.admin.password).await;

    // A new job with no steps.
    let bare_role = app::ssr::clock::new_id();
    sqlx::query(
        "INSERT INTO roles (id, organization_id, title, status, invite_stage_id, created_at, updated_at)
         VALUES ($1, $2, 'Bare job', 'draft', $3, 0, 0)",
    )
    .bind(&bare_role)
    .bind(&northwind.organization_id)
    .bind(INVITE_STAGE_ID)
    .execute(&app.state.db)
    .await
    .unwrap();
    let (status, body) = call_as(
        &app,
        &admin,
        "publish_job",
        &[("role_id", bare_role.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains("at least one step"), "{body}");

    // The demo job has steps; without an invite stage it cannot be published either.
    let (status, body) = call_as(
        &app,
        &admin,
        "unpublish_job",
        &[("role_id", northwind.role_id.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    sqlx::query("UPDATE roles SET invite_stage_id = NULL WHERE id = $1")
        .bind(&northwind.role_id)
        .execute(&app.state.db)
        .await
        .unwrap();
    let (status, body) = call_as(
        &app,
        &admin,
        "publish_job",
        &[("role_id", northwind.role_id.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains("invites candidates"), "{body}");

    let statuses = app
        .count("SELECT COUNT(*) FROM roles WHERE status = 'published'")
        .await;
    assert_eq!(statuses, 1, "only globex's demo job stays published");
}

async fn decisions_reach_lever_once(app: TestApp) {
    app.connect_lever().await;
    let northwind = &app.northwind;
    let admin = signed_in(&app, &northwind.admin.email, &northwind.admin.password).await;
    let moved = northwind.candidates[0].opportunity_id.clone();
    let archived = northwind.candidates[1].opportunity_id.clone();
    let moved_application = application_of(&app, &moved).await;
    let archived_application = application_of(&app, &archived).await;

    let (status, body) = call_as(
        &app,
        &admin,
        "move_candidate",
        &[
            ("application_id", moved_application.as_str()),
            ("stage_id", PASS_STAGE_ID),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = call_as(
        &app,
        &admin,
        "archive_candidate",
        &[
            ("application_id", archived_application.as_str()),
            ("archive_reason_id", FAIL_ARCHIVE_REASON_ID),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let lever = app
        .wait_for_lever("the stage move and the archive", |state| {
            state
                .opportunity(&moved)
                .is_some_and(|o| o.stage.as_deref() == Some(PASS_STAGE_ID))
                && state
                    .opportunity(&archived)
                    .is_some_and(|o| o.archived.is_some())
        })
        .await;
    assert_eq!(lever.opportunity(&moved).unwrap().stage_changes.len(), 1);
    assert_eq!(lever.opportunity(&archived).unwrap().archive_changes, 1);
    let reason = lever
        .opportunity(&archived)
        .unwrap()
        .archived
        .clone()
        .unwrap()
        .reason;
    assert_eq!(reason.as_deref(), Some(FAIL_ARCHIVE_REASON_ID));
    let status: String = sqlx::query_scalar("SELECT status FROM applications WHERE id = $1")
        .bind(&archived_application)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(status, "archived");

    // A stage that is not in Lever's cached list is rejected before anything is queued.
    let writes = app.count("SELECT COUNT(*) FROM outbox").await;
    let (status, body) = call_as(
        &app,
        &admin,
        "move_candidate",
        &[
            ("application_id", moved_application.as_str()),
            ("stage_id", "no-such-stage"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, writes);
}

async fn decisions_refused_for_non_owner(app: TestApp) {
    app.connect_lever().await;
    let northwind = &app.northwind;
    let member = signed_in(
        &app,
        &northwind.team_member.email,
        &northwind.team_member.password,
    )
    .await;
    let application = application_of(&app, &northwind.candidates[0].opportunity_id).await;

    let (status, body) = call_as(
        &app,
        &member,
        "move_candidate",
        &[
            ("application_id", application.as_str()),
            ("stage_id", PASS_STAGE_ID),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(
        body.to_string()
            .contains("Only this job's owners and Admins can move or archive"),
        "{body}"
    );
    let (status, body) = call_as(
        &app,
        &member,
        "archive_candidate",
        &[
            ("application_id", application.as_str()),
            ("archive_reason_id", FAIL_ARCHIVE_REASON_ID),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox").await,
        0,
        "nothing queued"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'candidate_%'")
            .await,
        0
    );

    let (status, list) = call_as(
        &app,
        &member,
        "list_candidates",
        &[("role_id", northwind.role_id.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert!(
        list["decide_refusal"]
            .as_str()
            .unwrap()
            .contains("Only this job's owners"),
        "{list}"
    );
    assert!(list["stages"].as_array().unwrap().is_empty());
}

on_both_backends!(
    owner_saves_settings,
    save_rejects_invalid_fields,
    non_owner_is_refused_and_nothing_changes,
    limited_member_sees_only_assigned_jobs,
    other_organization_gets_not_found,
    publish_needs_steps_and_invite_stage,
    decisions_reach_lever_once,
    decisions_refused_for_non_owner,
);
