//! Storage of rubrics and reviews: reading a role's rubric, replacing it, reading the reviews
//! of an application as one viewer may see them, and storing a submitted review.

use super::clock::{new_id, now_ms};
use super::db::Db;
use crate::domain::quiz::{AnswerValue, ChoiceOption};
use crate::domain::reviews::{AnswerLine, Criterion, ReviewInput, SubmittedReview};
use crate::error::AppError;

/// Loads role `role_id`'s rubric in order.
pub async fn rubric(
    db: &Db,
    organization_id: &str,
    role_id: &str,
) -> Result<Vec<Criterion>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, guidance FROM rubric_criteria WHERE organization_id = $1 AND role_id = $2 ORDER BY position",
    )
    .bind(organization_id)
    .bind(role_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, guidance)| Criterion { name, guidance })
        .collect())
}

/// Replaces role `role_id`'s rubric with `criteria`, already checked. Submitted reviews keep
/// their own copy of the criteria they scored.
pub async fn replace_rubric(
    db: &Db,
    organization_id: &str,
    role_id: &str,
    criteria: &[Criterion],
) -> Result<(), AppError> {
    let mut transaction = db.begin().await?;
    sqlx::query("DELETE FROM rubric_criteria WHERE organization_id = $1 AND role_id = $2")
        .bind(organization_id)
        .bind(role_id)
        .execute(&mut *transaction)
        .await?;

    for (position, criterion) in criteria.iter().enumerate() {
        sqlx::query(
            "INSERT INTO rubric_criteria (id, organization_id, role_id, position, name, guidance)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new_id())
        .bind(organization_id)
        .bind(role_id)
        .bind(position as i64)
        .bind(&criterion.name)
        .bind(&criterion.guidance)
        .execute(&mut *transaction)
        .await?;
    }
    transaction.commit().await?;
    Ok(())
}

/// Loads every review of application `application_id`, the viewer's own marked, oldest first.
pub async fn reviews(
    db: &Db,
    organization_id: &str,
    application_id: &str,
    viewer_id: &str,
) -> Result<Vec<SubmittedReview>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        staff_user_id: String,
        reviewer_name: String,
        recommendation: i64,
        comment: String,
        submitted_at: i64,
    }

    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, staff_user_id, reviewer_name, recommendation, comment, submitted_at FROM reviews
         WHERE organization_id = $1 AND application_id = $2 ORDER BY submitted_at, id",
    )
    .bind(organization_id)
    .bind(application_id)
    .fetch_all(db)
    .await?;

    let mut reviews = Vec::with_capacity(rows.len());
    for row in rows {
        let scores: Vec<(String, i64)> = sqlx::query_as(
            "SELECT criterion_name, score FROM review_scores WHERE review_id = $1 AND organization_id = $2 ORDER BY position",
        )
        .bind(&row.id)
        .bind(organization_id)
        .fetch_all(db)
        .await?;
        reviews.push(SubmittedReview {
            reviewer_name: row.reviewer_name,
            is_mine: row.staff_user_id == viewer_id,
            recommendation: row.recommendation,
            scores,
            comment: row.comment,
            submitted_text: format_time(row.submitted_at),
        });
    }
    Ok(reviews)
}

/// The reviewer storing a review: who they are, for the row and its copy of their name.
pub struct Reviewer<'a> {
    pub organization_id: &'a str,
    pub staff_user_id: &'a str,
    pub name: &'a str,
}

/// Stores `input`, already checked against `criteria`. Returns `Conflict` when the reviewer
/// already submitted a review of this application, because reviews are final.
pub async fn store_review(
    db: &Db,
    reviewer: &Reviewer<'_>,
    input: &ReviewInput,
    criteria: &[Criterion],
) -> Result<(), AppError> {
    let review_id = new_id();
    let mut transaction = db.begin().await?;

    let inserted = sqlx::query(
        "INSERT INTO reviews (id, organization_id, application_id, staff_user_id, reviewer_name, recommendation, comment, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&review_id)
    .bind(reviewer.organization_id)
    .bind(&input.application_id)
    .bind(reviewer.staff_user_id)
    .bind(reviewer.name)
    .bind(input.recommendation)
    .bind(input.comment.trim())
    .bind(now_ms())
    .execute(&mut *transaction)
    .await;
    match inserted {
        Ok(_) => {}
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            return Err(AppError::Conflict(
                "You have already reviewed this candidate. Reviews are final, so each stays independent of the others.".into(),
            ));
        }
        Err(error) => return Err(error.into()),
    }

    for (position, (criterion, score)) in criteria.iter().zip(&input.scores).enumerate() {
        sqlx::query(
            "INSERT INTO review_scores (review_id, organization_id, position, criterion_name, score)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&review_id)
        .bind(reviewer.organization_id)
        .bind(position as i64)
        .bind(&criterion.name)
        .bind(score)
        .execute(&mut *transaction)
        .await?;
    }
    transaction.commit().await?;
    Ok(())
}

/// Loads the application's quiz answers as a reviewer reads them, in the portal's order.
pub async fn answers(
    db: &Db,
    organization_id: &str,
    application_id: &str,
) -> Result<Vec<AnswerLine>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        step_title: String,
        prompt: String,
        options_json: String,
        value_json: String,
    }

    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.title AS step_title, q.prompt, q.options_json, a.value_json
         FROM answers a
         JOIN quiz_questions q ON q.id = a.question_id AND q.organization_id = a.organization_id
         JOIN steps s ON s.id = q.step_id AND s.organization_id = q.organization_id
         WHERE a.organization_id = $1 AND a.application_id = $2
         ORDER BY s.position, q.position",
    )
    .bind(organization_id)
    .bind(application_id)
    .fetch_all(db)
    .await?;

    Ok(rows
        .into_iter()
        .map(|row| {
            let options: Vec<ChoiceOption> =
                serde_json::from_str(&row.options_json).unwrap_or_default();
            AnswerLine {
                answer: answer_text(&row.value_json, &options),
                step_title: row.step_title,
                prompt: row.prompt,
            }
        })
        .collect())
}

/// Writes a stored answer as text: the labels of chosen options, or what was typed.
fn answer_text(value_json: &str, options: &[ChoiceOption]) -> String {
    let label = |id: &str| {
        options
            .iter()
            .find(|option| option.id == id)
            .map(|option| option.label.clone())
            .unwrap_or_else(|| "(an option since removed)".into())
    };

    match serde_json::from_str::<AnswerValue>(value_json) {
        Ok(AnswerValue::Choice(id)) => label(&id),
        Ok(AnswerValue::Choices(ids)) => ids
            .iter()
            .map(|id| label(id))
            .collect::<Vec<_>>()
            .join("; "),
        Ok(AnswerValue::Text(text)) => text,
        Ok(AnswerValue::Number(number)) => number.to_string(),
        Err(_) => "(this answer could not be read)".into(),
    }
}

/// "11 Dec 2026, 18:30 UTC" for Unix milliseconds.
fn format_time(unix_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(unix_ms)
        .map(|time| time.format("%-d %b %Y, %H:%M UTC").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_read_as_option_labels() {
        let options = vec![
            ChoiceOption {
                id: "a".into(),
                label: "Rust".into(),
            },
            ChoiceOption {
                id: "b".into(),
                label: "Go".into(),
            },
        ];

        assert_eq!(
            answer_text(r#"{"type":"choice","value":"b"}"#, &options),
            "Go"
        );
        assert_eq!(
            answer_text(r#"{"type":"choices","value":["a","b"]}"#, &options),
            "Rust; Go"
        );
        assert_eq!(
            answer_text(r#"{"type":"text","value":"Hello"}"#, &options),
            "Hello"
        );
        assert_eq!(
            answer_text(r#"{"type":"choice","value":"z"}"#, &options),
            "(an option since removed)"
        );
    }
}
