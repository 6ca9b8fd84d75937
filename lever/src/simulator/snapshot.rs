//! A copy of the simulator's state for tests and the demo, also served as
//! `GET /_sim/state`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::records::{SimOpportunity, StageChange};
use super::state::SimState;
use crate::types::ArchivedState;

/// The simulator's state at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimSnapshot {
    pub opportunities: Vec<OpportunitySnapshot>,
    /// Access tokens issued so far, by code exchanges and refreshes.
    pub tokens_issued: u64,
    pub refresh_tokens_issued: u64,
    pub codes_issued: u64,
    /// Access tokens that are unexpired and not revoked.
    pub live_access_tokens: usize,
    /// Whether the connection was revoked and not authorized again since.
    pub revoked: bool,
    /// Requests per endpoint, keyed like `PUT /v1/opportunities/:id/stage`.
    pub request_counts: BTreeMap<String, u64>,
    /// API requests the rate limit rejected with 429.
    #[serde(default)]
    pub rate_limited_responses: u64,
    /// Ids of deleted opportunities, which `opportunities` leaves out.
    #[serde(default)]
    pub deleted_opportunity_ids: Vec<String>,
    /// Webhook delivery attempts that got a 2xx response.
    #[serde(default)]
    pub webhook_attempts_delivered: u64,
    /// Webhook delivery attempts that got another status, timed out or
    /// failed to connect.
    #[serde(default)]
    pub webhook_attempts_failed: u64,
}

/// One opportunity's pipeline state and notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpportunitySnapshot {
    pub id: String,
    pub name: Option<String>,
    pub stage: Option<String>,
    pub archived: Option<ArchivedState>,
    pub stage_changes: Vec<StageChange>,
    /// Archive and unarchive writes applied, so a test can tell a repeated
    /// write from a single one (the archived state looks the same).
    #[serde(default)]
    pub archive_changes: usize,
    pub notes: Vec<NoteSnapshot>,
    pub updated_at: Option<i64>,
    pub last_advanced_at: Option<i64>,
}

/// One note thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteSnapshot {
    pub id: String,
    /// Values of all comments, one per line.
    pub value: String,
    /// Score of the latest comment.
    pub score: Option<u8>,
    pub secret: bool,
    /// Author's user id (`perform_as`).
    pub user: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    pub comments: usize,
}

impl SimSnapshot {
    pub(crate) fn of(state: &SimState) -> Self {
        Self {
            opportunities: state
                .opportunities
                .iter()
                .map(OpportunitySnapshot::of)
                .collect(),
            tokens_issued: state.tokens.access_tokens_issued,
            refresh_tokens_issued: state.tokens.refresh_tokens_issued,
            codes_issued: state.tokens.codes_issued,
            live_access_tokens: state.tokens.live_access_tokens(),
            revoked: state.tokens.revoked,
            request_counts: state.request_counts.clone(),
            rate_limited_responses: state.rate_limited_responses,
            deleted_opportunity_ids: state
                .deleted_opportunities
                .iter()
                .map(|deleted| deleted.record.opportunity.id.clone())
                .collect(),
            webhook_attempts_delivered: state.webhook_attempts_delivered,
            webhook_attempts_failed: state.webhook_attempts_failed,
        }
    }

    /// Finds the opportunity with `id`.
    pub fn opportunity(&self, id: &str) -> Option<&OpportunitySnapshot> {
        self.opportunities
            .iter()
            .find(|opportunity| opportunity.id == id)
    }

    /// Returns the requests seen for an endpoint key such as `GET /v1/opportunities`;
    /// 0 when none.
    pub fn request_count(&self, endpoint: &str) -> u64 {
        self.request_counts
            .get(endpoint)
            .copied()
            .unwrap_or_default()
    }
}

impl OpportunitySnapshot {
    pub(crate) fn of(record: &SimOpportunity) -> Self {
        let notes = record
            .notes
            .iter()
            .map(|note| NoteSnapshot {
                id: note.id.clone(),
                value: note.body(),
                score: note.comments.last().and_then(|comment| comment.score),
                secret: note.secret,
                user: note.user.clone(),
                created_at: note.created_at,
                comments: note.comments.len(),
            })
            .collect();

        Self {
            id: record.opportunity.id.clone(),
            name: record.opportunity.name.clone(),
            stage: record.opportunity.stage.clone(),
            archived: record.opportunity.archived.clone(),
            stage_changes: record.stage_changes.clone(),
            archive_changes: record.archive_changes,
            notes,
            updated_at: record.opportunity.updated_at,
            last_advanced_at: record.opportunity.last_advanced_at,
        }
    }
}
