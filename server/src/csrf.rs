//! Cross-site request forgery protection for every state-changing request that is not a
//! server function call with a JSON body.
//!
//! A page on another site can make a browser send a form (URL-encoded or multipart) to Tryout
//! with the staff member's cookie. Browsers send `Origin` on every such POST and let no page
//! set it, so a request whose `Origin` is neither Tryout's public URL nor the host it was sent
//! to is refused. A JSON body cannot be sent across sites without a CORS preflight, which
//! Tryout never grants, so JSON requests need no check. Session cookies are also
//! `SameSite=Lax`; this check is the second layer, and covers sibling subdomains that count
//! as the same site.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, HOST, ORIGIN, REFERER};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use url::Url;

use app::ssr::state::AppState;

/// Paths whose POSTs come from outside a browser and prove themselves another way: Lever's
/// webhook deliveries carry a signature, and `/_lever` is the demo's simulator.
const EXEMPT_PREFIXES: [&str; 2] = ["/webhooks/", "/_lever/"];

/// The response body of a rejected request.
pub const REJECTION_MESSAGE: &str = "This form was sent from another site, or without an Origin header, so Tryout rejected it. Open Tryout's page and send it again.";

/// Rejects a state-changing, non-JSON request whose origin is not Tryout's own.
pub async fn check_origin(
    State(state): State<AppState>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if needs_check(request.method(), request.uri().path(), request.headers())
        && !same_origin(request.headers(), &state.public_url)
    {
        tracing::warn!(method = %request.method(), "cross-site request rejected");
        return (StatusCode::FORBIDDEN, REJECTION_MESSAGE).into_response();
    }
    next.run(request).await
}

/// Returns whether the request changes state and could come from a cross-site form.
fn needs_check(method: &Method, path: &str, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    if EXEMPT_PREFIXES
        .iter()
        .any(|prefix| path.starts_with(prefix))
    {
        return false;
    }
    !is_json(headers)
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json"))
}

/// Checks that `Origin` (or `Referer`, when a browser left `Origin` out) names Tryout's public
/// URL or the host the request was sent to.
fn same_origin(headers: &HeaderMap, public_url: &Url) -> bool {
    let claimed = headers
        .get(ORIGIN)
        .or_else(|| headers.get(REFERER))
        .and_then(|value| value.to_str().ok())
        .and_then(|value| Url::parse(value).ok());
    let Some(claimed) = claimed else {
        return false;
    };

    if claimed.origin() == public_url.origin() {
        return true;
    }
    let host = headers.get(HOST).and_then(|value| value.to_str().ok());
    match (claimed.host_str(), host) {
        (Some(claimed_host), Some(host)) => {
            let claimed_authority = match claimed.port() {
                Some(port) => format!("{claimed_host}:{port}"),
                None => claimed_host.to_owned(),
            };
            claimed_authority.eq_ignore_ascii_case(host)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn json_and_reads_need_no_check() {
        let json = headers(&[("content-type", "application/json; charset=utf-8")]);
        let form = headers(&[("content-type", "application/x-www-form-urlencoded")]);

        assert!(!needs_check(&Method::POST, "/api/save_answer", &json));
        assert!(!needs_check(&Method::GET, "/jobs", &form));
        assert!(!needs_check(&Method::POST, "/webhooks/lever/org", &form));
        assert!(needs_check(&Method::POST, "/api/sign_in", &form));
        assert!(needs_check(
            &Method::POST,
            "/api/sign_in",
            &HeaderMap::new()
        ));
    }

    #[test]
    fn origin_must_be_ours() {
        let public = Url::parse("https://tryout.example.com/").unwrap();

        assert!(same_origin(
            &headers(&[("origin", "https://tryout.example.com")]),
            &public
        ));
        assert!(!same_origin(
            &headers(&[("origin", "https://evil.example.com")]),
            &public
        ));
        assert!(!same_origin(
            &headers(&[("origin", "http://tryout.example.com")]),
            &public
        ));
        assert!(!same_origin(&HeaderMap::new(), &public));
        assert!(same_origin(
            &headers(&[("referer", "https://tryout.example.com/sign-in")]),
            &public
        ));
        assert!(!same_origin(&headers(&[("origin", "null")]), &public));
    }

    #[test]
    fn origin_may_match_the_requested_host() {
        let public = Url::parse("http://127.0.0.1:3000/").unwrap();

        let local = headers(&[
            ("origin", "http://localhost:3000"),
            ("host", "localhost:3000"),
        ]);
        let spoofed = headers(&[
            ("origin", "http://evil.example"),
            ("host", "localhost:3000"),
        ]);

        assert!(same_origin(&local, &public));
        assert!(!same_origin(&spoofed, &public));
    }
}
