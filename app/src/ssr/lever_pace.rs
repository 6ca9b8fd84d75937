//! The pace of calls to Lever's API, shared through the database by every process.
//!
//! Lever limits each API key to a steady rate (10 requests per second, bursts of 20, per
//! its documentation), and the limit belongs to the customer's account, not to one Tryout
//! process. Each call reserves the next free slot of its organization in one atomic
//! statement, then waits for the slot. Two processes therefore share one rate instead of
//! each spending it in full.

use std::time::Duration;

use super::clock::now_ms;
use super::db::Db;

/// Spacing between calls of one organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeverPace {
    interval_ms: i64,
}

impl LeverPace {
    /// Creates a pace of `per_second` calls per second (0 counts as 1).
    pub fn per_second(per_second: u32) -> Self {
        Self {
            interval_ms: (1000 / i64::from(per_second.max(1))).max(1),
        }
    }

    /// Milliseconds between two calls of one organization.
    pub fn interval_ms(self) -> i64 {
        self.interval_ms
    }

    /// Reserves the organization's next slot and returns how long to wait for it.
    pub async fn reserve(self, db: &Db, organization_id: &str) -> Result<Duration, sqlx::Error> {
        let now = now_ms();

        // The slot starts at the later of now and the stored next slot; the row then
        // points one interval past it. The upsert is one statement, so concurrent callers
        // (in any process) each get a different slot.
        let slot_at: i64 = sqlx::query_scalar(
            "INSERT INTO lever_rate_limits (organization_id, next_slot_at) VALUES ($1, $2 + $3)
             ON CONFLICT (organization_id) DO UPDATE SET next_slot_at =
                 CASE WHEN lever_rate_limits.next_slot_at > $2 THEN lever_rate_limits.next_slot_at + $3 ELSE $2 + $3 END
             RETURNING next_slot_at - $3",
        )
        .bind(organization_id)
        .bind(now)
        .bind(self.interval_ms)
        .fetch_one(db)
        .await?;

        Ok(Duration::from_millis(
            u64::try_from(slot_at - now).unwrap_or(0),
        ))
    }

    /// Waits until this process may make one call to Lever for the organization. A
    /// database error lets the call go: Lever's own 429 and the outbox's backoff still
    /// protect the account, and a write is not held up by a failing pace table.
    pub async fn wait_turn(self, db: &Db, organization_id: &str) {
        match self.reserve(db, organization_id).await {
            Ok(wait) if !wait.is_zero() => tokio::time::sleep(wait).await,
            Ok(_) => {}
            Err(error) => {
                tracing::warn!(organization.id = %organization_id, %error, "could not reserve a Lever call slot; calling without waiting")
            }
        }
    }
}
