//! The periodic sync with Lever, for every organization with a live connection. It refreshes
//! the cached stages, archive reasons, users and postings, which also notices a revocation in
//! Lever when nothing else calls Lever. It invites opportunities that entered an invite stage
//! since the last poll, and closes applications whose opportunity was archived or deleted. A
//! missed webhook therefore delays an invitation by one interval, not forever.
//!
//! Each poll continues from a high-water mark per list: the latest Lever timestamp it handled.
//! The filters' lower bounds are inclusive, so the boundary opportunity is seen twice, which
//! the idempotent invitation absorbs.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use app::ssr::clock::now_ms;
use app::ssr::state::AppState;
use lever::types::OpportunityFilter;

use super::close::{close_applications, CloseReason};
use super::invite::{invite, Invited};
use super::roles::{inviting_roles, InvitingRole};
use crate::lever_auth::LeverAuth;
use crate::lever_call::{call_lever, CallError};
use crate::lever_sync::{refresh_lists, SyncError};

/// Default time between two polls of one organization (5 minutes).
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(5 * 60);

/// The reason a poll stopped early.
#[derive(Debug, thiserror::Error)]
pub enum PollError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Lever(#[from] CallError),
    #[error("{0}")]
    Lists(#[from] SyncError),
}

impl PollError {
    /// Returns whether the poll waits for a reconnect rather than failed.
    fn is_paused(&self) -> bool {
        matches!(self, Self::Lever(error) | Self::Lists(SyncError::Call(error)) if error.is_paused())
    }
}

/// Counts of what one poll of one organization changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PollReport {
    pub invited: usize,
    pub closed: u64,
}

pub struct Poller {
    state: AppState,
    auth: Arc<LeverAuth>,
    interval: Duration,
}

impl Poller {
    pub fn new(state: AppState, auth: Arc<LeverAuth>, interval: Duration) -> Self {
        Self {
            state,
            auth,
            interval,
        }
    }

    pub async fn run(self) {
        tracing::info!(
            interval_secs = self.interval.as_secs(),
            "Lever poller started"
        );
        loop {
            if let Err(error) = self.run_once().await {
                tracing::error!(%error, "Lever poll pass failed");
            }
            tokio::time::sleep(self.interval.min(Duration::from_secs(5))).await;
        }
    }

    /// Polls every live organization whose last poll, by any process, is an interval old.
    pub async fn run_once(&self) -> Result<(), sqlx::Error> {
        let organizations: Vec<String> = sqlx::query_scalar(
            "SELECT organization_id FROM lever_connections WHERE status = 'live' ORDER BY organization_id",
        )
        .fetch_all(&self.state.db)
        .await?;

        for organization_id in organizations {
            if !self.claim_turn(&organization_id).await? {
                continue;
            }
            match self.poll_organization(&organization_id).await {
                Ok(report) => tracing::info!(organization.id = %organization_id,
                    invited = report.invited, closed = report.closed, "Lever poll finished"),
                Err(error) if error.is_paused() => {
                    tracing::warn!(organization.id = %organization_id, %error, "Lever poll paused until Lever is reconnected")
                }
                Err(error) => {
                    tracing::warn!(organization.id = %organization_id, %error, "Lever poll failed; the next one continues from the same marks")
                }
            }
        }
        Ok(())
    }

    /// Takes this interval's poll of the organization, unless another process took it. The
    /// first poll comes one interval after the connection is first seen: the connect itself
    /// has just loaded the lists.
    async fn claim_turn(&self, organization_id: &str) -> Result<bool, sqlx::Error> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO lever_poll_marks (organization_id, name, high_water, polled_at) VALUES ($1, 'cycle', 0, $2)
             ON CONFLICT (organization_id, name) DO NOTHING",
        )
        .bind(organization_id)
        .bind(now)
        .execute(&self.state.db)
        .await?;
        let claimed = sqlx::query(
            "UPDATE lever_poll_marks SET polled_at = $1
             WHERE organization_id = $2 AND name = 'cycle' AND polled_at <= $3",
        )
        .bind(now)
        .bind(organization_id)
        .bind(now - self.interval.as_millis() as i64)
        .execute(&self.state.db)
        .await?;
        Ok(claimed.rows_affected() == 1)
    }

    /// Polls one organization: its lists, its invite stages, and its closed opportunities.
    pub async fn poll_organization(&self, organization_id: &str) -> Result<PollReport, PollError> {
        let mut report = PollReport::default();

        refresh_lists(&self.state, &self.auth, organization_id).await?;

        let roles = inviting_roles(&self.state.db, organization_id).await?;
        let mut groups: BTreeMap<(String, Option<String>), Vec<InvitingRole>> = BTreeMap::new();
        for role in roles {
            groups
                .entry((role.invite_stage_id.clone(), role.lever_posting_id.clone()))
                .or_default()
                .push(role);
        }
        for ((stage_id, posting_id), roles) in groups {
            report.invited += self
                .poll_invite_stage(organization_id, &stage_id, posting_id.as_deref(), &roles)
                .await?;
        }

        if self.has_open_applications(organization_id).await? {
            report.closed += self.poll_archived(organization_id).await?;
            report.closed += self.poll_deleted(organization_id).await?;
        }
        Ok(report)
    }

    /// Invites every active opportunity that entered `stage_id` since the mark.
    async fn poll_invite_stage(
        &self,
        organization_id: &str,
        stage_id: &str,
        posting_id: Option<&str>,
        roles: &[InvitingRole],
    ) -> Result<usize, PollError> {
        let mark = format!("invite:{stage_id}:{}", posting_id.unwrap_or(""));
        let since = self.high_water(organization_id, &mark).await?;
        let filter = OpportunityFilter {
            stage_id: Some(stage_id.to_owned()),
            posting_id: posting_id.map(str::to_owned),
            archived: Some(false),
            advanced_at_start: Some(since),
            ..OpportunityFilter::default()
        };

        let opportunities =
            call_lever(&self.state, &self.auth, organization_id, |client, token| {
                let filter = filter.clone();
                async move { client.list_opportunities(&token, &filter).await }
            })
            .await?;

        let mut invited = 0;
        let mut latest = since;
        for opportunity in &opportunities {
            for role in roles {
                if let Invited::New { .. } =
                    invite(&self.state, organization_id, role, opportunity).await?
                {
                    invited += 1;
                }
            }
            latest = latest.max(opportunity.last_advanced_at.unwrap_or(since));
        }
        self.set_high_water(organization_id, &mark, latest).await?;
        Ok(invited)
    }

    /// Closes open applications whose opportunity was archived since the mark.
    async fn poll_archived(&self, organization_id: &str) -> Result<u64, PollError> {
        let since = self.high_water(organization_id, "archived").await?;
        let filter = OpportunityFilter {
            archived: Some(true),
            archived_at_start: Some(since),
            ..OpportunityFilter::default()
        };
        let opportunities =
            call_lever(&self.state, &self.auth, organization_id, |client, token| {
                let filter = filter.clone();
                async move { client.list_opportunities(&token, &filter).await }
            })
            .await?;

        let mut closed = 0;
        let mut latest = since;
        for opportunity in &opportunities {
            closed += close_applications(
                &self.state.db,
                organization_id,
                &opportunity.id,
                CloseReason::Archived,
            )
            .await?;
            let archived_at = opportunity
                .archived
                .as_ref()
                .and_then(|archived| archived.archived_at);
            latest = latest.max(archived_at.unwrap_or(since));
        }
        self.set_high_water(organization_id, "archived", latest)
            .await?;
        Ok(closed)
    }

    /// Closes open applications whose opportunity was deleted since the mark.
    async fn poll_deleted(&self, organization_id: &str) -> Result<u64, PollError> {
        let since = self.high_water(organization_id, "deleted").await?;
        let deleted =
            call_lever(
                &self.state,
                &self.auth,
                organization_id,
                |client, token| async move {
                    client.list_deleted_opportunities(&token, Some(since)).await
                },
            )
            .await?;

        let mut closed = 0;
        let mut latest = since;
        for deleted in &deleted {
            closed += close_applications(
                &self.state.db,
                organization_id,
                &deleted.opportunity.id,
                CloseReason::Deleted,
            )
            .await?;
            latest = latest.max(deleted.deleted_at.unwrap_or(since));
        }
        self.set_high_water(organization_id, "deleted", latest)
            .await?;
        Ok(closed)
    }

    async fn has_open_applications(&self, organization_id: &str) -> Result<bool, sqlx::Error> {
        let open: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM applications WHERE organization_id = $1 AND closed_at IS NULL
               AND lever_opportunity_id IS NOT NULL AND status IN ('invited', 'in_progress') LIMIT 1",
        )
        .bind(organization_id)
        .fetch_optional(&self.state.db)
        .await?;
        Ok(open.is_some())
    }

    /// Returns the mark's value. A list never polled starts at the time Lever was connected,
    /// so candidates who were in the stage before Tryout was connected are not invited.
    async fn high_water(&self, organization_id: &str, name: &str) -> Result<i64, sqlx::Error> {
        let mark: Option<i64> = sqlx::query_scalar(
            "SELECT high_water FROM lever_poll_marks WHERE organization_id = $1 AND name = $2",
        )
        .bind(organization_id)
        .bind(name)
        .fetch_optional(&self.state.db)
        .await?;
        if let Some(mark) = mark {
            return Ok(mark);
        }

        let connected_at: Option<i64> = sqlx::query_scalar(
            "SELECT connected_at FROM lever_connections WHERE organization_id = $1",
        )
        .bind(organization_id)
        .fetch_optional(&self.state.db)
        .await?;
        Ok(connected_at.unwrap_or_else(now_ms))
    }

    async fn set_high_water(
        &self,
        organization_id: &str,
        name: &str,
        high_water: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO lever_poll_marks (organization_id, name, high_water, polled_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (organization_id, name) DO UPDATE SET high_water = excluded.high_water, polled_at = excluded.polled_at",
        )
        .bind(organization_id)
        .bind(name)
        .bind(high_water)
        .bind(now_ms())
        .execute(&self.state.db)
        .await?;
        Ok(())
    }
}
