//! The Jobs page's data: roles, their Lever mapping, candidates, and the Lever connection.

use leptos::prelude::*;

use crate::domain::job_settings::CandidateList;
use crate::domain::staff::{JobRow, LeverStatus};
use crate::error::AppError;

/// Creates a job in draft and opens its portal editor. A Team Member who creates a job becomes
/// its owner; Admins edit every job already. Blank team and location are left empty.
#[server(prefix = "/api", endpoint = "create_job")]
pub async fn create_job(
    title: String,
    team: Option<String>,
    location: Option<String>,
) -> Result<String, AppError> {
    use crate::domain::audit::AuditAction;
    use crate::domain::staff::StaffRole;
    use crate::ssr::audit::{record, AuditObject};
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::job_create::{insert_job, validate_new_job};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::CreateJobs)?;
            let state = app_state()?;
            let job = validate_new_job(&title, team, location)?;

            let owner =
                (staff.role == StaffRole::TeamMember).then_some(staff.staff_user_id.as_str());
            let mut transaction = state.db.begin().await?;
            let role_id = insert_job(&mut transaction, &staff.organization_id, &job, owner).await?;
            let object = AuditObject {
                kind: "role",
                id: Some(&role_id),
                label: &job.title,
            };
            record(
                &mut transaction,
                &staff,
                AuditAction::JobCreated,
                object,
                "",
            )
            .await?;
            transaction.commit().await?;

            tracing::info!(role.id = %role_id, staff_user.id = %staff.staff_user_id, "job created");
            leptos_axum::redirect(&format!("/jobs/{role_id}/portal"));
            Ok(role_id)
        }
        .await,
    )
}

/// Lists the roles of the caller's organization with their Lever mapping, candidate counts
/// and what the caller may do on each. A Limited Team Member gets only the jobs they are
/// assigned to.
#[server(prefix = "/api", endpoint = "list_jobs")]
pub async fn list_jobs() -> Result<Vec<JobRow>, AppError> {
    use crate::domain::staff::{JobMembership, StaffRole};
    use crate::ssr::authz::{require_staff, JobPermission, Permission};
    use crate::ssr::db::flag;
    use crate::ssr::state::app_state;

    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        title: String,
        team: Option<String>,
        location: Option<String>,
        status: String,
        auto_decide: i64,
        step_count: i64,
        candidate_count: i64,
        completed_count: i64,
        invite_stage: Option<String>,
        pass_stage: Option<String>,
        fail_archive_reason: Option<String>,
        membership: Option<String>,
    }

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ViewJobs)?;
            let state = app_state()?;

            // A Limited Team Member gets only the jobs with a role_members row of their own.
            let assigned_only = if staff.role == StaffRole::LimitedTeamMember {
                " AND m.membership IS NOT NULL"
            } else {
                ""
            };
            let sql = format!(
                "SELECT r.id, r.title, r.team, r.location, r.status, r.auto_decide, m.membership,
                        (SELECT COUNT(*) FROM steps s WHERE s.organization_id = r.organization_id AND s.version_id =
                    (SELECT v.id FROM portal_versions v WHERE v.role_id = r.id AND v.status IN ('draft', 'published')
                     ORDER BY v.number DESC LIMIT 1)) AS step_count,
                        (SELECT COUNT(*) FROM applications a WHERE a.role_id = r.id AND a.organization_id = r.organization_id) AS candidate_count,
                        (SELECT COUNT(*) FROM applications a WHERE a.role_id = r.id AND a.organization_id = r.organization_id
                            AND a.completed_at IS NOT NULL) AS completed_count,
                        COALESCE((SELECT text FROM lever_stages ls WHERE ls.organization_id = r.organization_id AND ls.id = r.invite_stage_id),
                                 CASE WHEN r.invite_stage_id IS NOT NULL THEN 'Mapped (the name loads when Lever is connected)' END) AS invite_stage,
                        COALESCE((SELECT text FROM lever_stages ls WHERE ls.organization_id = r.organization_id AND ls.id = r.pass_stage_id),
                                 CASE WHEN r.pass_stage_id IS NOT NULL THEN 'Mapped (the name loads when Lever is connected)' END) AS pass_stage,
                        COALESCE((SELECT text FROM lever_archive_reasons lr WHERE lr.organization_id = r.organization_id AND lr.id = r.fail_archive_reason_id),
                                 CASE WHEN r.fail_archive_reason_id IS NOT NULL THEN 'Mapped (the name loads when Lever is connected)' END) AS fail_archive_reason
                 FROM roles r
                 LEFT JOIN role_members m ON m.role_id = r.id AND m.organization_id = r.organization_id AND m.staff_user_id = $2
                 WHERE r.organization_id = $1{assigned_only} ORDER BY r.title"
            );
            let rows: Vec<Row> = sqlx::query_as(&sql)
            .bind(&staff.organization_id)
            .bind(&staff.staff_user_id)
            .fetch_all(&state.db)
            .await?;

            Ok(rows
                .into_iter()
                .map(|row| {
                    let membership = row.membership.as_deref().and_then(JobMembership::parse);
                    JobRow {
                    id: row.id,
                    title: row.title,
                    team: row.team,
                    location: row.location,
                    status: row.status,
                    step_count: row.step_count,
                    candidate_count: row.candidate_count,
                    completed_count: row.completed_count,
                    invite_stage: row.invite_stage,
                    pass_stage: row.pass_stage,
                    fail_archive_reason: row.fail_archive_reason,
                    auto_decide: flag(row.auto_decide),
                    membership,
                    can_edit: staff.role.allows_on_job(JobPermission::Edit, membership),
                    can_decide: staff.role.allows_on_job(JobPermission::Decide, membership),
                }})
                .collect())
        }
        .await,
    )
}

/// Loads the organization's Lever connection as the Jobs page shows it.
#[server(prefix = "/api", endpoint = "load_lever_status")]
pub async fn load_lever_status() -> Result<LeverStatus, AppError> {
    use crate::domain::staff::ConnectionStatus;
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::lever_store::{cached_counts, find_connection, super_admin_names};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ViewJobs)?;
            let state = app_state()?;

            let connection = find_connection(&state.db, &staff.organization_id).await?;
            let (stage_count, archive_reason_count) = cached_counts(&state.db, &staff.organization_id).await?;
            let (pending_writes, failed_writes): (i64, i64) = sqlx::query_as(
                "SELECT COALESCE(SUM(CASE WHEN status IN ('pending', 'sending') THEN 1 ELSE 0 END), 0),
                        COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0)
                 FROM outbox WHERE organization_id = $1",
            )
            .bind(&staff.organization_id)
            .fetch_one(&state.db)
            .await?;
            let super_admins = super_admin_names(&state.db, &staff.organization_id).await?;
            let webhook_registered = sqlx::query_scalar::<_, String>(
                "SELECT event FROM lever_webhooks WHERE organization_id = $1",
            )
            .bind(&staff.organization_id)
            .fetch_optional(&state.db)
            .await?
            .is_some();
            let connected_by = match connection.as_ref().and_then(|row| row.connected_by.clone()) {
                Some(id) => sqlx::query_scalar("SELECT name FROM staff_users WHERE id = $1 AND organization_id = $2")
                    .bind(id)
                    .bind(&staff.organization_id)
                    .fetch_optional(&state.db)
                    .await?,
                None => None,
            };

            Ok(LeverStatus {
                status: connection.as_ref().map_or(ConnectionStatus::NotConnected, |row| row.status()),
                connected_at_ms: connection.as_ref().map(|row| row.connected_at),
                connected_by,
                stage_count,
                archive_reason_count,
                pending_writes,
                failed_writes,
                can_connect: staff.role.allows(Permission::ManageLeverConnection) && state.lever.is_some(),
                super_admins,
                scopes: lever::types::SCOPES
                    .iter()
                    .map(|(scope, description)| ((*scope).to_owned(), (*description).to_owned()))
                    .collect(),
                webhook_registered,
            })
        }
        .await,
    )
}

/// Lists the candidates of one role, with their quiz result and Lever sync state, and the
/// stages and archive reasons for the decision controls when the caller may decide.
#[server(prefix = "/api", endpoint = "list_candidates")]
pub async fn list_candidates(role_id: String) -> Result<CandidateList, AppError> {
    use crate::ssr::authz::{job_refusal, require_staff, JobPermission};
    use crate::ssr::lever_lists::{cached_archive_reasons, cached_stages};
    use crate::ssr::state::app_state;

    #[derive(sqlx::FromRow)]
    struct Row {
        application_id: String,
        name: String,
        email: String,
        status: String,
        score_points: Option<i64>,
        max_points: Option<i64>,
        knockout_failed: Option<i64>,
        lever_opportunity_id: Option<String>,
        link_expires_at: Option<i64>,
        moved_to_stage: Option<String>,
        review_count: i64,
        writes_open: i64,
        writes_failed: i64,
        writes_sent: i64,
    }

    super::with_status(
        async {
            let staff = require_staff().await?;
            let state = app_state()?;
            let job = staff.require_job(&state.db, &role_id, JobPermission::View).await?;
            let can_decide = staff.role.allows_on_job(JobPermission::Decide, job.membership);
            let can_review = staff.role.allows_on_job(JobPermission::Review, job.membership);

            let rows: Vec<Row> = sqlx::query_as(
                "SELECT a.id AS application_id, c.name, c.email,
                        CASE WHEN a.closed_reason = 'archived_in_lever' THEN 'closed (archived in Lever)'
                             WHEN a.closed_reason = 'deleted_in_lever' THEN 'closed (deleted in Lever)'
                             ELSE a.status END AS status,
                        CAST((SELECT SUM(p.score_points) FROM step_progress p WHERE p.application_id = a.id) AS BIGINT) AS score_points,
                        CAST((SELECT SUM(p.max_points) FROM step_progress p WHERE p.application_id = a.id) AS BIGINT) AS max_points,
                        (SELECT MAX(p.knockout_failed) FROM step_progress p WHERE p.application_id = a.id) AS knockout_failed,
                        a.lever_opportunity_id, a.link_expires_at,
                        (SELECT e.detail FROM audit_events e
                         WHERE e.organization_id = a.organization_id AND e.object_type = 'application'
                           AND e.object_id = a.id AND e.action = 'candidate_moved'
                         ORDER BY e.created_at DESC, e.id DESC LIMIT 1) AS moved_to_stage,
                        (SELECT COUNT(*) FROM reviews r WHERE r.application_id = a.id AND r.organization_id = a.organization_id) AS review_count,
                        (SELECT COUNT(*) FROM outbox o WHERE o.application_id = a.id AND o.status IN ('pending', 'sending')) AS writes_open,
                        (SELECT COUNT(*) FROM outbox o WHERE o.application_id = a.id AND o.status = 'failed') AS writes_failed,
                        (SELECT COUNT(*) FROM outbox o WHERE o.application_id = a.id AND o.status = 'sent') AS writes_sent
                 FROM applications a JOIN candidates c ON c.id = a.candidate_id AND c.organization_id = a.organization_id
                 WHERE a.organization_id = $1 AND a.role_id = $2
                 ORDER BY a.invited_at, c.name",
            )
            .bind(&staff.organization_id)
            .bind(&role_id)
            .fetch_all(&state.db)
            .await?;

            let now = crate::ssr::clock::now_ms();
            let candidates = rows
                .into_iter()
                .map(|row| crate::domain::staff::CandidateRow {
                    link_expired: row.link_expires_at.is_some_and(|expires| expires <= now),
                    application_id: row.application_id,
                    name: row.name,
                    email: row.email,
                    status: row.status,
                    score_percent: crate::domain::staff::score_percent(row.score_points, row.max_points),
                    knockout_failed: row.knockout_failed == Some(1),
                    lever_opportunity_id: row.lever_opportunity_id,
                    moved_to_stage: row.moved_to_stage,
                    review_count: row.review_count,
                    sync: if row.writes_failed > 0 {
                        format!("{} failed", row.writes_failed)
                    } else if row.writes_open > 0 {
                        format!("{} waiting", row.writes_open)
                    } else if row.writes_sent > 0 {
                        "Synced".into()
                    } else {
                        "Nothing to sync".into()
                    },
                })
                .collect();
            let (stages, archive_reasons) = if can_decide {
                (
                    cached_stages(&state.db, &staff.organization_id).await?,
                    cached_archive_reasons(&state.db, &staff.organization_id).await?,
                )
            } else {
                (Vec::new(), Vec::new())
            };

            Ok(CandidateList {
                title: job.title,
                candidates,
                decide_refusal: (!can_decide).then(|| job_refusal(staff.role, JobPermission::Decide).to_owned()),
                review_refusal: (!can_review).then(|| job_refusal(staff.role, JobPermission::Review).to_owned()),
                stages,
                archive_reasons,
            })
        }
        .await,
    )
}
