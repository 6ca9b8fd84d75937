//! List pagination as Lever does it: `limit` 1 to 100 (default 100), and
//! an opaque `next` token that only works when the server issued it
//! (Lever Data API docs, section "Pagination").
//!
//! Tokens look like the sandbox's: a percent-encoded JSON array,
//! `%5B1%2C<sort value>%2C%22<id>%22%5D`. The simulator remembers every
//! token it issued, so a fabricated or re-encoded one gets 400.

use std::collections::HashMap;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Value};

use super::api_error::ApiError;
use super::query::QueryParams;

/// Escapes everything but the RFC 3986 unreserved characters, which
/// reproduces the sandbox's token text.
const TOKEN_ESCAPES: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Tokens remembered at most; beyond that all are forgotten, so pages
/// fetched long ago cannot be resumed. A memory bound only.
const MAX_REMEMBERED_TOKENS: usize = 100_000;

/// Position in a sorted list: items sort ascending by this key.
pub(crate) type SortKey = (i64, String);

/// A list item with its sort key.
pub(crate) struct Entry {
    pub key: SortKey,
    /// Number shown in the token, e.g. the opportunity's `createdAt`.
    pub token_number: i64,
    pub value: Value,
}

#[derive(Clone)]
struct Cursor {
    list: &'static str,
    key: SortKey,
}

/// Every `next` token issued, by its decoded text.
#[derive(Default)]
pub(crate) struct Offsets {
    issued: HashMap<String, Cursor>,
}

/// Parses `limit`: 1 to 100, default 100.
pub(crate) fn parse_limit(query: &QueryParams) -> Result<usize, ApiError> {
    let Some(raw) = query.first("limit") else {
        return Ok(100);
    };

    match raw.parse::<usize>() {
        Ok(limit) if (1..=100).contains(&limit) => Ok(limit),
        _ => Err(ApiError::bad_request(format!(
            "limit must be a whole number from 1 to 100, got {raw:?}"
        ))),
    }
}

impl Offsets {
    /// Cuts one page out of `entries` and renders the list envelope.
    /// `list` names the endpoint, so a token from one list does not work
    /// on another.
    pub fn page(
        &mut self,
        list: &'static str,
        mut entries: Vec<Entry>,
        query: &QueryParams,
    ) -> Result<Value, ApiError> {
        let limit = parse_limit(query)?;
        entries.sort_by(|left, right| left.key.cmp(&right.key));

        let start = match query.first("offset") {
            None => 0,
            Some(token) => {
                let cursor = self.resolve(list, token)?;
                entries.partition_point(|entry| entry.key < cursor.key)
            }
        };

        let end = (start + limit).min(entries.len());
        let next = entries.get(end).map(|entry| self.issue(list, entry));
        let data: Vec<Value> = entries
            .drain(start.min(end)..end)
            .map(|entry| entry.value)
            .collect();

        Ok(match next {
            Some(token) => json!({ "data": data, "hasNext": true, "next": token }),
            None => json!({ "data": data, "hasNext": false }),
        })
    }

    fn resolve(&self, list: &'static str, token: &str) -> Result<Cursor, ApiError> {
        match self.issued.get(token) {
            Some(cursor) if cursor.list == list => Ok(cursor.clone()),
            _ => Err(ApiError::bad_request(
                "Invalid offset: pass the next token of the previous page unchanged",
            )),
        }
    }

    /// Issues the token that resumes the list at `entry`, and returns it
    /// percent-encoded, as Lever's sandbox sends it.
    fn issue(&mut self, list: &'static str, entry: &Entry) -> String {
        if self.issued.len() >= MAX_REMEMBERED_TOKENS {
            self.issued.clear();
        }

        let text = json!([1, entry.token_number, entry.key.1]).to_string();
        self.issued.insert(
            text.clone(),
            Cursor {
                list,
                key: entry.key.clone(),
            },
        );

        utf8_percent_encode(&text, TOKEN_ESCAPES).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(count: i64) -> Vec<Entry> {
        (0..count)
            .map(|index| Entry {
                key: (index, format!("id-{index}")),
                token_number: index,
                value: json!(index),
            })
            .collect()
    }

    #[test]
    fn token_looks_like_sandbox_token() {
        let mut offsets = Offsets::default();
        let entry = Entry {
            key: (
                -1_750_233_409_740,
                "48dd4e94-fea0-4f9a-be5f-95b1853cbbbe".to_string(),
            ),
            token_number: 1_750_233_409_740,
            value: json!(null),
        };

        let token = offsets.issue("opportunities", &entry);

        assert_eq!(
            token,
            "%5B1%2C1750233409740%2C%2248dd4e94-fea0-4f9a-be5f-95b1853cbbbe%22%5D"
        );
    }

    #[test]
    fn pages_cover_list_once() {
        let mut offsets = Offsets::default();
        let mut seen = Vec::new();
        let mut offset: Option<String> = None;

        loop {
            let raw = match &offset {
                Some(token) => format!("limit=3&offset={token}"),
                None => "limit=3".to_string(),
            };
            let page = offsets
                .page("list", entries(8), &QueryParams::parse(Some(&raw)))
                .unwrap();
            seen.extend(
                page["data"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|value| value.as_i64().unwrap()),
            );

            match page["next"].as_str() {
                Some(next) => offset = Some(next.to_string()),
                None => break,
            }
        }

        assert_eq!(seen, (0..8).collect::<Vec<_>>());
    }

    #[test]
    fn fabricated_token_rejected() {
        let mut offsets = Offsets::default();
        let query = QueryParams::parse(Some("offset=%5B1%2C2%2C%22id-2%22%5D"));

        assert!(offsets.page("list", entries(8), &query).is_err());
    }

    #[test]
    fn token_bound_to_its_list() {
        let mut offsets = Offsets::default();
        let first = offsets
            .page("a", entries(8), &QueryParams::parse(Some("limit=3")))
            .unwrap();
        let token = first["next"].as_str().unwrap().to_string();

        let other = offsets.page(
            "b",
            entries(8),
            &QueryParams::parse(Some(&format!("offset={token}"))),
        );

        assert!(other.is_err());
    }

    #[test]
    fn limit_out_of_range_rejected() {
        let mut offsets = Offsets::default();

        for raw in ["limit=0", "limit=101", "limit=x"] {
            assert!(
                offsets
                    .page("list", entries(2), &QueryParams::parse(Some(raw)))
                    .is_err(),
                "{raw}"
            );
        }
    }
}
