//! The signed-in staff member's own account: their display name and their password. Every
//! staff role may change its own, and only its own. An Admin manages other people on the
//! Staff page.

use leptos::prelude::*;

use crate::error::AppError;

/// Renames the caller. The name shows in the header, on the Staff page and in new audit
/// entries. Earlier audit entries keep the name they were recorded with.
#[server(prefix = "/api", endpoint = "rename_self")]
pub async fn rename_self(name: String) -> Result<(), AppError> {
    use crate::ssr::authz::require_staff;
    use crate::ssr::state::app_state;

    super::with_status(
        async {
            let staff = require_staff().await?;
            let state = app_state()?;

            let name = name.trim().to_owned();
            if name.is_empty() || name.chars().count() > 200 {
                return Err(AppError::invalid(
                    "name",
                    "Enter a name of 1 to 200 characters.",
                ));
            }

            sqlx::query("UPDATE staff_users SET name = $1 WHERE id = $2 AND organization_id = $3")
                .bind(&name)
                .bind(&staff.staff_user_id)
                .bind(&staff.organization_id)
                .execute(&state.db)
                .await?;
            tracing::info!(staff_user.id = %staff.staff_user_id, "staff member renamed themselves");
            Ok(())
        }
        .await,
    )
}

/// Changes the caller's password after checking their current one, and ends their other
/// sessions, so anyone who knew the old password is signed out. This session stays.
///
/// A wrong current password counts as a failed sign-in of the account, so a stolen session
/// cannot be used to guess the password faster than the sign-in page allows.
#[server(prefix = "/api", endpoint = "change_own_password")]
pub async fn change_own_password(
    current_password: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use super::account::new_password_hash;
    use crate::ssr::authz::require_staff;
    use crate::ssr::password::verify_password;
    use crate::ssr::state::app_state;
    use crate::ssr::throttle::{self, ACCOUNT_FAILURES, LOCKED_MESSAGE};

    super::with_status(
        async {
            let staff = require_staff().await?;
            let state = app_state()?;
            let account_key = throttle::account_key(&staff.email);

            if throttle::is_locked(&state.db, &[&account_key]).await? {
                return Err(AppError::TooManyRequests(LOCKED_MESSAGE.into()));
            }
            let stored_hash: Option<String> = sqlx::query_scalar(
                "SELECT password_hash FROM staff_users WHERE id = $1 AND organization_id = $2",
            )
            .bind(&staff.staff_user_id)
            .bind(&staff.organization_id)
            .fetch_one(&state.db)
            .await?;
            if !verify_password(current_password, stored_hash).await {
                throttle::count_event(&state.db, &account_key, ACCOUNT_FAILURES).await?;
                tracing::info!(staff_user.id = %staff.staff_user_id, "own password change with a wrong current password");
                return Err(AppError::invalid(
                    "current_password",
                    "That is not your current password. If you signed in with a link and never chose one, use Forgot your password on the sign-in page.",
                ));
            }
            let password_hash = new_password_hash(password, &password_confirm).await?;

            let mut transaction = state.db.begin().await?;
            sqlx::query("UPDATE staff_users SET password_hash = $1 WHERE id = $2 AND organization_id = $3")
                .bind(&password_hash)
                .bind(&staff.staff_user_id)
                .bind(&staff.organization_id)
                .execute(&mut *transaction)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE staff_user_id = $1 AND id_hash <> $2")
                .bind(&staff.staff_user_id)
                .bind(&staff.session_id_hash)
                .execute(&mut *transaction)
                .await?;
            transaction.commit().await?;

            throttle::clear(&state.db, &account_key).await?;
            tracing::info!(staff_user.id = %staff.staff_user_id, "staff member changed their password");
            Ok(())
        }
        .await,
    )
}
