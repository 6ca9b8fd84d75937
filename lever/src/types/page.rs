//! The list envelope of the Data API: `{"data": [...], "hasNext": bool,
//! "next": "<token>"}` (Lever Data API docs, sections "Lists" and
//! "Pagination").

use serde::{Deserialize, Serialize};

use super::lenient;

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    #[serde(default = "Vec::new", deserialize_with = "lenient::null_as_default")]
    pub data: Vec<T>,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub has_next: bool,
    /// Opaque token for the next page, passed back as `offset` unchanged.
    /// Lever may send it already percent-encoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}
