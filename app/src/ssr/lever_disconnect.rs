//! Disconnecting Lever from inside Tryout, as a Super Admin does on the Jobs or Integration
//! page. Revoking Tryout in Lever ends in the same state, reached by the token refresh.

use super::audit::{record, AuditObject};
use super::authz::StaffContext;
use super::lever_store::{disconnect_connection, find_connection};
use super::state::AppState;
use crate::domain::audit::AuditAction;
use crate::error::AppError;

/// Disconnects the organization's Lever: deletes the stored tokens and marks the connection
/// revoked with a reason naming `staff`. The outbox keeps every row and sends nothing until
/// a Super Admin reconnects through the OAuth flow. The caller has checked the permission.
pub async fn disconnect_lever(state: &AppState, staff: &StaffContext) -> Result<(), AppError> {
    delete_webhooks(state, &staff.organization_id).await?;

    let reason = format!("Disconnected in Tryout by {}", staff.name);
    let mut transaction = state.db.begin().await?;
    let disconnected =
        disconnect_connection(&mut transaction, &staff.organization_id, &reason).await?;
    if !disconnected {
        return Err(AppError::Conflict(
            "Lever is not connected, so there is nothing to disconnect.".into(),
        ));
    }
    let object = AuditObject {
        kind: "lever_connection",
        id: Some(&staff.organization_id),
        label: "Lever",
    };
    record(
        &mut transaction,
        staff,
        AuditAction::LeverDisconnected,
        object,
        "",
    )
    .await?;
    transaction.commit().await?;

    tracing::info!(
        organization.id = %staff.organization_id,
        staff_user.id = %staff.staff_user_id,
        "Lever disconnected in Tryout; tokens deleted, outbox paused"
    );
    Ok(())
}

/// Deletes Tryout's webhooks in Lever, then their rows. It runs before the tokens are deleted,
/// because deleting a webhook needs the access token. Failing to delete one in Lever does
/// not stop the disconnect: without its row, Tryout rejects the webhook's deliveries (404),
/// and a reconnect deletes it through the API.
async fn delete_webhooks(state: &AppState, organization_id: &str) -> Result<(), AppError> {
    let webhook_ids: Vec<String> = sqlx::query_scalar(
        "SELECT lever_webhook_id FROM lever_webhooks WHERE organization_id = $1",
    )
    .bind(organization_id)
    .fetch_all(&state.db)
    .await?;
    let tokens = match find_connection(&state.db, organization_id).await? {
        Some(row) => row.tokens(&state.secrets)?,
        None => None,
    };

    if let (Some(client), Some(tokens)) = (&state.lever, tokens) {
        for webhook_id in &webhook_ids {
            state.lever_pace.wait_turn(&state.db, organization_id).await;
            if let Err(error) = client
                .delete_webhook(&tokens.access_token, webhook_id)
                .await
            {
                tracing::warn!(organization.id = %organization_id, lever.webhook_id = %webhook_id, %error,
                    "could not delete Tryout's webhook in Lever while disconnecting");
            }
        }
    }

    sqlx::query("DELETE FROM lever_webhooks WHERE organization_id = $1")
        .bind(organization_id)
        .execute(&state.db)
        .await?;
    Ok(())
}
