//! `/jobs/:role_id/candidates`: a role's candidates with their quiz result and Lever sync,
//! and for the job's owners and Admins, "Move to stage", "Archive" and the candidate's
//! personal link (send a new one, or expire it) per candidate.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::candidate_links::{ExpireCandidateLink, ResendCandidateLink};
use crate::api::decisions::{ArchiveCandidate, MoveCandidate};
use crate::api::jobs::list_candidates;
use crate::components::decision_controls::{DecisionActions, DecisionControls};
use crate::components::link_controls::{LinkActions, LinkControls};
use crate::components::staff_frame::StaffFrame;
use crate::components::{ErrorNotice, Loading};
use crate::domain::job_settings::CandidateList;
use crate::error::AppError;

/// Renders a role's candidates. The resource is created before `StaffFrame` suspends, as on
/// the Jobs page, and reloads after each decision.
#[component]
pub fn CandidatesPage() -> impl IntoView {
    let params = use_params_map();
    let actions = DecisionActions {
        move_to_stage: ServerAction::<MoveCandidate>::new(),
        archive: ServerAction::<ArchiveCandidate>::new(),
    };
    let links = LinkActions {
        resend: ServerAction::<ResendCandidateLink>::new(),
        expire: ServerAction::<ExpireCandidateLink>::new(),
    };
    let candidates = Resource::new(
        move || {
            (
                params.read().get("role_id").unwrap_or_default(),
                actions.move_to_stage.version().get(),
                actions.archive.version().get(),
                links.resend.version().get(),
                links.expire.version().get(),
            )
        },
        |(role_id, ..)| list_candidates(role_id),
    );

    view! {
        <Title text="Candidates"/>
        <StaffFrame>
            <CandidatesTable candidates actions links/>
        </StaffFrame>
    }
}

#[component]
fn CandidatesTable(
    candidates: Resource<Result<CandidateList, AppError>>,
    actions: DecisionActions,
    links: LinkActions,
) -> impl IntoView {
    let action_error = move || {
        actions
            .move_to_stage
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| actions.archive.value().get().and_then(Result::err))
            .or_else(|| links.resend.value().get().and_then(Result::err))
            .or_else(|| links.expire.value().get().and_then(Result::err))
    };
    let params = use_params_map();
    let settings_href = move || {
        format!(
            "/jobs/{}/settings",
            params.read().get("role_id").unwrap_or_default()
        )
    };

    view! {
        <p><a href="/jobs">"← All jobs"</a>" · "<a href=settings_href>"Job settings"</a></p>
        {move || action_error().map(|error| view! { <ErrorNotice error/> })}
        {move || matches!(actions.move_to_stage.value().get(), Some(Ok(()))).then(|| view! {
            <p class="notice notice-ok" role="status">"The stage move is queued and reaches Lever in a moment; the Lever column shows when it is synced."</p>
        })}
        {move || matches!(actions.archive.value().get(), Some(Ok(()))).then(|| view! {
            <p class="notice notice-ok" role="status">"The archive is queued and reaches Lever in a moment; the Lever column shows when it is synced."</p>
        })}
        {move || matches!(links.resend.value().get(), Some(Ok(()))).then(|| view! {
            <p class="notice notice-ok" role="status">"A new link is on its way to the candidate; the old one no longer works. The email is in the Mailbox too."</p>
        })}
        {move || matches!(links.expire.value().get(), Some(Ok(()))).then(|| view! {
            <p class="notice notice-ok" role="status">"The link has expired. Send a new link to let the candidate back in."</p>
        })}
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match candidates.await {
                    Ok(list) => view! { <CandidateRows list actions links/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CandidateRows(
    list: CandidateList,
    actions: DecisionActions,
    links: LinkActions,
) -> impl IntoView {
    let can_decide = list.decide_refusal.is_none();
    let stages = StoredValue::new(list.stages);
    let archive_reasons = StoredValue::new(list.archive_reasons);

    view! {
        <h1>{list.title}</h1>
        {list.decide_refusal.map(|reason| view! { <p class="notice" role="note">{reason}</p> })}
        <p class="scroll-hint muted">"Scroll the table sideways to see the score and Lever columns."</p>
        <div class="table-scroll">
            <table class="candidates">
                <thead>
                    <tr>
                        <th scope="col">"Candidate"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Quiz score"</th>
                        <th scope="col">"Lever"</th>
                        {can_decide.then(|| view! { <th scope="col">"Decision"</th><th scope="col">"Personal link"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {list.candidates.into_iter().map(|row| view! {
                        <tr>
                            <td>{row.name.clone()}<br/><span class="muted">{row.email.clone()}</span></td>
                            <td>{row.status.replace('_', " ")}</td>
                            <td>
                                {row.score_percent.map(|percent| format!("{percent:.0}%")).unwrap_or_else(|| "—".into())}
                                {row.knockout_failed.then_some(" (knockout failed)")}
                            </td>
                            <td>{row.sync.clone()}</td>
                            {can_decide.then(|| view! {
                                <td>
                                    <DecisionControls
                                        candidate=row.clone()
                                        stages=stages.get_value()
                                        archive_reasons=archive_reasons.get_value()
                                        actions
                                    />
                                </td>
                                <td><LinkControls candidate=row.clone() actions=links/></td>
                            })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
