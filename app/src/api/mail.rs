//! The mailbox page's data: the organization's emails, for Admins and Super Admins.

use leptos::prelude::*;

use crate::domain::mail::{EmailDetail, Mailbox};
use crate::error::AppError;

/// Lists the newest emails of the caller's organization, newest first.
#[server(prefix = "/api", endpoint = "list_mailbox")]
pub async fn list_mailbox() -> Result<Mailbox, AppError> {
    use crate::domain::mail::MailboxEmail;
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::state::app_state;

    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        to_address: String,
        subject: String,
        status: String,
        transport: Option<String>,
        last_error: Option<String>,
        created_at: i64,
        sent_at: Option<i64>,
    }

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ViewMailbox)?;
            let state = app_state()?;

            // Fetching one row past the limit shows whether older emails exist.
            let rows: Vec<Row> = sqlx::query_as(
                "SELECT id, to_address, subject, status, transport, last_error, created_at, sent_at
                 FROM emails WHERE organization_id = $1
                 ORDER BY id DESC LIMIT $2",
            )
            .bind(&staff.organization_id)
            .bind(Mailbox::LIMIT as i64 + 1)
            .fetch_all(&state.db)
            .await?;

            let truncated = rows.len() > Mailbox::LIMIT;
            let emails = rows
                .into_iter()
                .take(Mailbox::LIMIT)
                .map(|row| MailboxEmail {
                    delivery: delivery(&row.status, row.transport.as_deref(), row.last_error),
                    when_text: format_time(row.sent_at.unwrap_or(row.created_at)),
                    id: row.id,
                    to_address: row.to_address,
                    subject: row.subject,
                })
                .collect();

            Ok(Mailbox {
                smtp_configured: state.smtp_configured,
                emails,
                truncated,
            })
        }
        .await,
    )
}

/// Opens one email of the caller's organization. An id of another organization's email
/// gets the same 404 as an unknown one.
#[server(prefix = "/api", endpoint = "read_email")]
pub async fn read_email(id: String) -> Result<EmailDetail, AppError> {
    use crate::domain::staff::StaffRole;
    use crate::ssr::authz::{require_staff, Permission};
    use crate::ssr::mail::{
        html_for_frame, PASSWORD_RESET_KIND, SIGN_IN_LINK_KIND, STAFF_INVITATION_KIND,
    };
    use crate::ssr::state::app_state;

    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        kind: String,
        to_address: String,
        subject: String,
        body_text: String,
        body_html: Option<String>,
        status: String,
        transport: Option<String>,
        attempts: i64,
        last_error: Option<String>,
        created_at: i64,
        sent_at: Option<i64>,
    }

    super::with_status(
        async {
            let staff = require_staff().await?;
            staff.require(Permission::ViewMailbox)?;
            let state = app_state()?;

            let row: Row = sqlx::query_as(
                "SELECT id, kind, to_address, subject, body_text, body_html, status, transport, attempts,
                        last_error, created_at, sent_at
                 FROM emails WHERE id = $1 AND organization_id = $2",
            )
            .bind(&id)
            .bind(&staff.organization_id)
            .fetch_optional(&state.db)
            .await?
            .ok_or_else(|| AppError::NotFound("No such email in your organization's mailbox.".into()))?;

            // A staff link signs its holder in as the recipient, so only the recipient, or a
            // Super Admin when the mailbox is the only delivery (no SMTP), may read it.
            let staff_link = [STAFF_INVITATION_KIND, SIGN_IN_LINK_KIND, PASSWORD_RESET_KIND]
                .contains(&row.kind.as_str());
            let may_read_link = row.to_address.eq_ignore_ascii_case(&staff.email)
                || (staff.role == StaffRole::SuperAdmin && row.transport.as_deref() != Some("smtp"));
            let (body_text, body_html) = if staff_link && !may_read_link {
                (hide_links(&row.body_text, state.public_url.as_str()), None)
            } else {
                (row.body_text, row.body_html.as_deref().map(html_for_frame))
            };

            Ok(EmailDetail {
                delivery: delivery(&row.status, row.transport.as_deref(), row.last_error),
                queued_text: format_time(row.created_at),
                sent_text: row.sent_at.map(format_time),
                body_html,
                id: row.id,
                kind: row.kind,
                to_address: row.to_address,
                subject: row.subject,
                attempts: row.attempts,
                body_text,
            })
        }
        .await,
    )
}

/// Maps a row's status, transport and last error to what the mailbox shows.
#[cfg(feature = "ssr")]
fn delivery(
    status: &str,
    transport: Option<&str>,
    last_error: Option<String>,
) -> crate::domain::mail::Delivery {
    use crate::domain::mail::Delivery;

    match (status, transport) {
        ("sent", Some("smtp")) => Delivery::Smtp,
        ("sent", _) => Delivery::Mailbox,
        ("failed", _) => Delivery::Failed {
            reason: last_error.unwrap_or_else(|| "no reason was recorded".into()),
        },
        _ => Delivery::Waiting { last_error },
    }
}

/// "11 Dec 2026, 18:30 UTC" for Unix milliseconds. Staff time zones are not stored, so
/// times are shown in UTC.
#[cfg(feature = "ssr")]
fn format_time(unix_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(unix_ms)
        .map(|time| time.format("%-d %b %Y, %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// Replaces each line of `body` that contains a link into Tryout (one that contains `base`) with
/// a note, so a staff sign-in, reset or invitation link cannot be used by another reader.
#[cfg(feature = "ssr")]
fn hide_links(body: &str, base: &str) -> String {
    body.lines()
        .map(|line| {
            if line.contains(base.trim_end_matches('/')) {
                "[Link hidden: only the person this email was sent to can use it.]"
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::hide_links;

    #[test]
    fn staff_link_is_hidden() {
        let body = "Hello,\n\nhttps://tryout.example.com/sign-in/link/abc\n\nThanks";

        let hidden = hide_links(body, "https://tryout.example.com/");

        assert!(!hidden.contains("/sign-in/link/abc"), "{hidden}");
        assert!(hidden.contains("Link hidden"), "{hidden}");
        assert!(hidden.starts_with("Hello,"), "{hidden}");
    }
}
