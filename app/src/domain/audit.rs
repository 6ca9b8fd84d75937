//! Audit log entries as the audit page shows them, and the actions they record.

use serde::{Deserialize, Serialize};

/// An action the audit log records. The stored name (`as_str`) never changes once released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    LeverConnected,
    LeverDisconnected,
    StaffInvited,
    StaffRoleChanged,
    StaffDeactivated,
    StaffReactivated,
    JobMemberAdded,
    JobMemberRemoved,
    JobCreated,
    PortalPublished,
    PortalUnpublished,
    CandidateMoved,
    CandidateArchived,
    BrandingChanged,
}

impl AuditAction {
    pub const ALL: [AuditAction; 14] = [
        Self::LeverConnected,
        Self::LeverDisconnected,
        Self::StaffInvited,
        Self::StaffRoleChanged,
        Self::StaffDeactivated,
        Self::StaffReactivated,
        Self::JobMemberAdded,
        Self::JobMemberRemoved,
        Self::JobCreated,
        Self::PortalPublished,
        Self::PortalUnpublished,
        Self::CandidateMoved,
        Self::CandidateArchived,
        Self::BrandingChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::LeverConnected => "lever_connected",
            Self::LeverDisconnected => "lever_disconnected",
            Self::StaffInvited => "staff_invited",
            Self::StaffRoleChanged => "staff_role_changed",
            Self::StaffDeactivated => "staff_deactivated",
            Self::StaffReactivated => "staff_reactivated",
            Self::JobMemberAdded => "job_member_added",
            Self::JobMemberRemoved => "job_member_removed",
            Self::JobCreated => "job_created",
            Self::PortalPublished => "portal_published",
            Self::PortalUnpublished => "portal_unpublished",
            Self::CandidateMoved => "candidate_moved",
            Self::CandidateArchived => "candidate_archived",
            Self::BrandingChanged => "branding_changed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|action| action.as_str() == value)
    }

    /// Returns the action's name on the audit page.
    pub fn label(self) -> &'static str {
        match self {
            Self::LeverConnected => "Connected Lever",
            Self::LeverDisconnected => "Disconnected Lever",
            Self::StaffInvited => "Invited a colleague",
            Self::StaffRoleChanged => "Changed a role",
            Self::StaffDeactivated => "Deactivated an account",
            Self::StaffReactivated => "Reactivated an account",
            Self::JobMemberAdded => "Added a job owner or reviewer",
            Self::JobMemberRemoved => "Removed a job owner or reviewer",
            Self::JobCreated => "Created a job",
            Self::PortalPublished => "Published a portal",
            Self::PortalUnpublished => "Unpublished a portal",
            Self::CandidateMoved => "Moved a candidate to a stage",
            Self::CandidateArchived => "Archived a candidate",
            Self::BrandingChanged => "Changed the branding",
        }
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: String,
    /// Unix milliseconds.
    pub at_ms: i64,
    pub actor_name: String,
    pub action: String,
    pub action_label: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub object_label: String,
    pub detail: String,
}

/// One page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` to load the next, older page; `None` on the last page.
    pub next_before: Option<String>,
    /// Everyone who appears as an actor, for the filter: (staff user id, name).
    pub actors: Vec<(String, String)>,
}
