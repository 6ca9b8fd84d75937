//! Integration tests: the real router and outbox worker on 127.0.0.1, a fresh database per
//! test on each backend (SQLite, and PostgreSQL when `TRYOUT_TEST_POSTGRES_URL` names a
//! server), and the Lever simulator over HTTP. One binary, one module per area.

#[macro_use]
mod helpers;
mod audit_log;
mod branding;
mod candidate_links;
mod cli;
mod culture_videos;
mod fault_injection;
mod integration_page;
mod job_settings;
mod lever_connect;
mod lever_pace;
mod mail;
mod multi_process;
mod outbox_discard_migration;
mod own_account;
mod permission_matrix;
mod portal_editor;
mod portal_input;
mod posting_import;
mod quiz_sync;
mod reviews;
mod smtp;
mod staff_accounts;
mod staff_auth;
mod staff_calls;
mod token_refresh;
mod webhooks;
