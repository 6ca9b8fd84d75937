//! Server functions: the browser's only way into the server. Each one checks who is calling
//! (a staff session or a candidate's link) before it reads or writes anything.

pub mod account;
pub mod audit;
pub mod auth;
pub mod branding;
pub mod candidate_links;
pub mod decisions;
pub mod editor;
pub mod integration;
pub mod job_settings;
pub mod jobs;
pub mod mail;
pub mod own_account;
pub mod portal;
pub mod postings;
pub mod reviews;
pub mod staff;

/// Sets the HTTP status of a failed server function so API clients and logs see 401, 403,
/// 404, 409, 422 or 429 instead of a blanket 500. A plain HTML form post (no JavaScript) keeps
/// Leptos' redirect back to the form, which carries the error to the page in the URL.
#[cfg(feature = "ssr")]
pub(crate) fn with_status<T>(
    result: Result<T, crate::error::AppError>,
) -> Result<T, crate::error::AppError> {
    use axum::http::header::ACCEPT;

    let plain_form_post =
        leptos::prelude::use_context::<axum::http::request::Parts>().is_some_and(|parts| {
            parts
                .headers
                .get(ACCEPT)
                .and_then(|value| value.to_str().ok())
                .is_some_and(|value| value.contains("text/html"))
        });
    if plain_form_post {
        return result;
    }
    if let Err(error) = &result {
        let status = error.status();
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
    }
    result
}
