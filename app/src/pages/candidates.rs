//! `/jobs/:role_id/candidates`: a role's candidates with their quiz result and Lever sync.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::jobs::list_candidates;
use crate::components::staff_frame::StaffFrame;
use crate::components::{ErrorNotice, Loading};
use crate::domain::staff::CandidateRow;
use crate::error::AppError;

/// Renders a role's candidates. The resource is created before `StaffFrame` suspends, as on the Jobs page.
#[component]
pub fn CandidatesPage() -> impl IntoView {
    let params = use_params_map();
    let candidates = Resource::new(
        move || params.read().get("role_id").unwrap_or_default(),
        list_candidates,
    );

    view! {
        <Title text="Candidates"/>
        <StaffFrame>
            <CandidatesTable candidates/>
        </StaffFrame>
    }
}

#[component]
fn CandidatesTable(
    candidates: Resource<Result<(String, Vec<CandidateRow>), AppError>>,
) -> impl IntoView {
    view! {
        <p><a href="/jobs">"← All jobs"</a></p>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match candidates.await {
                    Ok((title, rows)) => view! {
                        <h1>{title}</h1>
                        <p class="scroll-hint muted">"Scroll the table sideways to see the score and Lever columns."</p>
                        <div class="table-scroll">
                            <table class="candidates">
                                <thead>
                                    <tr>
                                        <th scope="col">"Candidate"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col">"Quiz score"</th>
                                        <th scope="col">"Lever"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|row| view! {
                                        <tr>
                                            <td>{row.name}<br/><span class="muted">{row.email}</span></td>
                                            <td>{row.status.replace('_', " ")}</td>
                                            <td>
                                                {row.score_percent.map(|percent| format!("{percent:.0}%")).unwrap_or_else(|| "—".into())}
                                                {row.knockout_failed.then_some(" (knockout failed)")}
                                            </td>
                                            <td>{row.sync}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
