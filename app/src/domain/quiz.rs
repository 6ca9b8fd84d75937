//! Screening-quiz types shared by the server and the candidate's browser.
//!
//! A [`QuestionView`] carries no correct answers: the key stays on the server.

use serde::{Deserialize, Serialize};

/// Longest short-text answer a candidate may save, in characters.
pub const MAX_TEXT_ANSWER_CHARS: usize = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    SingleChoice,
    MultipleChoice,
    ShortText,
    Number,
}

impl QuestionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SingleChoice => "single_choice",
            Self::MultipleChoice => "multiple_choice",
            Self::ShortText => "short_text",
            Self::Number => "number",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "single_choice" => Some(Self::SingleChoice),
            "multiple_choice" => Some(Self::MultipleChoice),
            "short_text" => Some(Self::ShortText),
            "number" => Some(Self::Number),
            _ => None,
        }
    }
}

/// One option of a choice question; `id` is stable across edits and shuffles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceOption {
    pub id: String,
    pub label: String,
}

/// A question as shown to the candidate. A question with its own time limit arrives with an
/// empty prompt and no options until the candidate opens it, which starts its clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionView {
    pub id: String,
    pub kind: QuestionKind,
    pub prompt: String,
    pub options: Vec<ChoiceOption>,
    pub points: i64,
    pub max_length: Option<i64>,
    /// The question's own time limit in seconds, counted on the server from when it is opened.
    #[serde(default)]
    pub time_limit_secs: Option<i64>,
}

/// A timed question the candidate just opened, with the time left on its own clock (capped by
/// the quiz's clock) in milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenedQuestion {
    pub question: QuestionView,
    pub remaining_ms: i64,
}

/// A candidate's answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum AnswerValue {
    Choice(String),
    Choices(Vec<String>),
    Text(String),
    Number(f64),
}

/// A candidate's progress in one quiz.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptStatus {
    NotStarted,
    InProgress,
    Submitted,
}

/// Everything the quiz page renders: questions in this candidate's order, saved answers,
/// and the time left according to the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizSession {
    pub step_id: String,
    pub title: String,
    pub instructions_html: String,
    pub role_title: String,
    pub status: AttemptStatus,
    pub time_limit_secs: Option<i64>,
    /// Milliseconds left when the server built this response; `None` when untimed or not started.
    pub remaining_ms: Option<i64>,
    pub question_count: usize,
    pub questions: Vec<QuestionView>,
    pub answers: Vec<(String, AnswerValue)>,
    /// Whether time ran out before the candidate submitted.
    pub timed_out: bool,
    /// Milliseconds left on each opened question's own clock, by question id. A timed question
    /// missing here has not been opened yet.
    #[serde(default)]
    pub question_timers: Vec<(String, i64)>,
    /// The portal's accent colour (`#rrggbb`), `None` for Tryout's own.
    pub accent_color: Option<String>,
}
