//! A job's settings: its text, Lever mapping and deadline; publishing its portal; and its
//! owners and reviewers. Each function checks the caller on the job with `require_job`.

use leptos::prelude::*;

use crate::domain::job_settings::JobSettings;
use crate::domain::staff::JobMembership;
use crate::error::AppError;

/// The reason given to those who may not add or remove a job's owners and reviewers.
#[cfg(feature = "ssr")]
const MEMBERS_REFUSAL: &str =
    "Only an Admin or Super Admin can add or remove a job's owners and reviewers.";

/// Loads job `role_id`'s settings with the choices for its selects, and states what the caller
/// may change. Anyone who may view the job may read them.
#[server(prefix = "/api", endpoint = "load_job_settings")]
pub async fn load_job_settings(role_id: String) -> Result<JobSettings, AppError> {
    use crate::ssr::authz::{job_refusal, require_staff, JobPermission, Permission};
    use crate::ssr::editor::publish::publish_refusal;
    use crate::ssr::job_settings::{list_active_staff, list_members, load_settings};
    use crate::ssr::lever_lists::{cached_archive_reasons, cached_stages};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            let state = app_state()?;
            let job = staff
                .require_job(&state.db, &role_id, JobPermission::View)
                .await?;
            let organization_id = &staff.organization_id;

            let row = load_settings(&state.db, organization_id, &role_id).await?;
            let can_edit = staff
                .role
                .allows_on_job(JobPermission::Edit, job.membership);
            let can_manage_members = staff.role.allows(Permission::ManageStaff);
            let publish_refusal = {
                let mut connection = state.db.acquire().await?;
                publish_refusal(&mut connection, organization_id, &role_id).await?
            };

            Ok(JobSettings {
                auto_decide: row.auto_decide(),
                role_id,
                title: row.title,
                team: row.team.unwrap_or_default(),
                location: row.location.unwrap_or_default(),
                intro_md: row.intro_md,
                status: row.status,
                step_count: row.step_count,
                invite_stage_id: row.invite_stage_id,
                pass_stage_id: row.pass_stage_id,
                fail_archive_reason_id: row.fail_archive_reason_id,
                deadline_days: row.deadline_days,
                from_lever_posting: row.lever_posting_id.is_some(),
                accent_color: row.accent_color.unwrap_or_default(),
                stages: cached_stages(&state.db, organization_id).await?,
                archive_reasons: cached_archive_reasons(&state.db, organization_id).await?,
                members: list_members(&state.db, organization_id, &job.role_id).await?,
                staff: if can_manage_members {
                    list_active_staff(&state.db, organization_id).await?
                } else {
                    Vec::new()
                },
                edit_refusal: (!can_edit)
                    .then(|| job_refusal(staff.role, JobPermission::Edit).to_owned()),
                members_refusal: (!can_manage_members).then(|| MEMBERS_REFUSAL.to_owned()),
                publish_refusal,
            })
        }
        .await,
    )
}

/// Saves job `role_id`'s settings. Blank optional fields clear the value. A stage or archive
/// reason must be in the organization's cached Lever lists, unless it is the one already
/// stored (so a job can be renamed while Lever is disconnected). `auto_decide` is a checkbox:
/// present means on.
#[server(prefix = "/api", endpoint = "save_job_settings")]
#[allow(clippy::too_many_arguments)]
pub async fn save_job_settings(
    role_id: String,
    title: String,
    team: Option<String>,
    location: Option<String>,
    intro_md: Option<String>,
    invite_stage_id: Option<String>,
    pass_stage_id: Option<String>,
    fail_archive_reason_id: Option<String>,
    auto_decide: Option<String>,
    deadline_days: Option<String>,
    accent_color: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::branding::check_accent;
    use crate::ssr::authz::{require_staff, JobPermission};
    use crate::ssr::clock::now_ms;
    use crate::ssr::job_settings::load_settings;
    use crate::ssr::lever_lists::{
        archive_reason_text, cached_archive_reasons, cached_stages, stage_text,
    };
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            let state = app_state()?;
            staff.require_job(&state.db, &role_id, JobPermission::Edit).await?;
            let organization_id = &staff.organization_id;

            let title = title.trim();
            if title.is_empty() {
                return Err(AppError::invalid("title", "Enter the job's title."));
            }
            if title.chars().count() > 200 {
                return Err(AppError::invalid("title", "Keep the title to 200 characters or fewer."));
            }
            let deadline_days = parse_deadline_days(deadline_days.as_deref())?;
            let accent_color = check_accent(accent_color.as_deref().unwrap_or_default())
                .map_err(|message| AppError::invalid("accent_color", message))?;

            let stored = load_settings(&state.db, organization_id, &role_id).await?;
            let stages = cached_stages(&state.db, organization_id).await?;
            let reasons = cached_archive_reasons(&state.db, organization_id).await?;
            let invite_stage_id = blank_to_none(invite_stage_id);
            let pass_stage_id = blank_to_none(pass_stage_id);
            let fail_archive_reason_id = blank_to_none(fail_archive_reason_id);
            for (field, value, current) in [
                ("invite_stage_id", &invite_stage_id, &stored.invite_stage_id),
                ("pass_stage_id", &pass_stage_id, &stored.pass_stage_id),
            ] {
                if let Some(id) = value.as_ref().filter(|id| Some(*id) != current.as_ref()) {
                    stage_text(&stages, id, field)?;
                }
            }
            if let Some(id) = fail_archive_reason_id
                .as_ref()
                .filter(|id| Some(*id) != stored.fail_archive_reason_id.as_ref())
            {
                archive_reason_text(&reasons, id, "fail_archive_reason_id")?;
            }

            // A job that follows a Lever posting keeps the posting's title, team and location;
            // the next refresh of Lever's lists would put them back anyway.
            sqlx::query(
                "UPDATE roles SET title = CASE WHEN lever_posting_id IS NULL THEN $1 ELSE title END,
                        team = CASE WHEN lever_posting_id IS NULL THEN $2 ELSE team END,
                        location = CASE WHEN lever_posting_id IS NULL THEN $3 ELSE location END,
                        intro_md = $4, invite_stage_id = $5,
                        pass_stage_id = $6, fail_archive_reason_id = $7, auto_decide = $8, deadline_days = $9,
                        updated_at = $10, accent_color = $13
                 WHERE id = $11 AND organization_id = $12",
            )
            .bind(title)
            .bind(blank_to_none(team))
            .bind(blank_to_none(location))
            .bind(intro_md.unwrap_or_default())
            .bind(invite_stage_id)
            .bind(pass_stage_id)
            .bind(fail_archive_reason_id)
            .bind(i64::from(auto_decide.is_some()))
            .bind(deadline_days)
            .bind(now_ms())
            .bind(&role_id)
            .bind(organization_id)
            .bind(accent_color)
            .execute(&state.db)
            .await?;

            tracing::info!(role.id = %role_id, staff_user.id = %staff.staff_user_id, "job settings saved");
            Ok(())
        }
        .await,
    )
}

/// Publishes job `role_id`'s portal, so its invite stage invites candidates. The job needs at
/// least one step and an invite stage.
#[server(prefix = "/api", endpoint = "publish_job")]
pub async fn publish_job(role_id: String) -> Result<(), AppError> {
    super::with_status(set_status(role_id, true).await)
}

/// Takes job `role_id`'s portal back to draft: no new candidates are invited into it.
#[server(prefix = "/api", endpoint = "unpublish_job")]
pub async fn unpublish_job(role_id: String) -> Result<(), AppError> {
    super::with_status(set_status(role_id, false).await)
}

/// Makes `staff_user_id` an owner or reviewer of job `role_id`, or removes them when
/// `membership` is absent. Only Admins and Super Admins may. The person must be an active
/// staff member of the caller's organization, and a Limited Team Member can only review.
#[server(prefix = "/api", endpoint = "set_job_member")]
pub async fn set_job_member(
    role_id: String,
    staff_user_id: String,
    membership: Option<JobMembership>,
) -> Result<(), AppError> {
    use crate::domain::audit::AuditAction;
    use crate::domain::staff::StaffRole;
    use crate::ssr::audit::{record, AuditObject};
    use crate::ssr::authz::{require_staff, JobPermission, Permission};
    use crate::ssr::job_settings::{current_membership, store_membership};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            if !staff.role.allows(Permission::ManageStaff) {
                tracing::info!(staff_user.id = %staff.staff_user_id, role.id = %role_id, "job membership change denied");
                return Err(AppError::Forbidden(MEMBERS_REFUSAL.into()));
            }
            let state = app_state()?;
            let job = staff.require_job(&state.db, &role_id, JobPermission::View).await?;
            let organization_id = &staff.organization_id;

            let member: Option<(String, String)> = sqlx::query_as(
                "SELECT name, role FROM staff_users WHERE id = $1 AND organization_id = $2 AND active = 1",
            )
            .bind(&staff_user_id)
            .bind(organization_id)
            .fetch_optional(&state.db)
            .await?;
            let (name, role) = member.ok_or_else(|| {
                AppError::invalid("staff_user_id", "Choose an active staff member of your organization.")
            })?;
            if role == StaffRole::LimitedTeamMember.as_str() && membership == Some(JobMembership::Owner) {
                return Err(AppError::invalid(
                    "membership",
                    "A Limited Team Member can review a job but not own it. Change their role first, or add them as a reviewer.",
                ));
            }

            let mut transaction = state.db.begin().await?;
            let before = current_membership(&mut transaction, organization_id, &role_id, &staff_user_id).await?;
            let changed = store_membership(&mut transaction, organization_id, &role_id, &staff_user_id, membership).await?;
            if changed {
                let (action, detail) = match (membership, before) {
                    (Some(added), _) => (AuditAction::JobMemberAdded, added),
                    (None, Some(removed)) => (AuditAction::JobMemberRemoved, removed),
                    (None, None) => unreachable!("a removal that changed a row had a membership"),
                };
                let label = format!("{name} on {}", job.title);
                let object = AuditObject { kind: "staff_user", id: Some(&staff_user_id), label: &label };
                record(&mut transaction, &staff, action, object, detail.as_str()).await?;
            }
            transaction.commit().await?;

            tracing::info!(role.id = %role_id, staff_user.id = %staff_user_id, changed, "job membership set");
            Ok(())
        }
        .await,
    )
}

/// Publishes (`publish`) or unpublishes job `role_id` and records it in the audit log.
/// Publishing also freezes the portal's draft, if it has one, as the version new candidates
/// get. Setting the status the job already has, with no draft to publish, changes nothing and
/// records nothing.
#[cfg(feature = "ssr")]
async fn set_status(role_id: String, publish: bool) -> Result<(), AppError> {
    use crate::domain::audit::AuditAction;
    use crate::ssr::audit::{record, AuditObject};
    use crate::ssr::authz::{require_staff, JobPermission};
    use crate::ssr::clock::now_ms;
    use crate::ssr::editor::publish::publish_refusal;
    use crate::ssr::state::app_state;
    use crate::ssr::versions::publish_draft;

    let staff = require_staff().await?;
    let state = app_state()?;
    let job = staff
        .require_job(&state.db, &role_id, JobPermission::Edit)
        .await?;
    let organization_id = &staff.organization_id;

    let mut transaction = state.db.begin().await?;
    let mut published_version = None;
    if publish {
        if let Some(refusal) = publish_refusal(&mut transaction, organization_id, &role_id).await? {
            return Err(AppError::Conflict(refusal));
        }
        published_version = publish_draft(
            &mut transaction,
            organization_id,
            &role_id,
            &staff.staff_user_id,
        )
        .await?;
    }

    let (status, action) = if publish {
        ("published", AuditAction::PortalPublished)
    } else {
        ("draft", AuditAction::PortalUnpublished)
    };
    let status_changed = sqlx::query(
        "UPDATE roles SET status = $1, updated_at = $2 WHERE id = $3 AND organization_id = $4 AND status <> $1",
    )
    .bind(status)
    .bind(now_ms())
    .bind(&role_id)
    .bind(organization_id)
    .execute(&mut *transaction)
    .await?
    .rows_affected()
        > 0;
    let changed = status_changed || published_version.is_some();
    if changed {
        let object = AuditObject {
            kind: "role",
            id: Some(&role_id),
            label: &job.title,
        };
        let detail = published_version
            .map(|number| format!("version {number}"))
            .unwrap_or_default();
        record(&mut transaction, &staff, action, object, &detail).await?;
    }
    transaction.commit().await?;

    tracing::info!(role.id = %role_id, staff_user.id = %staff.staff_user_id, status, changed,
        version.number = ?published_version, "job status set");
    Ok(())
}

/// Reads the deadline field: blank for no deadline, else whole days from 1 to 365.
#[cfg(feature = "ssr")]
fn parse_deadline_days(value: Option<&str>) -> Result<Option<i64>, AppError> {
    let Some(value) = value.map(str::trim).filter(|value| !value.is_empty()) else {
        return Ok(None);
    };
    match value.parse::<i64>() {
        Ok(days) if (1..=365).contains(&days) => Ok(Some(days)),
        _ => Err(AppError::invalid(
            "deadline_days",
            "Enter the deadline as whole days from 1 to 365, or leave it empty for no deadline.",
        )),
    }
}

#[cfg(feature = "ssr")]
fn blank_to_none(value: Option<String>) -> Option<String> {
    value
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}
