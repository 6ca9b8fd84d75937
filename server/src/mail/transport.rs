//! Email transports: the SMTP server, or the mailbox page when none is configured. One call
//! sends one email and sorts the result into sent, worth retrying, or failed for good.

use std::error::Error as _;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::Error as SmtpError;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use secrecy::ExposeSecret;

use super::message::{build_message, EmailJob};
use crate::config::{MailConfig, SmtpConfig, SmtpSecurity};

/// Timeout of each SMTP command and of connecting.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);
/// Maximum duration of one whole send: connect, TLS, login and the message. The worker's lease
/// must be longer, or a slow send could be claimed and sent again by another process.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(90);
/// Maximum length of a failure reason stored for the mailbox page, in characters.
const MAX_REASON_CHARS: usize = 300;
/// Replies to AUTH that mean the login is wrong (RFC 4954): a settings problem, not a
/// rejection of the email, so the email waits for a fixed setting instead of failing.
const LOGIN_REPLY_CODES: [&str; 4] = ["530", "534", "535", "538"];

/// The transport that emails leave this process by.
pub enum Mailer {
    /// No SMTP server: each email is marked sent into the mailbox page.
    Mailbox,
    Smtp {
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
}

/// Result of one try to send an email.
#[derive(Debug, PartialEq, Eq)]
pub enum SendOutcome {
    /// Sent; the value is stored in `emails.transport`.
    Sent(&'static str),
    /// Failed, but a later try may succeed. `reason` is for the mailbox page, `summary`
    /// for logs: it names the failure without the server's text, which may quote the address.
    Retry { reason: String, summary: String },
    /// Failed for good, such as a 5xx rejection of the recipient.
    Failed { reason: String, summary: String },
}

impl Mailer {
    /// Builds the SMTP transport when one is configured. Nothing connects until the first send.
    pub fn new(config: &MailConfig) -> Result<Self, SmtpError> {
        let MailConfig::Smtp(smtp) = config else {
            return Ok(Self::Mailbox);
        };
        Ok(Self::Smtp {
            transport: Box::new(smtp_transport(smtp)?),
            from: smtp.from.clone(),
        })
    }

    /// Sends the email, or marks it for the mailbox when no SMTP server is configured.
    pub async fn send(&self, job: &EmailJob) -> SendOutcome {
        let (transport, from) = match self {
            Self::Mailbox => return SendOutcome::Sent("mailbox"),
            Self::Smtp { transport, from } => (transport, from),
        };

        let message = match build_message(from, job) {
            Ok(message) => message,
            Err(error) => {
                return SendOutcome::Failed {
                    reason: error.to_string(),
                    summary: error.to_string(),
                }
            }
        };
        match tokio::time::timeout(SEND_TIMEOUT, transport.send(message)).await {
            Ok(Ok(_response)) => SendOutcome::Sent("smtp"),
            Ok(Err(error)) => classify(&error),
            Err(_elapsed) => SendOutcome::Retry {
                reason: format!(
                    "the mail server did not finish within {} s",
                    SEND_TIMEOUT.as_secs()
                ),
                summary: "timed out".into(),
            },
        }
    }
}

// NOTE: the integration tests drive only `tls=none` (aiosmtpd without a certificate). The
// STARTTLS and smtps:// branches use lettre's own TLS setup but no test sends through them.
fn smtp_transport(smtp: &SmtpConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, SmtpError> {
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(smtp.host.as_str())
        .port(smtp.port)
        .timeout(Some(COMMAND_TIMEOUT));

    builder = match smtp.security {
        SmtpSecurity::StartTls => {
            builder.tls(Tls::Required(TlsParameters::new(smtp.host.clone())?))
        }
        SmtpSecurity::ImplicitTls => {
            builder.tls(Tls::Wrapper(TlsParameters::new(smtp.host.clone())?))
        }
        SmtpSecurity::None => builder.tls(Tls::None),
    };
    if let Some(login) = &smtp.credentials {
        builder = builder.credentials(Credentials::new(
            login.user.clone(),
            login.password.expose_secret().to_owned(),
        ));
    }
    Ok(builder.build())
}

/// Sorts an SMTP failure: a 5xx reply is final, except a rejected login; the rest is retried.
fn classify(error: &SmtpError) -> SendOutcome {
    let server_text = error.source().map(ToString::to_string).unwrap_or_default();

    if let Some(code) = error.status() {
        let code = code.to_string();
        let reply = truncate(format!("{code} {server_text}").trim_end());

        if LOGIN_REPLY_CODES.contains(&code.as_str()) {
            return SendOutcome::Retry {
                reason: format!(
                    "the mail server rejected the login ({reply}); check the user name and password in TRYOUT_SMTP_URL"
                ),
                summary: format!("login rejected ({code})"),
            };
        }
        if error.is_permanent() {
            return SendOutcome::Failed {
                reason: format!("the mail server rejected it: {reply}"),
                summary: format!("permanent error ({code})"),
            };
        }
        return SendOutcome::Retry {
            reason: format!("the mail server asked to try later: {reply}"),
            summary: format!("transient error ({code})"),
        };
    }

    let summary = if error.is_timeout() {
        "timed out"
    } else if error.is_tls() {
        "TLS error"
    } else if error.is_client() {
        "client error"
    } else if error.is_response() {
        "unreadable reply"
    } else {
        "connection error"
    };
    SendOutcome::Retry {
        reason: truncate(&error.to_string()),
        summary: summary.into(),
    }
}

fn truncate(text: &str) -> String {
    match text.char_indices().nth(MAX_REASON_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_reasons_are_cut() {
        let long = "é".repeat(MAX_REASON_CHARS + 10);

        let cut = truncate(&long);

        assert_eq!(cut.chars().count(), MAX_REASON_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(truncate("short"), "short");
    }
}
