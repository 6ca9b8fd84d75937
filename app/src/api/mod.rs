//! Server functions: the browser's only way into the server. Each one checks who is calling
//! (a staff session or a candidate's link) before it reads or writes anything.

pub mod auth;
pub mod jobs;
pub mod portal;

/// Sets the HTTP status of a failed server function so API clients and logs see 401, 403,
/// 404, 409 or 422 instead of a blanket 500.
#[cfg(feature = "ssr")]
pub(crate) fn with_status<T>(result: Result<T, crate::error::AppError>) -> Result<T, crate::error::AppError> {
    use crate::error::AppError;
    use axum::http::StatusCode;

    if let Err(error) = &result {
        let status = match error {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Internal | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
    }
    result
}
