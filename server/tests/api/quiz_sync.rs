//! A submitted quiz reaches Lever as exactly one note with the score and every answer, and
//! the opportunity moves or is archived, whatever Lever and the network do meanwhile.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{correct_answers, quiz_ids, token_of, QuizIds, TestApp};
use server::demo::lever_account::{FAIL_ARCHIVE_REASON_ID, INVITE_STAGE_ID, PASS_STAGE_ID};

/// Reads the guide, starts the quiz and saves `answers` for candidate `index` of Northwind.
async fn answer_quiz(app: &TestApp, index: usize, answers: &[(&str, Value)]) -> (String, QuizIds) {
    let token = token_of(&app.northwind.candidates[index].link);
    let ids = quiz_ids(app, &app.northwind.admin.email).await;

    let (status, body) = app
        .call(
            "complete_content_step",
            json!({"token": token, "step_id": ids.content_step}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app
        .call(
            "start_quiz",
            json!({"token": token, "step_id": ids.quiz_step}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    for (prompt, answer) in answers {
        let (status, body) = app
            .call("save_answer", json!({"token": token, "step_id": ids.quiz_step, "question_id": ids.question(prompt), "answer": answer}))
            .await;
        assert_eq!(status, StatusCode::OK, "{prompt}: {body}");
    }
    (token, ids)
}

async fn submit(app: &TestApp, token: &str, ids: &QuizIds) -> (StatusCode, Value) {
    app.call(
        "submit_quiz",
        json!({"token": token, "step_id": ids.quiz_step}),
    )
    .await
}

async fn passing_quiz_posts_one_note_and_moves_stage(app: TestApp) {
    app.connect_lever().await;
    let opportunity = app.northwind.candidates[0].opportunity_id.clone();
    let (token, ids) = answer_quiz(&app, 0, &correct_answers()).await;

    let (status, body) = submit(&app, &token, &ids).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let lever = app
        .wait_for_lever("the pass stage", |state| {
            state
                .opportunity(&opportunity)
                .and_then(|o| o.stage.clone())
                .as_deref()
                == Some(PASS_STAGE_ID)
        })
        .await;
    let opportunity = lever.opportunity(&opportunity).unwrap();
    assert_eq!(opportunity.notes.len(), 1, "{:#?}", opportunity.notes);
    let note = &opportunity.notes[0];
    assert_eq!(note.score, Some(4));
    assert!(
        note.value.contains("Score: 12 / 12 points (100%), passed"),
        "{}",
        note.value
    );
    for (_, prompt, _, _) in &ids.questions {
        assert!(
            note.value.contains(prompt.as_str()),
            "note lacks {prompt:?}"
        );
    }
    for answer in [
        "429",
        "Atomicity, Consistency, Isolation, Durability",
        "60000",
        "distinct",
        "Arc",
        "GET, PUT, DELETE",
        "1024",
        "we added backpressure",
    ] {
        assert!(
            note.value.contains(answer),
            "note lacks the answer {answer:?}: {}",
            note.value
        );
    }
    assert!(opportunity.archived.is_none());
    let others = lever
        .opportunity(&app.northwind.candidates[1].opportunity_id)
        .unwrap();
    assert!(others.notes.is_empty(), "nothing reached another candidate");
    assert_eq!(others.stage.as_deref(), Some(INVITE_STAGE_ID));
}

async fn failed_knockout_archives_with_mapped_reason(app: TestApp) {
    app.connect_lever().await;
    let opportunity = app.northwind.candidates[1].opportunity_id.clone();
    let mut answers = correct_answers();
    answers[4].1 = json!({"type": "choice", "value": "b"});
    let (token, ids) = answer_quiz(&app, 1, &answers).await;

    let (status, _) = submit(&app, &token, &ids).await;
    assert_eq!(status, StatusCode::OK);

    let lever = app
        .wait_for_lever("the archive", |state| {
            state
                .opportunity(&opportunity)
                .and_then(|o| o.archived.as_ref())
                .and_then(|a| a.reason.clone())
                .as_deref()
                == Some(FAIL_ARCHIVE_REASON_ID)
        })
        .await;
    let opportunity = lever.opportunity(&opportunity).unwrap();
    assert_eq!(opportunity.notes.len(), 1);
    assert_eq!(opportunity.notes[0].score, Some(1));
    assert!(
        opportunity.notes[0]
            .value
            .contains("failed a knockout question"),
        "{}",
        opportunity.notes[0].value
    );
    assert_eq!(
        opportunity.stage.as_deref(),
        Some(INVITE_STAGE_ID),
        "a failed candidate is not moved"
    );
}

async fn quiz_submitted_twice_posts_one_note(app: TestApp) {
    app.connect_lever().await;
    let opportunity = app.northwind.candidates[0].opportunity_id.clone();
    let (token, ids) = answer_quiz(&app, 0, &correct_answers()).await;

    let (first, second) = tokio::join!(submit(&app, &token, &ids), submit(&app, &token, &ids));
    let mut statuses = [first.0, second.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{first:?} {second:?}"
    );
    let (status, body) = submit(&app, &token, &ids).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        body.to_string().contains("already been submitted"),
        "{body}"
    );

    app.wait_for_lever("the stage move", |state| {
        state
            .opportunity(&opportunity)
            .and_then(|o| o.stage.clone())
            .as_deref()
            == Some(PASS_STAGE_ID)
    })
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox").await,
        2,
        "one note and one stage move"
    );
    let lever = app.lever_state().await;
    assert_eq!(lever.opportunity(&opportunity).unwrap().notes.len(), 1);
}

async fn late_quiz_rejects_answers_marks_submit(app: TestApp) {
    app.connect_lever().await;
    let opportunity = app.northwind.candidates[0].opportunity_id.clone();
    let answers = correct_answers();
    // The first three questions and the knockout, answered in time: 6 of 12 points.
    let in_time = [
        answers[0].clone(),
        answers[1].clone(),
        answers[2].clone(),
        answers[4].clone(),
    ];
    let (token, ids) = answer_quiz(&app, 0, &in_time).await;

    // The time limit passed a minute ago.
    let past = chrono::Utc::now().timestamp_millis() - 60_000;
    sqlx::query("UPDATE step_progress SET deadline_at = $1 WHERE step_id = $2")
        .bind(past)
        .bind(&ids.quiz_step)
        .execute(&app.state.db)
        .await
        .unwrap();

    let (status, body) = app
        .call("save_answer", json!({"token": token, "step_id": ids.quiz_step, "question_id": ids.question(answers[3].0), "answer": answers[3].1}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.to_string().contains("Time is up"), "{body}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answers").await,
        4,
        "the late answer was not stored"
    );

    let (status, body) = submit(&app, &token, &ids).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let timed_out: i64 =
        sqlx::query_scalar("SELECT timed_out FROM step_progress WHERE step_id = $1")
            .bind(&ids.quiz_step)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(timed_out, 1);

    // 6 of 12 points is below the 60% pass mark, so the candidate is archived.
    let lever = app
        .wait_for_lever("the archive", |state| {
            state
                .opportunity(&opportunity)
                .is_some_and(|o| o.archived.is_some())
        })
        .await;
    let note = &lever.opportunity(&opportunity).unwrap().notes[0];
    assert!(
        note.value
            .contains("Score: 6 / 12 points (50%), below the pass mark"),
        "{}",
        note.value
    );
    assert!(note.value.contains("time ran out"), "{}", note.value);
    assert_eq!(note.score, Some(2));
}

async fn expired_quiz_is_submitted_when_reopened(app: TestApp) {
    let (token, ids) = answer_quiz(&app, 0, &correct_answers()[..2]).await;
    sqlx::query("UPDATE step_progress SET deadline_at = 1")
        .execute(&app.state.db)
        .await
        .unwrap();

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
    assert_eq!(body["status"], "submitted");
    assert_eq!(body["timed_out"], true);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'note'")
            .await,
        1
    );
}

async fn results_wait_until_lever_is_connected(app: TestApp) {
    let opportunity = app.northwind.candidates[0].opportunity_id.clone();
    let (token, ids) = answer_quiz(&app, 0, &correct_answers()).await;
    let (status, _) = submit(&app, &token, &ids).await;
    assert_eq!(status, StatusCode::OK);

    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
            .await,
        2,
        "nothing is sent or dropped"
    );

    app.connect_lever().await;
    let lever = app
        .wait_for_lever("the note after connecting", |state| {
            state
                .opportunity(&opportunity)
                .is_some_and(|o| o.notes.len() == 1)
        })
        .await;
    assert_eq!(lever.opportunity(&opportunity).unwrap().notes.len(), 1);
}

/// Checks that after a 429, which Lever sends without handling the call, the retry posts
/// the note again without first listing the opportunity's notes.
async fn rate_limited_note_retries_without_lookup(app: TestApp) {
    app.connect_lever().await;
    let opportunity = app.northwind.candidates[0].opportunity_id.clone();
    app.set_knobs(json!({"fail_next": {
        "status": 429, "count": 1, "path_prefix": "/v1/opportunities", "retry_after_secs": 1
    }}))
    .await;
    let (token, ids) = answer_quiz(&app, 0, &correct_answers()).await;

    let (status, _) = submit(&app, &token, &ids).await;
    assert_eq!(status, StatusCode::OK);

    let lever = app
        .wait_for_lever("the stage move after a 429", |state| {
            state
                .opportunity(&opportunity)
                .and_then(|o| o.stage.clone())
                .as_deref()
                == Some(PASS_STAGE_ID)
        })
        .await;
    assert_eq!(lever.opportunity(&opportunity).unwrap().notes.len(), 1);
    assert_eq!(
        lever.request_count("GET /v1/opportunities/:id/notes"),
        0,
        "no lookup before the retry: {:?}",
        lever.request_counts
    );
    let (attempts, clean_attempts): (i64, i64) =
        sqlx::query_as("SELECT attempts, clean_attempts FROM outbox WHERE kind = 'note'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(attempts, 2, "the note was retried once");
    assert_eq!(
        clean_attempts, 1,
        "the 429 try is known not to have reached Lever"
    );
}

async fn lost_note_response_does_not_duplicate(app: TestApp) {
    app.connect_lever().await;
    let opportunity = app.northwind.candidates[0].opportunity_id.clone();
    app.set_knobs(json!({"lose_next_responses": {"count": 1, "path_prefix": "/v1/opportunities"}}))
        .await;
    let (token, ids) = answer_quiz(&app, 0, &correct_answers()).await;

    let (status, _) = submit(&app, &token, &ids).await;
    assert_eq!(status, StatusCode::OK);

    let lever = app
        .wait_for_lever("the stage move after a lost response", |state| {
            state
                .opportunity(&opportunity)
                .and_then(|o| o.stage.clone())
                .as_deref()
                == Some(PASS_STAGE_ID)
        })
        .await;
    assert_eq!(
        lever.opportunity(&opportunity).unwrap().notes.len(),
        1,
        "the retried note was found, not posted again"
    );
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM outbox WHERE kind = 'note'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert!(attempts >= 2, "the note was retried ({attempts} attempts)");
}

async fn expired_access_token_is_refreshed_and_rotated(app: TestApp) {
    app.connect_lever().await;
    let opportunity = app.northwind.candidates[0].opportunity_id.clone();
    let sealed_before: String =
        sqlx::query_scalar("SELECT refresh_token_enc FROM lever_connections")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    // The stored expiry puts the token past its refresh margin.
    sqlx::query("UPDATE lever_connections SET access_expires_at = 1")
        .execute(&app.state.db)
        .await
        .unwrap();
    let (token, ids) = answer_quiz(&app, 0, &correct_answers()).await;

    submit(&app, &token, &ids).await;

    app.wait_for_lever("the note", |state| {
        state
            .opportunity(&opportunity)
            .is_some_and(|o| o.notes.len() == 1)
    })
    .await;
    let sealed_after: String =
        sqlx::query_scalar("SELECT refresh_token_enc FROM lever_connections")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_ne!(
        sealed_before, sealed_after,
        "the rotated refresh token was stored"
    );
    assert!(app.lever_state().await.refresh_tokens_issued >= 2);
}

async fn revoked_connection_pauses_writes_without_loss(app: TestApp) {
    app.connect_lever().await;
    let revoke = reqwest::Client::new()
        .post(app.simulator.base_url.join("_sim/revoke").unwrap())
        .send()
        .await
        .unwrap();
    assert!(revoke.status().is_success());
    let (token, ids) = answer_quiz(&app, 0, &correct_answers()).await;

    submit(&app, &token, &ids).await;

    let started = std::time::Instant::now();
    loop {
        let status: String = sqlx::query_scalar("SELECT status FROM lever_connections")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        if status == "revoked" {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 20,
            "the connection was never marked revoked"
        );
        app.state.outbox_wakeup.notify_one();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
            .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'failed'")
            .await,
        0
    );
}

on_both_backends!(
    passing_quiz_posts_one_note_and_moves_stage,
    failed_knockout_archives_with_mapped_reason,
    quiz_submitted_twice_posts_one_note,
    late_quiz_rejects_answers_marks_submit,
    expired_quiz_is_submitted_when_reopened,
    results_wait_until_lever_is_connected,
    lost_note_response_does_not_duplicate,
    rate_limited_note_retries_without_lookup,
    expired_access_token_is_refreshed_and_rotated,
    revoked_connection_pauses_writes_without_loss,
);
