//! Server-only code of the app layer: state, database access, sessions, authorization,
//! quiz scoring, the outbox, outgoing email and media storage. Compiled only with the
//! `ssr` feature, so the browser bundle never contains sqlx, tokio or any secret.

pub mod audit;
pub mod audit_log;
pub mod authz;
pub mod branding;
pub mod candidate_links;
pub mod client_address;
pub mod clock;
pub mod crypto;
pub mod db;
pub mod editor;
pub mod job_create;
pub mod job_settings;
pub mod lever_disconnect;
pub mod lever_lists;
pub mod lever_pace;
pub mod lever_store;
pub mod mail;
pub mod markdown;
pub mod media;
pub mod outbox;
pub mod outbox_admin;
pub mod password;
pub mod portal;
pub mod posting_import;
pub mod quiz;
pub mod reminders;
pub mod reviews;
pub mod session;
pub mod staff_admin;
pub mod staff_links;
pub mod staff_sign_in;
pub mod state;
pub mod throttle;
pub mod uploads;
pub mod versions;
