//! Reading the cached Lever postings a job can be imported from, and turning one into a job.
//! The server functions in `api::postings` check the caller first; these take the checked
//! organization.

use sqlx::AnyConnection;

use super::db::Db;
use super::job_create::NewJob;
use crate::domain::postings::{ImportablePosting, PostingImport};
use crate::error::AppError;

#[derive(sqlx::FromRow)]
struct PostingRow {
    id: String,
    text: String,
    team: Option<String>,
    location: Option<String>,
    state: Option<String>,
    description: Option<String>,
}

/// Lists the cached postings of `organization_id` that no job is linked to, by title.
pub async fn importable_postings(
    db: &Db,
    organization_id: &str,
) -> Result<PostingImport, AppError> {
    let rows: Vec<PostingRow> = sqlx::query_as(
        "SELECT p.id, p.text, p.team, p.location, p.state, p.description FROM lever_postings p
         WHERE p.organization_id = $1
           AND NOT EXISTS (SELECT 1 FROM roles r WHERE r.organization_id = p.organization_id AND r.lever_posting_id = p.id)
         ORDER BY p.text, p.id",
    )
    .bind(organization_id)
    .fetch_all(db)
    .await?;
    let lists_loaded: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM lever_stages WHERE organization_id = $1")
            .bind(organization_id)
            .fetch_one(db)
            .await?;

    Ok(PostingImport {
        lists_loaded: lists_loaded > 0,
        postings: rows
            .into_iter()
            .map(|row| ImportablePosting {
                id: row.id,
                title: row.text,
                team: row.team,
                location: row.location,
                state: row.state,
            })
            .collect(),
    })
}

/// Builds the job that posting `posting_id` of `organization_id` becomes: its title, team and
/// location, its description as the introduction, and the link that keeps them in step.
/// A posting missing from the cache, or one a job already uses, is rejected.
pub async fn job_from_posting(
    connection: &mut AnyConnection,
    organization_id: &str,
    posting_id: &str,
) -> Result<NewJob, AppError> {
    let posting: Option<PostingRow> = sqlx::query_as(
        "SELECT id, text, team, location, state, description FROM lever_postings
         WHERE organization_id = $1 AND id = $2",
    )
    .bind(organization_id)
    .bind(posting_id)
    .fetch_optional(&mut *connection)
    .await?;
    let posting = posting.ok_or_else(|| {
        AppError::NotFound("Lever posting not found in Tryout's copy of Lever's lists. Reload the page to see the current postings.".into())
    })?;

    let existing: Option<String> = sqlx::query_scalar(
        "SELECT title FROM roles WHERE organization_id = $1 AND lever_posting_id = $2",
    )
    .bind(organization_id)
    .bind(posting_id)
    .fetch_optional(&mut *connection)
    .await?;
    if let Some(title) = existing {
        return Err(AppError::Conflict(format!(
            "This posting is already the job \"{title}\". Open that job from the list."
        )));
    }

    Ok(NewJob {
        title: posting.text.chars().take(200).collect(),
        team: posting.team,
        location: posting.location,
        intro_md: posting.description.unwrap_or_default(),
        lever_posting_id: Some(posting.id),
    })
}
