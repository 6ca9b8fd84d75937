//! Outgoing email settings, read from TRYOUT_SMTP_URL and TRYOUT_MAIL_FROM. Without an SMTP
//! URL no email is delivered: each one stays in the mailbox page, as in `tryout demo`.

use std::fmt;

use lettre::message::Mailbox;
use secrecy::SecretString;
use url::Url;

use super::ConfigError;
use crate::cli::MailArgs;

/// Port for `smtp://` with STARTTLS (message submission).
const SUBMISSION_PORT: u16 = 587;
/// Port for `smtps://`, TLS from the first byte (submission over TLS).
const SUBMISSIONS_PORT: u16 = 465;
/// Port for `smtp://…?tls=none`, a relay without TLS.
const RELAY_PORT: u16 = 25;

/// Destination of outgoing email.
#[derive(Debug, Clone)]
pub enum MailConfig {
    /// No SMTP server: emails are marked sent into the mailbox page and delivered to no one.
    Mailbox,
    Smtp(SmtpConfig),
}

/// An SMTP server that Tryout submits its emails to.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// Login for the server; `None` for a relay that takes mail without one.
    pub credentials: Option<SmtpCredentials>,
    /// Sender of every email (the From header and the envelope sender).
    pub from: Mailbox,
}

#[derive(Debug, Clone)]
pub struct SmtpCredentials {
    pub user: String,
    pub password: SecretString,
}

/// Encryption of the connection to the SMTP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which must succeed (`smtp://`).
    StartTls,
    /// TLS from the start (`smtps://`).
    ImplicitTls,
    /// No encryption (`smtp://…?tls=none`), for a relay on the same host or network.
    None,
}

/// Describes the server for logs and errors, without the login.
impl fmt::Display for SmtpConfig {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (scheme, security) = match self.security {
            SmtpSecurity::StartTls => ("smtp", "STARTTLS"),
            SmtpSecurity::ImplicitTls => ("smtps", "TLS"),
            SmtpSecurity::None => ("smtp", "no TLS"),
        };
        write!(
            formatter,
            "{scheme}://{}:{} ({security})",
            self.host, self.port
        )
    }
}

impl MailConfig {
    /// Reads the mail settings. TRYOUT_MAIL_FROM is required when TRYOUT_SMTP_URL is set.
    pub fn from_args(args: &MailArgs) -> Result<Self, ConfigError> {
        let Some(value) = args.smtp_url.as_deref() else {
            return Ok(Self::Mailbox);
        };

        let from = match args.mail_from.as_deref().map(str::trim) {
            None | Some("") => return Err(ConfigError::MissingMailFrom),
            Some(from) => from.parse::<Mailbox>().map_err(|error| {
                ConfigError::InvalidMailFrom(from.to_owned(), error.to_string())
            })?,
        };
        Ok(Self::Smtp(smtp_config(value, from)?))
    }
}

fn smtp_config(value: &str, from: Mailbox) -> Result<SmtpConfig, ConfigError> {
    // The URL may hold a password, so errors show only its scheme, host and port.
    let url = Url::parse(value).map_err(|error| {
        ConfigError::InvalidSmtpUrl("(unreadable)".into(), parse_error_reason(error))
    })?;
    let shown = redacted(&url);
    let invalid = |reason: &str| ConfigError::InvalidSmtpUrl(shown.clone(), reason.to_owned());

    if !matches!(url.scheme(), "smtp" | "smtps") {
        return Err(invalid(&format!(
            "the scheme {}: is not supported; start it with smtp:// or smtps://",
            url.scheme()
        )));
    }
    let host = match url.host_str() {
        Some(host) if !host.is_empty() => host.trim_matches(['[', ']']).to_owned(),
        _ => return Err(invalid("it names no host")),
    };
    if !matches!(url.path(), "" | "/") || url.fragment().is_some() {
        return Err(invalid("it takes no path or fragment"));
    }

    let mut tls = None;
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "tls" if tls.is_none() => tls = Some(value.into_owned()),
            "tls" => return Err(invalid("tls is given twice")),
            other => {
                return Err(invalid(&format!(
                    "the query parameter {other:?} is unknown; only tls=none is accepted"
                )))
            }
        }
    }
    let security = match (url.scheme(), tls.as_deref()) {
        ("smtp", None | Some("starttls")) => SmtpSecurity::StartTls,
        ("smtp", Some("none")) => SmtpSecurity::None,
        ("smtp", Some(other)) => {
            return Err(invalid(&format!(
                "tls={other} is unknown; use tls=none for a relay without TLS, or leave it out for STARTTLS"
            )))
        }
        ("smtps", None) => SmtpSecurity::ImplicitTls,
        _ => return Err(invalid("smtps:// always uses TLS and takes no tls parameter")),
    };
    let port = url.port().unwrap_or(match security {
        SmtpSecurity::StartTls => SUBMISSION_PORT,
        SmtpSecurity::ImplicitTls => SUBMISSIONS_PORT,
        SmtpSecurity::None => RELAY_PORT,
    });

    let credentials = credentials(&url).map_err(&invalid)?;
    if credentials.is_some() && security == SmtpSecurity::None {
        return Err(invalid(
            "with tls=none the password would cross the network unencrypted; use STARTTLS or smtps://, or drop the login",
        ));
    }

    Ok(SmtpConfig {
        host,
        port,
        security,
        credentials,
        from,
    })
}

/// Reads the percent-encoded user name and password of the URL, if it has any.
fn credentials(url: &Url) -> Result<Option<SmtpCredentials>, &'static str> {
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(text)
            .decode_utf8()
            .map(|decoded| decoded.into_owned())
            .map_err(|_| "the user name or password is not valid percent-encoded UTF-8")
    };

    match (url.username(), url.password()) {
        ("", None) => Ok(None),
        ("", Some(_)) => Err("it has a password but no user name"),
        (_, None) => Err("it has a user name but no password; write smtp://USER:PASSWORD@HOST"),
        (user, Some(password)) => Ok(Some(SmtpCredentials {
            user: decode(user)?,
            password: SecretString::from(decode(password)?),
        })),
    }
}

/// Returns `scheme://host:port` of the URL, without login, path or query.
fn redacted(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (None, _) => format!("{}:…", url.scheme()),
        (Some(host), Some(port)) => format!("{}://{host}:{port}", url.scheme()),
        (Some(host), None) => format!("{}://{host}", url.scheme()),
    }
}

fn parse_error_reason(error: url::ParseError) -> String {
    match error {
        url::ParseError::RelativeUrlWithoutBase => "it has no scheme".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    fn args(smtp_url: Option<&str>, mail_from: Option<&str>) -> MailArgs {
        MailArgs {
            smtp_url: smtp_url.map(str::to_owned),
            mail_from: mail_from.map(str::to_owned),
        }
    }

    fn smtp(url: &str) -> SmtpConfig {
        match MailConfig::from_args(&args(Some(url), Some("Hiring <hiring@example.com>"))).unwrap()
        {
            MailConfig::Smtp(smtp) => smtp,
            MailConfig::Mailbox => panic!("expected SMTP for {url}"),
        }
    }

    fn rejection(url: &str) -> String {
        MailConfig::from_args(&args(Some(url), Some("hiring@example.com")))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn unset_url_keeps_mail_in_mailbox() {
        assert!(matches!(
            MailConfig::from_args(&args(None, None)),
            Ok(MailConfig::Mailbox)
        ));
    }

    #[test]
    fn smtp_url_uses_starttls_with_login() {
        let smtp = smtp("smtp://apikey:p%40ss%2Fword@mail.example.com");

        assert_eq!(smtp.host, "mail.example.com");
        assert_eq!(smtp.port, SUBMISSION_PORT);
        assert_eq!(smtp.security, SmtpSecurity::StartTls);
        let credentials = smtp.credentials.expect("a login");
        assert_eq!(credentials.user, "apikey");
        assert_eq!(credentials.password.expose_secret(), "p@ss/word");
        assert_eq!(smtp.from.email.to_string(), "hiring@example.com");
        assert_eq!(smtp.from.name.as_deref(), Some("Hiring"));
    }

    #[test]
    fn smtps_url_uses_implicit_tls() {
        let custom_port = smtp("smtps://user:secret@mail.example.com:2465");
        let default_port = smtp("smtps://user:secret@mail.example.com");

        assert_eq!(custom_port.port, 2465);
        assert_eq!(custom_port.security, SmtpSecurity::ImplicitTls);
        assert_eq!(default_port.port, SUBMISSIONS_PORT);
    }

    #[test]
    fn tls_none_is_a_relay_without_login() {
        let smtp = smtp("smtp://127.0.0.1:2525?tls=none");

        assert_eq!(smtp.host, "127.0.0.1");
        assert_eq!(smtp.port, 2525);
        assert_eq!(smtp.security, SmtpSecurity::None);
        assert!(smtp.credentials.is_none());
        assert_eq!(smtp.to_string(), "smtp://127.0.0.1:2525 (no TLS)");
    }

    #[test]
    fn description_and_debug_hide_password() {
        let smtp = smtp("smtp://user:hunter2@mail.example.com:587");

        assert_eq!(smtp.to_string(), "smtp://mail.example.com:587 (STARTTLS)");
        assert!(!format!("{smtp:?}").contains("hunter2"));
    }

    #[test]
    fn bad_smtp_urls_are_rejected() {
        let cases = [
            ("mail.example.com:587", "start it with smtp:// or smtps://"),
            ("127.0.0.1:587", "it has no scheme"),
            (
                "http://mail.example.com",
                "the scheme http: is not supported",
            ),
            ("smtp://", "names no host"),
            ("smtp://mail.example.com/path", "no path or fragment"),
            ("smtp://mail.example.com?tls=maybe", "tls=maybe is unknown"),
            (
                "smtp://mail.example.com?tls=none&tls=none",
                "tls is given twice",
            ),
            ("smtp://mail.example.com?port=25", "\"port\" is unknown"),
            (
                "smtps://mail.example.com?tls=none",
                "takes no tls parameter",
            ),
            ("smtp://user@mail.example.com", "no password"),
            ("smtp://:secret@mail.example.com", "no user name"),
        ];

        for (url, reason) in cases {
            let message = rejection(url);
            assert!(message.starts_with("TRYOUT_SMTP_URL"), "{url:?}: {message}");
            assert!(message.contains(reason), "{url:?}: {message}");
        }
    }

    #[test]
    fn login_without_tls_is_rejected_without_echo() {
        let message = rejection("smtp://user:hunter2@relay.internal:25?tls=none");

        assert!(message.contains("unencrypted"), "{message}");
        assert!(message.contains("smtp://relay.internal:25"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
    }

    #[test]
    fn sender_is_required_and_checked() {
        let url = Some("smtp://127.0.0.1:2525?tls=none");

        let missing = MailConfig::from_args(&args(url, None))
            .unwrap_err()
            .to_string();
        let blank = MailConfig::from_args(&args(url, Some("  ")))
            .unwrap_err()
            .to_string();
        let invalid = MailConfig::from_args(&args(url, Some("not an address")))
            .unwrap_err()
            .to_string();

        assert!(
            missing.starts_with("TRYOUT_MAIL_FROM is missing"),
            "{missing}"
        );
        assert_eq!(blank, missing);
        assert!(
            invalid.starts_with("TRYOUT_MAIL_FROM \"not an address\" is invalid"),
            "{invalid}"
        );
    }

    #[test]
    fn sender_without_smtp_is_ignored() {
        assert!(matches!(
            MailConfig::from_args(&args(None, Some("not an address"))),
            Ok(MailConfig::Mailbox)
        ));
    }
}
