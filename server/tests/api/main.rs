//! Integration tests: the real router and outbox worker on 127.0.0.1, a fresh SQLite file
//! per test, and the Lever simulator over HTTP. One binary, one module per area.

mod helpers;
mod lever_connect;
mod portal_input;
mod quiz_sync;
mod staff_auth;
