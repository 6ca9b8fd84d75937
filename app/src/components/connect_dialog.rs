//! "Connect your ATS": pick Lever from the integrations, read the permissions Tryout will
//! request, and continue to Lever's consent page. Only a Super Admin sees Continue, and anyone
//! else sees the names of those who can connect.

use leptos::prelude::*;

use crate::domain::staff::LeverStatus;
use crate::pages::jobs::who_can_connect;

#[component]
pub fn ConnectDialog(status: LeverStatus, on_close: Callback<()>) -> impl IntoView {
    let chosen = RwSignal::new(false);
    let status = StoredValue::new(status);
    let dialog = NodeRef::<leptos::html::Div>::new();
    // Focus moves into the dialog when it opens and again when its content changes, so Escape
    // and Tab work from the start and never fall back to the page behind.
    Effect::new(move |_| {
        chosen.track();
        if let Some(dialog) = dialog.get() {
            let _ = dialog.focus();
        }
    });

    view! {
        <div class="dialog-backdrop" on:click=move |_| on_close.run(())></div>
        <div
            class="dialog"
            node_ref=dialog
            tabindex="-1"
            role="dialog"
            aria-modal="true"
            aria-labelledby="connect-title"
            on:keydown=move |event| if event.key() == "Escape" { on_close.run(()) }
        >
            <h2 id="connect-title">"Connect your ATS"</h2>
            <Show
                when=move || chosen.get()
                fallback=move || view! {
                    <p>"Choose the applicant tracking system your team uses."</p>
                    <ul class="integration-list" aria-label="Integrations">
                        <li>
                            <button type="button" class="integration" on:click=move |_| chosen.set(true)>
                                <span class="integration-logo" aria-hidden="true">"L"</span>
                                "Lever"
                            </button>
                        </li>
                    </ul>
                }
            >
                <LeverPermissions status=status.get_value()/>
            </Show>
            <button type="button" class="button-quiet dialog-close" on:click=move |_| on_close.run(())>"Cancel"</button>
        </div>
    }
}

#[component]
fn LeverPermissions(status: LeverStatus) -> impl IntoView {
    let can_connect = status.can_connect;
    let super_admins = who_can_connect(&status);

    let permissions = status
        .scopes
        .iter()
        .map(|(scope, description)| view! { <li><span>{description.clone()}</span><code>{scope.clone()}</code></li> })
        .collect_view();

    view! {
        {(!can_connect).then(|| view! {
            <p class="notice notice-warn" role="note">
                {format!("Only a Super Admin can connect Lever. Ask {super_admins} to connect it.")}
            </p>
        })}
        <p>"Tryout will ask Lever for these permissions, for your whole Lever account:"</p>
        <ul class="permission-list" aria-label="Permissions Tryout requests">{permissions}</ul>
        {can_connect.then(|| view! {
            <p>"Next, sign in to Lever as a Super Admin and click Accept. You come back here when it is done."</p>
            <form method="post" action="/integrations/lever/authorize">
                <button type="submit" class="button-primary">"Continue"</button>
            </form>
        })}
    }
}
