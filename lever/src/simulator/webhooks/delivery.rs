//! Delivery of webhook events as Lever sends them (Lever Data API docs,
//! sections "Receiving webhooks", "Request signing" and "Responding to a
//! webhook"). Each delivery is a signed JSON `POST` with
//! `User-Agent: Lever-Webhooks`. Only a 2xx counts as received, and a
//! failure is retried five more times with growing gaps.
//!
//! Recipients are chosen under the state lock by [`plan`], and the requests
//! are sent afterwards from background tasks by [`spawn_deliveries`], so no
//! request ever runs while the lock is held.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, USER_AGENT};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tracing::{debug, warn};

use super::event::WebhookEvent;
use super::registry::random_hex_48;
use crate::simulator::clock::now_ms;
use crate::simulator::state::SimState;
use crate::simulator::Simulator;
use crate::webhook::signature;

/// Attempts per delivery: the first one and Lever's five retries.
const MAX_ATTEMPTS: u32 = 6;

/// Attempts kept in the delivery log; older ones are dropped. Lever's
/// delivery history shows up to 1,000 requests.
const MAX_LOGGED_ATTEMPTS: usize = 1000;

/// One delivery attempt, as `GET /_sim/webhooks/deliveries` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryAttempt {
    pub webhook_id: String,
    pub event: String,
    /// The body's `token`, shared by the retries and copies of one event.
    pub token: String,
    pub url: String,
    /// HTTP status of the response; `None` after a timeout or a transport
    /// error.
    pub status: Option<u16>,
    /// 1 for the first try, up to 6.
    pub attempt: u32,
    /// 0 for the event itself, 1 and up for the copies that
    /// `webhook_duplicates` adds.
    pub copy: u32,
    /// End of the attempt, in milliseconds since the Unix epoch.
    pub at: i64,
}

/// One event on its way to one webhook.
pub(crate) struct PlannedDelivery {
    webhook_id: String,
    event: &'static str,
    url: String,
    token: String,
    body: String,
    /// Extra copies to send after the event itself.
    copies: u32,
    timeout: Duration,
    retry_base: Duration,
}

/// Chooses the deliveries of `event`: one per webhook subscribed to it,
/// when the event is switched on in the settings. Sends nothing. Spends one
/// `drop_next_webhooks` when the event has a recipient, and then plans
/// nothing.
pub(crate) fn plan(state: &mut SimState, event: WebhookEvent) -> Vec<PlannedDelivery> {
    let knobs = &mut state.knobs;
    if !knobs
        .webhook_events_enabled
        .iter()
        .any(|enabled| enabled == event.event)
    {
        return Vec::new();
    }

    // NOTE: `configuration.conditions.origins` is stored but not applied
    // here: every simulated opportunity has origin `sourced`.
    let recipients: Vec<_> = state
        .webhooks
        .iter()
        .filter(|webhook| webhook.event == event.event)
        .collect();
    if recipients.is_empty() {
        return Vec::new();
    }

    if knobs.drop_next_webhooks > 0 {
        knobs.drop_next_webhooks -= 1;
        debug!(
            event = event.event,
            "Lever simulator dropped a webhook event"
        );
        return Vec::new();
    }

    // One id per event; each webhook gets its own token, because the
    // signature uses the webhook's own signature token.
    let event_id = uuid::Uuid::new_v4().to_string();

    recipients
        .into_iter()
        .map(|webhook| {
            let token = random_hex_48();
            let body = json!({
                "id": event_id,
                "event": event.event,
                "triggeredAt": event.triggered_at,
                "token": token,
                "signature": signature(&webhook.signature_token, &token, event.triggered_at),
                "data": event.data,
            });

            PlannedDelivery {
                webhook_id: webhook.id.clone(),
                event: event.event,
                url: webhook.url.clone(),
                token,
                body: body.to_string(),
                copies: knobs.webhook_duplicates,
                timeout: Duration::from_millis(knobs.webhook_timeout_ms),
                retry_base: Duration::from_millis(knobs.webhook_retry_base_ms),
            }
        })
        .collect()
}

/// Sends each delivery from its own background task. Deliveries of
/// different events therefore may arrive in any order, which Lever does not
/// rule out either.
///
/// Outside a Tokio runtime nothing can be sent, so the deliveries are
/// dropped with a warning.
pub(crate) fn spawn_deliveries(simulator: &Simulator, deliveries: Vec<PlannedDelivery>) {
    if deliveries.is_empty() {
        return;
    }

    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        warn!(
            count = deliveries.len(),
            "Lever simulator dropped webhook deliveries: no Tokio runtime to send them from"
        );
        return;
    };

    for delivery in deliveries {
        runtime.spawn(deliver(simulator.clone(), delivery));
    }
}

/// Sends the event, then each copy, each until it is received or its
/// attempts run out.
async fn deliver(simulator: Simulator, delivery: PlannedDelivery) {
    for copy in 0..=delivery.copies {
        for attempt in 1..=MAX_ATTEMPTS {
            let status = send_once(&simulator, &delivery).await;
            let received = status.is_some_and(|status| (200..300).contains(&status));
            record(&simulator, &delivery, status, attempt, copy, received);

            if received {
                break;
            }
            if attempt == MAX_ATTEMPTS {
                warn!(
                    webhook_id = %delivery.webhook_id,
                    event = delivery.event,
                    attempts = MAX_ATTEMPTS,
                    "Lever simulator gave up on a webhook delivery"
                );
                break;
            }

            tokio::time::sleep(retry_gap(delivery.retry_base, attempt)).await;
        }
    }
}

/// Posts the body once and returns the status, or `None` when no response
/// arrived in time or the HTTP client is missing.
async fn send_once(simulator: &Simulator, delivery: &PlannedDelivery) -> Option<u16> {
    let response = simulator
        .webhook_http()?
        .post(&delivery.url)
        .header(USER_AGENT, "Lever-Webhooks")
        .header(CONTENT_TYPE, "application/json")
        .timeout(delivery.timeout)
        .body(delivery.body.clone())
        .send()
        .await;

    match response {
        Ok(response) => Some(response.status().as_u16()),
        Err(error) => {
            debug!(
                webhook_id = %delivery.webhook_id,
                timeout = error.is_timeout(),
                "Lever simulator webhook request failed"
            );
            None
        }
    }
}

/// Returns the wait after failed attempt number `attempt`: the base, doubled for
/// each earlier failure.
fn retry_gap(base: Duration, attempt: u32) -> Duration {
    base.saturating_mul(1 << (attempt - 1).min(16))
}

fn record(
    simulator: &Simulator,
    delivery: &PlannedDelivery,
    status: Option<u16>,
    attempt: u32,
    copy: u32,
    received: bool,
) {
    debug!(
        webhook_id = %delivery.webhook_id,
        event = delivery.event,
        status,
        attempt,
        copy,
        "Lever simulator webhook delivery attempt"
    );

    let mut state = simulator.lock();
    if received {
        state.webhook_attempts_delivered += 1;
    } else {
        state.webhook_attempts_failed += 1;
    }

    if state.webhook_deliveries.len() >= MAX_LOGGED_ATTEMPTS {
        state.webhook_deliveries.pop_front();
    }
    state.webhook_deliveries.push_back(DeliveryAttempt {
        webhook_id: delivery.webhook_id.clone(),
        event: delivery.event.to_string(),
        token: delivery.token.clone(),
        url: delivery.url.clone(),
        status,
        attempt,
        copy,
        at: now_ms(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_gaps_double() {
        let base = Duration::from_millis(1000);

        let gaps: Vec<u128> = (1..MAX_ATTEMPTS)
            .map(|attempt| retry_gap(base, attempt).as_millis())
            .collect();

        assert_eq!(gaps, vec![1000, 2000, 4000, 8000, 16000]);
    }
}
