//! The candidate portal's overview: the role, the steps and the candidate's progress.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A recruitment guide: Markdown the candidate reads.
    Content,
    /// A culture video, uploaded or embedded from YouTube or Vimeo, with optional text below it.
    Video,
    Quiz,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Content => "content",
            Self::Video => "video",
            Self::Quiz => "quiz",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "content" => Some(Self::Content),
            "video" => Some(Self::Video),
            "quiz" => Some(Self::Quiz),
            _ => None,
        }
    }

    /// Returns the kind's name in the candidate's step list.
    pub fn label(self) -> &'static str {
        match self {
            Self::Content => "Reading",
            Self::Video => "Video",
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
    /// The accent colour and welcome text of the job's organization.
    pub branding: crate::domain::branding::PortalBranding,
}

/// A content step as the candidate reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentStep {
    pub step_id: String,
    pub title: String,
    pub body_html: String,
    /// The YouTube or Vimeo embed address of a culture video step.
    pub video_embed_url: Option<String>,
    /// The address of a culture video step's uploaded file, which plays in a `<video>` element.
    pub video_file_url: Option<String>,
    pub done: bool,
    /// The portal's accent colour (`#rrggbb`), `None` for Tryout's own.
    pub accent_color: Option<String>,
}

/// A role's portal as a candidate would see it, for staff to preview: the overview and every
/// step's content on one page. Quiz questions come without their answer keys, as a candidate
/// gets them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalPreview {
    pub role_id: String,
    /// The number of the version shown: the draft if there is one, else the published version.
    pub version_number: i64,
    /// Whether the version shown is a draft that candidates do not get yet.
    pub is_draft: bool,
    pub overview: PortalOverview,
    pub steps: Vec<PreviewStep>,
}

/// One step of a preview, with what its page would show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviewStep {
    pub summary: StepSummary,
    pub body_html: String,
    pub video_embed_url: Option<String>,
    /// The staff address of an uploaded culture video.
    pub video_file_url: Option<String>,
    pub questions: Vec<crate::domain::quiz::QuestionView>,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
}
