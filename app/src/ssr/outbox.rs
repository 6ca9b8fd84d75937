//! Adding writes for Lever to the outbox. A caller passes its open transaction, so the write
//! is stored if and only if the change that caused it is.

use sqlx::{Any, Transaction};

use super::clock::{new_id, now_ms};
use crate::error::AppError;

/// One write to Lever, as stored in `outbox.payload_json`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LeverWrite {
    /// A note on the opportunity; the worker appends the row's marker to `value`.
    Note { value: String, score: Option<u8> },
    /// Move the opportunity to a stage.
    Stage { stage_id: String },
    /// Archive the opportunity with a reason.
    Archive { reason_id: String },
}

impl LeverWrite {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Note { .. } => "note",
            Self::Stage { .. } => "stage",
            Self::Archive { .. } => "archive",
        }
    }
}

/// Adds writes for one opportunity, to be sent in the given order.
pub async fn enqueue(
    transaction: &mut Transaction<'_, Any>,
    organization_id: &str,
    application_id: Option<&str>,
    opportunity_id: &str,
    writes: &[LeverWrite],
) -> Result<(), AppError> {
    let now = now_ms();

    for write in writes {
        // Ids are UUID v7 and generated in order, so `ORDER BY id` keeps this order.
        let id = new_id();
        let payload = serde_json::to_string(write)
            .map_err(|error| AppError::internal("outbox payload", error))?;
        sqlx::query(
            "INSERT INTO outbox (id, organization_id, application_id, opportunity_id, kind, payload_json, marker,
                                 status, attempts, next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $8)",
        )
        .bind(&id)
        .bind(organization_id)
        .bind(application_id)
        .bind(opportunity_id)
        .bind(write.kind())
        .bind(payload)
        .bind(format!("tryout-write-{id}"))
        .bind(now)
        .execute(&mut **transaction)
        .await?;
    }
    Ok(())
}
