//! A small Lever account for demos and tests: stages, archive reasons,
//! two people who can sign in, two postings and six candidates.

use std::time::{SystemTime, UNIX_EPOCH};

use super::config::{Seed, SimUser};
use crate::types::{
    ArchiveReason, Opportunity, OpportunityUrls, Posting, PostingCategories, Stage, User,
};

/// Stage id of the demo's assessment stage.
pub const DEMO_ASSESSMENT_STAGE_ID: &str = "8f1c2a8e-5b0d-4c55-9f63-2d0a7d5c1a01";
/// Email and password of the demo's Super Admin.
pub const DEMO_ADMIN_EMAIL: &str = "admin@example.com";
pub const DEMO_ADMIN_PASSWORD: &str = "demo-password";
/// Email and password of a demo team member, who cannot authorize apps.
pub const DEMO_MEMBER_EMAIL: &str = "member@example.com";
pub const DEMO_MEMBER_PASSWORD: &str = "demo-password";

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

impl Seed {
    /// Builds the demo account. Timestamps are relative to now, so the
    /// candidates look recent whenever the demo starts.
    pub fn demo() -> Self {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|elapsed| elapsed.as_millis() as i64)
            .unwrap_or_default();

        Seed {
            stages: demo_stages(),
            archive_reasons: demo_archive_reasons(),
            users: demo_users(now),
            postings: demo_postings(),
            opportunities: demo_opportunities(now),
        }
    }
}

fn stage(id: &str, text: &str) -> Stage {
    Stage {
        id: id.to_string(),
        text: text.to_string(),
    }
}

fn demo_stages() -> Vec<Stage> {
    // Built-in Lever stages have readable ids; stages an account adds have UUIDs.
    vec![
        stage("lead-new", "New lead"),
        stage("lead-reached-out", "Reached out"),
        stage("applicant-new", "New applicant"),
        stage(DEMO_ASSESSMENT_STAGE_ID, "Assessment"),
        stage("8f1c2a8e-5b0d-4c55-9f63-2d0a7d5c1a02", "Phone screen"),
        stage("8f1c2a8e-5b0d-4c55-9f63-2d0a7d5c1a03", "On-site interview"),
        stage("offer", "Offer"),
    ]
}

fn reason(id: &str, text: &str, status: &str, kind: &str) -> ArchiveReason {
    ArchiveReason {
        id: id.to_string(),
        text: text.to_string(),
        status: Some(status.to_string()),
        r#type: Some(kind.to_string()),
    }
}

fn demo_archive_reasons() -> Vec<ArchiveReason> {
    vec![
        reason(
            "0b6e1f4a-7c2d-4e59-8a10-5f3b9c2e7d01",
            "Hired",
            "active",
            "hired",
        ),
        reason(
            "0b6e1f4a-7c2d-4e59-8a10-5f3b9c2e7d02",
            "Did not pass assessment",
            "active",
            "non-hired",
        ),
        reason(
            "0b6e1f4a-7c2d-4e59-8a10-5f3b9c2e7d03",
            "Withdrew",
            "active",
            "non-hired",
        ),
        reason(
            "0b6e1f4a-7c2d-4e59-8a10-5f3b9c2e7d04",
            "Position filled (old)",
            "inactive",
            "non-hired",
        ),
    ]
}

fn demo_users(now: i64) -> Vec<SimUser> {
    let person =
        |id: &str, name: &str, email: &str, role: &str, deactivated_at: Option<i64>| User {
            id: id.to_string(),
            name: name.to_string(),
            email: Some(email.to_string()),
            access_role: Some(role.to_string()),
            deactivated_at,
        };

    vec![
        SimUser {
            user: person(
                "e0a9f3e3-bd9b-4eb1-8d2c-0d9a572bf641",
                "Sam Admin",
                DEMO_ADMIN_EMAIL,
                "super admin",
                None,
            ),
            password: DEMO_ADMIN_PASSWORD.to_string(),
        },
        SimUser {
            user: person(
                "2c713392-d0e4-4355-8673-378d6a851cb8",
                "Terry Member",
                DEMO_MEMBER_EMAIL,
                "team member",
                None,
            ),
            password: DEMO_MEMBER_PASSWORD.to_string(),
        },
        SimUser {
            user: person(
                "7d3f0c1e-9a4b-4f2e-b6d8-1c5e2a9f3b77",
                "Former Recruiter",
                "former@example.com",
                "admin",
                Some(now - 30 * DAY_MS),
            ),
            password: "demo-password".to_string(),
        },
    ]
}

fn demo_postings() -> Vec<Posting> {
    let posting = |id: &str, text: &str, team: &str| Posting {
        id: id.to_string(),
        text: text.to_string(),
        state: Some("published".to_string()),
        categories: Some(PostingCategories {
            team: Some(team.to_string()),
            department: Some("Engineering".to_string()),
            location: Some("Remote".to_string()),
            commitment: Some("Full-time".to_string()),
        }),
    };

    vec![
        posting(
            "5a0f2d7e-3c1b-4e8a-9d6f-0b2c4e6a8d01",
            "Backend Engineer",
            "Platform",
        ),
        posting(
            "5a0f2d7e-3c1b-4e8a-9d6f-0b2c4e6a8d02",
            "Frontend Engineer",
            "Product",
        ),
    ]
}

fn demo_opportunities(now: i64) -> Vec<Opportunity> {
    let candidates = [
        (
            "Ada Example",
            "ada@example.com",
            DEMO_ASSESSMENT_STAGE_ID,
            0,
            2,
        ),
        (
            "Ben Example",
            "ben@example.com",
            DEMO_ASSESSMENT_STAGE_ID,
            1,
            3,
        ),
        ("Chloe Example", "chloe@example.com", "applicant-new", 0, 5),
        ("Dev Example", "dev@example.com", "lead-new", 1, 6),
        (
            "Eli Example",
            "eli@example.com",
            "8f1c2a8e-5b0d-4c55-9f63-2d0a7d5c1a02",
            0,
            9,
        ),
        ("Fay Example", "fay@example.com", "applicant-new", 1, 12),
    ];
    let postings = demo_postings();

    candidates
        .iter()
        .enumerate()
        .map(
            |(index, (name, email, stage_id, posting_index, days_ago))| {
                let id = format!("3e9b7c10-4f2a-4d6b-8e1c-9a7f5b3d2c{:02}", index + 1);
                let created_at = now - days_ago * DAY_MS;

                Opportunity {
                    id: id.clone(),
                    name: Some(name.to_string()),
                    contact: Some(format!(
                        "c4d8e2f0-1a3b-4c5d-9e7f-6a8b0c2d4e{:02}",
                        index + 1
                    )),
                    emails: vec![email.to_string()],
                    stage: Some(stage_id.to_string()),
                    archived: None,
                    tags: vec!["demo".to_string()],
                    created_at: Some(created_at),
                    updated_at: Some(created_at + DAY_MS / 2),
                    last_advanced_at: Some(created_at + DAY_MS / 2),
                    applications: vec![postings[*posting_index].id.clone()],
                    urls: Some(OpportunityUrls {
                        list: Some("https://hire.sandbox.lever.co/candidates".to_string()),
                        show: Some(format!("https://hire.sandbox.lever.co/candidates/{id}")),
                    }),
                }
            },
        )
        .collect()
}
