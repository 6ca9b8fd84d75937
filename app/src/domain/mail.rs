//! The mailbox page's data: the organization's emails as admins see them, and email text
//! split into plain text and links.

use serde::{Deserialize, Serialize};

/// Delivery state of an email, as the mailbox shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delivery {
    /// Kept in the mailbox, because no SMTP server was configured when it was sent.
    Mailbox,
    /// Accepted by the SMTP server.
    Smtp,
    /// Not sent yet. `last_error` is why the previous try failed, if one did.
    Waiting { last_error: Option<String> },
    /// Stopped: the mail server rejected it, or every retry failed.
    Failed { reason: String },
}

impl Delivery {
    /// Returns the status as the mailbox shows it, such as "Failed: …".
    pub fn label(&self) -> String {
        match self {
            Self::Mailbox => "In the mailbox".into(),
            Self::Smtp => "Sent by SMTP".into(),
            Self::Waiting { last_error: None } => "Waiting to send".into(),
            Self::Waiting {
                last_error: Some(error),
            } => format!("Waiting to send (last try: {error})"),
            Self::Failed { reason } => format!("Failed: {reason}"),
        }
    }

    /// Returns a short token for styling: mailbox, smtp, waiting or failed.
    pub fn css_state(&self) -> &'static str {
        match self {
            Self::Mailbox => "mailbox",
            Self::Smtp => "smtp",
            Self::Waiting { .. } => "waiting",
            Self::Failed { .. } => "failed",
        }
    }
}

/// One email in the mailbox list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxEmail {
    pub id: String,
    pub to_address: String,
    pub subject: String,
    /// When it was sent, or queued if it was not sent yet, formatted in UTC.
    pub when_text: String,
    pub delivery: Delivery,
}

/// The mailbox page: the organization's newest emails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mailbox {
    /// Whether this server sends email over SMTP; without SMTP every email stays here.
    pub smtp_configured: bool,
    /// Newest first, at most [`Mailbox::LIMIT`].
    pub emails: Vec<MailboxEmail>,
    /// Whether older emails exist beyond the list.
    pub truncated: bool,
}

impl Mailbox {
    /// Maximum number of emails the list shows.
    pub const LIMIT: usize = 200;
}

/// One email opened in the mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailDetail {
    pub id: String,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub queued_text: String,
    pub sent_text: Option<String>,
    pub delivery: Delivery,
    pub attempts: i64,
    pub body_text: String,
    /// The HTML body, prepared to be shown in a sandboxed iframe's `srcdoc`.
    pub body_html: Option<String>,
}

/// A piece of email text: plain text, or an http(s) URL to show as a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextSegment {
    Text(String),
    Link(String),
}

/// Splits `text` into plain text and http(s) URLs. A URL ends at whitespace or at `<`, `>`
/// or `"`. Punctuation that usually ends a sentence (`.` `,` `;` `:` `!` `?` `)` `]` `'`)
/// is left out of a URL's end.
pub fn link_segments(text: &str) -> Vec<TextSegment> {
    let mut segments = Vec::new();
    let mut plain = String::new();
    let mut rest = text;

    while let Some((start, scheme_length)) = next_url_start(rest) {
        let candidate = &rest[start..];
        let end = candidate
            .find(|character: char| {
                character.is_whitespace() || matches!(character, '<' | '>' | '"')
            })
            .unwrap_or(candidate.len());
        let url = candidate[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '\'']);

        if url.len() <= scheme_length {
            // A scheme with nothing after it is text.
            plain.push_str(&rest[..start + scheme_length]);
            rest = &rest[start + scheme_length..];
            continue;
        }

        plain.push_str(&rest[..start]);
        if !plain.is_empty() {
            segments.push(TextSegment::Text(std::mem::take(&mut plain)));
        }
        segments.push(TextSegment::Link(url.to_owned()));
        rest = &rest[start + url.len()..];
    }

    plain.push_str(rest);
    if !plain.is_empty() {
        segments.push(TextSegment::Text(plain));
    }
    segments
}

/// Returns the byte offset and scheme length of the first `http://` or `https://` in `text`.
fn next_url_start(text: &str) -> Option<(usize, usize)> {
    ["https://", "http://"]
        .into_iter()
        .filter_map(|scheme| text.find(scheme).map(|start| (start, scheme.len())))
        .min_by_key(|(start, _)| *start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> TextSegment {
        TextSegment::Text(value.into())
    }

    fn link(value: &str) -> TextSegment {
        TextSegment::Link(value.into())
    }

    #[test]
    fn url_on_its_own_line_becomes_link() {
        assert_eq!(
            link_segments("Open your link:\nhttps://tryout.example.com/c/abc\n\nThanks"),
            vec![
                text("Open your link:\n"),
                link("https://tryout.example.com/c/abc"),
                text("\n\nThanks"),
            ]
        );
    }

    #[test]
    fn sentence_punctuation_stays_out_of_link() {
        assert_eq!(
            link_segments("See http://example.com/a?b=1. Or (https://example.org/x)."),
            vec![
                text("See "),
                link("http://example.com/a?b=1"),
                text(". Or ("),
                link("https://example.org/x"),
                text(")."),
            ]
        );
    }

    #[test]
    fn markup_around_url_ends_it() {
        assert_eq!(
            link_segments("<https://example.com/x>\"https://example.com/y\""),
            vec![
                text("<"),
                link("https://example.com/x"),
                text(">\""),
                link("https://example.com/y"),
                text("\""),
            ]
        );
    }

    #[test]
    fn bare_scheme_and_other_schemes_stay_text() {
        assert_eq!(
            link_segments("https:// and javascript:alert(1) and ftp://x"),
            vec![text("https:// and javascript:alert(1) and ftp://x")]
        );
    }

    #[test]
    fn text_without_urls_is_one_segment() {
        assert_eq!(link_segments("Hello Ada,"), vec![text("Hello Ada,")]);
        assert_eq!(link_segments(""), vec![]);
    }

    #[test]
    fn labels_name_how_email_went() {
        assert_eq!(Delivery::Mailbox.label(), "In the mailbox");
        assert_eq!(Delivery::Smtp.label(), "Sent by SMTP");
        assert_eq!(
            Delivery::Waiting { last_error: None }.label(),
            "Waiting to send"
        );
        assert_eq!(
            Delivery::Failed {
                reason: "550 no such user".into()
            }
            .label(),
            "Failed: 550 no such user"
        );
    }
}
