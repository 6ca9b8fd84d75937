//! The one error type of the app layer: what a server function returns to the browser.
//!
//! Every variant carries only text that is safe to show the person who made the request.
//! Internal causes (database, Lever, crypto) are logged once on the server where they are
//! converted into [`AppError::Internal`], and the browser gets a generic message.

use serde::{Deserialize, Serialize};
use server_fn_error::{FromServerFnError, JsonEncoding, ServerFnErrorErr};

/// Re-exports under one name so the `server_fn` paths stay in this file.
mod server_fn_error {
    pub use leptos::server_fn::codec::JsonEncoding;
    pub use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No valid staff session: the caller must sign in.
    #[error("Please sign in to continue.")]
    Unauthenticated,

    /// Signed in, but the caller's role does not allow this.
    #[error("{0}")]
    Forbidden(String),

    /// The thing does not exist, or belongs to another organization (the message never reveals which).
    #[error("{0}")]
    NotFound(String),

    /// The input is invalid; `field` names the form field when there is one.
    #[error("{message}")]
    Invalid {
        field: Option<String>,
        message: String,
    },

    /// The request conflicts with the current state (already submitted, time is up, ...).
    #[error("{0}")]
    Conflict(String),

    /// Too many attempts in a short time (failed sign-ins); the message says how long to wait.
    #[error("{0}")]
    TooManyRequests(String),

    /// A failure on our side; the cause was logged on the server.
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,

    /// The request did not reach the server or its response could not be read.
    #[error("Could not reach the server: {0}")]
    Transport(String),
}

impl AppError {
    /// Builds an `Invalid` error for the named form field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// Logs an internal cause once and returns the generic error sent to the browser.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "{context}");
        Self::Internal
    }

    /// Returns the HTTP status a response carrying this error gets.
    #[cfg(feature = "ssr")]
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;

        match self {
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal | Self::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // On the server these two mean the request's arguments could not be read: a client error.
        #[cfg(feature = "ssr")]
        if let ServerFnErrorErr::Args(message) | ServerFnErrorErr::Deserialization(message) = &value
        {
            return Self::Invalid {
                field: None,
                message: format!("The request could not be read: {message}"),
            };
        }

        match value {
            ServerFnErrorErr::Request(message) | ServerFnErrorErr::Response(message) => {
                Self::Transport(message)
            }
            ServerFnErrorErr::Args(message) => Self::Invalid {
                field: None,
                message,
            },
            other => Self::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        Self::internal("database error", error)
    }
}
