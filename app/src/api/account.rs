//! Staff sign-in by one-time link: accepting an invitation, asking for and using a sign-in
//! link, and resetting a forgotten password. None of these needs a session. Each link works
//! once, and the responses never reveal whether an account uses an email.

use leptos::prelude::*;

use crate::error::AppError;

/// The response to every link request, whether or not an account uses the email.
pub const LINK_REQUESTED_MESSAGE: &str =
    "If an active account uses that email, a link is on its way. Check your inbox.";

/// Returns whether a link still works, without using it. `purpose` is `invitation`,
/// `sign_in` or `password_reset`.
#[server(prefix = "/api", endpoint = "check_staff_link")]
pub async fn check_staff_link(token: String, purpose: String) -> Result<bool, AppError> {
    use crate::ssr::staff_links::link_is_usable;
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let purpose = parse_purpose(&purpose)?;
            Ok(link_is_usable(&app_state()?.db, &token, purpose).await?)
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn parse_purpose(purpose: &str) -> Result<crate::ssr::staff_links::LinkPurpose, AppError> {
    use crate::ssr::staff_links::LinkPurpose;

    [
        LinkPurpose::Invitation,
        LinkPurpose::SignIn,
        LinkPurpose::PasswordReset,
    ]
    .into_iter()
    .find(|candidate| candidate.as_str() == purpose)
    .ok_or_else(|| AppError::invalid("purpose", "Unknown kind of link."))
}

/// Checks a new password and its confirmation, then hashes it (off the async runtime).
#[cfg(feature = "ssr")]
pub(crate) async fn new_password_hash(
    password: String,
    password_confirm: &str,
) -> Result<String, AppError> {
    use crate::ssr::password::{hash_password, MIN_PASSWORD_CHARS};

    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            "password",
            format!("Choose a password of at least {MIN_PASSWORD_CHARS} characters."),
        ));
    }
    if password != password_confirm {
        return Err(AppError::invalid(
            "password_confirm",
            "The two passwords differ. Type the same password twice.",
        ));
    }
    hash_password(password).await
}

/// Sets the first password of an invited colleague and signs them in.
#[server(prefix = "/api", endpoint = "accept_invitation")]
pub async fn accept_invitation(
    token: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use crate::ssr::staff_links::{consume_link, LinkPurpose};
    use crate::ssr::staff_sign_in::{start_session, SignedInAccount};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let state = app_state()?;
            let password_hash = new_password_hash(password, &password_confirm).await?;

            let mut transaction = state.db.begin().await?;
            let Some(owner) = consume_link(&mut transaction, &token, LinkPurpose::Invitation).await? else {
                return Err(AppError::Conflict(
                    "This invitation link has expired or was already used. Ask an Admin of your team to send a new one.".into(),
                ));
            };
            sqlx::query("UPDATE staff_users SET password_hash = $1 WHERE id = $2 AND organization_id = $3")
                .bind(&password_hash)
                .bind(&owner.staff_user_id)
                .bind(&owner.organization_id)
                .execute(&mut *transaction)
                .await?;
            transaction.commit().await?;

            tracing::info!(staff_user.id = %owner.staff_user_id, "staff invitation accepted");
            let account = SignedInAccount { staff_user_id: owner.staff_user_id, organization_id: owner.organization_id };
            start_session(&state, &account).await?;
            leptos_axum::redirect("/jobs");
            Ok(())
        }
        .await,
    )
}

/// Emails a one-time sign-in link, valid 15 minutes, to an active account using `email`.
#[server(prefix = "/api", endpoint = "request_sign_in_link")]
pub async fn request_sign_in_link(email: String) -> Result<String, AppError> {
    use crate::ssr::staff_links::LinkPurpose;

    super::with_status(send_link(email, LinkPurpose::SignIn).await)
}

/// Emails a password reset link, valid 1 hour, to an active account using `email`.
#[server(prefix = "/api", endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<String, AppError> {
    use crate::ssr::staff_links::LinkPurpose;

    super::with_status(send_link(email, LinkPurpose::PasswordReset).await)
}

/// Queues a link email for `email` unless no active account uses it or the requests for it
/// or from this client address are over their hourly limit. The response is the same in
/// every case, so it reveals nothing about the account.
#[cfg(feature = "ssr")]
async fn send_link(
    email: String,
    purpose: crate::ssr::staff_links::LinkPurpose,
) -> Result<String, AppError> {
    use crate::ssr::client_address::client_address;
    use crate::ssr::mail::{queue_email, staff_email, NewEmail, StaffEmail};
    use crate::ssr::staff_links::{issue_link, LinkPurpose};
    use crate::ssr::state::app_state;
    use crate::ssr::throttle::{self, ACCOUNT_LINK_REQUESTS, ADDRESS_LINK_REQUESTS};

    let state = app_state()?;
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Err(AppError::invalid(
            "email",
            "Enter the email you sign in with.",
        ));
    }

    let mut over_limit = false;
    if let Some(address) = client_address(state.trusted_proxy_header.as_ref()).await {
        let requests = throttle::count_event(
            &state.db,
            &throttle::link_address_key(address),
            ADDRESS_LINK_REQUESTS,
        )
        .await?;
        over_limit |= requests > ADDRESS_LINK_REQUESTS.max_events;
    }
    let requests = throttle::count_event(
        &state.db,
        &throttle::link_account_key(&email),
        ACCOUNT_LINK_REQUESTS,
    )
    .await?;
    over_limit |= requests > ACCOUNT_LINK_REQUESTS.max_events;
    if over_limit {
        tracing::info!(
            link.purpose = purpose.as_str(),
            "staff link request over its limit; no email sent"
        );
        return Ok(LINK_REQUESTED_MESSAGE.into());
    }

    let account: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.organization_id, u.name, o.name FROM staff_users u
         JOIN organizations o ON o.id = u.organization_id
         WHERE u.email = $1 AND u.active = 1",
    )
    .bind(&email)
    .fetch_optional(&state.db)
    .await?;
    let Some((staff_user_id, organization_id, name, organization_name)) = account else {
        return Ok(LINK_REQUESTED_MESSAGE.into());
    };

    let mut transaction = state.db.begin().await?;
    let token = issue_link(&mut transaction, &organization_id, &staff_user_id, purpose).await?;
    let link = format!("{}{}/{token}", state.public_url, purpose.path());
    let kind = match purpose {
        LinkPurpose::PasswordReset => StaffEmail::PasswordReset,
        _ => StaffEmail::SignInLink,
    };
    let (subject, body_text, body_html) = staff_email(&kind, &organization_name, &name, &link);
    queue_email(
        &mut transaction,
        &NewEmail {
            organization_id,
            application_id: None,
            kind: kind.kind().into(),
            to_address: email,
            subject,
            body_text,
            body_html: Some(body_html),
        },
    )
    .await?;
    transaction.commit().await?;

    state.mail_wakeup.notify_one();
    tracing::info!(staff_user.id = %staff_user_id, link.purpose = purpose.as_str(), "staff link sent");
    Ok(LINK_REQUESTED_MESSAGE.into())
}

/// Signs in with a one-time link. It is a POST from the link's page, never a GET, because
/// mail scanners open links in emails and would use it up.
#[server(prefix = "/api", endpoint = "use_sign_in_link")]
pub async fn use_sign_in_link(token: String) -> Result<(), AppError> {
    use crate::ssr::staff_links::{consume_link, LinkPurpose};
    use crate::ssr::staff_sign_in::{start_session, SignedInAccount};
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let state = app_state()?;

            let mut transaction = state.db.begin().await?;
            let Some(owner) = consume_link(&mut transaction, &token, LinkPurpose::SignIn).await?
            else {
                return Err(AppError::Conflict(
                    "This sign-in link has expired or was already used. Ask for a new one.".into(),
                ));
            };
            transaction.commit().await?;

            let account = SignedInAccount {
                staff_user_id: owner.staff_user_id,
                organization_id: owner.organization_id,
            };
            start_session(&state, &account).await?;
            leptos_axum::redirect("/jobs");
            Ok(())
        }
        .await,
    )
}

/// Sets a new password with a reset link, ends every other session of the person (anyone
/// who knew the old password is signed out), and signs them in.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(
    token: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use crate::ssr::staff_links::{consume_link, LinkPurpose};
    use crate::ssr::staff_sign_in::{start_session, SignedInAccount};
    use crate::ssr::state::app_state;
    use crate::ssr::throttle;

    super::with_status(
        async {
            let state = app_state()?;
            let password_hash = new_password_hash(password, &password_confirm).await?;

            let mut transaction = state.db.begin().await?;
            let Some(owner) =
                consume_link(&mut transaction, &token, LinkPurpose::PasswordReset).await?
            else {
                return Err(AppError::Conflict(
                    "This password reset link has expired or was already used. Ask for a new one."
                        .into(),
                ));
            };
            sqlx::query(
                "UPDATE staff_users SET password_hash = $1 WHERE id = $2 AND organization_id = $3",
            )
            .bind(&password_hash)
            .bind(&owner.staff_user_id)
            .bind(&owner.organization_id)
            .execute(&mut *transaction)
            .await?;
            sqlx::query("DELETE FROM sessions WHERE staff_user_id = $1")
                .bind(&owner.staff_user_id)
                .execute(&mut *transaction)
                .await?;
            let email: String = sqlx::query_scalar("SELECT email FROM staff_users WHERE id = $1")
                .bind(&owner.staff_user_id)
                .fetch_one(&mut *transaction)
                .await?;
            transaction.commit().await?;

            // The mailbox's owner proved it, so failed guesses no longer lock them out.
            throttle::clear(&state.db, &throttle::account_key(&email)).await?;
            tracing::info!(staff_user.id = %owner.staff_user_id, "staff password reset");
            let account = SignedInAccount {
                staff_user_id: owner.staff_user_id,
                organization_id: owner.organization_id,
            };
            start_session(&state, &account).await?;
            leptos_axum::redirect("/jobs");
            Ok(())
        }
        .await,
    )
}
