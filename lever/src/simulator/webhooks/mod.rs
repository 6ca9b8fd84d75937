//! Webhooks of the simulated account: the registry behind `/v1/webhooks`,
//! the events that opportunity changes trigger, their signed delivery, and
//! the settings page that switches events on.

mod delivery;
mod event;
mod registry;
pub(crate) mod settings_page;

pub use delivery::DeliveryAttempt;
pub(crate) use delivery::{plan, spawn_deliveries};
pub(crate) use event::WebhookEvent;
pub(crate) use registry::SimWebhook;
