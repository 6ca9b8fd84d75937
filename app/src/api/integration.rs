//! The Integration page's server functions (the organization's writes to Lever, retry and
//! discard), disconnecting Lever, and the disconnected-Lever banner of every staff page.

use leptos::prelude::*;

use crate::domain::integration::{IntegrationOverview, LeverBanner, WriteFilter, WritePage};
use crate::error::AppError;

/// Loads the Lever connection and the counts of writes for the top of the Integration page.
#[server(prefix = "/api", endpoint = "load_integration")]
pub async fn load_integration() -> Result<IntegrationOverview, AppError> {
    use crate::domain::staff::ConnectionStatus;
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::lever_store::{find_connection, super_admin_names};
    use crate::ssr::outbox_admin::{count_writes, format_utc};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ManageIntegration)?;
            let state = app_state()?;

            let connection = find_connection(&state.db, &staff.organization_id).await?;
            let counts = count_writes(&state.db, &staff.organization_id).await?;
            let super_admins = super_admin_names(&state.db, &staff.organization_id).await?;
            let connected_by = match connection.as_ref().and_then(|row| row.connected_by.clone()) {
                Some(id) => {
                    sqlx::query_scalar(
                        "SELECT name FROM staff_users WHERE id = $1 AND organization_id = $2",
                    )
                    .bind(id)
                    .bind(&staff.organization_id)
                    .fetch_optional(&state.db)
                    .await?
                }
                None => None,
            };

            let status = connection
                .as_ref()
                .map_or(ConnectionStatus::NotConnected, |row| row.status());
            Ok(IntegrationOverview {
                status,
                connected_by,
                connected_text: connection.as_ref().map(|row| format_utc(row.connected_at)),
                revoked_text: connection
                    .as_ref()
                    .filter(|_| status == ConnectionStatus::Revoked)
                    .map(|row| format_utc(row.updated_at)),
                last_error: connection.and_then(|row| row.last_error),
                counts,
                can_manage_connection: staff.role.allows(Permission::ManageLeverConnection),
                super_admins,
            })
        }
        .await,
    )
}

/// Lists the organization's writes to Lever, newest first, one page at a time. `before` is
/// the previous page's `next_before`, and `status` limits the list to one status.
#[server(prefix = "/api", endpoint = "list_lever_writes")]
pub async fn list_lever_writes(
    status: Option<WriteFilter>,
    before: Option<String>,
) -> Result<WritePage, AppError> {
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::outbox_admin::list_writes;
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ManageIntegration)?;
            let state = app_state()?;

            let before = before.filter(|cursor| !cursor.is_empty());
            list_writes(
                &state.db,
                &staff.organization_id,
                status.unwrap_or_default(),
                before.as_deref(),
            )
            .await
        }
        .await,
    )
}

/// Sets a failed write back to pending, due now, and wakes the outbox worker. A write that
/// is not failed gets 409.
#[server(prefix = "/api", endpoint = "retry_lever_write")]
pub async fn retry_lever_write(write_id: String) -> Result<(), AppError> {
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::outbox_admin::retry_failed_write;
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ManageIntegration)?;
            let state = app_state()?;

            retry_failed_write(&state.db, &staff.organization_id, &write_id).await?;
            state.outbox_wakeup.notify_one();
            tracing::info!(outbox.id = %write_id, staff_user.id = %staff.staff_user_id, "failed write to Lever set to retry");
            Ok(())
        }
        .await,
    )
}

/// Marks a failed write discarded: it is kept, never sent, and no longer blocks the later
/// writes of its opportunity. A write that is not failed gets 409.
#[server(prefix = "/api", endpoint = "discard_lever_write")]
pub async fn discard_lever_write(write_id: String) -> Result<(), AppError> {
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::outbox_admin::discard_failed_write;
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ManageIntegration)?;
            let state = app_state()?;

            discard_failed_write(&state.db, &staff.organization_id, &write_id, &staff.staff_user_id).await?;
            // Later writes of the same opportunity may be due now.
            state.outbox_wakeup.notify_one();
            tracing::info!(outbox.id = %write_id, staff_user.id = %staff.staff_user_id, "failed write to Lever discarded");
            Ok(())
        }
        .await,
    )
}

/// Disconnects Lever: deletes the stored tokens and pauses the outbox until a Super Admin
/// reconnects. Only a Super Admin may call it.
#[server(prefix = "/api", endpoint = "disconnect_lever")]
pub async fn disconnect_lever() -> Result<(), AppError> {
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ManageLeverConnection)?;
            let state = app_state()?;

            crate::ssr::lever_disconnect::disconnect_lever(&state, &staff).await
        }
        .await,
    )
}

/// Loads what the banner on every staff page shows about a disconnected Lever.
#[server(prefix = "/api", endpoint = "load_lever_banner")]
pub async fn load_lever_banner() -> Result<LeverBanner, AppError> {
    use crate::domain::staff::ConnectionStatus;
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::lever_store::{find_connection, super_admin_names};
    use crate::ssr::outbox_admin::count_waiting_writes;
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ViewJobs)?;
            let state = app_state()?;

            let connection = find_connection(&state.db, &staff.organization_id).await?;
            let disconnected =
                connection.is_some_and(|row| row.status() == ConnectionStatus::Revoked);
            if !disconnected {
                return Ok(LeverBanner {
                    disconnected,
                    super_admins: Vec::new(),
                    waiting_writes: 0,
                    can_reconnect: false,
                });
            }

            Ok(LeverBanner {
                disconnected,
                super_admins: super_admin_names(&state.db, &staff.organization_id).await?,
                waiting_writes: count_waiting_writes(&state.db, &staff.organization_id).await?,
                can_reconnect: staff.role.allows(Permission::ManageLeverConnection),
            })
        }
        .await,
    )
}
