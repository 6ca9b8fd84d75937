//! The form a reviewer scores a candidate with: one 1 to 4 choice per rubric criterion, the
//! overall recommendation on Lever's scale, and a comment. Every choice must be made before
//! the form is sent, and a missing one is named and focused.

use leptos::prelude::*;

use crate::domain::reviews::{Criterion, ReviewInput, MAX_COMMENT_CHARS, SCALE};
use crate::error::AppError;

#[component]
pub fn ReviewForm(
    application_id: String,
    criteria: Vec<Criterion>,
    submit: Action<ReviewInput, Result<(), AppError>>,
) -> impl IntoView {
    let scores: Vec<RwSignal<Option<i64>>> = criteria.iter().map(|_| RwSignal::new(None)).collect();
    let scores = StoredValue::new(scores);
    let recommendation = RwSignal::new(None::<i64>);
    let comment = RwSignal::new(String::new());
    let missing = RwSignal::new(None::<String>);
    let application_id = StoredValue::new(application_id);

    let send = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();

        let chosen: Vec<Option<i64>> =
            scores.with_value(|scores| scores.iter().map(|score| score.get_untracked()).collect());
        if let Some(index) = chosen.iter().position(Option::is_none) {
            missing.set(Some(format!(
                "Score criterion {} before you submit.",
                index + 1
            )));
            focus_first_choice(&format!("score-{index}"));
            return;
        }
        let Some(overall) = recommendation.get_untracked() else {
            missing.set(Some(
                "Choose an overall recommendation before you submit.".into(),
            ));
            focus_first_choice("recommendation");
            return;
        };
        missing.set(None);

        submit.dispatch(ReviewInput {
            application_id: application_id.get_value(),
            recommendation: overall,
            scores: chosen.into_iter().flatten().collect(),
            comment: comment.get_untracked(),
        });
    };
    let server_error = move || submit.value().get().and_then(Result::err);

    let criteria_fields = criteria
        .into_iter()
        .enumerate()
        .map(|(index, criterion)| {
            let score = scores.with_value(|scores| scores[index]);
            let group = format!("score-{index}");
            let guidance_id = format!("guidance-{index}");
            view! {
                <fieldset class="scale" aria-describedby=(!criterion.guidance.is_empty()).then(|| guidance_id.clone())>
                    <legend>{format!("{} (1 weakest, 4 strongest)", criterion.name)}</legend>
                    {(!criterion.guidance.is_empty()).then(|| view! { <p class="muted" id=guidance_id.clone()>{criterion.guidance.clone()}</p> })}
                    <div class="scale-choices">
                        {(1..=4).map(|point: i64| {
                            let id = format!("{group}-{point}");
                            view! {
                                <label class="scale-choice" for=id.clone()>
                                    <input type="radio" id=id.clone() name=group.clone() value=point.to_string()
                                        on:change=move |_| score.set(Some(point))/>
                                    {point.to_string()}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            }
        })
        .collect_view();

    view! {
        <form class="review-form" on:submit=send novalidate>
            <p class="muted">"Reviews are final. You see your colleagues' reviews once you submit yours, so each review is your own judgement."</p>
            {criteria_fields}
            <fieldset class="scale">
                <legend>"Overall recommendation"</legend>
                <div class="scale-choices">
                    {SCALE.into_iter().map(|(point, label)| {
                        let id = format!("recommendation-{point}");
                        view! {
                            <label class="scale-choice" for=id.clone()>
                                <input type="radio" id=id.clone() name="recommendation" value=point.to_string()
                                    on:change=move |_| recommendation.set(Some(point))/>
                                {label}
                            </label>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <label for="review-comment">"Comment (optional)"</label>
            <textarea id="review-comment" rows="5" maxlength=MAX_COMMENT_CHARS.to_string()
                prop:value=comment on:input=move |event| comment.set(event_target_value(&event))></textarea>
            <div role="alert">
                {move || missing.get().map(|message| view! { <p class="notice notice-error">{message}</p> })}
                {move || server_error().map(|error| view! { <p class="notice notice-error">{error.to_string()}</p> })}
            </div>
            <button type="submit" class="button-primary" disabled=move || submit.pending().get()>"Submit review"</button>
        </form>
    }
}

/// Focuses the first radio button of the group named `name`.
fn focus_first_choice(name: &str) {
    use leptos::wasm_bindgen::JsCast;

    let first = document()
        .query_selector(&format!("input[name=\"{name}\"]"))
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(first) = first {
        let _ = first.focus();
    }
}
