//! One module per page (route).

pub mod account;
pub mod audit;
pub mod branding;
pub mod candidates;
pub mod content_step;
pub mod forgot_password;
pub mod home;
pub mod integration;
pub mod job_settings;
pub mod jobs;
pub mod mailbox;
pub mod mailbox_email;
pub mod not_found;
pub mod portal;
pub mod portal_editor;
pub mod portal_preview;
pub mod quiz;
pub mod reset_password;
pub mod review;
pub mod sign_in;
pub mod sign_in_link;
pub mod staff;
pub mod welcome;
