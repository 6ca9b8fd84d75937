//! The candidate portal's server functions. The personal link's token is the only
//! credential: every call resolves it first and touches nothing outside its application.

use leptos::prelude::*;

use crate::domain::portal::{ContentStep, PortalOverview};
use crate::domain::quiz::{AnswerValue, OpenedQuestion, QuizSession};
use crate::error::AppError;
#[allow(
    unused_imports,
    reason = "named by `input = Json` in the server macros"
)]
use leptos::server_fn::codec::Json;

/// Loads the candidate's overview: the role, the steps and the state of each.
#[server(prefix = "/api", endpoint = "load_portal")]
pub async fn load_portal(token: String) -> Result<PortalOverview, AppError> {
    use crate::domain::portal::{StepKind, StepState};
    use crate::ssr::markdown::render_markdown;
    use crate::ssr::portal::{link, quiz, steps};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let state = app_state()?;
            let application = link::resolve_link(&state.db, &token).await?;
            link::mark_opened(&state.db, &application).await?;

            let role: (String, Option<String>, Option<String>, String, String) = sqlx::query_as(
                "SELECT r.title, r.team, r.location, r.intro_md, o.name FROM roles r
                 JOIN organizations o ON o.id = r.organization_id WHERE r.id = $1 AND r.organization_id = $2",
            )
            .bind(&application.role_id)
            .bind(&application.organization_id)
            .fetch_one(&state.db)
            .await?;

            let role_steps = steps::application_steps(&state.db, &application).await?;
            for step in role_steps.iter().filter(|step| step.kind == StepKind::Quiz.as_str()) {
                quiz::submit_if_expired(&state.db, &state.public_url, &application, step).await?;
            }
            let progress = steps::progress_of(&state.db, &application).await?;
            let counts = steps::question_counts(&state.db, &application).await?;
            let summaries = role_steps
                .iter()
                .map(|step| steps::summarize(step, progress.get(&step.id), counts.get(&step.id).copied()))
                .collect::<Result<Vec<_>, _>>()?;
            let completed = summaries.iter().filter(|step| step.required).all(|step| step.state == StepState::Done);

            Ok(PortalOverview {
                organization_name: role.4,
                role_title: role.0,
                role_team: role.1,
                role_location: role.2,
                candidate_first_name: application.candidate_name.split_whitespace().next().unwrap_or("").to_owned(),
                intro_html: render_markdown(&role.3),
                steps: summaries,
                deadline_ms: application.deadline_at,
                deadline_text: application.deadline_at.and_then(crate::ssr::portal::format_deadline),
                completed,
                branding: crate::ssr::branding::portal_branding(
                    &state.db,
                    &application.organization_id,
                    &application.role_id,
                )
                .await?,
            })
        }
        .await,
    )
}

/// Loads a content step (culture video, recruitment guide) to read.
#[server(prefix = "/api", endpoint = "load_content_step")]
pub async fn load_content_step(token: String, step_id: String) -> Result<ContentStep, AppError> {
    use crate::ssr::markdown::render_markdown;
    use crate::ssr::portal::{link, steps};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let state = app_state()?;
            let application = link::resolve_link(&state.db, &token).await?;
            let step = steps::content_step(&state.db, &application, &step_id).await?;
            let progress = steps::progress_of(&state.db, &application).await?;

            Ok(ContentStep {
                done: progress
                    .get(&step.id)
                    .is_some_and(|row| row.status == "completed"),
                video_embed_url: step.video_embed_url(),
                video_file_url: step
                    .video_upload_id()
                    .map(|_| format!("/media/portal/{token}/steps/{}/video", step.id)),
                step_id: step.id,
                title: step.title,
                body_html: render_markdown(&step.body_md),
                accent_color: crate::ssr::branding::portal_accent(
                    &state.db,
                    &application.organization_id,
                    &application.role_id,
                )
                .await?,
            })
        }
        .await,
    )
}

/// Marks a content step as read.
#[server(prefix = "/api", endpoint = "complete_content_step", input = Json)]
pub async fn complete_content_step(token: String, step_id: String) -> Result<(), AppError> {
    use crate::ssr::portal::{decision, link, steps};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let state = app_state()?;
            let application = link::resolve_link(&state.db, &token).await?;
            let step = steps::content_step(&state.db, &application, &step_id).await?;
            if decision::complete_content_step(&state.db, &application, &step).await? > 0 {
                state.outbox_wakeup.notify_one();
            }
            Ok(())
        }
        .await,
    )
}

/// Loads the quiz page's data: questions in this candidate's order, saved answers, time left.
#[server(prefix = "/api", endpoint = "load_quiz")]
pub async fn load_quiz(token: String, step_id: String) -> Result<QuizSession, AppError> {
    use crate::ssr::portal::{link, quiz};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let state = app_state()?;
            let application = link::resolve_link(&state.db, &token).await?;
            let step = quiz::quiz_step(&state.db, &application, &step_id).await?;
            quiz::submit_if_expired(&state.db, &state.public_url, &application, &step).await?;
            build_quiz_session(&state, &application, &step).await
        }
        .await,
    )
}

/// Starts the quiz's clock and returns the session to render.
#[server(prefix = "/api", endpoint = "start_quiz", input = Json)]
pub async fn start_quiz(token: String, step_id: String) -> Result<QuizSession, AppError> {
    use crate::ssr::portal::{link, quiz};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let state = app_state()?;
            let application = link::resolve_link(&state.db, &token).await?;
            let step = quiz::quiz_step(&state.db, &application, &step_id).await?;
            quiz::start_quiz(&state.db, &application, &step).await?;
            build_quiz_session(&state, &application, &step).await
        }
        .await,
    )
}

/// Autosaves one answer. Returns the milliseconds left on the clock, so the page's
/// countdown stays in step with the server.
#[server(prefix = "/api", endpoint = "save_answer", input = Json)]
pub async fn save_answer(
    token: String,
    step_id: String,
    question_id: String,
    answer: AnswerValue,
) -> Result<Option<i64>, AppError> {
    use crate::ssr::clock::now_ms;
    use crate::ssr::portal::{link, quiz};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let state = app_state()?;
            let application = link::resolve_link(&state.db, &token).await?;
            let step = quiz::quiz_step(&state.db, &application, &step_id).await?;
            quiz::save_answer(&state.db, &application, &step, &question_id, answer).await?;

            let progress = quiz::quiz_progress(&state.db, &application, &step.id).await?;
            Ok(progress
                .and_then(|row| row.deadline_at)
                .map(|deadline| (deadline - now_ms()).max(0)))
        }
        .await,
    )
}

/// Opens a question that has its own time limit: starts its clock on the server (the first
/// time only) and returns its prompt and options with the milliseconds left.
#[server(prefix = "/api", endpoint = "open_question", input = Json)]
pub async fn open_question(
    token: String,
    step_id: String,
    question_id: String,
) -> Result<OpenedQuestion, AppError> {
    use crate::ssr::db::flag;
    use crate::ssr::portal::{link, quiz};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let state = app_state()?;
            let application = link::resolve_link(&state.db, &token).await?;
            let step = quiz::quiz_step(&state.db, &application, &step_id).await?;
            let (question, remaining_ms) = quiz::open_question(&state.db, &application, &step, &question_id).await?;

            let mut view = question.view();
            if flag(step.shuffle_options) {
                quiz::shuffle_options(&application.application_id, &mut view);
            }
            tracing::info!(application.id = %application.application_id, question.id = %question_id, "timed question opened");
            Ok(OpenedQuestion { question: view, remaining_ms })
        }
        .await,
    )
}

/// Submits the quiz. The score goes to the reviewers and, through the outbox, to Lever.
#[server(prefix = "/api", endpoint = "submit_quiz", input = Json)]
pub async fn submit_quiz(token: String, step_id: String) -> Result<(), AppError> {
    use crate::ssr::portal::{link, quiz};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let state = app_state()?;
            let application = link::resolve_link(&state.db, &token).await?;
            let step = quiz::quiz_step(&state.db, &application, &step_id).await?;
            let completed =
                quiz::submit_quiz(&state.db, &state.public_url, &application, &step).await?;
            if completed.lever_writes > 0 {
                state.outbox_wakeup.notify_one();
            }
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn build_quiz_session(
    state: &crate::ssr::state::AppState,
    application: &crate::ssr::portal::link::LinkedApplication,
    step: &crate::ssr::portal::steps::StepRow,
) -> Result<QuizSession, AppError> {
    use crate::domain::quiz::AttemptStatus;
    use crate::ssr::clock::now_ms;
    use crate::ssr::db::flag;
    use crate::ssr::markdown::render_markdown;
    use crate::ssr::portal::quiz;

    let questions = quiz::load_questions(&state.db, &application.organization_id, &step.id).await?;
    let progress = quiz::quiz_progress(&state.db, application, &step.id).await?;
    let role_title: String =
        sqlx::query_scalar("SELECT title FROM roles WHERE id = $1 AND organization_id = $2")
            .bind(&application.role_id)
            .bind(&application.organization_id)
            .fetch_one(&state.db)
            .await?;

    let status = match progress.as_ref().map(|row| row.status.as_str()) {
        None => AttemptStatus::NotStarted,
        Some("completed") => AttemptStatus::Submitted,
        Some(_) => AttemptStatus::InProgress,
    };

    // Questions and answers are only sent while the quiz is running.
    let (ordered, answers, question_timers) = if status == AttemptStatus::InProgress {
        let order: Vec<String> = progress
            .as_ref()
            .and_then(|row| row.question_order_json.as_deref())
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default();
        let timers = quiz::question_timers(&state.db, application, &step.id).await?;
        // A timed question's prompt and options stay on the server until it is opened.
        let view = |question: &crate::ssr::quiz::key::StoredQuestion| {
            let opened = timers.iter().any(|(id, _)| id == &question.id);
            if question.time_limit_secs.is_some() && !opened {
                question.unopened_view()
            } else {
                question.view()
            }
        };
        let mut ordered: Vec<_> = order
            .iter()
            .filter_map(|id| questions.iter().find(|question| &question.id == id))
            .map(view)
            .collect();
        // Questions added after the candidate started come last rather than vanish.
        for question in &questions {
            if !order.contains(&question.id) {
                ordered.push(view(question));
            }
        }
        if flag(step.shuffle_options) {
            for question in &mut ordered {
                quiz::shuffle_options(&application.application_id, question);
            }
        }
        let saved = quiz::saved_answers(&state.db, application).await?;
        let answers = ordered
            .iter()
            .filter_map(|question| {
                saved
                    .get(&question.id)
                    .map(|value| (question.id.clone(), value.clone()))
            })
            .collect();
        (ordered, answers, timers)
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };

    Ok(QuizSession {
        step_id: step.id.clone(),
        title: step.title.clone(),
        instructions_html: render_markdown(&step.body_md),
        role_title,
        status,
        time_limit_secs: step.time_limit_secs,
        remaining_ms: match (&status, progress.as_ref().and_then(|row| row.deadline_at)) {
            (AttemptStatus::InProgress, Some(deadline)) => Some((deadline - now_ms()).max(0)),
            _ => None,
        },
        question_count: questions.len(),
        questions: ordered,
        answers,
        timed_out: progress.as_ref().is_some_and(|row| flag(row.timed_out)),
        question_timers,
        accent_color: crate::ssr::branding::portal_accent(
            &state.db,
            &application.organization_id,
            &application.role_id,
        )
        .await?,
    })
}
