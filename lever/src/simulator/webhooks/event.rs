//! The webhook events that opportunity changes trigger, with `data` built
//! from the same types a receiver parses.

use serde::Serialize;
use serde_json::Value;

use crate::types::{
    ArchiveChangeData, DeletedData, Opportunity, StageChangeData, CANDIDATE_ARCHIVE_CHANGE,
    CANDIDATE_DELETED, CANDIDATE_STAGE_CHANGE,
};

/// An event to deliver to every webhook that subscribes to it.
#[derive(Clone, Debug)]
pub(crate) struct WebhookEvent {
    /// One of Lever's event names.
    pub event: &'static str,
    /// Milliseconds since the Unix epoch; the body's `triggeredAt`.
    pub triggered_at: i64,
    pub data: Value,
}

impl WebhookEvent {
    /// `candidateStageChange` for an opportunity now in `to_stage_id`.
    pub fn stage_change(
        opportunity: &Opportunity,
        from_stage_id: Option<String>,
        to_stage_id: &str,
        triggered_at: i64,
    ) -> Self {
        let data = StageChangeData {
            opportunity_id: opportunity.id.clone(),
            candidate_id: Some(opportunity.id.clone()),
            contact_id: opportunity.contact.clone(),
            to_stage_id: to_stage_id.to_string(),
            from_stage_id,
        };

        Self::new(CANDIDATE_STAGE_CHANGE, triggered_at, &data)
    }

    /// `candidateArchiveChange` with the opportunity's archived state after
    /// the change.
    pub fn archive_change(opportunity: &Opportunity, triggered_at: i64) -> Self {
        let data = ArchiveChangeData {
            opportunity_id: opportunity.id.clone(),
            candidate_id: Some(opportunity.id.clone()),
            contact_id: opportunity.contact.clone(),
            archived: opportunity.archived.clone(),
        };

        Self::new(CANDIDATE_ARCHIVE_CHANGE, triggered_at, &data)
    }

    /// `candidateDeleted` for a deleted opportunity.
    pub fn deleted(opportunity: &Opportunity, triggered_at: i64) -> Self {
        let data = DeletedData {
            opportunity_id: opportunity.id.clone(),
            candidate_id: Some(opportunity.id.clone()),
            contact_id: opportunity.contact.clone(),
        };

        Self::new(CANDIDATE_DELETED, triggered_at, &data)
    }

    fn new(event: &'static str, triggered_at: i64, data: &impl Serialize) -> Self {
        Self {
            event,
            triggered_at,
            // The data types contain only strings and integers, which
            // serde_json serializes without error.
            data: serde_json::to_value(data).unwrap_or(Value::Null),
        }
    }
}
