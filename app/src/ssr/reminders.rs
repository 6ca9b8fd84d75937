//! Reminders before a candidate's deadline. Each application with a deadline gets one, once
//! the deadline is less than [`REMINDER_LEAD_MS`] away, unless the candidate finished, the
//! application closed or its link was expired by staff.

use chrono::{DateTime, Utc};

use super::crypto::{hash_token, random_token};
use super::mail::{queue_email, reminder_email, NewEmail, REMINDER_KIND};
use super::state::AppState;
use crate::error::AppError;

/// How long before the deadline the reminder goes out: 48 hours, in milliseconds.
pub const REMINDER_LEAD_MS: i64 = 48 * 60 * 60 * 1000;

#[derive(sqlx::FromRow)]
struct DueReminder {
    application_id: String,
    organization_id: String,
    organization_name: String,
    role_title: String,
    candidate_name: String,
    email: String,
    deadline_at: i64,
    opened_at: Option<i64>,
}

/// Queues the reminders due at `now` (UTC ms) and returns how many were queued. Each
/// application is claimed with a conditional update first, so two processes never remind
/// the same candidate twice.
pub async fn send_due_reminders(state: &AppState, now: i64) -> Result<usize, AppError> {
    let due: Vec<DueReminder> = sqlx::query_as(
        "SELECT a.id AS application_id, a.organization_id, o.name AS organization_name, r.title AS role_title,
                c.name AS candidate_name, c.email, a.deadline_at, a.opened_at
         FROM applications a
         JOIN roles r ON r.id = a.role_id AND r.organization_id = a.organization_id
         JOIN candidates c ON c.id = a.candidate_id AND c.organization_id = a.organization_id
         JOIN organizations o ON o.id = a.organization_id
         WHERE a.deadline_at > $1 AND a.deadline_at <= $2 AND a.reminder_sent_at IS NULL
           AND a.closed_at IS NULL AND a.status IN ('invited', 'in_progress')
           AND (a.link_expires_at IS NULL OR a.link_expires_at > $1)
         ORDER BY a.deadline_at
         LIMIT 100",
    )
    .bind(now)
    .bind(now + REMINDER_LEAD_MS)
    .fetch_all(&state.db)
    .await?;

    let mut queued = 0;
    for reminder in &due {
        if remind(state, reminder, now).await? {
            queued += 1;
        }
    }
    if queued > 0 {
        state.mail_wakeup.notify_one();
    }
    Ok(queued)
}

/// Claims and queues one reminder in one transaction; returns `false` when another process
/// claimed it first.
async fn remind(state: &AppState, reminder: &DueReminder, now: i64) -> Result<bool, AppError> {
    let mut transaction = state.db.begin().await?;
    let claimed = sqlx::query(
        "UPDATE applications SET reminder_sent_at = $1
         WHERE id = $2 AND organization_id = $3 AND reminder_sent_at IS NULL",
    )
    .bind(now)
    .bind(&reminder.application_id)
    .bind(&reminder.organization_id)
    .execute(&mut *transaction)
    .await?;
    if claimed.rows_affected() == 0 {
        return Ok(false);
    }

    // The invitation's link cannot be repeated (only its hash is stored). A candidate who
    // never opened it gets a new one; one who started keeps theirs, open on their device.
    let link = match reminder.opened_at {
        Some(_) => None,
        None => {
            let token = random_token();
            sqlx::query(
                "UPDATE applications SET link_token_hash = $1 WHERE id = $2 AND organization_id = $3",
            )
            .bind(hash_token(&token))
            .bind(&reminder.application_id)
            .bind(&reminder.organization_id)
            .execute(&mut *transaction)
                .await?;
            let link = state
                .public_url
                .join(&format!("c/{token}"))
                .map_err(|error| AppError::internal("building the portal link failed", error))?;
            Some(link.to_string())
        }
    };
    let deadline = DateTime::<Utc>::from_timestamp_millis(reminder.deadline_at)
        .ok_or_else(|| AppError::internal("reading a deadline failed", reminder.deadline_at))?;
    let (subject, body_text, body_html) = reminder_email(
        &reminder.organization_name,
        &reminder.role_title,
        &reminder.candidate_name,
        link.as_deref(),
        deadline,
    );
    queue_email(
        &mut transaction,
        &NewEmail {
            organization_id: reminder.organization_id.clone(),
            application_id: Some(reminder.application_id.clone()),
            kind: REMINDER_KIND.into(),
            to_address: reminder.email.clone(),
            subject,
            body_text,
            body_html: Some(body_html),
        },
    )
    .await?;
    transaction.commit().await?;

    tracing::info!(application.id = %reminder.application_id, organization.id = %reminder.organization_id,
        new_link = link.is_some(), "deadline reminder queued");
    Ok(true)
}
