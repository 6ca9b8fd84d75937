//! Loading Lever's stages, archive reasons, users and postings into the database cache.
//! On connect, the lists and the tokens are stored in one transaction, so a failure leaves
//! no half-made connection.

use std::time::Duration;

use app::ssr::authz::StaffContext;
use app::ssr::clock::now_ms;
use app::ssr::lever_store::{save_new_connection, LeverTokens};
use app::ssr::state::AppState;
use lever::client::{LeverClient, TokenSet};
use lever::types::{ArchiveReason, Posting, Stage, User};
use sqlx::{Any, Transaction};

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("Lever request failed: {0}")]
    Lever(#[from] lever::error::LeverError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("storing the connection failed (logged above)")]
    Store,
}

/// Everything the cache holds, fetched before anything is written.
struct LeverLists {
    stages: Vec<Stage>,
    archive_reasons: Vec<ArchiveReason>,
    users: Vec<User>,
    postings: Vec<Posting>,
}

async fn fetch_lists(client: &LeverClient, access_token: &str) -> Result<LeverLists, SyncError> {
    Ok(LeverLists {
        stages: client.list_stages(access_token).await?,
        archive_reasons: client.list_archive_reasons(access_token).await?,
        users: client.list_users(access_token).await?,
        postings: client.list_postings(access_token).await?,
    })
}

/// Stores a new connection: loads the lists with the fresh access token, then writes tokens
/// and lists together.
pub async fn connect(
    state: &AppState,
    client: &LeverClient,
    staff: &StaffContext,
    tokens: TokenSet,
) -> Result<(), SyncError> {
    let lists = fetch_lists(client, &tokens.access_token).await?;
    let organization_id = &staff.organization_id;
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
    transaction.commit().await?;

    tracing::info!(
        organization.id = %organization_id,
        lever.stages = lists.stages.len(),
        lever.archive_reasons = lists.archive_reasons.len(),
        lever.users = lists.users.len(),
        lever.postings = lists.postings.len(),
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
            "INSERT INTO lever_postings (organization_id, id, text, state, team, location, refreshed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(organization_id)
        .bind(&posting.id)
        .bind(&posting.text)
        .bind(&posting.state)
        .bind(categories.and_then(|categories| categories.team.clone()))
        .bind(categories.and_then(|categories| categories.location.clone()))
        .bind(now)
        .execute(&mut **transaction)
        .await?;
    }
    Ok(())
}
