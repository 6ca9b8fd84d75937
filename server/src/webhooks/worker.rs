//! The loop that handles queued webhook deliveries. A delivery is claimed with a lease, so
//! one whose handler died is handled again once the lease ends; handling is idempotent.
//! While Lever is disconnected, deliveries wait without using up their tries.

use std::sync::Arc;
use std::time::Duration;

use app::ssr::clock::now_ms;
use app::ssr::db::Dialect;
use app::ssr::state::AppState;

use super::handle::{handle, HandleError, QueuedEvent};
use crate::lever_auth::LeverAuth;
use crate::outbox::backoff::retry_delay;

/// The worker looks for due deliveries at least this often, even without a wake-up.
const POLL_INTERVAL: Duration = Duration::from_secs(2);
/// A claim lasts this long (ms); a handler that has not finished by then is presumed dead.
const LEASE_MS: i64 = 2 * 60 * 1000;
/// Pause before a delivery waiting on a broken connection is tried again (ms).
const PAUSED_RETRY_MS: i64 = 30_000;
/// Tries before a delivery is given up as failed. The poll still finds its candidate.
const MAX_ATTEMPTS: i64 = 12;

pub struct WebhookWorker {
    state: AppState,
    auth: Arc<LeverAuth>,
    dialect: Dialect,
}

impl WebhookWorker {
    pub fn new(state: AppState, auth: Arc<LeverAuth>) -> Self {
        let dialect = Dialect::of(&state.db);
        Self {
            state,
            auth,
            dialect,
        }
    }

    pub async fn run(self) {
        tracing::info!("webhook worker started");
        loop {
            let handled = match self.run_once().await {
                Ok(handled) => handled,
                Err(error) => {
                    tracing::error!(%error, "webhook pass failed");
                    0
                }
            };
            if handled == 0 {
                tokio::select! {
                    () = self.state.lever_events_wakeup.notified() => {},
                    () = tokio::time::sleep(POLL_INTERVAL) => {},
                }
            }
        }
    }

    /// Handles the deliveries that are due; returns how many it handled.
    pub async fn run_once(&self) -> Result<usize, sqlx::Error> {
        let now = now_ms();
        sqlx::query(
            "UPDATE lever_webhook_events SET status = 'pending', claimed_until = NULL
             WHERE status = 'handling' AND claimed_until < $1",
        )
        .bind(now)
        .execute(&self.state.db)
        .await?;

        let mut handled = 0;
        while let Some((event, claimed_until)) = self.claim_next().await? {
            let outcome = handle(&self.state, &self.auth, &event).await;
            self.record(&event, claimed_until, outcome).await?;
            handled += 1;
        }
        Ok(handled)
    }

    async fn claim_next(&self) -> Result<Option<(QueuedEvent, i64)>, sqlx::Error> {
        let now = now_ms();
        let claimed_until = now + LEASE_MS;
        let sql = format!(
            "UPDATE lever_webhook_events SET status = 'handling', claimed_until = $1, attempts = attempts + 1
             WHERE status = 'pending' AND id = (
                 SELECT e.id FROM lever_webhook_events e
                 WHERE e.status = 'pending' AND e.next_attempt_at <= $2
                 ORDER BY e.next_attempt_at, e.id LIMIT 1{skip_locked})
             RETURNING id, organization_id, event, opportunity_id, to_stage_id, attempts",
            skip_locked = self.dialect.skip_locked(),
        );

        let event: Option<QueuedEvent> = sqlx::query_as(&sql)
            .bind(claimed_until)
            .bind(now)
            .fetch_optional(&self.state.db)
            .await?;
        Ok(event.map(|event| (event, claimed_until)))
    }

    /// Stores how handling went, unless the claim expired meanwhile.
    async fn record(
        &self,
        event: &QueuedEvent,
        claimed_until: i64,
        outcome: Result<(), HandleError>,
    ) -> Result<(), sqlx::Error> {
        let now = now_ms();
        let (status, next_attempt_at, error, uncount) = match &outcome {
            Ok(()) => ("handled", now, None, false),
            Err(HandleError::Lever(error)) if error.is_paused() => (
                "pending",
                now + PAUSED_RETRY_MS,
                Some(error.to_string()),
                true,
            ),
            Err(error) if is_transient(error) && event.attempts < MAX_ATTEMPTS => {
                let delay = retry_delay(event.attempts, None).as_millis() as i64;
                ("pending", now + delay, Some(error.to_string()), false)
            }
            Err(error) => ("failed", now, Some(error.to_string()), false),
        };
        match (&outcome, status) {
            (Ok(()), _) => {
                tracing::info!(webhook.event_id = %event.id, organization.id = %event.organization_id, "Lever webhook delivery handled")
            }
            (Err(error), "failed") => {
                tracing::error!(webhook.event_id = %event.id, organization.id = %event.organization_id, %error, "Lever webhook delivery failed; the poll will catch its candidate")
            }
            (Err(error), _) => {
                tracing::warn!(webhook.event_id = %event.id, organization.id = %event.organization_id, %error, "Lever webhook delivery will be handled again")
            }
        }

        sqlx::query(
            "UPDATE lever_webhook_events
             SET status = $1, next_attempt_at = $2, last_error = $3, claimed_until = NULL,
                 handled_at = CASE WHEN $1 = 'handled' THEN $4 ELSE handled_at END,
                 attempts = attempts - $5
             WHERE id = $6 AND status = 'handling' AND claimed_until = $7",
        )
        .bind(status)
        .bind(next_attempt_at)
        .bind(error)
        .bind(now)
        .bind(i64::from(uncount))
        .bind(&event.id)
        .bind(claimed_until)
        .execute(&self.state.db)
        .await?;
        Ok(())
    }
}

fn is_transient(error: &HandleError) -> bool {
    match error {
        HandleError::Database(_) => true,
        HandleError::Lever(error) => error.is_transient(),
    }
}
