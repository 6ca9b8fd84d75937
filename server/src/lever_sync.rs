//! Loading Lever's stages, archive reasons, users and postings into the database cache.
//! On connect, the lists, the tokens and the webhook's signing token are stored in one
//! transaction, so a failure leaves no half-made connection.

use std::time::Duration;

use app::domain::audit::AuditAction;
use app::ssr::audit::{record, AuditObject};
use app::ssr::authz::StaffContext;
use app::ssr::clock::now_ms;
use app::ssr::lever_store::{save_new_connection, LeverTokens};
use app::ssr::state::AppState;
use lever::client::{LeverClient, TokenSet};
use lever::types::{ArchiveReason, Posting, Stage, User};
use sqlx::{Any, Transaction};

use crate::lever_auth::LeverAuth;
use crate::lever_call::{call_lever, CallError};
use crate::webhooks::register::{create_webhook, store_webhook};

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("Lever request failed: {0}")]
    Lever(#[from] lever::error::LeverError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("storing the connection failed (logged above)")]
    Store,
    #[error("{0}")]
    Call(#[from] CallError),
}

/// Everything the cache holds, fetched before anything is written.
struct LeverLists {
    stages: Vec<Stage>,
    archive_reasons: Vec<ArchiveReason>,
    users: Vec<User>,
    postings: Vec<Posting>,
}

/// Fetches the lists at the organization's shared pace: one slot per list (a list of more
/// than one page spends a little more, which Lever's burst allowance absorbs).
async fn fetch_lists(
    state: &AppState,
    organization_id: &str,
    client: &LeverClient,
    access_token: &str,
) -> Result<LeverLists, SyncError> {
    let pace = || state.lever_pace.wait_turn(&state.db, organization_id);

    pace().await;
    let stages = client.list_stages(access_token).await?;
    pace().await;
    let archive_reasons = client.list_archive_reasons(access_token).await?;
    pace().await;
    let users = client.list_users(access_token).await?;
    pace().await;
    let postings = client.list_postings(access_token).await?;

    Ok(LeverLists {
        stages,
        archive_reasons,
        users,
        postings,
    })
}

/// Reloads the organization's cached lists with its stored connection, replacing them in one
/// transaction. The periodic poll calls it; a 401 refreshes the token once.
pub async fn refresh_lists(
    state: &AppState,
    auth: &LeverAuth,
    organization_id: &str,
) -> Result<(), SyncError> {
    let stages = call_lever(state, auth, organization_id, |client, token| async move {
        client.list_stages(&token).await
    })
    .await?;
    let archive_reasons = call_lever(state, auth, organization_id, |client, token| async move {
        client.list_archive_reasons(&token).await
    })
    .await?;
    let users = call_lever(state, auth, organization_id, |client, token| async move {
        client.list_users(&token).await
    })
    .await?;
    let postings = call_lever(state, auth, organization_id, |client, token| async move {
        client.list_postings(&token).await
    })
    .await?;
    let lists = LeverLists {
        stages,
        archive_reasons,
        users,
        postings,
    };

    let mut transaction = state.db.begin().await?;
    store_lists(&mut transaction, organization_id, &lists, now_ms()).await?;
    transaction.commit().await?;
    Ok(())
}

/// Stores a new connection: loads the lists with the fresh access token, then writes tokens
/// and lists together.
pub async fn connect(
    state: &AppState,
    client: &LeverClient,
    staff: &StaffContext,
    tokens: TokenSet,
) -> Result<(), SyncError> {
    let organization_id = &staff.organization_id;
    let lists = fetch_lists(state, organization_id, client, &tokens.access_token).await?;
    let webhook = match create_webhook(state, client, organization_id, &tokens.access_token).await {
        Ok(webhook) => Some(webhook),
        Err(error) => {
            tracing::warn!(organization.id = %organization_id, %error,
                "could not register the Lever webhook; candidates will be invited by polling");
            None
        }
    };
    let now = now_ms();
    let stored = LeverTokens {
        access_expires_at: tokens
            .expires_in
            .map(|lifetime: Duration| now + lifetime.as_millis() as i64),
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token,
    };

    let mut transaction = state.db.begin().await?;
    save_new_connection(
        &mut transaction,
        &state.secrets,
        organization_id,
        &staff.staff_user_id,
        &stored,
        tokens.scope.as_deref(),
    )
    .await
    .map_err(|_| SyncError::Store)?;
    store_lists(&mut transaction, organization_id, &lists, now).await?;
    match &webhook {
        Some(webhook) => {
            store_webhook(&mut transaction, &state.secrets, organization_id, webhook).await?
        }
        None => {
            sqlx::query("DELETE FROM lever_webhooks WHERE organization_id = $1")
                .bind(organization_id)
                .execute(&mut *transaction)
                .await?;
        }
    }
    let object = AuditObject {
        kind: "lever_connection",
        id: Some(organization_id),
        label: "Lever",
    };
    record(
        &mut transaction,
        staff,
        AuditAction::LeverConnected,
        object,
        "",
    )
    .await?;
    transaction.commit().await?;

    tracing::info!(
        organization.id = %organization_id,
        lever.stages = lists.stages.len(),
        lever.archive_reasons = lists.archive_reasons.len(),
        lever.users = lists.users.len(),
        lever.postings = lists.postings.len(),
        lever.webhook = webhook.is_some(),
        "Lever connected"
    );
    Ok(())
}

/// Replaces the organization's cached lists.
async fn store_lists(
    transaction: &mut Transaction<'_, Any>,
    organization_id: &str,
    lists: &LeverLists,
    now: i64,
) -> Result<(), sqlx::Error> {
    for table in [
        "lever_stages",
        "lever_archive_reasons",
        "lever_users",
        "lever_postings",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE organization_id = $1"))
            .bind(organization_id)
            .execute(&mut **transaction)
            .await?;
    }

    for (position, stage) in lists.stages.iter().enumerate() {
        sqlx::query("INSERT INTO lever_stages (organization_id, id, text, position, refreshed_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(organization_id)
            .bind(&stage.id)
            .bind(&stage.text)
            .bind(position as i64)
            .bind(now)
            .execute(&mut **transaction)
            .await?;
    }
    for reason in &lists.archive_reasons {
        sqlx::query(
            "INSERT INTO lever_archive_reasons (organization_id, id, text, status, reason_type, refreshed_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(organization_id)
        .bind(&reason.id)
        .bind(&reason.text)
        .bind(&reason.status)
        .bind(&reason.r#type)
        .bind(now)
        .execute(&mut **transaction)
        .await?;
    }
    for user in &lists.users {
        sqlx::query(
            "INSERT INTO lever_users (organization_id, id, name, email, access_role, deactivated, refreshed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(organization_id)
        .bind(&user.id)
        .bind(&user.name)
        .bind(&user.email)
        .bind(&user.access_role)
        .bind(i64::from(user.deactivated_at.is_some()))
        .bind(now)
        .execute(&mut **transaction)
        .await?;
    }
    for posting in &lists.postings {
        let categories = posting.categories.as_ref();
        sqlx::query(
            "INSERT INTO lever_postings (organization_id, id, text, state, team, location, description, refreshed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(organization_id)
        .bind(&posting.id)
        .bind(&posting.text)
        .bind(&posting.state)
        .bind(categories.and_then(|categories| categories.team.clone()))
        .bind(categories.and_then(|categories| categories.location.clone()))
        .bind(posting.content.as_ref().and_then(|content| content.description.clone()))
        .bind(now)
        .execute(&mut **transaction)
        .await?;
    }

    keep_roles_in_step(transaction, organization_id, now).await
}

/// Copies each linked posting's title, team and location onto its job, so a posting renamed
/// or moved in Lever is renamed or moved in Tryout at the next refresh. A posting missing
/// from the list (deleted in Lever) leaves its job as it was.
async fn keep_roles_in_step(
    transaction: &mut Transaction<'_, Any>,
    organization_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE roles SET
             title = (SELECT p.text FROM lever_postings p
                      WHERE p.organization_id = roles.organization_id AND p.id = roles.lever_posting_id),
             team = (SELECT p.team FROM lever_postings p
                     WHERE p.organization_id = roles.organization_id AND p.id = roles.lever_posting_id),
             location = (SELECT p.location FROM lever_postings p
                         WHERE p.organization_id = roles.organization_id AND p.id = roles.lever_posting_id),
             updated_at = $2
         WHERE organization_id = $1
           AND EXISTS (SELECT 1 FROM lever_postings p
                       WHERE p.organization_id = roles.organization_id AND p.id = roles.lever_posting_id
                         AND (p.text <> roles.title
                              OR COALESCE(p.team, '') <> COALESCE(roles.team, '')
                              OR COALESCE(p.location, '') <> COALESCE(roles.location, '')))",
    )
    .bind(organization_id)
    .bind(now)
    .execute(&mut **transaction)
    .await?;

    if changed.rows_affected() > 0 {
        tracing::info!(organization.id = %organization_id, roles = changed.rows_affected(),
            "jobs updated from their Lever postings");
    }
    Ok(())
}
