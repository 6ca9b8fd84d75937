//! Reading a role's steps and a candidate's progress through them.

use std::collections::HashMap;

use super::super::db::{flag, Db};
use super::link::LinkedApplication;
use crate::domain::portal::{StepKind, StepState, StepSummary};
use crate::error::AppError;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StepRow {
    pub id: String,
    pub position: i64,
    pub kind: String,
    pub title: String,
    pub body_md: String,
    pub required: i64,
    pub time_limit_secs: Option<i64>,
    pub pass_percent: Option<i64>,
    pub shuffle_questions: i64,
    pub shuffle_options: i64,
    pub settings_json: String,
}

impl StepRow {
    /// Returns a culture video's embed address from the step's settings.
    pub fn video_embed_url(&self) -> Option<String> {
        let settings: serde_json::Value = serde_json::from_str(&self.settings_json).ok()?;
        settings["embed_url"].as_str().map(str::to_owned)
    }

    /// Returns the id of a culture video's uploaded file from the step's settings.
    pub fn video_upload_id(&self) -> Option<String> {
        let settings: serde_json::Value = serde_json::from_str(&self.settings_json).ok()?;
        settings["upload_id"].as_str().map(str::to_owned)
    }

    pub fn kind(&self) -> Result<StepKind, AppError> {
        StepKind::parse(&self.kind).ok_or_else(|| {
            AppError::internal("step kind", format!("unknown kind in step {}", self.id))
        })
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProgressRow {
    pub step_id: String,
    pub status: String,
    pub started_at: i64,
    pub deadline_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub timed_out: i64,
    pub question_order_json: Option<String>,
    pub score_points: Option<i64>,
    pub max_points: Option<i64>,
    pub knockout_failed: Option<i64>,
}

const STEP_COLUMNS: &str =
    "id, position, kind, title, body_md, required, time_limit_secs, pass_percent, \
                            shuffle_questions, shuffle_options, settings_json";

/// Loads the steps of version `version_id`, in order.
pub async fn version_steps(
    db: &Db,
    organization_id: &str,
    version_id: &str,
) -> Result<Vec<StepRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {STEP_COLUMNS} FROM steps WHERE organization_id = $1 AND version_id = $2 ORDER BY position"
    ))
    .bind(organization_id)
    .bind(version_id)
    .fetch_all(db)
    .await?)
}

/// Loads the steps of the portal version the application is on, in order.
pub async fn application_steps(
    db: &Db,
    application: &LinkedApplication,
) -> Result<Vec<StepRow>, AppError> {
    version_steps(db, &application.organization_id, application.version_id()?).await
}

/// Loads the step `step_id` of the portal version the application sees. Any other step is
/// "not found", so a candidate cannot reach another role's or organization's steps, or
/// another version's, by guessing ids.
pub async fn application_step(
    db: &Db,
    application: &LinkedApplication,
    step_id: &str,
) -> Result<StepRow, AppError> {
    sqlx::query_as(&format!(
        "SELECT {STEP_COLUMNS} FROM steps WHERE id = $1 AND organization_id = $2 AND role_id = $3 AND version_id = $4"
    ))
    .bind(step_id)
    .bind(&application.organization_id)
    .bind(&application.role_id)
    .bind(application.version_id()?)
    .fetch_optional(db)
    .await?
    .ok_or_else(|| {
        AppError::NotFound(
            "This step is not part of your application. If the portal was just updated, go back to your overview."
                .into(),
        )
    })
}

/// Loads the reading or video step `step_id` of this application, or fails with "not found"
/// for any other step.
pub async fn content_step(
    db: &Db,
    application: &LinkedApplication,
    step_id: &str,
) -> Result<StepRow, AppError> {
    let step = application_step(db, application, step_id).await?;
    if !matches!(step.kind()?, StepKind::Content | StepKind::Video) {
        return Err(AppError::NotFound(
            "This step is not a reading step.".into(),
        ));
    }
    Ok(step)
}

pub async fn progress_of(
    db: &Db,
    application: &LinkedApplication,
) -> Result<HashMap<String, ProgressRow>, AppError> {
    let rows: Vec<ProgressRow> = sqlx::query_as(
        "SELECT step_id, status, started_at, deadline_at, completed_at, timed_out, question_order_json,
                score_points, max_points, knockout_failed
         FROM step_progress WHERE application_id = $1 AND organization_id = $2",
    )
    .bind(&application.application_id)
    .bind(&application.organization_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.step_id.clone(), row))
        .collect())
}

/// Counts the questions of each quiz step in the version the application is on.
pub async fn question_counts(
    db: &Db,
    application: &LinkedApplication,
) -> Result<HashMap<String, i64>, AppError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT q.step_id, COUNT(*) FROM quiz_questions q JOIN steps s ON s.id = q.step_id
         WHERE q.organization_id = $1 AND s.version_id = $2 GROUP BY q.step_id",
    )
    .bind(&application.organization_id)
    .bind(application.version_id()?)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().collect())
}

pub fn step_state(progress: Option<&ProgressRow>) -> StepState {
    match progress.map(|row| row.status.as_str()) {
        None => StepState::NotStarted,
        Some("completed") => StepState::Done,
        Some(_) => StepState::InProgress,
    }
}

pub fn summarize(
    step: &StepRow,
    progress: Option<&ProgressRow>,
    question_count: Option<i64>,
) -> Result<StepSummary, AppError> {
    Ok(StepSummary {
        id: step.id.clone(),
        kind: step.kind()?,
        title: step.title.clone(),
        required: flag(step.required),
        state: step_state(progress),
        time_limit_secs: step.time_limit_secs,
        question_count,
    })
}
