//! One quiz question as a form group. Choices save when picked; typed answers save after a
//! pause in typing and when the field loses focus.

use std::time::Duration;

use leptos::prelude::*;
use leptos::web_sys;

use crate::domain::quiz::{AnswerValue, QuestionKind, QuestionView, MAX_TEXT_ANSWER_CHARS};

/// Typing pause after which a typed answer is saved.
const TYPING_PAUSE: Duration = Duration::from_millis(800);
/// Answers allowed longer than this get a multi-line field, in characters.
const MULTILINE_FROM_CHARS: i64 = 200;

#[component]
pub fn Question(
    question: QuestionView,
    number: usize,
    total: usize,
    initial: Option<AnswerValue>,
    on_save: Callback<(String, AnswerValue)>,
    /// The server's message about this question's last save, if it was rejected.
    error: Signal<Option<String>>,
    disabled: Signal<bool>,
) -> impl IntoView {
    let legend_id = format!("q-{}-prompt", question.id);
    let hint = RwSignal::new(None::<String>);
    let message = move || error.get().or_else(|| hint.get());
    let message_id = format!("q-{}-message", question.id);
    let described_by = message_id.clone();

    let input = match question.kind {
        QuestionKind::SingleChoice => {
            single_choice(&question, initial, on_save, disabled).into_any()
        }
        QuestionKind::MultipleChoice => {
            multiple_choice(&question, initial, on_save, disabled, hint).into_any()
        }
        QuestionKind::ShortText | QuestionKind::Number => {
            typed_answer(&question, initial, on_save, disabled, hint, &legend_id).into_any()
        }
    };
    let points = match question.points {
        0 => "Reviewed by the team".to_string(),
        1 => "1 point".to_string(),
        points => format!("{points} points"),
    };

    view! {
        <fieldset class="question" aria-describedby=described_by>
            <legend id=legend_id.clone()>{question.prompt.clone()}</legend>
            <p class="question-meta muted">{format!("Question {number} of {total} · {points}")}</p>
            {input}
            <p class="field-message" id=message_id aria-live="polite">{message}</p>
        </fieldset>
    }
}

fn single_choice(
    question: &QuestionView,
    initial: Option<AnswerValue>,
    on_save: Callback<(String, AnswerValue)>,
    disabled: Signal<bool>,
) -> impl IntoView {
    let selected = match initial {
        Some(AnswerValue::Choice(id)) => Some(id),
        _ => None,
    };

    question
        .options
        .iter()
        .map(|option| {
            let question_id = question.id.clone();
            let option_id = option.id.clone();
            view! {
                <label class="choice">
                    <input
                        type="radio"
                        name=question.id.clone()
                        value=option.id.clone()
                        checked=selected.as_deref() == Some(option.id.as_str())
                        disabled=disabled
                        on:change=move |_| on_save.run((question_id.clone(), AnswerValue::Choice(option_id.clone())))
                    />
                    <span>{option.label.clone()}</span>
                </label>
            }
        })
        .collect_view()
}

fn multiple_choice(
    question: &QuestionView,
    initial: Option<AnswerValue>,
    on_save: Callback<(String, AnswerValue)>,
    disabled: Signal<bool>,
    hint: RwSignal<Option<String>>,
) -> impl IntoView {
    let initial_ids = match initial {
        Some(AnswerValue::Choices(ids)) => ids,
        _ => Vec::new(),
    };
    let selected = RwSignal::new(initial_ids.clone());

    question
        .options
        .iter()
        .map(|option| {
            let question_id = question.id.clone();
            let option_id = option.id.clone();
            let on_change = move |event| {
                let checked = event_target_checked(&event);
                selected.update(|ids| {
                    ids.retain(|id| id != &option_id);
                    if checked {
                        ids.push(option_id.clone());
                    }
                });
                let ids = selected.get_untracked();
                if ids.is_empty() {
                    hint.set(Some(
                        "Choose at least one option. Your last saved choice still counts.".into(),
                    ));
                } else {
                    hint.set(None);
                    on_save.run((question_id.clone(), AnswerValue::Choices(ids)));
                }
            };
            view! {
                <label class="choice">
                    <input
                        type="checkbox"
                        name=question.id.clone()
                        value=option.id.clone()
                        checked=initial_ids.contains(&option.id)
                        disabled=disabled
                        on:change=on_change
                    />
                    <span>{option.label.clone()}</span>
                </label>
            }
        })
        .collect_view()
}

fn typed_answer(
    question: &QuestionView,
    initial: Option<AnswerValue>,
    on_save: Callback<(String, AnswerValue)>,
    disabled: Signal<bool>,
    hint: RwSignal<Option<String>>,
    legend_id: &str,
) -> impl IntoView {
    let is_number = question.kind == QuestionKind::Number;
    let initial_text = match initial {
        Some(AnswerValue::Text(text)) => text,
        Some(AnswerValue::Number(number)) => number.to_string(),
        _ => String::new(),
    };
    let last_sent = StoredValue::new(initial_text.clone());
    let pending_timer = StoredValue::new(None::<TimeoutHandle>);
    let question_id = question.id.clone();

    // Sends the field's value unless it is unchanged or not a valid answer yet. `bad_number`
    // is the browser's flag for text in a number field that is not a number, such as "1e":
    // the field's value is then empty, so the text itself cannot tell.
    let send = Callback::new(move |(raw, bad_number): (String, bool)| {
        if let Some(timer) = pending_timer.get_value() {
            timer.clear();
        }
        if bad_number {
            hint.set(Some(
                "Enter a number, for example 42 or 3.5. Your last saved answer still counts."
                    .into(),
            ));
            return;
        }
        if raw == last_sent.get_value() {
            hint.set(None);
            return;
        }
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            let message = (!last_sent.get_value().trim().is_empty()).then(|| {
                "An empty answer is not saved. Your last saved answer still counts.".to_string()
            });
            hint.set(message);
            return;
        }
        let answer = if is_number {
            match trimmed.parse::<f64>() {
                Ok(number) if number.is_finite() => AnswerValue::Number(number),
                _ => {
                    hint.set(Some("Enter a number, for example 42 or 3.5.".into()));
                    return;
                }
            }
        } else {
            AnswerValue::Text(raw.clone())
        };
        hint.set(None);
        last_sent.set_value(raw);
        on_save.run((question_id.clone(), answer));
    });
    let read_field = move |event: &leptos::ev::Event| {
        let bad_number = is_number
            && event_target::<web_sys::HtmlInputElement>(event)
                .validity()
                .bad_input();
        (event_target_value(event), bad_number)
    };
    let on_input = move |event: leptos::ev::Event| {
        let field = read_field(&event);
        if let Some(timer) = pending_timer.get_value() {
            timer.clear();
        }
        let handle = set_timeout_with_handle(move || send.run(field), TYPING_PAUSE).ok();
        pending_timer.set_value(handle);
    };
    let on_change = move |event: leptos::ev::Event| send.run(read_field(&event));

    let max_length = question.max_length.unwrap_or(MAX_TEXT_ANSWER_CHARS as i64);
    let legend_id = legend_id.to_string();
    if is_number {
        view! {
            <input
                type="number"
                step="any"
                inputmode="decimal"
                aria-labelledby=legend_id
                value=initial_text
                disabled=disabled
                on:input=on_input
                on:change=on_change
            />
        }
        .into_any()
    } else if max_length > MULTILINE_FROM_CHARS {
        view! {
            <textarea
                rows="5"
                maxlength=max_length.to_string()
                aria-labelledby=legend_id
                disabled=disabled
                on:input=on_input
                on:change=on_change
            >
                {initial_text}
            </textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                type="text"
                maxlength=max_length.to_string()
                autocomplete="off"
                aria-labelledby=legend_id
                value=initial_text
                disabled=disabled
                on:input=on_input
                on:change=on_change
            />
        }
        .into_any()
    }
}
