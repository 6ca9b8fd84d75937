//! Importing jobs from Lever postings: the list of postings no job uses yet, and the import
//! itself. Both take the CreateJobs permission, like creating a job by hand.

use leptos::prelude::*;

use crate::domain::postings::PostingImport;
use crate::error::AppError;

/// Lists the cached Lever postings of the caller's organization that no job uses yet.
#[server(prefix = "/api", endpoint = "list_importable_postings")]
pub async fn list_importable_postings() -> Result<PostingImport, AppError> {
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::posting_import::importable_postings;
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::CreateJobs)?;
            let state = app_state()?;
            importable_postings(&state.db, &staff.organization_id).await
        }
        .await,
    )
}

/// Creates a draft job from Lever posting `posting_id` and opens its portal editor. The job
/// keeps the posting's title, team and location in step; a Team Member who imports it owns it.
#[server(prefix = "/api", endpoint = "import_lever_posting")]
pub async fn import_lever_posting(posting_id: String) -> Result<String, AppError> {
    use crate::domain::audit::AuditAction;
    use crate::domain::staff::StaffRole;
    use crate::ssr::audit::{record, AuditObject};
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::job_create::insert_job;
    use crate::ssr::posting_import::job_from_posting;
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::CreateJobs)?;
            let state = app_state()?;

            // The posting is read before the transaction, so the transaction's first statement
            // is a write. On SQLite a transaction that reads first and writes later fails at
            // once ("database is locked") when another connection wrote in between.
            let job = {
                let mut connection = state.db.acquire().await?;
                job_from_posting(&mut connection, &staff.organization_id, &posting_id).await?
            };
            let mut transaction = state.db.begin().await?;
            let owner =
                (staff.role == StaffRole::TeamMember).then_some(staff.staff_user_id.as_str());
            let role_id = insert_job(&mut transaction, &staff.organization_id, &job, owner).await?;
            let object = AuditObject {
                kind: "role",
                id: Some(&role_id),
                label: &job.title,
            };
            record(&mut transaction, &staff, AuditAction::JobCreated, object, "from a Lever posting").await?;
            transaction.commit().await?;

            tracing::info!(role.id = %role_id, lever.posting_id = %posting_id, staff_user.id = %staff.staff_user_id,
                "job imported from a Lever posting");
            leptos_axum::redirect(&format!("/jobs/{role_id}/portal"));
            Ok(role_id)
        }
        .await,
    )
}
