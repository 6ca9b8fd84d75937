//! The place on a page where the result of the latest action shows. When an action finishes,
//! focus moves here, because the control that started it is often re-rendered away with the
//! data it changed. A screen reader then reads the result, and Tab carries on from this spot
//! instead of from the top of the page.

use leptos::prelude::*;

use crate::error::AppError;

/// Wraps a page's notices. `finished` counts finished actions (the sum of their versions), and
/// each change after the first render moves focus onto the wrapper.
#[component]
pub fn Outcome(#[prop(into)] finished: Signal<usize>, children: Children) -> impl IntoView {
    let region = NodeRef::<leptos::html::Div>::new();

    Effect::new(move |previous: Option<usize>| {
        let count = finished.get();
        if previous.is_some_and(|previous| previous != count) {
            if let Some(element) = region.get_untracked() {
                let _ = element.focus();
            }
        }
        count
    });

    view! { <div class="outcome" tabindex="-1" node_ref=region>{children()}</div> }
}

/// Keeps `notice` on `message` after each success of the action whose `version` and `value`
/// are given, and clears it after a failure, whose error the page shows instead. Pages with
/// several actions call this once per action, so the notice always names the latest one.
pub fn note_success(
    version: RwSignal<usize>,
    value: MappedSignal<Option<Result<(), AppError>>>,
    message: &'static str,
    notice: RwSignal<Option<&'static str>>,
) {
    Effect::new(move |previous: Option<usize>| {
        let current = version.get();
        if previous.is_some_and(|previous| previous != current) {
            let succeeded = matches!(value.get_untracked(), Some(Ok(())));
            notice.set(succeeded.then_some(message));
        }
        current
    });
}

/// Renders a live region for `notice`. The region is on the page before any message, so screen
/// readers announce each message without focus moving away from the control that was used.
#[component]
pub fn SuccessNotice(notice: RwSignal<Option<&'static str>>) -> impl IntoView {
    view! {
        <div role="status">
            {move || notice.get().map(|message| view! { <p class="notice notice-ok">{message}</p> })}
        </div>
    }
}
