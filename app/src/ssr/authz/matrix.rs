//! The permission matrix: which staff role may do what, in the organization and on one job.
//! Every check on the server ends here, and `docs/permissions.md` writes the same matrix down
//! as a table. A test checks that the two agree.

use crate::domain::staff::{JobMembership, StaffRole};

/// An action on the organization as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See the jobs list and the Lever connection status. Limited Team Members see only the
    /// jobs they are assigned to.
    ViewJobs,
    /// Connect or disconnect the Lever integration.
    ManageLeverConnection,
    /// See every write to Lever on the Integration page, and retry or discard a failed one.
    ManageIntegration,
    /// Read the emails Tryout sent or kept in its mailbox.
    ViewMailbox,
    /// Invite colleagues, change their roles, deactivate and reactivate accounts, and assign
    /// job owners and reviewers. Changing a Super Admin also needs [`Permission::ManageSuperAdmins`].
    ManageStaff,
    /// Grant or take away the Super Admin role, or deactivate a Super Admin.
    ManageSuperAdmins,
    /// Read and filter the audit log.
    ViewAuditLog,
    /// Create a job by hand or from a Lever posting. A Team Member becomes the new job's owner.
    CreateJobs,
    /// Change the organization's branding: accent colour and welcome text.
    ManageBranding,
}

/// An action on one job (a role in Tryout's terms, a posting in Lever's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobPermission {
    /// Open the job, its settings read-only, and its candidate list.
    View,
    /// Review and score the job's candidates.
    Review,
    /// Change the job's portal, its Lever mapping, and publish or unpublish it.
    Edit,
    /// Move a candidate to a stage or archive them in Lever by hand.
    Decide,
}

impl StaffRole {
    /// Returns whether this role has `permission` in its own organization.
    pub fn allows(self, permission: Permission) -> bool {
        match permission {
            Permission::ViewJobs => true,
            Permission::CreateJobs => self >= StaffRole::TeamMember,
            Permission::ManageLeverConnection | Permission::ManageSuperAdmins => {
                self == StaffRole::SuperAdmin
            }
            Permission::ManageIntegration
            | Permission::ViewMailbox
            | Permission::ManageStaff
            | Permission::ViewAuditLog
            | Permission::ManageBranding => self >= StaffRole::Admin,
        }
    }

    /// Returns whether this role, with `membership` on a job of its own organization (`None`
    /// when the person is neither an owner nor a reviewer of it), has `permission` on that job.
    pub fn allows_on_job(
        self,
        permission: JobPermission,
        membership: Option<JobMembership>,
    ) -> bool {
        if self >= StaffRole::Admin {
            return true;
        }
        let owner = membership == Some(JobMembership::Owner);
        let member = membership.is_some();
        match (self, permission) {
            (StaffRole::TeamMember, JobPermission::View) => true,
            (StaffRole::TeamMember, JobPermission::Review) => member,
            (StaffRole::TeamMember, JobPermission::Edit | JobPermission::Decide) => owner,
            (StaffRole::LimitedTeamMember, JobPermission::View | JobPermission::Review) => member,
            (StaffRole::LimitedTeamMember, JobPermission::Edit | JobPermission::Decide) => false,
            (StaffRole::Admin | StaffRole::SuperAdmin, _) => true,
        }
    }
}

/// Returns the message for a rejected caller: what their role cannot do, and who can.
pub fn refusal(permission: Permission) -> &'static str {
    match permission {
        Permission::ManageLeverConnection => "Only a Super Admin can connect or disconnect Lever.",
        Permission::ManageSuperAdmins => {
            "Only a Super Admin can make someone a Super Admin or change a Super Admin's account."
        }
        Permission::ManageIntegration => {
            "Only an Admin or Super Admin can see and change the writes to Lever."
        }
        Permission::ViewMailbox => "Only an Admin or Super Admin can open the mailbox.",
        Permission::ManageStaff => "Only an Admin or Super Admin can manage staff accounts.",
        Permission::ViewAuditLog => "Only an Admin or Super Admin can read the audit log.",
        Permission::ManageBranding => "Only an Admin or Super Admin can change the branding.",
        Permission::ViewJobs => "Your account cannot see jobs.",
        Permission::CreateJobs => {
            "Limited Team Members review candidates and cannot create jobs. An Admin can create one for you."
        }
    }
}

/// Returns the message for a rejected action on a job.
pub fn job_refusal(role: StaffRole, permission: JobPermission) -> &'static str {
    match (role, permission) {
        (StaffRole::LimitedTeamMember, JobPermission::View | JobPermission::Review) => {
            "You are not assigned to this job. An Admin can add you as a reviewer."
        }
        (StaffRole::LimitedTeamMember, _) => {
            "Limited Team Members review candidates and change nothing else."
        }
        (_, JobPermission::Review) => {
            "Only this job's owners and reviewers can review its candidates. An Admin can add you."
        }
        (_, JobPermission::Decide) => {
            "Only this job's owners and Admins can move or archive its candidates."
        }
        _ => "Only this job's owners and Admins can edit it. An Admin can make you an owner.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLES: [StaffRole; 4] = [
        StaffRole::SuperAdmin,
        StaffRole::Admin,
        StaffRole::TeamMember,
        StaffRole::LimitedTeamMember,
    ];

    #[test]
    fn only_super_admin_manages_lever_and_super_admins() {
        for permission in [
            Permission::ManageLeverConnection,
            Permission::ManageSuperAdmins,
        ] {
            let allowed: Vec<StaffRole> = ROLES
                .into_iter()
                .filter(|role| role.allows(permission))
                .collect();
            assert_eq!(allowed, [StaffRole::SuperAdmin]);
        }
    }

    #[test]
    fn admins_manage_staff_integration_mailbox_and_audit() {
        for permission in [
            Permission::ManageIntegration,
            Permission::ViewMailbox,
            Permission::ManageStaff,
            Permission::ViewAuditLog,
        ] {
            let allowed: Vec<StaffRole> = ROLES
                .into_iter()
                .filter(|role| role.allows(permission))
                .collect();
            assert_eq!(
                allowed,
                [StaffRole::SuperAdmin, StaffRole::Admin],
                "{permission:?}"
            );
        }
    }

    #[test]
    fn everyone_but_limited_team_members_creates_jobs() {
        let allowed: Vec<StaffRole> = ROLES
            .into_iter()
            .filter(|role| role.allows(Permission::CreateJobs))
            .collect();
        assert_eq!(
            allowed,
            [
                StaffRole::SuperAdmin,
                StaffRole::Admin,
                StaffRole::TeamMember
            ]
        );
    }

    #[test]
    fn team_member_edits_only_jobs_they_own() {
        let member = StaffRole::TeamMember;

        assert!(member.allows_on_job(JobPermission::Edit, Some(JobMembership::Owner)));
        assert!(!member.allows_on_job(JobPermission::Edit, Some(JobMembership::Reviewer)));
        assert!(!member.allows_on_job(JobPermission::Edit, None));
        assert!(member.allows_on_job(JobPermission::View, None));
        assert!(!member.allows_on_job(JobPermission::Review, None));
    }

    #[test]
    fn limited_team_member_reviews_assigned_jobs_and_edits_nothing() {
        let limited = StaffRole::LimitedTeamMember;

        assert!(limited.allows_on_job(JobPermission::Review, Some(JobMembership::Reviewer)));
        assert!(!limited.allows_on_job(JobPermission::View, None));
        for membership in [
            None,
            Some(JobMembership::Reviewer),
            Some(JobMembership::Owner),
        ] {
            assert!(!limited.allows_on_job(JobPermission::Edit, membership));
            assert!(!limited.allows_on_job(JobPermission::Decide, membership));
        }
    }

    #[test]
    fn admins_do_everything_on_every_job() {
        for role in [StaffRole::SuperAdmin, StaffRole::Admin] {
            for permission in [
                JobPermission::View,
                JobPermission::Review,
                JobPermission::Edit,
                JobPermission::Decide,
            ] {
                assert!(role.allows_on_job(permission, None));
            }
        }
    }
}
