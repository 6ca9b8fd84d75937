//! One write to Lever on the Integration page, with Retry and Discard for a failed one.

use leptos::prelude::*;

use crate::components::confirm_step::{close_on_escape, confirm_focus};

use crate::api::integration::{DiscardLeverWrite, RetryLeverWrite};
use crate::domain::integration::{LeverWriteRow, WriteStatus};

#[component]
pub fn WriteCard(
    write: LeverWriteRow,
    retry: ServerAction<RetryLeverWrite>,
    discard: ServerAction<DiscardLeverWrite>,
) -> impl IntoView {
    let heading_id = format!("write-{}", write.id);
    let title = match &write.candidate_name {
        Some(name) => format!("{} for {name}", write.kind.label()),
        None => write.kind.label().to_string(),
    };
    let status_class = format!("badge badge-{}", write.status.label().to_lowercase());
    let failed = write.status == WriteStatus::Failed;
    let error_term = if failed { "Reason" } else { "Last error" };
    let next_attempt = if write.held_by_failed {
        Some(
            "After the earlier failed write of this opportunity is retried or discarded"
                .to_string(),
        )
    } else {
        write.next_attempt_text.clone()
    };
    let discarded = write
        .discarded_text
        .clone()
        .map(|when| match &write.discarded_by {
            Some(name) => format!("{when} by {name}"),
            None => when,
        });

    view! {
        <li class="write-card">
            <div class="write-head">
                <h3 id=heading_id.clone()>{title}</h3>
                <span class=status_class>{write.status.label()}</span>
            </div>
            {write.role_title.clone().map(|role| view! { <p class="write-role muted">{role}</p> })}
            <dl class="write-facts">
                <dt>"Opportunity"</dt>
                <dd><code>{write.opportunity_id.clone()}</code></dd>
                <dt>"Attempts"</dt>
                <dd>{write.attempts}</dd>
                <dt>"Created"</dt>
                <dd>{write.created_text.clone()}</dd>
                {next_attempt.map(|when| view! { <dt>"Next attempt"</dt><dd>{when}</dd> })}
                {write.sent_text.clone().map(|when| view! { <dt>"Sent"</dt><dd>{when}</dd> })}
                {discarded.map(|text| view! { <dt>"Discarded"</dt><dd>{text}</dd> })}
                {write.last_error.clone().map(|error| view! { <dt>{error_term}</dt><dd class="write-error">{error}</dd> })}
            </dl>
            {failed.then(|| view! { <FailedWriteActions write_id=write.id.clone() heading_id=heading_id.clone() retry discard/> })}
        </li>
    }
}

/// Renders Retry now, and Discard with its confirm step.
#[component]
fn FailedWriteActions(
    write_id: String,
    heading_id: String,
    retry: ServerAction<RetryLeverWrite>,
    discard: ServerAction<DiscardLeverWrite>,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let open_button = NodeRef::<leptos::html::Button>::new();
    let cancel_button = NodeRef::<leptos::html::Button>::new();
    confirm_focus(confirming, open_button, cancel_button);
    let write_id = StoredValue::new(write_id);
    let heading_id = StoredValue::new(heading_id);
    let busy = move || retry.pending().get() || discard.pending().get();

    view! {
        <Show
            when=move || confirming.get()
            fallback=move || view! {
                <div class="write-actions">
                    <ActionForm action=retry>
                        <input type="hidden" name="write_id" value=write_id.get_value()/>
                        <button type="submit" class="button-secondary" aria-describedby=heading_id.get_value() disabled=busy>
                            "Retry now"
                        </button>
                    </ActionForm>
                    <button type="button" class="button-secondary button-danger-outline" node_ref=open_button aria-describedby=heading_id.get_value() on:click=move |_| confirming.set(true)>
                        "Discard"
                    </button>
                </div>
            }
        >
            <div class="confirm" role="group" aria-label="Confirm discarding this write" on:keydown=close_on_escape(confirming)>
                <p>
                    <strong>"Discard this write?"</strong>
                    " It will never be sent to Lever. It stays on this page as discarded, and later writes of this opportunity go ahead without it."
                </p>
                <ActionForm action=discard attr:class="confirm-actions">
                    <input type="hidden" name="write_id" value=write_id.get_value()/>
                    <button type="submit" class="button-danger" disabled=busy>"Discard write"</button>
                    <button type="button" class="button-secondary" node_ref=cancel_button on:click=move |_| confirming.set(false)>
                        "Cancel"
                    </button>
                </ActionForm>
            </div>
        </Show>
    }
}
