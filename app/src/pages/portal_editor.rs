//! `/jobs/:role_id/portal`: the portal editor. Role owners add, reorder and remove steps, edit
//! each step and its quiz questions, and publish. Changes land in a draft that candidates do
//! not see until it is published. Viewers who may not edit see the portal read-only, with the
//! reason.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::editor::{
    add_portal_step, load_portal_editor, move_portal_step, move_quiz_question, remove_portal_step,
    remove_quiz_question, save_portal_step, save_quiz_question,
};
use crate::api::job_settings::publish_job;
use crate::components::editor_step::StepCard;
use crate::components::staff_frame::StaffFrame;
use crate::components::{ErrorNotice, Loading};
use crate::domain::editor::{Direction, PortalEditor, QuestionInput, StepInput, VersionState};
use crate::domain::portal::StepKind;
use crate::error::AppError;

/// One change the editor sends to the server.
#[derive(Debug, Clone)]
pub enum EditorCommand {
    AddStep(StepKind),
    SaveStep(StepInput),
    MoveStep(String, Direction),
    RemoveStep(String),
    /// The quiz step's id and the question.
    SaveQuestion(String, QuestionInput),
    MoveQuestion(String, Direction),
    RemoveQuestion(String),
    Publish,
}

/// The state the editor's parts share: the portal as last loaded, the command action, the
/// open form, and where focus goes once the running command's result is drawn.
#[derive(Clone, Copy)]
pub struct EditorContext {
    pub role_id: StoredValue<String>,
    pub portal: RwSignal<PortalEditor>,
    pub command: Action<EditorCommand, Result<PortalEditor, AppError>>,
    pub open_form: RwSignal<Option<OpenForm>>,
    pub focus_after: RwSignal<Option<FocusAfter>>,
}

/// The target of focus after a command succeeds. The editor redraws what a command changed, so
/// without this the focused button disappears and focus falls to the top of the page.
#[derive(Debug, Clone, PartialEq)]
pub enum FocusAfter {
    /// The element with this id.
    Element(String),
    /// The heading of the last step, which is the one just added.
    LastStep,
}

/// Focuses the element with id `id` once the browser has drawn the current update.
pub fn focus_soon(id: String) {
    request_animation_frame(move || {
        use leptos::wasm_bindgen::JsCast;

        let element = document()
            .get_element_by_id(&id)
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
}

/// The one form open at a time, so an unsaved form is never redrawn under its author.
#[derive(Debug, Clone, PartialEq)]
pub enum OpenForm {
    Step(String),
    /// A question form: its quiz step, and the question's id (`None` for a new question).
    Question(String, Option<String>),
}

impl EditorContext {
    pub fn can_edit(&self) -> bool {
        self.portal.with(|portal| portal.edit_refusal.is_none())
    }

    /// Closes the open form and runs `command`; on success, focus goes to `focus`.
    pub fn send(&self, command: EditorCommand, focus: FocusAfter) {
        self.open_form.set(None);
        self.focus_after.set(Some(focus));
        self.command.dispatch(command);
    }

    /// Returns the error of the last command when it came from `form`, for the message next
    /// to the field it names.
    pub fn form_error(&self, form: &OpenForm) -> Option<AppError> {
        if self.open_form.get().as_ref() != Some(form) {
            return None;
        }
        self.command.value().get().and_then(Result::err)
    }
}

async fn run(role_id: String, command: EditorCommand) -> Result<PortalEditor, AppError> {
    match command {
        EditorCommand::AddStep(kind) => add_portal_step(role_id, kind).await,
        EditorCommand::SaveStep(step) => save_portal_step(role_id, step).await,
        EditorCommand::MoveStep(step_id, direction) => {
            move_portal_step(role_id, step_id, direction).await
        }
        EditorCommand::RemoveStep(step_id) => remove_portal_step(role_id, step_id).await,
        EditorCommand::SaveQuestion(step_id, question) => {
            save_quiz_question(role_id, step_id, question).await
        }
        EditorCommand::MoveQuestion(question_id, direction) => {
            move_quiz_question(role_id, question_id, direction).await
        }
        EditorCommand::RemoveQuestion(question_id) => {
            remove_quiz_question(role_id, question_id).await
        }
        EditorCommand::Publish => {
            publish_job(role_id.clone()).await?;
            load_portal_editor(role_id).await
        }
    }
}

#[component]
pub fn PortalEditorPage() -> impl IntoView {
    let params = use_params_map();
    let role_id = move || params.read().get("role_id").unwrap_or_default();
    let loaded = Resource::new(role_id, load_portal_editor);

    view! {
        <Title text="Portal editor"/>
        <StaffFrame>
            <p><a href="/jobs">"← All jobs"</a></p>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(portal) => view! { <EditorBody portal/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </StaffFrame>
    }
}

#[component]
fn EditorBody(portal: PortalEditor) -> impl IntoView {
    let role_id = StoredValue::new(portal.role_id.clone());
    let portal = RwSignal::new(portal);
    let open_form = RwSignal::new(None::<OpenForm>);
    let command =
        Action::new(move |command: &EditorCommand| run(role_id.get_value(), command.clone()));
    let focus_after = RwSignal::new(None::<FocusAfter>);
    let context = EditorContext {
        role_id,
        portal,
        command,
        open_form,
        focus_after,
    };
    provide_context(context);

    // Every command returns the portal with its change applied, and a successful save closes
    // its form. A failed command keeps the page as it was, focus included.
    Effect::new(move |_| match command.value().get() {
        Some(Ok(updated)) => {
            let target = match focus_after.get_untracked() {
                Some(FocusAfter::Element(id)) => Some(id),
                Some(FocusAfter::LastStep) => {
                    updated.steps.last().map(|step| format!("step-{}", step.id))
                }
                None => None,
            };
            portal.set(updated);
            open_form.set(None);
            focus_after.set(None);
            if let Some(id) = target {
                focus_soon(id);
            }
        }
        Some(Err(_)) => focus_after.set(None),
        None => {}
    });

    let settings_href = move || format!("/jobs/{}/settings", role_id.get_value());
    let preview_href = move || format!("/jobs/{}/preview", role_id.get_value());
    let steps = move || portal.with(|portal| portal.steps.clone());
    let step_count = move || portal.with(|portal| portal.steps.len());

    view! {
        <div class="page-head">
            <h1>{move || portal.with(|portal| format!("{}: portal", portal.role_title))}</h1>
            <a href=preview_href>"Preview as candidate"</a>
            <a href=settings_href>"Job settings"</a>
        </div>
        {move || portal.with(|portal| portal.edit_refusal.clone()).map(|reason| view! {
            <p class="notice" role="note">{format!("You can see this portal but not change it. {reason}")}</p>
        })}
        <VersionBanner/>
        <StructureError/>
        <ol class="editor-steps" aria-label="Steps, in the order candidates take them">
            <For
                each=move || steps().into_iter().enumerate()
                key=|(index, step)| format!("{index}:{step:?}")
                children=move |(index, step)| view! {
                    <StepCard step index count=Signal::derive(step_count)/>
                }
            />
        </ol>
        {move || (step_count() == 0).then(|| view! {
            <p class="muted">"This portal has no steps yet. Add a guide, a video or a quiz below."</p>
        })}
        <AddStepControls/>
    }
}

/// States which version is shown and whether candidates see it, with the publish button.
#[component]
fn VersionBanner() -> impl IntoView {
    let context = expect_context::<EditorContext>();
    let portal = context.portal;
    let text = move || {
        portal.with(|portal| match portal.state {
            VersionState::Draft => format!(
                "Draft, version {}. Candidates see nothing until you publish it.",
                portal.version_number
            ),
            VersionState::Published => format!(
                "Version {} is published{}. Your next change starts a draft; candidates keep this version until you publish again.",
                portal.version_number,
                if portal.job_published { "" } else { ", but the job is unpublished" }
            ),
            VersionState::UnpublishedChanges => format!(
                "Draft version {} has changes that candidates do not see yet. Version {} stays live until you publish.",
                portal.version_number,
                portal.published_version_number.unwrap_or(1)
            ),
        })
    };
    let can_publish = move || {
        context.can_edit()
            && portal
                .with(|portal| portal.state != VersionState::Published || !portal.job_published)
    };
    let publish_label = move || {
        if portal.with(|portal| portal.state == VersionState::UnpublishedChanges) {
            "Publish changes"
        } else {
            "Publish portal"
        }
    };

    view! {
        <section class="publish-panel" aria-label="Version">
            <p id="version-status" tabindex="-1">{text}</p>
            {move || can_publish().then(|| portal.with(|portal| portal.publish_refusal.clone())).flatten().map(|reason| view! {
                <p class="notice notice-warn" id="publish-refusal" role="note">{reason}</p>
            })}
            {move || can_publish().then(|| view! {
                <button type="button" class="button-primary"
                    aria-describedby=move || portal.with(|portal| portal.publish_refusal.is_some()).then_some("publish-refusal")
                    disabled=move || context.command.pending().get() || portal.with(|portal| portal.publish_refusal.is_some())
                    on:click=move |_| {
                        context.send(EditorCommand::Publish, FocusAfter::Element("version-status".into()));
                    }>
                    {publish_label}
                </button>
            })}
        </section>
    }
}

/// Shows the error of a command that has no form of its own (add, move, remove, publish).
#[component]
fn StructureError() -> impl IntoView {
    let context = expect_context::<EditorContext>();
    move || {
        if context.open_form.get().is_some() {
            return None;
        }
        context
            .command
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| view! { <ErrorNotice error/> })
    }
}

#[component]
fn AddStepControls() -> impl IntoView {
    let context = expect_context::<EditorContext>();
    let add =
        move |kind: StepKind| context.send(EditorCommand::AddStep(kind), FocusAfter::LastStep);

    move || {
        context.can_edit().then(|| view! {
            <section class="add-step" aria-label="Add a step">
                <h2 id="add-step-heading" tabindex="-1">"Add a step"</h2>
                <div class="add-step-buttons">
                    <button type="button" class="button-secondary" on:click=move |_| add(StepKind::Content)>"Recruitment guide"</button>
                    <button type="button" class="button-secondary" on:click=move |_| add(StepKind::Video)>"Culture video"</button>
                    <button type="button" class="button-secondary" on:click=move |_| add(StepKind::Quiz)>"Screening quiz"</button>
                </div>
            </section>
        })
    }
}
