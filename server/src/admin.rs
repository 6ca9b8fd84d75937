//! `tryout create-admin`: the first Super Admin of a new organization, for a fresh deployment.

use app::ssr::clock::{new_id, now_ms};
use app::ssr::crypto::random_token;
use app::ssr::db::connect_and_migrate;
use app::ssr::password::hash_password;

use crate::cli::CreateAdminArgs;
use crate::config::database_url;

pub async fn create_admin(args: CreateAdminArgs) -> anyhow::Result<()> {
    let email = args.email.trim().to_lowercase();
    anyhow::ensure!(
        email.contains('@'),
        "--email {email:?} is not an email address"
    );
    anyhow::ensure!(
        !args.organization.trim().is_empty(),
        "--organization must not be empty"
    );
    anyhow::ensure!(!args.name.trim().is_empty(), "--name must not be empty");

    let db = connect_and_migrate(&database_url(&args.database)?, 1).await?;
    let password = random_token()[..20].to_string();
    let password_hash = hash_password(password.clone())
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let now = now_ms();
    let organization_id = new_id();

    let mut transaction = db.begin().await?;
    sqlx::query("INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(&organization_id)
        .bind(args.organization.trim())
        .bind(now)
        .execute(&mut *transaction)
        .await?;
    sqlx::query(
        "INSERT INTO staff_users (id, organization_id, email, name, role, password_hash, active, created_at)
         VALUES ($1, $2, $3, $4, 'super_admin', $5, 1, $6)",
    )
    .bind(new_id())
    .bind(&organization_id)
    .bind(&email)
    .bind(args.name.trim())
    .bind(password_hash)
    .bind(now)
    .execute(&mut *transaction)
    .await
    .map_err(|error| match error {
        sqlx::Error::Database(database) if database.is_unique_violation() => {
            anyhow::anyhow!("a staff account with the email {email} already exists")
        }
        other => other.into(),
    })?;
    transaction.commit().await?;

    println!(
        "Created {} with Super Admin {email}.\nTemporary password: {password}",
        args.organization.trim()
    );
    Ok(())
}
