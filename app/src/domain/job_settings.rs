//! A job's settings page and its candidates' decision controls, as the server sends them:
//! the values, the choices from Lever's cached lists, and what the viewer may change.

use serde::{Deserialize, Serialize};

use super::staff::{JobMembership, StaffRole};

/// One entry of a cached Lever list (a stage or an archive reason): its Lever id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeverChoice {
    pub id: String,
    pub text: String,
}

/// An owner or reviewer of a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobMember {
    pub staff_user_id: String,
    pub name: String,
    pub role: StaffRole,
    pub membership: JobMembership,
}

/// An active staff member of the organization, offered in the member picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffChoice {
    pub staff_user_id: String,
    pub name: String,
    pub role: StaffRole,
}

/// Everything `/jobs/:role_id/settings` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSettings {
    pub role_id: String,
    pub title: String,
    pub team: String,
    pub location: String,
    pub intro_md: String,
    /// `draft`, `published` or `closed`.
    pub status: String,
    pub step_count: i64,
    pub invite_stage_id: Option<String>,
    pub pass_stage_id: Option<String>,
    pub fail_archive_reason_id: Option<String>,
    pub auto_decide: bool,
    /// Days a candidate has from the invitation to finish; `None` for no deadline.
    pub deadline_days: Option<i64>,
    /// Whether the job follows a Lever posting, which then sets its title, team and location.
    pub from_lever_posting: bool,
    /// The job's own accent colour (`#rrggbb`), blank to use the organization's.
    pub accent_color: String,
    pub stages: Vec<LeverChoice>,
    pub archive_reasons: Vec<LeverChoice>,
    pub members: Vec<JobMember>,
    /// Filled only for viewers who may assign owners and reviewers.
    pub staff: Vec<StaffChoice>,
    /// `None` when the viewer may edit the job; otherwise why not, and who can.
    pub edit_refusal: Option<String>,
    /// `None` when the viewer may assign owners and reviewers; otherwise why not.
    pub members_refusal: Option<String>,
    /// `None` when the job can be published now; otherwise what is missing.
    pub publish_refusal: Option<String>,
}

/// A job's candidate list with the controls its viewer may use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateList {
    pub title: String,
    pub candidates: Vec<super::staff::CandidateRow>,
    /// `None` when the viewer may move and archive candidates; otherwise why not.
    pub decide_refusal: Option<String>,
    /// `None` when the viewer may review the candidates, otherwise the reason they may not.
    pub review_refusal: Option<String>,
    pub stages: Vec<LeverChoice>,
    pub archive_reasons: Vec<LeverChoice>,
}
