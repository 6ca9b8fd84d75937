//! Pieces shared by several pages.

pub mod account_forms;
pub mod confirm_step;
pub mod connect_dialog;
pub mod countdown;
pub mod culture_video;
pub mod decision_controls;
pub mod disconnect_lever;
pub mod editor_step;
pub mod job_card;
pub mod job_members;
pub mod lever_banner;
pub mod link_controls;
pub mod logo_field;
pub mod outcome;
pub mod question;
pub mod question_form;
pub mod review_card;
pub mod review_form;
pub mod rubric_editor;
pub mod staff_card;
pub mod staff_frame;
pub mod timed_question;
pub mod upload_request;
pub mod video_upload;
pub mod write_card;

use leptos::prelude::*;

use crate::error::AppError;

/// Shows an error message in the page, announced to screen readers. Rendered on the server,
/// a refusal also sets the page's status (401, 403 or 404), so a page a role may not open
/// returns the same status as the server function behind it.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_refusal_status(&error);

    view! { <p class="notice notice-error" role="alert">{error.to_string()}</p> }
}

/// Sets the status here because `api::with_status` leaves requests that accept HTML alone (so
/// a form posted without JavaScript keeps its redirect back), and a page render is one of those.
#[cfg(feature = "ssr")]
fn set_refusal_status(error: &AppError) {
    use axum::http::StatusCode;

    let status = match error {
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        _ => return,
    };
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// Shows a placeholder while a page's data loads.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" aria-busy="true">"Loading…"</p> }
}
