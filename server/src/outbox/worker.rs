//! The loop that drains the outbox. Rows are claimed with a lease, so a row whose sender
//! died is sent again once the lease ends. Writes for one opportunity go strictly in order,
//! and nothing is sent for an organization whose Lever connection is not live.

use std::sync::Arc;
use std::time::Duration;

use app::ssr::clock::now_ms;
use app::ssr::db::Dialect;
use app::ssr::outbox::LeverWrite;
use app::ssr::state::AppState;
use lever::error::LeverError;

use super::backoff::retry_delay;
use super::send::{send, turned_away, OutboxJob, SendError};
use crate::lever_auth::{LeverAuth, TokenError};

/// Rows sent per pass before the worker looks at expired leases again.
const BATCH: usize = 20;
/// The worker looks for due rows at least this often, even without a wake-up.
const POLL_INTERVAL: Duration = Duration::from_secs(2);
/// Pause before a row waiting on a broken connection is tried again (ms).
const TOKEN_RETRY_MS: i64 = 30_000;

pub struct OutboxWorker {
    state: AppState,
    auth: Arc<LeverAuth>,
    dialect: Dialect,
    /// How long a claim lasts (ms); a sender that has not finished by then is presumed dead.
    lease_ms: i64,
    /// Timeout of one call to Lever (ms): no call starts later than this before the lease ends.
    request_timeout_ms: i64,
}

/// A row claimed by this worker until `claimed_until` (UTC ms). The time doubles as the claim's
/// identity: a worker whose lease ran out cannot overwrite the row's next claim.
struct ClaimedJob {
    job: OutboxJob,
    claimed_until: i64,
}

/// Result of one attempt to send a write.
enum Outcome {
    Sent(Option<String>),
    Retry {
        delay: Duration,
        reason: String,
        /// Whether this try certainly did not reach Lever.
        clean: bool,
    },
    Failed(String),
    /// The connection is not usable: put the row back without counting the try.
    Paused(String),
}

impl OutboxWorker {
    pub fn new(
        state: AppState,
        auth: Arc<LeverAuth>,
        lease: Duration,
        request_timeout: Duration,
    ) -> Self {
        let dialect = Dialect::of(&state.db);
        Self {
            state,
            auth,
            dialect,
            lease_ms: lease.as_millis() as i64,
            request_timeout_ms: request_timeout.as_millis() as i64,
        }
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

    /// Claims and sends the rows that are due, one at a time; returns how many it handled.
    pub async fn run_once(&self) -> Result<usize, sqlx::Error> {
        self.release_expired_leases(now_ms()).await?;

        let mut handled = 0;
        while handled < BATCH {
            let Some(job) = self.claim_next().await? else {
                break;
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

    /// Claims, for one lease, the oldest due row whose opportunity has no earlier write
    /// still unsent. A failed earlier write keeps the later ones waiting until an Admin
    /// retries it (it is then sent first, having the lower id) or discards it (it then no
    /// longer counts). The pick and the claim are one statement. On PostgreSQL the pick skips
    /// rows another process is claiming at that moment, so no row is claimed twice.
    async fn claim_next(&self) -> Result<Option<ClaimedJob>, sqlx::Error> {
        let now = now_ms();
        let claimed_until = now + self.lease_ms;
        let sql = format!(
            "UPDATE outbox SET status = 'sending', claimed_until = $1, attempts = attempts + 1
             WHERE status = 'pending' AND id = (
                 SELECT o.id FROM outbox o
                 WHERE o.status = 'pending' AND o.next_attempt_at <= $2
                   AND EXISTS (SELECT 1 FROM lever_connections c WHERE c.organization_id = o.organization_id AND c.status = 'live')
                   AND NOT EXISTS (SELECT 1 FROM outbox earlier
                                   WHERE earlier.organization_id = o.organization_id
                                     AND earlier.opportunity_id = o.opportunity_id
                                     AND earlier.id < o.id AND earlier.status NOT IN ('sent', 'discarded'))
                 ORDER BY o.id LIMIT 1{skip_locked})
             RETURNING id, organization_id, opportunity_id, payload_json, marker, attempts, clean_attempts",
            skip_locked = self.dialect.skip_locked(),
        );

        let job: Option<OutboxJob> = sqlx::query_as(&sql)
            .bind(claimed_until)
            .bind(now)
            .fetch_optional(&self.state.db)
            .await?;
        Ok(job.map(|job| ClaimedJob { job, claimed_until }))
    }

    async fn attempt(&self, claimed: &ClaimedJob) -> Outcome {
        let job = &claimed.job;
        let last_call_at = claimed.claimed_until - self.request_timeout_ms;
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
                        clean: true,
                    }
                }
                Err(
                    error @ (TokenError::Revoked
                    | TokenError::NotConnected
                    | TokenError::Unconfigured),
                ) => return Outcome::Paused(error.to_string()),
                Err(error) => return Outcome::Paused(error.to_string()),
            };

            let error = match send(&self.state, &client, &token, job, &write, last_call_at).await {
                Ok(reference) => return Outcome::Sent(reference),
                Err(error @ SendError::LeaseEnding) => {
                    return Outcome::Retry {
                        delay: Duration::ZERO,
                        reason: "the claim's lease was ending before the next call to Lever".into(),
                        clean: error.is_clean(),
                    }
                }
                Err(SendError::Lever(error)) => error,
            };
            match error {
                LeverError::Unauthorized if rejected.is_none() => rejected = Some(token),
                error if error.is_retryable() => {
                    return Outcome::Retry {
                        delay: retry_delay(job.attempts, error.retry_after()),
                        reason: error.to_string(),
                        clean: turned_away(&error),
                    };
                }
                LeverError::Unauthorized => {
                    return Outcome::Retry {
                        delay: retry_delay(job.attempts, None),
                        reason: "Lever rejected a fresh access token".into(),
                        clean: true,
                    }
                }
                error => return Outcome::Failed(error.to_string()),
            }
        }
        Outcome::Retry {
            delay: retry_delay(job.attempts, None),
            reason: "Lever rejected the access token".into(),
            clean: true,
        }
    }

    /// Stores the outcome, unless this worker's claim on the row has expired.
    async fn record(&self, claimed: &ClaimedJob, outcome: Outcome) -> Result<(), sqlx::Error> {
        let job = &claimed.job;
        let now = now_ms();

        let still_held = match &outcome {
            Outcome::Sent(reference) => {
                let updated = sqlx::query(
                    "UPDATE outbox SET status = 'sent', sent_at = $1, lever_ref = $2, claimed_until = NULL, last_error = NULL
                     WHERE id = $3 AND status = 'sending' AND claimed_until = $4",
                )
                .bind(now)
                .bind(reference)
                .bind(&job.id)
                .bind(claimed.claimed_until)
                .execute(&self.state.db)
                .await?;
                tracing::info!(outbox.id = %job.id, organization.id = %job.organization_id, lever.opportunity_id = %job.opportunity_id, outbox.attempts = job.attempts, "write sent to Lever");
                updated.rows_affected() == 1
            }
            Outcome::Retry {
                delay,
                reason,
                clean,
            } => {
                tracing::warn!(outbox.id = %job.id, outbox.attempts = job.attempts, retry_in_ms = delay.as_millis() as u64, %reason, "write to Lever will be retried");
                self.reschedule(
                    claimed,
                    now + delay.as_millis() as i64,
                    reason,
                    false,
                    *clean,
                )
                .await?
            }
            Outcome::Paused(reason) => {
                tracing::warn!(outbox.id = %job.id, organization.id = %job.organization_id, %reason, "write to Lever paused");
                self.reschedule(claimed, now + TOKEN_RETRY_MS, reason, true, false)
                    .await?
            }
            Outcome::Failed(reason) => {
                tracing::error!(outbox.id = %job.id, lever.opportunity_id = %job.opportunity_id, %reason, "write to Lever failed and needs an admin");
                let updated = sqlx::query(
                    "UPDATE outbox SET status = 'failed', last_error = $1, claimed_until = NULL
                     WHERE id = $2 AND status = 'sending' AND claimed_until = $3",
                )
                .bind(reason)
                .bind(&job.id)
                .bind(claimed.claimed_until)
                .execute(&self.state.db)
                .await?;
                updated.rows_affected() == 1
            }
        };

        if !still_held {
            // The lease ran out while the request to Lever was in flight. The next claimant
            // checks Lever before it writes, so the write is not doubled; its outcome is kept.
            tracing::warn!(outbox.id = %job.id, "outbox lease expired before the outcome was stored");
        }
        Ok(())
    }

    /// Puts the row back for a later try; returns false if the claim was no longer held.
    /// `uncount` takes the try back; `clean` records that it certainly did not reach Lever.
    async fn reschedule(
        &self,
        claimed: &ClaimedJob,
        next_attempt_at: i64,
        reason: &str,
        uncount: bool,
        clean: bool,
    ) -> Result<bool, sqlx::Error> {
        let updated = sqlx::query(
            "UPDATE outbox SET status = 'pending', next_attempt_at = $1, last_error = $2, claimed_until = NULL,
                    attempts = attempts - $3, clean_attempts = clean_attempts + $4
             WHERE id = $5 AND status = 'sending' AND claimed_until = $6",
        )
        .bind(next_attempt_at)
        .bind(reason)
        .bind(i64::from(uncount))
        .bind(i64::from(clean))
        .bind(&claimed.job.id)
        .bind(claimed.claimed_until)
        .execute(&self.state.db)
        .await?;
        Ok(updated.rows_affected() == 1)
    }
}
