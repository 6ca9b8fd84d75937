//! Checks an answer against its question before it is saved. A rejected answer changes
//! nothing, and its message says what to fix.

use super::key::StoredQuestion;
use crate::domain::quiz::{AnswerValue, QuestionKind, MAX_TEXT_ANSWER_CHARS};
use crate::error::AppError;

/// Returns the answer in its stored form (trimmed text, de-duplicated choices) or why it is invalid.
pub fn validate_answer(
    question: &StoredQuestion,
    answer: AnswerValue,
) -> Result<AnswerValue, AppError> {
    let invalid = |message: String| Err(AppError::invalid(question.id.clone(), message));

    match (question.kind, answer) {
        (QuestionKind::SingleChoice, AnswerValue::Choice(option_id)) => {
            if question.option_label(&option_id).is_none() {
                return invalid("That choice is not one of this question's options.".into());
            }
            Ok(AnswerValue::Choice(option_id))
        }

        (QuestionKind::MultipleChoice, AnswerValue::Choices(option_ids)) => {
            if option_ids.is_empty() {
                return invalid("Choose at least one option.".into());
            }
            if let Some(unknown) = option_ids
                .iter()
                .find(|id| question.option_label(id).is_none())
            {
                return invalid(format!(
                    "The choice {unknown:?} is not one of this question's options."
                ));
            }
            let mut unique = option_ids;
            unique.sort();
            unique.dedup();
            Ok(AnswerValue::Choices(unique))
        }

        (QuestionKind::ShortText, AnswerValue::Text(text)) => {
            let trimmed = text.trim();
            if trimmed.is_empty() {
                return invalid("The answer is empty. Type an answer before saving.".into());
            }
            let limit = question
                .max_length
                .and_then(|max| usize::try_from(max).ok())
                .unwrap_or(MAX_TEXT_ANSWER_CHARS)
                .min(MAX_TEXT_ANSWER_CHARS);
            let length = trimmed.chars().count();
            if length > limit {
                return invalid(format!(
                    "The answer is {length} characters long; the limit is {limit}."
                ));
            }
            Ok(AnswerValue::Text(trimmed.to_owned()))
        }

        (QuestionKind::Number, AnswerValue::Number(number)) => {
            if !number.is_finite() {
                return invalid("Enter a number.".into());
            }
            Ok(AnswerValue::Number(number))
        }

        (QuestionKind::Number, AnswerValue::Text(text)) => match text.trim().parse::<f64>() {
            Ok(number) if number.is_finite() => Ok(AnswerValue::Number(number)),
            _ => invalid(format!(
                "This question takes a number, and {:?} is not one.",
                text.trim()
            )),
        },

        (kind, _) => invalid(format!(
            "This answer does not fit a {} question.",
            kind_label(kind)
        )),
    }
}

fn kind_label(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::SingleChoice => "single-choice",
        QuestionKind::MultipleChoice => "multiple-choice",
        QuestionKind::ShortText => "short-text",
        QuestionKind::Number => "number",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::quiz::ChoiceOption;
    use crate::ssr::quiz::key::AnswerKey;

    fn question(kind: QuestionKind, key: AnswerKey) -> StoredQuestion {
        StoredQuestion {
            id: "q1".into(),
            kind,
            prompt: "Prompt".into(),
            options: vec![
                ChoiceOption {
                    id: "a".into(),
                    label: "Alpha".into(),
                },
                ChoiceOption {
                    id: "b".into(),
                    label: "Beta".into(),
                },
            ],
            key,
            points: 1,
            knockout: false,
            max_length: Some(10),
            time_limit_secs: None,
        }
    }

    #[test]
    fn choice_outside_options_is_rejected() {
        let single = question(QuestionKind::SingleChoice, AnswerKey::Single("a".into()));
        let error = validate_answer(&single, AnswerValue::Choice("z".into())).unwrap_err();
        assert!(error
            .to_string()
            .contains("not one of this question's options"));

        let multiple = question(
            QuestionKind::MultipleChoice,
            AnswerKey::Multiple(vec!["a".into()]),
        );
        assert!(validate_answer(
            &multiple,
            AnswerValue::Choices(vec!["a".into(), "z".into()])
        )
        .is_err());
        assert!(validate_answer(&multiple, AnswerValue::Choices(vec![])).is_err());
    }

    #[test]
    fn multiple_choice_is_deduplicated() {
        let multiple = question(
            QuestionKind::MultipleChoice,
            AnswerKey::Multiple(vec!["a".into()]),
        );
        let stored = validate_answer(
            &multiple,
            AnswerValue::Choices(vec!["b".into(), "a".into(), "b".into()]),
        )
        .unwrap();
        assert_eq!(stored, AnswerValue::Choices(vec!["a".into(), "b".into()]));
    }

    #[test]
    fn empty_and_oversized_text_are_rejected() {
        let text = question(QuestionKind::ShortText, AnswerKey::Text(None));

        assert!(validate_answer(&text, AnswerValue::Text("   ".into()))
            .unwrap_err()
            .to_string()
            .contains("empty"));
        let oversized = validate_answer(&text, AnswerValue::Text("x".repeat(11))).unwrap_err();
        assert!(oversized.to_string().contains("limit is 10"));
        assert_eq!(
            validate_answer(&text, AnswerValue::Text(" ok ".into())).unwrap(),
            AnswerValue::Text("ok".into())
        );
    }

    #[test]
    fn text_in_number_question_is_rejected() {
        let number = question(
            QuestionKind::Number,
            AnswerKey::Number {
                value: 1.0,
                tolerance: 0.0,
            },
        );

        let error = validate_answer(&number, AnswerValue::Text("twelve".into())).unwrap_err();
        assert!(error.to_string().contains("takes a number"));
        assert_eq!(
            validate_answer(&number, AnswerValue::Text(" 12 ".into())).unwrap(),
            AnswerValue::Number(12.0)
        );
        assert!(validate_answer(&number, AnswerValue::Number(f64::NAN)).is_err());
    }

    #[test]
    fn answer_of_wrong_shape_is_rejected() {
        let single = question(QuestionKind::SingleChoice, AnswerKey::Single("a".into()));
        assert!(validate_answer(&single, AnswerValue::Number(1.0)).is_err());
    }
}
