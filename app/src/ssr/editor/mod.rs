//! The portal editor's server side: checking what role owners save, storing it in the role's
//! draft version, and reading a version back for the editor. The server functions in
//! `api::editor` check the caller first; these take the checked organization and draft.

pub mod embed;
pub mod load;
pub mod preview;
pub mod publish;
pub mod store;
pub mod validate;
