//! `/jobs/:role_id/settings`: a job's title, text, Lever mapping and deadline, publishing its
//! portal, and its owners and reviewers. Viewers who may not edit see the form read-only,
//! with the reason next to it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::job_settings::{
    load_job_settings, PublishJob, SaveJobSettings, SetJobMember, UnpublishJob,
};
use crate::api::reviews::{load_rubric, save_rubric};
use crate::components::job_card::counted;
use crate::components::job_members::JobMembers;
use crate::components::outcome::{note_success, Outcome, SuccessNotice};
use crate::components::rubric_editor::{RubricEditor, SaveRubric};
use crate::components::staff_frame::StaffFrame;
use crate::components::{ErrorNotice, Loading};
use crate::domain::job_settings::{JobSettings, LeverChoice};
use crate::domain::reviews::Criterion;
use crate::error::AppError;

/// The page's actions, shared by its sections so the settings reload after each one.
#[derive(Clone, Copy)]
struct SettingsActions {
    save: ServerAction<SaveJobSettings>,
    publish: ServerAction<PublishJob>,
    unpublish: ServerAction<UnpublishJob>,
    member: ServerAction<SetJobMember>,
}

/// Resources and actions are created before `StaffFrame` suspends, as on the Jobs page.
#[component]
pub fn JobSettingsPage() -> impl IntoView {
    let params = use_params_map();
    let actions = SettingsActions {
        save: ServerAction::new(),
        publish: ServerAction::new(),
        unpublish: ServerAction::new(),
        member: ServerAction::new(),
    };
    let rubric_save: SaveRubric = Action::new(|(role_id, criteria): &(String, Vec<Criterion>)| {
        save_rubric(role_id.clone(), criteria.clone())
    });
    let rubric = Resource::new(
        move || {
            (
                params.read().get("role_id").unwrap_or_default(),
                rubric_save.version().get(),
            )
        },
        |(role_id, _)| load_rubric(role_id),
    );
    let settings = Resource::new(
        move || {
            (
                params.read().get("role_id").unwrap_or_default(),
                actions.save.version().get(),
                actions.publish.version().get(),
                actions.unpublish.version().get(),
                actions.member.version().get(),
            )
        },
        |(role_id, ..)| load_job_settings(role_id),
    );

    view! {
        <Title text="Job settings"/>
        <StaffFrame>
            <p><a href="/jobs">"← All jobs"</a></p>
            <ActionOutcome actions rubric_save/>
            // Transition keeps the settings on screen while they reload after an action.
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(settings) => view! { <SettingsContent settings actions/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    // The settings above already show a refusal, so it is not repeated.
                    rubric.await.ok().map(|rubric| {
                        let role_id = params.read_untracked().get("role_id").unwrap_or_default();
                        view! { <RubricEditor role_id rubric save=rubric_save/> }
                    })
                })}
            </Transition>
        </StaffFrame>
    }
}

/// Shows the outcome of the settings form or of publishing: a field that did not validate, or
/// what was saved. Starting one of them clears the others' outcome, so an old error never
/// stays beside a newer success. The owners and reviewers form shows its own errors. The page
/// is rebuilt after each action, so focus moves here instead of falling to the page's top.
#[component]
fn ActionOutcome(actions: SettingsActions, rubric_save: SaveRubric) -> impl IntoView {
    Effect::new(move |_| {
        if actions.save.pending().get() {
            actions.publish.value().set(None);
            actions.unpublish.value().set(None);
        }
    });
    Effect::new(move |_| {
        if actions.publish.pending().get() || actions.unpublish.pending().get() {
            actions.save.value().set(None);
        }
    });
    let error = move || -> Option<AppError> {
        let failed = |value: Option<Result<(), AppError>>| value.and_then(Result::err);
        failed(actions.save.value().get())
            .or_else(|| failed(actions.publish.value().get()))
            .or_else(|| failed(actions.unpublish.value().get()))
    };
    let notice = RwSignal::new(None);
    note_success(
        actions.save.version(),
        actions.save.value(),
        "Settings saved.",
        notice,
    );
    note_success(
        actions.publish.version(),
        actions.publish.value(),
        "Portal published. Candidates invited from now on get this version.",
        notice,
    );
    note_success(
        actions.unpublish.version(),
        actions.unpublish.value(),
        "Portal unpublished. Nobody new is invited; candidates already invited keep their links.",
        notice,
    );
    note_success(
        actions.member.version(),
        actions.member.value(),
        "Owners and reviewers saved.",
        notice,
    );
    note_success(
        rubric_save.version(),
        rubric_save.value(),
        "Rubric saved. New reviews use it.",
        notice,
    );
    let finished = Signal::derive(move || {
        actions.save.version().get()
            + actions.publish.version().get()
            + actions.unpublish.version().get()
            + actions.member.version().get()
            + rubric_save.version().get()
    });

    view! {
        <Outcome finished>
            <SuccessNotice notice/>
            {move || error().map(|error| view! { <ErrorNotice error/> })}
        </Outcome>
    }
}

#[component]
fn SettingsContent(settings: JobSettings, actions: SettingsActions) -> impl IntoView {
    let read_only = settings.edit_refusal.is_some();
    let role_id = settings.role_id.clone();
    // The form's children are a closure, so it gets its own copy of what it shows.
    let form = settings.clone();
    let candidates_href = format!("/jobs/{}/candidates", settings.role_id);
    let portal_href = format!("/jobs/{}/portal", settings.role_id);

    view! {
        <div class="page-head">
            <h1>{settings.title.clone()}</h1>
            <a href=portal_href>{if read_only { "View portal" } else { "Edit portal" }}</a>
            <a href=candidates_href>"Candidates and results"</a>
        </div>
        {settings.edit_refusal.clone().map(|reason| view! {
            <p class="notice" id="edit-refusal" role="note">{format!("You can read these settings but not change them. {reason}")}</p>
        })}
        <PublishPanel settings=settings.clone() actions/>
        <ActionForm action=actions.save attr:class="settings-form" attr:aria-describedby=read_only.then_some("edit-refusal")>
            <input type="hidden" name="role_id" value=role_id/>
            <fieldset disabled=read_only>
                <legend>"Job"</legend>
                {form.from_lever_posting.then(|| view! {
                    <p class="muted" id="posting-note">"Title, team and location follow this job's Lever posting. Change them in Lever; Tryout copies the change at its next refresh of Lever's lists (every 5 minutes by default)."</p>
                })}
                <label for="title">"Title"</label>
                <input id="title" name="title" required maxlength="200" value=form.title.clone()
                    readonly=form.from_lever_posting aria-describedby=form.from_lever_posting.then_some("posting-note")/>
                <label for="team">"Team"</label>
                <input id="team" name="team" value=form.team.clone()
                    readonly=form.from_lever_posting aria-describedby=form.from_lever_posting.then_some("posting-note")/>
                <label for="location">"Location"</label>
                <input id="location" name="location" value=form.location.clone()
                    readonly=form.from_lever_posting aria-describedby=form.from_lever_posting.then_some("posting-note")/>
                <label for="intro_md">"Introduction for candidates (Markdown)"</label>
                <textarea id="intro_md" name="intro_md" rows="6">{form.intro_md.clone()}</textarea>
                <label for="accent_color">"Accent colour for this job's portal (#rrggbb, empty for the organization's)"</label>
                <input id="accent_color" name="accent_color" type="text" maxlength="7" autocomplete="off"
                    spellcheck="false" placeholder="#1f4fd1" value=form.accent_color.clone()/>
                <label for="deadline_days">"Days a candidate has to finish (empty for no deadline)"</label>
                <input id="deadline_days" name="deadline_days" type="number" min="1" max="365" inputmode="numeric"
                    value=form.deadline_days.map(|days| days.to_string()).unwrap_or_default()/>
            </fieldset>
            <fieldset disabled=read_only>
                <legend>"Lever mapping"</legend>
                {form.stages.is_empty().then(|| view! {
                    <p class="muted">"Lever's stages and archive reasons load when a Super Admin connects Lever."</p>
                })}
                <ChoiceSelect id="invite_stage_id" label="Stage that invites candidates" choices=form.stages.clone() current=form.invite_stage_id.clone()/>
                <ChoiceSelect id="pass_stage_id" label="Stage passing candidates move to" choices=form.stages.clone() current=form.pass_stage_id.clone()/>
                <ChoiceSelect id="fail_archive_reason_id" label="Archive reason for failing candidates" choices=form.archive_reasons.clone() current=form.fail_archive_reason_id.clone()/>
                <label class="checkbox">
                    <input type="checkbox" name="auto_decide" value="on" checked=form.auto_decide/>
                    " Move or archive candidates automatically when they finish (otherwise a reviewer decides)"
                </label>
            </fieldset>
            {(!read_only).then(|| view! {
                <button type="submit" class="button-primary" disabled=move || actions.save.pending().get()>"Save settings"</button>
            })}
        </ActionForm>
        <JobMembers settings action=actions.member/>
    }
}

/// Renders a select of a cached Lever list, with "Not mapped" first. A stored id missing from
/// the list stays selectable, so saving the form does not clear it.
#[component]
fn ChoiceSelect(
    id: &'static str,
    label: &'static str,
    choices: Vec<LeverChoice>,
    current: Option<String>,
) -> impl IntoView {
    let missing = current
        .clone()
        .filter(|current| !choices.iter().any(|choice| &choice.id == current));

    view! {
        <label for=id>{label}</label>
        <select id=id name=id>
            <option value="" selected=current.is_none()>"Not mapped"</option>
            {missing.map(|id| view! { <option value=id selected=true>"Mapped (the name loads when Lever is connected)"</option> })}
            {choices.into_iter().map(|choice| {
                let selected = current.as_deref() == Some(choice.id.as_str());
                view! { <option value=choice.id selected=selected>{choice.text}</option> }
            }).collect_view()}
        </select>
    }
}

/// Renders the portal's status with the publish or unpublish button for those who may edit.
#[component]
fn PublishPanel(settings: JobSettings, actions: SettingsActions) -> impl IntoView {
    let published = settings.status == "published";
    let status = if published {
        "Published: candidates who enter the invite stage get their link."
    } else {
        "Draft: nobody is invited yet."
    };
    let control = match &settings.edit_refusal {
        Some(_) => None,
        None if published => Some(
            view! {
                <ActionForm action=actions.unpublish attr:class="inline-form">
                    <input type="hidden" name="role_id" value=settings.role_id.clone()/>
                    <button type="submit" class="button-secondary">"Unpublish portal"</button>
                </ActionForm>
            }
            .into_any(),
        ),
        None => Some(
            view! {
                {settings.publish_refusal.clone().map(|reason| view! {
                    <p class="notice notice-warn" id="publish-refusal" role="note">{reason}</p>
                })}
                <ActionForm action=actions.publish attr:class="inline-form">
                    <input type="hidden" name="role_id" value=settings.role_id.clone()/>
                    <button type="submit" class="button-primary" disabled=settings.publish_refusal.is_some()
                        aria-describedby=settings.publish_refusal.is_some().then_some("publish-refusal")>"Publish portal"</button>
                </ActionForm>
            }
            .into_any(),
        ),
    };

    view! {
        <section class="publish-panel" aria-label="Portal status">
            <p><strong>"Portal: "</strong>{status}{format!(" {}.", counted(settings.step_count, "step"))}</p>
            {control}
        </section>
    }
}
