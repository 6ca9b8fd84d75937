//! The portal editor's types: a role's portal as its owner edits it, answer keys included,
//! and the inputs the editor saves. Only staff who may view the job receive these.

use serde::{Deserialize, Serialize};

use super::portal::StepKind;
use super::quiz::QuestionKind;
use super::upload::UploadedFile;

/// The state of the version the editor shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionState {
    /// Never published: edits change what the first candidates will get.
    Draft,
    /// The published version, unchanged since publishing: the first edit starts a new draft.
    Published,
    /// A draft with changes that candidates do not see until it is published.
    UnpublishedChanges,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalEditor {
    pub role_id: String,
    pub role_title: String,
    /// Whether the job itself is open to new candidates (`roles.status`).
    pub job_published: bool,
    /// The number of the version shown (1 for a role's first version).
    pub version_number: i64,
    pub state: VersionState,
    /// The number of the version candidates get now, if any was published.
    pub published_version_number: Option<i64>,
    pub steps: Vec<EditorStep>,
    /// The reason the viewer cannot edit, or `None` when they can.
    pub edit_refusal: Option<String>,
    /// The reason the job cannot be published yet, or `None` when it can be.
    pub publish_refusal: Option<String>,
    /// The largest culture video upload allowed, in bytes, so the editor refuses a larger
    /// file before sending any of it.
    pub max_video_bytes: u64,
}

/// One step as its owner edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditorStep {
    pub id: String,
    pub kind: StepKind,
    pub title: String,
    pub body_md: String,
    pub required: bool,
    /// The quiz's time limit in seconds.
    pub time_limit_secs: Option<i64>,
    /// The quiz's pass mark, in percent of the automatically scored points.
    pub pass_percent: Option<i64>,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    /// A culture video's embed address (YouTube or Vimeo).
    pub video_url: Option<String>,
    /// A culture video's uploaded file.
    pub video_file: Option<UploadedFile>,
    pub questions: Vec<EditorQuestion>,
}

/// One quiz question with its answer key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditorQuestion {
    pub id: String,
    pub kind: QuestionKind,
    pub prompt: String,
    pub options: Vec<OptionInput>,
    /// Accepted answers of a short-text question; empty when a person reviews the answer.
    pub accepted_answers: Vec<String>,
    pub number_value: Option<f64>,
    pub number_tolerance: Option<f64>,
    pub points: i64,
    pub knockout: bool,
    /// The question's own time limit in seconds.
    pub time_limit_secs: Option<i64>,
    /// The longest short-text answer allowed, in characters.
    pub max_length: Option<i64>,
}

/// A choice option in the editor. `id` is absent for an option added in this save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionInput {
    pub id: Option<String>,
    pub label: String,
    pub correct: bool,
}

/// A step's settings as the editor saves them. Settings that do not apply to the step's kind
/// are ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepInput {
    pub step_id: String,
    pub title: String,
    pub body_md: String,
    pub required: bool,
    pub time_limit_secs: Option<i64>,
    pub pass_percent: Option<i64>,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    pub video_url: Option<String>,
    /// An uploaded culture video of this job, which the step shows instead of `video_url`.
    #[serde(default)]
    pub video_upload_id: Option<String>,
}

/// A question as the editor saves it: `question_id` is absent for a new question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionInput {
    pub question_id: Option<String>,
    pub kind: QuestionKind,
    pub prompt: String,
    pub options: Vec<OptionInput>,
    pub accepted_answers: Vec<String>,
    pub number_value: Option<f64>,
    pub number_tolerance: Option<f64>,
    pub points: i64,
    pub knockout: bool,
    pub time_limit_secs: Option<i64>,
    pub max_length: Option<i64>,
}

/// The direction a step or question moves in its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
}

impl QuestionInput {
    /// Builds an empty question of `kind`, as the editor's "Add question" starts it.
    pub fn new(kind: QuestionKind) -> Self {
        Self {
            question_id: None,
            kind,
            prompt: String::new(),
            options: Vec::new(),
            accepted_answers: Vec::new(),
            number_value: None,
            number_tolerance: None,
            points: 1,
            knockout: false,
            time_limit_secs: None,
            max_length: None,
        }
    }
}

impl From<&EditorQuestion> for QuestionInput {
    fn from(question: &EditorQuestion) -> Self {
        Self {
            question_id: Some(question.id.clone()),
            kind: question.kind,
            prompt: question.prompt.clone(),
            options: question.options.clone(),
            accepted_answers: question.accepted_answers.clone(),
            number_value: question.number_value,
            number_tolerance: question.number_tolerance,
            points: question.points,
            knockout: question.knockout,
            time_limit_secs: question.time_limit_secs,
            max_length: question.max_length,
        }
    }
}

impl From<&EditorStep> for StepInput {
    fn from(step: &EditorStep) -> Self {
        Self {
            step_id: step.id.clone(),
            title: step.title.clone(),
            body_md: step.body_md.clone(),
            required: step.required,
            time_limit_secs: step.time_limit_secs,
            pass_percent: step.pass_percent,
            shuffle_questions: step.shuffle_questions,
            shuffle_options: step.shuffle_options,
            video_url: step.video_url.clone(),
            video_upload_id: step.video_file.as_ref().map(|video| video.id.clone()),
        }
    }
}
