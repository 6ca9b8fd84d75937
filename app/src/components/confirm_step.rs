//! Focus for a confirm step: a button opens it in place of itself, and the step asks before a
//! change that cannot be undone. Opening puts focus on Cancel, the safe choice, so pressing
//! Enter twice changes nothing. Leaving it by Cancel or Escape puts focus back on the button
//! that opened it, instead of at the top of the page.

use leptos::ev::KeyboardEvent;
use leptos::html::Button;
use leptos::prelude::*;

/// Wires the focus of a confirm step shown while `confirming` is true. `opener` is the button
/// that opens it and `cancel` the step's Cancel button.
pub fn confirm_focus(confirming: RwSignal<bool>, opener: NodeRef<Button>, cancel: NodeRef<Button>) {
    Effect::new(move || {
        if let Some(button) = cancel.get() {
            let _ = button.focus();
        }
    });

    Effect::new(move |was_confirming: Option<bool>| {
        let confirming_now = confirming.get();
        if was_confirming == Some(true) && !confirming_now {
            // The opener is rendered again in the same update, so it is focused once in place.
            request_animation_frame(move || {
                if let Some(button) = opener.get_untracked() {
                    let _ = button.focus();
                }
            });
        }
        confirming_now
    });
}

/// Returns a keydown handler for the step that closes it on Escape.
pub fn close_on_escape(confirming: RwSignal<bool>) -> impl Fn(KeyboardEvent) + Clone + 'static {
    move |event: KeyboardEvent| {
        if event.key() == "Escape" {
            confirming.set(false);
        }
    }
}

/// Closes the `<details>` disclosure the handler is attached to on Escape, and puts focus back
/// on its summary, as a confirm step does with its opener.
pub fn close_details_on_escape(event: KeyboardEvent) {
    use leptos::wasm_bindgen::JsCast;

    if event.key() != "Escape" {
        return;
    }
    let Some(details) = event
        .current_target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    if details.get_attribute("open").is_none() {
        return;
    }

    let _ = details.remove_attribute("open");
    let summary = details
        .query_selector("summary")
        .ok()
        .flatten()
        .and_then(|summary| summary.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(summary) = summary {
        let _ = summary.focus();
    }
}
