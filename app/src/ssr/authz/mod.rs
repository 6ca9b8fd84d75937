//! Who the caller is, and whether their role allows an action. Every staff server function
//! and route calls [`require_staff`], then [`StaffContext::require`] or
//! [`StaffContext::require_job`], before it reads or writes anything. Hiding a button in the
//! page is never the check. The matrix itself is in [`matrix`].

mod job;
mod matrix;

pub use job::JobAccess;
pub use matrix::{job_refusal, refusal, JobPermission, Permission};

use axum_extra::extract::CookieJar;

use super::db::{flag, Db};
use super::session::{find_session, SessionRow};
use crate::domain::staff::StaffRole;
use crate::error::AppError;

/// The signed-in staff member of the current request.
#[derive(Debug, Clone)]
pub struct StaffContext {
    pub session_id_hash: String,
    pub staff_user_id: String,
    pub organization_id: String,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
}

impl StaffContext {
    /// Refuses the request unless the caller's role has `permission` in their organization.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if self.role.allows(permission) {
            return Ok(());
        }
        tracing::info!(staff_user.id = %self.staff_user_id, ?permission, "permission denied");
        Err(AppError::Forbidden(refusal(permission).into()))
    }
}

#[derive(sqlx::FromRow)]
struct StaffRow {
    name: String,
    email: String,
    role: String,
    active: i64,
}

/// Resolves the session cookie to an active staff member, or `None`.
pub async fn staff_from_cookies(
    db: &Db,
    jar: &CookieJar,
) -> Result<Option<StaffContext>, AppError> {
    let Some(SessionRow {
        id_hash,
        staff_user_id,
        organization_id,
        ..
    }) = find_session(db, jar).await?
    else {
        return Ok(None);
    };

    let row: Option<StaffRow> = sqlx::query_as(
        "SELECT name, email, role, active FROM staff_users WHERE id = $1 AND organization_id = $2",
    )
    .bind(&staff_user_id)
    .bind(&organization_id)
    .fetch_optional(db)
    .await?;

    let Some(row) = row.filter(|row| flag(row.active)) else {
        return Ok(None);
    };
    let role = StaffRole::parse(&row.role).ok_or_else(|| {
        AppError::internal(
            "staff role",
            format!("unknown role in staff_users row {staff_user_id}"),
        )
    })?;

    Ok(Some(StaffContext {
        session_id_hash: id_hash,
        staff_user_id,
        organization_id,
        name: row.name,
        email: row.email,
        role,
    }))
}

/// The signed-in staff member inside a server function, or `Unauthenticated`.
pub async fn require_staff() -> Result<StaffContext, AppError> {
    let state = super::state::app_state()?;
    let jar: CookieJar = leptos_axum::extract()
        .await
        .map_err(|error| AppError::internal("reading cookies", error))?;

    staff_from_cookies(&state.db, &jar)
        .await?
        .ok_or(AppError::Unauthenticated)
}
