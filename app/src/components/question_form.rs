//! A quiz step's questions in the portal editor: each question's summary with its controls,
//! the form that adds or edits one, and the button that adds a question of a chosen kind.

use leptos::prelude::*;

use super::editor_step::{parse_optional_whole, FieldMessage, FormError};
use crate::domain::editor::{Direction, EditorQuestion, EditorStep, OptionInput, QuestionInput};
use crate::domain::quiz::QuestionKind;
use crate::error::AppError;
use crate::pages::portal_editor::{focus_soon, EditorCommand, EditorContext, FocusAfter, OpenForm};

const QUESTION_FIELDS: [&str; 9] = [
    "prompt",
    "options",
    "correct",
    "accepted_answers",
    "number_value",
    "number_tolerance",
    "points",
    "knockout",
    "time_limit_secs",
];

const KINDS: [(QuestionKind, &str); 4] = [
    (QuestionKind::SingleChoice, "Single choice"),
    (QuestionKind::MultipleChoice, "Multiple choice"),
    (QuestionKind::ShortText, "Short text"),
    (QuestionKind::Number, "Number"),
];

fn kind_label(kind: QuestionKind) -> &'static str {
    KINDS
        .iter()
        .find(|(candidate, _)| *candidate == kind)
        .map(|(_, label)| *label)
        .unwrap_or("Question")
}

#[component]
pub fn QuestionList(step: EditorStep) -> impl IntoView {
    let context = expect_context::<EditorContext>();
    let step_id = StoredValue::new(step.id.clone());
    let count = step.questions.len();
    let new_kind = RwSignal::new(QuestionKind::SingleChoice);
    let new_form = move || OpenForm::Question(step_id.get_value(), None);

    view! {
        <section class="editor-questions" aria-label="Questions">
            <h3 id=format!("questions-{}", step_id.get_value()) tabindex="-1">{format!("Questions ({count})")}</h3>
            <ol class="question-list">
                {step.questions.into_iter().enumerate().map(|(index, question)| view! {
                    <QuestionItem step_id=step_id.get_value() question index count/>
                }).collect_view()}
            </ol>
            {move || {
                if context.open_form.get() == Some(new_form()) {
                    let question = QuestionInput::new(new_kind.get_untracked());
                    return Some(view! { <QuestionForm step_id=step_id.get_value() question/> }.into_any());
                }
                context.can_edit().then(|| view! {
                    <div class="add-question">
                        <label for=format!("{}-new-kind", step_id.get_value())>"New question type"</label>
                        <select id=format!("{}-new-kind", step_id.get_value())
                            on:change=move |event| {
                                let value = event_target_value(&event);
                                if let Some(kind) = QuestionKind::parse(&value) {
                                    new_kind.set(kind);
                                }
                            }>
                            {KINDS.into_iter().map(|(kind, label)| view! {
                                <option value=kind.as_str() selected=move || new_kind.get() == kind>{label}</option>
                            }).collect_view()}
                        </select>
                        <button type="button" class="button-secondary" id=format!("add-question-{}", step_id.get_value())
                            on:click=move |_| {
                                context.open_form.set(Some(new_form()));
                                focus_soon("question-new-prompt".into());
                            }>"Add question"</button>
                    </div>
                }.into_any())
            }}
        </section>
    }
}

#[component]
fn QuestionItem(
    step_id: String,
    question: EditorQuestion,
    index: usize,
    count: usize,
) -> impl IntoView {
    let context = expect_context::<EditorContext>();
    let form = OpenForm::Question(step_id.clone(), Some(question.id.clone()));
    let question = StoredValue::new(question);
    let step_id = StoredValue::new(step_id);
    let busy = move || context.command.pending().get();
    let question_id = move || question.with_value(|question| question.id.clone());
    let item = move || FocusAfter::Element(format!("question-{}", question_id()));
    let list_heading = move || FocusAfter::Element(format!("questions-{}", step_id.get_value()));
    let is_first = move || busy() || index == 0;
    let is_last = move || busy() || index + 1 >= count;

    move || {
        if context.open_form.get().as_ref() == Some(&form) {
            let input = question.with_value(|question| QuestionInput::from(question));
            return view! { <li><QuestionForm step_id=step_id.get_value() question=input/></li> }
                .into_any();
        }
        let form = form.clone();
        view! {
            <li class="question-item" id=format!("question-{}", question_id()) tabindex="-1">
                <p>
                    <strong>{question.with_value(|question| question.prompt.clone())}</strong>
                    <span class="muted">{question.with_value(summary)}</span>
                </p>
                {context.can_edit().then(|| view! {
                    <div class="editor-controls">
                        <button type="button" class="button-quiet" disabled=is_first
                            on:click=move |_| context.send(EditorCommand::MoveQuestion(question_id(), Direction::Up), item())>"Move up"</button>
                        <button type="button" class="button-quiet" disabled=is_last
                            on:click=move |_| context.send(EditorCommand::MoveQuestion(question_id(), Direction::Down), item())>"Move down"</button>
                        <button type="button" class="button-secondary" id=format!("edit-question-{}", question_id())
                            on:click=move |_| {
                                context.open_form.set(Some(form.clone()));
                                focus_soon(format!("question-{}-prompt", question_id()));
                            }>"Edit question"</button>
                        <button type="button" class="button-danger-outline" disabled=busy
                            on:click=move |_| context.send(EditorCommand::RemoveQuestion(question_id()), list_heading())>"Remove question"</button>
                    </div>
                })}
            </li>
        }
        .into_any()
    }
}

/// Summarizes a question's kind, points, key and limits in one line.
fn summary(question: &EditorQuestion) -> String {
    let mut parts = vec![
        kind_label(question.kind).to_owned(),
        format!(
            "{} {}",
            question.points,
            if question.points == 1 {
                "point"
            } else {
                "points"
            }
        ),
    ];
    match question.kind {
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
            let correct: Vec<&str> = question
                .options
                .iter()
                .filter(|option| option.correct)
                .map(|option| option.label.as_str())
                .collect();
            parts.push(format!("correct: {}", correct.join(", ")));
        }
        QuestionKind::ShortText if question.accepted_answers.is_empty() => {
            parts.push("reviewed by a person".into())
        }
        QuestionKind::ShortText => parts.push(format!(
            "accepted: {}",
            question.accepted_answers.join(", ")
        )),
        QuestionKind::Number => {
            if let Some(value) = question.number_value {
                parts.push(format!(
                    "answer {value} ± {}",
                    question.number_tolerance.unwrap_or(0.0)
                ));
            }
        }
    }
    if question.knockout {
        parts.push("knockout".into());
    }
    if let Some(seconds) = question.time_limit_secs {
        parts.push(format!("{seconds} s to answer"));
    }
    format!(" · {}", parts.join(" · "))
}

/// An option row in the form, with its own signals so typing in one never redraws another.
#[derive(Clone, Copy)]
struct OptionRow {
    key: usize,
    id: StoredValue<Option<String>>,
    label: RwSignal<String>,
    correct: RwSignal<bool>,
}

#[component]
fn QuestionForm(step_id: String, question: QuestionInput) -> impl IntoView {
    let context = expect_context::<EditorContext>();
    let form = OpenForm::Question(step_id.clone(), question.question_id.clone());
    let step_id = StoredValue::new(step_id);
    let base = StoredValue::new(question.clone());
    let kind = question.kind;
    let prefix = format!(
        "question-{}",
        question.question_id.clone().unwrap_or_else(|| "new".into())
    );
    let id = move |field: &str| format!("{prefix}-{field}");
    // An existing question takes focus back after a save; after a new one, "Add question"
    // does, ready for the next.
    let (after_save, after_cancel) = match &question.question_id {
        Some(question_id) => (
            format!("question-{question_id}"),
            format!("edit-question-{question_id}"),
        ),
        None => {
            let add_question = format!("add-question-{}", step_id.get_value());
            (add_question.clone(), add_question)
        }
    };

    let prompt = RwSignal::new(question.prompt.clone());
    let points = RwSignal::new(question.points.to_string());
    let knockout = RwSignal::new(question.knockout);
    let time_limit = RwSignal::new(
        question
            .time_limit_secs
            .map(|seconds| seconds.to_string())
            .unwrap_or_default(),
    );
    let accepted = RwSignal::new(question.accepted_answers.join("\n"));
    let number_value = RwSignal::new(
        question
            .number_value
            .map(|value| value.to_string())
            .unwrap_or_default(),
    );
    let number_tolerance = RwSignal::new(
        question
            .number_tolerance
            .map(|value| value.to_string())
            .unwrap_or_default(),
    );
    let max_length = RwSignal::new(
        question
            .max_length
            .map(|length| length.to_string())
            .unwrap_or_default(),
    );

    let next_key = StoredValue::new(0usize);
    let new_row = move |option: OptionInput| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        OptionRow {
            key,
            id: StoredValue::new(option.id),
            label: RwSignal::new(option.label),
            correct: RwSignal::new(option.correct),
        }
    };
    let mut starting_options = question.options.clone();
    let is_choice = matches!(
        kind,
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice
    );
    while is_choice && starting_options.len() < 2 {
        starting_options.push(OptionInput {
            id: None,
            label: String::new(),
            correct: false,
        });
    }
    let options = RwSignal::new(
        starting_options
            .into_iter()
            .map(new_row)
            .collect::<Vec<_>>(),
    );

    let local_error = RwSignal::new(None::<AppError>);
    let error = {
        let form = form.clone();
        Signal::derive(move || local_error.get().or_else(|| context.form_error(&form)))
    };

    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match read_form(
            base.get_value(),
            &prompt.get_untracked(),
            &points.get_untracked(),
            knockout.get_untracked(),
            &time_limit.get_untracked(),
            &accepted.get_untracked(),
            &number_value.get_untracked(),
            &number_tolerance.get_untracked(),
            &max_length.get_untracked(),
            options
                .get_untracked()
                .iter()
                .map(|row| OptionInput {
                    id: row.id.get_value(),
                    label: row.label.get_untracked(),
                    correct: row.correct.get_untracked(),
                })
                .collect(),
        ) {
            Ok(question) => {
                local_error.set(None);
                context
                    .focus_after
                    .set(Some(FocusAfter::Element(after_save.clone())));
                context
                    .command
                    .dispatch(EditorCommand::SaveQuestion(step_id.get_value(), question));
            }
            Err(error) => local_error.set(Some(error)),
        }
    };
    let correct_input_type = if kind == QuestionKind::SingleChoice {
        "radio"
    } else {
        "checkbox"
    };
    let radio_group = id("correct");

    view! {
        <form class="editor-form question-form" on:submit=save novalidate>
            <h4>{format!("{} question", kind_label(kind))}</h4>
            <FormError error fields=&QUESTION_FIELDS/>
            <label for=id("prompt")>"Question"</label>
            <textarea id=id("prompt") rows="3" prop:value=prompt
                on:input=move |event| prompt.set(event_target_value(&event))
                aria-describedby=id("prompt-message")></textarea>
            <FieldMessage error field="prompt" id=id("prompt-message")/>

            {is_choice.then(|| view! {
                <fieldset class="option-list" aria-describedby=format!("{} {}", id("options-message"), id("correct-message"))>
                    <legend>{if kind == QuestionKind::SingleChoice { "Options (mark the correct one)" } else { "Options (mark every correct one)" }}</legend>
                    <For each=move || options.get() key=|row| row.key children=move |row: OptionRow| {
                        let position = move || options.with(|rows| rows.iter().position(|other| other.key == row.key).unwrap_or(0) + 1);
                        let radio_group = radio_group.clone();
                        view! {
                            <div class="option-row">
                                <input type=correct_input_type name=radio_group
                                    prop:checked=row.correct
                                    aria-label=move || format!("Option {} is correct", position())
                                    on:change=move |event| {
                                        let checked = event_target_checked(&event);
                                        if kind == QuestionKind::SingleChoice && checked {
                                            options.with_untracked(|rows| rows.iter().for_each(|other| other.correct.set(other.key == row.key)));
                                        } else {
                                            row.correct.set(checked);
                                        }
                                    }/>
                                <input type="text" maxlength="500" prop:value=row.label
                                    aria-label=move || format!("Option {}", position())
                                    on:input=move |event| row.label.set(event_target_value(&event))/>
                                <button type="button" class="button-quiet"
                                    aria-label=move || format!("Remove option {}", position())
                                    on:click=move |_| options.update(|rows| rows.retain(|other| other.key != row.key))>"Remove"</button>
                            </div>
                        }
                    }/>
                    <button type="button" class="button-secondary"
                        on:click=move |_| options.update(|rows| rows.push(new_row(OptionInput { id: None, label: String::new(), correct: false })))>"Add option"</button>
                    <FieldMessage error field="options" id=id("options-message")/>
                    <FieldMessage error field="correct" id=id("correct-message")/>
                </fieldset>
            })}

            {(kind == QuestionKind::ShortText).then(|| view! {
                <label for=id("accepted")>"Accepted answers, one per line (empty: a reviewer scores it)"</label>
                <textarea id=id("accepted") rows="3" prop:value=accepted
                    on:input=move |event| accepted.set(event_target_value(&event))
                    aria-describedby=id("accepted_answers-message")></textarea>
                <FieldMessage error field="accepted_answers" id=id("accepted_answers-message")/>
                <label for=id("max_length")>"Longest answer in characters (empty for 5000)"</label>
                <input id=id("max_length") type="number" min="1" max="5000" inputmode="numeric" prop:value=max_length
                    on:input=move |event| max_length.set(event_target_value(&event))
                    aria-describedby=id("max_length-message")/>
                <FieldMessage error field="max_length" id=id("max_length-message")/>
            })}

            {(kind == QuestionKind::Number).then(|| view! {
                <label for=id("number_value")>"Correct number"</label>
                <input id=id("number_value") type="text" inputmode="decimal" prop:value=number_value
                    on:input=move |event| number_value.set(event_target_value(&event))
                    aria-describedby=id("number_value-message")/>
                <FieldMessage error field="number_value" id=id("number_value-message")/>
                <label for=id("number_tolerance")>"Allowed difference (empty for exact)"</label>
                <input id=id("number_tolerance") type="text" inputmode="decimal" prop:value=number_tolerance
                    on:input=move |event| number_tolerance.set(event_target_value(&event))
                    aria-describedby=id("number_tolerance-message")/>
                <FieldMessage error field="number_tolerance" id=id("number_tolerance-message")/>
            })}

            <label for=id("points")>"Points"</label>
            <input id=id("points") type="number" min="0" max="100" inputmode="numeric" prop:value=points
                on:input=move |event| points.set(event_target_value(&event))
                aria-describedby=id("points-message")/>
            <FieldMessage error field="points" id=id("points-message")/>

            <label for=id("time_limit_secs")>"Time to answer in seconds (empty: only the quiz's limit applies)"</label>
            <input id=id("time_limit_secs") type="number" min="10" max="3600" inputmode="numeric" prop:value=time_limit
                on:input=move |event| time_limit.set(event_target_value(&event))
                aria-describedby=id("time_limit_secs-message")/>
            <FieldMessage error field="time_limit_secs" id=id("time_limit_secs-message")/>

            <label class="checkbox">
                <input type="checkbox" prop:checked=knockout on:change=move |event| knockout.set(event_target_checked(&event))
                    aria-describedby=id("knockout-message")/>
                " Knockout: a wrong answer fails the candidate whatever their score"
            </label>
            <FieldMessage error field="knockout" id=id("knockout-message")/>

            <div class="editor-controls">
                <button type="submit" class="button-primary" disabled=move || context.command.pending().get()>"Save question"</button>
                <button type="button" class="button-quiet" on:click=move |_| {
                    context.open_form.set(None);
                    focus_soon(after_cancel.clone());
                }>"Cancel"</button>
            </div>
        </form>
    }
}

/// Builds the question to send from the form's text, or names the field that is not a number.
#[allow(clippy::too_many_arguments)]
fn read_form(
    base: QuestionInput,
    prompt: &str,
    points: &str,
    knockout: bool,
    time_limit: &str,
    accepted: &str,
    number_value: &str,
    number_tolerance: &str,
    max_length: &str,
    options: Vec<OptionInput>,
) -> Result<QuestionInput, AppError> {
    let points = parse_optional_whole(
        points,
        "points",
        "Enter the points as a whole number from 0 to 100.",
    )?
    .ok_or_else(|| {
        AppError::invalid(
            "points",
            "Enter the points as a whole number from 0 to 100.",
        )
    })?;
    let time_limit_secs = parse_optional_whole(
        time_limit,
        "time_limit_secs",
        "Enter the time to answer as whole seconds, or leave it empty.",
    )?;
    let max_length = parse_optional_whole(
        max_length,
        "max_length",
        "Enter the longest answer as a whole number of characters, or leave it empty.",
    )?;
    let decimal = |text: &str, field: &str, message: &str| -> Result<Option<f64>, AppError> {
        // "3,5" is how much of the world writes 3.5; a comma beside a dot is left for the parse to reject.
        let text = text.trim();
        let text = if text.matches(',').count() == 1 && !text.contains('.') {
            text.replace(',', ".")
        } else {
            text.to_owned()
        };
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<f64>()
            .ok()
            .filter(|value| value.is_finite())
            .map(Some)
            .ok_or_else(|| AppError::invalid(field, message))
    };
    let number_value = decimal(
        number_value,
        "number_value",
        "Enter the correct number, such as 42 or 3.5.",
    )?;
    let number_tolerance = decimal(
        number_tolerance,
        "number_tolerance",
        "Enter the allowed difference as a number, such as 0.5.",
    )?;

    Ok(QuestionInput {
        prompt: prompt.to_owned(),
        points,
        knockout,
        time_limit_secs,
        max_length,
        number_value,
        number_tolerance,
        accepted_answers: accepted.lines().map(str::to_owned).collect(),
        options,
        ..base
    })
}
