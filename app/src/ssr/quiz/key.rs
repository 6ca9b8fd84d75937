//! A quiz question as stored, with its answer key. Never sent to the browser.

use crate::domain::quiz::{ChoiceOption, QuestionKind, QuestionView};

/// The correct answer of a question, by kind.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerKey {
    Single(String),
    Multiple(Vec<String>),
    /// Accepted answers, compared trimmed and case-insensitively; `None` when a person reviews it.
    Text(Option<Vec<String>>),
    /// The correct value and the allowed absolute difference.
    Number {
        value: f64,
        tolerance: f64,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredQuestion {
    pub id: String,
    pub kind: QuestionKind,
    pub prompt: String,
    pub options: Vec<ChoiceOption>,
    pub key: AnswerKey,
    pub points: i64,
    pub knockout: bool,
    pub max_length: Option<i64>,
    /// The question's own time limit in seconds.
    pub time_limit_secs: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
#[error("question {question_id} has an invalid answer key: {reason}")]
pub struct KeyError {
    pub question_id: String,
    pub reason: String,
}

#[derive(serde::Deserialize)]
struct NumberKey {
    value: f64,
    #[serde(default)]
    tolerance: f64,
}

impl AnswerKey {
    /// Parses `correct_json` for a question of `kind`.
    pub fn parse(
        kind: QuestionKind,
        correct_json: &str,
        question_id: &str,
    ) -> Result<Self, KeyError> {
        let error = |reason: String| KeyError {
            question_id: question_id.to_owned(),
            reason,
        };
        let parsed = match kind {
            QuestionKind::SingleChoice => serde_json::from_str(correct_json).map(Self::Single),
            QuestionKind::MultipleChoice => serde_json::from_str(correct_json).map(Self::Multiple),
            QuestionKind::ShortText => serde_json::from_str(correct_json).map(Self::Text),
            QuestionKind::Number => {
                serde_json::from_str::<NumberKey>(correct_json).map(|key| Self::Number {
                    value: key.value,
                    tolerance: key.tolerance.abs(),
                })
            }
        };
        parsed.map_err(|parse_error| error(parse_error.to_string()))
    }

    /// Encodes the stored JSON form, the inverse of [`AnswerKey::parse`].
    pub fn to_json(&self) -> String {
        match self {
            Self::Single(id) => serde_json::json!(id),
            Self::Multiple(ids) => serde_json::json!(ids),
            Self::Text(accepted) => serde_json::json!(accepted),
            Self::Number { value, tolerance } => {
                serde_json::json!({ "value": value, "tolerance": tolerance })
            }
        }
        .to_string()
    }

    /// Returns whether the question is scored automatically. Free-text questions without
    /// accepted answers are left to a reviewer and carry no automatic points.
    pub fn is_auto_scored(&self) -> bool {
        !matches!(self, Self::Text(None))
    }
}

impl StoredQuestion {
    /// Builds the candidate's view, without the key or the knockout flag.
    pub fn view(&self) -> QuestionView {
        QuestionView {
            id: self.id.clone(),
            kind: self.kind,
            prompt: self.prompt.clone(),
            options: self.options.clone(),
            points: if self.key.is_auto_scored() {
                self.points
            } else {
                0
            },
            max_length: self.max_length,
            time_limit_secs: self.time_limit_secs,
        }
    }

    /// Builds the view of a timed question that has not been opened: its kind, points and
    /// limit, but neither its prompt nor its options.
    pub fn unopened_view(&self) -> QuestionView {
        QuestionView {
            prompt: String::new(),
            options: Vec::new(),
            ..self.view()
        }
    }

    pub fn option_label(&self, option_id: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|option| option.id == option_id)
            .map(|option| option.label.as_str())
    }
}
