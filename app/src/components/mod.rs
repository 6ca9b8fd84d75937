//! Pieces shared by several pages.

pub mod account_forms;
pub mod connect_dialog;
pub mod countdown;
pub mod decision_controls;
pub mod disconnect_lever;
pub mod job_card;
pub mod job_members;
pub mod lever_banner;
pub mod question;
pub mod staff_card;
pub mod staff_frame;
pub mod write_card;

use leptos::prelude::*;

use crate::error::AppError;

/// Shows an error message in the page, announced to screen readers.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    view! { <p class="notice notice-error" role="alert">{error.to_string()}</p> }
}

/// Shows a placeholder while a page's data loads.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" aria-busy="true">"Loading…"</p> }
}
