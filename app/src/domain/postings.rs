//! Lever postings that a job can be imported from, as the Jobs page lists them.

use serde::{Deserialize, Serialize};

/// A posting in the organization's Lever cache that no Tryout job uses yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportablePosting {
    pub id: String,
    pub title: String,
    pub team: Option<String>,
    pub location: Option<String>,
    /// Lever's state: `published`, `internal`, `closed`, `draft`, `pending` or `rejected`.
    pub state: Option<String>,
}

/// The import section of the Jobs page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingImport {
    /// Whether Lever's lists were ever loaded; without them there is nothing to import.
    pub lists_loaded: bool,
    pub postings: Vec<ImportablePosting>,
}
