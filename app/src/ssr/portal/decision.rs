//! Completion of a step: the quiz is scored, the application's outcome is decided, and the
//! Lever writes that report it are queued, all in one transaction.

use sqlx::{Any, Transaction};

use super::super::clock::now_ms;
use super::super::db::{flag, Db};
use super::super::outbox::{enqueue, LeverWrite};
use super::super::quiz::note::{render_quiz_note, NoteContext};
use super::super::quiz::scoring::{score_quiz, QuizResult};
use super::link::{pin_version, LinkedApplication};
use super::quiz::{load_questions, saved_answers};
use super::steps::{ProgressRow, StepRow};
use crate::error::AppError;

/// Pass mark of a quiz step that sets none, in percent of automatic points.
pub const DEFAULT_PASS_PERCENT: i64 = 60;

/// A quiz that was just submitted.
#[derive(Debug, Clone)]
pub struct CompletedQuiz {
    pub result: QuizResult,
    pub passed: bool,
    /// How many writes to Lever were queued.
    pub lever_writes: usize,
}

#[derive(Debug, sqlx::FromRow)]
struct RoleMapping {
    title: String,
    pass_stage_id: Option<String>,
    fail_archive_reason_id: Option<String>,
    auto_decide: i64,
}

/// The application's outcome once its steps allow one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Undecided,
    Passed,
    Failed,
}

/// Scores the quiz, marks the step completed and queues the note and any decision.
/// Returns `None` when another request completed the same step first.
pub async fn complete_quiz(
    db: &Db,
    public_url: &url::Url,
    application: &LinkedApplication,
    step: &StepRow,
    progress: &ProgressRow,
    timed_out: bool,
) -> Result<Option<CompletedQuiz>, AppError> {
    let questions = load_questions(db, &application.organization_id, &step.id).await?;
    let answers = saved_answers(db, application).await?;
    let result = score_quiz(&questions, |id| answers.get(id));
    let pass_percent = step.pass_percent.unwrap_or(DEFAULT_PASS_PERCENT);
    let now = now_ms();

    let mut transaction = db.begin().await?;

    // The status check in the WHERE clause makes completion happen exactly once, even when
    // two submits race.
    let updated = sqlx::query(
        "UPDATE step_progress SET status = 'completed', completed_at = $1, timed_out = $2, score_points = $3,
                max_points = $4, knockout_failed = $5
         WHERE application_id = $6 AND step_id = $7 AND organization_id = $8 AND status = 'started'",
    )
    .bind(now)
    .bind(i64::from(timed_out))
    .bind(result.awarded)
    .bind(result.available)
    .bind(i64::from(result.knockout_failed))
    .bind(&application.application_id)
    .bind(&step.id)
    .bind(&application.organization_id)
    .execute(&mut *transaction)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(None);
    }

    let role = role_mapping(&mut transaction, application).await?;
    let ended_at = progress
        .deadline_at
        .map_or(now, |deadline| now.min(deadline));
    let note = render_quiz_note(
        &NoteContext {
            role_title: &role.title,
            quiz_title: &step.title,
            pass_percent,
            time_taken_secs: (ended_at - progress.started_at) / 1000,
            time_limit_secs: step.time_limit_secs,
            timed_out,
            review_url: &review_url(public_url, application),
        },
        &questions,
        |id| answers.get(id).cloned(),
        &result,
    );

    let mut writes = vec![LeverWrite::Note {
        value: note,
        score: Some(result.lever_score(pass_percent)),
    }];
    writes.extend(decide(&mut transaction, application, &role).await?);
    let lever_writes = queue_writes(&mut transaction, application, &writes).await?;

    transaction.commit().await?;
    tracing::info!(
        application.id = %application.application_id,
        step.id = %step.id,
        quiz.awarded = result.awarded,
        quiz.available = result.available,
        quiz.timed_out = timed_out,
        lever.writes = lever_writes,
        "quiz submitted"
    );

    Ok(Some(CompletedQuiz {
        passed: result.passed(pass_percent),
        result,
        lever_writes,
    }))
}

/// Marks a content step read and decides the application if that was the last step.
/// Returns how many Lever writes were queued.
pub async fn complete_content_step(
    db: &Db,
    application: &LinkedApplication,
    step: &StepRow,
) -> Result<usize, AppError> {
    let now = now_ms();
    let mut transaction = db.begin().await?;
    pin_version(&mut transaction, application).await?;

    let inserted = sqlx::query(
        "INSERT INTO step_progress (application_id, step_id, organization_id, status, started_at, completed_at)
         VALUES ($1, $2, $3, 'completed', $4, $4)
         ON CONFLICT (application_id, step_id) DO NOTHING",
    )
    .bind(&application.application_id)
    .bind(&step.id)
    .bind(&application.organization_id)
    .bind(now)
    .execute(&mut *transaction)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(0);
    }

    let role = role_mapping(&mut transaction, application).await?;
    let writes = decide(&mut transaction, application, &role).await?;
    let queued = queue_writes(&mut transaction, application, &writes).await?;
    transaction.commit().await?;
    Ok(queued)
}

async fn role_mapping(
    transaction: &mut Transaction<'_, Any>,
    application: &LinkedApplication,
) -> Result<RoleMapping, AppError> {
    Ok(sqlx::query_as(
        "SELECT title, pass_stage_id, fail_archive_reason_id, auto_decide FROM roles WHERE id = $1 AND organization_id = $2",
    )
    .bind(&application.role_id)
    .bind(&application.organization_id)
    .fetch_one(&mut **transaction)
    .await?)
}

/// Decides the application from all its steps, updates its status once, and returns the
/// stage move or archive to send when the role decides automatically.
async fn decide(
    transaction: &mut Transaction<'_, Any>,
    application: &LinkedApplication,
    role: &RoleMapping,
) -> Result<Vec<LeverWrite>, AppError> {
    let outcome = outcome(transaction, application).await?;
    if outcome == Outcome::Undecided {
        return Ok(Vec::new());
    }

    let auto = flag(role.auto_decide);
    let status = match (outcome, auto) {
        (Outcome::Passed, true) => "advanced",
        (Outcome::Failed, true) => "archived",
        _ => "completed",
    };
    // Only an application that is not decided yet changes; a second decision is a no-op.
    let changed = sqlx::query(
        "UPDATE applications SET status = $1, completed_at = COALESCE(completed_at, $2)
         WHERE id = $3 AND organization_id = $4 AND status IN ('invited', 'in_progress')",
    )
    .bind(status)
    .bind(now_ms())
    .bind(&application.application_id)
    .bind(&application.organization_id)
    .execute(&mut **transaction)
    .await?;
    if changed.rows_affected() == 0 || !auto {
        return Ok(Vec::new());
    }

    let write = match outcome {
        Outcome::Passed => role
            .pass_stage_id
            .clone()
            .map(|stage_id| LeverWrite::Stage { stage_id }),
        Outcome::Failed => role
            .fail_archive_reason_id
            .clone()
            .map(|reason_id| LeverWrite::Archive { reason_id }),
        Outcome::Undecided => None,
    };
    if write.is_none() {
        tracing::warn!(application.id = %application.application_id, role.id = %application.role_id,
            "role decides automatically but has no Lever stage or archive reason mapped; nothing moved in Lever");
    }
    Ok(write.into_iter().collect())
}

#[derive(sqlx::FromRow)]
struct StepOutcomeRow {
    kind: String,
    required: i64,
    pass_percent: Option<i64>,
    status: Option<String>,
    score_points: Option<i64>,
    max_points: Option<i64>,
    knockout_failed: Option<i64>,
}

/// Failed as soon as one quiz fails; passed once every required step is done.
async fn outcome(
    transaction: &mut Transaction<'_, Any>,
    application: &LinkedApplication,
) -> Result<Outcome, AppError> {
    let rows: Vec<StepOutcomeRow> = sqlx::query_as(
        "SELECT s.kind, s.required, s.pass_percent, p.status, p.score_points, p.max_points, p.knockout_failed
         FROM steps s
         LEFT JOIN step_progress p ON p.step_id = s.id AND p.application_id = $1 AND p.organization_id = s.organization_id
         WHERE s.organization_id = $2 AND s.role_id = $3 AND s.version_id = $4",
    )
    .bind(&application.application_id)
    .bind(&application.organization_id)
    .bind(&application.role_id)
    .bind(application.version_id()?)
    .fetch_all(&mut **transaction)
    .await?;

    let quiz_failed = rows.iter().any(|row| {
        let completed = row.status.as_deref() == Some("completed");
        let knockout = row.knockout_failed.is_some_and(flag);
        let below_pass_mark = match (row.score_points, row.max_points) {
            (Some(awarded), Some(available)) if available > 0 => {
                awarded * 100 < row.pass_percent.unwrap_or(DEFAULT_PASS_PERCENT) * available
            }
            _ => false,
        };
        row.kind == "quiz" && completed && (knockout || below_pass_mark)
    });
    if quiz_failed {
        return Ok(Outcome::Failed);
    }

    let all_required_done = rows
        .iter()
        .filter(|row| flag(row.required))
        .all(|row| row.status.as_deref() == Some("completed"));
    Ok(if all_required_done {
        Outcome::Passed
    } else {
        Outcome::Undecided
    })
}

/// Queues writes for the application's opportunity; an application not linked to Lever
/// queues nothing.
async fn queue_writes(
    transaction: &mut Transaction<'_, Any>,
    application: &LinkedApplication,
    writes: &[LeverWrite],
) -> Result<usize, AppError> {
    let Some(opportunity_id) = &application.lever_opportunity_id else {
        return Ok(0);
    };
    enqueue(
        transaction,
        &application.organization_id,
        Some(&application.application_id),
        opportunity_id,
        writes,
    )
    .await?;
    Ok(writes.len())
}

/// Builds the URL where staff open the role's candidates in Tryout.
fn review_url(public_url: &url::Url, application: &LinkedApplication) -> String {
    public_url
        .join(&format!("jobs/{}/candidates", application.role_id))
        .map(|url| url.to_string())
        .unwrap_or_else(|_| public_url.to_string())
}
