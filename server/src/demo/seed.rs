//! Writes the demo organization into the database. It gets a Super Admin, a Team Member, the
//! role with its steps and quiz, mapped to the simulator's Lever account, and a second role
//! still in draft, which the Team Member owns. Each candidate waiting in the invite stage gets
//! an application with a personal link.

use anyhow::Context;
use app::ssr::clock::{new_id, now_ms};
use app::ssr::crypto::{hash_token, random_token};
use app::ssr::db::Db;
use app::ssr::password::hash_password;
use serde::Serialize;
use url::Url;

use super::lever_account::{self, CANDIDATES};
use super::role;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Sign-ins and links the demo prints, and writes as JSON for the browser tests.
#[derive(Debug, Serialize)]
pub struct DemoCredentials {
    pub url: String,
    pub admin: SignIn,
    pub team_member: SignIn,
    pub lever: LeverDemo,
    pub candidates: Vec<CandidateLink>,
    /// Ids that [`add_candidates`] needs to invite more candidates; not printed.
    #[serde(skip)]
    pub organization_id: String,
    #[serde(skip)]
    pub role_id: String,
    /// The draft role, owned by the Team Member.
    #[serde(skip)]
    pub draft_role_id: String,
    #[serde(skip)]
    pub team_member_id: String,
}

#[derive(Debug, Serialize)]
pub struct SignIn {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize)]
pub struct LeverDemo {
    pub simulator_url: String,
    pub super_admin: SignIn,
    pub invite_stage_id: String,
    pub pass_stage_id: String,
    pub fail_archive_reason_id: String,
    /// The Lever posting the demo role is linked to; only its candidates are invited.
    pub posting_id: String,
}

#[derive(Debug, Serialize)]
pub struct CandidateLink {
    pub name: String,
    pub email: String,
    pub opportunity_id: String,
    pub link: String,
}

impl DemoCredentials {
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "\nTryout demo is running at {url}\n\n\
             Sign in as the Super Admin:  {} / {}\n\
             or as a Team Member:         {} / {}\n\n\
             On the Jobs page, click \"Connect your ATS\", pick Lever, and sign in to the\n\
             Lever simulator as {} / {} to approve the connection.\n\n\
             Candidate links (one per candidate in Lever's \"Tryout assessment\" stage):\n",
            self.admin.email,
            self.admin.password,
            self.team_member.email,
            self.team_member.password,
            self.lever.super_admin.email,
            self.lever.super_admin.password,
            url = self.url,
        );
        for candidate in &self.candidates {
            text.push_str(&format!("  {:<14} {}\n", candidate.name, candidate.link));
        }
        text.push_str(&format!(
            "\nEmails are not delivered: Admins read each one in the mailbox, {url}mailbox\n\n\
             To watch Lever invite a candidate: switch on \"Candidate stage change\" in the\n\
             simulator's webhook settings, {sim}/settings/webhooks, add a candidate to Lever,\n\
             then move them into the invite stage (ID is the \"id\" the first command prints):\n\
             \x20 curl -s {sim}/_sim/opportunities -H 'content-type: application/json' -d '{{\"name\": \"Sam Lee\", \"emails\": [\"sam@example.com\"], \"stage\": \"applicant-new\", \"postings\": [\"{posting}\"]}}'\n\
             \x20 curl -s {sim}/_sim/opportunities/ID/stage -H 'content-type: application/json' -d '{{\"stage\": \"{stage}\"}}'\n\
             The invitation reaches the mailbox within seconds; with the switch off, the next\n\
             poll of Lever (every 20 seconds in the demo) finds the candidate.\n\n\
             What Lever holds: {sim}/_sim/state\nStop with Ctrl-C.\n",
            sim = self.lever.simulator_url,
            stage = self.lever.invite_stage_id,
            posting = self.lever.posting_id,
            url = self.url,
        ));
        text
    }
}

/// Seeds one organization. `slug` names it ("northwind" gives Northwind Labs and staff
/// emails at northwind.example), so tests can seed several organizations side by side.
pub async fn seed(
    db: &Db,
    public_url: &Url,
    simulator_url: &Url,
    slug: &str,
) -> anyhow::Result<DemoCredentials> {
    let now = now_ms();
    let organization_id = new_id();
    let organization_name = format!("{}{} Labs", slug[..1].to_uppercase(), &slug[1..]);
    sqlx::query("INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(&organization_id)
        .bind(&organization_name)
        .bind(now)
        .execute(db)
        .await?;

    let admin = SignIn {
        email: format!("alex.rivera@{slug}.example"),
        password: random_token()[..16].to_string(),
    };
    let member = SignIn {
        email: format!("sam.okafor@{slug}.example"),
        password: random_token()[..16].to_string(),
    };
    let team_member_id = new_id();
    for (id, account, name, role) in [
        (new_id(), &admin, "Alex Rivera", "super_admin"),
        (team_member_id.clone(), &member, "Sam Okafor", "team_member"),
    ] {
        sqlx::query(
            "INSERT INTO staff_users (id, organization_id, email, name, role, password_hash, active, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7)",
        )
        .bind(id)
        .bind(&organization_id)
        .bind(&account.email)
        .bind(name)
        .bind(role)
        .bind(hash_password(account.password.clone()).await.map_err(|error| anyhow::anyhow!("{error}"))?)
        .bind(now)
        .execute(db)
        .await?;
    }

    let role_id = insert_role(db, &organization_id, now)
        .await
        .context("seeding the demo role")?;
    let draft_role_id = insert_draft_role(db, &organization_id, now)
        .await
        .context("seeding the draft role")?;
    sqlx::query(
        "INSERT INTO role_members (organization_id, role_id, staff_user_id, membership, added_at)
         VALUES ($1, $2, $3, 'owner', $4)",
    )
    .bind(&organization_id)
    .bind(&draft_role_id)
    .bind(&team_member_id)
    .bind(now)
    .execute(db)
    .await?;
    let demo_candidates: Vec<CandidateSeed> = CANDIDATES
        .iter()
        .map(|(opportunity_id, name, email)| CandidateSeed::new(opportunity_id, name, email))
        .collect();
    let candidates =
        add_candidates(db, &organization_id, &role_id, public_url, &demo_candidates).await?;

    Ok(DemoCredentials {
        url: public_url.to_string(),
        admin,
        team_member: member,
        lever: LeverDemo {
            simulator_url: simulator_url.to_string().trim_end_matches('/').to_string(),
            super_admin: SignIn {
                email: lever_account::LEVER_SUPER_ADMIN_EMAIL.into(),
                password: lever_account::LEVER_SUPER_ADMIN_PASSWORD.into(),
            },
            invite_stage_id: lever_account::INVITE_STAGE_ID.into(),
            pass_stage_id: lever_account::PASS_STAGE_ID.into(),
            fail_archive_reason_id: lever_account::FAIL_ARCHIVE_REASON_ID.into(),
            posting_id: lever_account::POSTING_ID.into(),
        },
        candidates,
        organization_id,
        role_id,
        draft_role_id,
        team_member_id,
    })
}

/// A candidate waiting in Lever's invite stage: their opportunity, name and email.
#[derive(Debug, Clone)]
pub struct CandidateSeed {
    pub opportunity_id: String,
    pub name: String,
    pub email: String,
}

impl CandidateSeed {
    pub fn new(opportunity_id: &str, name: &str, email: &str) -> Self {
        Self {
            opportunity_id: opportunity_id.into(),
            name: name.into(),
            email: email.into(),
        }
    }
}

/// Invites candidates to the role: each gets an application and a personal link.
pub async fn add_candidates(
    db: &Db,
    organization_id: &str,
    role_id: &str,
    public_url: &Url,
    candidates: &[CandidateSeed],
) -> anyhow::Result<Vec<CandidateLink>> {
    let now = now_ms();
    let mut links = Vec::with_capacity(candidates.len());
    let mut transaction = db.begin().await?;

    for candidate in candidates {
        let candidate_id = new_id();
        sqlx::query("INSERT INTO candidates (id, organization_id, name, email, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&candidate_id)
            .bind(organization_id)
            .bind(&candidate.name)
            .bind(&candidate.email)
            .bind(now)
            .execute(&mut *transaction)
            .await?;

        let token = random_token();
        sqlx::query(
            "INSERT INTO applications (id, organization_id, role_id, candidate_id, lever_opportunity_id, link_token_hash,
                                       status, invited_at, deadline_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'invited', $7, $8)",
        )
        .bind(new_id())
        .bind(organization_id)
        .bind(role_id)
        .bind(&candidate_id)
        .bind(&candidate.opportunity_id)
        .bind(hash_token(&token))
        .bind(now)
        .bind(now + role::DEADLINE_DAYS * DAY_MS)
        .execute(&mut *transaction)
        .await?;

        links.push(CandidateLink {
            name: candidate.name.clone(),
            email: candidate.email.clone(),
            opportunity_id: candidate.opportunity_id.clone(),
            link: public_url.join(&format!("c/{token}"))?.to_string(),
        });
    }

    transaction.commit().await?;
    Ok(links)
}

async fn insert_role(db: &Db, organization_id: &str, now: i64) -> anyhow::Result<String> {
    let mut transaction = db.begin().await?;
    let role_id = new_id();
    sqlx::query(
        "INSERT INTO roles (id, organization_id, title, team, location, intro_md, status, lever_posting_id,
                            invite_stage_id, pass_stage_id, fail_archive_reason_id, auto_decide, deadline_days,
                            created_at, updated_at)
         VALUES ($1, $2, $3, 'Platform', 'Remote (Europe)', $4, 'published', $5, $6, $7, $8, 1, $9, $10, $10)",
    )
    .bind(&role_id)
    .bind(organization_id)
    .bind(role::ROLE_TITLE)
    .bind(role::ROLE_INTRO)
    .bind(lever_account::POSTING_ID)
    .bind(lever_account::INVITE_STAGE_ID)
    .bind(lever_account::PASS_STAGE_ID)
    .bind(lever_account::FAIL_ARCHIVE_REASON_ID)
    .bind(role::DEADLINE_DAYS)
    .bind(now)
    .execute(&mut *transaction)
    .await?;

    let version_id = insert_version(
        &mut transaction,
        organization_id,
        &role_id,
        "published",
        now,
    )
    .await?;
    sqlx::query(
        "INSERT INTO steps (id, organization_id, role_id, version_id, position, kind, title, body_md, required)
         VALUES ($1, $2, $3, $4, 0, 'content', $5, $6, 1)",
    )
    .bind(new_id())
    .bind(organization_id)
    .bind(&role_id)
    .bind(&version_id)
    .bind(role::GUIDE_TITLE)
    .bind(role::GUIDE_BODY)
    .execute(&mut *transaction)
    .await?;

    let quiz_id = new_id();
    sqlx::query(
        "INSERT INTO steps (id, organization_id, role_id, version_id, position, kind, title, body_md, required,
                            time_limit_secs, pass_percent, shuffle_questions)
         VALUES ($1, $2, $3, $4, 1, 'quiz', $5, $6, 1, $7, $8, 1)",
    )
    .bind(&quiz_id)
    .bind(organization_id)
    .bind(&role_id)
    .bind(&version_id)
    .bind(role::QUIZ_TITLE)
    .bind(role::QUIZ_INSTRUCTIONS)
    .bind(role::QUIZ_TIME_LIMIT_SECS)
    .bind(role::QUIZ_PASS_PERCENT)
    .execute(&mut *transaction)
    .await?;

    for (position, question) in role::questions().into_iter().enumerate() {
        sqlx::query(
            "INSERT INTO quiz_questions (id, organization_id, step_id, position, kind, prompt, options_json, correct_json,
                                         points, knockout, max_length)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(new_id())
        .bind(organization_id)
        .bind(&quiz_id)
        .bind(position as i64)
        .bind(question.kind.as_str())
        .bind(question.prompt)
        .bind(serde_json::to_string(&role::options(question.options))?)
        .bind(question.key.to_json())
        .bind(question.points)
        .bind(i64::from(question.knockout))
        .bind(question.max_length)
        .execute(&mut *transaction)
        .await?;
    }

    transaction.commit().await?;
    Ok(role_id)
}

/// Inserts a role in draft with one guide step and no Lever mapping: the job a role owner
/// builds next.
async fn insert_draft_role(db: &Db, organization_id: &str, now: i64) -> anyhow::Result<String> {
    let mut transaction = db.begin().await?;
    let role_id = new_id();

    sqlx::query(
        "INSERT INTO roles (id, organization_id, title, team, location, intro_md, status, auto_decide,
                            created_at, updated_at)
         VALUES ($1, $2, $3, 'Customer Success', 'Lisbon', $4, 'draft', 1, $5, $5)",
    )
    .bind(&role_id)
    .bind(organization_id)
    .bind(role::DRAFT_ROLE_TITLE)
    .bind(role::DRAFT_ROLE_INTRO)
    .bind(now)
    .execute(&mut *transaction)
    .await?;

    let version_id =
        insert_version(&mut transaction, organization_id, &role_id, "draft", now).await?;
    sqlx::query(
        "INSERT INTO steps (id, organization_id, role_id, version_id, position, kind, title, body_md, required)
         VALUES ($1, $2, $3, $4, 0, 'content', $5, $6, 1)",
    )
    .bind(new_id())
    .bind(organization_id)
    .bind(&role_id)
    .bind(&version_id)
    .bind(role::GUIDE_TITLE)
    .bind(role::GUIDE_BODY)
    .execute(&mut *transaction)
    .await?;

    transaction.commit().await?;
    Ok(role_id)
}

/// Inserts version 1 of a role's portal with `status` ('published' or 'draft') and returns its id.
async fn insert_version(
    connection: &mut sqlx::AnyConnection,
    organization_id: &str,
    role_id: &str,
    status: &str,
    now: i64,
) -> anyhow::Result<String> {
    let version_id = new_id();
    sqlx::query(
        "INSERT INTO portal_versions (id, organization_id, role_id, number, status, created_at, published_at)
         VALUES ($1, $2, $3, 1, $4, $5, CASE WHEN $4 = 'published' THEN $5 END)",
    )
    .bind(&version_id)
    .bind(organization_id)
    .bind(role_id)
    .bind(status)
    .bind(now)
    .execute(&mut *connection)
    .await?;
    Ok(version_id)
}
