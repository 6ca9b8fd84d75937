//! The candidate portal's overview: the role, the steps and the candidate's progress.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Content,
    Quiz,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Content => "content",
            Self::Quiz => "quiz",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "content" => Some(Self::Content),
            "quiz" => Some(Self::Quiz),
            _ => None,
        }
    }

    /// Returns the kind's name in the candidate's step list.
    pub fn label(self) -> &'static str {
        match self {
            Self::Content => "Reading",
            Self::Quiz => "Quiz",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    NotStarted,
    InProgress,
    Done,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepSummary {
    pub id: String,
    pub kind: StepKind,
    pub title: String,
    pub required: bool,
    pub state: StepState,
    pub time_limit_secs: Option<i64>,
    pub question_count: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalOverview {
    pub organization_name: String,
    pub role_title: String,
    pub role_team: Option<String>,
    pub role_location: Option<String>,
    pub candidate_first_name: String,
    pub intro_html: String,
    pub steps: Vec<StepSummary>,
    /// Unix milliseconds of the candidate's deadline for the whole portal, if any.
    pub deadline_ms: Option<i64>,
    /// The deadline in words and UTC, formatted on the server so both renders agree.
    pub deadline_text: Option<String>,
    pub completed: bool,
}

/// A content step as the candidate reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentStep {
    pub step_id: String,
    pub title: String,
    pub body_html: String,
    pub done: bool,
}
