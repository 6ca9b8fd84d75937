//! Checks what the portal editor saves. Each error names the form field it is about, so the
//! editor shows the message next to that field. Nothing is stored until every check passes.

use std::collections::HashSet;

use super::embed::embed_url;
use crate::domain::editor::{OptionInput, QuestionInput, StepInput};
use crate::domain::portal::StepKind;
use crate::domain::quiz::{QuestionKind, MAX_TEXT_ANSWER_CHARS};
use crate::domain::upload::UploadedFile;
use crate::error::AppError;
use crate::ssr::clock::new_id;
use crate::ssr::quiz::key::AnswerKey;

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 50_000;
pub const MAX_PROMPT_CHARS: usize = 2_000;
pub const MAX_OPTION_CHARS: usize = 500;
pub const MAX_OPTIONS: usize = 20;
pub const MAX_POINTS: i64 = 100;
/// A quiz's time limit: from one minute to four hours, in seconds.
pub const QUIZ_TIME_LIMIT_SECS: std::ops::RangeInclusive<i64> = 60..=4 * 3600;
/// A question's own time limit: from 10 seconds to one hour, in seconds.
pub const QUESTION_TIME_LIMIT_SECS: std::ops::RangeInclusive<i64> = 10..=3600;

/// A step's settings after the checks, ready to store.
#[derive(Debug, PartialEq)]
pub struct ValidStep {
    pub title: String,
    pub body_md: String,
    pub required: bool,
    pub time_limit_secs: Option<i64>,
    pub pass_percent: Option<i64>,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    pub settings_json: String,
}

/// A question after the checks: options with their ids, and the answer key.
#[derive(Debug, PartialEq)]
pub struct ValidQuestion {
    pub kind: QuestionKind,
    pub prompt: String,
    pub options_json: String,
    pub key: AnswerKey,
    pub points: i64,
    pub knockout: bool,
    pub time_limit_secs: Option<i64>,
    pub max_length: Option<i64>,
}

/// Checks a step's title, text and the settings of its kind.
pub fn validate_step(
    kind: StepKind,
    input: &StepInput,
    upload: Option<&UploadedFile>,
) -> Result<ValidStep, AppError> {
    let title = input.title.trim();
    if title.is_empty() {
        return Err(AppError::invalid("title", "Enter a title for this step."));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(AppError::invalid(
            "title",
            format!("Keep the title to {MAX_TITLE_CHARS} characters or fewer."),
        ));
    }
    if input.body_md.chars().count() > MAX_BODY_CHARS {
        return Err(AppError::invalid(
            "body_md",
            format!("Keep the text to {MAX_BODY_CHARS} characters or fewer."),
        ));
    }

    let mut step = ValidStep {
        title: title.to_owned(),
        body_md: input.body_md.clone(),
        required: input.required,
        time_limit_secs: None,
        pass_percent: None,
        shuffle_questions: false,
        shuffle_options: false,
        settings_json: "{}".to_owned(),
    };
    match kind {
        StepKind::Content => {}
        StepKind::Video => {
            // An uploaded file wins over an address; the caller checked the upload is this job's.
            if let Some(upload) = upload {
                step.settings_json = serde_json::json!({ "upload_id": upload.id }).to_string();
                return Ok(step);
            }
            let url = input
                .video_url
                .as_deref()
                .map(str::trim)
                .filter(|url| !url.is_empty())
                .ok_or_else(|| {
                    AppError::invalid(
                        "video_url",
                        "Upload a video file, or paste the address of the YouTube or Vimeo video to show.",
                    )
                })?;
            step.settings_json = serde_json::json!({ "embed_url": embed_url(url)? }).to_string();
        }
        StepKind::Quiz => {
            if let Some(seconds) = input.time_limit_secs {
                if !QUIZ_TIME_LIMIT_SECS.contains(&seconds) {
                    return Err(AppError::invalid(
                        "time_limit_secs",
                        "Set the time limit between 1 minute and 240 minutes, or leave it empty for no limit.",
                    ));
                }
            }
            if let Some(percent) = input.pass_percent {
                if !(0..=100).contains(&percent) {
                    return Err(AppError::invalid(
                        "pass_percent",
                        "Set the pass mark between 0 and 100 percent.",
                    ));
                }
            }
            step.time_limit_secs = input.time_limit_secs;
            step.pass_percent = input.pass_percent;
            step.shuffle_questions = input.shuffle_questions;
            step.shuffle_options = input.shuffle_options;
        }
    }
    Ok(step)
}

/// Checks a question against its kind's rules, and against the quiz's time limit when the
/// quiz has one. Options without an id get a new one; existing ids are kept, so answers and
/// shuffles keep pointing at the same option.
pub fn validate_question(
    input: &QuestionInput,
    quiz_time_limit_secs: Option<i64>,
) -> Result<ValidQuestion, AppError> {
    let prompt = input.prompt.trim();
    if prompt.is_empty() {
        return Err(AppError::invalid("prompt", "Enter the question."));
    }
    if prompt.chars().count() > MAX_PROMPT_CHARS {
        return Err(AppError::invalid(
            "prompt",
            format!("Keep the question to {MAX_PROMPT_CHARS} characters or fewer."),
        ));
    }
    if !(0..=MAX_POINTS).contains(&input.points) {
        return Err(AppError::invalid(
            "points",
            format!("Give the question from 0 to {MAX_POINTS} points."),
        ));
    }
    let time_limit_secs =
        validate_question_time_limit(input.time_limit_secs, quiz_time_limit_secs)?;

    let (options, key, max_length) = match input.kind {
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
            let options = validate_options(&input.options)?;
            let correct: Vec<String> = options
                .iter()
                .filter(|(_, option)| option.correct)
                .map(|(id, _)| id.clone())
                .collect();
            let key = if input.kind == QuestionKind::SingleChoice {
                match correct.as_slice() {
                    [id] => AnswerKey::Single(id.clone()),
                    [] => return Err(AppError::invalid("correct", "Mark the correct option.")),
                    _ => {
                        return Err(AppError::invalid(
                            "correct",
                            "A single-choice question has one correct option. Mark only one, or make it a multiple-choice question.",
                        ))
                    }
                }
            } else {
                if correct.is_empty() {
                    return Err(AppError::invalid(
                        "correct",
                        "Mark at least one correct option.",
                    ));
                }
                AnswerKey::Multiple(correct)
            };
            let options = options
                .into_iter()
                .map(|(id, option)| serde_json::json!({ "id": id, "label": option.label.trim() }))
                .collect::<Vec<_>>();
            (options, key, None)
        }
        QuestionKind::ShortText => {
            let accepted: Vec<String> = input
                .accepted_answers
                .iter()
                .map(|answer| answer.trim().to_owned())
                .filter(|answer| !answer.is_empty())
                .collect();
            if accepted
                .iter()
                .any(|answer| answer.chars().count() > MAX_OPTION_CHARS)
            {
                return Err(AppError::invalid(
                    "accepted_answers",
                    format!("Keep each accepted answer to {MAX_OPTION_CHARS} characters or fewer."),
                ));
            }
            let max_length = match input.max_length {
                Some(length) if !(1..=MAX_TEXT_ANSWER_CHARS as i64).contains(&length) => {
                    return Err(AppError::invalid(
                        "max_length",
                        format!("Set the longest answer between 1 and {MAX_TEXT_ANSWER_CHARS} characters, or leave it empty."),
                    ))
                }
                other => other,
            };
            let key = AnswerKey::Text((!accepted.is_empty()).then_some(accepted));
            (Vec::new(), key, max_length)
        }
        QuestionKind::Number => {
            let value = input
                .number_value
                .filter(|value| value.is_finite())
                .ok_or_else(|| AppError::invalid("number_value", "Enter the correct number."))?;
            let tolerance = input.number_tolerance.unwrap_or(0.0);
            if !tolerance.is_finite() || tolerance < 0.0 {
                return Err(AppError::invalid(
                    "number_tolerance",
                    "Enter the tolerance as zero or a positive number.",
                ));
            }
            (Vec::new(), AnswerKey::Number { value, tolerance }, None)
        }
    };

    if input.knockout && !key.is_auto_scored() {
        return Err(AppError::invalid(
            "knockout",
            "A knockout question needs a correct answer to check against. Add accepted answers, or clear \"Knockout\".",
        ));
    }

    Ok(ValidQuestion {
        kind: input.kind,
        prompt: prompt.to_owned(),
        options_json: serde_json::Value::Array(options).to_string(),
        key,
        points: input.points,
        knockout: input.knockout,
        time_limit_secs,
        max_length,
    })
}

fn validate_question_time_limit(
    seconds: Option<i64>,
    quiz_time_limit_secs: Option<i64>,
) -> Result<Option<i64>, AppError> {
    let Some(seconds) = seconds else {
        return Ok(None);
    };
    if !QUESTION_TIME_LIMIT_SECS.contains(&seconds) {
        return Err(AppError::invalid(
            "time_limit_secs",
            "Set the question's time limit between 10 and 3600 seconds, or leave it empty for no limit of its own.",
        ));
    }
    if quiz_time_limit_secs.is_some_and(|quiz| seconds > quiz) {
        return Err(AppError::invalid(
            "time_limit_secs",
            "The question's time limit is longer than the whole quiz's. Shorten it, or raise the quiz's limit first.",
        ));
    }
    Ok(Some(seconds))
}

/// Checks a choice question's options and gives new ones an id. Returns (id, option) pairs
/// in the editor's order.
fn validate_options(options: &[OptionInput]) -> Result<Vec<(String, &OptionInput)>, AppError> {
    if options.len() < 2 {
        return Err(AppError::invalid(
            "options",
            "Give the question at least two options.",
        ));
    }
    if options.len() > MAX_OPTIONS {
        return Err(AppError::invalid(
            "options",
            format!("Keep the question to {MAX_OPTIONS} options or fewer."),
        ));
    }

    let mut labels = HashSet::new();
    let mut ids = HashSet::new();
    let mut validated = Vec::with_capacity(options.len());
    for (index, option) in options.iter().enumerate() {
        let label = option.label.trim();
        if label.is_empty() {
            return Err(AppError::invalid(
                "options",
                format!(
                    "Option {} is empty. Write its text, or remove it.",
                    index + 1
                ),
            ));
        }
        if label.chars().count() > MAX_OPTION_CHARS {
            return Err(AppError::invalid(
                "options",
                format!(
                    "Keep option {} to {MAX_OPTION_CHARS} characters or fewer.",
                    index + 1
                ),
            ));
        }
        if !labels.insert(label.to_lowercase()) {
            return Err(AppError::invalid(
                "options",
                format!(
                    "Option {} repeats an earlier option. Make each option different.",
                    index + 1
                ),
            ));
        }

        let id = match option
            .id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
        {
            Some(id) if id.len() <= 64 => id.to_owned(),
            Some(_) => {
                return Err(AppError::invalid(
                    "options",
                    "An option's id is too long; reload the page.",
                ))
            }
            None => new_id(),
        };
        if !ids.insert(id.clone()) {
            return Err(AppError::invalid(
                "options",
                "Two options share an id; reload the page.",
            ));
        }
        validated.push((id, option));
    }
    Ok(validated)
}

/// Returns why a version cannot be published yet, naming the step, or `None` when it can.
/// `steps` contains each step's title, kind and question count.
pub fn publish_blocker(steps: &[(String, StepKind, i64)]) -> Option<String> {
    if steps.is_empty() {
        return Some("Add at least one step to the portal before publishing it.".into());
    }
    steps
        .iter()
        .find(|(_, kind, questions)| *kind == StepKind::Quiz && *questions == 0)
        .map(|(title, ..)| {
            format!("The quiz \"{title}\" has no questions yet. Add one, or remove the step.")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::editor::QuestionInput;

    fn option(label: &str, correct: bool) -> OptionInput {
        OptionInput {
            id: None,
            label: label.into(),
            correct,
        }
    }

    fn choice(kind: QuestionKind, options: Vec<OptionInput>) -> QuestionInput {
        QuestionInput {
            prompt: "Which one?".into(),
            options,
            ..QuestionInput::new(kind)
        }
    }

    fn field_of(error: AppError) -> String {
        match error {
            AppError::Invalid {
                field: Some(field), ..
            } => field,
            other => panic!("expected an invalid field, got {other:?}"),
        }
    }

    fn step_input(title: &str) -> StepInput {
        StepInput {
            step_id: "s".into(),
            title: title.into(),
            body_md: String::new(),
            required: true,
            time_limit_secs: None,
            pass_percent: None,
            shuffle_questions: false,
            shuffle_options: false,
            video_url: None,
            video_upload_id: None,
        }
    }

    #[test]
    fn single_choice_needs_one_correct_option() {
        let none = choice(
            QuestionKind::SingleChoice,
            vec![option("A", false), option("B", false)],
        );
        assert_eq!(
            field_of(validate_question(&none, None).unwrap_err()),
            "correct"
        );

        let two = choice(
            QuestionKind::SingleChoice,
            vec![option("A", true), option("B", true)],
        );
        assert_eq!(
            field_of(validate_question(&two, None).unwrap_err()),
            "correct"
        );

        let one = choice(
            QuestionKind::SingleChoice,
            vec![option("A", false), option("B", true)],
        );
        let valid = validate_question(&one, None).unwrap();
        let options: Vec<serde_json::Value> = serde_json::from_str(&valid.options_json).unwrap();
        assert_eq!(
            valid.key,
            AnswerKey::Single(options[1]["id"].as_str().unwrap().to_owned())
        );
    }

    #[test]
    fn choice_options_are_checked() {
        let lonely = choice(QuestionKind::MultipleChoice, vec![option("A", true)]);
        assert_eq!(
            field_of(validate_question(&lonely, None).unwrap_err()),
            "options"
        );

        let blank = choice(
            QuestionKind::MultipleChoice,
            vec![option("A", true), option("  ", false)],
        );
        assert_eq!(
            field_of(validate_question(&blank, None).unwrap_err()),
            "options"
        );

        let repeated = choice(
            QuestionKind::MultipleChoice,
            vec![option("Yes", true), option("yes ", false)],
        );
        assert_eq!(
            field_of(validate_question(&repeated, None).unwrap_err()),
            "options"
        );
    }

    #[test]
    fn existing_option_ids_are_kept() {
        let mut kept = option("A", true);
        kept.id = Some("option-a".into());
        let question = choice(QuestionKind::MultipleChoice, vec![kept, option("B", true)]);
        let valid = validate_question(&question, None).unwrap();
        let AnswerKey::Multiple(ids) = valid.key else {
            panic!("expected a multiple-choice key");
        };
        assert_eq!(ids[0], "option-a");
        assert_ne!(ids[1], "option-a");
    }

    #[test]
    fn empty_prompt_and_bad_points_are_rejected() {
        let mut question = choice(
            QuestionKind::SingleChoice,
            vec![option("A", true), option("B", false)],
        );
        question.prompt = "   ".into();
        assert_eq!(
            field_of(validate_question(&question, None).unwrap_err()),
            "prompt"
        );

        question.prompt = "Fine?".into();
        question.points = -1;
        assert_eq!(
            field_of(validate_question(&question, None).unwrap_err()),
            "points"
        );
    }

    #[test]
    fn time_limits_of_zero_are_rejected() {
        let mut question = QuestionInput {
            prompt: "How many?".into(),
            number_value: Some(4.0),
            ..QuestionInput::new(QuestionKind::Number)
        };
        question.time_limit_secs = Some(0);
        assert_eq!(
            field_of(validate_question(&question, None).unwrap_err()),
            "time_limit_secs"
        );

        question.time_limit_secs = Some(120);
        assert_eq!(
            field_of(validate_question(&question, Some(60)).unwrap_err()),
            "time_limit_secs"
        );
        assert!(validate_question(&question, Some(600)).is_ok());

        let mut quiz = step_input("Screening quiz");
        quiz.time_limit_secs = Some(0);
        assert_eq!(
            field_of(validate_step(StepKind::Quiz, &quiz, None).unwrap_err()),
            "time_limit_secs"
        );
    }

    #[test]
    fn knockout_needs_an_automatic_key() {
        let question = QuestionInput {
            prompt: "Why us?".into(),
            knockout: true,
            ..QuestionInput::new(QuestionKind::ShortText)
        };
        assert_eq!(
            field_of(validate_question(&question, None).unwrap_err()),
            "knockout"
        );

        let accepted = QuestionInput {
            accepted_answers: vec!["Because".into()],
            ..question
        };
        assert!(validate_question(&accepted, None).is_ok());
    }

    #[test]
    fn number_question_needs_a_value() {
        let question = QuestionInput {
            prompt: "How many?".into(),
            ..QuestionInput::new(QuestionKind::Number)
        };
        assert_eq!(
            field_of(validate_question(&question, None).unwrap_err()),
            "number_value"
        );

        let negative = QuestionInput {
            number_value: Some(3.0),
            number_tolerance: Some(-0.5),
            ..question
        };
        assert_eq!(
            field_of(validate_question(&negative, None).unwrap_err()),
            "number_tolerance"
        );
    }

    #[test]
    fn step_titles_are_required() {
        assert_eq!(
            field_of(validate_step(StepKind::Content, &step_input(" "), None).unwrap_err()),
            "title"
        );
        let long = "x".repeat(MAX_TITLE_CHARS + 1);
        assert_eq!(
            field_of(validate_step(StepKind::Content, &step_input(&long), None).unwrap_err()),
            "title"
        );
    }

    #[test]
    fn video_steps_need_an_embeddable_address() {
        let mut video = step_input("Meet the team");
        assert_eq!(
            field_of(validate_step(StepKind::Video, &video, None).unwrap_err()),
            "video_url"
        );

        video.video_url = Some("https://videos.example/meet-the-team.mp4".into());
        assert_eq!(
            field_of(validate_step(StepKind::Video, &video, None).unwrap_err()),
            "video_url"
        );

        video.video_url = Some("https://vimeo.com/76979871".into());
        let valid = validate_step(StepKind::Video, &video, None).unwrap();
        assert!(valid
            .settings_json
            .contains("https://player.vimeo.com/video/76979871"));
    }

    #[test]
    fn publish_needs_steps_and_quiz_questions() {
        assert!(publish_blocker(&[]).is_some());
        let empty_quiz = [("Quiz".to_owned(), StepKind::Quiz, 0)];
        assert!(publish_blocker(&empty_quiz).unwrap().contains("\"Quiz\""));
        let ready = [
            ("Guide".to_owned(), StepKind::Content, 0),
            ("Quiz".to_owned(), StepKind::Quiz, 3),
        ];
        assert_eq!(publish_blocker(&ready), None);
    }
}
