//! Webhooks: the event names, the webhooks managed through `/webhooks`, and
//! the body of a delivery (Lever Data API docs, sections "Webhooks" and
//! "Webhooks via the API").

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::lenient;
use super::opportunity::ArchivedState;

/// `candidateStageChange`: an opportunity moved from one stage to another.
pub const CANDIDATE_STAGE_CHANGE: &str = "candidateStageChange";
/// `candidateArchiveChange`: an opportunity was archived or unarchived.
pub const CANDIDATE_ARCHIVE_CHANGE: &str = "candidateArchiveChange";
/// `candidateDeleted`: an opportunity was deleted.
pub const CANDIDATE_DELETED: &str = "candidateDeleted";

/// Every event a webhook can subscribe to. The three interview events are
/// marked Beta in Lever's docs.
pub const WEBHOOK_EVENTS: &[&str] = &[
    "applicationCreated",
    "candidateHired",
    CANDIDATE_STAGE_CHANGE,
    CANDIDATE_ARCHIVE_CHANGE,
    CANDIDATE_DELETED,
    "interviewCreated",
    "interviewUpdated",
    "interviewDeleted",
    "contactCreated",
    "contactUpdated",
];

/// Events that accept `configuration.conditions`; the others reject them.
pub const EVENTS_WITH_CONDITIONS: &[&str] = &[
    "applicationCreated",
    "candidateArchiveChange",
    "candidateHired",
    "candidateStageChange",
];

/// Candidate origins allowed in `configuration.conditions.origins`.
pub const WEBHOOK_ORIGINS: &[&str] = &[
    "applied",
    "sourced",
    "referred",
    "university",
    "agency",
    "internal",
];

/// A webhook as `GET /webhooks` lists it. The signature token is not
/// listed: Lever returns it only when the webhook is created.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    pub id: String,
    pub url: String,
    pub event: String,
    /// Milliseconds since the Unix epoch.
    #[serde(default, deserialize_with = "lenient::timestamp")]
    pub created_at: Option<i64>,
    /// Milliseconds since the Unix epoch.
    #[serde(default, deserialize_with = "lenient::timestamp")]
    pub updated_at: Option<i64>,
    /// Conditions such as `{"conditions": {"origins": [...]}}`; `{}` when
    /// there are none.
    #[serde(default)]
    pub configuration: serde_json::Value,
}

/// A webhook just created through `POST /webhooks`, with the key that signs
/// its deliveries. Lever never returns the key again.
#[derive(Clone, PartialEq, Eq)]
pub struct CreatedWebhook {
    pub id: String,
    pub url: String,
    pub event: String,
    /// Key of the HMAC-SHA256 signature of every delivery; a secret.
    pub signature_token: String,
}

impl fmt::Debug for CreatedWebhook {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("CreatedWebhook")
            .field("id", &self.id)
            .field("url", &self.url)
            .field("event", &self.event)
            .field("signature_token", &"[redacted]")
            .finish()
    }
}

/// The JSON body Lever posts to a webhook URL.
///
/// Lever's example deliveries leave out `id`, and Lever sends `signature`
/// only when a signing token exists, so both are optional here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookDelivery {
    /// Unique id of the event.
    #[serde(default)]
    pub id: Option<String>,
    /// One of [`WEBHOOK_EVENTS`].
    pub event: String,
    /// Milliseconds since the Unix epoch; part of the signed message.
    #[serde(deserialize_with = "lenient::required_timestamp")]
    pub triggered_at: i64,
    /// Random string of 48 characters; part of the signed message. The same
    /// event retried or rerun keeps its token, so it serves to drop
    /// duplicates.
    pub token: String,
    /// Hex HMAC-SHA256 of `token + triggeredAt`; see [`crate::webhook`].
    #[serde(default)]
    pub signature: Option<String>,
    /// Event-specific payload; parse it with [`WebhookDelivery::data_as`].
    #[serde(default)]
    pub data: serde_json::Value,
}

impl WebhookDelivery {
    /// Parses `data` as the payload type of the event, e.g.
    /// [`StageChangeData`] for [`CANDIDATE_STAGE_CHANGE`].
    pub fn data_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&self.data)
    }
}

/// `data` of a `candidateStageChange` delivery.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageChangeData {
    pub opportunity_id: String,
    /// Deprecated alias of `opportunity_id`, which carries the same value.
    #[serde(default)]
    pub candidate_id: Option<String>,
    /// The person, shared by all of their opportunities.
    #[serde(default)]
    pub contact_id: Option<String>,
    pub to_stage_id: String,
    #[serde(default)]
    pub from_stage_id: Option<String>,
}

/// `data` of a `candidateArchiveChange` delivery.
///
/// NOTE: Lever's docs do not list this payload's fields. The simulator
/// sends the opportunity's ids and its `archived` state after the change
/// (`null` once unarchived); check a sandbox delivery before relying on
/// `archived`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveChangeData {
    pub opportunity_id: String,
    #[serde(default)]
    pub candidate_id: Option<String>,
    #[serde(default)]
    pub contact_id: Option<String>,
    #[serde(default)]
    pub archived: Option<ArchivedState>,
}

/// `data` of a `candidateDeleted` delivery. Lever's docs do not list its
/// fields; the simulator sends the opportunity's ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedData {
    pub opportunity_id: String,
    #[serde(default)]
    pub candidate_id: Option<String>,
    #[serde(default)]
    pub contact_id: Option<String>,
}

/// Returns whether Lever has a webhook event called `event`.
pub fn is_webhook_event(event: &str) -> bool {
    WEBHOOK_EVENTS.contains(&event)
}
