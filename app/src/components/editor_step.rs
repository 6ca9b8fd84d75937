//! One step in the portal editor: its summary with the controls to move, edit and remove it,
//! or its form while open. A quiz step also lists its questions.

use leptos::prelude::*;

use super::question_form::QuestionList;
use super::video_upload::VideoUpload;
use crate::domain::byte_size::ByteSize;
use crate::domain::editor::{Direction, EditorStep, StepInput};
use crate::domain::portal::StepKind;
use crate::error::AppError;
use crate::pages::portal_editor::{focus_soon, EditorCommand, EditorContext, FocusAfter, OpenForm};

/// The editor's form field names, as the server's validation errors name them.
pub const STEP_FIELDS: [&str; 6] = [
    "title",
    "body_md",
    "video_url",
    "video_file",
    "time_limit_secs",
    "pass_percent",
];

#[component]
pub fn StepCard(step: EditorStep, index: usize, count: Signal<usize>) -> impl IntoView {
    let context = expect_context::<EditorContext>();
    let step = StoredValue::new(step);
    let step_id = step.with_value(|step| step.id.clone());
    let form = OpenForm::Step(step_id.clone());
    let is_open = {
        let form = form.clone();
        move || context.open_form.get().as_ref() == Some(&form)
    };
    let heading_id = format!("step-{step_id}");
    let labelled_by = heading_id.clone();

    view! {
        <li class="editor-step" aria-labelledby=labelled_by>
            <div class="editor-step-head">
                <h2 id=heading_id tabindex="-1">
                    <span class="step-number">{format!("Step {}", index + 1)}</span>
                    {step.with_value(|step| format!("{}: {}", step.kind.label(), step.title))}
                </h2>
                <span class="badge">{step.with_value(|step| if step.required { "Required" } else { "Optional" })}</span>
            </div>
            {move || if is_open() {
                view! { <StepForm step=step.get_value()/> }.into_any()
            } else {
                view! {
                    <StepSummary step=step.get_value()/>
                    <StepControls step_id=step.with_value(|step| step.id.clone()) index count form=form.clone()/>
                }.into_any()
            }}
            {step.with_value(|step| step.kind == StepKind::Quiz).then(|| view! {
                <QuestionList step=step.get_value()/>
            })}
        </li>
    }
}

#[component]
fn StepSummary(step: EditorStep) -> impl IntoView {
    let excerpt: String = step.body_md.chars().take(240).collect();
    let more = step.body_md.chars().count() > 240;
    let quiz_facts = (step.kind == StepKind::Quiz).then(|| {
        let limit = step
            .time_limit_secs
            .map(|seconds| format!("{} min time limit", seconds / 60))
            .unwrap_or_else(|| "no time limit".into());
        let pass = step
            .pass_percent
            .map(|percent| format!("pass mark {percent}%"))
            .unwrap_or_else(|| "default pass mark".into());
        let mut facts = vec![limit, pass];
        if step.shuffle_questions {
            facts.push("questions in random order".into());
        }
        if step.shuffle_options {
            facts.push("options in random order".into());
        }
        facts.join(" · ")
    });

    view! {
        <div class="editor-step-summary">
            {match (step.video_file, step.video_url) {
                (Some(file), _) => Some(view! {
                    <p>"Video file: "{file.file_name}{format!(" ({})", ByteSize(file.size_bytes.max(0) as u64))}</p>
                }.into_any()),
                (None, Some(url)) => Some(view! { <p>"Video: "<code>{url}</code></p> }.into_any()),
                (None, None) => None,
            }}
            {(!excerpt.is_empty()).then(|| view! {
                <p class="muted">{excerpt}{more.then_some("…")}</p>
            })}
            {quiz_facts.map(|facts| view! { <p class="muted">{facts}</p> })}
        </div>
    }
}

#[component]
fn StepControls(
    step_id: String,
    index: usize,
    count: Signal<usize>,
    form: OpenForm,
) -> impl IntoView {
    let context = expect_context::<EditorContext>();
    let step_id = StoredValue::new(step_id);
    let confirming = RwSignal::new(false);
    let busy = move || context.command.pending().get();
    let heading = move || FocusAfter::Element(format!("step-{}", step_id.get_value()));
    // After a removal, focus goes to the step before (or after) this one, or to "Add a step".
    let neighbour = move || {
        let id = step_id.get_value();
        let target = context.portal.with_untracked(|portal| {
            let position = portal.steps.iter().position(|step| step.id == id)?;
            let before = position
                .checked_sub(1)
                .and_then(|before| portal.steps.get(before));
            before
                .or_else(|| portal.steps.get(position + 1))
                .map(|step| format!("step-{}", step.id))
        });
        FocusAfter::Element(target.unwrap_or_else(|| "add-step-heading".into()))
    };
    let edit_id = format!("edit-step-{}", step_id.get_value());
    let is_first = move || busy() || index == 0;
    let is_last = move || busy() || index + 1 >= count.get();

    move || {
        let form = form.clone();
        let title_id = format!("{}-title", step_id.get_value());
        context.can_edit().then(|| view! {
            <div class="editor-controls">
                <button type="button" class="button-quiet" disabled=is_first
                    on:click=move |_| context.send(EditorCommand::MoveStep(step_id.get_value(), Direction::Up), heading())>"Move up"</button>
                <button type="button" class="button-quiet" disabled=is_last
                    on:click=move |_| context.send(EditorCommand::MoveStep(step_id.get_value(), Direction::Down), heading())>"Move down"</button>
                <button type="button" class="button-secondary" id=edit_id.clone()
                    on:click=move |_| {
                        context.open_form.set(Some(form.clone()));
                        focus_soon(title_id.clone());
                    }>"Edit step"</button>
                {move || if confirming.get() {
                    view! {
                        <span class="confirm" role="group" aria-label="Confirm removal"
                            on:keydown=move |event| if event.key() == "Escape" {
                                confirming.set(false);
                                focus_soon(format!("remove-step-{}", step_id.get_value()));
                            }>
                            "Remove this step and its questions? "
                            <button type="button" class="button-danger" disabled=busy
                                on:click=move |_| context.send(EditorCommand::RemoveStep(step_id.get_value()), neighbour())>"Remove"</button>
                            <button type="button" class="button-quiet" id=format!("keep-step-{}", step_id.get_value())
                                on:click=move |_| {
                                    confirming.set(false);
                                    focus_soon(format!("remove-step-{}", step_id.get_value()));
                                }>"Keep it"</button>
                        </span>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="button-danger-outline" id=format!("remove-step-{}", step_id.get_value())
                            on:click=move |_| {
                                confirming.set(true);
                                focus_soon(format!("keep-step-{}", step_id.get_value()));
                            }>"Remove step"</button>
                    }.into_any()
                }}
            </div>
        })
    }
}

/// Renders the step's form. Numbers are typed as text and read on save, so a half-typed value
/// is never replaced under the cursor.
#[component]
fn StepForm(step: EditorStep) -> impl IntoView {
    let context = expect_context::<EditorContext>();
    let form = OpenForm::Step(step.id.clone());
    let kind = step.kind;
    let input = StepInput::from(&step);
    let title = RwSignal::new(input.title.clone());
    let body_md = RwSignal::new(input.body_md.clone());
    let required = RwSignal::new(input.required);
    let video_url = RwSignal::new(input.video_url.clone().unwrap_or_default());
    let video_file = RwSignal::new(step.video_file.clone());
    let uploading = RwSignal::new(false);
    let time_limit_minutes = RwSignal::new(
        input
            .time_limit_secs
            .map(|seconds| (seconds / 60).to_string())
            .unwrap_or_default(),
    );
    let pass_percent = RwSignal::new(
        input
            .pass_percent
            .map(|percent| percent.to_string())
            .unwrap_or_default(),
    );
    let shuffle_questions = RwSignal::new(input.shuffle_questions);
    let shuffle_options = RwSignal::new(input.shuffle_options);
    let local_error = RwSignal::new(None::<AppError>);
    let input = StoredValue::new(input);

    let error = {
        let form = form.clone();
        move || local_error.get().or_else(|| context.form_error(&form))
    };
    let error = Signal::derive(error);

    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let minutes = match parse_optional_whole(
            &time_limit_minutes.get_untracked(),
            "time_limit_secs",
            "Enter the time limit as whole minutes, or leave it empty.",
        ) {
            Ok(minutes) => minutes,
            Err(error) => return local_error.set(Some(error)),
        };
        let percent = match parse_optional_whole(
            &pass_percent.get_untracked(),
            "pass_percent",
            "Enter the pass mark as a whole percent from 0 to 100.",
        ) {
            Ok(percent) => percent,
            Err(error) => return local_error.set(Some(error)),
        };
        local_error.set(None);
        let step = StepInput {
            title: title.get_untracked(),
            body_md: body_md.get_untracked(),
            required: required.get_untracked(),
            video_url: Some(video_url.get_untracked()).filter(|url| !url.trim().is_empty()),
            video_upload_id: video_file.get_untracked().map(|video| video.id),
            time_limit_secs: minutes.map(|minutes| minutes.saturating_mul(60)),
            pass_percent: percent,
            shuffle_questions: shuffle_questions.get_untracked(),
            shuffle_options: shuffle_options.get_untracked(),
            ..input.get_value()
        };
        context.focus_after.set(Some(FocusAfter::Element(format!(
            "edit-step-{}",
            step.step_id
        ))));
        context.command.dispatch(EditorCommand::SaveStep(step));
    };
    let edit_id = format!(
        "edit-step-{}",
        input.with_value(|input| input.step_id.clone())
    );
    let id = |field: &str| format!("{}-{field}", step.id);

    view! {
        <form class="editor-form" on:submit=save novalidate>
            <FormError error fields=&STEP_FIELDS/>
            <label for=id("title")>"Title"</label>
            <input id=id("title") type="text" maxlength="200" required
                prop:value=title on:input=move |event| title.set(event_target_value(&event))
                aria-describedby=id("title-message")/>
            <FieldMessage error field="title" id=id("title-message")/>

            {(kind == StepKind::Video).then(|| view! {
                <VideoUpload role_id=context.role_id.get_value() id_prefix=step.id.clone()
                    max_bytes=context.portal.with_untracked(|portal| portal.max_video_bytes)
                    video=video_file uploading form_error=error/>
                <label for=id("video_url")>"Or a YouTube or Vimeo address (used when no file is uploaded)"</label>
                <input id=id("video_url") type="url" inputmode="url" placeholder="https://www.youtube.com/watch?v=…"
                    prop:value=video_url on:input=move |event| video_url.set(event_target_value(&event))
                    aria-describedby=id("video_url-message")/>
                <FieldMessage error field="video_url" id=id("video_url-message")/>
            })}

            <label for=id("body_md")>{match kind {
                StepKind::Content => "Guide (Markdown)",
                StepKind::Video => "Text below the video (Markdown, optional)",
                StepKind::Quiz => "Instructions before the quiz starts (Markdown, optional)",
            }}</label>
            <textarea id=id("body_md") rows="10"
                prop:value=body_md on:input=move |event| body_md.set(event_target_value(&event))
                aria-describedby=id("body_md-message")></textarea>
            <FieldMessage error field="body_md" id=id("body_md-message")/>

            {(kind == StepKind::Quiz).then(|| view! {
                <label for=id("time_limit_secs")>"Time limit in minutes (empty for none)"</label>
                <input id=id("time_limit_secs") type="number" min="1" max="240" inputmode="numeric"
                    prop:value=time_limit_minutes on:input=move |event| time_limit_minutes.set(event_target_value(&event))
                    aria-describedby=id("time_limit_secs-message")/>
                <FieldMessage error field="time_limit_secs" id=id("time_limit_secs-message")/>
                <label for=id("pass_percent")>"Pass mark in percent (empty for the default, 60)"</label>
                <input id=id("pass_percent") type="number" min="0" max="100" inputmode="numeric"
                    prop:value=pass_percent on:input=move |event| pass_percent.set(event_target_value(&event))
                    aria-describedby=id("pass_percent-message")/>
                <FieldMessage error field="pass_percent" id=id("pass_percent-message")/>
                <label class="checkbox">
                    <input type="checkbox" prop:checked=shuffle_questions
                        on:change=move |event| shuffle_questions.set(event_target_checked(&event))/>
                    " Show questions in a random order"
                </label>
                <label class="checkbox">
                    <input type="checkbox" prop:checked=shuffle_options
                        on:change=move |event| shuffle_options.set(event_target_checked(&event))/>
                    " Show choice options in a random order"
                </label>
            })}

            <label class="checkbox">
                <input type="checkbox" prop:checked=required on:change=move |event| required.set(event_target_checked(&event))/>
                " Required: candidates must finish this step"
            </label>
            <div class="editor-controls">
                <button type="submit" class="button-primary"
                    disabled=move || context.command.pending().get() || uploading.get()>"Save step"</button>
                <button type="button" class="button-quiet" on:click=move |_| {
                    context.open_form.set(None);
                    focus_soon(edit_id.clone());
                }>"Cancel"</button>
            </div>
        </form>
    }
}

/// Reads an optional whole number typed into a form, naming `field` when it is not one.
pub fn parse_optional_whole(
    text: &str,
    field: &str,
    message: &str,
) -> Result<Option<i64>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>()
        .map(Some)
        .map_err(|_| AppError::invalid(field, message))
}

/// Shows a form's error when it names no field the form shows next to an input.
#[component]
pub fn FormError(
    error: Signal<Option<AppError>>,
    fields: &'static [&'static str],
) -> impl IntoView {
    move || {
        error.get().filter(|error| match error {
            AppError::Invalid { field: Some(field), .. } => !fields.contains(&field.as_str()),
            _ => true,
        })
        .map(|error| view! { <p class="notice notice-error" role="alert">{error.to_string()}</p> })
    }
}

/// Shows the message of an error about `field`, next to that field.
#[component]
pub fn FieldMessage(
    error: Signal<Option<AppError>>,
    field: &'static str,
    id: String,
) -> impl IntoView {
    let message = move || match error.get() {
        Some(AppError::Invalid {
            field: Some(named),
            message,
        }) if named == field => Some(message),
        _ => None,
    };
    let paragraph = NodeRef::<leptos::html::P>::new();
    let control = format!("[aria-describedby~=\"{id}\"]");

    // When this message appears, focus goes to the field it describes (the first input of a
    // group of options), so the author lands where the fix is typed.
    Effect::new(move |was_shown: Option<bool>| {
        let shown = message().is_some();
        if shown && was_shown != Some(true) {
            focus_field(&control, paragraph);
        }
        shown
    });

    view! {
        <p class="field-message" id=id role="alert" tabindex="-1" node_ref=paragraph hidden=move || message().is_none()>{message}</p>
    }
}

/// Focuses the element matching `selector`, or the first input inside it when it is a group,
/// or else the message `paragraph` itself.
fn focus_field(selector: &str, paragraph: NodeRef<leptos::html::P>) {
    use leptos::wasm_bindgen::JsCast;

    let described = document().query_selector(selector).ok().flatten();
    let field = described.and_then(|element| {
        if element.tag_name().eq_ignore_ascii_case("fieldset") {
            element
                .query_selector("input, select, textarea")
                .ok()
                .flatten()
        } else {
            Some(element)
        }
    });
    match field.and_then(|field| field.dyn_into::<web_sys::HtmlElement>().ok()) {
        Some(field) => {
            let _ = field.focus();
        }
        None => {
            if let Some(paragraph) = paragraph.get_untracked() {
                let _ = paragraph.focus();
            }
        }
    }
}
