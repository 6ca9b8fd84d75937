//! `GET /v1/opportunities` with its filters, `GET /v1/opportunities/:id`,
//! and `GET /v1/opportunities/deleted`.

use axum::extract::{Path, RawQuery, State};
use axum::Json;
use serde_json::{json, Value};

use super::Caller;
use crate::simulator::api_error::ApiError;
use crate::simulator::paging::Entry;
use crate::simulator::pipeline::opportunity_not_found;
use crate::simulator::query::QueryParams;
use crate::simulator::records::SimOpportunity;
use crate::simulator::scopes::read_scopes;
use crate::simulator::Simulator;

/// The supported list filters. Values of a repeated parameter are OR-ed,
/// different parameters AND-ed, and time bounds are inclusive
/// milliseconds, as Lever documents.
struct Filter {
    stage_ids: Vec<String>,
    posting_ids: Vec<String>,
    /// `None` returns archived and active opportunities.
    archived: Option<bool>,
    emails: Vec<String>,
    tags: Vec<String>,
    contact_ids: Vec<String>,
    advanced_at: (Option<i64>, Option<i64>),
    created_at: (Option<i64>, Option<i64>),
    updated_at: (Option<i64>, Option<i64>),
    archived_at: (Option<i64>, Option<i64>),
}

impl Filter {
    fn parse(query: &QueryParams) -> Result<Self, ApiError> {
        let owned = |name: &str| {
            query
                .all(name)
                .into_iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        };

        Ok(Self {
            stage_ids: owned("stage_id"),
            posting_ids: owned("posting_id"),
            archived: query.flag("archived")?,
            emails: owned("email")
                .iter()
                .map(|email| email.trim().to_lowercase())
                .collect(),
            tags: owned("tag"),
            contact_ids: owned("contact_id"),
            advanced_at: (
                query.timestamp("advanced_at_start")?,
                query.timestamp("advanced_at_end")?,
            ),
            created_at: (
                query.timestamp("created_at_start")?,
                query.timestamp("created_at_end")?,
            ),
            updated_at: (
                query.timestamp("updated_at_start")?,
                query.timestamp("updated_at_end")?,
            ),
            archived_at: (
                query.timestamp("archived_at_start")?,
                query.timestamp("archived_at_end")?,
            ),
        })
    }

    fn matches(&self, record: &SimOpportunity) -> bool {
        let opportunity = &record.opportunity;

        let any_of = |wanted: &[String], actual: Option<&String>| {
            wanted.is_empty() || actual.is_some_and(|value| wanted.contains(value))
        };

        any_of(&self.stage_ids, opportunity.stage.as_ref())
            && any_of(&self.contact_ids, opportunity.contact.as_ref())
            && (self.posting_ids.is_empty()
                || record
                    .posting_ids
                    .iter()
                    .any(|id| self.posting_ids.contains(id)))
            && self
                .archived
                .is_none_or(|archived| archived == opportunity.archived.is_some())
            && (self.emails.is_empty()
                || opportunity
                    .emails
                    .iter()
                    .any(|email| self.emails.contains(&email.trim().to_lowercase())))
            && (self.tags.is_empty() || opportunity.tags.iter().any(|tag| self.tags.contains(tag)))
            && within(self.advanced_at, opportunity.last_advanced_at)
            && within(self.created_at, opportunity.created_at)
            && within(self.updated_at, opportunity.updated_at)
            && within(
                self.archived_at,
                opportunity
                    .archived
                    .as_ref()
                    .and_then(|archived| archived.archived_at),
            )
    }
}

/// Returns whether `value` lies in the inclusive range; an unset bound is open,
/// and a missing value fails any set bound.
fn within((start, end): (Option<i64>, Option<i64>), value: Option<i64>) -> bool {
    if start.is_none() && end.is_none() {
        return true;
    }

    value.is_some_and(|value| {
        start.is_none_or(|start| value >= start) && end.is_none_or(|end| value <= end)
    })
}

/// `GET /v1/opportunities`, newest first.
pub(crate) async fn list(
    State(simulator): State<Simulator>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    caller.require_any(&read_scopes("opportunities"))?;
    let query = QueryParams::parse(raw.as_deref());
    let filter = Filter::parse(&query)?;
    let expand_stage = query.all("expand").contains(&"stage");

    let mut state = simulator.lock();
    let entries: Vec<Entry> = state
        .opportunities
        .iter()
        .filter(|record| filter.matches(record))
        .map(|record| {
            let created_at = record.opportunity.created_at.unwrap_or_default();
            Entry {
                key: (-created_at, record.opportunity.id.clone()),
                token_number: created_at,
                value: record.to_json(&state.stages, expand_stage),
            }
        })
        .collect();

    state
        .offsets
        .page("opportunities", entries, &query)
        .map(Json)
}

/// `GET /v1/opportunities/deleted`, newest deletion first, optionally
/// within inclusive `deleted_at_start` and `deleted_at_end` bounds in
/// milliseconds.
pub(crate) async fn list_deleted(
    State(simulator): State<Simulator>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    caller.require_any(&read_scopes("opportunities"))?;
    let query = QueryParams::parse(raw.as_deref());
    let deleted_at = (
        query.timestamp("deleted_at_start")?,
        query.timestamp("deleted_at_end")?,
    );

    let mut state = simulator.lock();
    let entries: Vec<Entry> = state
        .deleted_opportunities
        .iter()
        .filter(|deleted| within(deleted_at, Some(deleted.deleted_at)))
        .map(|deleted| Entry {
            key: (-deleted.deleted_at, deleted.record.opportunity.id.clone()),
            token_number: deleted.deleted_at,
            value: deleted.to_json(&state.stages),
        })
        .collect();

    state
        .offsets
        .page("deleted_opportunities", entries, &query)
        .map(Json)
}

/// `GET /v1/opportunities/:id`.
pub(crate) async fn get(
    State(simulator): State<Simulator>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    caller.require_any(&read_scopes("opportunities"))?;
    let query = QueryParams::parse(raw.as_deref());
    let expand_stage = query.all("expand").contains(&"stage");

    let state = simulator.lock();
    let record = state
        .opportunity(&id)
        .ok_or_else(|| opportunity_not_found(&id))?;

    Ok(Json(
        json!({ "data": record.to_json(&state.stages, expand_stage) }),
    ))
}
