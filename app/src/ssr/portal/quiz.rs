//! Starting, answering and submitting a screening quiz. The time limit is counted here, on
//! the server: the browser's countdown only displays it.

use std::collections::HashMap;

use rand::seq::SliceRandom;

use super::super::clock::now_ms;
use super::super::db::{flag, Db};
use super::super::quiz::key::{AnswerKey, StoredQuestion};
use super::super::quiz::validate::validate_answer;
use super::decision::{complete_quiz, CompletedQuiz};
use super::link::{pin_version, LinkedApplication};
use super::steps::{application_step, ProgressRow, StepRow};
use crate::domain::portal::StepKind;
use crate::domain::quiz::{AnswerValue, ChoiceOption, QuestionKind, QuestionView};
use crate::error::AppError;

/// Saves that arrive this long after the deadline still count, to absorb network delay (ms).
pub const DEADLINE_GRACE_MS: i64 = 3_000;

#[derive(sqlx::FromRow)]
struct QuestionRow {
    id: String,
    kind: String,
    prompt: String,
    options_json: String,
    correct_json: String,
    points: i64,
    knockout: i64,
    max_length: Option<i64>,
    time_limit_secs: Option<i64>,
}

/// Loads the questions of a quiz step in the role owner's order.
pub async fn load_questions(
    db: &Db,
    organization_id: &str,
    step_id: &str,
) -> Result<Vec<StoredQuestion>, AppError> {
    let rows: Vec<QuestionRow> = sqlx::query_as(
        "SELECT id, kind, prompt, options_json, correct_json, points, knockout, max_length, time_limit_secs
         FROM quiz_questions WHERE organization_id = $1 AND step_id = $2 ORDER BY position",
    )
    .bind(organization_id)
    .bind(step_id)
    .fetch_all(db)
    .await?;

    rows.into_iter()
        .map(|row| {
            let kind = QuestionKind::parse(&row.kind).ok_or_else(|| {
                AppError::internal(
                    "question kind",
                    format!("unknown kind in question {}", row.id),
                )
            })?;
            let options: Vec<ChoiceOption> =
                serde_json::from_str(&row.options_json).map_err(|error| {
                    AppError::internal("question options", format!("question {}: {error}", row.id))
                })?;
            let key = AnswerKey::parse(kind, &row.correct_json, &row.id)
                .map_err(|error| AppError::internal("answer key", error))?;
            Ok(StoredQuestion {
                id: row.id,
                kind,
                prompt: row.prompt,
                options,
                key,
                points: row.points,
                knockout: flag(row.knockout),
                max_length: row.max_length,
                time_limit_secs: row.time_limit_secs,
            })
        })
        .collect()
}

/// Loads the candidate's saved answers, by question id.
pub async fn saved_answers(
    db: &Db,
    application: &LinkedApplication,
) -> Result<HashMap<String, AnswerValue>, AppError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT question_id, value_json FROM answers WHERE application_id = $1 AND organization_id = $2")
            .bind(&application.application_id)
            .bind(&application.organization_id)
            .fetch_all(db)
            .await?;

    rows.into_iter()
        .map(|(question_id, value_json)| {
            let value = serde_json::from_str(&value_json).map_err(|error| {
                AppError::internal("stored answer", format!("question {question_id}: {error}"))
            })?;
            Ok((question_id, value))
        })
        .collect()
}

/// Loads the quiz step of this application, or fails with "not found" for any other step.
pub async fn quiz_step(
    db: &Db,
    application: &LinkedApplication,
    step_id: &str,
) -> Result<StepRow, AppError> {
    let step = application_step(db, application, step_id).await?;
    if step.kind()? != StepKind::Quiz {
        return Err(AppError::NotFound("This step is not a quiz.".into()));
    }
    Ok(step)
}

pub async fn quiz_progress(
    db: &Db,
    application: &LinkedApplication,
    step_id: &str,
) -> Result<Option<ProgressRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT step_id, status, started_at, deadline_at, completed_at, timed_out, question_order_json,
                score_points, max_points, knockout_failed
         FROM step_progress WHERE application_id = $1 AND step_id = $2 AND organization_id = $3",
    )
    .bind(&application.application_id)
    .bind(step_id)
    .bind(&application.organization_id)
    .fetch_optional(db)
    .await?)
}

/// Puts a choice question's options in this application's own order. The order comes from a
/// hash of the application, question and option ids, so it is the same on every load without
/// being stored, and differs between candidates.
pub fn shuffle_options(application_id: &str, question: &mut QuestionView) {
    use sha2::{Digest, Sha256};

    let question_id = question.id.clone();
    question.options.sort_by_cached_key(|option| {
        Sha256::digest(format!("{application_id}/{question_id}/{}", option.id).as_bytes()).to_vec()
    });
}

/// Starts the clock. Starting twice is harmless because the first start's deadline is kept.
pub async fn start_quiz(
    db: &Db,
    application: &LinkedApplication,
    step: &StepRow,
) -> Result<(), AppError> {
    let questions = load_questions(db, &application.organization_id, &step.id).await?;
    let mut order: Vec<&str> = questions
        .iter()
        .map(|question| question.id.as_str())
        .collect();
    if flag(step.shuffle_questions) {
        order.shuffle(&mut rand::thread_rng());
    }

    let now = now_ms();
    let deadline = step.time_limit_secs.map(|seconds| now + seconds * 1000);
    let mut connection = db.acquire().await?;
    pin_version(&mut connection, application).await?;
    sqlx::query(
        "INSERT INTO step_progress (application_id, step_id, organization_id, status, started_at, deadline_at,
                                    question_order_json)
         VALUES ($1, $2, $3, 'started', $4, $5, $6)
         ON CONFLICT (application_id, step_id) DO NOTHING",
    )
    .bind(&application.application_id)
    .bind(&step.id)
    .bind(&application.organization_id)
    .bind(now)
    .bind(deadline)
    .bind(serde_json::to_string(&order).map_err(|error| AppError::internal("question order", error))?)
    .execute(&mut *connection)
    .await?;

    sqlx::query("UPDATE applications SET status = 'in_progress' WHERE id = $1 AND organization_id = $2 AND status = 'invited'")
        .bind(&application.application_id)
        .bind(&application.organization_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Returns whether the time limit has passed, counting the network grace.
pub fn is_past_deadline(progress: &ProgressRow, now: i64) -> bool {
    progress
        .deadline_at
        .is_some_and(|deadline| now > deadline + DEADLINE_GRACE_MS)
}

/// Validates and stores one answer, replacing the previous one.
pub async fn save_answer(
    db: &Db,
    application: &LinkedApplication,
    step: &StepRow,
    question_id: &str,
    answer: AnswerValue,
) -> Result<(), AppError> {
    let progress = quiz_progress(db, application, &step.id)
        .await?
        .ok_or_else(|| AppError::Conflict("Start the quiz before answering.".into()))?;
    if progress.status == "completed" {
        return Err(AppError::Conflict(
            "This quiz has already been submitted, so answers can no longer change.".into(),
        ));
    }
    if is_past_deadline(&progress, now_ms()) {
        return Err(AppError::Conflict(
            "Time is up for this quiz, so this answer was not saved. Answers saved before the limit still count.".into(),
        ));
    }

    let questions = load_questions(db, &application.organization_id, &step.id).await?;
    let question = questions
        .iter()
        .find(|question| question.id == question_id)
        .ok_or_else(|| AppError::NotFound("This question is not part of your quiz.".into()))?;
    let answer = validate_answer(question, answer)?;
    if question.time_limit_secs.is_some() {
        check_question_clock(db, application, question_id).await?;
    }

    sqlx::query(
        "INSERT INTO answers (application_id, question_id, organization_id, value_json, saved_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (application_id, question_id) DO UPDATE SET value_json = excluded.value_json, saved_at = excluded.saved_at",
    )
    .bind(&application.application_id)
    .bind(question_id)
    .bind(&application.organization_id)
    .bind(serde_json::to_string(&answer).map_err(|error| AppError::internal("answer encoding", error))?)
    .bind(now_ms())
    .execute(db)
    .await?;
    Ok(())
}

/// Starts the own clock of a timed question the first time the candidate opens it, and
/// returns the question with the milliseconds left (capped by the quiz's clock). Opening it
/// again keeps the first start.
pub async fn open_question(
    db: &Db,
    application: &LinkedApplication,
    step: &StepRow,
    question_id: &str,
) -> Result<(StoredQuestion, i64), AppError> {
    let progress = quiz_progress(db, application, &step.id)
        .await?
        .ok_or_else(|| AppError::Conflict("Start the quiz before opening its questions.".into()))?;
    if progress.status == "completed" {
        return Err(AppError::Conflict(
            "This quiz has already been submitted.".into(),
        ));
    }
    let now = now_ms();
    if is_past_deadline(&progress, now) {
        return Err(AppError::Conflict("Time is up for this quiz.".into()));
    }

    let question = load_questions(db, &application.organization_id, &step.id)
        .await?
        .into_iter()
        .find(|question| question.id == question_id)
        .ok_or_else(|| AppError::NotFound("This question is not part of your quiz.".into()))?;
    let Some(limit_secs) = question.time_limit_secs else {
        return Err(AppError::invalid(
            "question_id",
            "This question has no time limit of its own, so it needs no opening.",
        ));
    };

    sqlx::query(
        "INSERT INTO question_timers (application_id, question_id, organization_id, started_at, deadline_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (application_id, question_id) DO NOTHING",
    )
    .bind(&application.application_id)
    .bind(question_id)
    .bind(&application.organization_id)
    .bind(now)
    .bind(now + limit_secs * 1000)
    .execute(db)
    .await?;
    let deadline = question_deadline(db, application, question_id)
        .await?
        .ok_or_else(|| AppError::internal("question timer", "timer row missing after insert"))?;

    let quiz_deadline = progress.deadline_at.unwrap_or(i64::MAX);
    Ok((question, (deadline.min(quiz_deadline) - now).max(0)))
}

/// Returns when a timed question's own clock runs out, if the candidate has opened it.
async fn question_deadline(
    db: &Db,
    application: &LinkedApplication,
    question_id: &str,
) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT deadline_at FROM question_timers WHERE application_id = $1 AND question_id = $2 AND organization_id = $3",
    )
    .bind(&application.application_id)
    .bind(question_id)
    .bind(&application.organization_id)
    .fetch_optional(db)
    .await?)
}

/// Rejects an answer to a timed question that was never opened or whose own time is up. The
/// same network grace applies as for the quiz's clock.
async fn check_question_clock(
    db: &Db,
    application: &LinkedApplication,
    question_id: &str,
) -> Result<(), AppError> {
    match question_deadline(db, application, question_id).await? {
        None => Err(AppError::invalid(
            "question_id",
            "Open this question before answering it: its own time starts when you open it.",
        )),
        Some(deadline) if now_ms() > deadline + DEADLINE_GRACE_MS => Err(AppError::invalid(
            "question_id",
            "Time is up for this question, so this answer was not saved. An answer saved in time still counts.",
        )),
        Some(_) => Ok(()),
    }
}

/// Returns the milliseconds left on each opened timed question's clock, by question id.
pub async fn question_timers(
    db: &Db,
    application: &LinkedApplication,
    step_id: &str,
) -> Result<Vec<(String, i64)>, AppError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT t.question_id, t.deadline_at FROM question_timers t
         JOIN quiz_questions q ON q.id = t.question_id AND q.organization_id = t.organization_id
         WHERE t.application_id = $1 AND t.organization_id = $2 AND q.step_id = $3",
    )
    .bind(&application.application_id)
    .bind(&application.organization_id)
    .bind(step_id)
    .fetch_all(db)
    .await?;
    let now = now_ms();
    Ok(rows
        .into_iter()
        .map(|(question_id, deadline)| (question_id, (deadline - now).max(0)))
        .collect())
}

/// Submits the quiz with the answers saved so far. A second submit is rejected; one after
/// the time limit is accepted and marked as timed out.
pub async fn submit_quiz(
    db: &Db,
    public_url: &url::Url,
    application: &LinkedApplication,
    step: &StepRow,
) -> Result<CompletedQuiz, AppError> {
    let progress = quiz_progress(db, application, &step.id)
        .await?
        .ok_or_else(|| AppError::Conflict("Start the quiz before submitting it.".into()))?;
    if progress.status == "completed" {
        return Err(AppError::Conflict(
            "This quiz has already been submitted. Your first submission counts.".into(),
        ));
    }

    let timed_out = is_past_deadline(&progress, now_ms());
    complete_quiz(db, public_url, application, step, &progress, timed_out)
        .await?
        .ok_or_else(|| {
            AppError::Conflict(
                "This quiz has already been submitted. Your first submission counts.".into(),
            )
        })
}

/// Submits the quiz on the candidate's behalf when its time ran out unsubmitted, so the
/// answers saved in time still reach the reviewers and Lever.
pub async fn submit_if_expired(
    db: &Db,
    public_url: &url::Url,
    application: &LinkedApplication,
    step: &StepRow,
) -> Result<(), AppError> {
    let Some(progress) = quiz_progress(db, application, &step.id).await? else {
        return Ok(());
    };
    if progress.status == "started" && is_past_deadline(&progress, now_ms()) {
        complete_quiz(db, public_url, application, step, &progress, true).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn question() -> QuestionView {
        QuestionView {
            id: "q1".into(),
            kind: QuestionKind::SingleChoice,
            prompt: "Pick one".into(),
            options: ["a", "b", "c", "d", "e"]
                .into_iter()
                .map(|id| ChoiceOption {
                    id: id.into(),
                    label: id.to_uppercase(),
                })
                .collect(),
            points: 1,
            max_length: None,
            time_limit_secs: None,
        }
    }

    fn order(application_id: &str) -> Vec<String> {
        let mut question = question();
        shuffle_options(application_id, &mut question);
        question
            .options
            .into_iter()
            .map(|option| option.id)
            .collect()
    }

    #[test]
    fn option_order_is_stable_per_application() {
        assert_eq!(order("application-1"), order("application-1"));
        let mut sorted = order("application-1");
        sorted.sort();
        assert_eq!(
            sorted,
            ["a", "b", "c", "d", "e"],
            "no option is lost or repeated"
        );
    }

    #[test]
    fn option_order_differs_between_applications() {
        let orders: HashSet<Vec<String>> = (0..20)
            .map(|index| order(&format!("application-{index}")))
            .collect();
        assert!(
            orders.len() > 1,
            "20 applications all got one order: {orders:?}"
        );
    }
}
