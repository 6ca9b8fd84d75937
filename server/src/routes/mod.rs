//! Plain axum routes outside the Leptos app.

pub mod culture_video;
mod file_body;
pub mod health;
pub mod lever_oauth;
pub mod logo;
pub mod portal_video;
