//! Building the MIME message of a queued email.

use app::ssr::mail::one_line;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart};
use lettre::Message;

/// A claimed row of `emails`, as the sender needs it. `Debug` leaves out the address,
/// subject and bodies, which are personal data.
#[derive(Clone, sqlx::FromRow)]
pub struct EmailJob {
    pub id: String,
    pub organization_id: String,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    /// Tries so far, counting the one in progress.
    pub attempts: i64,
}

impl std::fmt::Debug for EmailJob {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("EmailJob")
            .field("id", &self.id)
            .field("organization_id", &self.organization_id)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// Failure to build a message. Retrying fixes neither kind.
#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    // The address is personal data, so the message does not repeat it.
    #[error("the recipient address is invalid")]
    InvalidRecipient,
    #[error("the message could not be built: {0}")]
    Build(#[from] lettre::error::Error),
}

/// Builds the message from `from` to the job's recipient: plain text, or plain text and
/// HTML as alternatives. The Message-ID derives from the row id, so a message sent again
/// after a lost reply carries the same id and mail clients can recognise the copy.
pub fn build_message(from: &Mailbox, job: &EmailJob) -> Result<Message, MessageError> {
    let to: Mailbox = job
        .to_address
        .trim()
        .parse()
        .map_err(|_| MessageError::InvalidRecipient)?;
    let message_id = format!("<{}@{}>", job.id, from.email.domain());

    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(one_line(&job.subject))
        .message_id(Some(message_id))
        .date_now();

    let message = match &job.body_html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            job.body_text.clone(),
            html.clone(),
        ))?,
        None => builder
            .header(ContentType::TEXT_PLAIN)
            .body(job.body_text.clone())?,
    };
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(to_address: &str, body_html: Option<&str>) -> EmailJob {
        EmailJob {
            id: "0193a6f0-0000-7000-8000-000000000001".into(),
            organization_id: "org".into(),
            to_address: to_address.into(),
            subject: "Your next step\r\nBcc: someone@example.com".into(),
            body_text: "Open https://tryout.example.com/c/abc".into(),
            body_html: body_html.map(str::to_owned),
            attempts: 1,
        }
    }

    fn from() -> Mailbox {
        "Northwind Hiring <hiring@northwind.example>"
            .parse()
            .unwrap()
    }

    #[test]
    fn message_has_headers_and_both_bodies() {
        let message = build_message(
            &from(),
            &job("Ada Lovelace <ada@example.com>", Some("<p>Open</p>")),
        )
        .unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();

        assert!(
            raw.contains("From: \"Northwind Hiring\" <hiring@northwind.example>"),
            "{raw}"
        );
        assert!(
            raw.contains("To: \"Ada Lovelace\" <ada@example.com>"),
            "{raw}"
        );
        assert!(
            raw.contains("Message-ID: <0193a6f0-0000-7000-8000-000000000001@northwind.example>"),
            "{raw}"
        );
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("text/html"), "{raw}");
        assert!(raw.contains("https://tryout.example.com/c/abc"), "{raw}");
    }

    #[test]
    fn subject_cannot_add_a_header() {
        let message = build_message(&from(), &job("ada@example.com", None)).unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();

        assert!(!raw.contains("\r\nBcc:"), "{raw}");
        assert!(raw.contains("Content-Type: text/plain"), "{raw}");
        assert_eq!(message.envelope().to().len(), 1);
    }

    #[test]
    fn invalid_recipient_is_rejected_without_echo() {
        let error = build_message(&from(), &job("not an address", None)).unwrap_err();

        assert!(matches!(error, MessageError::InvalidRecipient));
        assert!(!error.to_string().contains("not an address"));
    }
}
