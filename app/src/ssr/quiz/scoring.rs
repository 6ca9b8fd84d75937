//! Automatic scoring of a submitted quiz, and the 1–4 score Lever notes carry.

use super::key::{AnswerKey, StoredQuestion};
use crate::domain::quiz::AnswerValue;

/// The result of one question.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionResult {
    pub awarded: i64,
    /// Points available automatically; 0 for questions a person reviews.
    pub available: i64,
    /// `None` when the question is not scored automatically.
    pub correct: Option<bool>,
    pub knockout_failed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuizResult {
    pub awarded: i64,
    pub available: i64,
    pub knockout_failed: bool,
    pub per_question: Vec<QuestionResult>,
}

impl QuizResult {
    /// Share of automatic points earned, 0–100; 100 when nothing is scored automatically.
    pub fn percent(&self) -> f64 {
        if self.available == 0 {
            return 100.0;
        }
        self.awarded as f64 * 100.0 / self.available as f64
    }

    /// Returns whether the candidate passes: no failed knockout and at least the pass mark.
    pub fn passed(&self, pass_percent: i64) -> bool {
        !self.knockout_failed && self.percent() + 1e-9 >= pass_percent as f64
    }

    /// Lever's note score (1 Strong No, 2 No, 3 Yes, 4 Strong Yes): 1 on a failed knockout,
    /// 2 below the pass mark, 3 from the pass mark, 4 from [`STRONG_YES_PERCENT`].
    pub fn lever_score(&self, pass_percent: i64) -> u8 {
        if self.knockout_failed {
            1
        } else if !self.passed(pass_percent) {
            2
        } else if self.percent() + 1e-9 >= STRONG_YES_PERCENT.max(pass_percent as f64) {
            4
        } else {
            3
        }
    }
}

/// Share of points from which a passing result is a Strong Yes.
pub const STRONG_YES_PERCENT: f64 = 85.0;

/// Scores one question. An unanswered knockout question counts as failed.
pub fn score_question(question: &StoredQuestion, answer: Option<&AnswerValue>) -> QuestionResult {
    let correct = match (&question.key, answer) {
        (AnswerKey::Text(None), _) => None,
        (_, None) => Some(false),
        (AnswerKey::Single(expected), Some(AnswerValue::Choice(given))) => Some(expected == given),
        (AnswerKey::Multiple(expected), Some(AnswerValue::Choices(given))) => {
            let mut expected = expected.clone();
            expected.sort();
            let mut given = given.clone();
            given.sort();
            given.dedup();
            Some(expected == given)
        }
        (AnswerKey::Text(Some(accepted)), Some(AnswerValue::Text(given))) => {
            let given = given.trim().to_lowercase();
            Some(
                accepted
                    .iter()
                    .any(|candidate| candidate.trim().to_lowercase() == given),
            )
        }
        (AnswerKey::Number { value, tolerance }, Some(AnswerValue::Number(given))) => {
            Some((given - value).abs() <= *tolerance + f64::EPSILON * value.abs().max(1.0))
        }
        _ => Some(false),
    };

    let available = if correct.is_some() {
        question.points
    } else {
        0
    };
    QuestionResult {
        awarded: if correct == Some(true) {
            question.points
        } else {
            0
        },
        available,
        correct,
        knockout_failed: question.knockout && correct == Some(false),
    }
}

/// Scores a whole quiz; `answer_of` returns the saved answer of a question id.
pub fn score_quiz<'a>(
    questions: &[StoredQuestion],
    answer_of: impl Fn(&str) -> Option<&'a AnswerValue>,
) -> QuizResult {
    let per_question: Vec<QuestionResult> = questions
        .iter()
        .map(|question| score_question(question, answer_of(&question.id)))
        .collect();

    QuizResult {
        awarded: per_question.iter().map(|result| result.awarded).sum(),
        available: per_question.iter().map(|result| result.available).sum(),
        knockout_failed: per_question.iter().any(|result| result.knockout_failed),
        per_question,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::quiz::{ChoiceOption, QuestionKind};
    use std::collections::HashMap;

    fn question(
        id: &str,
        kind: QuestionKind,
        key: AnswerKey,
        points: i64,
        knockout: bool,
    ) -> StoredQuestion {
        StoredQuestion {
            id: id.into(),
            kind,
            prompt: id.into(),
            options: ["a", "b", "c"]
                .iter()
                .map(|id| ChoiceOption {
                    id: (*id).into(),
                    label: id.to_uppercase(),
                })
                .collect(),
            key,
            points,
            knockout,
            max_length: None,
            time_limit_secs: None,
        }
    }

    fn quiz() -> Vec<StoredQuestion> {
        vec![
            question(
                "single",
                QuestionKind::SingleChoice,
                AnswerKey::Single("b".into()),
                2,
                false,
            ),
            question(
                "multi",
                QuestionKind::MultipleChoice,
                AnswerKey::Multiple(vec!["a".into(), "c".into()]),
                2,
                false,
            ),
            question(
                "text",
                QuestionKind::ShortText,
                AnswerKey::Text(Some(vec!["Distinct".into()])),
                1,
                false,
            ),
            question(
                "number",
                QuestionKind::Number,
                AnswerKey::Number {
                    value: 1024.0,
                    tolerance: 0.0,
                },
                1,
                false,
            ),
            question(
                "knockout",
                QuestionKind::SingleChoice,
                AnswerKey::Single("a".into()),
                1,
                true,
            ),
            question(
                "essay",
                QuestionKind::ShortText,
                AnswerKey::Text(None),
                5,
                false,
            ),
        ]
    }

    fn all_correct() -> HashMap<String, AnswerValue> {
        HashMap::from([
            ("single".to_string(), AnswerValue::Choice("b".into())),
            (
                "multi".to_string(),
                AnswerValue::Choices(vec!["c".into(), "a".into()]),
            ),
            ("text".to_string(), AnswerValue::Text("  distinct ".into())),
            ("number".to_string(), AnswerValue::Number(1024.0)),
            ("knockout".to_string(), AnswerValue::Choice("a".into())),
            (
                "essay".to_string(),
                AnswerValue::Text("A long story".into()),
            ),
        ])
    }

    #[test]
    fn all_correct_scores_full_marks() {
        let answers = all_correct();
        let result = score_quiz(&quiz(), |id| answers.get(id));

        assert_eq!(result.awarded, 7);
        assert_eq!(result.available, 7, "the essay carries no automatic points");
        assert!(!result.knockout_failed);
        assert_eq!(result.lever_score(60), 4);
        assert_eq!(result.per_question[5].correct, None);
    }

    #[test]
    fn partial_multiple_choice_earns_nothing() {
        let mut answers = all_correct();
        answers.insert("multi".into(), AnswerValue::Choices(vec!["a".into()]));
        let result = score_quiz(&quiz(), |id| answers.get(id));

        assert_eq!(result.awarded, 5);
        assert_eq!(result.per_question[1].correct, Some(false));
    }

    #[test]
    fn wrong_knockout_fails_whatever_the_score() {
        let mut answers = all_correct();
        answers.insert("knockout".into(), AnswerValue::Choice("b".into()));
        let result = score_quiz(&quiz(), |id| answers.get(id));

        assert!(result.knockout_failed);
        assert!(!result.passed(0));
        assert_eq!(result.lever_score(60), 1);
    }

    #[test]
    fn unanswered_knockout_fails() {
        let mut answers = all_correct();
        answers.remove("knockout");
        assert!(score_quiz(&quiz(), |id| answers.get(id)).knockout_failed);
    }

    #[test]
    fn lever_score_follows_pass_mark() {
        let mut answers = all_correct();
        answers.remove("single");
        answers.remove("multi");
        // 3 of 7 points: 42.9%.
        let result = score_quiz(&quiz(), |id| answers.get(id));
        assert_eq!(result.awarded, 3);
        assert_eq!(result.lever_score(60), 2);
        assert_eq!(result.lever_score(40), 3);
    }

    #[test]
    fn number_tolerance_is_inclusive() {
        let close = question(
            "n",
            QuestionKind::Number,
            AnswerKey::Number {
                value: 2.5,
                tolerance: 0.01,
            },
            1,
            false,
        );
        assert_eq!(
            score_question(&close, Some(&AnswerValue::Number(2.51))).correct,
            Some(true)
        );
        assert_eq!(
            score_question(&close, Some(&AnswerValue::Number(2.52))).correct,
            Some(false)
        );
    }
}
