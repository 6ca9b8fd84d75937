//! Sends a stored file (a culture video, a logo) to a browser: the whole file, or the byte range
//! a `<video>` element requests when the viewer seeks (RFC 9110, section 14).

use app::domain::upload::UploadedFile;
use app::ssr::media::{GetRange, MediaError, MediaKey, MediaStore};
use axum::body::Body;
use axum::http::header::{
    ACCEPT_RANGES, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, ETAG, RANGE,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Streams `file` from `key`, honouring a `Range` header of one range. A range past the end
/// gets 416 with the file's size. Several ranges, or one that cannot be parsed, get the whole
/// file, because RFC 9110 allows a server to ignore a `Range` header.
pub async fn file_response(
    media: &MediaStore,
    key: &MediaKey,
    file: &UploadedFile,
    request_headers: &HeaderMap,
) -> Response {
    let range = request_headers
        .get(RANGE)
        .and_then(|value| value.to_str().ok())
        .and_then(parse_range);

    let partial = range.is_some();
    let read = match range {
        Some(range) => media.get_range(key, range).await,
        None => media.get(key).await,
    };
    let read = match read {
        Ok(read) => read,
        Err(MediaError::InvalidRange) => {
            let size = file.size_bytes;
            return (
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(CONTENT_RANGE, format!("bytes */{size}"))],
            )
                .into_response();
        }
        Err(MediaError::NotFound) => {
            tracing::error!(upload.id = %file.id, "an upload's row has no stored object");
            return (StatusCode::NOT_FOUND, "This file is no longer available.").into_response();
        }
        Err(error) => return (StatusCode::SERVICE_UNAVAILABLE, error.to_string()).into_response(),
    };

    let length = read.range.end - read.range.start;
    let mut response = Response::new(Body::from_stream(read.body));
    let headers = response.headers_mut();
    // The type read from the file's first bytes at upload; a local directory keeps none.
    if let Ok(content_type) = HeaderValue::from_str(&file.content_type) {
        headers.insert(CONTENT_TYPE, content_type);
    }
    headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    if let Some(e_tag) = read
        .meta
        .e_tag
        .as_deref()
        .and_then(|tag| HeaderValue::from_str(&format!("\"{}\"", tag.trim_matches('"'))).ok())
    {
        headers.insert(ETAG, e_tag);
    }
    if partial {
        let last = read.range.end.saturating_sub(1);
        let content_range = format!("bytes {}-{last}/{}", read.range.start, read.meta.size);
        if let Ok(value) = HeaderValue::from_str(&content_range) {
            headers.insert(CONTENT_RANGE, value);
        }
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
    }
    response
}

/// Reads `bytes=first-last`, `bytes=first-` or `bytes=-suffix`. Returns `None` for anything
/// else, including several ranges, so the whole file is sent.
fn parse_range(header: &str) -> Option<GetRange> {
    let spec = header.trim().strip_prefix("bytes=")?.trim();
    if spec.contains(',') {
        return None;
    }

    let (first, last) = spec.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    match (first.is_empty(), last.is_empty()) {
        (true, false) => last.parse().ok().map(GetRange::Suffix),
        (false, true) => first.parse().ok().map(GetRange::Offset),
        (false, false) => {
            let first: u64 = first.parse().ok()?;
            let last: u64 = last.parse().ok()?;
            // `last` is inclusive in HTTP and exclusive in `GetRange`.
            (last >= first).then(|| GetRange::Bounded(first..last.saturating_add(1)))
        }
        (true, true) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_ranges_are_read() {
        assert_eq!(parse_range("bytes=0-99"), Some(GetRange::Bounded(0..100)));
        assert_eq!(parse_range("bytes=500-"), Some(GetRange::Offset(500)));
        assert_eq!(parse_range("bytes=-200"), Some(GetRange::Suffix(200)));
        assert_eq!(parse_range(" bytes= 7 - 7 "), Some(GetRange::Bounded(7..8)));
    }

    #[test]
    fn other_ranges_mean_the_whole_file() {
        for header in [
            "bytes=0-1,5-9",
            "bytes=9-3",
            "bytes=-",
            "items=0-9",
            "bytes=a-b",
            "",
        ] {
            assert_eq!(parse_range(header), None, "{header:?}");
        }
    }
}
