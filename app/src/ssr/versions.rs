//! Versions of a role's portal. A role has at most one draft (the version its owners edit)
//! and at most one published version (the one new candidates get). Publishing freezes the
//! draft. The first edit after that copies the published version into a new draft with new
//! ids, so the steps and questions a candidate started on never change.

use std::collections::HashMap;

use sqlx::AnyConnection;

use super::clock::{new_id, now_ms};
use crate::error::AppError;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub id: String,
    pub number: i64,
    pub status: String,
}

/// The draft an edit changes, and, when the edit just created it by copying the published
/// version, the new id of every copied step and question by its old id.
#[derive(Debug)]
pub struct Draft {
    pub version_id: String,
    pub copied_ids: HashMap<String, String>,
}

impl Draft {
    /// Returns the draft's id for `id`, which may name a published row that this edit just copied.
    pub fn current_id<'a>(&'a self, id: &'a str) -> &'a str {
        self.copied_ids.get(id).map(String::as_str).unwrap_or(id)
    }
}

/// Loads the role's version with `status` ('draft' or 'published'), if there is one.
pub async fn version_with_status(
    connection: &mut AnyConnection,
    organization_id: &str,
    role_id: &str,
    status: &str,
) -> Result<Option<VersionRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, number, status FROM portal_versions
         WHERE organization_id = $1 AND role_id = $2 AND status = $3",
    )
    .bind(organization_id)
    .bind(role_id)
    .bind(status)
    .fetch_optional(&mut *connection)
    .await?)
}

/// Loads the version the editor shows: the draft if there is one, else the published version.
pub async fn editable_version(
    connection: &mut AnyConnection,
    organization_id: &str,
    role_id: &str,
) -> Result<Option<VersionRow>, AppError> {
    if let Some(draft) = version_with_status(connection, organization_id, role_id, "draft").await? {
        return Ok(Some(draft));
    }
    version_with_status(connection, organization_id, role_id, "published").await
}

/// Returns the role's draft, creating it when there is none: as a copy of the published
/// version, or empty for a role that has no version yet. Call it inside the transaction that
/// makes the edit. Two first edits at once both try to create a draft. The one-draft index
/// rejects the second, and the caller gets a conflict to retry.
pub async fn ensure_draft(
    connection: &mut AnyConnection,
    organization_id: &str,
    role_id: &str,
) -> Result<Draft, AppError> {
    if let Some(draft) = version_with_status(connection, organization_id, role_id, "draft").await? {
        return Ok(Draft {
            version_id: draft.id,
            copied_ids: HashMap::new(),
        });
    }

    let next_number: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM portal_versions WHERE organization_id = $1 AND role_id = $2",
    )
    .bind(organization_id)
    .bind(role_id)
    .fetch_one(&mut *connection)
    .await?;
    let version_id = new_id();
    sqlx::query(
        "INSERT INTO portal_versions (id, organization_id, role_id, number, status, created_at)
         VALUES ($1, $2, $3, $4, 'draft', $5)",
    )
    .bind(&version_id)
    .bind(organization_id)
    .bind(role_id)
    .bind(next_number)
    .bind(now_ms())
    .execute(&mut *connection)
    .await
    .map_err(|error| match error {
        sqlx::Error::Database(database) if database.is_unique_violation() => AppError::Conflict(
            "Someone else started changing this portal at the same moment. Reload the page and make your change again."
                .into(),
        ),
        other => other.into(),
    })?;

    let mut copied_ids = HashMap::new();
    if let Some(published) =
        version_with_status(connection, organization_id, role_id, "published").await?
    {
        copy_version(
            connection,
            organization_id,
            &published.id,
            &version_id,
            &mut copied_ids,
        )
        .await?;
    }
    tracing::info!(role.id = %role_id, version.id = %version_id, version.number = next_number, "portal draft created");

    Ok(Draft {
        version_id,
        copied_ids,
    })
}

/// Copies every step of version `from` and its questions into version `to`, with new ids,
/// and records each new id under its old one in `copied_ids`.
async fn copy_version(
    connection: &mut AnyConnection,
    organization_id: &str,
    from: &str,
    to: &str,
    copied_ids: &mut HashMap<String, String>,
) -> Result<(), AppError> {
    let step_ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM steps WHERE organization_id = $1 AND version_id = $2 ORDER BY position",
    )
    .bind(organization_id)
    .bind(from)
    .fetch_all(&mut *connection)
    .await?;

    for step_id in step_ids {
        let new_step_id = new_id();
        sqlx::query(
            "INSERT INTO steps (id, organization_id, role_id, version_id, position, kind, title, body_md, required,
                                time_limit_secs, pass_percent, shuffle_questions, shuffle_options, settings_json)
             SELECT $1, organization_id, role_id, $2, position, kind, title, body_md, required,
                    time_limit_secs, pass_percent, shuffle_questions, shuffle_options, settings_json
             FROM steps WHERE id = $3 AND organization_id = $4",
        )
        .bind(&new_step_id)
        .bind(to)
        .bind(&step_id)
        .bind(organization_id)
        .execute(&mut *connection)
        .await?;

        let question_ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM quiz_questions WHERE organization_id = $1 AND step_id = $2 ORDER BY position",
        )
        .bind(organization_id)
        .bind(&step_id)
        .fetch_all(&mut *connection)
        .await?;
        for question_id in question_ids {
            let new_question_id = new_id();
            sqlx::query(
                "INSERT INTO quiz_questions (id, organization_id, step_id, position, kind, prompt, options_json,
                                             correct_json, points, knockout, max_length, time_limit_secs)
                 SELECT $1, organization_id, $2, position, kind, prompt, options_json,
                        correct_json, points, knockout, max_length, time_limit_secs
                 FROM quiz_questions WHERE id = $3 AND organization_id = $4",
            )
            .bind(&new_question_id)
            .bind(&new_step_id)
            .bind(&question_id)
            .bind(organization_id)
            .execute(&mut *connection)
            .await?;
            copied_ids.insert(question_id, new_question_id);
        }
        copied_ids.insert(step_id, new_step_id);
    }
    Ok(())
}

/// Freezes the role's draft as its published version; the version published before it becomes
/// superseded, and candidates pinned to it keep it. Returns the new version's number, or
/// `None` when there was no draft to publish.
pub async fn publish_draft(
    connection: &mut AnyConnection,
    organization_id: &str,
    role_id: &str,
    staff_user_id: &str,
) -> Result<Option<i64>, AppError> {
    let Some(draft) = version_with_status(connection, organization_id, role_id, "draft").await?
    else {
        return Ok(None);
    };

    sqlx::query(
        "UPDATE portal_versions SET status = 'superseded'
         WHERE organization_id = $1 AND role_id = $2 AND status = 'published'",
    )
    .bind(organization_id)
    .bind(role_id)
    .execute(&mut *connection)
    .await?;
    sqlx::query(
        "UPDATE portal_versions SET status = 'published', published_at = $1, published_by = $2
         WHERE id = $3 AND organization_id = $4 AND status = 'draft'",
    )
    .bind(now_ms())
    .bind(staff_user_id)
    .bind(&draft.id)
    .bind(organization_id)
    .execute(&mut *connection)
    .await?;

    tracing::info!(role.id = %role_id, version.id = %draft.id, version.number = draft.number, "portal version published");
    Ok(Some(draft.number))
}
