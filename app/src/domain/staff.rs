//! Data for staff pages: the signed-in person, the jobs list and the Lever connection.

use serde::{Deserialize, Serialize};

/// Lever's four access roles, used as Tryout's staff roles because recruiting teams know them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    LimitedTeamMember,
    TeamMember,
    Admin,
    SuperAdmin,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SuperAdmin => "super_admin",
            Self::Admin => "admin",
            Self::TeamMember => "team_member",
            Self::LimitedTeamMember => "limited_team_member",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "super_admin" => Some(Self::SuperAdmin),
            "admin" => Some(Self::Admin),
            "team_member" => Some(Self::TeamMember),
            "limited_team_member" => Some(Self::LimitedTeamMember),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::SuperAdmin => "Super Admin",
            Self::Admin => "Admin",
            Self::TeamMember => "Team Member",
            Self::LimitedTeamMember => "Limited Team Member",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMe {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
    pub organization_name: String,
    /// Whether the role may open the Integration page. The server checks again on every call.
    pub can_manage_integration: bool,
    /// Whether the role may connect and disconnect Lever. The server checks again on every call.
    pub can_manage_lever_connection: bool,
    /// Whether the role may open the mailbox, so the header shows its link.
    pub can_open_mailbox: bool,
    /// Whether the role may read the audit log, so the header shows its link.
    pub can_view_audit_log: bool,
    /// Whether the role may open the Staff page, so the header shows its link.
    pub can_manage_staff: bool,
    /// Whether the role may create jobs, so the Jobs page shows the form.
    pub can_create_jobs: bool,
    /// Whether the role may change the branding, so the header shows its link.
    pub can_manage_branding: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionStatus {
    NotConnected,
    Live,
    Revoked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeverStatus {
    pub status: ConnectionStatus,
    /// Unix milliseconds of the last successful connect.
    pub connected_at_ms: Option<i64>,
    pub connected_by: Option<String>,
    pub stage_count: i64,
    pub archive_reason_count: i64,
    pub pending_writes: i64,
    pub failed_writes: i64,
    /// Whether the signed-in person may connect or disconnect Lever.
    pub can_connect: bool,
    /// Names of the people who can, shown to everyone else.
    pub super_admins: Vec<String>,
    /// Plain-English descriptions of the scopes Tryout requests.
    pub scopes: Vec<(String, String)>,
    /// Whether Tryout's candidate-stage-change webhook is registered in Lever. Without it,
    /// candidates are invited by the periodic poll only.
    pub webhook_registered: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRow {
    pub id: String,
    pub title: String,
    pub team: Option<String>,
    pub location: Option<String>,
    pub status: String,
    pub step_count: i64,
    pub candidate_count: i64,
    /// Candidates who finished the portal, whatever happened to them afterwards.
    pub completed_count: i64,
    /// Names from the cached Lever lists, a placeholder while they are not loaded, or `None` when unmapped.
    pub invite_stage: Option<String>,
    pub pass_stage: Option<String>,
    pub fail_archive_reason: Option<String>,
    pub auto_decide: bool,
    /// The caller's membership of this job, `None` when they are neither owner nor reviewer.
    pub membership: Option<JobMembership>,
    /// Whether the caller may change the job's settings and publish it.
    pub can_edit: bool,
    /// Whether the caller may move or archive the job's candidates by hand.
    pub can_decide: bool,
}

/// One application in a role's candidate list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateRow {
    pub application_id: String,
    pub name: String,
    pub email: String,
    pub status: String,
    pub score_percent: Option<f64>,
    pub knockout_failed: bool,
    pub lever_opportunity_id: Option<String>,
    pub sync: String,
    /// Whether the candidate's personal link has expired.
    pub link_expired: bool,
    /// The stage of the latest manual move, which Lever has (or soon will have) while Tryout's
    /// own status stays where the portal left it.
    pub moved_to_stage: Option<String>,
    /// How many reviewers have submitted a review.
    pub review_count: i64,
}

/// Returns the share of the quiz points a candidate was awarded, in percent, or `None` before
/// any quiz with points was scored.
pub fn score_percent(awarded: Option<i64>, available: Option<i64>) -> Option<f64> {
    match (awarded, available) {
        (Some(awarded), Some(available)) if available > 0 => {
            Some(awarded as f64 * 100.0 / available as f64)
        }
        _ => None,
    }
}

/// A staff member's membership of one job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobMembership {
    /// Builds and edits the job's portal and decides on its candidates.
    Owner,
    /// Reviews and scores the job's candidates.
    Reviewer,
}

impl JobMembership {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Reviewer => "reviewer",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "owner" => Some(Self::Owner),
            "reviewer" => Some(Self::Reviewer),
            _ => None,
        }
    }
}
