//! One submitted review: who gave it and when, the overall recommendation, the score per
//! criterion and the comment.

use leptos::prelude::*;

use crate::domain::reviews::{scale_label, SubmittedReview};

#[component]
pub fn ReviewCard(review: SubmittedReview) -> impl IntoView {
    let who = if review.is_mine {
        format!("You, {}", review.submitted_text)
    } else {
        format!("{}, {}", review.reviewer_name, review.submitted_text)
    };

    view! {
        <article class="review-card">
            <p><strong>{format!("{} ({}/4)", scale_label(review.recommendation), review.recommendation)}</strong>" · "{who}</p>
            {(!review.scores.is_empty()).then(|| view! {
                <dl class="review-scores">
                    {review.scores.into_iter().map(|(criterion, score)| view! {
                        <dt>{criterion}</dt>
                        <dd>{format!("{score} of 4")}</dd>
                    }).collect_view()}
                </dl>
            })}
            {(!review.comment.is_empty()).then(|| view! { <p class="review-comment">{review.comment}</p> })}
        </article>
    }
}
