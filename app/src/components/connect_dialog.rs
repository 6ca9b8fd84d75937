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
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    on_close.run(());
                } else if event.key() == "Tab" {
                    keep_tab_inside(&event, dialog);
                }
            }
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

/// Wraps Tab from the dialog's last control to its first, and Shift+Tab from its first (or
/// from the dialog itself) to its last, because the dialog is modal and the page behind it
/// must not take focus.
fn keep_tab_inside(event: &leptos::ev::KeyboardEvent, dialog: NodeRef<leptos::html::Div>) {
    use leptos::wasm_bindgen::JsCast;

    let Some(dialog) = dialog.get_untracked() else {
        return;
    };
    let Ok(found) = dialog.query_selector_all(
        "a[href], button:not([disabled]), input:not([disabled]), select, textarea",
    ) else {
        return;
    };
    let controls: Vec<web_sys::HtmlElement> = (0..found.length())
        .filter_map(|index| found.item(index))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
        return;
    };
    let active = document().active_element();
    let is_active = |control: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|active| active == control.as_ref() as &web_sys::Element)
    };
    let on_dialog = active
        .as_ref()
        .is_some_and(|active| active == dialog.as_ref() as &web_sys::Element);

    let target = if event.shift_key() && (is_active(first) || on_dialog) {
        last
    } else if !event.shift_key() && is_active(last) {
        first
    } else {
        return;
    };
    event.prevent_default();
    let _ = target.focus();
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
