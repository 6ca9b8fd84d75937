//! The `tryout` server: configuration, start-up, the HTTP router, the Lever OAuth routes,
//! the outbox and mail workers, the media store and the demo. `main.rs` only parses the command line and calls in here,
//! so integration tests drive the same code.

pub mod admin;
pub mod cli;
pub mod config;
pub mod csrf;
pub mod demo;
pub mod invites;
pub mod lever_auth;
pub mod lever_call;
pub mod lever_sync;
pub mod load;
pub mod mail;
pub mod media;
pub mod outbox;
pub mod reminders;
pub mod router;
pub mod routes;
pub mod startup;
pub mod telemetry;
pub mod timeout;
pub mod webhooks;
