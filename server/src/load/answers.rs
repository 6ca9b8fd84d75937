//! Answer sheets for the demo quiz: which questions a candidate's walk answers and how,
//! and what Lever must end up holding for that candidate (the note's score line and 1–4
//! score, and a stage move or an archive). The expected values are written out by hand
//! from the demo role's points (12 automatic points, pass mark 60%, Strong Yes from 85%),
//! so a test that compares them with Lever checks the scoring instead of repeating it.

use app::domain::quiz::AnswerValue;
use app::ssr::quiz::key::AnswerKey;

use crate::demo::role;

/// One way to fill in the demo quiz.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerSheet {
    /// Every question right: 12 of 12 points.
    AllCorrect,
    /// Questions 1, 2, 3, 5 (the knockout) and 6 right, the rest blank: 8 of 12 points.
    PassMark,
    /// Questions 1, 3 and 5 right, the rest blank: 4 of 12 points.
    BelowPassMark,
    /// The knockout question wrong, the rest blank: 0 points.
    KnockoutWrong,
}

impl AnswerSheet {
    /// All sheets, in the order [`AnswerSheet::for_candidate`] deals them out.
    pub const ALL: [AnswerSheet; 4] = [
        AnswerSheet::AllCorrect,
        AnswerSheet::KnockoutWrong,
        AnswerSheet::PassMark,
        AnswerSheet::BelowPassMark,
    ];

    /// Deals the sheets out in turn, so any run of candidates mixes passes and fails.
    pub fn for_candidate(index: usize) -> Self {
        Self::ALL[index % Self::ALL.len()]
    }

    /// Returns the answer this sheet gives to the demo question `prompt`; `None` leaves it
    /// blank. Unknown prompts are left blank too.
    pub fn answer(self, prompt: &str) -> Option<AnswerValue> {
        let questions = role::questions();
        let index = questions
            .iter()
            .position(|question| question.prompt == prompt)?;
        let question = &questions[index];

        let answered: &[usize] = match self {
            Self::AllCorrect => &[0, 1, 2, 3, 4, 5, 6, 7, 8],
            Self::PassMark => &[0, 1, 2, 4, 5],
            Self::BelowPassMark => &[0, 2, 4],
            Self::KnockoutWrong => {
                return question.knockout.then(|| wrong_choice(&question.key))?;
            }
        };
        answered.contains(&index).then(|| question.correct_answer())
    }

    /// Returns whether the candidate passes, so Lever moves the opportunity to the role's
    /// pass stage; a failing candidate is archived with the role's reason instead.
    pub fn passes(self) -> bool {
        matches!(self, Self::AllCorrect | Self::PassMark)
    }

    /// Returns the 1–4 score of the Lever note (1 Strong No, 2 No, 3 Yes, 4 Strong Yes).
    pub fn lever_score(self) -> u8 {
        match self {
            Self::AllCorrect => 4,
            Self::PassMark => 3,
            Self::BelowPassMark => 2,
            Self::KnockoutWrong => 1,
        }
    }

    /// Returns the start of the note's score line, without the pass mark that follows it.
    pub fn score_line(self) -> &'static str {
        match self {
            Self::AllCorrect => "Score: 12 / 12 points (100%), passed",
            Self::PassMark => "Score: 8 / 12 points (67%), passed",
            Self::BelowPassMark => "Score: 4 / 12 points (33%), below the pass mark",
            Self::KnockoutWrong => "Score: 0 / 12 points (0%), failed a knockout question",
        }
    }
}

/// Returns a choice other than the key's single right one.
fn wrong_choice(key: &AnswerKey) -> Option<AnswerValue> {
    let AnswerKey::Single(right) = key else {
        return None;
    };
    let wrong = if right == "a" { "b" } else { "a" };
    Some(AnswerValue::Choice(wrong.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_answer_the_questions_they_name() {
        let prompts: Vec<&str> = role::questions()
            .iter()
            .map(|question| question.prompt)
            .collect();
        let answered = |sheet: AnswerSheet| {
            prompts
                .iter()
                .filter(|prompt| sheet.answer(prompt).is_some())
                .count()
        };

        assert_eq!(answered(AnswerSheet::AllCorrect), prompts.len());
        assert_eq!(answered(AnswerSheet::PassMark), 5);
        assert_eq!(answered(AnswerSheet::BelowPassMark), 3);
        assert_eq!(answered(AnswerSheet::KnockoutWrong), 1);
    }

    #[test]
    fn knockout_sheet_picks_a_wrong_option() {
        let knockout = role::questions()
            .into_iter()
            .find(|question| question.knockout)
            .expect("the demo quiz has a knockout question");

        let answer = AnswerSheet::KnockoutWrong.answer(knockout.prompt);

        assert!(answer.is_some());
        assert_ne!(answer, Some(knockout.correct_answer()));
    }

    #[test]
    fn sheets_deal_out_in_turn() {
        assert_eq!(AnswerSheet::for_candidate(0), AnswerSheet::AllCorrect);
        assert_eq!(AnswerSheet::for_candidate(1), AnswerSheet::KnockoutWrong);
        assert_eq!(AnswerSheet::for_candidate(5), AnswerSheet::KnockoutWrong);
    }
}
