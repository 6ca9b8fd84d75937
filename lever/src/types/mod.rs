//! Serde types for the Lever Data API v1 resources that Tryout reads and
//! writes.
//!
//! Lever may add fields without a version bump (Lever Data API docs,
//! "Introduction"), so no type rejects unknown fields. Timestamps are
//! milliseconds since the Unix epoch and are accepted as JSON numbers or
//! numeric strings, because some documented examples show them as strings.

mod lenient;
mod note;
mod opportunity;
mod page;
mod resources;
mod scopes;
mod webhook;

pub use note::{CreatedNote, NewNote, Note, NoteField};
pub use opportunity::{
    ArchivedState, DeletedOpportunity, Opportunity, OpportunityFilter, OpportunityUrls,
};
pub use page::Page;
pub use resources::{ArchiveReason, Posting, PostingCategories, PostingContent, Stage, User};
pub use scopes::{scope_description, SCOPES};
pub use webhook::{
    is_webhook_event, ArchiveChangeData, CreatedWebhook, DeletedData, StageChangeData, Webhook,
    WebhookDelivery, CANDIDATE_ARCHIVE_CHANGE, CANDIDATE_DELETED, CANDIDATE_STAGE_CHANGE,
    EVENTS_WITH_CONDITIONS, WEBHOOK_EVENTS, WEBHOOK_ORIGINS,
};
