//! Handling a queued delivery. Lever promises neither order nor single delivery, so each
//! handler reads the opportunity's current state from Lever and acts on that, not on the
//! event's fields alone. A candidate who already moved past the invite stage is not invited.

use app::ssr::state::AppState;
use lever::error::LeverError;
use lever::types::{Opportunity, OpportunityFilter};

use crate::invites::close::{close_applications, CloseReason};
use crate::invites::invite::invite;
use crate::invites::roles::{roles_for_stage, InvitingRole};
use crate::lever_auth::LeverAuth;
use crate::lever_call::{call_lever, CallError};

/// A queued delivery, as the worker claimed it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueuedEvent {
    pub id: String,
    pub organization_id: String,
    pub event: String,
    pub opportunity_id: Option<String>,
    pub to_stage_id: Option<String>,
    /// Tries so far, counting the one in progress.
    pub attempts: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum HandleError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Lever(#[from] CallError),
}

/// Handles one delivery; `Ok` means it needs nothing more.
pub async fn handle(
    state: &AppState,
    auth: &LeverAuth,
    event: &QueuedEvent,
) -> Result<(), HandleError> {
    let organization_id = event.organization_id.as_str();
    let Some(opportunity_id) = event.opportunity_id.as_deref() else {
        // Lever's settings page sends a test delivery with empty data.
        tracing::info!(webhook.event_id = %event.id, webhook.event = %event.event, "Lever webhook delivery without an opportunity; nothing to do");
        return Ok(());
    };

    match event.event.as_str() {
        "candidateStageChange" => {
            let Some(to_stage_id) = event.to_stage_id.as_deref() else {
                return Ok(());
            };
            stage_changed(state, auth, organization_id, opportunity_id, to_stage_id).await
        }
        "candidateArchiveChange" => {
            match fetch_opportunity(state, auth, organization_id, opportunity_id).await? {
                Some(opportunity) if opportunity.archived.is_some() => {
                    close_applications(
                        &state.db,
                        organization_id,
                        opportunity_id,
                        CloseReason::Archived,
                    )
                    .await?;
                }
                Some(_) => {}
                None => {
                    close_applications(
                        &state.db,
                        organization_id,
                        opportunity_id,
                        CloseReason::Deleted,
                    )
                    .await?;
                }
            }
            Ok(())
        }
        "candidateDeleted" => {
            close_applications(
                &state.db,
                organization_id,
                opportunity_id,
                CloseReason::Deleted,
            )
            .await?;
            Ok(())
        }
        other => {
            tracing::info!(webhook.event_id = %event.id, webhook.event = %other, "Lever webhook event Tryout does not act on");
            Ok(())
        }
    }
}

/// Invites the opportunity to every role whose invite stage it is in now.
async fn stage_changed(
    state: &AppState,
    auth: &LeverAuth,
    organization_id: &str,
    opportunity_id: &str,
    to_stage_id: &str,
) -> Result<(), HandleError> {
    let roles = roles_for_stage(&state.db, organization_id, to_stage_id).await?;
    if roles.is_empty() {
        return Ok(());
    }

    let Some(opportunity) = fetch_opportunity(state, auth, organization_id, opportunity_id).await?
    else {
        return Ok(());
    };
    if opportunity.archived.is_some() || opportunity.stage.as_deref() != Some(to_stage_id) {
        tracing::info!(organization.id = %organization_id, lever.opportunity_id = %opportunity_id,
            "opportunity left the invite stage before its delivery was handled; not invited");
        return Ok(());
    }

    for role in &roles {
        if applied_to_posting(state, auth, organization_id, role, &opportunity).await? {
            invite(state, organization_id, role, &opportunity).await?;
        }
    }
    Ok(())
}

/// Returns whether the opportunity applied to the role's posting. A role with no posting
/// takes every opportunity in its invite stage. Lever's opportunity lists its applications
/// only by id, so the check lists the opportunities on that posting with the same email.
async fn applied_to_posting(
    state: &AppState,
    auth: &LeverAuth,
    organization_id: &str,
    role: &InvitingRole,
    opportunity: &Opportunity,
) -> Result<bool, HandleError> {
    let Some(posting_id) = role.lever_posting_id.clone() else {
        return Ok(true);
    };
    let filter = OpportunityFilter {
        stage_id: Some(role.invite_stage_id.clone()),
        posting_id: Some(posting_id),
        archived: Some(false),
        email: opportunity.emails.first().cloned(),
        ..OpportunityFilter::default()
    };

    let matches = call_lever(state, auth, organization_id, |client, token| {
        let filter = filter.clone();
        async move { client.list_opportunities(&token, &filter).await }
    })
    .await?;
    Ok(matches.iter().any(|found| found.id == opportunity.id))
}

/// Fetches the opportunity as Lever has it now, or `None` when Lever no longer has it.
async fn fetch_opportunity(
    state: &AppState,
    auth: &LeverAuth,
    organization_id: &str,
    opportunity_id: &str,
) -> Result<Option<Opportunity>, HandleError> {
    let id = opportunity_id.to_owned();
    let fetched = call_lever(state, auth, organization_id, |client, token| {
        let id = id.clone();
        async move { client.get_opportunity(&token, &id).await }
    })
    .await;

    match fetched {
        Ok(opportunity) => Ok(Some(opportunity)),
        Err(CallError::Lever(LeverError::NotFound { .. })) => Ok(None),
        Err(error) => Err(error.into()),
    }
}
