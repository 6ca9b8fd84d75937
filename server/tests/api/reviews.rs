//! Reviews: a role's rubric, independent reviews that stay hidden from a reviewer until they
//! submit their own, final submissions, and who may review.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::TestApp;

async fn signed_in(app: &TestApp, email: &str, password: &str) -> Client {
    let browser = TestApp::browser();
    app.sign_in(&browser, email, password).await;
    browser
}

/// Returns the id of the demo role's first application.
async fn first_application(app: &TestApp) -> String {
    sqlx::query_scalar(
        "SELECT id FROM applications WHERE role_id = $1 ORDER BY invited_at, id LIMIT 1",
    )
    .bind(&app.northwind.role_id)
    .fetch_one(&app.state.db)
    .await
    .unwrap()
}

fn review(application_id: &str, recommendation: i64, scores: &[i64], comment: &str) -> Value {
    json!({"review": {
        "application_id": application_id,
        "recommendation": recommendation,
        "scores": scores,
        "comment": comment,
    }})
}

async fn reviews_stay_hidden_until_own_is_in(app: TestApp) {
    let admin = signed_in(
        &app,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;
    let member = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;
    let application_id = first_application(&app).await;
    let rubric = json!({"role_id": app.northwind.role_id, "criteria": [
        {"name": "Problem solving", "guidance": "Breaks the incident down."},
        {"name": "Communication", "guidance": ""},
    ]});
    let (status, body) = app.call_as(&admin, "save_rubric", rubric).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The Team Member does not own or review this job yet.
    let (status, body) = app
        .post_form(
            &member,
            "load_review",
            &[("application_id", &application_id)],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let staff_user_id: String = sqlx::query_scalar("SELECT id FROM staff_users WHERE email = $1")
        .bind(&app.northwind.team_member.email)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let (status, body) = app
        .post_form(
            &admin,
            "set_job_member",
            &[
                ("role_id", &app.northwind.role_id),
                ("staff_user_id", &staff_user_id),
                ("membership", "reviewer"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let secret_comment = "Admin's private reasoning";
    let (status, body) = app
        .call_as(
            &admin,
            "submit_review",
            review(&application_id, 4, &[4, 3], secret_comment),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Before submitting, the reviewer learns only that one review exists.
    let (status, body) = app
        .post_form(
            &member,
            "load_review",
            &[("application_id", &application_id)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        !body.contains(secret_comment),
        "another review leaked before submitting: {body}"
    );
    let sheet: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(sheet["others_hidden"], 1, "{sheet}");
    assert_eq!(sheet["others"], json!([]), "{sheet}");
    assert_eq!(sheet["criteria"][0]["name"], "Problem solving", "{sheet}");

    // A score off the scale is rejected and stores nothing.
    let (status, body) = app
        .call_as(
            &member,
            "submit_review",
            review(&application_id, 3, &[5, 2], ""),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = app
        .call_as(
            &member,
            "submit_review",
            review(&application_id, 3, &[3, 2], "Solid"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app
        .call_as(
            &member,
            "submit_review",
            review(&application_id, 1, &[1, 1], "Changed my mind"),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "a review is final: {body}");

    // After submitting, the other review shows in full.
    let (_, body) = app
        .post_form(
            &member,
            "load_review",
            &[("application_id", &application_id)],
        )
        .await;
    let sheet: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(sheet["mine"]["recommendation"], 3, "{sheet}");
    assert_eq!(sheet["mine"]["comment"], "Solid", "{sheet}");
    assert_eq!(sheet["others"][0]["comment"], secret_comment, "{sheet}");
    assert_eq!(
        sheet["others"][0]["scores"],
        json!([["Problem solving", 4], ["Communication", 3]]),
        "{sheet}"
    );

    // A changed rubric leaves the submitted reviews as they were given.
    let renamed = json!({"role_id": app.northwind.role_id, "criteria": [{"name": "Ownership", "guidance": ""}]});
    let (status, _) = app.call_as(&admin, "save_rubric", renamed).await;
    assert_eq!(status, StatusCode::OK);
    let (_, body) = app
        .post_form(
            &admin,
            "load_review",
            &[("application_id", &application_id)],
        )
        .await;
    let sheet: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        sheet["criteria"],
        json!([{"name": "Ownership", "guidance": ""}]),
        "{sheet}"
    );
    assert_eq!(
        sheet["mine"]["scores"],
        json!([["Problem solving", 4], ["Communication", 3]]),
        "{sheet}"
    );
}

async fn reviews_are_scoped_to_the_organization(app: TestApp) {
    let application_id = first_application(&app).await;
    let other = signed_in(&app, &app.globex.admin.email, &app.globex.admin.password).await;

    let (load_status, _) = app
        .post_form(
            &other,
            "load_review",
            &[("application_id", &application_id)],
        )
        .await;
    let (submit_status, _) = app
        .call_as(&other, "submit_review", review(&application_id, 4, &[], ""))
        .await;
    let (nobody_status, _) = app
        .post_form(
            &TestApp::browser(),
            "load_review",
            &[("application_id", &application_id)],
        )
        .await;

    assert_eq!(load_status, StatusCode::NOT_FOUND);
    assert_eq!(submit_status, StatusCode::NOT_FOUND);
    assert_eq!(nobody_status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("SELECT COUNT(*) FROM reviews").await, 0);
}

async fn rubric_is_checked_and_owned(app: TestApp) {
    let admin = signed_in(
        &app,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;
    let member = signed_in(
        &app,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;

    let blank = json!({"role_id": app.northwind.role_id, "criteria": [{"name": "Skills", "guidance": ""}, {"name": "  ", "guidance": ""}]});
    let (status, body) = app.call_as(&admin, "save_rubric", blank).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("criterion 2"), "{body}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM rubric_criteria").await,
        0,
        "nothing is stored"
    );

    // The Team Member owns only the draft role, so the demo role's rubric is not theirs to set.
    let theirs =
        json!({"role_id": app.northwind.role_id, "criteria": [{"name": "Skills", "guidance": ""}]});
    let (status, body) = app.call_as(&member, "save_rubric", theirs).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let own = json!({"role_id": app.northwind.draft_role_id, "criteria": [{"name": "Skills", "guidance": ""}]});
    let (status, body) = app.call_as(&member, "save_rubric", own).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

on_both_backends!(
    reviews_stay_hidden_until_own_is_in,
    reviews_are_scoped_to_the_organization,
    rubric_is_checked_and_owned,
);
