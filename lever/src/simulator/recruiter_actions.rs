//! Changes a recruiter makes in Lever's own app, for in-process tests and
//! the demo: moving an opportunity to a stage, archiving or unarchiving it,
//! and deleting it. Each delivers the webhook event it triggers, like the
//! admin routes that do the same over HTTP.
//!
//! Deliveries are sent from Tokio tasks, so call these methods inside a
//! Tokio runtime; outside one the deliveries are dropped with a warning.

use super::pipeline;
use super::snapshot::OpportunitySnapshot;
use super::webhooks::DeliveryAttempt;
use super::Simulator;

impl Simulator {
    /// Moves an opportunity to `stage_id` and records the stage change
    /// without a `perform_as` user. The error names the unknown
    /// opportunity or stage.
    pub fn move_to_stage(
        &self,
        opportunity_id: &str,
        stage_id: &str,
    ) -> Result<OpportunitySnapshot, String> {
        self.change_and_notify(|state| {
            let event = pipeline::move_to_stage(state, opportunity_id, stage_id, None)?;
            Ok((
                pipeline::opportunity_snapshot(state, opportunity_id)?,
                event,
            ))
        })
        .map_err(|error| error.message)
    }

    /// Archives an opportunity with the archive reason `reason_id`, or
    /// unarchives it when `reason_id` is `None`. The error names the
    /// unknown opportunity, or the unknown or inactive reason.
    pub fn archive(
        &self,
        opportunity_id: &str,
        reason_id: Option<&str>,
    ) -> Result<OpportunitySnapshot, String> {
        self.change_and_notify(|state| {
            let event =
                pipeline::set_archived(state, opportunity_id, reason_id.map(str::to_string))?;
            Ok((
                pipeline::opportunity_snapshot(state, opportunity_id)?,
                event,
            ))
        })
        .map_err(|error| error.message)
    }

    /// Deletes an opportunity: it moves to `GET /opportunities/deleted`.
    /// The error names an unknown opportunity.
    pub fn delete_opportunity(&self, opportunity_id: &str) -> Result<(), String> {
        self.change_and_notify(|state| {
            let event = pipeline::delete(state, opportunity_id, None)?;
            Ok(((), Some(event)))
        })
        .map_err(|error| error.message)
    }

    /// Returns the logged webhook delivery attempts, oldest first, as
    /// `GET /_sim/webhooks/deliveries` does.
    pub fn webhook_deliveries(&self) -> Vec<DeliveryAttempt> {
        self.lock().webhook_deliveries.iter().cloned().collect()
    }
}
