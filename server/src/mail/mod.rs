//! The mail worker: sends the queued rows of `emails` over SMTP, retrying what can succeed
//! later and stopping with a reason on what cannot. With no SMTP server configured it puts
//! each email in the mailbox page instead.

pub mod message;
pub mod transport;
pub mod worker;
