//! Plain axum routes outside the Leptos app.

pub mod health;
pub mod lever_oauth;
