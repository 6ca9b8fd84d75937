//! The loop that drains the outbox. Rows are claimed with a lease, so a row whose sender
//! died is sent again once the lease ends. Writes for one opportunity go strictly in order,
//! and nothing is sent for an organization whose Lever connection is not live.

use std::sync::Arc;
use std::time::Duration;

use app::ssr::clock::now_ms;
use app::ssr::outbox::LeverWrite;
use app::ssr::state::AppState;
use lever::error::LeverError;

use super::backoff::retry_delay;
use super::send::{send, OutboxJob};
use crate::lever_auth::{LeverAuth, TokenError};

/// A claim on a row lasts this long (ms); a sender that has not finished by then is presumed dead.
const LEASE_MS: i64 = 2 * 60 * 1000;
/// Rows claimed per pass.
// NOTE: there is no client-side rate limit yet. Lever documents 10 requests/s per key, and
// a 429 is retried with backoff, but a large backlog can still run into Lever's limit.
const BATCH: i64 = 20;
/// The worker looks for due rows at least this often, even without a wake-up.
const POLL_INTERVAL: Duration = Duration::from_secs(2);
/// Pause before a row waiting on a broken connection is tried again (ms).
const TOKEN_RETRY_MS: i64 = 30_000;

pub struct OutboxWorker {
    state: AppState,
    auth: Arc<LeverAuth>,
}

/// Result of one attempt to send a write.
enum Outcome {
    Sent(Option<String>),
    Retry {
        delay: Duration,
        reason: String,
    },
    Failed(String),
    /// The connection is not usable: put the row back without counting the try.
    Paused(String),
}

impl OutboxWorker {
    pub fn new(state: AppState, auth: Arc<LeverAuth>) -> Self {
        Self { state, auth }
    }

    pub async fn run(self) {
        tracing::info!("outbox worker started");
        loop {
            let handled = match self.run_once().await {
                Ok(handled) => handled,
                Err(error) => {
                    tracing::error!(%error, "outbox pass failed");
                    0
                }
            };
            if handled == 0 {
                tokio::select! {
                    () = self.state.outbox_wakeup.notified() => {},
                    () = tokio::time::sleep(POLL_INTERVAL) => {},
                }
            }
        }
    }

    /// Claims and sends the rows that are due; returns how many it handled.
    pub async fn run_once(&self) -> Result<usize, sqlx::Error> {
        let now = now_ms();
        self.release_expired_leases(now).await?;

        let due: Vec<OutboxJob> = sqlx::query_as(
            "SELECT o.id, o.organization_id, o.opportunity_id, o.payload_json, o.marker, o.attempts
             FROM outbox o
             WHERE o.status = 'pending' AND o.next_attempt_at <= $1
               AND EXISTS (SELECT 1 FROM lever_connections c WHERE c.organization_id = o.organization_id AND c.status = 'live')
               AND NOT EXISTS (SELECT 1 FROM outbox earlier
                               WHERE earlier.organization_id = o.organization_id
                                 AND earlier.opportunity_id = o.opportunity_id
                                 AND earlier.id < o.id AND earlier.status <> 'sent')
             ORDER BY o.id LIMIT $2",
        )
        .bind(now)
        .bind(BATCH)
        .fetch_all(&self.state.db)
        .await?;

        let mut handled = 0;
        for job in due {
            if !self.claim(&job).await? {
                continue;
            }
            let job = OutboxJob {
                attempts: job.attempts + 1,
                ..job
            };
            let outcome = self.attempt(&job).await;
            self.record(&job, outcome).await?;
            handled += 1;
        }
        Ok(handled)
    }

    async fn release_expired_leases(&self, now: i64) -> Result<(), sqlx::Error> {
        let released = sqlx::query("UPDATE outbox SET status = 'pending', claimed_until = NULL WHERE status = 'sending' AND claimed_until < $1")
            .bind(now)
            .execute(&self.state.db)
            .await?;
        if released.rows_affected() > 0 {
            tracing::warn!(
                outbox.rows = released.rows_affected(),
                "outbox leases expired; rows will be sent again"
            );
        }
        Ok(())
    }

    /// Takes the row for this worker; false when another worker took it first.
    async fn claim(&self, job: &OutboxJob) -> Result<bool, sqlx::Error> {
        let claimed = sqlx::query(
            "UPDATE outbox SET status = 'sending', claimed_until = $1, attempts = attempts + 1
             WHERE id = $2 AND status = 'pending'",
        )
        .bind(now_ms() + LEASE_MS)
        .bind(&job.id)
        .execute(&self.state.db)
        .await?;
        Ok(claimed.rows_affected() == 1)
    }

    async fn attempt(&self, job: &OutboxJob) -> Outcome {
        let write: LeverWrite = match serde_json::from_str(&job.payload_json) {
            Ok(write) => write,
            Err(error) => {
                return Outcome::Failed(format!("the stored write could not be read: {error}"))
            }
        };
        let Some(client) = self.state.lever.clone() else {
            return Outcome::Paused("no Lever OAuth client is configured".into());
        };

        let mut rejected: Option<String> = None;
        // At most two tries: the second only after a 401 and a token refresh.
        for _ in 0..2 {
            let token = match self
                .auth
                .access_token(&self.state, &job.organization_id, rejected.as_deref())
                .await
            {
                Ok(token) => token,
                Err(error) if error.is_transient() => {
                    return Outcome::Retry {
                        delay: retry_delay(job.attempts, None),
                        reason: error.to_string(),
                    }
                }
                Err(
                    error @ (TokenError::Revoked
                    | TokenError::NotConnected
                    | TokenError::Unconfigured),
                ) => return Outcome::Paused(error.to_string()),
                Err(error) => return Outcome::Paused(error.to_string()),
            };

            match send(&client, &token, job, &write).await {
                Ok(reference) => return Outcome::Sent(reference),
                Err(LeverError::Unauthorized) if rejected.is_none() => rejected = Some(token),
                Err(error) if error.is_retryable() => {
                    return Outcome::Retry {
                        delay: retry_delay(job.attempts, error.retry_after()),
                        reason: error.to_string(),
                    }
                }
                Err(LeverError::Unauthorized) => {
                    return Outcome::Retry {
                        delay: retry_delay(job.attempts, None),
                        reason: "Lever rejected a fresh access token".into(),
                    }
                }
                Err(error) => return Outcome::Failed(error.to_string()),
            }
        }
        Outcome::Retry {
            delay: retry_delay(job.attempts, None),
            reason: "Lever rejected the access token".into(),
        }
    }

    async fn record(&self, job: &OutboxJob, outcome: Outcome) -> Result<(), sqlx::Error> {
        let now = now_ms();
        match outcome {
            Outcome::Sent(reference) => {
                sqlx::query("UPDATE outbox SET status = 'sent', sent_at = $1, lever_ref = $2, claimed_until = NULL, last_error = NULL WHERE id = $3")
                    .bind(now)
                    .bind(reference)
                    .bind(&job.id)
                    .execute(&self.state.db)
                    .await?;
                tracing::info!(outbox.id = %job.id, organization.id = %job.organization_id, lever.opportunity_id = %job.opportunity_id, outbox.attempts = job.attempts, "write sent to Lever");
            }
            Outcome::Retry { delay, reason } => {
                self.reschedule(job, now + delay.as_millis() as i64, &reason, false)
                    .await?;
                tracing::warn!(outbox.id = %job.id, outbox.attempts = job.attempts, retry_in_ms = delay.as_millis() as u64, %reason, "write to Lever will be retried");
            }
            Outcome::Paused(reason) => {
                self.reschedule(job, now + TOKEN_RETRY_MS, &reason, true)
                    .await?;
                tracing::warn!(outbox.id = %job.id, organization.id = %job.organization_id, %reason, "write to Lever paused");
            }
            Outcome::Failed(reason) => {
                sqlx::query("UPDATE outbox SET status = 'failed', last_error = $1, claimed_until = NULL WHERE id = $2")
                    .bind(&reason)
                    .bind(&job.id)
                    .execute(&self.state.db)
                    .await?;
                tracing::error!(outbox.id = %job.id, lever.opportunity_id = %job.opportunity_id, %reason, "write to Lever failed and needs an admin");
            }
        }
        Ok(())
    }

    async fn reschedule(
        &self,
        job: &OutboxJob,
        next_attempt_at: i64,
        reason: &str,
        uncount: bool,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE outbox SET status = 'pending', next_attempt_at = $1, last_error = $2, claimed_until = NULL,
                    attempts = attempts - $3
             WHERE id = $4",
        )
        .bind(next_attempt_at)
        .bind(reason)
        .bind(i64::from(uncount))
        .bind(&job.id)
        .execute(&self.state.db)
        .await?;
        Ok(())
    }
}
