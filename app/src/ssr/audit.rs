//! The audit log: who did what, to what, and when. A caller writes the event in the same
//! transaction as the change it records, so the log contains an entry if and only if the change
//! happened.

use sqlx::AnyConnection;

use super::authz::StaffContext;
use super::clock::{new_id, now_ms};
use crate::domain::audit::AuditAction;

/// The thing an action was done to, named as it was at the time.
#[derive(Debug, Clone)]
pub struct AuditObject<'a> {
    /// `lever_connection`, `staff_user`, `role` or `application`.
    pub kind: &'static str,
    pub id: Option<&'a str>,
    /// A label a person recognises: a job title, a staff member's name, a candidate's name.
    pub label: &'a str,
}

/// Records `action` by `actor` on `object`. `detail` adds what changed, such as "Team Member to
/// Admin"; it must hold no secret (it is shown to every Admin).
pub async fn record(
    connection: &mut AnyConnection,
    actor: &StaffContext,
    action: AuditAction,
    object: AuditObject<'_>,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_events (id, organization_id, actor_staff_user_id, actor_name, action,
                                   object_type, object_id, object_label, detail, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(new_id())
    .bind(&actor.organization_id)
    .bind(&actor.staff_user_id)
    .bind(&actor.name)
    .bind(action.as_str())
    .bind(object.kind)
    .bind(object.id)
    .bind(object.label)
    .bind(detail)
    .bind(now_ms())
    .execute(&mut *connection)
    .await?;

    tracing::info!(staff_user.id = %actor.staff_user_id, audit.action = action.as_str(), object.id = ?object.id, "audit event recorded");
    Ok(())
}
