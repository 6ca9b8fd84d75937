//! Inviting one Lever opportunity to one role: the candidate, their application with a fresh
//! personal link, and the invitation email, written in one transaction. A second call for the
//! same candidate and role changes nothing and sends no second email.

use app::ssr::clock::{new_id, now_ms};
use app::ssr::crypto::{hash_token, random_token};
use app::ssr::mail::{invitation_email, queue_email, NewEmail, INVITATION_KIND};
use app::ssr::state::AppState;
use chrono::{DateTime, Utc};
use lever::types::Opportunity;

use super::roles::InvitingRole;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The outcome of an invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invited {
    /// A new application, and an invitation email queued.
    New { application_id: String },
    /// The candidate already had an application for this role.
    Already,
    /// Lever has no email address for the opportunity, so the invitation cannot be sent.
    NoEmail,
}

/// Creates the application of `opportunity` for `role`, unless it exists.
pub async fn invite(
    state: &AppState,
    organization_id: &str,
    role: &InvitingRole,
    opportunity: &Opportunity,
) -> Result<Invited, sqlx::Error> {
    let Some(email) = opportunity
        .emails
        .iter()
        .map(|email| email.trim().to_lowercase())
        .find(|email| email.contains('@'))
    else {
        tracing::warn!(organization.id = %organization_id, role.id = %role.id, lever.opportunity_id = %opportunity.id,
            "opportunity entered the invite stage without an email address; no invitation sent");
        return Ok(Invited::NoEmail);
    };
    let name = opportunity
        .name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .unwrap_or("Candidate")
        .to_owned();
    let now = now_ms();

    let mut transaction = state.db.begin().await?;

    // The same person may already be a candidate through another role.
    sqlx::query(
        "INSERT INTO candidates (id, organization_id, name, email, lever_contact_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (organization_id, email) DO NOTHING",
    )
    .bind(new_id())
    .bind(organization_id)
    .bind(&name)
    .bind(&email)
    .bind(&opportunity.contact)
    .bind(now)
    .execute(&mut *transaction)
    .await?;
    let candidate_id: String =
        sqlx::query_scalar("SELECT id FROM candidates WHERE organization_id = $1 AND email = $2")
            .bind(organization_id)
            .bind(&email)
            .fetch_one(&mut *transaction)
            .await?;

    let application_id = new_id();
    let token = random_token();
    let deadline_at = role.deadline_days.map(|days| now + days * DAY_MS);
    let inserted = sqlx::query(
        "INSERT INTO applications (id, organization_id, role_id, candidate_id, lever_opportunity_id, link_token_hash,
                                   status, invited_at, deadline_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'invited', $7, $8)
         ON CONFLICT (organization_id, role_id, candidate_id) DO NOTHING",
    )
    .bind(&application_id)
    .bind(organization_id)
    .bind(&role.id)
    .bind(&candidate_id)
    .bind(&opportunity.id)
    .bind(hash_token(&token))
    .bind(now)
    .bind(deadline_at)
    .execute(&mut *transaction)
    .await?;
    if inserted.rows_affected() == 0 {
        transaction.rollback().await?;
        return Ok(Invited::Already);
    }

    let organization_name: String =
        sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
            .bind(organization_id)
            .fetch_one(&mut *transaction)
            .await?;
    let link = state
        .public_url
        .join(&format!("c/{token}"))
        .map_err(|error| sqlx::Error::Protocol(format!("building the portal link: {error}")))?;
    let deadline = deadline_at.and_then(DateTime::<Utc>::from_timestamp_millis);
    let (subject, body_text, body_html) = invitation_email(
        &organization_name,
        &role.title,
        &name,
        link.as_str(),
        deadline,
    );
    queue_email(
        &mut transaction,
        &NewEmail {
            organization_id: organization_id.to_owned(),
            application_id: Some(application_id.clone()),
            kind: INVITATION_KIND.into(),
            to_address: email,
            subject,
            body_text,
            body_html: Some(body_html),
        },
    )
    .await?;
    transaction.commit().await?;

    state.mail_wakeup.notify_one();
    tracing::info!(organization.id = %organization_id, role.id = %role.id, application.id = %application_id,
        lever.opportunity_id = %opportunity.id, "candidate invited from Lever");
    Ok(Invited::New { application_id })
}
