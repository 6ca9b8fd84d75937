//! The Lever note that reports a submitted quiz: the score and every question with the
//! candidate's answer, readable as plain text in Lever's activity feed.

use std::fmt::Write;

use super::key::StoredQuestion;
use super::scoring::QuizResult;
use crate::domain::quiz::AnswerValue;

/// Facts the note reports beyond the questions themselves.
pub struct NoteContext<'a> {
    pub role_title: &'a str,
    pub quiz_title: &'a str,
    pub pass_percent: i64,
    pub time_taken_secs: i64,
    pub time_limit_secs: Option<i64>,
    pub timed_out: bool,
    /// URL where signed-in staff open the application in Tryout.
    pub review_url: &'a str,
}

/// Renders the note text. The questions come in the quiz's own order, not the candidate's.
pub fn render_quiz_note(
    context: &NoteContext<'_>,
    questions: &[StoredQuestion],
    answer_of: impl Fn(&str) -> Option<AnswerValue>,
    result: &QuizResult,
) -> String {
    let mut note = String::new();
    let verdict = if result.knockout_failed {
        "failed a knockout question"
    } else if result.passed(context.pass_percent) {
        "passed"
    } else {
        "below the pass mark"
    };

    let _ = writeln!(
        note,
        "Tryout: {} for {}",
        context.quiz_title, context.role_title
    );
    let _ = writeln!(
        note,
        "Score: {} / {} points ({:.0}%), {verdict} (pass mark {}%)",
        result.awarded,
        result.available,
        result.percent(),
        context.pass_percent
    );
    let _ = write!(
        note,
        "Time taken: {}",
        format_duration(context.time_taken_secs)
    );
    if let Some(limit) = context.time_limit_secs {
        let _ = write!(note, " of {}", format_duration(limit));
    }
    if context.timed_out {
        let _ = write!(
            note,
            " (time ran out; answers saved before the limit were scored)"
        );
    }
    let _ = writeln!(note);
    let _ = writeln!(note);

    for (number, (question, outcome)) in questions.iter().zip(&result.per_question).enumerate() {
        let mark = match outcome.correct {
            Some(true) => format!("correct, {}/{} pts", outcome.awarded, outcome.available),
            Some(false) => format!("wrong, 0/{} pts", outcome.available),
            None => "for review".to_string(),
        };
        let knockout = if question.knockout { " [knockout]" } else { "" };
        let _ = writeln!(note, "{}. {}{knockout}", number + 1, question.prompt);
        let _ = writeln!(
            note,
            "   Answer: {} ({mark})",
            describe_answer(question, answer_of(&question.id).as_ref())
        );
    }

    let _ = writeln!(note);
    let _ = write!(note, "Review in Tryout: {}", context.review_url);
    note
}

/// Describes an answer in words: option labels for choices, the text or number as given.
pub fn describe_answer(question: &StoredQuestion, answer: Option<&AnswerValue>) -> String {
    match answer {
        None => "(no answer)".to_string(),
        Some(AnswerValue::Choice(id)) => question.option_label(id).unwrap_or(id).to_string(),
        Some(AnswerValue::Choices(ids)) => ids
            .iter()
            .map(|id| question.option_label(id).unwrap_or(id).to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Some(AnswerValue::Text(text)) => text.clone(),
        Some(AnswerValue::Number(number)) => format_number(*number),
    }
}

fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

fn format_duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    if seconds < 60 {
        format!("{seconds} s")
    } else {
        format!("{} min {} s", seconds / 60, seconds % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::quiz::{ChoiceOption, QuestionKind};
    use crate::ssr::quiz::key::AnswerKey;
    use crate::ssr::quiz::scoring::score_quiz;

    #[test]
    fn note_lists_every_question_with_its_answer() {
        let questions = vec![
            StoredQuestion {
                id: "q1".into(),
                kind: QuestionKind::SingleChoice,
                prompt: "Which status means too many requests?".into(),
                options: vec![
                    ChoiceOption {
                        id: "a".into(),
                        label: "404".into(),
                    },
                    ChoiceOption {
                        id: "b".into(),
                        label: "429".into(),
                    },
                ],
                key: AnswerKey::Single("b".into()),
                points: 2,
                knockout: false,
                max_length: None,
                time_limit_secs: None,
            },
            StoredQuestion {
                id: "q2".into(),
                kind: QuestionKind::Number,
                prompt: "2 to the power of 10?".into(),
                options: vec![],
                key: AnswerKey::Number {
                    value: 1024.0,
                    tolerance: 0.0,
                },
                points: 1,
                knockout: true,
                max_length: None,
                time_limit_secs: None,
            },
        ];
        let answers = [
            ("q1", AnswerValue::Choice("b".into())),
            ("q2", AnswerValue::Number(1000.0)),
        ];
        let answer_of = |id: &str| {
            answers
                .iter()
                .find(|(key, _)| *key == id)
                .map(|(_, value)| value.clone())
        };
        let result = score_quiz(&questions, |id| {
            answers
                .iter()
                .find(|(key, _)| *key == id)
                .map(|(_, value)| value)
        });
        let context = NoteContext {
            role_title: "Backend Engineer",
            quiz_title: "Screening quiz",
            pass_percent: 60,
            time_taken_secs: 125,
            time_limit_secs: Some(900),
            timed_out: false,
            review_url: "https://tryout.example/applications/1",
        };

        let note = render_quiz_note(&context, &questions, answer_of, &result);

        assert!(
            note.contains("Score: 2 / 3 points (67%), failed a knockout question"),
            "{note}"
        );
        assert!(note.contains("1. Which status means too many requests?"));
        assert!(note.contains("Answer: 429 (correct, 2/2 pts)"));
        assert!(note.contains("2. 2 to the power of 10? [knockout]"));
        assert!(note.contains("Answer: 1000 (wrong, 0/1 pts)"));
        assert!(note.contains("Time taken: 2 min 5 s of 15 min 0 s"));
        assert!(note.ends_with("https://tryout.example/applications/1"));
    }
}
