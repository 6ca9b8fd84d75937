//! Reading one version of a role's portal as the editor shows it, answer keys included.

use sqlx::AnyConnection;

use crate::domain::editor::{EditorQuestion, EditorStep, OptionInput};
use crate::domain::portal::StepKind;
use crate::domain::quiz::{ChoiceOption, QuestionKind};
use crate::domain::upload::UploadedFile;
use crate::error::AppError;
use crate::ssr::db::flag;
use crate::ssr::quiz::key::AnswerKey;

#[derive(sqlx::FromRow)]
struct StepRow {
    id: String,
    kind: String,
    title: String,
    body_md: String,
    required: i64,
    time_limit_secs: Option<i64>,
    pass_percent: Option<i64>,
    shuffle_questions: i64,
    shuffle_options: i64,
    settings_json: String,
}

#[derive(sqlx::FromRow)]
struct QuestionRow {
    id: String,
    step_id: String,
    kind: String,
    prompt: String,
    options_json: String,
    correct_json: String,
    points: i64,
    knockout: i64,
    max_length: Option<i64>,
    time_limit_secs: Option<i64>,
}

/// Loads every step of version `version_id` in order, each with its questions.
pub async fn version_steps(
    connection: &mut AnyConnection,
    organization_id: &str,
    version_id: &str,
) -> Result<Vec<EditorStep>, AppError> {
    let steps: Vec<StepRow> = sqlx::query_as(
        "SELECT id, kind, title, body_md, required, time_limit_secs, pass_percent, shuffle_questions,
                shuffle_options, settings_json
         FROM steps WHERE organization_id = $1 AND version_id = $2 ORDER BY position",
    )
    .bind(organization_id)
    .bind(version_id)
    .fetch_all(&mut *connection)
    .await?;
    let questions: Vec<QuestionRow> = sqlx::query_as(
        "SELECT q.id, q.step_id, q.kind, q.prompt, q.options_json, q.correct_json, q.points, q.knockout,
                q.max_length, q.time_limit_secs
         FROM quiz_questions q JOIN steps s ON s.id = q.step_id AND s.organization_id = q.organization_id
         WHERE q.organization_id = $1 AND s.version_id = $2 ORDER BY q.position",
    )
    .bind(organization_id)
    .bind(version_id)
    .fetch_all(&mut *connection)
    .await?;

    let uploads = job_uploads(&mut *connection, organization_id, version_id).await?;

    let mut questions: Vec<(String, EditorQuestion)> = questions
        .into_iter()
        .map(|row| Ok((row.step_id.clone(), editor_question(row)?)))
        .collect::<Result<_, AppError>>()?;

    steps
        .into_iter()
        .map(|row| {
            let kind = StepKind::parse(&row.kind).ok_or_else(|| {
                AppError::internal("step kind", format!("unknown kind in step {}", row.id))
            })?;
            let settings: serde_json::Value =
                serde_json::from_str(&row.settings_json).unwrap_or_default();
            let (own, rest): (Vec<_>, Vec<_>) = questions
                .drain(..)
                .partition(|(step_id, _)| *step_id == row.id);
            questions = rest;

            Ok(EditorStep {
                kind,
                title: row.title,
                body_md: row.body_md,
                required: flag(row.required),
                time_limit_secs: row.time_limit_secs,
                pass_percent: row.pass_percent,
                shuffle_questions: flag(row.shuffle_questions),
                shuffle_options: flag(row.shuffle_options),
                video_url: settings["embed_url"].as_str().map(str::to_owned),
                video_file: settings["upload_id"]
                    .as_str()
                    .and_then(|id| uploads.iter().find(|upload| upload.id == id))
                    .cloned(),
                questions: own.into_iter().map(|(_, question)| question).collect(),
                id: row.id,
            })
        })
        .collect()
}

/// Loads the culture videos uploaded to the job of version `version_id`.
async fn job_uploads(
    connection: &mut AnyConnection,
    organization_id: &str,
    version_id: &str,
) -> Result<Vec<UploadedFile>, AppError> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT u.id, u.file_name, u.content_type, u.size_bytes
         FROM media_uploads u JOIN portal_versions v ON v.role_id = u.role_id AND v.organization_id = u.organization_id
         WHERE u.organization_id = $1 AND v.id = $2 AND u.kind = 'culture_video'",
    )
    .bind(organization_id)
    .bind(version_id)
    .fetch_all(connection)
    .await?;

    Ok(rows
        .into_iter()
        .map(|(id, file_name, content_type, size_bytes)| UploadedFile {
            id,
            file_name,
            content_type,
            size_bytes,
        })
        .collect())
}

/// Rebuilds the editor's form of a stored question from its row and answer key.
fn editor_question(row: QuestionRow) -> Result<EditorQuestion, AppError> {
    let kind = QuestionKind::parse(&row.kind).ok_or_else(|| {
        AppError::internal(
            "question kind",
            format!("unknown kind in question {}", row.id),
        )
    })?;
    let options: Vec<ChoiceOption> = serde_json::from_str(&row.options_json).map_err(|error| {
        AppError::internal("question options", format!("question {}: {error}", row.id))
    })?;
    let key = AnswerKey::parse(kind, &row.correct_json, &row.id)
        .map_err(|error| AppError::internal("answer key", error))?;

    let is_correct = |id: &str| match &key {
        AnswerKey::Single(correct) => correct == id,
        AnswerKey::Multiple(correct) => correct.iter().any(|correct| correct == id),
        _ => false,
    };
    let options = options
        .into_iter()
        .map(|option| OptionInput {
            correct: is_correct(&option.id),
            id: Some(option.id),
            label: option.label,
        })
        .collect();
    let (accepted_answers, number_value, number_tolerance) = match &key {
        AnswerKey::Text(Some(accepted)) => (accepted.clone(), None, None),
        AnswerKey::Number { value, tolerance } => (Vec::new(), Some(*value), Some(*tolerance)),
        _ => (Vec::new(), None, None),
    };

    Ok(EditorQuestion {
        id: row.id,
        kind,
        prompt: row.prompt,
        options,
        accepted_answers,
        number_value,
        number_tolerance,
        points: row.points,
        knockout: flag(row.knockout),
        time_limit_secs: row.time_limit_secs,
        max_length: row.max_length,
    })
}
