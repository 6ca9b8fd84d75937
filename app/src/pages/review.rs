//! `/jobs/:role_id/candidates/:application_id`: one candidate's answers and reviews. A job's
//! owners and reviewers (and Admins) score the candidate against the role's rubric and give an
//! overall recommendation; the others' reviews appear once their own is submitted.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::reviews::{load_review, submit_review};
use crate::components::outcome::Outcome;
use crate::components::review_card::ReviewCard;
use crate::components::review_form::ReviewForm;
use crate::components::staff_frame::StaffFrame;
use crate::components::{ErrorNotice, Loading};
use crate::domain::reviews::{ReviewInput, ReviewSheet};
use crate::error::AppError;

/// Renders the page. Its resource and action are created before `StaffFrame` suspends, as on
/// the Jobs page.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let params = use_params_map();
    let submit = Action::new(|review: &ReviewInput| submit_review(review.clone()));
    let sheet = Resource::new(
        move || {
            (
                params.read().get("application_id").unwrap_or_default(),
                submit.version().get(),
            )
        },
        |(application_id, _)| load_review(application_id),
    );
    let back = move || {
        format!(
            "/jobs/{}/candidates",
            params.read().get("role_id").unwrap_or_default()
        )
    };

    view! {
        <Title text="Review a candidate"/>
        <StaffFrame>
            <p><a href=back>"← All candidates of this job"</a></p>
            <Outcome finished=Signal::derive(move || submit.version().get())>
                {move || matches!(submit.value().get(), Some(Ok(()))).then(|| view! {
                    <p class="notice notice-ok" role="status">"Your review is submitted. The other reviews are shown below."</p>
                })}
            </Outcome>
            // Transition keeps the sheet on screen while it reloads after the submission.
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match sheet.await {
                        Ok(sheet) => view! { <ReviewContent sheet submit/> }.into_any(),
                        Err(error) => view! { <h1>"Review a candidate"</h1><ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </StaffFrame>
    }
}

#[component]
fn ReviewContent(
    sheet: ReviewSheet,
    submit: Action<ReviewInput, Result<(), AppError>>,
) -> impl IntoView {
    let facts = [
        Some(sheet.candidate_email.clone()),
        Some(sheet.status.replace('_', " ")),
        sheet
            .score_percent
            .map(|percent| format!("quiz score {percent:.0}%")),
        sheet
            .knockout_failed
            .then(|| "knockout question failed".to_string()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let others_note = match (sheet.mine.is_some(), sheet.others_hidden, sheet.others.len()) {
        (false, 0, _) => Some("Nobody else has reviewed this candidate yet.".to_string()),
        (false, 1, _) => Some("1 colleague has reviewed this candidate. You see their review once you submit yours.".to_string()),
        (false, hidden, _) => Some(format!("{hidden} colleagues have reviewed this candidate. You see their reviews once you submit yours.")),
        (true, _, 0) => Some("Nobody else has reviewed this candidate yet.".to_string()),
        (true, _, _) => None,
    };

    view! {
        <h1>{sheet.candidate_name.clone()}</h1>
        <p class="muted">{format!("{} · {facts}", sheet.role_title)}</p>

        <section aria-labelledby="answers-heading">
            <h2 id="answers-heading">"Answers"</h2>
            {if sheet.answers.is_empty() {
                view! { <p class="muted">"No quiz answers yet."</p> }.into_any()
            } else {
                view! {
                    <dl class="answer-list">
                        {sheet.answers.into_iter().map(|line| view! {
                            <dt>{format!("{}: {}", line.step_title, line.prompt)}</dt>
                            <dd>{line.answer}</dd>
                        }).collect_view()}
                    </dl>
                }.into_any()
            }}
        </section>

        <section aria-labelledby="your-review-heading">
            <h2 id="your-review-heading">"Your review"</h2>
            {match sheet.mine {
                Some(review) => view! { <ReviewCard review/> }.into_any(),
                None => view! {
                    <ReviewForm application_id=sheet.application_id.clone() criteria=sheet.criteria.clone() submit/>
                }.into_any(),
            }}
        </section>

        <section aria-labelledby="other-reviews-heading">
            <h2 id="other-reviews-heading">"Other reviews"</h2>
            {others_note.map(|note| view! { <p class="muted">{note}</p> })}
            <ul class="review-list">
                {sheet.others.into_iter().map(|review| view! { <li><ReviewCard review/></li> }).collect_view()}
            </ul>
        </section>
    }
}
