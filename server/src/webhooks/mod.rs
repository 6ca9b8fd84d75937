//! Lever's webhooks: registering Tryout's candidate-stage-change webhook when Lever is
//! connected, receiving signed deliveries, and handling them from a queue so Lever gets its
//! 2xx at once.

pub mod handle;
pub mod receive;
pub mod register;
pub mod worker;

/// The one event Tryout subscribes to. A Super Admin must switch its group on in Lever.
pub const STAGE_CHANGE_EVENT: &str = "candidateStageChange";

/// Returns the path, below the public URL, that Lever sends an organization's deliveries to.
pub fn webhook_path(organization_id: &str) -> String {
    format!("webhooks/lever/{organization_id}")
}
