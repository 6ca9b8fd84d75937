//! Per-opportunity state of the simulator beyond the public [`Opportunity`]
//! type (stage history, notes, postings, deletion), and its rendering as
//! Lever JSON.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::types::{Opportunity, Stage};

/// One opportunity with the state the Data API exposes around it.
#[derive(Clone, Debug)]
pub(crate) struct SimOpportunity {
    pub opportunity: Opportunity,
    /// Postings the opportunity applied to, for the `posting_id` filter.
    pub posting_ids: Vec<String>,
    pub stage_changes: Vec<StageChange>,
    /// `PUT .../archived` writes applied, archiving and unarchiving alike.
    /// Lever keeps no such history; tests read it to see a repeated write.
    pub archive_changes: usize,
    pub notes: Vec<SimNote>,
}

/// An opportunity removed by a deletion, kept for
/// `GET /opportunities/deleted`.
#[derive(Clone, Debug)]
pub(crate) struct DeletedRecord {
    pub record: SimOpportunity,
    /// Milliseconds since the Unix epoch.
    pub deleted_at: i64,
    /// User who deleted it; `None` for deletions through the admin routes.
    pub deleted_by: Option<String>,
}

/// One entry of `stageChanges`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageChange {
    pub to_stage_id: String,
    /// Position of the stage in the account's stage list.
    pub to_stage_index: Option<usize>,
    /// `perform_as` user of the change, if any.
    pub user_id: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub updated_at: i64,
}

/// A note thread; `comments` has one entry per posted value.
#[derive(Clone, Debug)]
pub(crate) struct SimNote {
    pub id: String,
    pub secret: bool,
    pub user: Option<String>,
    pub created_at: i64,
    pub comments: Vec<SimComment>,
}

#[derive(Clone, Debug)]
pub(crate) struct SimComment {
    pub value: String,
    pub score: Option<u8>,
    pub user: Option<String>,
    /// Stage of the opportunity when the comment was written.
    pub stage: Option<String>,
    pub created_at: i64,
}

impl SimOpportunity {
    pub fn new(opportunity: Opportunity, posting_ids: Vec<String>) -> Self {
        Self {
            opportunity,
            posting_ids,
            stage_changes: Vec::new(),
            archive_changes: 0,
            notes: Vec::new(),
        }
    }

    /// Renders the opportunity as `GET /opportunities/:id` returns it. With
    /// `expand_stage` the stage is an `{id, text}` object, as with
    /// `expand=stage`.
    pub fn to_json(&self, stages: &[Stage], expand_stage: bool) -> Value {
        let mut value = serde_json::to_value(&self.opportunity).unwrap_or_else(|_| json!({}));

        let Some(object) = value.as_object_mut() else {
            return value;
        };

        object.insert("stageChanges".to_string(), json!(self.stage_changes));
        object.insert("confidentiality".to_string(), json!("non-confidential"));
        object.insert("phones".to_string(), json!([]));
        object.insert("links".to_string(), json!([]));
        object.insert("sources".to_string(), json!(["Added manually"]));
        object.insert("origin".to_string(), json!("sourced"));

        if expand_stage {
            if let Some(stage_id) = &self.opportunity.stage {
                let text = stages
                    .iter()
                    .find(|stage| &stage.id == stage_id)
                    .map(|stage| stage.text.clone());
                object.insert("stage".to_string(), json!({ "id": stage_id, "text": text }));
            }
        }

        value
    }
}

impl DeletedRecord {
    /// Renders the opportunity as `GET /opportunities/deleted` lists it.
    pub fn to_json(&self, stages: &[Stage]) -> Value {
        let mut value = self.record.to_json(stages, false);

        if let Some(object) = value.as_object_mut() {
            object.insert("deletedAt".to_string(), json!(self.deleted_at));
            object.insert("deletedBy".to_string(), json!(self.deleted_by));
        }

        value
    }
}

impl SimNote {
    /// Renders the note as Lever's sandbox does (`GET .../notes`).
    pub fn to_json(&self) -> Value {
        let fields: Vec<Value> = self
            .comments
            .iter()
            .map(|comment| {
                json!({
                    "type": "note",
                    "text": "Comment",
                    "value": comment.value,
                    "score": comment.score,
                    "stage": comment.stage,
                    "user": comment.user,
                    "createdAt": comment.created_at,
                })
            })
            .collect();

        json!({
            "id": self.id,
            "text": "Note",
            "fields": fields,
            "secret": self.secret,
            "user": self.user,
            "createdAt": self.created_at,
            "completedAt": self.created_at,
            "deletedAt": null,
        })
    }

    /// Joins all comment values, one per line.
    pub fn body(&self) -> String {
        let values: Vec<&str> = self
            .comments
            .iter()
            .map(|comment| comment.value.as_str())
            .collect();

        values.join("\n")
    }
}
