//! Adding an email to the `emails` table. The caller passes its open transaction, so the
//! email is stored if and only if the change that caused it is.

use sqlx::AnyConnection;

use super::super::clock::{new_id, now_ms};

/// `emails.kind` of a candidate's invitation to the portal.
pub const INVITATION_KIND: &str = "invitation";
/// Kind of the email that reminds a candidate of their deadline.
pub const REMINDER_KIND: &str = "reminder";

/// An email to send. The address and bodies are personal data: they are stored, shown to
/// the organization's admins in the mailbox, and never logged (`Debug` leaves them out).
#[derive(Clone, PartialEq, Eq)]
pub struct NewEmail {
    pub organization_id: String,
    /// The application the email is about, if any.
    pub application_id: Option<String>,
    /// Kind of email, such as [`INVITATION_KIND`].
    pub kind: String,
    /// One recipient: a bare address (`ada@example.com`) or one with a name
    /// (`Ada Lovelace <ada@example.com>`). The worker fails an email whose address does not parse.
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    /// An HTML alternative of `body_text`; every value in it must already be escaped.
    pub body_html: Option<String>,
}

impl std::fmt::Debug for NewEmail {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("NewEmail")
            .field("organization_id", &self.organization_id)
            .field("application_id", &self.application_id)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// Inserts the email as pending and due now; returns its id. Callers pass `&mut *transaction`
/// and call `state.mail_wakeup.notify_one()` after the commit, so the worker sends it without
/// waiting for its next poll.
pub async fn queue_email(
    connection: &mut AnyConnection,
    email: &NewEmail,
) -> Result<String, sqlx::Error> {
    // UUID v7 ids are generated in order, so ordering by id lists emails newest last.
    let id = new_id();
    let now = now_ms();

    sqlx::query(
        "INSERT INTO emails (id, organization_id, application_id, kind, to_address, subject, body_text, body_html,
                             status, attempts, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $9)",
    )
    .bind(&id)
    .bind(&email.organization_id)
    .bind(&email.application_id)
    .bind(&email.kind)
    .bind(&email.to_address)
    .bind(&email.subject)
    .bind(&email.body_text)
    .bind(&email.body_html)
    .bind(now)
    .execute(&mut *connection)
    .await?;

    tracing::info!(email.id = %id, organization.id = %email.organization_id, email.kind = %email.kind, "email queued");
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_leaves_out_personal_data() {
        let email = NewEmail {
            organization_id: "org-1".into(),
            application_id: Some("application-1".into()),
            kind: INVITATION_KIND.into(),
            to_address: "ada@example.com".into(),
            subject: "Secret subject".into(),
            body_text: "https://tryout.example.com/c/token".into(),
            body_html: Some("<p>token</p>".into()),
        };

        let debug = format!("{email:?}");

        assert!(debug.contains("org-1"), "{debug}");
        assert!(debug.contains("application-1"), "{debug}");
        assert!(!debug.contains("ada@example.com"), "{debug}");
        assert!(!debug.contains("Secret subject"), "{debug}");
        assert!(!debug.contains("token"), "{debug}");
    }
}
