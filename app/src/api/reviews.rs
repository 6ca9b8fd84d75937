//! Reviewing a candidate: the review sheet, submitting one's review, and the role's rubric.
//! A job's owners and reviewers (and Admins) review, and its owners (and Admins) change the
//! rubric. Everyone who may open a job may read its rubric.

use leptos::prelude::*;
#[allow(
    unused_imports,
    reason = "named by `input = Json` in the server macros"
)]
use leptos::server_fn::codec::Json;

use crate::domain::reviews::{Criterion, ReviewInput, ReviewSheet, Rubric};
use crate::error::AppError;

/// Loads application `application_id` for review: its answers, the rubric, the viewer's own
/// review, and the others' reviews once the viewer has submitted theirs.
#[server(prefix = "/api", endpoint = "load_review")]
pub async fn load_review(application_id: String) -> Result<ReviewSheet, AppError> {
    use crate::ssr::authz::{require_staff, JobPermission};
    use crate::ssr::reviews::{answers, reviews, rubric};
    use crate::ssr::state::app_state;

    #[derive(sqlx::FromRow)]
    struct Row {
        role_id: String,
        name: String,
        email: String,
        status: String,
        score_points: Option<i64>,
        max_points: Option<i64>,
        knockout_failed: Option<i64>,
    }

    super::with_status(
        async {
            let staff = require_staff().await?;
            let state = app_state()?;
            let organization_id = &staff.organization_id;

            let row: Row = sqlx::query_as(
                "SELECT a.role_id, c.name, c.email, a.status,
                        CAST((SELECT SUM(p.score_points) FROM step_progress p WHERE p.application_id = a.id) AS BIGINT) AS score_points,
                        CAST((SELECT SUM(p.max_points) FROM step_progress p WHERE p.application_id = a.id) AS BIGINT) AS max_points,
                        (SELECT MAX(p.knockout_failed) FROM step_progress p WHERE p.application_id = a.id) AS knockout_failed
                 FROM applications a JOIN candidates c ON c.id = a.candidate_id AND c.organization_id = a.organization_id
                 WHERE a.id = $1 AND a.organization_id = $2",
            )
            .bind(&application_id)
            .bind(organization_id)
            .fetch_optional(&state.db)
            .await?
            .ok_or_else(|| AppError::NotFound("No such candidate in your organization.".into()))?;
            let job = staff.require_job(&state.db, &row.role_id, JobPermission::Review).await?;

            let all = reviews(&state.db, organization_id, &application_id, &staff.staff_user_id).await?;
            let (mine, others): (Vec<_>, Vec<_>) = all.into_iter().partition(|review| review.is_mine);
            let mine = mine.into_iter().next();
            // Until the viewer's own review is in, the others are only counted.
            let (others, others_hidden) = if mine.is_some() {
                (others, 0)
            } else {
                (Vec::new(), others.len() as i64)
            };

            Ok(ReviewSheet {
                role_title: job.title,
                answers: answers(&state.db, organization_id, &application_id).await?,
                criteria: rubric(&state.db, organization_id, &row.role_id).await?,
                role_id: row.role_id,
                application_id,
                candidate_name: row.name,
                candidate_email: row.email,
                status: row.status,
                score_percent: crate::domain::staff::score_percent(row.score_points, row.max_points),
                knockout_failed: row.knockout_failed == Some(1),
                mine,
                others,
                others_hidden,
            })
        }
        .await,
    )
}

/// Submits the caller's review of an application, scored against the role's current rubric.
/// A review is final: a second one from the same person is turned down with 409.
#[server(prefix = "/api", endpoint = "submit_review", input = Json)]
pub async fn submit_review(review: ReviewInput) -> Result<(), AppError> {
    use crate::domain::reviews::check_review;
    use crate::ssr::authz::{require_staff, JobPermission};
    use crate::ssr::reviews::{rubric, store_review, Reviewer};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            let state = app_state()?;
            let organization_id = &staff.organization_id;

            let role_id: String = sqlx::query_scalar(
                "SELECT role_id FROM applications WHERE id = $1 AND organization_id = $2",
            )
            .bind(&review.application_id)
            .bind(organization_id)
            .fetch_optional(&state.db)
            .await?
            .ok_or_else(|| AppError::NotFound("No such candidate in your organization.".into()))?;
            staff.require_job(&state.db, &role_id, JobPermission::Review).await?;

            let criteria = rubric(&state.db, organization_id, &role_id).await?;
            check_review(&review, criteria.len())?;
            let reviewer = Reviewer {
                organization_id,
                staff_user_id: &staff.staff_user_id,
                name: &staff.name,
            };
            store_review(&state.db, &reviewer, &review, &criteria).await?;
            tracing::info!(application.id = %review.application_id, staff_user.id = %staff.staff_user_id, "review submitted");
            Ok(())
        }
        .await,
    )
}

/// Loads job `role_id`'s rubric, with whether the caller may change it.
#[server(prefix = "/api", endpoint = "load_rubric")]
pub async fn load_rubric(role_id: String) -> Result<Rubric, AppError> {
    use crate::ssr::authz::{job_refusal, require_staff, JobPermission};
    use crate::ssr::reviews::rubric;
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            let state = app_state()?;
            let job = staff
                .require_job(&state.db, &role_id, JobPermission::View)
                .await?;
            let can_edit = staff
                .role
                .allows_on_job(JobPermission::Edit, job.membership);

            Ok(Rubric {
                criteria: rubric(&state.db, &staff.organization_id, &role_id).await?,
                edit_refusal: (!can_edit)
                    .then(|| job_refusal(staff.role, JobPermission::Edit).to_owned()),
            })
        }
        .await,
    )
}

/// Replaces job `role_id`'s rubric. Reviews already submitted keep the criteria they scored.
#[server(prefix = "/api", endpoint = "save_rubric", input = Json)]
pub async fn save_rubric(role_id: String, criteria: Vec<Criterion>) -> Result<(), AppError> {
    use crate::domain::reviews::checked_rubric;
    use crate::ssr::authz::{require_staff, JobPermission};
    use crate::ssr::reviews::replace_rubric;
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            let state = app_state()?;
            staff.require_job(&state.db, &role_id, JobPermission::Edit).await?;

            let criteria = checked_rubric(criteria)?;
            replace_rubric(&state.db, &staff.organization_id, &role_id, &criteria).await?;
            tracing::info!(role.id = %role_id, staff_user.id = %staff.staff_user_id, criteria = criteria.len(), "rubric saved");
            Ok(())
        }
        .await,
    )
}
