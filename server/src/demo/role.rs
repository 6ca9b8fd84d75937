//! The demo's roles. The backend engineer's portal has a welcome guide and a timed screening
//! quiz mixing every question kind, with one knockout question. The customer support role is
//! still in draft.

use app::domain::quiz::{AnswerValue, ChoiceOption, QuestionKind};
use app::ssr::quiz::key::AnswerKey;

pub const ROLE_TITLE: &str = "Backend Engineer";
/// The second, unfinished role: in draft, with a guide and no quiz yet.
pub const DRAFT_ROLE_TITLE: &str = "Customer Support Specialist";
pub const DRAFT_ROLE_INTRO: &str =
    "Help Northwind's customers get the most out of the platform, by chat, email and the occasional call.";
pub const QUIZ_TIME_LIMIT_SECS: i64 = 20 * 60;
pub const QUIZ_PASS_PERCENT: i64 = 60;
/// Days a candidate has to finish the portal after the invitation.
pub const DEADLINE_DAYS: i64 = 7;

pub const ROLE_INTRO: &str =
    "We are hiring a backend engineer to build the services behind Northwind's \
logistics platform: Rust and PostgreSQL, running on a few hundred nodes across three regions.\n\n\
The first steps happen here, on your own time: read how we work, then take a short screening quiz. \
It takes about fifteen minutes.";

pub const GUIDE_TITLE: &str = "Welcome to Northwind";
pub const GUIDE_BODY: &str = "## How we hire\n\n\
1. **This portal**: a short guide and a screening quiz, on your schedule.\n\
2. **Phone screen** (30 minutes) with the hiring manager.\n\
3. **Technical conversation** (90 minutes) about a system you built, and one we run.\n\
4. **Meet the team** and an offer within a week.\n\n\
## How we work\n\n\
- Small teams own their services end to end, on-call included, with a follow-the-sun rotation.\n\
- We write things down: design notes before code, incident reviews without blame.\n\
- Four-day weeks in August, and a yearly learning budget.\n\n\
Questions? Reply to your invitation email and a recruiter will answer within a day.";

pub const QUIZ_TITLE: &str = "Screening quiz";
pub const QUIZ_INSTRUCTIONS: &str = "Answer what you can; there is no penalty for a wrong answer. \
Use no outside help, and stay within the time limit.";

/// One question of the seeded quiz.
pub struct DemoQuestion {
    pub kind: QuestionKind,
    pub prompt: &'static str,
    pub options: &'static [&'static str],
    pub key: AnswerKey,
    pub points: i64,
    pub knockout: bool,
    pub max_length: Option<i64>,
}

/// Option ids are the option's position as a letter, so the key can name them.
pub fn options(labels: &[&str]) -> Vec<ChoiceOption> {
    labels
        .iter()
        .enumerate()
        .map(|(index, label)| ChoiceOption {
            id: option_id(index),
            label: (*label).to_string(),
        })
        .collect()
}

fn option_id(index: usize) -> String {
    char::from(b'a' + index as u8).to_string()
}

impl DemoQuestion {
    /// Returns an answer that earns the question's points (for a question a person reviews, a
    /// plausible one), as a candidate's browser would send it.
    pub fn correct_answer(&self) -> AnswerValue {
        match &self.key {
            AnswerKey::Single(id) => AnswerValue::Choice(id.clone()),
            AnswerKey::Multiple(ids) => AnswerValue::Choices(ids.clone()),
            AnswerKey::Number { value, .. } => AnswerValue::Number(*value),
            AnswerKey::Text(Some(accepted)) => {
                AnswerValue::Text(accepted.first().cloned().unwrap_or_default())
            }
            AnswerKey::Text(None) => {
                AnswerValue::Text("A queue backed up; we added backpressure and an alert.".into())
            }
        }
    }
}

pub fn questions() -> Vec<DemoQuestion> {
    let single = |id: usize| AnswerKey::Single(option_id(id));
    let multiple =
        |ids: &[usize]| AnswerKey::Multiple(ids.iter().map(|id| option_id(*id)).collect());

    vec![
        DemoQuestion {
            kind: QuestionKind::SingleChoice,
            prompt: "Which HTTP status code means the client sent too many requests?",
            options: &["400", "404", "429", "503"],
            key: single(2),
            points: 2,
            knockout: false,
            max_length: None,
        },
        DemoQuestion {
            kind: QuestionKind::MultipleChoice,
            prompt: "Which of these are ACID properties?",
            options: &[
                "Atomicity",
                "Consistency",
                "Availability",
                "Isolation",
                "Durability",
            ],
            key: multiple(&[0, 1, 3, 4]),
            points: 2,
            knockout: false,
            max_length: None,
        },
        DemoQuestion {
            kind: QuestionKind::Number,
            prompt: "How many milliseconds are in one minute?",
            options: &[],
            key: AnswerKey::Number {
                value: 60_000.0,
                tolerance: 0.0,
            },
            points: 1,
            knockout: false,
            max_length: None,
        },
        DemoQuestion {
            kind: QuestionKind::ShortText,
            prompt: "Which SQL keyword removes duplicate rows from a result set?",
            options: &[],
            key: AnswerKey::Text(Some(vec!["DISTINCT".into(), "SELECT DISTINCT".into()])),
            points: 1,
            knockout: false,
            max_length: Some(100),
        },
        DemoQuestion {
            kind: QuestionKind::SingleChoice,
            prompt: "Are you legally authorised to work in the European Union?",
            options: &["Yes", "No"],
            key: single(0),
            points: 1,
            knockout: true,
            max_length: None,
        },
        DemoQuestion {
            kind: QuestionKind::SingleChoice,
            prompt: "Which Rust type gives shared ownership of a value across threads?",
            options: &["Rc", "Arc", "Box", "Cell"],
            key: single(1),
            points: 2,
            knockout: false,
            max_length: None,
        },
        DemoQuestion {
            kind: QuestionKind::MultipleChoice,
            prompt: "Which of these HTTP methods are idempotent?",
            options: &["GET", "PUT", "POST", "DELETE"],
            key: multiple(&[0, 1, 3]),
            points: 2,
            knockout: false,
            max_length: None,
        },
        DemoQuestion {
            kind: QuestionKind::Number,
            prompt: "What is 2 to the power of 10?",
            options: &[],
            key: AnswerKey::Number {
                value: 1024.0,
                tolerance: 0.0,
            },
            points: 1,
            knockout: false,
            max_length: None,
        },
        DemoQuestion {
            kind: QuestionKind::ShortText,
            prompt: "Describe a production incident you helped resolve, in a few sentences.",
            options: &[],
            key: AnswerKey::Text(None),
            points: 0,
            knockout: false,
            max_length: Some(2_000),
        },
    ]
}
