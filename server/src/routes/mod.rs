//! Plain axum routes outside the Leptos app.

pub mod culture_video;
pub mod health;
pub mod lever_oauth;
pub mod portal_video;
mod video_body;
