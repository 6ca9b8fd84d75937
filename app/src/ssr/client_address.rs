//! The address of the client behind the current request, for throttling.
//!
//! Without a trusted proxy it is the TCP peer. Behind a reverse proxy every peer is the proxy,
//! so an operator names the header the proxy appends the client to
//! (`TRYOUT_TRUSTED_PROXY_HEADER`, such as `X-Forwarded-For`). Only the right-most entry is
//! read, because the trusted proxy wrote it. Entries to its left come from the client and can
//! be forged.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderName};

/// Returns the client's address, or `None` when the server runs without connection info
/// (a router driven in-process rather than served over TCP).
pub async fn client_address(trusted_header: Option<&HeaderName>) -> Option<IpAddr> {
    let peer = leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .ok()
        .map(|ConnectInfo(address)| address.ip());
    let forwarded = match (
        trusted_header,
        leptos::prelude::use_context::<axum::http::request::Parts>(),
    ) {
        (Some(header), Some(parts)) => rightmost_entry(&parts.headers, header),
        _ => None,
    };
    forwarded.or(peer)
}

/// Reads the right-most address of `header`, across repeated header lines. A port suffix
/// (`203.0.113.7:4711`, `[2001:db8::1]:4711`) is accepted; anything else that is not an
/// address yields `None`.
pub fn rightmost_entry(headers: &HeaderMap, header: &HeaderName) -> Option<IpAddr> {
    let last_line = headers.get_all(header).iter().last()?.to_str().ok()?;
    let entry = last_line.rsplit(',').next()?.trim();

    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|address| address.ip()))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(lines: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for line in lines {
            headers.append("x-forwarded-for", HeaderValue::from_str(line).unwrap());
        }
        headers
    }

    #[test]
    fn rightmost_entry_is_the_proxys() {
        let name = HeaderName::from_static("x-forwarded-for");

        assert_eq!(
            rightmost_entry(&headers(&["198.51.100.1, 203.0.113.7"]), &name),
            Some("203.0.113.7".parse().unwrap())
        );
        assert_eq!(
            rightmost_entry(&headers(&["198.51.100.1", "2001:db8::1"]), &name),
            Some("2001:db8::1".parse().unwrap())
        );
        assert_eq!(
            rightmost_entry(&headers(&["[2001:db8::1]:4711"]), &name),
            Some("2001:db8::1".parse().unwrap())
        );
    }

    #[test]
    fn unreadable_entry_is_ignored() {
        let name = HeaderName::from_static("x-forwarded-for");

        assert_eq!(
            rightmost_entry(&headers(&["198.51.100.1, unknown"]), &name),
            None
        );
        assert_eq!(rightmost_entry(&HeaderMap::new(), &name), None);
    }
}
