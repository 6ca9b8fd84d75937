//! The Staff page's data: the organization's colleagues, and which changes the viewer may
//! make to each of them, with the reason when a change is not theirs to make.

use serde::{Deserialize, Serialize};

use super::staff::StaffRole;

/// Shortest password a staff member may set, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// The state of a staff account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffStatus {
    /// Invited, but has not set a password yet.
    Invited,
    Active,
    /// Cannot sign in; an Admin can reactivate the account.
    Deactivated,
}

impl StaffStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Invited => "Invited",
            Self::Active => "Active",
            Self::Deactivated => "Deactivated",
        }
    }
}

/// One colleague on the Staff page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
    pub status: StaffStatus,
    /// The last sign-in as the page shows it ("3 Dec 2026, 14:05 UTC"), `None` if never.
    pub last_sign_in_text: Option<String>,
    /// Whether this row is the viewer's own account.
    pub is_viewer: bool,
    pub actions: StaffMemberActions,
}

/// The changes the viewer may make to one colleague. A `*_refusal` is the reason the page
/// shows in place of a control the viewer cannot use. A deactivated colleague has no
/// deactivate refusal and an active one no reactivate refusal, because neither control applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMemberActions {
    /// The roles the viewer may give this person; empty when the role cannot be changed.
    pub assignable_roles: Vec<StaffRole>,
    pub role_refusal: Option<String>,
    pub can_deactivate: bool,
    pub deactivate_refusal: Option<String>,
    pub can_reactivate: bool,
    pub reactivate_refusal: Option<String>,
    /// Whether a new invitation email can go out (the person has not set a password yet).
    pub can_resend_invitation: bool,
}

/// The Staff page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDirectory {
    pub members: Vec<StaffMember>,
    /// The roles the viewer may give a new colleague.
    pub invitable_roles: Vec<StaffRole>,
    /// The reason the Super Admin role is not offered, when it is not.
    pub super_admin_refusal: Option<String>,
}

/// The messages shown in place of a control the viewer cannot use. The server returns the
/// same text when such a call is made anyway.
pub mod refusals {
    pub const CHANGE_SUPER_ADMIN: &str = "Only a Super Admin can change a Super Admin.";
    pub const GRANT_SUPER_ADMIN: &str = "Only a Super Admin can make someone a Super Admin.";
    pub const DEACTIVATE_SELF: &str = "You cannot deactivate your own account.";
    pub const LAST_SUPER_ADMIN: &str = "The last Super Admin stays a Super Admin. Make someone else a Super Admin first; an invited one counts once they have chosen a password.";
    pub const LAST_SUPER_ADMIN_ACTIVE: &str = "The last Super Admin cannot be deactivated. Make someone else a Super Admin first; an invited one counts once they have chosen a password.";
    pub const DEACTIVATED_ROLE: &str = "Reactivate the account to change its role.";
    pub const CONFIRM_OWN_DEMOTION: &str =
        "Confirm that you want to lower your own role. You may lose access to this page at once.";
}
