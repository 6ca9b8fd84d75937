//! The loop that drains `emails`. Each email is claimed with a lease, so one whose sender
//! died is sent again once the lease ends, and several processes on one PostgreSQL
//! database never claim the same email at once.

use std::sync::Arc;
use std::time::Duration;

use app::ssr::clock::now_ms;
use app::ssr::db::Dialect;
use app::ssr::state::AppState;

use super::message::EmailJob;
use super::transport::{Mailer, SendOutcome, SEND_TIMEOUT};
use crate::outbox::backoff::retry_delay;

/// Emails sent per pass before the worker looks at expired leases again.
const BATCH: usize = 20;
/// The worker looks for due emails at least this often, even without a wake-up.
const POLL_INTERVAL: Duration = Duration::from_secs(2);
/// How long a claim lasts. It is well over [`SEND_TIMEOUT`], so another process takes an
/// email over only after its sender stopped, or stalled for minutes outside the send.
const LEASE: Duration = Duration::from_secs(300);
/// Maximum tries of an email whose failures could be temporary. With the outbox's
/// backoff (2 s doubling, capped at 10 minutes, with jitter) the tries span about 1.5 to 3 hours.
const MAX_ATTEMPTS: i64 = 24;

pub struct MailWorker {
    state: AppState,
    mailer: Arc<Mailer>,
    dialect: Dialect,
}

/// An email claimed by this worker until `claimed_until` (UTC ms). The time doubles as the
/// claim's identity: a worker whose lease ran out cannot overwrite the email's next claim.
struct ClaimedEmail {
    job: EmailJob,
    claimed_until: i64,
}

impl MailWorker {
    pub fn new(state: AppState, mailer: Arc<Mailer>) -> Self {
        const { assert!(LEASE.as_secs() > 2 * SEND_TIMEOUT.as_secs()) };
        let dialect = Dialect::of(&state.db);
        Self {
            state,
            mailer,
            dialect,
        }
    }

    pub async fn run(self) {
        tracing::info!("mail worker started");
        loop {
            let handled = match self.run_once().await {
                Ok(handled) => handled,
                Err(error) => {
                    tracing::error!(%error, "mail pass failed");
                    0
                }
            };
            if handled == 0 {
                tokio::select! {
                    () = self.state.mail_wakeup.notified() => {},
                    () = tokio::time::sleep(POLL_INTERVAL) => {},
                }
            }
        }
    }

    /// Claims and sends the emails that are due, one at a time; returns how many it handled.
    pub async fn run_once(&self) -> Result<usize, sqlx::Error> {
        self.release_expired_leases(now_ms()).await?;

        let mut handled = 0;
        while handled < BATCH {
            let Some(claimed) = self.claim_next().await? else {
                break;
            };

            let outcome = self.mailer.send(&claimed.job).await;
            self.record(&claimed, outcome).await?;
            handled += 1;
        }
        Ok(handled)
    }

    async fn release_expired_leases(&self, now: i64) -> Result<(), sqlx::Error> {
        let released = sqlx::query(
            "UPDATE emails SET status = 'pending', claimed_until = NULL WHERE status = 'sending' AND claimed_until < $1",
        )
        .bind(now)
        .execute(&self.state.db)
        .await?;
        if released.rows_affected() > 0 {
            // A process stopped between sending and recording, so the server may already
            // hold these emails: the retry can deliver a second copy with the same Message-ID.
            tracing::warn!(
                email.count = released.rows_affected(),
                "email leases expired; the emails will be sent again"
            );
        }
        Ok(())
    }

    /// Claims the earliest due email for one lease. The pick and the claim are one statement.
    /// On PostgreSQL the pick skips emails another process is claiming at that moment, so no
    /// email is claimed twice.
    async fn claim_next(&self) -> Result<Option<ClaimedEmail>, sqlx::Error> {
        let now = now_ms();
        let claimed_until = now + LEASE.as_millis() as i64;
        let sql = format!(
            "UPDATE emails SET status = 'sending', claimed_until = $1, attempts = attempts + 1
             WHERE status = 'pending' AND id = (
                 SELECT e.id FROM emails e
                 WHERE e.status = 'pending' AND e.next_attempt_at <= $2
                 ORDER BY e.next_attempt_at, e.id LIMIT 1{skip_locked})
             RETURNING id, organization_id, to_address, subject, body_text, body_html, attempts",
            skip_locked = self.dialect.skip_locked(),
        );

        let job: Option<EmailJob> = sqlx::query_as(&sql)
            .bind(claimed_until)
            .bind(now)
            .fetch_optional(&self.state.db)
            .await?;
        Ok(job.map(|job| ClaimedEmail { job, claimed_until }))
    }

    /// Stores the outcome, unless this worker's claim on the email has expired. Logs carry
    /// ids and a failure summary, never the address, subject or server text.
    async fn record(
        &self,
        claimed: &ClaimedEmail,
        outcome: SendOutcome,
    ) -> Result<(), sqlx::Error> {
        let job = &claimed.job;
        let now = now_ms();

        let outcome = match outcome {
            SendOutcome::Retry { reason, summary } if job.attempts >= MAX_ATTEMPTS => {
                SendOutcome::Failed {
                    reason: format!(
                        "gave up after {} tries; the last one failed: {reason}",
                        job.attempts
                    ),
                    summary,
                }
            }
            other => other,
        };

        let updated = match &outcome {
            SendOutcome::Sent(transport) => {
                tracing::info!(email.id = %job.id, organization.id = %job.organization_id, email.transport = %transport, email.attempts = job.attempts, "email sent");
                sqlx::query(
                    "UPDATE emails SET status = 'sent', transport = $1, sent_at = $2, claimed_until = NULL, last_error = NULL
                     WHERE id = $3 AND status = 'sending' AND claimed_until = $4",
                )
                .bind(*transport)
                .bind(now)
                .bind(&job.id)
                .bind(claimed.claimed_until)
                .execute(&self.state.db)
                .await?
            }
            SendOutcome::Retry { reason, summary } => {
                let delay = retry_delay(job.attempts, None);
                tracing::warn!(email.id = %job.id, organization.id = %job.organization_id, email.attempts = job.attempts, retry_in_ms = delay.as_millis() as u64, error = %summary, "email will be retried");
                sqlx::query(
                    "UPDATE emails SET status = 'pending', next_attempt_at = $1, last_error = $2, claimed_until = NULL
                     WHERE id = $3 AND status = 'sending' AND claimed_until = $4",
                )
                .bind(now + delay.as_millis() as i64)
                .bind(reason)
                .bind(&job.id)
                .bind(claimed.claimed_until)
                .execute(&self.state.db)
                .await?
            }
            SendOutcome::Failed { reason, summary } => {
                // NOTE: nothing re-queues a failed email yet. Admins see the reason in the
                // mailbox, but the page has no retry button.
                tracing::error!(email.id = %job.id, organization.id = %job.organization_id, email.attempts = job.attempts, error = %summary, "email failed and will not be retried");
                sqlx::query(
                    "UPDATE emails SET status = 'failed', last_error = $1, claimed_until = NULL
                     WHERE id = $2 AND status = 'sending' AND claimed_until = $3",
                )
                .bind(reason)
                .bind(&job.id)
                .bind(claimed.claimed_until)
                .execute(&self.state.db)
                .await?
            }
        };

        if updated.rows_affected() != 1 {
            tracing::warn!(email.id = %job.id, "email lease expired before the outcome was stored");
        }
        Ok(())
    }
}
