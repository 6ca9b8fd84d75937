//! Opportunities (one candidacy of one person) and the filters of
//! `GET /opportunities` (Lever Data API docs, section "Opportunities").

use serde::{Deserialize, Serialize};

use super::lenient;

/// One candidacy. `contact` identifies the person across candidacies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Opportunity {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    /// Id of the contact (the person), shared by all of their opportunities.
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub emails: Vec<String>,
    /// Stage id. With `expand=stage` Lever sends `{id, text}`, which reads as
    /// the id.
    #[serde(default, deserialize_with = "lenient::id_or_object")]
    pub stage: Option<String>,
    /// `None` while the opportunity is active.
    #[serde(default)]
    pub archived: Option<ArchivedState>,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub tags: Vec<String>,
    /// Milliseconds since the Unix epoch.
    #[serde(default, deserialize_with = "lenient::timestamp")]
    pub created_at: Option<i64>,
    /// Milliseconds since the Unix epoch. Lever bumps it only for some
    /// fields (stage, archived state, tags, contact data among them).
    #[serde(default, deserialize_with = "lenient::timestamp")]
    pub updated_at: Option<i64>,
    /// Milliseconds since the Unix epoch of the last stage change.
    #[serde(default, deserialize_with = "lenient::timestamp")]
    pub last_advanced_at: Option<i64>,
    /// Application ids (or expanded applications, read as their ids).
    #[serde(default, deserialize_with = "lenient::ids_or_objects")]
    pub applications: Vec<String>,
    #[serde(default)]
    pub urls: Option<OpportunityUrls>,
}

/// An opportunity as `GET /opportunities/deleted` lists it: its fields at
/// deletion plus who deleted it and when.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedOpportunity {
    #[serde(flatten)]
    pub opportunity: Opportunity,
    /// Milliseconds since the Unix epoch.
    #[serde(default, deserialize_with = "lenient::timestamp")]
    pub deleted_at: Option<i64>,
    /// Id of the user who deleted it, if Lever records one.
    #[serde(default, deserialize_with = "lenient::id_or_object")]
    pub deleted_by: Option<String>,
}

/// Archive reason and time of an archived opportunity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchivedState {
    /// Milliseconds since the Unix epoch.
    #[serde(default, deserialize_with = "lenient::timestamp")]
    pub archived_at: Option<i64>,
    /// Archive reason id.
    #[serde(default, deserialize_with = "lenient::id_or_object")]
    pub reason: Option<String>,
}

/// Links to the opportunity in Lever's web app.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityUrls {
    /// The candidates list.
    #[serde(default)]
    pub list: Option<String>,
    /// This candidate's profile page.
    #[serde(default)]
    pub show: Option<String>,
}

/// Filters of `GET /opportunities`; `None` leaves a filter out.
///
/// Lever returns archived and active opportunities when `archived` is left
/// out, so pass `Some(false)` for active candidates only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityFilter {
    pub stage_id: Option<String>,
    pub posting_id: Option<String>,
    pub archived: Option<bool>,
    /// Inclusive lower bound on `lastAdvancedAt`, in milliseconds since the
    /// Unix epoch.
    pub advanced_at_start: Option<i64>,
    /// Inclusive lower bound on `archived.archivedAt`, in milliseconds since
    /// the Unix epoch. Opportunities that are not archived never match.
    pub archived_at_start: Option<i64>,
    /// Lever matches the canonicalized address.
    pub email: Option<String>,
    /// Page size, 1 to 100; Lever's default is 100.
    pub limit: Option<u32>,
}
