//! "Disconnect Lever" for Super Admins, with a confirm step stating that the queue of writes
//! is kept and resumes when Lever is reconnected.

use leptos::prelude::*;

use crate::components::confirm_step::{close_on_escape, confirm_focus};

use super::ErrorNotice;
use crate::api::integration::DisconnectLever;

/// The page's disconnect action, shared as context so the banner in `StaffFrame` reloads
/// after a disconnect.
#[derive(Clone, Copy)]
pub struct LeverDisconnectAction(pub ServerAction<DisconnectLever>);

/// Creates the page's disconnect action and shares it with `StaffFrame`. Call it in the
/// page component, before `StaffFrame` is created.
pub fn provide_disconnect_action() -> ServerAction<DisconnectLever> {
    let action = ServerAction::<DisconnectLever>::new();
    provide_context(LeverDisconnectAction(action));
    action
}

/// Renders the button and its confirm step. Show it only to a Super Admin. The server checks again.
#[component]
pub fn DisconnectLeverButton(action: ServerAction<DisconnectLever>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let open_button = NodeRef::<leptos::html::Button>::new();
    let cancel_button = NodeRef::<leptos::html::Button>::new();
    confirm_focus(confirming, open_button, cancel_button);
    let error = move || action.value().get().and_then(Result::err);

    view! {
        <div class="disconnect">
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button type="button" class="button-secondary button-danger-outline" node_ref=open_button on:click=move |_| confirming.set(true)>
                        "Disconnect Lever"
                    </button>
                }
            >
                <div class="confirm" role="group" aria-labelledby="disconnect-title" aria-describedby="disconnect-detail"
                    on:keydown=close_on_escape(confirming)>
                    <p id="disconnect-title"><strong>"Disconnect Lever?"</strong></p>
                    <p id="disconnect-detail">
                        "Tryout deletes its Lever tokens and stops sending to Lever. Results and every other write waiting for Lever stay in the queue, and sending resumes when a Super Admin reconnects Lever."
                    </p>
                    <ActionForm action=action attr:class="confirm-actions">
                        <button type="submit" class="button-danger" disabled=move || action.pending().get()>
                            "Disconnect Lever"
                        </button>
                        <button type="button" class="button-secondary" node_ref=cancel_button on:click=move |_| confirming.set(false)>
                            "Cancel"
                        </button>
                    </ActionForm>
                </div>
            </Show>
            {move || error().map(|error| view! { <ErrorNotice error/> })}
        </div>
    }
}
