//! Admin actions on the organization's outbox for the Integration page: listing the writes
//! a page at a time, counting them by status, and retrying or discarding a failed one. Also
//! makes paused writes due again when Lever is reconnected. Every query filters by
//! organization.

use super::clock::now_ms;
use super::db::Db;
use crate::domain::integration::{
    LeverWriteRow, WriteCounts, WriteFilter, WriteKind, WritePage, WriteStatus,
};
use crate::error::AppError;

/// Writes per page of the Integration page.
pub const PAGE_SIZE: usize = 50;

#[derive(sqlx::FromRow)]
struct WriteRecord {
    id: String,
    kind: String,
    status: String,
    opportunity_id: String,
    candidate_name: Option<String>,
    role_title: Option<String>,
    attempts: i64,
    created_at: i64,
    next_attempt_at: i64,
    sent_at: Option<i64>,
    last_error: Option<String>,
    discarded_by: Option<String>,
    discarded_at: Option<i64>,
    held_by_failed: i64,
}

/// Lists the organization's writes newest first, `PAGE_SIZE` at a time, starting below the
/// id `before` (the previous page's cursor). Ids are UUID v7, so id order is creation order.
pub async fn list_writes(
    db: &Db,
    organization_id: &str,
    filter: WriteFilter,
    before: Option<&str>,
) -> Result<WritePage, AppError> {
    if let Some(cursor) = before {
        uuid::Uuid::parse_str(cursor).map_err(|_| {
            AppError::invalid(
                "before",
                "The page cursor is invalid. Open the Integration page again from its first page.",
            )
        })?;
    }

    // The statuses come from a fixed list, never from the request, so they can be inlined.
    let status_clause = filter
        .statuses()
        .map(|statuses| {
            let quoted: Vec<String> = statuses
                .iter()
                .map(|status| format!("'{status}'"))
                .collect();
            format!(" AND o.status IN ({})", quoted.join(", "))
        })
        .unwrap_or_default();
    let cursor_clause = if before.is_some() {
        " AND o.id < $3"
    } else {
        ""
    };
    let sql = format!(
        "SELECT o.id, o.kind, o.status, o.opportunity_id, c.name AS candidate_name, r.title AS role_title,
                o.attempts, o.created_at, o.next_attempt_at, o.sent_at, o.last_error,
                d.name AS discarded_by, o.discarded_at,
                CAST(CASE WHEN o.status IN ('pending', 'sending') AND EXISTS (
                         SELECT 1 FROM outbox earlier
                         WHERE earlier.organization_id = o.organization_id
                           AND earlier.opportunity_id = o.opportunity_id
                           AND earlier.id < o.id AND earlier.status = 'failed')
                     THEN 1 ELSE 0 END AS BIGINT) AS held_by_failed
         FROM outbox o
         LEFT JOIN applications a ON a.id = o.application_id AND a.organization_id = o.organization_id
         LEFT JOIN candidates c ON c.id = a.candidate_id AND c.organization_id = o.organization_id
         LEFT JOIN roles r ON r.id = a.role_id AND r.organization_id = o.organization_id
         LEFT JOIN staff_users d ON d.id = o.discarded_by AND d.organization_id = o.organization_id
         WHERE o.organization_id = $1{status_clause}{cursor_clause}
         ORDER BY o.id DESC
         LIMIT $2"
    );

    // Fetching one row more than a page shows whether an older page exists.
    let mut query = sqlx::query_as::<_, WriteRecord>(&sql)
        .bind(organization_id)
        .bind(PAGE_SIZE as i64 + 1);
    if let Some(cursor) = before {
        query = query.bind(cursor);
    }
    let mut records = query.fetch_all(db).await?;

    let more = records.len() > PAGE_SIZE;
    records.truncate(PAGE_SIZE);
    let rows = records
        .into_iter()
        .map(write_row)
        .collect::<Result<Vec<_>, _>>()?;
    let next_before = more
        .then(|| rows.last().map(|row| row.id.clone()))
        .flatten();
    Ok(WritePage { rows, next_before })
}

fn write_row(record: WriteRecord) -> Result<LeverWriteRow, AppError> {
    let status = WriteStatus::parse(&record.status).ok_or_else(|| {
        AppError::internal(
            "outbox status",
            format!("unknown status in outbox row {}", record.id),
        )
    })?;
    let kind = WriteKind::parse(&record.kind).ok_or_else(|| {
        AppError::internal(
            "outbox kind",
            format!("unknown kind in outbox row {}", record.id),
        )
    })?;

    Ok(LeverWriteRow {
        id: record.id,
        kind,
        status,
        opportunity_id: record.opportunity_id,
        candidate_name: record.candidate_name,
        role_title: record.role_title,
        attempts: record.attempts,
        created_text: format_utc(record.created_at),
        next_attempt_text: (status == WriteStatus::Pending)
            .then(|| format_utc(record.next_attempt_at)),
        sent_text: record.sent_at.map(format_utc),
        last_error: record.last_error,
        discarded_by: record.discarded_by,
        discarded_text: record.discarded_at.map(format_utc),
        held_by_failed: record.held_by_failed != 0,
    })
}

/// Counts the organization's writes by status.
pub async fn count_writes(db: &Db, organization_id: &str) -> Result<WriteCounts, AppError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, COUNT(*) FROM outbox WHERE organization_id = $1 GROUP BY status",
    )
    .bind(organization_id)
    .fetch_all(db)
    .await?;

    let mut counts = WriteCounts::default();
    for (status, count) in rows {
        match status.as_str() {
            "pending" | "sending" => counts.pending += count,
            "failed" => counts.failed += count,
            "sent" => counts.sent += count,
            "discarded" => counts.discarded += count,
            _ => {}
        }
    }
    Ok(counts)
}

/// Counts the writes kept for Lever: pending, or being sent now.
pub async fn count_waiting_writes(db: &Db, organization_id: &str) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE organization_id = $1 AND status IN ('pending', 'sending')",
    )
    .bind(organization_id)
    .fetch_one(db)
    .await?)
}

/// Sets a failed write back to pending, due now, keeping its attempts. It was created before
/// the later writes of its opportunity, which wait for it, so it is sent before them.
/// The caller wakes the outbox worker.
pub async fn retry_failed_write(
    db: &Db,
    organization_id: &str,
    write_id: &str,
) -> Result<(), AppError> {
    let updated = sqlx::query(
        "UPDATE outbox SET status = 'pending', next_attempt_at = $1, claimed_until = NULL
         WHERE id = $2 AND organization_id = $3 AND status = 'failed'",
    )
    .bind(now_ms())
    .bind(write_id)
    .bind(organization_id)
    .execute(db)
    .await?;
    if updated.rows_affected() == 1 {
        return Ok(());
    }
    Err(not_failed_error(db, organization_id, write_id, "retried").await)
}

/// Marks a failed write discarded by `staff_user_id`. The row is kept and never sent, and
/// the later writes of its opportunity no longer wait for it.
pub async fn discard_failed_write(
    db: &Db,
    organization_id: &str,
    write_id: &str,
    staff_user_id: &str,
) -> Result<(), AppError> {
    let updated = sqlx::query(
        "UPDATE outbox SET status = 'discarded', discarded_by = $1, discarded_at = $2, claimed_until = NULL
         WHERE id = $3 AND organization_id = $4 AND status = 'failed'",
    )
    .bind(staff_user_id)
    .bind(now_ms())
    .bind(write_id)
    .bind(organization_id)
    .execute(db)
    .await?;
    if updated.rows_affected() == 1 {
        return Ok(());
    }
    Err(not_failed_error(db, organization_id, write_id, "discarded").await)
}

/// Explains why a write could not be changed: it is not in the organization (404), or it
/// is not failed (409).
async fn not_failed_error(
    db: &Db,
    organization_id: &str,
    write_id: &str,
    action: &str,
) -> AppError {
    let status: Result<Option<String>, sqlx::Error> =
        sqlx::query_scalar("SELECT status FROM outbox WHERE id = $1 AND organization_id = $2")
            .bind(write_id)
            .bind(organization_id)
            .fetch_optional(db)
            .await;

    match status {
        Ok(None) => AppError::NotFound("No such write to Lever in your organization.".into()),
        Ok(Some(status)) => {
            let label = WriteStatus::parse(&status)
                .map_or(status.clone(), |status| status.label().to_lowercase());
            AppError::Conflict(format!(
                "This write is {label} now, and only a failed write can be {action}. Reload the page to see its current state."
            ))
        }
        Err(error) => error.into(),
    }
}

/// Makes the organization's pending writes due now, after a reconnect. A write whose try
/// found the connection unusable was put back for a pause, and should go at once now. Writes
/// waiting out a retry delay after a 429 or 5xx are tried at once too.
pub async fn resume_paused_writes(db: &Db, organization_id: &str) -> Result<u64, AppError> {
    let now = now_ms();
    let updated = sqlx::query(
        "UPDATE outbox SET next_attempt_at = $1
         WHERE organization_id = $2 AND status = 'pending' AND next_attempt_at > $1",
    )
    .bind(now)
    .bind(organization_id)
    .execute(db)
    .await?;
    Ok(updated.rows_affected())
}

/// Formats UTC milliseconds for staff pages, e.g. "6 Dec 2026, 14:03 UTC".
pub fn format_utc(unix_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(unix_ms)
        .map(|time| time.format("%-d %b %Y, %H:%M UTC").to_string())
        .unwrap_or_else(|| "an unknown time".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_utc_shows_day_month_and_minute() {
        // 2026-12-06T14:03:09Z
        assert_eq!(format_utc(1_796_565_789_000), "6 Dec 2026, 14:03 UTC");
    }
}
