//! The OAuth scopes Tryout requests, with the text shown to the Super Admin
//! before they consent (scope names from the Lever Data API docs, section
//! "Scopes").

/// Every scope Tryout requests, with a plain-English description.
///
/// Lever describes `write` scopes as "view and manage", so they include
/// reading: `opportunities:write:admin` also reads opportunities.
pub const SCOPES: &[(&str, &str)] = &[
    (
        "offline_access",
        "Stay connected without asking you again, until a Super Admin revokes access in Lever.",
    ),
    (
        "opportunities:write:admin",
        "View candidates' opportunities, move them to another stage, and archive or unarchive them.",
    ),
    (
        "notes:write:admin",
        "View notes and add assessment results and scores as notes on candidates.",
    ),
    (
        "stages:read:admin",
        "View your pipeline stages, to choose the stage that sends an assessment.",
    ),
    (
        "archive_reasons:read:admin",
        "View archive reasons, to choose the one used for candidates who do not pass.",
    ),
    (
        "users:read:admin",
        "View Lever users, to record notes and stage changes under the user you choose.",
    ),
    (
        "postings:read:admin",
        "View job postings, to set up assessments per job.",
    ),
    (
        "webhooks:write:admin",
        "View and manage webhooks, so Tryout hears at once when a candidate enters a stage.",
    ),
];

/// Returns the description of a scope Tryout requests, or `None` for any
/// other scope.
pub fn scope_description(scope: &str) -> Option<&'static str> {
    SCOPES
        .iter()
        .find(|(name, _)| *name == scope)
        .map(|(_, description)| *description)
}
