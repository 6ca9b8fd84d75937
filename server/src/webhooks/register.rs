//! Registering Tryout's webhook through Lever's API when a Super Admin connects. Lever returns
//! the signing token only on creation, so a reconnect deletes the webhooks made before and
//! creates a new one. Registering is best effort: without a webhook, the poll still invites
//! candidates, one interval later.

use app::ssr::clock::now_ms;
use app::ssr::crypto::SecretBox;
use app::ssr::state::AppState;
use lever::client::LeverClient;
use lever::error::LeverError;
use lever::types::CreatedWebhook;
use sqlx::{Any, Transaction};

use super::{webhook_path, STAGE_CHANGE_EVENT};

/// Deletes the organization's earlier webhooks in Lever and creates the stage-change one.
/// Returns the new webhook, or the reason it could not be made.
pub async fn create_webhook(
    state: &AppState,
    client: &LeverClient,
    organization_id: &str,
    access_token: &str,
) -> Result<CreatedWebhook, LeverError> {
    let url = state
        .public_url
        .join(&webhook_path(organization_id))
        .map_err(|error| LeverError::Config(format!("building the webhook URL: {error}")))?;

    // Earlier webhooks: the ones stored here, and any in Lever aimed at this organization's
    // endpoint (a disconnect that could not delete its webhook leaves one behind).
    let mut earlier: Vec<String> = sqlx::query_scalar(
        "SELECT lever_webhook_id FROM lever_webhooks WHERE organization_id = $1",
    )
    .bind(organization_id)
    .fetch_all(&state.db)
    .await
    .unwrap_or_default();
    state.lever_pace.wait_turn(&state.db, organization_id).await;
    match client.list_webhooks(access_token).await {
        Ok(listed) => earlier.extend(
            listed
                .into_iter()
                .filter(|webhook| webhook.url == url.as_str())
                .map(|webhook| webhook.id),
        ),
        Err(error) => {
            tracing::warn!(organization.id = %organization_id, %error, "could not list Lever webhooks")
        }
    }
    earlier.sort();
    earlier.dedup();

    for webhook_id in earlier {
        state.lever_pace.wait_turn(&state.db, organization_id).await;
        // Deliveries signed with the old token would be rejected anyway; a webhook that is
        // gone already (404) is what this wants.
        if let Err(error) = client.delete_webhook(access_token, &webhook_id).await {
            tracing::warn!(organization.id = %organization_id, lever.webhook_id = %webhook_id, %error,
                "could not delete an earlier Lever webhook");
        }
    }

    state.lever_pace.wait_turn(&state.db, organization_id).await;
    client
        .create_webhook(access_token, url.as_str(), STAGE_CHANGE_EVENT)
        .await
}

/// Stores the webhook with its sealed signing token, replacing any earlier one.
pub async fn store_webhook(
    transaction: &mut Transaction<'_, Any>,
    secrets: &SecretBox,
    organization_id: &str,
    webhook: &CreatedWebhook,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM lever_webhooks WHERE organization_id = $1")
        .bind(organization_id)
        .execute(&mut **transaction)
        .await?;
    sqlx::query(
        "INSERT INTO lever_webhooks (organization_id, event, lever_webhook_id, signature_token_enc, url, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(organization_id)
    .bind(&webhook.event)
    .bind(&webhook.id)
    .bind(secrets.seal(&webhook.signature_token, &signing_context(organization_id)))
    .bind(&webhook.url)
    .bind(now_ms())
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// Associated data the signing token is sealed with, so a sealed token cannot be moved to
/// another organization's row or mistaken for an access token.
pub fn signing_context(organization_id: &str) -> String {
    format!("lever-webhook:{organization_id}")
}
