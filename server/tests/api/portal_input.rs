//! The candidate portal rejects bad input with a clear message and changes nothing, and a
//! link opens only its own application.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{quiz_ids, token_of, TestApp};

async fn started_quiz(app: &TestApp) -> (String, crate::helpers::QuizIds) {
    let token = token_of(&app.northwind.candidates[0].link);
    let ids = quiz_ids(app, &app.northwind.admin.email).await;
    let (status, _) = app
        .call(
            "start_quiz",
            json!({"token": token, "step_id": ids.quiz_step}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    (token, ids)
}

async fn answers(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM answers").await
}

fn message(body: &Value) -> String {
    body.to_string()
}

#[tokio::test]
async fn bad_answers_are_rejected_and_change_nothing() {
    let app = TestApp::spawn().await;
    let (token, ids) = started_quiz(&app).await;
    let cases = [
        (
            "Which SQL keyword",
            json!({"type": "text", "value": "   "}),
            "empty",
        ),
        (
            "Describe a production incident",
            json!({"type": "text", "value": "x".repeat(2_001)}),
            "limit is 2000",
        ),
        (
            "Which HTTP status",
            json!({"type": "choice", "value": "z"}),
            "not one of this question's options",
        ),
        (
            "Which of these are ACID",
            json!({"type": "choices", "value": ["a", "q"]}),
            "not one of this question's options",
        ),
        (
            "How many milliseconds",
            json!({"type": "text", "value": "sixty thousand"}),
            "takes a number",
        ),
        (
            "Which HTTP status",
            json!({"type": "number", "value": 3.0}),
            "does not fit",
        ),
    ];

    for (prompt, answer, expected) in cases {
        let (status, body) = app
            .call("save_answer", json!({"token": token, "step_id": ids.quiz_step, "question_id": ids.question(prompt), "answer": answer}))
            .await;

        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{prompt}: {body}");
        assert!(
            message(&body).contains(expected),
            "{prompt}: expected {expected:?} in {body}"
        );
    }
    assert_eq!(answers(&app).await, 0);
}

#[tokio::test]
async fn valid_answer_is_saved_and_replaced() {
    let app = TestApp::spawn().await;
    let (token, ids) = started_quiz(&app).await;
    let question = ids.question("How many milliseconds");

    for value in [59_000.0, 60_000.0] {
        let (status, body) = app
            .call("save_answer", json!({"token": token, "step_id": ids.quiz_step, "question_id": question, "answer": {"type": "number", "value": value}}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(
            body.as_i64().unwrap() > 0,
            "the server returns the milliseconds left: {body}"
        );
    }

    let stored: String = sqlx::query_scalar("SELECT value_json FROM answers")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(answers(&app).await, 1);
    assert!(stored.contains("60000"), "{stored}");
}

#[tokio::test]
async fn malformed_and_unknown_links_are_rejected() {
    let app = TestApp::spawn().await;

    let (status, body) = app
        .call_form("load_portal", &[("token", "not-a-token")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&body).contains("incomplete or mistyped"), "{body}");

    let unknown = "A".repeat(43);
    let (status, body) = app
        .call_form("load_portal", &[("token", unknown.as_str())])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        message(&body).contains("does not open any application"),
        "{body}"
    );

    let page = reqwest::get(app.url("/c/not-a-token")).await.unwrap();
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("incomplete or mistyped"));
}

#[tokio::test]
async fn expired_link_is_rejected() {
    let app = TestApp::spawn().await;
    let token = token_of(&app.northwind.candidates[0].link);
    sqlx::query("UPDATE applications SET link_expires_at = 1")
        .execute(&app.state.db)
        .await
        .unwrap();

    let (status, body) = app
        .call_form("load_portal", &[("token", token.as_str())])
        .await;

    assert_eq!(status, StatusCode::CONFLICT);
    assert!(message(&body).contains("expired"), "{body}");
}

#[tokio::test]
async fn link_cannot_reach_another_organization() {
    let app = TestApp::spawn().await;
    let globex_token = token_of(&app.globex.candidates[0].link);
    let northwind = quiz_ids(&app, &app.northwind.admin.email).await;
    let globex = quiz_ids(&app, &app.globex.admin.email).await;

    // A Globex candidate names Northwind's quiz step and question.
    let (status, _) = app
        .call(
            "start_quiz",
            json!({"token": globex_token, "step_id": northwind.quiz_step}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .call_form(
            "load_quiz",
            &[
                ("token", globex_token.as_str()),
                ("step_id", northwind.quiz_step.as_str()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Even inside their own started quiz, another organization's question id is not found.
    let (status, _) = app
        .call(
            "start_quiz",
            json!({"token": globex_token, "step_id": globex.quiz_step}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app
        .call("save_answer", json!({
            "token": globex_token, "step_id": globex.quiz_step,
            "question_id": northwind.question("Which HTTP status"), "answer": {"type": "choice", "value": "c"}
        }))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(answers(&app).await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM step_progress").await,
        1,
        "only Globex's own quiz started"
    );
}

#[tokio::test]
async fn quiz_page_never_sends_answer_key() {
    let app = TestApp::spawn().await;
    let (token, ids) = started_quiz(&app).await;

    let (status, body) = app
        .call_form(
            "load_quiz",
            &[
                ("token", token.as_str()),
                ("step_id", ids.quiz_step.as_str()),
            ],
        )
        .await;

    assert_eq!(status, StatusCode::OK);
    let text = body.to_string();
    assert_eq!(body["questions"].as_array().unwrap().len(), 9);
    assert!(!text.contains("correct"), "{text}");
    assert!(!text.contains("knockout"), "{text}");
    assert!(
        !text.contains("SELECT DISTINCT"),
        "accepted answers leaked: {text}"
    );
}

#[tokio::test]
async fn overview_lists_steps_progress_and_deadline() {
    let app = TestApp::spawn().await;
    let (token, ids) = started_quiz(&app).await;

    let (status, body) = app
        .call_form("load_portal", &[("token", token.as_str())])
        .await;

    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["role_title"], "Backend Engineer");
    assert_eq!(body["candidate_first_name"], "Priya");
    let steps = body["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0]["state"], "not_started");
    assert_eq!(steps[1]["id"], ids.quiz_step.as_str());
    assert_eq!(steps[1]["state"], "in_progress");
    assert_eq!(steps[1]["question_count"], 9);
    assert_eq!(body["completed"], false);
    let deadline = body["deadline_text"].as_str().unwrap();
    assert!(deadline.ends_with("UTC"), "{deadline}");
    let opened: Option<i64> =
        sqlx::query_scalar("SELECT opened_at FROM applications WHERE link_token_hash = $1")
            .bind(app::ssr::crypto::hash_token(&token))
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert!(opened.is_some(), "opening the portal is recorded");
}

#[tokio::test]
async fn malformed_requests_get_422() {
    let app = TestApp::spawn().await;
    let (token, ids) = started_quiz(&app).await;
    let question = ids.question("How many milliseconds");
    let bodies = [
        json!({"token": token, "step_id": ids.quiz_step, "question_id": question, "answer": {"type": "number", "value": "abc"}}).to_string(),
        json!({"token": token, "step_id": ids.quiz_step, "question_id": question}).to_string(),
        "this is not JSON".to_string(),
    ];

    for body in bodies {
        let response = reqwest::Client::new()
            .post(app.url("/api/save_answer"))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();

        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
        let text = response.text().await.unwrap();
        assert!(text.contains("could not be read"), "{body}: {text}");
    }
    assert_eq!(answers(&app).await, 0);
}
