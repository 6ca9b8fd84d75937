//! Sends one Data API request and sorts the response into a body or a
//! [`LeverError`]. Logs method, path template and status at debug level,
//! never tokens, query values or bodies.

use std::time::{Duration, Instant};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, ACCEPT, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use tracing::debug;
use url::Url;

use super::pagination::append_offset;
use super::LeverClient;
use crate::error::LeverError;

/// Characters escaped in an id placed in a URL path: all but the RFC 3986
/// unreserved ones, so an id can never add a path segment or a query.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Longest `message` from an error body that is kept, in bytes, so a
/// runaway body does not end up in an admin-facing error.
const MAX_ERROR_MESSAGE_BYTES: usize = 500;

/// One Data API request.
pub(super) struct ApiRequest<'a> {
    pub method: Method,
    /// Path with placeholders, e.g. `/opportunities/{id}/notes`. Logged in
    /// place of the real path, which contains ids.
    pub template: &'static str,
    /// Path below the API base with ids already escaped, e.g.
    /// `/opportunities/abc/notes`.
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    /// Pagination token from the previous page, sent without re-encoding.
    pub offset: Option<&'a str>,
    pub body: Option<serde_json::Value>,
}

impl<'a> ApiRequest<'a> {
    pub fn new(method: Method, template: &'static str, path: String) -> Self {
        Self {
            method,
            template,
            path,
            query: Vec::new(),
            offset: None,
            body: None,
        }
    }

    /// Adds `perform_as` when given. Lever takes it as a query parameter.
    pub fn perform_as(mut self, user_id: Option<&str>) -> Self {
        if let Some(user_id) = user_id {
            self.query.push(("perform_as", user_id.to_string()));
        }
        self
    }

    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Builds the full URL: the API base as text, plus the path, the query
    /// and the verbatim offset.
    pub fn url(&self, api_base: &Url) -> Result<Url, LeverError> {
        let base = api_base.as_str().trim_end_matches('/');
        let mut url = Url::parse(&format!("{base}{}", self.path)).map_err(|error| {
            LeverError::Config(format!(
                "invalid Data API URL for {}: {error}",
                self.template
            ))
        })?;

        if !self.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &self.query {
                pairs.append_pair(name, value);
            }
        }

        if let Some(offset) = self.offset {
            append_offset(&mut url, offset);
        }

        Ok(url)
    }
}

/// Escapes one id for use as a URL path segment.
pub(super) fn segment(id: &str) -> String {
    utf8_percent_encode(id, PATH_SEGMENT).to_string()
}

impl LeverClient {
    /// Sends `request` with the bearer token and returns the body of a 2xx
    /// response.
    pub(super) async fn send(
        &self,
        access_token: &str,
        request: ApiRequest<'_>,
    ) -> Result<Vec<u8>, LeverError> {
        let url = request.url(&self.inner.hosts.api_base)?;
        let http = if request.method == Method::GET {
            &self.inner.read_http
        } else {
            &self.inner.write_http
        };

        let mut builder = http
            .request(request.method.clone(), url)
            .bearer_auth(access_token)
            .header(ACCEPT, "application/json");
        if let Some(body) = &request.body {
            builder = builder.json(body);
        }

        let started = Instant::now();
        let response = builder.send().await;
        let elapsed_ms = started.elapsed().as_millis() as u64;

        let response = match response {
            Ok(response) => response,
            Err(error) => {
                let error = transport_error(error);
                debug!(method = %request.method, path = request.template, elapsed_ms, %error, "Lever API request failed");
                return Err(error);
            }
        };

        let status = response.status();
        debug!(method = %request.method, path = request.template, status = status.as_u16(), elapsed_ms, "Lever API request");

        let retry_after = parse_retry_after(response.headers());
        let body = response.bytes().await.map_err(transport_error)?;
        if status.is_success() {
            return Ok(body.to_vec());
        }

        Err(status_error(status, retry_after, &body))
    }

    /// Sends `request` and parses the `data` of the response as `T`.
    pub(super) async fn send_for_data<T: DeserializeOwned>(
        &self,
        access_token: &str,
        request: ApiRequest<'_>,
    ) -> Result<T, LeverError> {
        let template = request.template;
        let body = self.send(access_token, request).await?;

        decode_data(template, &body)
    }
}

/// Parses a single-object response. Lever wraps objects in `{"data": ...}`,
/// but some documented examples omit the wrapper, so a body without a `data`
/// key is parsed as the object itself.
pub(super) fn decode_data<T: DeserializeOwned>(
    template: &str,
    body: &[u8],
) -> Result<T, LeverError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|error| {
        LeverError::Decode(format!("{template}: the body is not JSON ({error})"))
    })?;

    let data = match value {
        serde_json::Value::Object(mut object) if object.contains_key("data") => {
            object.remove("data").unwrap_or_default()
        }
        other => other,
    };

    serde_json::from_value(data).map_err(|error| {
        LeverError::Decode(format!("{template}: {}", redact_quoted(&error.to_string())))
    })
}

/// Parses a whole JSON body, e.g. a list page, as `T`.
pub(super) fn decode_body<T: DeserializeOwned>(
    template: &str,
    body: &[u8],
) -> Result<T, LeverError> {
    serde_json::from_slice(body).map_err(|error| {
        LeverError::Decode(format!("{template}: {}", redact_quoted(&error.to_string())))
    })
}

/// Lever's error body, `{"code": "...", "message": "..."}`.
#[derive(Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// Maps a non-2xx Data API status to an error. A missing or unreadable body
/// gives empty `code` and `message`.
pub(super) fn status_error(
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &[u8],
) -> LeverError {
    let parsed: ErrorBody = serde_json::from_slice(body).unwrap_or_default();
    let code = parsed.code.unwrap_or_default();
    let message = truncate(parsed.message.unwrap_or_default(), MAX_ERROR_MESSAGE_BYTES);

    match status.as_u16() {
        401 => LeverError::Unauthorized,
        403 => LeverError::Forbidden { code, message },
        404 => LeverError::NotFound { code, message },
        429 => LeverError::RateLimited { retry_after },
        500..=599 => LeverError::Server {
            status: status.as_u16(),
        },
        other => LeverError::Rejected {
            status: other,
            code,
            message,
        },
    }
}

/// Maps a reqwest failure to [`LeverError::Timeout`] or
/// [`LeverError::Connect`]. The URL is dropped because its query may carry
/// an email filter.
pub(super) fn transport_error(error: reqwest::Error) -> LeverError {
    if error.is_timeout() {
        return LeverError::Timeout;
    }

    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }

    LeverError::Connect(text)
}

/// Reads `Retry-After` given in whole seconds.
///
/// NOTE: the HTTP-date form reads as `None`, and so does a missing header.
/// Lever does not document whether it sends the header at all.
pub(super) fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    let seconds = value.trim().parse::<u64>().ok()?;

    Some(Duration::from_secs(seconds))
}

/// Replaces every double-quoted string in a serde error message with `"…"`,
/// because serde quotes the offending value, which may be personal data.
pub(super) fn redact_quoted(message: &str) -> String {
    let mut redacted = String::with_capacity(message.len());
    let mut chars = message.chars();

    while let Some(character) = chars.next() {
        if character != '"' {
            redacted.push(character);
            continue;
        }

        redacted.push_str("\"…\"");
        while let Some(inner) = chars.next() {
            match inner {
                '\\' => {
                    chars.next();
                }
                '"' => break,
                _ => {}
            }
        }
    }

    redacted
}

/// Cuts `text` to at most `max_bytes`, on a character boundary.
fn truncate(mut text: String, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text;
    }

    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push('…');

    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_parsed() {
        let body = br#"{"code":"ResourceNotFound","message":"Opportunity not found"}"#;

        match status_error(StatusCode::NOT_FOUND, None, body) {
            LeverError::NotFound { code, message } => {
                assert_eq!(code, "ResourceNotFound");
                assert_eq!(message, "Opportunity not found");
            }
            other => panic!("expected NotFound, got {other:?}"),
        }
    }

    #[test]
    fn missing_error_body_gives_empty_strings() {
        match status_error(StatusCode::BAD_REQUEST, None, b"") {
            LeverError::Rejected {
                status,
                code,
                message,
            } => {
                assert_eq!(status, 400);
                assert_eq!(code, "");
                assert_eq!(message, "");
            }
            other => panic!("expected Rejected, got {other:?}"),
        }
    }

    #[test]
    fn html_error_body_gives_empty_strings() {
        match status_error(StatusCode::FORBIDDEN, None, b"<html>Forbidden</html>") {
            LeverError::Forbidden { code, message } => {
                assert_eq!(code, "");
                assert_eq!(message, "");
            }
            other => panic!("expected Forbidden, got {other:?}"),
        }
    }

    #[test]
    fn statuses_map_to_variants() {
        assert!(matches!(
            status_error(StatusCode::UNAUTHORIZED, None, b""),
            LeverError::Unauthorized
        ));
        assert!(matches!(
            status_error(StatusCode::SERVICE_UNAVAILABLE, None, b""),
            LeverError::Server { status: 503 }
        ));
        assert!(matches!(
            status_error(
                StatusCode::TOO_MANY_REQUESTS,
                Some(Duration::from_secs(2)),
                b""
            ),
            LeverError::RateLimited {
                retry_after: Some(_)
            }
        ));
        assert!(matches!(
            status_error(StatusCode::UNPROCESSABLE_ENTITY, None, b""),
            LeverError::Rejected { status: 422, .. }
        ));
    }

    #[test]
    fn long_error_message_truncated() {
        let body =
            serde_json::json!({"code": "BadRequest", "message": "é".repeat(400)}).to_string();

        match status_error(StatusCode::BAD_REQUEST, None, body.as_bytes()) {
            LeverError::Rejected { message, .. } => {
                assert!(message.len() <= MAX_ERROR_MESSAGE_BYTES + '…'.len_utf8())
            }
            other => panic!("expected Rejected, got {other:?}"),
        }
    }

    #[test]
    fn retry_after_seconds_parsed() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());

        assert_eq!(parse_retry_after(&headers), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn serde_values_redacted() {
        let message = r#"invalid type: string "jane@example.com", expected i64 at line 1 column 9"#;

        let redacted = redact_quoted(message);

        assert!(!redacted.contains("jane"), "{redacted}");
        assert!(redacted.contains("expected i64"), "{redacted}");
    }

    #[test]
    fn escaped_quotes_redacted() {
        let redacted = redact_quoted(r#"invalid value: string "a\"b@example.com", expected x"#);

        assert!(!redacted.contains("example"), "{redacted}");
        assert!(redacted.ends_with("expected x"), "{redacted}");
    }

    #[test]
    fn data_envelope_optional() {
        #[derive(Deserialize)]
        struct Item {
            id: String,
        }

        let wrapped: Item = decode_data("/x", br#"{"data":{"id":"a"}}"#).unwrap();
        let bare: Item = decode_data("/x", br#"{"id":"b"}"#).unwrap();

        assert_eq!(wrapped.id, "a");
        assert_eq!(bare.id, "b");
    }

    #[test]
    fn ids_escaped_in_path() {
        assert_eq!(segment("lead-new"), "lead-new");
        assert_eq!(segment("a/b?c"), "a%2Fb%3Fc");
    }

    #[test]
    fn url_joins_base_without_trailing_slash() {
        let base = Url::parse("https://api.lever.co/v1").unwrap();
        let request = ApiRequest::new(Method::GET, "/stages", "/stages".to_string());

        assert_eq!(
            request.url(&base).unwrap().as_str(),
            "https://api.lever.co/v1/stages"
        );
    }
}
