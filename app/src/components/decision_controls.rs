//! "Move to stage" and "Archive" for one candidate on a job's candidates page. Archiving
//! opens a disclosure first and requires a confirming tick, so one slip of the keyboard cannot archive.

use leptos::prelude::*;

use crate::components::confirm_step::close_details_on_escape;

use crate::api::decisions::{ArchiveCandidate, MoveCandidate};
use crate::domain::job_settings::LeverChoice;
use crate::domain::staff::CandidateRow;

/// The decision actions of the page, shared by every row.
#[derive(Clone, Copy)]
pub struct DecisionActions {
    pub move_to_stage: ServerAction<MoveCandidate>,
    pub archive: ServerAction<ArchiveCandidate>,
}

#[component]
pub fn DecisionControls(
    candidate: CandidateRow,
    stages: Vec<LeverChoice>,
    archive_reasons: Vec<LeverChoice>,
    actions: DecisionActions,
) -> impl IntoView {
    if candidate.lever_opportunity_id.is_none() {
        return view! { <span class="muted">"Not linked to Lever yet"</span> }.into_any();
    }
    if candidate.status == "archived" || candidate.status.starts_with("closed") {
        return view! { <span class="muted">"Archived"</span> }.into_any();
    }
    // ActionForm children are closures, so each form gets its own copies of the values.
    let id = candidate.application_id.clone();
    let move_id = id.clone();
    let stage_field = format!("stage-{id}");
    let reason_field = format!("reason-{id}");
    let confirm_field = format!("confirm-{id}");
    let confirm_for = confirm_field.clone();
    let move_label = format!("Move {} to stage", candidate.name);
    let confirm_label = format!(" Yes, archive {} in Lever", candidate.name);
    let stage_options = stages
        .into_iter()
        .map(|stage| view! { <option value=stage.id>{stage.text}</option> })
        .collect_view();
    let reason_options = archive_reasons
        .into_iter()
        .map(|reason| view! { <option value=reason.id>{reason.text}</option> })
        .collect_view();

    view! {
        <ActionForm action=actions.move_to_stage attr:class="decision-form">
            <input type="hidden" name="application_id" value=move_id/>
            <label for=stage_field.clone()>{move_label}</label>
            <select id=stage_field name="stage_id" required><option value="" selected=true disabled=true>"Choose a stage"</option>{stage_options}</select>
            <button type="submit" class="button-secondary">"Move"</button>
        </ActionForm>
        <details class="archive-step" on:keydown=close_details_on_escape>
            <summary>"Archive…"</summary>
            <ActionForm action=actions.archive attr:class="decision-form">
                <input type="hidden" name="application_id" value=id/>
                <label for=reason_field.clone()>"Archive reason"</label>
                <select id=reason_field name="archive_reason_id" required><option value="" selected=true disabled=true>"Choose a reason"</option>{reason_options}</select>
                <label class="checkbox" for=confirm_for>
                    <input id=confirm_field type="checkbox" name="confirm" value="yes" required/>
                    {confirm_label}
                </label>
                <button type="submit" class="button-danger">"Archive"</button>
            </ActionForm>
        </details>
    }
    .into_any()
}
