//! Reading and storing a job's settings and its owners and reviewers. The server functions
//! in `api::job_settings` check the caller first; these take the checked organization.

use sqlx::AnyConnection;

use super::clock::now_ms;
use super::db::{flag, Db};
use crate::domain::job_settings::{JobMember, StaffChoice};
use crate::domain::staff::{JobMembership, StaffRole};
use crate::error::AppError;

/// A job's stored settings, one row of `roles`.
#[derive(Debug, sqlx::FromRow)]
pub struct SettingsRow {
    pub title: String,
    pub team: Option<String>,
    pub location: Option<String>,
    pub intro_md: String,
    pub status: String,
    pub invite_stage_id: Option<String>,
    pub pass_stage_id: Option<String>,
    pub fail_archive_reason_id: Option<String>,
    pub auto_decide: i64,
    pub deadline_days: Option<i64>,
    pub step_count: i64,
    pub lever_posting_id: Option<String>,
    pub accent_color: Option<String>,
}

/// Loads job `role_id` of `organization_id`; the caller has checked that it exists.
pub async fn load_settings(
    db: &Db,
    organization_id: &str,
    role_id: &str,
) -> Result<SettingsRow, AppError> {
    Ok(sqlx::query_as(
        "SELECT r.title, r.team, r.location, r.intro_md, r.status, r.invite_stage_id, r.pass_stage_id,
                r.fail_archive_reason_id, r.auto_decide, r.deadline_days, r.lever_posting_id, r.accent_color,
                (SELECT COUNT(*) FROM steps s WHERE s.organization_id = r.organization_id AND s.version_id =
                    (SELECT v.id FROM portal_versions v WHERE v.role_id = r.id AND v.status IN ('draft', 'published')
                     ORDER BY v.number DESC LIMIT 1)) AS step_count
         FROM roles r WHERE r.id = $1 AND r.organization_id = $2",
    )
    .bind(role_id)
    .bind(organization_id)
    .fetch_one(db)
    .await?)
}

impl SettingsRow {
    pub fn auto_decide(&self) -> bool {
        flag(self.auto_decide)
    }
}

/// Lists the owners and reviewers of job `role_id`, owners first.
pub async fn list_members(
    db: &Db,
    organization_id: &str,
    role_id: &str,
) -> Result<Vec<JobMember>, AppError> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT s.id, s.name, s.role, m.membership FROM role_members m
         JOIN staff_users s ON s.id = m.staff_user_id AND s.organization_id = m.organization_id
         WHERE m.organization_id = $1 AND m.role_id = $2
         ORDER BY m.membership DESC, s.name",
    )
    .bind(organization_id)
    .bind(role_id)
    .fetch_all(db)
    .await?;

    Ok(rows
        .into_iter()
        .filter_map(|(staff_user_id, name, role, membership)| {
            Some(JobMember {
                staff_user_id,
                name,
                role: StaffRole::parse(&role)?,
                membership: JobMembership::parse(&membership)?,
            })
        })
        .collect())
}

/// Lists the organization's active staff members by name.
pub async fn list_active_staff(
    db: &Db,
    organization_id: &str,
) -> Result<Vec<StaffChoice>, AppError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, name, role FROM staff_users WHERE organization_id = $1 AND active = 1 ORDER BY name",
    )
    .bind(organization_id)
    .fetch_all(db)
    .await?;

    Ok(rows
        .into_iter()
        .filter_map(|(staff_user_id, name, role)| {
            Some(StaffChoice {
                staff_user_id,
                name,
                role: StaffRole::parse(&role)?,
            })
        })
        .collect())
}

/// Makes `staff_user_id` an owner or reviewer of the job, or removes them with `None`.
/// Returns whether anything changed.
pub async fn store_membership(
    connection: &mut AnyConnection,
    organization_id: &str,
    role_id: &str,
    staff_user_id: &str,
    membership: Option<JobMembership>,
) -> Result<bool, AppError> {
    let result = match membership {
        Some(membership) => {
            sqlx::query(
                "INSERT INTO role_members (organization_id, role_id, staff_user_id, membership, added_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (role_id, staff_user_id) DO UPDATE SET membership = excluded.membership
                 WHERE role_members.membership <> excluded.membership",
            )
            .bind(organization_id)
            .bind(role_id)
            .bind(staff_user_id)
            .bind(membership.as_str())
            .bind(now_ms())
            .execute(&mut *connection)
            .await?
        }
        None => {
            sqlx::query(
                "DELETE FROM role_members WHERE organization_id = $1 AND role_id = $2 AND staff_user_id = $3",
            )
            .bind(organization_id)
            .bind(role_id)
            .bind(staff_user_id)
            .execute(&mut *connection)
            .await?
        }
    };
    Ok(result.rows_affected() > 0)
}

/// Returns the membership `staff_user_id` holds on the job before a change, if any.
pub async fn current_membership(
    connection: &mut AnyConnection,
    organization_id: &str,
    role_id: &str,
    staff_user_id: &str,
) -> Result<Option<JobMembership>, AppError> {
    let membership: Option<String> = sqlx::query_scalar(
        "SELECT membership FROM role_members WHERE organization_id = $1 AND role_id = $2 AND staff_user_id = $3",
    )
    .bind(organization_id)
    .bind(role_id)
    .bind(staff_user_id)
    .fetch_optional(&mut *connection)
    .await?;
    Ok(membership.as_deref().and_then(JobMembership::parse))
}
