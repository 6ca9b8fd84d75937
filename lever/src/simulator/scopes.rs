//! The scopes Lever's authorization server accepts (Lever Data API docs,
//! section "Scopes"), and which scope each simulated endpoint requires.

/// Lever's scopes without the `:admin` suffix that each one carries.
const KNOWN_SCOPE_STEMS: &[&str] = &[
    "applications:read",
    "archive_reasons:read",
    "audit_events:read",
    "confidential:access",
    "contact:read",
    "contact:write",
    "diversity_surveys:read",
    "eeo_responses:read",
    "eeo_responses_pii:read",
    "feedback:read",
    "feedback:write",
    "feedback_templates:read",
    "feedback_templates:write",
    "files:read",
    "files:write",
    "forms:read",
    "forms:write",
    "form_templates:read",
    "form_templates:write",
    "groups:read",
    "groups:write",
    "interviews:read",
    "interviews:write",
    "notes:read",
    "notes:write",
    "offers:read",
    "opportunities:read",
    "opportunities:write",
    "panels:read",
    "panels:write",
    "permissions:read",
    "permissions:write",
    "postings:read",
    "postings:write",
    "referrals:read",
    "requisitions:read",
    "requisitions:write",
    "requisition_fields:read",
    "requisition_fields:write",
    "resumes:read",
    "roles:read",
    "roles:write",
    "sources:read",
    "stages:read",
    "tags:read",
    "tasks:read",
    "uploads:write",
    "users:read",
    "users:write",
    "webhooks:read",
    "webhooks:write",
];

/// Returns whether Lever has the scope `scope`: `offline_access`, or a known stem plus
/// `:admin`.
pub(crate) fn is_known_scope(scope: &str) -> bool {
    if scope == "offline_access" {
        return true;
    }

    scope
        .strip_suffix(":admin")
        .is_some_and(|stem| KNOWN_SCOPE_STEMS.contains(&stem))
}

/// Returns the scopes that allow reading `resource`: its read scope, or its write
/// scope, because Lever's write scopes mean "view and manage".
pub(crate) fn read_scopes(resource: &str) -> [String; 2] {
    [
        format!("{resource}:read:admin"),
        format!("{resource}:write:admin"),
    ]
}

/// Returns the scope that allows writing `resource`.
pub(crate) fn write_scopes(resource: &str) -> [String; 1] {
    [format!("{resource}:write:admin")]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::SCOPES;

    #[test]
    fn requested_scopes_known() {
        for (scope, _) in SCOPES {
            assert!(is_known_scope(scope), "{scope}");
        }
    }

    #[test]
    fn misspelled_scopes_unknown() {
        assert!(!is_known_scope("stage:read:admin"));
        assert!(!is_known_scope("stages:read"));
        assert!(!is_known_scope("stages:write:admin"));
    }
}
