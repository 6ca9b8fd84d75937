//! Candidates entering the portal from Lever. An opportunity that enters a role's invite
//! stage gets an application and an invitation email, whether Tryout learns of it by webhook
//! or by the periodic poll. An opportunity archived or deleted in Lever closes its
//! application. Every step is idempotent, so both paths may see the same opportunity.

pub mod close;
pub mod invite;
pub mod poll;
pub mod roles;
