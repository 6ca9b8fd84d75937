//! Simulator settings fixed at start (some can be changed later through
//! knobs), and the seed data it serves.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::types::{ArchiveReason, Opportunity, Posting, Stage, User};

/// Settings of one simulator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimConfig {
    /// The only OAuth client the simulator accepts.
    pub client_id: String,
    pub client_secret: String,
    /// Lifetime of issued access tokens; Lever documents 3600 seconds.
    pub access_token_ttl: Duration,
    pub refresh_rotation: RefreshRotation,
    /// HTTP status of `invalid_grant` token responses: 400 as in RFC 6749
    /// section 5.2, or 403 as Auth0 (Lever's sandbox authorization server)
    /// returns. Lever's own choice is undocumented.
    pub refresh_error_status: u16,
    pub note_response: NoteResponseShape,
    /// Whether writes without `perform_as` get 400. Lever documents
    /// `perform_as` as optional for notes, stage and archive changes; whether
    /// OAuth callers may omit it is undocumented.
    pub require_perform_as: bool,
}

impl Default for SimConfig {
    /// Client `tryout-demo` with secret `demo-secret`, one-hour access
    /// tokens, old refresh tokens dead at once, `invalid_grant` as 403, the
    /// sandbox's full note response, and `perform_as` optional.
    fn default() -> Self {
        Self {
            client_id: "tryout-demo".to_string(),
            client_secret: "demo-secret".to_string(),
            access_token_ttl: Duration::from_secs(3600),
            refresh_rotation: RefreshRotation::InvalidateOld,
            refresh_error_status: 403,
            note_response: NoteResponseShape::Full,
            require_perform_as: false,
        }
    }
}

/// Treatment of a refresh token after a refresh traded it for a new one.
/// Lever documents that every refresh returns a new refresh token, but not
/// whether the old one keeps working.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefreshRotation {
    /// The old refresh token is rejected at once (Auth0's rotation).
    InvalidateOld,
    /// The old refresh token is accepted one more time, then rejected.
    OverlapOld,
}

/// Body of a successful `POST /opportunities/:id/notes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteResponseShape {
    /// `{"data": {"noteId": "..."}}`, as Lever documents.
    Minimal,
    /// The whole note with `id` and `noteId`, as Lever's sandbox returns.
    Full,
}

/// Data the simulator serves.
///
/// Opportunities are linked to postings through `applications`: an
/// application id equal to a posting id puts the opportunity on that
/// posting for the `posting_id` filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Seed {
    pub stages: Vec<Stage>,
    pub archive_reasons: Vec<ArchiveReason>,
    pub users: Vec<SimUser>,
    pub postings: Vec<Posting>,
    pub opportunities: Vec<Opportunity>,
}

/// A Lever user who can sign in on the simulator's authorize page. Only a
/// user whose `access_role` is `super admin` may accept the consent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimUser {
    pub user: User,
    pub password: String,
}
