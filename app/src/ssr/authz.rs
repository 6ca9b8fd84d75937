//! Who the caller is, and whether their role allows an action. Every staff server function
//! and route calls [`require_staff`] or [`StaffContext::require`] first; hiding a button in the
//! page is never the check.

use axum_extra::extract::CookieJar;

use super::db::{flag, Db};
use super::session::{find_session, SessionRow};
use crate::domain::staff::StaffRole;
use crate::error::AppError;

/// An action a staff member may be allowed. The matrix is [`StaffRole::allows`] and nowhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See jobs, candidates and the Lever connection status.
    ViewJobs,
    /// Change a role's portal and its Lever mapping.
    EditRoles,
    /// Connect or disconnect the Lever integration.
    ManageLeverConnection,
    /// See every write to Lever on the Integration page, and retry or discard a failed one.
    ManageIntegration,
    /// Read the emails Tryout sent or kept in its mailbox.
    ViewMailbox,
}

impl StaffRole {
    /// Returns whether this role has `permission`: the permission matrix.
    pub fn allows(self, permission: Permission) -> bool {
        match permission {
            Permission::ViewJobs => true,
            Permission::EditRoles => self >= StaffRole::TeamMember,
            Permission::ManageLeverConnection => self == StaffRole::SuperAdmin,
            Permission::ManageIntegration | Permission::ViewMailbox => self >= StaffRole::Admin,
        }
    }
}

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
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if self.role.allows(permission) {
            return Ok(());
        }
        let message = match permission {
            Permission::ManageLeverConnection => {
                "Only a Super Admin can connect or disconnect Lever."
            }
            Permission::EditRoles => "Your role can review candidates but not edit roles.",
            Permission::ManageIntegration => {
                "Only an Admin or Super Admin can see and change the writes to Lever."
            }
            Permission::ViewMailbox => "Only an Admin or Super Admin can open the mailbox.",
            Permission::ViewJobs => "Your account cannot see jobs.",
        };
        Err(AppError::Forbidden(message.into()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_super_admin_manages_lever() {
        assert!(StaffRole::SuperAdmin.allows(Permission::ManageLeverConnection));
        assert!(!StaffRole::Admin.allows(Permission::ManageLeverConnection));
        assert!(!StaffRole::TeamMember.allows(Permission::ManageLeverConnection));
        assert!(!StaffRole::LimitedTeamMember.allows(Permission::ManageLeverConnection));
    }

    #[test]
    fn limited_team_member_edits_nothing() {
        assert!(StaffRole::LimitedTeamMember.allows(Permission::ViewJobs));
        assert!(!StaffRole::LimitedTeamMember.allows(Permission::EditRoles));
        assert!(StaffRole::TeamMember.allows(Permission::EditRoles));
    }

    #[test]
    fn admins_manage_integration_and_mailbox() {
        for permission in [Permission::ManageIntegration, Permission::ViewMailbox] {
            assert!(StaffRole::SuperAdmin.allows(permission));
            assert!(StaffRole::Admin.allows(permission));
            assert!(!StaffRole::TeamMember.allows(permission));
            assert!(!StaffRole::LimitedTeamMember.allows(permission));
        }
    }
}
