//! Account-level resources: pipeline stages, archive reasons, users and job
//! postings (Lever Data API docs, sections "Stages", "Archive Reasons",
//! "Users" and "Postings").

use serde::{Deserialize, Serialize};

use super::lenient;

/// A pipeline stage. Built-in stages have readable ids such as `lead-new`
/// rather than UUIDs, so ids are opaque strings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub id: String,
    pub text: String,
}

/// A reason an opportunity can be archived with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveReason {
    pub id: String,
    pub text: String,
    /// `active` or `inactive`. Lever lists inactive reasons too.
    #[serde(default)]
    pub status: Option<String>,
    /// `hired` or `non-hired`.
    #[serde(default)]
    pub r#type: Option<String>,
}

/// A Lever user, the identity that `perform_as` writes are recorded under.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    /// `super admin`, `admin`, `team member`, `limited team member`,
    /// `interviewer`, or the id of a custom role.
    #[serde(default)]
    pub access_role: Option<String>,
    /// Milliseconds since the Unix epoch; `None` for an active user.
    #[serde(default, deserialize_with = "lenient::timestamp")]
    pub deactivated_at: Option<i64>,
}

/// A job posting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub id: String,
    pub text: String,
    /// `published`, `internal`, `closed`, `draft`, `pending` or `rejected`.
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub categories: Option<PostingCategories>,
    /// The posting's text, sent only when the request contains `include=content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<PostingContent>,
}

/// The text of a posting (Lever Data API docs, section "Postings", `include=content`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostingContent {
    /// The description as plain text.
    #[serde(default)]
    pub description: Option<String>,
    /// The description as HTML. Tryout reads the plain text; this is kept for the simulator.
    #[serde(default)]
    pub description_html: Option<String>,
}

/// The categories Lever files a posting under.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingCategories {
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub commitment: Option<String>,
}
