//! Building the candidate's view of a role's portal for staff to preview. It reads the
//! version the editor shows and writes nothing.

use crate::domain::portal::{PortalOverview, PortalPreview, PreviewStep, StepKind};
use crate::error::AppError;
use crate::ssr::clock::now_ms;
use crate::ssr::db::{flag, Db};
use crate::ssr::markdown::render_markdown;
use crate::ssr::portal::quiz::load_questions;
use crate::ssr::portal::steps::{summarize, version_steps};
use crate::ssr::versions::editable_version;

/// One day in milliseconds.
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Builds the preview of job `role_id` from its draft, or from its published version when it
/// has no draft.
pub async fn build_preview(
    db: &Db,
    organization_id: &str,
    role_id: &str,
) -> Result<PortalPreview, AppError> {
    let mut connection = db.acquire().await?;
    let version = editable_version(&mut connection, organization_id, role_id)
        .await?
        .ok_or_else(|| {
            AppError::Conflict(
                "This portal has no steps yet. Add one in the editor, then preview it.".into(),
            )
        })?;
    drop(connection);

    let role: (String, Option<String>, Option<String>, String, Option<i64>, String) = sqlx::query_as(
        "SELECT r.title, r.team, r.location, r.intro_md, r.deadline_days, o.name FROM roles r
         JOIN organizations o ON o.id = r.organization_id WHERE r.id = $1 AND r.organization_id = $2",
    )
    .bind(role_id)
    .bind(organization_id)
    .fetch_one(db)
    .await?;
    let (title, team, location, intro_md, deadline_days, organization_name) = role;

    let rows = version_steps(db, organization_id, &version.id).await?;
    let mut steps = Vec::with_capacity(rows.len());
    for row in &rows {
        let kind = row.kind()?;
        let questions = if kind == StepKind::Quiz {
            load_questions(db, organization_id, &row.id)
                .await?
                .iter()
                .map(|question| question.view())
                .collect()
        } else {
            Vec::new()
        };
        let count = (kind == StepKind::Quiz).then_some(questions.len() as i64);
        steps.push(PreviewStep {
            summary: summarize(row, None, count)?,
            body_html: render_markdown(&row.body_md),
            video_embed_url: row.video_embed_url(),
            video_file_url: row
                .video_upload_id()
                .map(|upload_id| format!("/media/jobs/{role_id}/culture-videos/{upload_id}")),
            questions,
            shuffle_questions: flag(row.shuffle_questions),
            shuffle_options: flag(row.shuffle_options),
        });
    }

    // A candidate invited now would have this deadline.
    let deadline_ms = deadline_days.map(|days| now_ms() + days * DAY_MS);
    let overview = PortalOverview {
        organization_name,
        role_title: title,
        role_team: team,
        role_location: location,
        candidate_first_name: String::new(),
        intro_html: render_markdown(&intro_md),
        completed: false,
        steps: steps.iter().map(|step| step.summary.clone()).collect(),
        deadline_ms,
        deadline_text: deadline_ms.and_then(crate::ssr::portal::format_deadline),
        branding: crate::ssr::branding::portal_branding(db, organization_id, role_id).await?,
    };
    Ok(PortalPreview {
        role_id: role_id.to_owned(),
        version_number: version.number,
        is_draft: version.status == "draft",
        overview,
        steps,
    })
}
