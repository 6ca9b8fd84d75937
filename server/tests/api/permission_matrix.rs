//! The permission matrix of `docs/permissions.md`, checked cell by cell against a running
//! server. Every server function, route and page must have a row there and a sample request
//! here. The test calls each row without a session, as each of the four roles, and as a Super
//! Admin of another organization, and each response must match its cell.

use std::collections::BTreeSet;

use app::ssr::clock::new_id;
use app::ssr::crypto::hash_token;
use app::ssr::media::{MediaKey, MediaKind};
use app::ssr::password::hash_password;
use app::ssr::session::{create_session, SESSION_COOKIE};
use bytes::Bytes;
use reqwest::header::{ACCEPT, CONTENT_TYPE, COOKIE, LOCATION};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{sample_png, sample_video, token_of, TestApp};

const DOC: &str = include_str!("../../../docs/permissions.md");

/// A Lever posting in Northwind's cache that no job uses, for the import sample.
const MATRIX_POSTING: &str = "posting-matrix";

/// Who makes a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Nobody,
    SuperAdmin,
    Admin,
    TeamMember,
    Limited,
    OtherOrganization,
}

const CALLERS: [Caller; 6] = [
    Caller::Nobody,
    Caller::SuperAdmin,
    Caller::Admin,
    Caller::TeamMember,
    Caller::Limited,
    Caller::OtherOrganization,
];

/// One cell of the documented matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    Yes,
    No,
    OwnedJobs,
    AssignedJobs,
    Link,
    Signature,
    OwnData,
}

impl Cell {
    fn parse(text: &str) -> Self {
        match text {
            "yes" => Self::Yes,
            "no" => Self::No,
            "owned jobs" => Self::OwnedJobs,
            "assigned jobs" => Self::AssignedJobs,
            "link" => Self::Link,
            "signature" => Self::Signature,
            "own data" => Self::OwnData,
            other => panic!("docs/permissions.md has an unknown cell {other:?}"),
        }
    }
}

/// One documented row: the endpoint as written (`/api/name`, `METHOD /path` or a page path)
/// and a cell per caller, in the order of [`CALLERS`].
#[derive(Debug)]
struct Row {
    endpoint: String,
    cells: Vec<Cell>,
}

fn documented_rows() -> Vec<Row> {
    DOC.lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let columns: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            assert_eq!(columns.len(), 7, "a matrix row has 7 columns: {line}");
            Row {
                endpoint: columns[0].trim_matches('`').to_owned(),
                cells: columns[1..].iter().map(|cell| Cell::parse(cell)).collect(),
            }
        })
        .collect()
}

/// Collects every endpoint the server serves, written as the matrix writes them.
fn served_endpoints() -> BTreeSet<String> {
    let mut endpoints = BTreeSet::new();
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        endpoints.insert(path.to_owned());
    }
    for (method, path) in server::router::HTTP_ROUTES {
        endpoints.insert(format!("{method} {path}"));
    }
    for route in leptos_axum::generate_route_list(app::App) {
        endpoints.insert(route.path().to_owned());
    }
    endpoints
}

/// Ids and sessions the sample requests use. Job A is owned by the Team Member and reviewed
/// by the Limited Team Member, and job B has no owners or reviewers.
struct Fixture {
    organization_id: String,
    /// Each signed-in caller's staff id, organization id and session token.
    sessions: Vec<(Caller, String, String, String)>,
    job_a: String,
    job_b: String,
    application_a: String,
    application_b: String,
    candidate_token: String,
    content_step: String,
    quiz_step: String,
    /// A short-text question of the quiz.
    text_question: String,
    write_id: String,
    email_id: String,
    target_staff: String,
    /// A culture video uploaded to each job, and a step of job A's published version that
    /// shows job A's.
    upload_a: String,
    upload_b: String,
    video_step: String,
    /// Northwind's logo.
    logo: String,
}

impl Fixture {
    fn session(&self, caller: Caller) -> Option<&(Caller, String, String, String)> {
        self.sessions.iter().find(|(who, ..)| *who == caller)
    }

    fn job(&self, job: Job) -> &str {
        match job {
            Job::A => &self.job_a,
            Job::B => &self.job_b,
        }
    }

    fn upload(&self, job: Job) -> &str {
        match job {
            Job::A => &self.upload_a,
            Job::B => &self.upload_b,
        }
    }

    fn application(&self, job: Job) -> &str {
        match job {
            Job::A => &self.application_a,
            Job::B => &self.application_b,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Job {
    A,
    B,
}

async fn insert_staff(app: &TestApp, organization_id: &str, role: &str, name: &str) -> String {
    let id = new_id();
    sqlx::query(
        "INSERT INTO staff_users (id, organization_id, email, name, role, password_hash, active, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 1, 0)",
    )
    .bind(&id)
    .bind(organization_id)
    .bind(format!("{}@matrix.example", name.to_lowercase().replace(' ', ".")))
    .bind(name)
    .bind(role)
    .bind(hash_password("a-long-test-password".into()).await.unwrap())
    .execute(&app.state.db)
    .await
    .unwrap();
    id
}

async fn staff_id(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT id FROM staff_users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

async fn fixture(app: &TestApp) -> Fixture {
    let db = &app.state.db;
    let northwind = &app.northwind.organization_id;
    let super_admin = staff_id(app, &app.northwind.admin.email).await;
    let team_member = app.northwind.team_member_id.clone();
    let admin = insert_staff(app, northwind, "admin", "Matrix Admin").await;
    let limited = insert_staff(app, northwind, "limited_team_member", "Matrix Limited").await;
    let target_staff = insert_staff(app, northwind, "team_member", "Matrix Target").await;
    let other = staff_id(app, &app.globex.admin.email).await;
    let job_a = app.northwind.role_id.clone();
    let job_b = app.northwind.draft_role_id.clone();

    // The seed makes the Team Member the owner of the draft job (job B here). The matrix
    // needs a job they own (A) beside one without owners or reviewers (B).
    sqlx::query("DELETE FROM role_members WHERE role_id = $1")
        .bind(&job_b)
        .execute(db)
        .await
        .unwrap();
    for (member, membership) in [(&team_member, "owner"), (&limited, "reviewer")] {
        sqlx::query(
            "INSERT INTO role_members (organization_id, role_id, staff_user_id, membership, added_at)
             VALUES ($1, $2, $3, $4, 0)",
        )
        .bind(northwind)
        .bind(&job_a)
        .bind(member)
        .bind(membership)
        .execute(db)
        .await
        .unwrap();
    }

    let mut sessions = Vec::new();
    for (caller, id, organization) in [
        (Caller::SuperAdmin, &super_admin, northwind),
        (Caller::Admin, &admin, northwind),
        (Caller::TeamMember, &team_member, northwind),
        (Caller::Limited, &limited, northwind),
        (
            Caller::OtherOrganization,
            &other,
            &app.globex.organization_id,
        ),
    ] {
        let token = create_session(db, id, organization).await.unwrap();
        sessions.push((caller, id.clone(), organization.clone(), token));
    }

    let candidate_token = token_of(&app.northwind.candidates[1].link);
    let application_a: String =
        sqlx::query_scalar("SELECT id FROM applications WHERE link_token_hash = $1")
            .bind(hash_token(&token_of(&app.northwind.candidates[0].link)))
            .fetch_one(db)
            .await
            .unwrap();
    let candidate_id: String =
        sqlx::query_scalar("SELECT candidate_id FROM applications WHERE id = $1")
            .bind(&application_a)
            .fetch_one(db)
            .await
            .unwrap();
    let application_b = new_id();
    sqlx::query(
        "INSERT INTO applications (id, organization_id, role_id, candidate_id, lever_opportunity_id, link_token_hash,
                                   status, invited_at)
         VALUES ($1, $2, $3, $4, 'opportunity-in-job-b', $5, 'invited', 0)",
    )
    .bind(&application_b)
    .bind(northwind)
    .bind(&job_b)
    .bind(&candidate_id)
    .bind(hash_token(&new_id()))
    .execute(db)
    .await
    .unwrap();

    // The candidate whose link the portal samples use has started, so they stay on job A's
    // published version whatever the editor samples change.
    sqlx::query(
        "UPDATE applications SET version_id =
             (SELECT id FROM portal_versions WHERE role_id = applications.role_id AND status = 'published')
         WHERE link_token_hash = $1",
    )
    .bind(hash_token(&candidate_token))
    .execute(db)
    .await
    .unwrap();

    let step = |kind: &'static str| {
        let job_a = job_a.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT id FROM steps WHERE role_id = $1 AND kind = $2")
                .bind(job_a)
                .bind(kind)
                .fetch_one(db)
                .await
                .unwrap()
        }
    };
    let content_step = step("content").await;
    let quiz_step = step("quiz").await;
    let text_question: String =
        sqlx::query_scalar("SELECT id FROM quiz_questions WHERE step_id = $1 AND kind = 'short_text' ORDER BY position")
            .bind(&quiz_step)
            .fetch_one(db)
            .await
            .unwrap();

    let write_id = new_id();
    sqlx::query(
        "INSERT INTO outbox (id, organization_id, application_id, opportunity_id, kind, payload_json, marker,
                             status, attempts, next_attempt_at, created_at, last_error)
         VALUES ($1, $2, $3, 'opportunity-in-job-a', 'stage', '{\"kind\":\"stage\",\"stage_id\":\"s\"}', $4,
                 'failed', 1, 0, 0, 'Lever answered 400')",
    )
    .bind(&write_id)
    .bind(northwind)
    .bind(&application_a)
    .bind(format!("tryout-write-{write_id}"))
    .execute(db)
    .await
    .unwrap();

    sqlx::query(
        "INSERT INTO lever_postings (organization_id, id, text, state, refreshed_at)
         VALUES ($1, $2, 'Matrix posting', 'published', 0)",
    )
    .bind(northwind)
    .bind(MATRIX_POSTING)
    .execute(db)
    .await
    .unwrap();

    let email_id = new_id();
    sqlx::query(
        "INSERT INTO emails (id, organization_id, kind, to_address, subject, body_text, status, transport,
                             attempts, next_attempt_at, created_at, sent_at)
         VALUES ($1, $2, 'invitation', 'candidate@matrix.example', 'Your assessment', 'Hello', 'sent', 'mailbox', 1, 0, 0, 0)",
    )
    .bind(&email_id)
    .bind(northwind)
    .execute(db)
    .await
    .unwrap();

    let mut uploads = Vec::new();
    for job in [&job_a, &job_b] {
        uploads.push(stored_upload(app, northwind, Some(job), &super_admin).await);
    }
    let logo = stored_upload(app, northwind, None, &super_admin).await;
    let video_step = new_id();
    sqlx::query(
        "INSERT INTO steps (id, organization_id, role_id, version_id, position, kind, title, required, settings_json)
         SELECT $1, organization_id, role_id, id, 1000, 'video', 'Meet the team', 0, $2
         FROM portal_versions WHERE role_id = $3 AND status = 'published'",
    )
    .bind(&video_step)
    .bind(json!({"upload_id": uploads[0]}).to_string())
    .bind(&job_a)
    .execute(db)
    .await
    .unwrap();

    Fixture {
        upload_a: uploads[0].clone(),
        upload_b: uploads[1].clone(),
        video_step,
        logo,
        organization_id: northwind.clone(),
        sessions,
        job_a,
        job_b,
        application_a,
        application_b,
        candidate_token,
        content_step,
        quiz_step,
        text_question,
        write_id,
        email_id,
        target_staff,
    }
}

/// Stores a small culture video for `job`, or a logo when `job` is `None`, in the media store
/// with its row; returns its id.
async fn stored_upload(
    app: &TestApp,
    organization_id: &str,
    job: Option<&String>,
    staff: &str,
) -> String {
    let id = new_id();
    let (kind, media_kind, content_type, bytes) = match job {
        Some(_) => (
            "culture_video",
            MediaKind::CultureVideo,
            "video/webm",
            sample_video(4096),
        ),
        None => ("logo", MediaKind::Logo, "image/png", sample_png(4096)),
    };

    let key = MediaKey::new(organization_id, media_kind, &id).unwrap();
    let body = futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from(bytes))]);
    app.state
        .media
        .put_stream(&key, Some(content_type), 1 << 20, body)
        .await
        .unwrap();

    sqlx::query(
        "INSERT INTO media_uploads (id, organization_id, role_id, kind, file_name, content_type, size_bytes,
                                    sha256, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, 'sample', $5, 4096, '', $6, 0)",
    )
    .bind(&id)
    .bind(organization_id)
    .bind(job)
    .bind(kind)
    .bind(content_type)
    .bind(staff)
    .execute(&app.state.db)
    .await
    .unwrap();
    id
}

/// How a sample request carries its arguments.
#[derive(PartialEq)]
enum Body {
    None,
    Form(Vec<(&'static str, String)>),
    Json(Value),
    /// A file sent as the raw body, with its content type.
    File(&'static str, Vec<u8>),
}

/// A request for one endpoint. `job` picks the job (or its application) the request names.
struct Sample {
    method: Method,
    path: String,
    body: Body,
    /// Whether a 404 can be the correct response to an allowed caller, because the sample names a
    /// made-up token (the pages and functions that take a one-time link).
    may_not_find: bool,
}

fn form(path: &str, fields: Vec<(&'static str, String)>) -> Sample {
    Sample {
        method: Method::POST,
        path: path.to_owned(),
        body: Body::Form(fields),
        may_not_find: false,
    }
}

fn page(path: String) -> Sample {
    Sample {
        method: Method::GET,
        path,
        body: Body::None,
        may_not_find: false,
    }
}

/// Builds the sample request for `endpoint`. Returns `None` when this test has none yet,
/// which fails it.
fn sample(endpoint: &str, fixture: &Fixture, job: Job, counter: usize) -> Option<Sample> {
    let role_id = || ("role_id", fixture.job(job).to_owned());
    let application_id = || ("application_id", fixture.application(job).to_owned());
    let target = || ("staff_user_id", fixture.target_staff.clone());
    let password = "a-new-long-password".to_string();
    let link_json = |extra: Value| {
        let mut body = json!({"token": fixture.candidate_token, "step_id": fixture.content_step});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        Sample {
            method: Method::POST,
            path: endpoint.to_owned(),
            body: Body::Json(body),
            may_not_find: false,
        }
    };
    // The editor's calls name job A's published steps; the server maps them to the draft copy.
    let editor_json = |extra: Value| {
        let mut body = json!({"role_id": fixture.job(job)});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        Sample {
            method: Method::POST,
            path: endpoint.to_owned(),
            body: Body::Json(body),
            may_not_find: false,
        }
    };
    let made_up_token = |mut sample: Sample| {
        sample.may_not_find = true;
        sample
    };

    let sample = match endpoint {
        "/api/sign_in" => form(
            endpoint,
            vec![
                ("email", "nobody@matrix.example".into()),
                ("password", "wrong".into()),
            ],
        ),
        "/api/sign_out"
        | "/api/current_staff"
        | "/api/list_jobs"
        | "/api/load_lever_status"
        | "/api/load_lever_banner"
        | "/api/load_integration"
        | "/api/list_lever_writes"
        | "/api/disconnect_lever"
        | "/api/list_mailbox"
        | "/api/list_staff"
        | "/api/list_audit_events"
        | "/api/load_branding"
        | "/api/remove_logo" => form(endpoint, vec![]),
        "/api/save_branding" => form(
            endpoint,
            vec![
                ("accent_color", "#0b3d2e".into()),
                ("welcome_md", "Welcome.".into()),
            ],
        ),
        // An empty name and a wrong current password are turned down by the calls' own
        // checks, so the callers' accounts stay as the fixture made them.
        "/api/rename_self" => form(endpoint, vec![("name", " ".into())]),
        "/api/change_own_password" => form(
            endpoint,
            vec![
                ("current_password", "not-the-password".into()),
                ("password", password.clone()),
                ("password_confirm", password.clone()),
            ],
        ),
        "/api/load_review" => form(endpoint, vec![application_id()]),
        // A recommendation of 0 is off the scale: the call's own check turns it down after
        // the permission check, so no review is stored.
        "/api/submit_review" => Sample {
            method: Method::POST,
            path: endpoint.to_owned(),
            body: Body::Json(json!({"review": {
                "application_id": fixture.application(job),
                "recommendation": 0,
                "scores": [],
                "comment": "",
            }})),
            may_not_find: false,
        },
        "/api/load_rubric" => form(endpoint, vec![role_id()]),
        "/api/save_rubric" => Sample {
            method: Method::POST,
            path: endpoint.to_owned(),
            body: Body::Json(
                json!({"role_id": fixture.job(job), "criteria": [{"name": "Matrix criterion", "guidance": ""}]}),
            ),
            may_not_find: false,
        },
        "/api/accept_invitation" => made_up_token(form(
            endpoint,
            vec![
                ("token", "made-up".into()),
                ("password", password.clone()),
                ("password_confirm", password),
            ],
        )),
        "/api/create_job" => form(endpoint, vec![("title", format!("Matrix job {counter}"))]),
        "/api/list_importable_postings" => form(endpoint, vec![]),
        // The first allowed import creates the job; later ones are turned down with 409.
        "/api/import_lever_posting" => form(endpoint, vec![("posting_id", MATRIX_POSTING.into())]),
        "/api/request_sign_in_link" | "/api/request_password_reset" => form(
            endpoint,
            vec![("email", format!("nobody{counter}@matrix.example"))],
        ),
        "/api/check_staff_link" => form(
            endpoint,
            vec![
                ("token", "made-up".into()),
                ("purpose", "invitation".into()),
            ],
        ),
        "/api/use_sign_in_link" => made_up_token(form(endpoint, vec![("token", "made-up".into())])),
        "/api/reset_password" => made_up_token(form(
            endpoint,
            vec![
                ("token", "made-up".into()),
                ("password", password.clone()),
                ("password_confirm", password),
            ],
        )),
        "/api/list_candidates"
        | "/api/load_portal_editor"
        | "/api/load_portal_preview"
        | "/api/load_job_settings"
        | "/api/publish_job"
        | "/api/unpublish_job" => form(endpoint, vec![role_id()]),
        "/api/save_job_settings" => form(
            endpoint,
            vec![
                role_id(),
                ("title", "Backend Engineer".into()),
                ("auto_decide", "true".into()),
            ],
        ),
        "/api/set_job_member" => form(
            endpoint,
            vec![role_id(), target(), ("membership", "reviewer".into())],
        ),
        "/api/resend_candidate_link" | "/api/expire_candidate_link" => {
            form(endpoint, vec![application_id()])
        }
        "/api/move_candidate" => form(
            endpoint,
            vec![application_id(), ("stage_id", "no-such-stage".into())],
        ),
        "/api/archive_candidate" => form(
            endpoint,
            vec![
                application_id(),
                ("archive_reason_id", "no-such-reason".into()),
            ],
        ),
        "/api/add_portal_step" => editor_json(json!({"kind": "quiz"})),
        "/api/save_portal_step" => editor_json(json!({"step": {
            "step_id": fixture.content_step, "title": "Guide, revised", "body_md": "Read this.",
            "required": true, "time_limit_secs": null, "pass_percent": null,
            "shuffle_questions": false, "shuffle_options": false, "video_url": null,
        }})),
        "/api/move_portal_step" => {
            editor_json(json!({"step_id": fixture.content_step, "direction": "down"}))
        }
        "/api/remove_portal_step" => editor_json(json!({"step_id": fixture.content_step})),
        "/api/save_quiz_question" => {
            editor_json(json!({"step_id": fixture.quiz_step, "question": {
                "question_id": null, "kind": "number", "prompt": "How many?", "options": [],
                "accepted_answers": [], "number_value": 4.0, "number_tolerance": null, "points": 1,
                "knockout": false, "time_limit_secs": null, "max_length": null,
            }}))
        }
        "/api/move_quiz_question" => {
            editor_json(json!({"question_id": fixture.text_question, "direction": "up"}))
        }
        "/api/remove_quiz_question" => editor_json(json!({"question_id": fixture.text_question})),
        "/api/retry_lever_write" | "/api/discard_lever_write" => {
            form(endpoint, vec![("write_id", fixture.write_id.clone())])
        }
        "/api/read_email" => form(endpoint, vec![("id", fixture.email_id.clone())]),
        "/api/invite_staff" => form(
            endpoint,
            vec![
                ("email", format!("invitee{counter}@matrix.example")),
                ("name", "Matrix Invitee".into()),
                ("role", "team_member".into()),
            ],
        ),
        "/api/resend_staff_invitation" | "/api/deactivate_staff" | "/api/reactivate_staff" => {
            form(endpoint, vec![target()])
        }
        "/api/change_staff_role" => form(endpoint, vec![target(), ("role", "team_member".into())]),
        "/api/load_portal" => Sample {
            method: Method::POST,
            path: endpoint.to_owned(),
            body: Body::Form(vec![("token", fixture.candidate_token.clone())]),
            may_not_find: false,
        },
        "/api/load_content_step" => Sample {
            method: Method::POST,
            path: endpoint.to_owned(),
            body: Body::Form(vec![
                ("token", fixture.candidate_token.clone()),
                ("step_id", fixture.content_step.clone()),
            ]),
            may_not_find: false,
        },
        "/api/load_quiz" => Sample {
            method: Method::POST,
            path: endpoint.to_owned(),
            body: Body::Form(vec![
                ("token", fixture.candidate_token.clone()),
                ("step_id", fixture.quiz_step.clone()),
            ]),
            may_not_find: false,
        },
        "/api/complete_content_step" => link_json(json!({})),
        "/api/start_quiz" | "/api/submit_quiz" => link_json(json!({"step_id": fixture.quiz_step})),
        "/api/open_question" => link_json(json!({
            "step_id": fixture.quiz_step,
            "question_id": fixture.text_question,
        })),
        "/api/save_answer" => link_json(json!({
            "step_id": fixture.quiz_step,
            "question_id": fixture.text_question,
            "answer": {"type": "text", "value": "An answer"},
        })),
        "GET /healthz" => page("/healthz".into()),
        "POST /media/jobs/{role_id}/culture-videos" => Sample {
            method: Method::POST,
            path: format!(
                "/media/jobs/{}/culture-videos?name=matrix.webm",
                fixture.job(job)
            ),
            body: Body::File("video/webm", sample_video(2048)),
            may_not_find: false,
        },
        "GET /media/jobs/{role_id}/culture-videos/{upload_id}" => page(format!(
            "/media/jobs/{}/culture-videos/{}",
            fixture.job(job),
            fixture.upload(job)
        )),
        "POST /media/branding/logo" => Sample {
            method: Method::POST,
            path: "/media/branding/logo?name=logo.png".into(),
            body: Body::File("image/png", sample_png(2048)),
            may_not_find: false,
        },
        "GET /media/logos/{upload_id}" => page(format!("/media/logos/{}", fixture.logo)),
        "GET /media/portal/{token}/steps/{step_id}/video" => page(format!(
            "/media/portal/{}/steps/{}/video",
            fixture.candidate_token, fixture.video_step
        )),
        "POST /integrations/lever/authorize" => form("/integrations/lever/authorize", vec![]),
        "GET /integrations/lever/callback" => {
            page("/integrations/lever/callback?code=made-up&state=made-up".into())
        }
        "POST /webhooks/lever/{organization_id}" => Sample {
            method: Method::POST,
            path: format!("/webhooks/lever/{}", fixture.organization_id),
            body: Body::Json(
                json!({"event": "candidateStageChange", "triggeredAt": 0, "token": "unsigned", "signature": "unsigned", "data": {}}),
            ),
            may_not_find: false,
        },
        "/" | "/sign-in" | "/sign-in/link" | "/forgot-password" | "/jobs" | "/integration"
        | "/mailbox" | "/staff" | "/audit" | "/branding" | "/account" => page(endpoint.to_owned()),
        "/sign-in/link/{token}" | "/reset-password/{token}" | "/welcome/{token}" => {
            made_up_token(page(endpoint.replace("{token}", "made-up")))
        }
        "/jobs/{role_id}/candidates/{application_id}" => page(format!(
            "/jobs/{}/candidates/{}",
            fixture.job(job),
            fixture.application(job)
        )),
        "/jobs/{role_id}/candidates"
        | "/jobs/{role_id}/settings"
        | "/jobs/{role_id}/portal"
        | "/jobs/{role_id}/preview" => page(endpoint.replace("{role_id}", fixture.job(job))),
        "/mailbox/{email_id}" => page(endpoint.replace("{email_id}", &fixture.email_id)),
        "/c/{token}" => page(format!("/c/{}", fixture.candidate_token)),
        "/c/{token}/content/{step_id}" => page(format!(
            "/c/{}/content/{}",
            fixture.candidate_token, fixture.content_step
        )),
        "/c/{token}/quiz/{step_id}" => page(format!(
            "/c/{}/quiz/{}",
            fixture.candidate_token, fixture.quiz_step
        )),
        _ => return None,
    };
    Some(sample)
}

/// The server's response to one sample request.
#[derive(Debug)]
struct Answer {
    /// Whether the request was a server function call, which refuses with a status and never
    /// with a redirect (its redirects, such as sign-out's, are the work it was asked to do).
    server_function: bool,
    status: StatusCode,
    location: String,
    body: String,
}

impl Answer {
    /// Refused: 401 or 403, 404 (a job or resource the caller may not know of), or a
    /// redirect to the sign-in page or to the Jobs page with Lever's "forbidden" reason.
    fn refused(&self) -> bool {
        matches!(self.status.as_u16(), 401 | 403 | 404)
            || (!self.server_function
                && self.status.is_redirection()
                && (self.location.starts_with("/sign-in")
                    || self.location.contains("lever_error=forbidden")))
    }

    /// Let through: the request reached the endpoint's own work. Arguments it then turns down
    /// (409, or 422 for a made-up stage) count, a request that could not be decoded does not.
    fn let_through(&self, may_not_find: bool) -> bool {
        if self.status == StatusCode::NOT_FOUND {
            return may_not_find;
        }
        if self.status == StatusCode::UNPROCESSABLE_ENTITY
            && self.body.contains("could not be read")
        {
            return false;
        }
        !self.refused() && self.status.as_u16() < 500
    }
}

async fn send(app: &TestApp, fixture: &Fixture, caller: Caller, sample: &Sample) -> Answer {
    let mut request = TestApp::browser()
        .request(sample.method.clone(), app.url(&sample.path))
        .header("origin", app.origin());
    if sample.method == Method::GET {
        request = request.header(ACCEPT, "text/html");
    }
    if let Some((_, staff_user_id, organization_id, token)) = fixture.session(caller) {
        // Signing out ends the session it names, so it gets one of its own.
        let token = if sample.path == "/api/sign_out" {
            create_session(&app.state.db, staff_user_id, organization_id)
                .await
                .unwrap()
        } else {
            token.clone()
        };
        request = request.header(COOKIE, format!("{SESSION_COOKIE}={token}"));
    }
    request = match &sample.body {
        Body::None => request,
        Body::Form(fields) => request.form(fields),
        Body::Json(value) => request.json(value),
        Body::File(content_type, bytes) => request
            .header(CONTENT_TYPE, *content_type)
            .body(bytes.clone()),
    };

    let response = request.send().await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(LOCATION)
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = response.text().await.unwrap();
    Answer {
        server_function: sample.path.starts_with("/api/"),
        status,
        location,
        body,
    }
}

/// Puts back what an allowed call may have changed, so every cell starts from the fixture.
async fn restore(app: &TestApp, fixture: &Fixture) {
    let db = &app.state.db;
    let statements = [
        ("UPDATE roles SET status = 'published' WHERE id = $1", fixture.job_a.as_str()),
        ("UPDATE roles SET status = 'draft' WHERE id = $1", fixture.job_b.as_str()),
        ("UPDATE staff_users SET active = 1, deactivated_at = NULL, role = 'team_member' WHERE id = $1", fixture.target_staff.as_str()),
        ("UPDATE outbox SET status = 'failed' WHERE id = $1", fixture.write_id.as_str()),
        // An editor call starts a draft of job A; without one, the next call copies the
        // published version again and finds the steps the samples name.
        ("DELETE FROM portal_versions WHERE role_id = $1 AND status = 'draft'", fixture.job_a.as_str()),
    ];
    for (sql, id) in statements {
        sqlx::query(sql).bind(id).execute(db).await.unwrap();
    }
}

async fn every_endpoint_answers_as_documented(app: TestApp) {
    let rows = documented_rows();
    let documented: BTreeSet<String> = rows.iter().map(|row| row.endpoint.clone()).collect();
    let served = served_endpoints();
    let undocumented: Vec<&String> = served.difference(&documented).collect();
    let stale: Vec<&String> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty(),
        "give these a row in docs/permissions.md: {undocumented:?}"
    );
    assert!(
        stale.is_empty(),
        "docs/permissions.md names endpoints the server lacks: {stale:?}"
    );

    let fixture = fixture(&app).await;
    let northwind_markers = [
        app.northwind.organization_id.clone(),
        app.northwind.role_id.clone(),
        "northwind".to_owned(),
    ];
    let mut failures = Vec::new();
    let mut checked = 0;

    for row in &rows {
        for (caller, cell) in CALLERS.into_iter().zip(row.cells.iter().copied()) {
            checked += 1;
            let Some(on_a) = sample(&row.endpoint, &fixture, Job::A, checked) else {
                panic!(
                    "add a sample request for {} to permission_matrix.rs",
                    row.endpoint
                );
            };
            let answer = send(&app, &fixture, caller, &on_a).await;
            restore(&app, &fixture).await;

            let verdict = match (cell, caller) {
                (Cell::Yes, _) => answer.let_through(on_a.may_not_find),
                (Cell::No, Caller::Nobody) => {
                    answer.status == StatusCode::UNAUTHORIZED
                        || (answer.status.is_redirection()
                            && answer.location.starts_with("/sign-in"))
                }
                (Cell::No, Caller::OtherOrganization) => {
                    matches!(answer.status.as_u16(), 403 | 404)
                }
                (Cell::No, _) => answer.refused() && answer.status != StatusCode::UNAUTHORIZED,
                (Cell::OwnedJobs | Cell::AssignedJobs, _) => {
                    let on_b = sample(&row.endpoint, &fixture, Job::B, checked).unwrap();
                    if on_b.path == on_a.path && on_b.body == on_a.body {
                        // A list: it must hold the caller's job and leave the other out.
                        let lists_a = answer.body.contains(&fixture.job_a);
                        let lists_b = answer.body.contains(&fixture.job_b);
                        if !lists_a || lists_b {
                            failures.push(format!(
                                "{} as {caller:?} lists job A: {lists_a}, job B: {lists_b}",
                                row.endpoint
                            ));
                        }
                    } else {
                        let other = send(&app, &fixture, caller, &on_b).await;
                        restore(&app, &fixture).await;
                        let other_refused =
                            other.refused() && other.status != StatusCode::UNAUTHORIZED;
                        if !other_refused {
                            failures.push(format!(
                                "{} as {caller:?} on job B: {other:?}",
                                row.endpoint
                            ));
                        }
                    }
                    answer.let_through(on_a.may_not_find)
                }
                (Cell::OwnData, _) => {
                    let leaked = northwind_markers
                        .iter()
                        .any(|marker| answer.body.to_lowercase().contains(&marker.to_lowercase()));
                    answer.let_through(on_a.may_not_find) && !leaked
                }
                (Cell::Link, _) => {
                    // A well-formed link that was never issued must open nothing.
                    let made_up = app::ssr::crypto::random_token();
                    let mut refused_link =
                        sample(&row.endpoint, &fixture, Job::A, checked).unwrap();
                    refused_link.path = refused_link
                        .path
                        .replace(&fixture.candidate_token, &made_up);
                    if let Some(token) = value_token(&mut refused_link.body) {
                        *token = json!(made_up);
                    }
                    if let Body::Form(fields) = &mut refused_link.body {
                        for field in fields.iter_mut().filter(|(name, _)| *name == "token") {
                            field.1 = made_up.clone();
                        }
                    }
                    let other = send(&app, &fixture, caller, &refused_link).await;
                    if other.status != StatusCode::NOT_FOUND {
                        failures.push(format!(
                            "{} as {caller:?} with a made-up link: {other:?}",
                            row.endpoint
                        ));
                    }
                    answer.let_through(false)
                }
                (Cell::Signature, _) => {
                    answer.status != StatusCode::ACCEPTED && answer.status.is_client_error()
                }
            };
            if !verdict {
                let body: String = answer.body.chars().take(300).collect();
                failures.push(format!(
                    "{} as {caller:?} should be {cell:?}, got {} {} {body}",
                    row.endpoint, answer.status, answer.location
                ));
            }
        }
    }

    assert!(
        checked >= 6 * 50,
        "the matrix has {checked} cells; expected every endpoint"
    );
    assert!(
        failures.is_empty(),
        "{} cells differ from docs/permissions.md:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Returns the `token` field of a JSON body, to replace with a made-up link.
fn value_token(body: &mut Body) -> Option<&mut Value> {
    match body {
        Body::Json(value) => value.get_mut("token"),
        _ => None,
    }
}

on_both_backends!(every_endpoint_answers_as_documented);
