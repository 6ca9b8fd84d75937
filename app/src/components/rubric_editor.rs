//! A job's rubric on its settings page: the criteria its reviewers score from 1 to 4, each with
//! guidance. Owners and Admins add, change, remove and save them, and everyone else reads them.

use leptos::prelude::*;

use crate::domain::reviews::{
    Criterion, Rubric, MAX_CRITERIA, MAX_CRITERION_NAME_CHARS, MAX_GUIDANCE_CHARS,
};
use crate::error::AppError;
use crate::pages::portal_editor::focus_soon;

/// The rubric's save action: the job's id and the criteria in order.
pub type SaveRubric = Action<(String, Vec<Criterion>), Result<(), AppError>>;

/// One editable criterion. `key` identifies the row while rows are added and removed.
#[derive(Clone, Copy)]
struct Row {
    key: usize,
    name: RwSignal<String>,
    guidance: RwSignal<String>,
}

#[component]
pub fn RubricEditor(role_id: String, rubric: Rubric, save: SaveRubric) -> impl IntoView {
    if let Some(reason) = rubric.edit_refusal {
        return view! {
            <section class="rubric" aria-labelledby="rubric-heading">
                <h2 id="rubric-heading">"Review rubric"</h2>
                <p class="muted">{reason}</p>
                {if rubric.criteria.is_empty() {
                    view! { <p>"No criteria yet: reviewers give an overall recommendation only."</p> }.into_any()
                } else {
                    view! {
                        <dl class="review-scores">
                            {rubric.criteria.into_iter().map(|criterion| view! {
                                <dt>{criterion.name}</dt><dd>{criterion.guidance}</dd>
                            }).collect_view()}
                        </dl>
                    }.into_any()
                }}
            </section>
        }
        .into_any();
    }

    let next_key = StoredValue::new(rubric.criteria.len());
    let rows = RwSignal::new(
        rubric
            .criteria
            .into_iter()
            .enumerate()
            .map(|(key, criterion)| Row {
                key,
                name: RwSignal::new(criterion.name),
                guidance: RwSignal::new(criterion.guidance),
            })
            .collect::<Vec<_>>(),
    );
    // A new criterion's name takes focus. After a removal, focus goes to the name before it,
    // or to "Add criterion" when none is left, instead of falling to the top of the page.
    let add = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        rows.update(|rows| {
            rows.push(Row {
                key,
                name: RwSignal::new(String::new()),
                guidance: RwSignal::new(String::new()),
            })
        });
        focus_soon(format!("criterion-{key}-name"));
    };
    let remove = move |key: usize| {
        let before = rows.with_untracked(|rows| {
            let position = rows.iter().position(|row| row.key == key)?;
            position
                .checked_sub(1)
                .and_then(|before| rows.get(before))
                .map(|row| row.key)
        });
        rows.update(|rows| rows.retain(|other| other.key != key));
        focus_soon(match before {
            Some(before) => format!("criterion-{before}-name"),
            None => "add-criterion".into(),
        });
    };
    let role_id = StoredValue::new(role_id);
    let send = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let criteria = rows.with_untracked(|rows| {
            rows.iter()
                .map(|row| Criterion {
                    name: row.name.get_untracked(),
                    guidance: row.guidance.get_untracked(),
                })
                .collect()
        });
        save.dispatch((role_id.get_value(), criteria));
    };
    let error = move || save.value().get().and_then(Result::err);

    view! {
        <section class="rubric" aria-labelledby="rubric-heading">
            <h2 id="rubric-heading">"Review rubric"</h2>
            <p class="muted">"Reviewers score each criterion from 1 to 4 and then give an overall recommendation, which becomes Lever's note score. Reviews already given keep the criteria they scored."</p>
            <form class="settings-form" on:submit=send novalidate>
                <ol class="rubric-rows">
                    <For
                        each=move || rows.get().into_iter().enumerate()
                        key=|(_, row)| row.key
                        children=move |(index, row)| {
                            let name_id = format!("criterion-{}-name", row.key);
                            let guidance_id = format!("criterion-{}-guidance", row.key);
                            view! {
                                <li class="rubric-row">
                                    <label for=name_id.clone()>{format!("Criterion {} name", index + 1)}</label>
                                    <input id=name_id type="text" maxlength=MAX_CRITERION_NAME_CHARS.to_string() required
                                        prop:value=row.name on:input=move |event| row.name.set(event_target_value(&event))/>
                                    <label for=guidance_id.clone()>"Guidance for reviewers (optional)"</label>
                                    <textarea id=guidance_id rows="2" maxlength=MAX_GUIDANCE_CHARS.to_string()
                                        prop:value=row.guidance on:input=move |event| row.guidance.set(event_target_value(&event))></textarea>
                                    <button type="button" class="button-quiet" on:click=move |_| remove(row.key)>
                                        {format!("Remove criterion {}", index + 1)}
                                    </button>
                                </li>
                            }
                        }
                    />
                </ol>
                {move || rows.with(Vec::is_empty).then(|| view! {
                    <p class="muted">"No criteria yet: reviewers give an overall recommendation only."</p>
                })}
                <button type="button" class="button-secondary" id="add-criterion" on:click=add
                    disabled=move || rows.with(|rows| rows.len() >= MAX_CRITERIA)>"Add criterion"</button>
                <div role="alert">
                    {move || error().map(|error| view! { <p class="notice notice-error">{error.to_string()}</p> })}
                </div>
                <button type="submit" class="button-primary" disabled=move || save.pending().get()>"Save rubric"</button>
            </form>
        </section>
    }
    .into_any()
}
