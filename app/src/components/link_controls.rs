//! "Send new link" and "Expire link" for one candidate on a job's candidates page. Expiring
//! sits behind a disclosure that explains its effect, so it takes a deliberate second step.

use leptos::prelude::*;

use crate::components::confirm_step::close_details_on_escape;

use crate::api::candidate_links::{ExpireCandidateLink, ResendCandidateLink};
use crate::domain::staff::CandidateRow;

/// The link actions of the page, shared by every row so the list reloads after either.
#[derive(Clone, Copy)]
pub struct LinkActions {
    pub resend: ServerAction<ResendCandidateLink>,
    pub expire: ServerAction<ExpireCandidateLink>,
}

#[component]
pub fn LinkControls(candidate: CandidateRow, actions: LinkActions) -> impl IntoView {
    if candidate.status == "archived" || candidate.status.starts_with("closed") {
        return view! { <span class="muted">"Closed"</span> }.into_any();
    }
    let id = candidate.application_id.clone();
    let expire_id = id.clone();
    let state = if candidate.link_expired {
        "Expired"
    } else {
        "Active"
    };
    let resend_label = format!("Send {} a new link", candidate.name);

    view! {
        <p class="link-state">{state}</p>
        <ActionForm action=actions.resend attr:class="decision-form">
            <input type="hidden" name="application_id" value=id/>
            <button type="submit" class="button-secondary" aria-label=resend_label disabled=move || actions.resend.pending().get()>
                "Send new link"
            </button>
        </ActionForm>
        {(!candidate.link_expired).then(|| view! {
            <details class="archive-step" on:keydown=close_details_on_escape>
                <summary>"Expire link…"</summary>
                <p class="muted">"The candidate can no longer open their portal until you send a new link. Their answers are kept."</p>
                <ActionForm action=actions.expire attr:class="decision-form">
                    <input type="hidden" name="application_id" value=expire_id/>
                    <button type="submit" class="button-danger" disabled=move || actions.expire.pending().get()>"Expire link now"</button>
                </ActionForm>
            </details>
        })}
    }
    .into_any()
}
