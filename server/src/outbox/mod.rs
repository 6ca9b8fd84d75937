//! The outbox worker: sends queued writes to Lever in order per opportunity, retrying what
//! can succeed later and stopping with a reason on what cannot.

pub mod backoff;
pub mod send;
pub mod worker;
