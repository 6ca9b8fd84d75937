//! Reviews of a finished candidate: a role's rubric (criteria scored 1 to 4), one reviewer's
//! submitted review, the sheet a reviewer works from, and the checks both must pass.
//!
//! A review is final once submitted, and a reviewer sees the others' reviews only after
//! submitting their own, so that every score is given independently.

use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// At most this many criteria per rubric.
pub const MAX_CRITERIA: usize = 12;
/// A criterion's name, in characters.
pub const MAX_CRITERION_NAME_CHARS: usize = 120;
/// A criterion's guidance text, in characters.
pub const MAX_GUIDANCE_CHARS: usize = 1_000;
/// A review's comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 5_000;

/// The 1 to 4 scale of criteria and of the overall recommendation. The recommendation's scale
/// is Lever's note score, so it maps onto Lever's unchanged.
pub const SCALE: [(i64, &str); 4] = [(1, "Strong no"), (2, "No"), (3, "Yes"), (4, "Strong yes")];

/// Returns the label of a point on the scale, such as "Yes" for 3.
pub fn scale_label(value: i64) -> &'static str {
    SCALE
        .iter()
        .find(|(point, _)| *point == value)
        .map(|(_, label)| *label)
        .unwrap_or("Not scored")
}

/// One criterion of a role's rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub name: String,
    /// Guidance on what a reviewer looks for, shown beside the scale.
    pub guidance: String,
}

/// A role's rubric with whether the viewer may change it, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rubric {
    pub criteria: Vec<Criterion>,
    /// `None` when the viewer may change the rubric, otherwise the reason they may not.
    pub edit_refusal: Option<String>,
}

/// A review as the sheet shows it. Criterion names are kept with the scores, so a later change
/// of the rubric leaves earlier reviews readable as they were given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedReview {
    pub reviewer_name: String,
    pub is_mine: bool,
    pub recommendation: i64,
    /// (criterion name, score) in the rubric's order at the time.
    pub scores: Vec<(String, i64)>,
    pub comment: String,
    pub submitted_text: String,
}

/// One answer of the candidate's quiz, as a reviewer reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerLine {
    pub step_title: String,
    pub prompt: String,
    pub answer: String,
}

/// Everything a reviewer needs on one page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewSheet {
    pub role_id: String,
    pub role_title: String,
    pub application_id: String,
    pub candidate_name: String,
    pub candidate_email: String,
    pub status: String,
    pub score_percent: Option<f64>,
    pub knockout_failed: bool,
    pub answers: Vec<AnswerLine>,
    pub criteria: Vec<Criterion>,
    /// The viewer's own review, once submitted.
    pub mine: Option<SubmittedReview>,
    /// The other reviews, empty until the viewer has submitted theirs.
    pub others: Vec<SubmittedReview>,
    /// How many other reviews exist while they are still hidden from the viewer.
    pub others_hidden: i64,
}

/// A review as a reviewer submits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewInput {
    pub application_id: String,
    pub recommendation: i64,
    /// One score per criterion, in the rubric's order.
    pub scores: Vec<i64>,
    pub comment: String,
}

/// Trims a rubric and checks it, naming the criterion at fault by its place (`criteria.2.name`).
pub fn checked_rubric(criteria: Vec<Criterion>) -> Result<Vec<Criterion>, AppError> {
    if criteria.len() > MAX_CRITERIA {
        return Err(AppError::invalid(
            "criteria",
            format!("A rubric holds at most {MAX_CRITERIA} criteria."),
        ));
    }

    let mut checked = Vec::with_capacity(criteria.len());
    for (index, criterion) in criteria.into_iter().enumerate() {
        let name = criterion.name.trim().to_owned();
        let guidance = criterion.guidance.trim().to_owned();
        if name.is_empty() || name.chars().count() > MAX_CRITERION_NAME_CHARS {
            return Err(AppError::invalid(
                format!("criteria.{index}.name"),
                format!(
                    "Give criterion {} a name of 1 to {MAX_CRITERION_NAME_CHARS} characters.",
                    index + 1
                ),
            ));
        }
        if guidance.chars().count() > MAX_GUIDANCE_CHARS {
            return Err(AppError::invalid(
                format!("criteria.{index}.guidance"),
                format!(
                    "Keep the guidance of criterion {} under {MAX_GUIDANCE_CHARS} characters.",
                    index + 1
                ),
            ));
        }
        checked.push(Criterion { name, guidance });
    }
    Ok(checked)
}

/// Checks a review against the rubric it scores, which has `criteria` criteria.
pub fn check_review(input: &ReviewInput, criteria: usize) -> Result<(), AppError> {
    let on_scale = |value: i64| (1..=4).contains(&value);

    if !on_scale(input.recommendation) {
        return Err(AppError::invalid(
            "recommendation",
            "Choose an overall recommendation, from Strong no to Strong yes.",
        ));
    }
    if input.scores.len() != criteria {
        return Err(AppError::invalid(
            "scores",
            "The rubric changed while you were reviewing. Reload the page to score its current criteria.",
        ));
    }
    if let Some(index) = input.scores.iter().position(|score| !on_scale(*score)) {
        return Err(AppError::invalid(
            format!("scores.{index}"),
            format!("Score criterion {} from 1 to 4.", index + 1),
        ));
    }
    if input.comment.chars().count() > MAX_COMMENT_CHARS {
        return Err(AppError::invalid(
            "comment",
            format!("Keep the comment under {MAX_COMMENT_CHARS} characters."),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(name: &str) -> Criterion {
        Criterion {
            name: name.into(),
            guidance: String::new(),
        }
    }

    fn review(recommendation: i64, scores: Vec<i64>) -> ReviewInput {
        ReviewInput {
            application_id: "a".into(),
            recommendation,
            scores,
            comment: String::new(),
        }
    }

    fn field(error: AppError) -> Option<String> {
        match error {
            AppError::Invalid { field, .. } => field,
            _ => None,
        }
    }

    #[test]
    fn rubric_names_are_trimmed_and_required() {
        let checked = checked_rubric(vec![criterion("  Communication  ")]).unwrap();
        assert_eq!(checked[0].name, "Communication");

        let error = checked_rubric(vec![criterion("Skills"), criterion("   ")]).unwrap_err();
        assert_eq!(field(error).as_deref(), Some("criteria.1.name"));
    }

    #[test]
    fn rubric_has_a_size_limit() {
        let many = (0..=MAX_CRITERIA)
            .map(|index| criterion(&format!("C{index}")))
            .collect();
        assert_eq!(
            field(checked_rubric(many).unwrap_err()).as_deref(),
            Some("criteria")
        );
    }

    #[test]
    fn review_scores_stay_on_the_scale() {
        assert!(check_review(&review(3, vec![1, 4]), 2).is_ok());
        assert_eq!(
            field(check_review(&review(0, vec![1, 4]), 2).unwrap_err()).as_deref(),
            Some("recommendation")
        );
        assert_eq!(
            field(check_review(&review(4, vec![1, 5]), 2).unwrap_err()).as_deref(),
            Some("scores.1")
        );
        assert_eq!(
            field(check_review(&review(4, vec![1]), 2).unwrap_err()).as_deref(),
            Some("scores")
        );
    }

    #[test]
    fn scale_labels_follow_lever() {
        assert_eq!(scale_label(1), "Strong no");
        assert_eq!(scale_label(4), "Strong yes");
        assert_eq!(scale_label(9), "Not scored");
    }
}
