//! The portal editor over HTTP. A role owner builds a quiz with every question type, and the
//! server rejects what would break the portal with the name of the invalid field. Publishing
//! freezes a version, and a candidate who started keeps the version they started on.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{correct_answers, quiz_ids, token_of, TestApp};
use crate::staff_calls::{call_as, call_json_as, signed_in};
use server::demo::lever_account::INVITE_STAGE_ID;

/// Returns the question of the editor's quiz (its second step) whose prompt starts with `start`.
fn quiz_question(editor: &Value, start: &str) -> Value {
    editor["steps"][1]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|question| question["prompt"].as_str().unwrap().starts_with(start))
        .unwrap_or_else(|| panic!("the quiz has no question starting {start:?}: {editor}"))
        .clone()
}

/// Returns the field an `Invalid` error names, from a server function's JSON error body.
fn invalid_field(body: &Value) -> Option<&str> {
    body["Invalid"]["field"].as_str()
}

fn question(kind: &str, prompt: &str) -> Value {
    json!({
        "question_id": null, "kind": kind, "prompt": prompt, "options": [], "accepted_answers": [],
        "number_value": null, "number_tolerance": null, "points": 2, "knockout": false,
        "time_limit_secs": null, "max_length": null,
    })
}

fn option(label: &str, correct: bool) -> Value {
    json!({"id": null, "label": label, "correct": correct})
}

fn step_input(step: &Value) -> Value {
    json!({
        "step_id": step["id"], "title": step["title"], "body_md": step["body_md"],
        "required": step["required"], "time_limit_secs": step["time_limit_secs"],
        "pass_percent": step["pass_percent"], "shuffle_questions": step["shuffle_questions"],
        "shuffle_options": step["shuffle_options"], "video_url": step["video_url"],
    })
}

async fn question_count(app: &TestApp, step_id: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM quiz_questions WHERE step_id = $1")
        .bind(step_id)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

async fn owner_builds_and_publishes_a_quiz(app: TestApp) {
    let northwind = &app.northwind;
    let owner = signed_in(
        &app,
        &northwind.team_member.email,
        &northwind.team_member.password,
    )
    .await;
    let job = northwind.draft_role_id.as_str();

    let (status, editor) = call_as(&app, &owner, "load_portal_editor", &[("role_id", job)]).await;
    assert_eq!(status, StatusCode::OK, "{editor}");
    assert_eq!(editor["state"], "draft");
    assert_eq!(editor["edit_refusal"], Value::Null);
    assert_eq!(editor["steps"].as_array().unwrap().len(), 1);

    let (status, editor) = call_json_as(
        &app,
        &owner,
        "add_portal_step",
        json!({"role_id": job, "kind": "quiz"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{editor}");
    let quiz = editor["steps"][1].clone();
    assert_eq!(quiz["kind"], "quiz");
    let quiz_id = quiz["id"].as_str().unwrap().to_owned();

    // A time limit of zero and an empty title are rejected, each naming its field.
    let mut zero_limit = step_input(&quiz);
    zero_limit["time_limit_secs"] = json!(0);
    let (status, body) = call_json_as(
        &app,
        &owner,
        "save_portal_step",
        json!({"role_id": job, "step": zero_limit}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(invalid_field(&body), Some("time_limit_secs"), "{body}");
    let mut no_title = step_input(&quiz);
    no_title["title"] = json!("   ");
    let (status, body) = call_json_as(
        &app,
        &owner,
        "save_portal_step",
        json!({"role_id": job, "step": no_title}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(invalid_field(&body), Some("title"), "{body}");

    let mut settings = step_input(&quiz);
    settings["time_limit_secs"] = json!(600);
    settings["pass_percent"] = json!(70);
    settings["shuffle_options"] = json!(true);
    let (status, body) = call_json_as(
        &app,
        &owner,
        "save_portal_step",
        json!({"role_id": job, "step": settings}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // A choice question without a correct option is rejected, and nothing is stored.
    let mut unmarked = question("single_choice", "Which plan suits a team of five?");
    unmarked["options"] = json!([option("Starter", false), option("Team", false)]);
    let (status, body) = call_json_as(
        &app,
        &owner,
        "save_quiz_question",
        json!({"role_id": job, "step_id": quiz_id, "question": unmarked}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(invalid_field(&body), Some("correct"), "{body}");
    assert_eq!(question_count(&app, &quiz_id).await, 0);

    // One question of every type, the first a knockout with its own time limit.
    let mut single = question("single_choice", "Can you work weekend shifts once a month?");
    single["options"] = json!([option("Yes", true), option("No", false)]);
    single["knockout"] = json!(true);
    single["time_limit_secs"] = json!(30);
    let mut multiple = question(
        "multiple_choice",
        "Which channels have you supported customers on?",
    );
    multiple["options"] = json!([
        option("Email", true),
        option("Phone", true),
        option("Carrier pigeon", false)
    ]);
    let mut text = question("short_text", "Which tool do we use for tickets?");
    text["accepted_answers"] = json!(["Zendesk", "zendesk.com"]);
    let mut number = question("number", "How many minutes is our first-response target?");
    number["number_value"] = json!(15.0);
    number["number_tolerance"] = json!(0.5);
    let mut editor = Value::Null;
    for question in [single, multiple, text, number] {
        let (status, body) = call_json_as(
            &app,
            &owner,
            "save_quiz_question",
            json!({"role_id": job, "step_id": quiz_id, "question": question}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        editor = body;
    }
    let questions = editor["steps"][1]["questions"].as_array().unwrap().clone();
    let kinds: Vec<&str> = questions
        .iter()
        .map(|question| question["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["single_choice", "multiple_choice", "short_text", "number"]
    );
    assert_eq!(questions[0]["knockout"], true);
    assert_eq!(questions[0]["time_limit_secs"], 30);
    let correct: Vec<bool> = questions[1]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|option| option["correct"].as_bool().unwrap())
        .collect();
    assert_eq!(correct, [true, true, false]);
    assert_eq!(
        questions[2]["accepted_answers"],
        json!(["Zendesk", "zendesk.com"])
    );
    assert_eq!(questions[3]["number_value"], 15.0);
    assert_eq!(questions[3]["number_tolerance"], 0.5);

    // Reorder: the number question moves above the text question; then remove the text question.
    let (status, editor) = call_json_as(
        &app,
        &owner,
        "move_quiz_question",
        json!({"role_id": job, "question_id": questions[3]["id"], "direction": "up"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{editor}");
    let order: Vec<&str> = editor["steps"][1]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|question| question["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        ["single_choice", "multiple_choice", "number", "short_text"]
    );
    let (status, editor) = call_json_as(
        &app,
        &owner,
        "remove_quiz_question",
        json!({"role_id": job, "question_id": questions[2]["id"]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{editor}");
    assert_eq!(question_count(&app, &quiz_id).await, 3);

    // The quiz moves above the guide.
    let (status, editor) = call_json_as(
        &app,
        &owner,
        "move_portal_step",
        json!({"role_id": job, "step_id": quiz_id, "direction": "up"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{editor}");
    assert_eq!(editor["steps"][0]["id"], quiz_id.as_str());

    // Publishing needs the invite stage; then it freezes version 1.
    let (status, body) = call_as(&app, &owner, "publish_job", &[("role_id", job)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    sqlx::query("UPDATE roles SET invite_stage_id = $1 WHERE id = $2")
        .bind(INVITE_STAGE_ID)
        .bind(job)
        .execute(&app.state.db)
        .await
        .unwrap();
    let (status, body) = call_as(&app, &owner, "publish_job", &[("role_id", job)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, editor) = call_as(&app, &owner, "load_portal_editor", &[("role_id", job)]).await;
    assert_eq!(status, StatusCode::OK, "{editor}");
    assert_eq!(editor["state"], "published");
    assert_eq!(editor["published_version_number"], 1);
    let published = app
        .count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = 'portal_published' AND object_id = '{job}' AND detail = 'version 1'"))
        .await;
    assert_eq!(published, 1);

    // The owner's edits stop at their own job: the demo job is not theirs.
    let before = app.count("SELECT COUNT(*) FROM steps").await;
    let (status, body) = call_json_as(
        &app,
        &owner,
        "add_portal_step",
        json!({"role_id": northwind.role_id, "kind": "content"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM steps").await, before);
}

async fn empty_quiz_cannot_be_published(app: TestApp) {
    let northwind = &app.northwind;
    let owner = signed_in(
        &app,
        &northwind.team_member.email,
        &northwind.team_member.password,
    )
    .await;
    let job = northwind.draft_role_id.as_str();
    sqlx::query("UPDATE roles SET invite_stage_id = $1 WHERE id = $2")
        .bind(INVITE_STAGE_ID)
        .bind(job)
        .execute(&app.state.db)
        .await
        .unwrap();

    let (status, body) = call_json_as(
        &app,
        &owner,
        "add_portal_step",
        json!({"role_id": job, "kind": "quiz"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = call_as(&app, &owner, "publish_job", &[("role_id", job)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains("has no questions yet"), "{body}");
    let published = app
        .count(&format!(
            "SELECT COUNT(*) FROM portal_versions WHERE status = 'published' AND role_id = '{job}'"
        ))
        .await;
    assert_eq!(published, 0);
}

async fn started_candidate_keeps_their_version(app: TestApp) {
    let northwind = &app.northwind;
    let admin = signed_in(&app, &northwind.admin.email, &northwind.admin.password).await;
    let job = northwind.role_id.as_str();
    let ids = quiz_ids(&app, &northwind.admin.email).await;
    let started = token_of(&northwind.candidates[0].link);
    let newcomer = token_of(&northwind.candidates[1].link);

    // Candidate 0 reads the guide, starts the quiz and answers half of it.
    let answers = correct_answers();
    let (first_half, second_half) = answers.split_at(answers.len() / 2);
    for (name, body) in [
        (
            "complete_content_step",
            json!({"token": started, "step_id": ids.content_step}),
        ),
        (
            "start_quiz",
            json!({"token": started, "step_id": ids.quiz_step}),
        ),
    ] {
        let (status, body) = app.call(name, body).await;
        assert_eq!(status, StatusCode::OK, "{name}: {body}");
    }
    for (prompt, answer) in first_half {
        let (status, body) = app
            .call("save_answer", json!({"token": started, "step_id": ids.quiz_step, "question_id": ids.question(prompt), "answer": answer}))
            .await;
        assert_eq!(status, StatusCode::OK, "{prompt}: {body}");
    }

    // Meanwhile the Admin rewrites the first question with another correct option, and publishes.
    let (status, editor) = call_as(&app, &admin, "load_portal_editor", &[("role_id", job)]).await;
    assert_eq!(status, StatusCode::OK, "{editor}");
    assert_eq!(editor["state"], "published");
    let http_question = quiz_question(&editor, "Which HTTP status");
    let mut rewritten = http_question.clone();
    rewritten["question_id"] = http_question["id"].clone();
    rewritten["prompt"] = json!("Which HTTP status code means Too Many Requests? (version 2)");
    for option in rewritten["options"].as_array_mut().unwrap() {
        let is_a = option["id"] == "a";
        option["correct"] = json!(is_a);
    }
    let (status, editor) = call_json_as(
        &app,
        &admin,
        "save_quiz_question",
        json!({"role_id": job, "step_id": ids.quiz_step, "question": rewritten}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{editor}");
    assert_eq!(editor["state"], "unpublished_changes");
    assert_ne!(
        editor["steps"][1]["id"],
        ids.quiz_step.as_str(),
        "the draft has its own copy of the quiz"
    );
    let (status, body) = call_as(&app, &admin, "publish_job", &[("role_id", job)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM portal_versions WHERE status = 'superseded'")
            .await,
        1
    );

    // Candidate 0 still sees and finishes version 1, and version 1's key scores them.
    let (status, quiz) = app
        .call_form(
            "load_quiz",
            &[
                ("token", started.as_str()),
                ("step_id", ids.quiz_step.as_str()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{quiz}");
    assert!(!quiz.to_string().contains("(version 2)"), "{quiz}");
    for (prompt, answer) in second_half {
        let (status, body) = app
            .call("save_answer", json!({"token": started, "step_id": ids.quiz_step, "question_id": ids.question(prompt), "answer": answer}))
            .await;
        assert_eq!(status, StatusCode::OK, "{prompt}: {body}");
    }
    let (status, body) = app
        .call(
            "submit_quiz",
            json!({"token": started, "step_id": ids.quiz_step}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (awarded, available): (i64, i64) = sqlx::query_as(
        "SELECT score_points, max_points FROM step_progress WHERE step_id = $1 AND score_points IS NOT NULL",
    )
    .bind(&ids.quiz_step)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(
        (awarded, available),
        (12, 12),
        "version 1's answer key scored the quiz"
    );

    // A candidate who has not started gets version 2, with new step ids.
    let (status, overview) = app
        .call_form("load_portal", &[("token", newcomer.as_str())])
        .await;
    assert_eq!(status, StatusCode::OK, "{overview}");
    let new_quiz = overview["steps"][1]["id"].as_str().unwrap().to_owned();
    assert_ne!(new_quiz, ids.quiz_step);
    let (status, body) = app
        .call(
            "start_quiz",
            json!({"token": newcomer, "step_id": new_quiz}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, quiz) = app
        .call_form(
            "load_quiz",
            &[("token", newcomer.as_str()), ("step_id", new_quiz.as_str())],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{quiz}");
    assert!(quiz.to_string().contains("(version 2)"), "{quiz}");

    // The version 1 quiz is closed to the newcomer, who is now pinned to version 2.
    let (status, body) = app
        .call_form(
            "load_quiz",
            &[
                ("token", newcomer.as_str()),
                ("step_id", ids.quiz_step.as_str()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

async fn video_steps_embed_only_youtube_and_vimeo(app: TestApp) {
    let northwind = &app.northwind;
    let admin = signed_in(&app, &northwind.admin.email, &northwind.admin.password).await;
    let job = northwind.role_id.as_str();

    let (status, editor) = call_json_as(
        &app,
        &admin,
        "add_portal_step",
        json!({"role_id": job, "kind": "video"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{editor}");
    let video = editor["steps"][2].clone();
    assert_eq!(video["kind"], "video");

    let mut elsewhere = step_input(&video);
    elsewhere["video_url"] = json!("https://videos.example/meet-the-team.mp4");
    let (status, body) = call_json_as(
        &app,
        &admin,
        "save_portal_step",
        json!({"role_id": job, "step": elsewhere}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(invalid_field(&body), Some("video_url"), "{body}");
    assert!(body.to_string().contains("YouTube or Vimeo"), "{body}");

    let mut youtube = step_input(&video);
    youtube["video_url"] = json!("https://youtu.be/dQw4w9WgXcQ");
    youtube["required"] = json!(false);
    let (status, editor) = call_json_as(
        &app,
        &admin,
        "save_portal_step",
        json!({"role_id": job, "step": youtube}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{editor}");
    let embed = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ";
    assert_eq!(editor["steps"][2]["video_url"], embed);

    let (status, body) = call_as(&app, &admin, "publish_job", &[("role_id", job)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = token_of(&northwind.candidates[2].link);
    let (status, overview) = app
        .call_form("load_portal", &[("token", token.as_str())])
        .await;
    assert_eq!(status, StatusCode::OK, "{overview}");
    let step_id = overview["steps"][2]["id"].as_str().unwrap().to_owned();
    assert_eq!(overview["steps"][2]["kind"], "video");
    let (status, step) = app
        .call_form(
            "load_content_step",
            &[("token", token.as_str()), ("step_id", step_id.as_str())],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{step}");
    assert_eq!(step["video_embed_url"], embed);
}

async fn reviewer_reads_but_cannot_edit(app: TestApp) {
    let northwind = &app.northwind;
    let (reviewer_id, reviewer) = crate::staff_calls::add_staff(
        &app,
        &northwind.organization_id,
        "limited_team_member",
        "Portal Reviewer",
    )
    .await;
    crate::staff_calls::add_member(
        &app,
        &northwind.organization_id,
        &northwind.role_id,
        &reviewer_id,
        "reviewer",
    )
    .await;

    let (status, editor) = call_as(
        &app,
        &reviewer,
        "load_portal_editor",
        &[("role_id", northwind.role_id.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{editor}");
    assert!(
        editor["edit_refusal"]
            .as_str()
            .is_some_and(|reason| !reason.is_empty()),
        "{editor}"
    );

    let ids = quiz_ids(&app, &northwind.admin.email).await;
    let before = question_count(&app, &ids.quiz_step).await;
    let (status, body) = call_json_as(
        &app,
        &reviewer,
        "remove_quiz_question",
        json!({"role_id": northwind.role_id, "question_id": ids.questions[0].0}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(question_count(&app, &ids.quiz_step).await, before);
    let drafts = app
        .count(&format!(
            "SELECT COUNT(*) FROM portal_versions WHERE status = 'draft' AND role_id = '{}'",
            northwind.role_id
        ))
        .await;
    assert_eq!(drafts, 0, "a refused edit starts no draft");
}

async fn team_member_creates_and_owns_a_job(app: TestApp) {
    let northwind = &app.northwind;
    let member = signed_in(
        &app,
        &northwind.team_member.email,
        &northwind.team_member.password,
    )
    .await;

    let (status, body) = call_as(&app, &member, "create_job", &[("title", "  ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(invalid_field(&body), Some("title"), "{body}");

    let (status, body) = call_as(
        &app,
        &member,
        "create_job",
        &[
            ("title", "Support Engineer"),
            ("team", "Support"),
            ("location", ""),
        ],
    )
    .await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{status} {body}"
    );
    let (role_id, location): (String, Option<String>) =
        sqlx::query_as("SELECT id, location FROM roles WHERE title = 'Support Engineer'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(location, None, "a blank location is stored as none");
    let membership: String = sqlx::query_scalar(
        "SELECT membership FROM role_members WHERE role_id = $1 AND staff_user_id = $2",
    )
    .bind(&role_id)
    .bind(&northwind.team_member_id)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(membership, "owner");

    let (status, editor) = call_as(
        &app,
        &member,
        "load_portal_editor",
        &[("role_id", role_id.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{editor}");
    assert_eq!(editor["state"], "draft");
    assert_eq!(editor["edit_refusal"], Value::Null);
    assert!(editor["steps"].as_array().unwrap().is_empty());
    let created = app
        .count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = 'job_created' AND object_id = '{role_id}'"))
        .await;
    assert_eq!(created, 1);

    let (_, limited) = crate::staff_calls::add_staff(
        &app,
        &northwind.organization_id,
        "limited_team_member",
        "Limited Creator",
    )
    .await;
    let before = app.count("SELECT COUNT(*) FROM roles").await;
    let (status, body) = call_as(&app, &limited, "create_job", &[("title", "Not allowed")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM roles").await, before);
}

async fn preview_shows_draft_without_keys(app: TestApp) {
    let northwind = &app.northwind;
    let admin = signed_in(&app, &northwind.admin.email, &northwind.admin.password).await;
    let job = northwind.role_id.as_str();
    let applications = app.count("SELECT COUNT(*) FROM applications").await;

    let (status, editor) = call_json_as(
        &app,
        &admin,
        "add_portal_step",
        json!({"role_id": job, "kind": "content"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{editor}");
    let mut guide = step_input(&editor["steps"][2]);
    guide["title"] = json!("After the quiz");
    guide["body_md"] = json!("# Thanks\n\n<script>alert(1)</script>Read on.");
    let (status, body) = call_json_as(
        &app,
        &admin,
        "save_portal_step",
        json!({"role_id": job, "step": guide}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, preview) = call_as(&app, &admin, "load_portal_preview", &[("role_id", job)]).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["is_draft"], true);
    assert_eq!(preview["version_number"], 2);
    let titles: Vec<&str> = preview["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| step["summary"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 3);
    assert_eq!(titles[2], "After the quiz");
    let guide_html = preview["steps"][2]["body_html"].as_str().unwrap();
    assert!(guide_html.contains("Read on."), "{guide_html}");
    assert!(!guide_html.contains("<script"), "{guide_html}");
    assert_eq!(
        preview["steps"][1]["questions"].as_array().unwrap().len(),
        9
    );

    // The answer keys stay on the server: the demo's short-text answer and the number 60000.
    let questions = preview["steps"][1]["questions"].to_string().to_lowercase();
    assert!(
        !questions.contains("distinct"),
        "a short-text key leaked: {questions}"
    );
    assert!(
        !questions.contains("60000"),
        "a number key leaked: {questions}"
    );
    assert!(
        !questions.contains("knockout"),
        "the knockout flag leaked: {questions}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM applications").await,
        applications,
        "the preview created no application"
    );
}

async fn timed_question_counts_on_server(app: TestApp) {
    let northwind = &app.northwind;
    let admin = signed_in(&app, &northwind.admin.email, &northwind.admin.password).await;
    let job = northwind.role_id.as_str();

    // The Admin gives one question a clock of its own and publishes.
    let (status, editor) = call_as(&app, &admin, "load_portal_editor", &[("role_id", job)]).await;
    assert_eq!(status, StatusCode::OK, "{editor}");
    let rust_question = quiz_question(&editor, "Which Rust type");
    let mut timed = rust_question.clone();
    timed["question_id"] = rust_question["id"].clone();
    timed["time_limit_secs"] = json!(45);
    let step_id = editor["steps"][1]["id"].as_str().unwrap().to_owned();
    let (status, body) = call_json_as(
        &app,
        &admin,
        "save_quiz_question",
        json!({"role_id": job, "step_id": step_id, "question": timed}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = call_as(&app, &admin, "publish_job", &[("role_id", job)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The candidate starts the quiz: the timed question comes without its prompt or options.
    let token = token_of(&northwind.candidates[1].link);
    let (status, overview) = app
        .call_form("load_portal", &[("token", token.as_str())])
        .await;
    assert_eq!(status, StatusCode::OK, "{overview}");
    let quiz_id = overview["steps"][1]["id"].as_str().unwrap().to_owned();
    let (status, session) = app
        .call("start_quiz", json!({"token": token, "step_id": quiz_id}))
        .await;
    assert_eq!(status, StatusCode::OK, "{session}");
    let hidden = session["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|question| question["time_limit_secs"] == 45)
        .unwrap()
        .clone();
    assert_eq!(hidden["prompt"], "", "{hidden}");
    assert_eq!(hidden["options"], json!([]), "{hidden}");
    assert!(
        !session.to_string().contains("Which Rust type"),
        "the prompt left the server before opening"
    );
    let question_id = hidden["id"].as_str().unwrap().to_owned();
    let answer = json!({"token": token, "step_id": quiz_id, "question_id": question_id, "answer": {"type": "choice", "value": "b"}});

    let (status, body) = app.call("save_answer", answer.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("Open this question"), "{body}");

    let (status, opened) = app
        .call(
            "open_question",
            json!({"token": token, "step_id": quiz_id, "question_id": question_id}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{opened}");
    assert!(
        opened["question"]["prompt"]
            .as_str()
            .unwrap()
            .starts_with("Which Rust type"),
        "{opened}"
    );
    let remaining = opened["remaining_ms"].as_i64().unwrap();
    assert!(remaining > 0, "{remaining}");
    assert!(remaining <= 45_000, "{remaining}");
    let (status, body) = app.call("save_answer", answer.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Once the question's own clock has run out (moved back here rather than waited for),
    // answers to it are rejected, and opening it again does not restart it.
    sqlx::query(
        "UPDATE question_timers SET deadline_at = deadline_at - 60000 WHERE question_id = $1",
    )
    .bind(&question_id)
    .execute(&app.state.db)
    .await
    .unwrap();
    let (status, body) = app.call("save_answer", answer).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.to_string().contains("Time is up for this question"),
        "{body}"
    );
    let (status, reopened) = app
        .call(
            "open_question",
            json!({"token": token, "step_id": quiz_id, "question_id": question_id}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reopened}");
    assert_eq!(reopened["remaining_ms"], 0);
    let (status, session) = app
        .call_form(
            "load_quiz",
            &[("token", token.as_str()), ("step_id", quiz_id.as_str())],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{session}");
    assert_eq!(session["question_timers"], json!([[question_id, 0]]));

    // The answer saved in time counts.
    let saved: String = sqlx::query_scalar("SELECT value_json FROM answers WHERE question_id = $1")
        .bind(&question_id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert!(saved.contains("\"b\""), "{saved}");
}

on_both_backends!(
    timed_question_counts_on_server,
    preview_shows_draft_without_keys,
    team_member_creates_and_owns_a_job,
    owner_builds_and_publishes_a_quiz,
    empty_quiz_cannot_be_published,
    started_candidate_keeps_their_version,
    video_steps_embed_only_youtube_and_vimeo,
    reviewer_reads_but_cannot_edit,
);
