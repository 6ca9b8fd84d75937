//! Disconnecting Lever from inside Tryout, as a Super Admin does on the Jobs or Integration
//! page. Revoking Tryout in Lever ends in the same state, reached by the token refresh.

use super::authz::StaffContext;
use super::lever_store::disconnect_connection;
use super::state::AppState;
use crate::error::AppError;

/// Disconnects the organization's Lever: deletes the stored tokens and marks the connection
/// revoked with a reason naming `staff`. The outbox keeps every row and sends nothing until
/// a Super Admin reconnects through the OAuth flow. The caller has checked the permission.
pub async fn disconnect_lever(state: &AppState, staff: &StaffContext) -> Result<(), AppError> {
    // NOTE: once Tryout registers Lever webhooks, delete them here, before the tokens are
    // deleted, because deleting a webhook needs the access token.
    let reason = format!("Disconnected in Tryout by {}", staff.name);
    let disconnected = disconnect_connection(&state.db, &staff.organization_id, &reason).await?;
    if !disconnected {
        return Err(AppError::Conflict(
            "Lever is not connected, so there is nothing to disconnect.".into(),
        ));
    }

    tracing::info!(
        organization.id = %staff.organization_id,
        staff_user.id = %staff.staff_user_id,
        "Lever disconnected in Tryout; tokens deleted, outbox paused"
    );
    Ok(())
}
