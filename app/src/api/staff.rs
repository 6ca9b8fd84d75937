//! The Staff page's server functions: list colleagues, invite one, resend an invitation,
//! change a role, deactivate and reactivate. Each needs `ManageStaff`; anything that makes,
//! changes or removes a Super Admin also needs `ManageSuperAdmins`. Every change is written to
//! the audit log in its own transaction.

use leptos::prelude::*;

use crate::domain::staff_accounts::StaffDirectory;
use crate::error::AppError;

/// Lists everyone in the caller's organization, with what the caller may do to each.
#[server(prefix = "/api", endpoint = "list_staff")]
pub async fn list_staff() -> Result<StaffDirectory, AppError> {
    use crate::domain::staff::StaffRole;
    use crate::domain::staff_accounts::{refusals, StaffMember, StaffMemberActions, StaffStatus};
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::outbox_admin::format_utc;
    use crate::ssr::staff_admin::{
        active_super_admins, assignable_roles, deactivate_refusal, list_targets,
        reactivate_refusal, role_refusal,
    };
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ManageStaff)?;
            let state = app_state()?;

            let targets = list_targets(&state.db, &staff.organization_id).await?;
            let super_admins = active_super_admins(&targets);
            let roles = assignable_roles(&staff);

            let members = targets
                .into_iter()
                .map(|target| {
                    let role_refusal = role_refusal(&staff, &target, super_admins);
                    let deactivate_refusal = deactivate_refusal(&staff, &target, super_admins);
                    let reactivate_refusal = (!target.active)
                        .then(|| reactivate_refusal(&staff, &target))
                        .flatten();
                    let status = match (target.active, target.has_password) {
                        (false, _) => StaffStatus::Deactivated,
                        (true, false) => StaffStatus::Invited,
                        (true, true) => StaffStatus::Active,
                    };
                    let actions = StaffMemberActions {
                        assignable_roles: if role_refusal.is_none() {
                            roles.clone()
                        } else {
                            Vec::new()
                        },
                        role_refusal: role_refusal.map(str::to_owned),
                        can_deactivate: target.active && deactivate_refusal.is_none(),
                        deactivate_refusal: deactivate_refusal.map(str::to_owned),
                        can_reactivate: !target.active && reactivate_refusal.is_none(),
                        reactivate_refusal: reactivate_refusal.map(str::to_owned),
                        can_resend_invitation: status == StaffStatus::Invited
                            && (target.role != StaffRole::SuperAdmin
                                || staff.role.allows(Permission::ManageSuperAdmins)),
                    };
                    StaffMember {
                        is_viewer: target.id == staff.staff_user_id,
                        id: target.id,
                        name: target.name,
                        email: target.email,
                        role: target.role,
                        status,
                        last_sign_in_text: target.last_sign_in_at.map(format_utc),
                        actions,
                    }
                })
                .collect();

            Ok(StaffDirectory {
                members,
                super_admin_refusal: (!staff.role.allows(Permission::ManageSuperAdmins))
                    .then(|| refusals::GRANT_SUPER_ADMIN.to_owned()),
                invitable_roles: roles,
            })
        }
        .await,
    )
}

/// Invites a colleague: creates their account without a password and emails them a link,
/// valid 7 days, to choose one. The email must not be in use anywhere on this deployment.
#[server(prefix = "/api", endpoint = "invite_staff")]
pub async fn invite_staff(email: String, name: String, role: String) -> Result<String, AppError> {
    use crate::domain::audit::AuditAction;
    use crate::domain::staff::StaffRole;
    use crate::domain::staff_accounts::refusals;
    use crate::ssr::audit::{record, AuditObject};
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::clock::{new_id, now_ms};
    use crate::ssr::staff_admin::StaffTarget;
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ManageStaff)?;
            let state = app_state()?;

            let email = email.trim().to_lowercase();
            let name = name.trim().to_owned();
            if email.len() > 254 || !email.contains('@') || email.starts_with('@') || email.ends_with('@') || email.contains(char::is_whitespace) {
                return Err(AppError::invalid("email", "Enter an email address, such as ada@example.com."));
            }
            if name.is_empty() || name.chars().count() > 200 {
                return Err(AppError::invalid("name", "Enter a name of 1 to 200 characters."));
            }
            let role = StaffRole::parse(&role)
                .ok_or_else(|| AppError::invalid("role", "Choose one of the four roles."))?;
            if role == StaffRole::SuperAdmin && !staff.role.allows(Permission::ManageSuperAdmins) {
                return Err(AppError::Forbidden(refusals::GRANT_SUPER_ADMIN.into()));
            }
            let taken: Option<i64> = sqlx::query_scalar("SELECT 1 FROM staff_users WHERE email = $1")
                .bind(&email)
                .fetch_optional(&state.db)
                .await?;
            if taken.is_some() {
                return Err(email_taken());
            }

            let organization_name = organization_name(&state.db, &staff.organization_id).await?;
            let staff_user_id = new_id();
            let now = now_ms();
            let mut transaction = state.db.begin().await?;
            let inserted = sqlx::query(
                "INSERT INTO staff_users (id, organization_id, email, name, role, password_hash, active, created_at, invited_at)
                 VALUES ($1, $2, $3, $4, $5, NULL, 1, $6, $6)",
            )
            .bind(&staff_user_id)
            .bind(&staff.organization_id)
            .bind(&email)
            .bind(&name)
            .bind(role.as_str())
            .bind(now)
            .execute(&mut *transaction)
            .await;
            match inserted {
                Ok(_) => {}
                // Another request invited the same email since the check above.
                Err(sqlx::Error::Database(error)) if error.is_unique_violation() => return Err(email_taken()),
                Err(error) => return Err(error.into()),
            }
            let invitee = StaffTarget {
                id: staff_user_id.clone(),
                name: name.clone(),
                email: email.clone(),
                role,
                active: true,
                has_password: false,
                last_sign_in_at: None,
            };
            send_invitation(&mut transaction, &state, &staff, &organization_name, &invitee).await?;
            record(
                &mut transaction,
                &staff,
                AuditAction::StaffInvited,
                AuditObject { kind: "staff_user", id: Some(&staff_user_id), label: &name },
                &format!("Invited as {}", role.label()),
            )
            .await?;
            transaction.commit().await?;

            state.mail_wakeup.notify_one();
            tracing::info!(staff_user.id = %staff_user_id, "staff invited");
            Ok(staff_user_id)
        }
        .await,
    )
}

// NOTE: emails are unique across the deployment, because sign-in asks for an email and no
// organization, so this refusal also tells an Admin that another organization uses the email.
// Hiding that needs per-organization sign-in (a slug in the sign-in URL).
#[cfg(feature = "ssr")]
fn email_taken() -> AppError {
    AppError::invalid(
        "email",
        "That email already has a Tryout account. Each person signs in with their own email.",
    )
}

/// Reads the organization's name, for emails. Called before a transaction starts, because on
/// SQLite a transaction that reads before it writes can fail when another writer commits.
#[cfg(feature = "ssr")]
async fn organization_name(
    db: &crate::ssr::db::Db,
    organization_id: &str,
) -> Result<String, AppError> {
    Ok(
        sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
            .bind(organization_id)
            .fetch_one(db)
            .await?,
    )
}

/// Issues a new invitation link (the earlier ones stop working) and queues its email.
#[cfg(feature = "ssr")]
async fn send_invitation(
    connection: &mut sqlx::AnyConnection,
    state: &crate::ssr::state::AppState,
    inviter: &crate::ssr::authz::StaffContext,
    organization_name: &str,
    invitee: &crate::ssr::staff_admin::StaffTarget,
) -> Result<(), AppError> {
    use crate::ssr::mail::{queue_email, staff_email, NewEmail, StaffEmail};
    use crate::ssr::staff_links::{issue_link, LinkPurpose};

    let token = issue_link(
        connection,
        &inviter.organization_id,
        &invitee.id,
        LinkPurpose::Invitation,
    )
    .await?;
    let link = format!(
        "{}{}/{token}",
        state.public_url,
        LinkPurpose::Invitation.path()
    );
    let kind = StaffEmail::Invitation {
        inviter: &inviter.name,
        role: invitee.role.label(),
    };
    let (subject, body_text, body_html) =
        staff_email(&kind, organization_name, &invitee.name, &link);

    queue_email(
        connection,
        &NewEmail {
            organization_id: inviter.organization_id.clone(),
            application_id: None,
            kind: kind.kind().into(),
            to_address: invitee.email.clone(),
            subject,
            body_text,
            body_html: Some(body_html),
        },
    )
    .await?;
    Ok(())
}

/// Sends a new invitation to someone who has not set a password yet; earlier invitation
/// links of theirs stop working.
#[server(prefix = "/api", endpoint = "resend_staff_invitation")]
pub async fn resend_staff_invitation(staff_user_id: String) -> Result<(), AppError> {
    use crate::domain::audit::AuditAction;
    use crate::domain::staff::StaffRole;
    use crate::domain::staff_accounts::refusals;
    use crate::ssr::audit::{record, AuditObject};
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::staff_admin::load_target;
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ManageStaff)?;
            let state = app_state()?;
            let target = load_target(&state.db, &staff.organization_id, &staff_user_id).await?;

            if target.role == StaffRole::SuperAdmin && !staff.role.allows(Permission::ManageSuperAdmins) {
                return Err(AppError::Forbidden(refusals::CHANGE_SUPER_ADMIN.into()));
            }
            if !target.active || target.has_password {
                return Err(AppError::Conflict(format!(
                    "{} has no open invitation: the account is active or deactivated. To sign in without a password, they can ask for a link on the sign-in page.",
                    target.name
                )));
            }

            let organization_name = organization_name(&state.db, &staff.organization_id).await?;
            let mut transaction = state.db.begin().await?;
            send_invitation(&mut transaction, &state, &staff, &organization_name, &target).await?;
            record(
                &mut transaction,
                &staff,
                AuditAction::StaffInvited,
                AuditObject { kind: "staff_user", id: Some(&target.id), label: &target.name },
                "Invitation sent again",
            )
            .await?;
            transaction.commit().await?;

            state.mail_wakeup.notify_one();
            Ok(())
        }
        .await,
    )
}

/// Changes a colleague's role. Making or unmaking a Super Admin needs a Super Admin, and
/// the organization's last active Super Admin keeps the role. Lowering one's own role takes
/// `confirm_own_demotion`, because it can end the viewer's access to this page at once.
#[server(prefix = "/api", endpoint = "change_staff_role")]
pub async fn change_staff_role(
    staff_user_id: String,
    role: String,
    confirm_own_demotion: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::audit::AuditAction;
    use crate::domain::staff::StaffRole;
    use crate::domain::staff_accounts::refusals;
    use crate::ssr::audit::{record, AuditObject};
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::db::Dialect;
    use crate::ssr::staff_admin::{load_target, lock_super_admins, update_role};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ManageStaff)?;
            let state = app_state()?;
            let role = StaffRole::parse(&role)
                .ok_or_else(|| AppError::invalid("role", "Choose one of the four roles."))?;
            let target = load_target(&state.db, &staff.organization_id, &staff_user_id).await?;

            if target.role == role {
                return Ok(());
            }
            let super_admins_only = staff.role.allows(Permission::ManageSuperAdmins);
            if target.role == StaffRole::SuperAdmin && !super_admins_only {
                return Err(AppError::Forbidden(refusals::CHANGE_SUPER_ADMIN.into()));
            }
            if role == StaffRole::SuperAdmin && !super_admins_only {
                return Err(AppError::Forbidden(refusals::GRANT_SUPER_ADMIN.into()));
            }
            if !target.active {
                return Err(AppError::Conflict(refusals::DEACTIVATED_ROLE.into()));
            }
            if target.id == staff.staff_user_id && role < target.role && confirm_own_demotion.is_none() {
                return Err(AppError::Conflict(refusals::CONFIRM_OWN_DEMOTION.into()));
            }

            let mut transaction = state.db.begin().await?;
            lock_super_admins(&mut transaction, Dialect::of(&state.db), &staff.organization_id).await?;
            if !update_role(&mut transaction, &staff.organization_id, &target.id, target.role, role).await? {
                return Err(AppError::Conflict(if target.role == StaffRole::SuperAdmin {
                    refusals::LAST_SUPER_ADMIN.into()
                } else {
                    "This account changed while you were looking at it. Reload the page and try again.".into()
                }));
            }
            record(
                &mut transaction,
                &staff,
                AuditAction::StaffRoleChanged,
                AuditObject { kind: "staff_user", id: Some(&target.id), label: &target.name },
                &format!("{} to {}", target.role.label(), role.label()),
            )
            .await?;
            transaction.commit().await?;

            tracing::info!(staff_user.id = %target.id, "staff role changed");
            Ok(())
        }
        .await,
    )
}

/// Deactivates a colleague's account: they cannot sign in, their open sessions end at once
/// and their unused links stop working. Nobody deactivates themselves, and the last active
/// Super Admin stays.
#[server(prefix = "/api", endpoint = "deactivate_staff")]
pub async fn deactivate_staff(staff_user_id: String) -> Result<(), AppError> {
    use crate::domain::audit::AuditAction;
    use crate::domain::staff::StaffRole;
    use crate::domain::staff_accounts::refusals;
    use crate::ssr::audit::{record, AuditObject};
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::db::Dialect;
    use crate::ssr::staff_admin::{deactivate, load_target, lock_super_admins};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ManageStaff)?;
            let state = app_state()?;
            let target = load_target(&state.db, &staff.organization_id, &staff_user_id).await?;

            if target.id == staff.staff_user_id {
                return Err(AppError::Conflict(refusals::DEACTIVATE_SELF.into()));
            }
            if target.role == StaffRole::SuperAdmin && !staff.role.allows(Permission::ManageSuperAdmins) {
                return Err(AppError::Forbidden(refusals::CHANGE_SUPER_ADMIN.into()));
            }
            if !target.active {
                return Ok(());
            }

            let mut transaction = state.db.begin().await?;
            lock_super_admins(&mut transaction, Dialect::of(&state.db), &staff.organization_id).await?;
            if !deactivate(&mut transaction, &staff.organization_id, &target).await? {
                return Err(AppError::Conflict(if target.role == StaffRole::SuperAdmin {
                    refusals::LAST_SUPER_ADMIN_ACTIVE.into()
                } else {
                    "This account changed while you were looking at it. Reload the page and try again.".into()
                }));
            }
            record(
                &mut transaction,
                &staff,
                AuditAction::StaffDeactivated,
                AuditObject { kind: "staff_user", id: Some(&target.id), label: &target.name },
                "",
            )
            .await?;
            transaction.commit().await?;

            tracing::info!(staff_user.id = %target.id, "staff deactivated");
            Ok(())
        }
        .await,
    )
}

/// Reactivates a deactivated account; the person signs in again with their password or a link.
#[server(prefix = "/api", endpoint = "reactivate_staff")]
pub async fn reactivate_staff(staff_user_id: String) -> Result<(), AppError> {
    use crate::domain::audit::AuditAction;
    use crate::ssr::audit::{record, AuditObject};
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::staff_admin::{load_target, reactivate, reactivate_refusal};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ManageStaff)?;
            let state = app_state()?;
            let target = load_target(&state.db, &staff.organization_id, &staff_user_id).await?;

            if let Some(refusal) = reactivate_refusal(&staff, &target) {
                return Err(AppError::Forbidden(refusal.into()));
            }

            let mut transaction = state.db.begin().await?;
            if !reactivate(&mut transaction, &staff.organization_id, &target.id).await? {
                return Ok(());
            }
            record(
                &mut transaction,
                &staff,
                AuditAction::StaffReactivated,
                AuditObject {
                    kind: "staff_user",
                    id: Some(&target.id),
                    label: &target.name,
                },
                "",
            )
            .await?;
            transaction.commit().await?;

            tracing::info!(staff_user.id = %target.id, "staff reactivated");
            Ok(())
        }
        .await,
    )
}
