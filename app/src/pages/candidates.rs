//! `/jobs/:role_id/candidates`: a role's candidates with their quiz result, reviews and Lever
//! sync, each linking to the candidate's answers and reviews. For the job's owners and Admins,
//! each row also has "Move to stage", "Archive" and the candidate's personal link (send a new
//! one, or expire it).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::candidate_links::{ExpireCandidateLink, ResendCandidateLink};
use crate::api::decisions::{ArchiveCandidate, MoveCandidate};
use crate::api::jobs::list_candidates;
use crate::components::decision_controls::{DecisionActions, DecisionControls};
use crate::components::link_controls::{LinkActions, LinkControls};
use crate::components::outcome::Outcome;
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
    // One outcome at a time: starting any action clears the others' results, so a notice
    // or an error on the page always belongs to the latest action.
    let results = [
        actions.move_to_stage.value(),
        actions.archive.value(),
        links.resend.value(),
        links.expire.value(),
    ];
    let pendings = [
        actions.move_to_stage.pending(),
        actions.archive.pending(),
        links.resend.pending(),
        links.expire.pending(),
    ];
    for (started, pending) in pendings.into_iter().enumerate() {
        Effect::new(move |_| {
            if pending.get() {
                for (index, result) in results.iter().enumerate() {
                    if index != started {
                        result.set(None);
                    }
                }
            }
        });
    }
    let action_error = move || {
        results
            .iter()
            .find_map(|result| result.get().and_then(Result::err))
    };
    let finished = Signal::derive(move || {
        actions.move_to_stage.version().get()
            + actions.archive.version().get()
            + links.resend.version().get()
            + links.expire.version().get()
    });
    let params = use_params_map();
    let settings_href = move || {
        format!(
            "/jobs/{}/settings",
            params.read().get("role_id").unwrap_or_default()
        )
    };

    view! {
        <p>
            <a href="/jobs">"← All jobs"</a>
            // A job the viewer may not see gets no link to its settings.
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    candidates.await.is_ok().then(|| view! { " · " <a href=settings_href>"Job settings"</a> })
                })}
            </Suspense>
        </p>
        <Outcome finished>
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
        </Outcome>
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
    let can_review = list.review_refusal.is_none();
    // Without Lever's lists there is nothing to choose from, so the decision column gives the reason
    // instead of offering empty selects.
    let lists_loaded = !list.stages.is_empty() && !list.archive_reasons.is_empty();
    let stages = StoredValue::new(list.stages);
    let params = use_params_map();
    let review_href = move |application_id: &str| {
        format!(
            "/jobs/{}/candidates/{application_id}",
            params.read_untracked().get("role_id").unwrap_or_default()
        )
    };
    let archive_reasons = StoredValue::new(list.archive_reasons);

    view! {
        <h1>{list.title}</h1>
        {list.decide_refusal.map(|reason| view! { <p class="notice" role="note">{reason}</p> })}
        {list.review_refusal.map(|reason| view! { <p class="notice" role="note">{format!("You can see these candidates but not review them. {reason}")}</p> })}
        {(can_decide && !lists_loaded).then(|| view! {
            <p class="notice" role="note">
                "Moving and archiving candidates needs Lever's stages and archive reasons, which load when a Super Admin connects Lever on the Integration page."
            </p>
        })}
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
                            <td>
                                {if can_review {
                                    view! { <a href=review_href(&row.application_id)>{row.name.clone()}</a> }.into_any()
                                } else {
                                    row.name.clone().into_any()
                                }}
                                <br/><span class="muted">{row.email.clone()}</span>
                                <br/><span class="muted">{match row.review_count {
                                    0 => "No reviews yet".to_string(),
                                    1 => "1 review".to_string(),
                                    count => format!("{count} reviews"),
                                }}</span>
                            </td>
                            <td>
                                {row.status.replace('_', " ")}
                                {row.moved_to_stage.clone().map(|stage| view! { <br/><span class="muted">{format!("Moved to {stage} in Lever")}</span> })}
                            </td>
                            <td>
                                {row.score_percent.map(|percent| format!("{percent:.0}%")).unwrap_or_else(|| "—".into())}
                                {row.knockout_failed.then_some(" (knockout failed)")}
                            </td>
                            <td>{row.sync.clone()}</td>
                            {can_decide.then(|| view! {
                                <td>
                                    {if lists_loaded {
                                        view! {
                                            <DecisionControls
                                                candidate=row.clone()
                                                stages=stages.get_value()
                                                archive_reasons=archive_reasons.get_value()
                                                actions
                                            />
                                        }.into_any()
                                    } else {
                                        view! { <span class="muted">"Waiting for Lever"</span> }.into_any()
                                    }}
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
