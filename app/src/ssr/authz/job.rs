//! Checks on one job: it must belong to the caller's organization, and the caller's role and
//! membership (owner, reviewer or neither) must allow the action.

use super::matrix::{job_refusal, JobPermission};
use super::StaffContext;
use crate::domain::staff::JobMembership;
use crate::error::AppError;
use crate::ssr::db::Db;

/// The job a caller passed a check for, with the caller's membership of it.
#[derive(Debug, Clone)]
pub struct JobAccess {
    pub role_id: String,
    pub title: String,
    pub membership: Option<JobMembership>,
}

impl StaffContext {
    /// Loads the caller's membership of job `role_id` and refuses the request unless the
    /// matrix allows `permission`. A job of another organization, or one a Limited Team Member
    /// is not assigned to, is reported as not found, so its existence is not revealed.
    pub async fn require_job(
        &self,
        db: &Db,
        role_id: &str,
        permission: JobPermission,
    ) -> Result<JobAccess, AppError> {
        let access = self.job_access(db, role_id).await?;

        if self.role.allows_on_job(permission, access.membership) {
            return Ok(access);
        }
        tracing::info!(staff_user.id = %self.staff_user_id, role.id = %role_id, ?permission, "job permission denied");
        if !self
            .role
            .allows_on_job(JobPermission::View, access.membership)
        {
            return Err(not_found());
        }
        Err(AppError::Forbidden(
            job_refusal(self.role, permission).into(),
        ))
    }

    /// Loads job `role_id` of the caller's organization with the caller's membership of it,
    /// without checking a permission: for pages that show what the caller may do.
    pub async fn job_access(&self, db: &Db, role_id: &str) -> Result<JobAccess, AppError> {
        let row: Option<(String, Option<String>)> = sqlx::query_as(
            "SELECT r.title, m.membership FROM roles r
             LEFT JOIN role_members m ON m.role_id = r.id AND m.staff_user_id = $3 AND m.organization_id = r.organization_id
             WHERE r.id = $1 AND r.organization_id = $2",
        )
        .bind(role_id)
        .bind(&self.organization_id)
        .bind(&self.staff_user_id)
        .fetch_optional(db)
        .await?;

        let (title, membership) = row.ok_or_else(not_found)?;
        Ok(JobAccess {
            role_id: role_id.to_owned(),
            title,
            membership: membership.as_deref().and_then(JobMembership::parse),
        })
    }
}

fn not_found() -> AppError {
    AppError::NotFound("No such job in your organization.".into())
}
