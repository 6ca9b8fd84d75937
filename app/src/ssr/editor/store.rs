//! Writing the steps and questions of a draft version. Every function takes the draft's id
//! and touches only rows of that version, so a published version never changes.

use sqlx::AnyConnection;

use super::validate::{ValidQuestion, ValidStep};
use crate::domain::editor::Direction;
use crate::domain::portal::StepKind;
use crate::error::AppError;
use crate::ssr::clock::new_id;

/// A step of the draft, as the question functions need it.
#[derive(Debug, sqlx::FromRow)]
pub struct DraftStep {
    pub id: String,
    pub kind: String,
    pub time_limit_secs: Option<i64>,
}

impl DraftStep {
    pub fn kind(&self) -> Result<StepKind, AppError> {
        StepKind::parse(&self.kind).ok_or_else(|| {
            AppError::internal("step kind", format!("unknown kind in step {}", self.id))
        })
    }
}

fn stale() -> AppError {
    AppError::NotFound(
        "This step or question is no longer in the portal's draft, perhaps because it was changed in another tab. \
         Reload the page to see the latest draft."
            .into(),
    )
}

/// Loads step `step_id` of the draft, or fails with "not found".
pub async fn draft_step(
    connection: &mut AnyConnection,
    organization_id: &str,
    version_id: &str,
    step_id: &str,
) -> Result<DraftStep, AppError> {
    sqlx::query_as(
        "SELECT id, kind, time_limit_secs FROM steps WHERE id = $1 AND organization_id = $2 AND version_id = $3",
    )
    .bind(step_id)
    .bind(organization_id)
    .bind(version_id)
    .fetch_optional(&mut *connection)
    .await?
    .ok_or_else(stale)
}

/// Appends a step of `kind` with a starting title, and returns its id.
pub async fn add_step(
    connection: &mut AnyConnection,
    organization_id: &str,
    role_id: &str,
    version_id: &str,
    kind: StepKind,
) -> Result<String, AppError> {
    let title = match kind {
        StepKind::Content => "Recruitment guide",
        StepKind::Video => "Culture video",
        StepKind::Quiz => "Screening quiz",
    };
    let id = new_id();
    sqlx::query(
        "INSERT INTO steps (id, organization_id, role_id, version_id, position, kind, title, required)
         VALUES ($1, $2, $3, $4,
                 (SELECT COALESCE(MAX(position), -1) + 1 FROM steps WHERE organization_id = $2 AND version_id = $4),
                 $5, $6, 1)",
    )
    .bind(&id)
    .bind(organization_id)
    .bind(role_id)
    .bind(version_id)
    .bind(kind.as_str())
    .bind(title)
    .execute(&mut *connection)
    .await?;
    Ok(id)
}

/// Stores a step's checked settings.
pub async fn update_step(
    connection: &mut AnyConnection,
    organization_id: &str,
    version_id: &str,
    step_id: &str,
    step: &ValidStep,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE steps SET title = $1, body_md = $2, required = $3, time_limit_secs = $4, pass_percent = $5,
                          shuffle_questions = $6, shuffle_options = $7, settings_json = $8
         WHERE id = $9 AND organization_id = $10 AND version_id = $11",
    )
    .bind(&step.title)
    .bind(&step.body_md)
    .bind(i64::from(step.required))
    .bind(step.time_limit_secs)
    .bind(step.pass_percent)
    .bind(i64::from(step.shuffle_questions))
    .bind(i64::from(step.shuffle_options))
    .bind(&step.settings_json)
    .bind(step_id)
    .bind(organization_id)
    .bind(version_id)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Deletes a step of the draft with its questions.
pub async fn remove_step(
    connection: &mut AnyConnection,
    organization_id: &str,
    version_id: &str,
    step_id: &str,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM quiz_questions WHERE step_id = $1 AND organization_id = $2")
        .bind(step_id)
        .bind(organization_id)
        .execute(&mut *connection)
        .await?;
    let removed =
        sqlx::query("DELETE FROM steps WHERE id = $1 AND organization_id = $2 AND version_id = $3")
            .bind(step_id)
            .bind(organization_id)
            .bind(version_id)
            .execute(&mut *connection)
            .await?;
    if removed.rows_affected() == 0 {
        return Err(stale());
    }
    Ok(())
}

/// Swaps a row with its neighbour in `direction`; at either end of the list nothing moves.
/// `table` and `parent_column` name the list (steps by version, questions by step): both come
/// from the callers below, never from a request.
async fn swap_with_neighbour(
    connection: &mut AnyConnection,
    table: &str,
    parent_column: &str,
    organization_id: &str,
    parent_id: &str,
    id: &str,
    direction: Direction,
) -> Result<(), AppError> {
    let position: i64 = sqlx::query_scalar(&format!(
        "SELECT position FROM {table} WHERE id = $1 AND organization_id = $2 AND {parent_column} = $3"
    ))
    .bind(id)
    .bind(organization_id)
    .bind(parent_id)
    .fetch_optional(&mut *connection)
    .await?
    .ok_or_else(stale)?;

    let neighbour_query = match direction {
        Direction::Up => format!(
            "SELECT id, position FROM {table} WHERE organization_id = $1 AND {parent_column} = $2 AND position < $3
             ORDER BY position DESC LIMIT 1"
        ),
        Direction::Down => format!(
            "SELECT id, position FROM {table} WHERE organization_id = $1 AND {parent_column} = $2 AND position > $3
             ORDER BY position LIMIT 1"
        ),
    };
    let neighbour: Option<(String, i64)> = sqlx::query_as(&neighbour_query)
        .bind(organization_id)
        .bind(parent_id)
        .bind(position)
        .fetch_optional(&mut *connection)
        .await?;
    let Some((neighbour_id, neighbour_position)) = neighbour else {
        return Ok(());
    };

    // Positions are unique per list, so the row parks at a negative position while its
    // neighbour takes its place.
    let set_position =
        format!("UPDATE {table} SET position = $1 WHERE id = $2 AND organization_id = $3");
    for (row_id, new_position) in [
        (id, -1 - position),
        (neighbour_id.as_str(), position),
        (id, neighbour_position),
    ] {
        sqlx::query(&set_position)
            .bind(new_position)
            .bind(row_id)
            .bind(organization_id)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

pub async fn move_step(
    connection: &mut AnyConnection,
    organization_id: &str,
    version_id: &str,
    step_id: &str,
    direction: Direction,
) -> Result<(), AppError> {
    swap_with_neighbour(
        connection,
        "steps",
        "version_id",
        organization_id,
        version_id,
        step_id,
        direction,
    )
    .await
}

pub async fn move_question(
    connection: &mut AnyConnection,
    organization_id: &str,
    step_id: &str,
    question_id: &str,
    direction: Direction,
) -> Result<(), AppError> {
    swap_with_neighbour(
        connection,
        "quiz_questions",
        "step_id",
        organization_id,
        step_id,
        question_id,
        direction,
    )
    .await
}

/// Inserts a new question at the end of the quiz, or updates `question_id`. Returns its id.
pub async fn save_question(
    connection: &mut AnyConnection,
    organization_id: &str,
    step_id: &str,
    question_id: Option<&str>,
    question: &ValidQuestion,
) -> Result<String, AppError> {
    if let Some(question_id) = question_id {
        let updated = sqlx::query(
            "UPDATE quiz_questions SET kind = $1, prompt = $2, options_json = $3, correct_json = $4, points = $5,
                                       knockout = $6, max_length = $7, time_limit_secs = $8
             WHERE id = $9 AND organization_id = $10 AND step_id = $11",
        )
        .bind(question.kind.as_str())
        .bind(&question.prompt)
        .bind(&question.options_json)
        .bind(question.key.to_json())
        .bind(question.points)
        .bind(i64::from(question.knockout))
        .bind(question.max_length)
        .bind(question.time_limit_secs)
        .bind(question_id)
        .bind(organization_id)
        .bind(step_id)
        .execute(&mut *connection)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(stale());
        }
        return Ok(question_id.to_owned());
    }

    let id = new_id();
    sqlx::query(
        "INSERT INTO quiz_questions (id, organization_id, step_id, position, kind, prompt, options_json, correct_json,
                                     points, knockout, max_length, time_limit_secs)
         VALUES ($1, $2, $3,
                 (SELECT COALESCE(MAX(position), -1) + 1 FROM quiz_questions WHERE organization_id = $2 AND step_id = $3),
                 $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(organization_id)
    .bind(step_id)
    .bind(question.kind.as_str())
    .bind(&question.prompt)
    .bind(&question.options_json)
    .bind(question.key.to_json())
    .bind(question.points)
    .bind(i64::from(question.knockout))
    .bind(question.max_length)
    .bind(question.time_limit_secs)
    .execute(&mut *connection)
    .await?;
    Ok(id)
}

pub async fn remove_question(
    connection: &mut AnyConnection,
    organization_id: &str,
    step_id: &str,
    question_id: &str,
) -> Result<(), AppError> {
    let removed = sqlx::query(
        "DELETE FROM quiz_questions WHERE id = $1 AND organization_id = $2 AND step_id = $3",
    )
    .bind(question_id)
    .bind(organization_id)
    .bind(step_id)
    .execute(&mut *connection)
    .await?;
    if removed.rows_affected() == 0 {
        return Err(stale());
    }
    Ok(())
}

/// Finds the step a question of the draft belongs to.
pub async fn question_step(
    connection: &mut AnyConnection,
    organization_id: &str,
    version_id: &str,
    question_id: &str,
) -> Result<String, AppError> {
    sqlx::query_scalar(
        "SELECT q.step_id FROM quiz_questions q JOIN steps s ON s.id = q.step_id AND s.organization_id = q.organization_id
         WHERE q.id = $1 AND q.organization_id = $2 AND s.version_id = $3",
    )
    .bind(question_id)
    .bind(organization_id)
    .bind(version_id)
    .fetch_optional(&mut *connection)
    .await?
    .ok_or_else(stale)
}

/// Lists the draft's steps as (title, kind, question count), for the publish check.
pub async fn step_outline(
    connection: &mut AnyConnection,
    organization_id: &str,
    version_id: &str,
) -> Result<Vec<(String, StepKind, i64)>, AppError> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT s.id, s.title, s.kind, (SELECT COUNT(*) FROM quiz_questions q WHERE q.step_id = s.id)
         FROM steps s WHERE s.organization_id = $1 AND s.version_id = $2 ORDER BY s.position",
    )
    .bind(organization_id)
    .bind(version_id)
    .fetch_all(&mut *connection)
    .await?;
    rows.into_iter()
        .map(|(id, title, kind, questions)| {
            let kind = StepKind::parse(&kind).ok_or_else(|| {
                AppError::internal("step kind", format!("unknown kind in step {id}"))
            })?;
            Ok((title, kind, questions))
        })
        .collect()
}
