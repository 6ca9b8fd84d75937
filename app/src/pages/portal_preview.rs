//! `/jobs/:role_id/preview`: the portal as a candidate would see it, for staff. The overview
//! comes first, then every step as its page would show it. Answers can be tried but are never
//! sent, and no application is created.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::editor::load_portal_preview;
use crate::components::culture_video::CultureVideo;
use crate::components::question::Question;
use crate::components::staff_frame::StaffFrame;
use crate::components::{ErrorNotice, Loading};
use crate::domain::portal::{PortalPreview, PreviewStep, StepSummary};
use crate::domain::quiz::AnswerValue;
use crate::pages::portal::Overview;

#[component]
pub fn PortalPreviewPage() -> impl IntoView {
    let params = use_params_map();
    let role_id = move || params.read().get("role_id").unwrap_or_default();
    let preview = Resource::new(role_id, load_portal_preview);

    view! {
        <Title text="Preview as candidate"/>
        <StaffFrame>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(preview) => view! {
                            <p><a href=format!("/jobs/{}/portal", preview.role_id)>"← Back to the portal editor"</a></p>
                            <PreviewBody preview/>
                        }.into_any(),
                        // A job the viewer may not see gets no link to its other pages.
                        Err(error) => view! {
                            <p><a href="/jobs">"← All jobs"</a></p>
                            <ErrorNotice error/>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </StaffFrame>
    }
}

#[component]
fn PreviewBody(preview: PortalPreview) -> impl IntoView {
    let banner = if preview.is_draft {
        format!(
            "Preview of draft version {}: candidates do not get it until it is published. Nothing you do here is saved.",
            preview.version_number
        )
    } else {
        format!(
            "Preview of version {}, the one candidates get now. Nothing you do here is saved.",
            preview.version_number
        )
    };
    let step_href = Callback::new(|step: StepSummary| format!("#preview-{}", step.id));

    view! {
        <p class="notice notice-warn" role="note">{banner}</p>
        <div class="portal preview-frame">
            <Overview overview=preview.overview step_href/>
            {preview.steps.into_iter().map(|step| view! { <PreviewStepSection step/> }).collect_view()}
        </div>
    }
}

#[component]
fn PreviewStepSection(step: PreviewStep) -> impl IntoView {
    let section_id = format!("preview-{}", step.summary.id);
    let heading_id = format!("{section_id}-title");
    let labelled_by = heading_id.clone();
    let total = step.questions.len();
    let order_notes: Vec<&str> = [
        step.shuffle_questions
            .then_some("Each candidate gets the questions in their own random order."),
        step.shuffle_options
            .then_some("Each candidate gets the options in their own random order."),
    ]
    .into_iter()
    .flatten()
    .collect();
    // Tried answers stay in the page: the preview never calls the candidate's server functions.
    let ignore = Callback::new(|_: (String, AnswerValue)| {});

    view! {
        <section class="preview-step" id=section_id aria-labelledby=labelled_by>
            <h2 id=heading_id>{step.summary.title.clone()}</h2>
            <p class="muted">{step.summary.kind.label()}{(!step.summary.required).then_some(" · optional")}</p>
            <CultureVideo title=step.summary.title.clone()
                file_url=step.video_file_url.clone() embed_url=step.video_embed_url.clone()/>
            <div class="prose" inner_html=step.body_html.clone()></div>
            {step.summary.time_limit_secs.map(|seconds| view! {
                <p>{format!("Time limit: {} minutes, counted from when the candidate starts.", (seconds + 59) / 60)}</p>
            })}
            {order_notes.into_iter().map(|note| view! { <p class="muted">{note}</p> }).collect_view()}
            {step.questions.into_iter().enumerate().map(|(index, question)| view! {
                <Question question number=index + 1 total initial=None on_save=ignore
                    error=Signal::derive(|| None) disabled=Signal::derive(|| false)/>
            }).collect_view()}
        </section>
    }
}
