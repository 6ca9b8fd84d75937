//! Creating a job, by hand or from a Lever posting: the role row, its first (empty) portal
//! draft, and, for a Team Member, their ownership of it, in one transaction with the audit
//! entry.

use sqlx::AnyConnection;

use super::clock::{new_id, now_ms};
use crate::domain::staff::JobMembership;
use crate::error::AppError;

/// A new job's text, checked.
pub struct NewJob {
    pub title: String,
    pub team: Option<String>,
    pub location: Option<String>,
    /// The introduction candidates read, in Markdown; a posting's description when imported.
    pub intro_md: String,
    /// The Lever posting the job was imported from, which keeps its title, team and location.
    pub lever_posting_id: Option<String>,
}

/// Inserts the job in draft with an empty version 1, makes `owner` its owner when given, and
/// returns its id.
pub async fn insert_job(
    connection: &mut AnyConnection,
    organization_id: &str,
    job: &NewJob,
    owner: Option<&str>,
) -> Result<String, AppError> {
    let now = now_ms();
    let role_id = new_id();

    sqlx::query(
        "INSERT INTO roles (id, organization_id, title, team, location, intro_md, lever_posting_id, status,
                            auto_decide, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', 1, $8, $8)",
    )
    .bind(&role_id)
    .bind(organization_id)
    .bind(&job.title)
    .bind(&job.team)
    .bind(&job.location)
    .bind(&job.intro_md)
    .bind(&job.lever_posting_id)
    .bind(now)
    .execute(&mut *connection)
    .await?;

    sqlx::query(
        "INSERT INTO portal_versions (id, organization_id, role_id, number, status, created_at)
         VALUES ($1, $2, $3, 1, 'draft', $4)",
    )
    .bind(new_id())
    .bind(organization_id)
    .bind(&role_id)
    .bind(now)
    .execute(&mut *connection)
    .await?;

    if let Some(owner) = owner {
        sqlx::query(
            "INSERT INTO role_members (organization_id, role_id, staff_user_id, membership, added_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(organization_id)
        .bind(&role_id)
        .bind(owner)
        .bind(JobMembership::Owner.as_str())
        .bind(now)
        .execute(&mut *connection)
        .await?;
    }
    Ok(role_id)
}

/// Checks a new job's title, team and location. Blank optional fields become `None`.
pub fn validate_new_job(
    title: &str,
    team: Option<String>,
    location: Option<String>,
) -> Result<NewJob, AppError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(AppError::invalid("title", "Enter the job's title."));
    }
    if title.chars().count() > 200 {
        return Err(AppError::invalid(
            "title",
            "Keep the title to 200 characters or fewer.",
        ));
    }
    let optional =
        |value: Option<String>, field: &str, name: &str| -> Result<Option<String>, AppError> {
            let value = value
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty());
            if value
                .as_ref()
                .is_some_and(|value| value.chars().count() > 200)
            {
                return Err(AppError::invalid(
                    field,
                    format!("Keep the {name} to 200 characters or fewer."),
                ));
            }
            Ok(value)
        };

    Ok(NewJob {
        title: title.to_owned(),
        team: optional(team, "team", "team")?,
        location: optional(location, "location", "location")?,
        intro_md: String::new(),
        lever_posting_id: None,
    })
}
