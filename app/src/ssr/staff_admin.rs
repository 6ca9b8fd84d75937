//! The rules and writes behind the Staff page: who may change whose role or account, and
//! the conditional updates that keep at least one active Super Admin in every organization
//! even when two Admins act at the same moment.

use sqlx::AnyConnection;

use super::authz::{Permission, StaffContext};
use super::clock::now_ms;
use super::db::{flag, Db, Dialect};
use crate::domain::staff::StaffRole;
use crate::domain::staff_accounts::refusals;
use crate::error::AppError;

/// A colleague as the rules see them.
#[derive(Debug, Clone)]
pub struct StaffTarget {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
    pub active: bool,
    /// `false` while an invited person has not set a password.
    pub has_password: bool,
    pub last_sign_in_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct TargetRow {
    id: String,
    name: String,
    email: String,
    role: String,
    active: i64,
    has_password: i64,
    last_sign_in_at: Option<i64>,
}

impl TargetRow {
    fn into_target(self) -> Result<StaffTarget, AppError> {
        let role = StaffRole::parse(&self.role).ok_or_else(|| {
            AppError::internal(
                "staff role",
                format!("unknown role in staff_users row {}", self.id),
            )
        })?;
        Ok(StaffTarget {
            id: self.id,
            name: self.name,
            email: self.email,
            role,
            active: flag(self.active),
            has_password: flag(self.has_password),
            last_sign_in_at: self.last_sign_in_at,
        })
    }
}

const TARGET_COLUMNS: &str = "id, name, email, role, active,
    CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS has_password, last_sign_in_at";

/// Loads everyone in the organization, by name.
pub async fn list_targets(db: &Db, organization_id: &str) -> Result<Vec<StaffTarget>, AppError> {
    let rows: Vec<TargetRow> = sqlx::query_as(&format!(
        "SELECT {TARGET_COLUMNS} FROM staff_users WHERE organization_id = $1 ORDER BY name, email"
    ))
    .bind(organization_id)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(TargetRow::into_target).collect()
}

/// Loads one colleague of the caller's organization. An id of another organization is
/// `NotFound`, the same as an id that does not exist.
pub async fn load_target(
    db: &Db,
    organization_id: &str,
    id: &str,
) -> Result<StaffTarget, AppError> {
    let row: Option<TargetRow> = sqlx::query_as(&format!(
        "SELECT {TARGET_COLUMNS} FROM staff_users WHERE organization_id = $1 AND id = $2"
    ))
    .bind(organization_id)
    .bind(id)
    .fetch_optional(db)
    .await?;

    row.ok_or_else(|| AppError::NotFound("No such colleague in your organization.".into()))?
        .into_target()
}

/// Counts the organization's active Super Admins who have set a password. An invited Super
/// Admin who has not accepted yet cannot sign in, so they do not count as one who remains.
pub fn active_super_admins(targets: &[StaffTarget]) -> usize {
    targets
        .iter()
        .filter(|target| {
            target.active && target.has_password && target.role == StaffRole::SuperAdmin
        })
        .count()
}

/// Returns why `actor` cannot change `target`'s role, or `None` when they can.
/// `active_super_admins` is the organization's count, `target` included.
pub fn role_refusal(
    actor: &StaffContext,
    target: &StaffTarget,
    active_super_admins: usize,
) -> Option<&'static str> {
    if !actor.role.allows(Permission::ManageStaff) {
        return Some(super::authz::refusal(Permission::ManageStaff));
    }
    if !target.active {
        return Some(refusals::DEACTIVATED_ROLE);
    }
    if target.role == StaffRole::SuperAdmin {
        if !actor.role.allows(Permission::ManageSuperAdmins) {
            return Some(refusals::CHANGE_SUPER_ADMIN);
        }
        // Only a Super Admin who can sign in is one who must remain.
        if target.has_password && active_super_admins <= 1 {
            return Some(refusals::LAST_SUPER_ADMIN);
        }
    }
    None
}

/// Returns the roles `actor` may give anyone, with Super Admin only when they are one.
pub fn assignable_roles(actor: &StaffContext) -> Vec<StaffRole> {
    [
        StaffRole::SuperAdmin,
        StaffRole::Admin,
        StaffRole::TeamMember,
        StaffRole::LimitedTeamMember,
    ]
    .into_iter()
    .filter(|role| {
        *role != StaffRole::SuperAdmin || actor.role.allows(Permission::ManageSuperAdmins)
    })
    .collect()
}

/// Returns why `actor` cannot deactivate `target`, or `None` when they can. A target that is
/// already deactivated has no refusal: the page offers Reactivate instead.
pub fn deactivate_refusal(
    actor: &StaffContext,
    target: &StaffTarget,
    active_super_admins: usize,
) -> Option<&'static str> {
    if !actor.role.allows(Permission::ManageStaff) {
        return Some(super::authz::refusal(Permission::ManageStaff));
    }
    if !target.active {
        return None;
    }
    if target.id == actor.staff_user_id {
        return Some(refusals::DEACTIVATE_SELF);
    }
    if target.role == StaffRole::SuperAdmin {
        if !actor.role.allows(Permission::ManageSuperAdmins) {
            return Some(refusals::CHANGE_SUPER_ADMIN);
        }
        // Only a Super Admin who can sign in is one who must remain.
        if target.has_password && active_super_admins <= 1 {
            return Some(refusals::LAST_SUPER_ADMIN_ACTIVE);
        }
    }
    None
}

/// Returns why `actor` cannot reactivate `target`, or `None` when they can.
pub fn reactivate_refusal(actor: &StaffContext, target: &StaffTarget) -> Option<&'static str> {
    if !actor.role.allows(Permission::ManageStaff) {
        return Some(super::authz::refusal(Permission::ManageStaff));
    }
    if target.role == StaffRole::SuperAdmin && !actor.role.allows(Permission::ManageSuperAdmins) {
        return Some(refusals::CHANGE_SUPER_ADMIN);
    }
    None
}

/// On PostgreSQL, locks the organization's active Super Admin rows until the transaction
/// ends, so a second demotion or deactivation waits and then counts what the first left.
/// On SQLite it does nothing (see [`Dialect::row_lock`]).
pub async fn lock_super_admins(
    connection: &mut AnyConnection,
    dialect: Dialect,
    organization_id: &str,
) -> Result<(), sqlx::Error> {
    let Some(lock) = dialect.row_lock() else {
        return Ok(());
    };
    sqlx::query(&format!(
        "SELECT id FROM staff_users WHERE organization_id = $1 AND role = 'super_admin' AND active = 1{lock}"
    ))
    .bind(organization_id)
    .fetch_all(&mut *connection)
    .await?;
    Ok(())
}

/// The condition that another active Super Admin with a password remains when the row `$2`
/// of organization `$3` stops being one. Part of the same statement as the change, so the
/// count and the write cannot be split by another request.
const ANOTHER_SUPER_ADMIN_REMAINS: &str = "(SELECT COUNT(*) FROM staff_users other
      WHERE other.organization_id = $3 AND other.role = 'super_admin' AND other.active = 1
        AND other.password_hash IS NOT NULL AND other.id <> $2) > 0";

/// Changes the role from `from` to `to` unless the row changed meanwhile or it would leave
/// no active Super Admin. Returns whether the row was updated.
pub async fn update_role(
    connection: &mut AnyConnection,
    organization_id: &str,
    staff_user_id: &str,
    from: StaffRole,
    to: StaffRole,
) -> Result<bool, sqlx::Error> {
    let keeps_super_admin = if from == StaffRole::SuperAdmin {
        ANOTHER_SUPER_ADMIN_REMAINS
    } else {
        "1 = 1"
    };
    let updated = sqlx::query(&format!(
        "UPDATE staff_users SET role = $1
         WHERE id = $2 AND organization_id = $3 AND role = $4 AND active = 1 AND {keeps_super_admin}"
    ))
    .bind(to.as_str())
    .bind(staff_user_id)
    .bind(organization_id)
    .bind(from.as_str())
    .execute(&mut *connection)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Deactivates the account, ends its sessions and revokes its unused links, unless it is
/// already deactivated or it is the last active Super Admin. Returns whether it was deactivated.
pub async fn deactivate(
    connection: &mut AnyConnection,
    organization_id: &str,
    target: &StaffTarget,
) -> Result<bool, sqlx::Error> {
    let keeps_super_admin = if target.role == StaffRole::SuperAdmin {
        ANOTHER_SUPER_ADMIN_REMAINS
    } else {
        "1 = 1"
    };
    let updated = sqlx::query(&format!(
        "UPDATE staff_users SET active = 0, deactivated_at = $1
         WHERE id = $2 AND organization_id = $3 AND active = 1 AND role = $4 AND {keeps_super_admin}"
    ))
    .bind(now_ms())
    .bind(&target.id)
    .bind(organization_id)
    .bind(target.role.as_str())
    .execute(&mut *connection)
    .await?;
    if updated.rows_affected() != 1 {
        return Ok(false);
    }

    sqlx::query("DELETE FROM sessions WHERE staff_user_id = $1 AND organization_id = $2")
        .bind(&target.id)
        .bind(organization_id)
        .execute(&mut *connection)
        .await?;
    super::staff_links::revoke_unused_links(connection, organization_id, &target.id).await?;
    Ok(true)
}

/// Reactivates the account. Returns whether it was deactivated before.
pub async fn reactivate(
    connection: &mut AnyConnection,
    organization_id: &str,
    staff_user_id: &str,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE staff_users SET active = 1, deactivated_at = NULL
         WHERE id = $1 AND organization_id = $2 AND active = 0",
    )
    .bind(staff_user_id)
    .bind(organization_id)
    .execute(&mut *connection)
    .await?;
    Ok(updated.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: StaffRole) -> StaffContext {
        StaffContext {
            session_id_hash: "session".into(),
            staff_user_id: "actor".into(),
            organization_id: "org".into(),
            name: "Actor".into(),
            email: "actor@example.com".into(),
            role,
        }
    }

    fn target(id: &str, role: StaffRole) -> StaffTarget {
        StaffTarget {
            id: id.into(),
            name: "Target".into(),
            email: "target@example.com".into(),
            role,
            active: true,
            has_password: true,
            last_sign_in_at: None,
        }
    }

    #[test]
    fn admin_cannot_touch_super_admin() {
        let admin = actor(StaffRole::Admin);
        let super_admin = target("other", StaffRole::SuperAdmin);

        assert_eq!(
            role_refusal(&admin, &super_admin, 2),
            Some(refusals::CHANGE_SUPER_ADMIN)
        );
        assert_eq!(
            deactivate_refusal(&admin, &super_admin, 2),
            Some(refusals::CHANGE_SUPER_ADMIN)
        );
        assert!(!assignable_roles(&admin).contains(&StaffRole::SuperAdmin));
    }

    #[test]
    fn last_super_admin_stays() {
        let super_admin = actor(StaffRole::SuperAdmin);
        let last = target("other", StaffRole::SuperAdmin);

        assert_eq!(
            role_refusal(&super_admin, &last, 1),
            Some(refusals::LAST_SUPER_ADMIN)
        );
        assert_eq!(
            deactivate_refusal(&super_admin, &last, 1),
            Some(refusals::LAST_SUPER_ADMIN_ACTIVE)
        );
        assert_eq!(role_refusal(&super_admin, &last, 2), None);
    }

    #[test]
    fn invited_super_admin_does_not_count() {
        let own = target("actor", StaffRole::SuperAdmin);
        let mut invited = target("invited", StaffRole::SuperAdmin);
        invited.has_password = false;

        assert_eq!(active_super_admins(&[own.clone(), invited.clone()]), 1);
        assert_eq!(
            role_refusal(&actor(StaffRole::SuperAdmin), &own, 1),
            Some(refusals::LAST_SUPER_ADMIN)
        );
        assert_eq!(
            role_refusal(&actor(StaffRole::SuperAdmin), &invited, 1),
            None,
            "an invitee can be demoted"
        );
        invited.has_password = true;
        assert_eq!(active_super_admins(&[own, invited]), 2);
    }

    #[test]
    fn nobody_deactivates_themselves() {
        let super_admin = actor(StaffRole::SuperAdmin);
        let own = target("actor", StaffRole::SuperAdmin);

        assert_eq!(
            deactivate_refusal(&super_admin, &own, 3),
            Some(refusals::DEACTIVATE_SELF)
        );
    }
}
