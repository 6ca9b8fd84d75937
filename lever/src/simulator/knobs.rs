//! Runtime switches for failure injection and for behaviour Lever leaves
//! undocumented, set through `POST /_sim/knobs` or [`Simulator::update_knobs`].
//!
//! [`Simulator::update_knobs`]: super::Simulator::update_knobs

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::config::{NoteResponseShape, RefreshRotation, SimConfig};
use crate::types::is_webhook_event;

/// Knobs that are not part of [`SimConfig`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Knobs {
    /// Delay before every `/v1` and `/oauth/token` response, in
    /// milliseconds.
    pub latency_ms: u64,
    pub fail_next: Option<FailNext>,
    pub lose_next_responses: Option<LoseNext>,
    /// Steady refill of each access token's bucket, in requests per second.
    /// Lever documents 10.
    pub rate_limit_per_second: f64,
    /// Bucket size, in requests. Lever documents bursts of 20.
    pub rate_limit_burst: u32,
    /// Whether rate-limit 429s carry `Retry-After`. Lever does not document
    /// the header, so it is off by default.
    pub rate_limit_retry_after: bool,
    pub write_response: WriteResponseShape,
    /// Whether stage changes on archived opportunities get 400. Lever does
    /// not document its behaviour.
    pub reject_stage_change_when_archived: bool,
    pub webhook_create_shape: WebhookCreateShape,
    /// Webhook events switched on in the webhooks settings page. Lever
    /// delivers an event only after a Super Admin switches its group on, so
    /// the list starts empty.
    pub webhook_events_enabled: Vec<String>,
    /// Time each delivery attempt may take, in milliseconds. Lever does not
    /// document its timeout.
    pub webhook_timeout_ms: u64,
    /// Wait before the first retry of a failed delivery, in milliseconds;
    /// each further retry waits twice as long. Lever documents five retries
    /// "waiting longer and longer in between" without the times.
    pub webhook_retry_base_ms: u64,
    /// Extra copies of every delivered event, each with the same token and
    /// signature, as Lever's retries or its Rerun button would send.
    pub webhook_duplicates: u32,
    /// Events that will not be delivered, counted down with each event that
    /// has a recipient, to test the polling fallback.
    pub drop_next_webhooks: u32,
    /// Whether access tokens keep working until they expire after a
    /// revocation; refresh tokens always die at once. Lever does not
    /// document which it does.
    pub revoke_keeps_access_tokens: bool,
}

impl Default for Knobs {
    fn default() -> Self {
        Self {
            latency_ms: 0,
            fail_next: None,
            lose_next_responses: None,
            rate_limit_per_second: 10.0,
            rate_limit_burst: 20,
            rate_limit_retry_after: false,
            write_response: WriteResponseShape::Data,
            reject_stage_change_when_archived: false,
            webhook_create_shape: WebhookCreateShape::Data,
            webhook_events_enabled: Vec::new(),
            webhook_timeout_ms: 5000,
            webhook_retry_base_ms: 1000,
            webhook_duplicates: 0,
            drop_next_webhooks: 0,
            revoke_keeps_access_tokens: false,
        }
    }
}

/// Failure injected into the next `count` matching requests: they get
/// `status` without being handled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailNext {
    pub status: u16,
    pub count: u32,
    /// Path below the simulator root that a request must start with, e.g.
    /// `/v1/opportunities`; `None` matches every `/v1` and `/oauth/token`
    /// request.
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// Value of a `Retry-After` header in seconds; `None` sends none.
    #[serde(default)]
    pub retry_after_secs: Option<u64>,
}

/// Lost responses for the next `count` matching requests: they are handled,
/// so their writes happen, but the response is replaced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoseNext {
    pub count: u32,
    /// As in [`FailNext::path_prefix`].
    #[serde(default)]
    pub path_prefix: Option<String>,
    #[serde(default)]
    pub mode: LoseMode,
    /// Delay of the response in `hang` mode, in milliseconds (default
    /// 30000). Set it above the client's request timeout.
    #[serde(default)]
    pub hang_ms: Option<u64>,
}

/// Form in which a lost response reaches the client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoseMode {
    /// Returns 504, as a gateway that gave up waiting would.
    #[default]
    GatewayTimeout,
    /// Delays the response by `hang_ms`, then returns 504, so a client with
    /// a shorter timeout gets a timeout.
    Hang,
}

/// Body of a successful `PUT .../stage` or `PUT .../archived`. Lever does
/// not document it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteResponseShape {
    /// `200 {"data": <opportunity>}`.
    #[default]
    Data,
    /// `200 {}`.
    EmptyObject,
    /// `204` with no body.
    NoContent,
}

/// Body of a successful `POST /v1/webhooks`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookCreateShape {
    /// `201 {"data": <webhook>}`, as public integrations read it.
    #[default]
    Data,
    /// `201 {"data": {"data": <webhook>}}`, as Lever's docs show it.
    DoubleData,
}

/// Body of `POST /_sim/knobs`: every field is optional and only the given
/// ones change. Unknown fields are rejected, so a typo does not pass
/// silently.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnobsUpdate {
    pub latency_ms: Option<u64>,
    /// A `count` of 0 clears the knob.
    pub fail_next: Option<FailNext>,
    /// A `count` of 0 clears the knob.
    pub lose_next_responses: Option<LoseNext>,
    pub access_token_ttl_secs: Option<u64>,
    pub refresh_rotation: Option<RefreshRotation>,
    /// 400 or 403.
    pub refresh_error_status: Option<u16>,
    pub note_response: Option<NoteResponseShape>,
    pub require_perform_as: Option<bool>,
    pub rate_limit_per_second: Option<f64>,
    pub rate_limit_burst: Option<u32>,
    pub rate_limit_retry_after: Option<bool>,
    pub write_response: Option<WriteResponseShape>,
    pub reject_stage_change_when_archived: Option<bool>,
    pub webhook_create_shape: Option<WebhookCreateShape>,
    /// Replaces the whole list.
    pub webhook_events_enabled: Option<Vec<String>>,
    pub webhook_timeout_ms: Option<u64>,
    pub webhook_retry_base_ms: Option<u64>,
    pub webhook_duplicates: Option<u32>,
    pub drop_next_webhooks: Option<u32>,
    pub revoke_keeps_access_tokens: Option<bool>,
}

/// Every knob's current value, as `GET /_sim/knobs` returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KnobsView {
    #[serde(flatten)]
    pub knobs: Knobs,
    pub access_token_ttl_secs: u64,
    pub refresh_rotation: RefreshRotation,
    pub refresh_error_status: u16,
    pub note_response: NoteResponseShape,
    pub require_perform_as: bool,
}

impl KnobsView {
    pub(crate) fn new(knobs: &Knobs, config: &SimConfig) -> Self {
        Self {
            knobs: knobs.clone(),
            access_token_ttl_secs: config.access_token_ttl.as_secs(),
            refresh_rotation: config.refresh_rotation,
            refresh_error_status: config.refresh_error_status,
            note_response: config.note_response,
            require_perform_as: config.require_perform_as,
        }
    }
}

impl KnobsUpdate {
    /// Checks every given value, then applies them all. Nothing changes
    /// when one is invalid; the error names it.
    pub(crate) fn apply(self, knobs: &mut Knobs, config: &mut SimConfig) -> Result<(), String> {
        self.validate()?;

        if let Some(latency_ms) = self.latency_ms {
            knobs.latency_ms = latency_ms;
        }
        if let Some(fail_next) = self.fail_next {
            knobs.fail_next = (fail_next.count > 0).then_some(fail_next);
        }
        if let Some(lose_next) = self.lose_next_responses {
            knobs.lose_next_responses = (lose_next.count > 0).then_some(lose_next);
        }
        if let Some(seconds) = self.access_token_ttl_secs {
            config.access_token_ttl = Duration::from_secs(seconds);
        }
        if let Some(rotation) = self.refresh_rotation {
            config.refresh_rotation = rotation;
        }
        if let Some(status) = self.refresh_error_status {
            config.refresh_error_status = status;
        }
        if let Some(shape) = self.note_response {
            config.note_response = shape;
        }
        if let Some(required) = self.require_perform_as {
            config.require_perform_as = required;
        }
        if let Some(per_second) = self.rate_limit_per_second {
            knobs.rate_limit_per_second = per_second;
        }
        if let Some(burst) = self.rate_limit_burst {
            knobs.rate_limit_burst = burst;
        }
        if let Some(send) = self.rate_limit_retry_after {
            knobs.rate_limit_retry_after = send;
        }
        if let Some(shape) = self.write_response {
            knobs.write_response = shape;
        }
        if let Some(reject) = self.reject_stage_change_when_archived {
            knobs.reject_stage_change_when_archived = reject;
        }
        if let Some(shape) = self.webhook_create_shape {
            knobs.webhook_create_shape = shape;
        }
        if let Some(events) = self.webhook_events_enabled {
            knobs.webhook_events_enabled = events;
        }
        if let Some(timeout_ms) = self.webhook_timeout_ms {
            knobs.webhook_timeout_ms = timeout_ms;
        }
        if let Some(base_ms) = self.webhook_retry_base_ms {
            knobs.webhook_retry_base_ms = base_ms;
        }
        if let Some(copies) = self.webhook_duplicates {
            knobs.webhook_duplicates = copies;
        }
        if let Some(count) = self.drop_next_webhooks {
            knobs.drop_next_webhooks = count;
        }
        if let Some(keep) = self.revoke_keeps_access_tokens {
            knobs.revoke_keeps_access_tokens = keep;
        }

        Ok(())
    }

    fn validate(&self) -> Result<(), String> {
        if let Some(fail_next) = &self.fail_next {
            if !(400..=599).contains(&fail_next.status) {
                return Err(format!(
                    "fail_next.status {} is invalid: use a 4xx or 5xx status",
                    fail_next.status
                ));
            }
        }
        if let Some(status) = self.refresh_error_status {
            if status != 400 && status != 403 {
                return Err(format!(
                    "refresh_error_status {status} is invalid: use 400 or 403"
                ));
            }
        }
        if let Some(per_second) = self.rate_limit_per_second {
            if !(per_second.is_finite() && per_second > 0.0) {
                return Err(format!(
                    "rate_limit_per_second {per_second} is invalid: use a number above 0"
                ));
            }
        }
        if self.rate_limit_burst == Some(0) {
            return Err("rate_limit_burst 0 is invalid: use 1 or more".to_string());
        }
        if let Some(unknown) = self
            .webhook_events_enabled
            .iter()
            .flatten()
            .find(|event| !is_webhook_event(event))
        {
            return Err(format!(
                "webhook_events_enabled contains the unknown event {unknown:?}: use Lever's event names, e.g. candidateStageChange"
            ));
        }
        if self.webhook_timeout_ms == Some(0) {
            return Err("webhook_timeout_ms 0 is invalid: use 1 or more".to_string());
        }

        Ok(())
    }
}

/// Returns whether a knob with `prefix` applies to `path`.
pub(crate) fn prefix_matches(prefix: Option<&str>, path: &str) -> bool {
    prefix.is_none_or(|prefix| path.starts_with(prefix))
}
