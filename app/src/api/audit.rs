//! The audit log page's server function.

use leptos::prelude::*;

use crate::domain::audit::AuditPage;
use crate::error::AppError;

/// Lists the caller's organization's audit events newest first, 50 at a time. `action` is an
/// action's stored name (`portal_published`), `actor` a staff user id, and `before` the
/// previous page's `next_before`; blank values mean no filter. Only Admins and Super Admins may.
#[server(prefix = "/api", endpoint = "list_audit_events")]
pub async fn list_audit_events(
    action: Option<String>,
    actor: Option<String>,
    before: Option<String>,
) -> Result<AuditPage, AppError> {
    use crate::domain::audit::AuditAction;
    use crate::ssr::audit_log::list_events;
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ViewAuditLog)?;
            let state = app_state()?;

            let present = |value: Option<String>| value.filter(|value| !value.trim().is_empty());
            let action = match present(action) {
                Some(name) => Some(AuditAction::parse(name.trim()).ok_or_else(|| {
                    AppError::invalid(
                        "action",
                        format!("Unknown action \"{name}\". Choose one from the list."),
                    )
                })?),
                None => None,
            };
            let actor = present(actor);
            let before = present(before);

            list_events(
                &state.db,
                &staff.organization_id,
                action,
                actor.as_deref(),
                before.as_deref(),
            )
            .await
        }
        .await,
    )
}
