//! The Lever account the demo's simulator holds: Northwind Labs' pipeline stages, archive
//! reasons, the people who can sign in to Lever, a posting, and candidates waiting in the
//! assessment stage.

use lever::simulator::{Seed, SimUser};
use lever::types::{
    ArchiveReason, Opportunity, Posting, PostingCategories, PostingContent, Stage, User,
};

pub const CLIENT_ID: &str = "tryout-demo";

/// Stage in which Lever puts candidates who should take Tryout's assessment.
pub const INVITE_STAGE_ID: &str = "5f0d9c1e-2b7a-4c3e-9d41-7a2b8c6e0101";
/// Stage a passing candidate moves to.
pub const PASS_STAGE_ID: &str = "5f0d9c1e-2b7a-4c3e-9d41-7a2b8c6e0102";
/// The archive reason for a candidate who fails the screening quiz.
pub const FAIL_ARCHIVE_REASON_ID: &str = "8c2e4a61-3d5f-4b7a-a9c0-1e2f3a4b0202";
pub const POSTING_ID: &str = "1a7e3c55-9b2d-4f60-8e14-3c5d7e9f0a01";
/// A posting no Tryout job uses yet, which the Jobs page offers to import.
pub const UNIMPORTED_POSTING_ID: &str = "1a7e3c55-9b2d-4f60-8e14-3c5d7e9f0a02";

/// The Lever Super Admin who approves the connection on the consent page.
pub const LEVER_SUPER_ADMIN_EMAIL: &str = "morgan.lee@northwind.example";
pub const LEVER_SUPER_ADMIN_PASSWORD: &str = "lever-demo-password";

/// Candidates in the assessment stage: (opportunity id, name, email).
pub const CANDIDATES: [(&str, &str, &str); 3] = [
    (
        "0e4c7a92-6f13-4d8b-b5a2-9c1d3e5f7a01",
        "Priya Raman",
        "priya.raman@example.com",
    ),
    (
        "0e4c7a92-6f13-4d8b-b5a2-9c1d3e5f7a02",
        "Tomás Ortega",
        "tomas.ortega@example.com",
    ),
    (
        "0e4c7a92-6f13-4d8b-b5a2-9c1d3e5f7a03",
        "Aiko Tanaka",
        "aiko.tanaka@example.com",
    ),
];

pub fn seed() -> Seed {
    let stage = |id: &str, text: &str| Stage {
        id: id.into(),
        text: text.into(),
    };
    let reason = |id: &str, text: &str, kind: &str| ArchiveReason {
        id: id.into(),
        text: text.into(),
        status: Some("active".into()),
        r#type: Some(kind.into()),
    };
    let user = |id: &str, name: &str, email: &str, role: &str| User {
        id: id.into(),
        name: name.into(),
        email: Some(email.into()),
        access_role: Some(role.into()),
        deactivated_at: None,
    };

    Seed {
        // Lever's built-in stages have readable ids; stages a customer adds have UUIDs.
        stages: vec![
            stage("lead-new", "New lead"),
            stage("applicant-new", "New applicant"),
            stage(INVITE_STAGE_ID, "Tryout assessment"),
            stage(PASS_STAGE_ID, "Phone screen"),
            stage("5f0d9c1e-2b7a-4c3e-9d41-7a2b8c6e0103", "On-site interview"),
            stage("offer", "Offer"),
        ],
        archive_reasons: vec![
            reason("8c2e4a61-3d5f-4b7a-a9c0-1e2f3a4b0201", "Hired", "hired"),
            reason(
                FAIL_ARCHIVE_REASON_ID,
                "Did not pass screening",
                "non-hired",
            ),
            reason(
                "8c2e4a61-3d5f-4b7a-a9c0-1e2f3a4b0203",
                "Withdrew",
                "non-hired",
            ),
        ],
        users: vec![
            SimUser {
                user: user(
                    "b3d1f2a4-5c6e-4f70-8192-a3b4c5d6e701",
                    "Morgan Lee",
                    LEVER_SUPER_ADMIN_EMAIL,
                    "super admin",
                ),
                password: LEVER_SUPER_ADMIN_PASSWORD.into(),
            },
            SimUser {
                user: user(
                    "b3d1f2a4-5c6e-4f70-8192-a3b4c5d6e702",
                    "Jamie Park",
                    "jamie.park@northwind.example",
                    "team member",
                ),
                password: LEVER_SUPER_ADMIN_PASSWORD.into(),
            },
        ],
        postings: vec![
            Posting {
                id: POSTING_ID.into(),
                text: "Backend Engineer".into(),
                state: Some("published".into()),
                categories: Some(PostingCategories {
                    team: Some("Platform".into()),
                    department: Some("Engineering".into()),
                    location: Some("Remote (Europe)".into()),
                    commitment: Some("Full-time".into()),
                }),
                content: Some(description(
                    "Build and run the services that move millions of parcels a day.",
                )),
            },
            Posting {
                id: UNIMPORTED_POSTING_ID.into(),
                text: "Product Designer".into(),
                state: Some("published".into()),
                categories: Some(PostingCategories {
                    team: Some("Design".into()),
                    department: Some("Product".into()),
                    location: Some("Berlin".into()),
                    commitment: Some("Full-time".into()),
                }),
                content: Some(description(
                    "Design the tools our couriers and customers use every day, from research to release.",
                )),
            },
        ],
        opportunities: CANDIDATES
            .iter()
            .map(|(id, name, email)| invited_opportunity(id, name, email))
            .collect(),
    }
}

/// Builds a posting's content with `text` as its plain and HTML description.
fn description(text: &str) -> PostingContent {
    PostingContent {
        description: Some(text.into()),
        description_html: Some(format!("<div>{text}</div>")),
    }
}

/// Builds an opportunity for the demo posting, waiting in the stage that invites to Tryout.
pub fn invited_opportunity(id: &str, name: &str, email: &str) -> Opportunity {
    let now = chrono::Utc::now().timestamp_millis();
    Opportunity {
        id: id.into(),
        name: Some(name.into()),
        emails: vec![email.into()],
        stage: Some(INVITE_STAGE_ID.into()),
        applications: vec![POSTING_ID.into()],
        created_at: Some(now),
        updated_at: Some(now),
        last_advanced_at: Some(now),
        ..Opportunity::default()
    }
}
