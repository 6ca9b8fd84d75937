//! The operator commands on each backend: `tryout migrate` applies the migrations (twice
//! without harm) and `tryout create-admin` creates one Super Admin per email.

use std::process::Output;

use app::ssr::db::connect_and_migrate;
use server::config::sqlite_url;
use tokio::process::Command;

use crate::helpers::PostgresDatabase;

async fn tryout(database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tryout"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_BACKTRACE", "0")
        .output()
        .await
        .expect("the tryout binary starts")
}

async fn migrate_then_create_admin(database_url: &str) {
    for run in ["first", "second"] {
        let migrated = tryout(database_url, &["migrate"]).await;
        assert!(
            migrated.status.success(),
            "{run} migrate failed: {}",
            String::from_utf8_lossy(&migrated.stderr)
        );
    }

    let admin = [
        "create-admin",
        "--organization",
        "Acme",
        "--email",
        "Ada@Acme.example",
        "--name",
        "Ada Lovelace",
    ];
    let created = tryout(database_url, &admin).await;
    assert!(
        created.status.success(),
        "create-admin failed: {}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert!(String::from_utf8_lossy(&created.stdout).contains("ada@acme.example"));

    let again = tryout(database_url, &admin).await;
    assert!(
        !again.status.success(),
        "a second admin with the same email was created"
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    let db = connect_and_migrate(database_url, Some(1)).await.unwrap();
    let admins: Vec<(String, String)> = sqlx::query_as("SELECT email, role FROM staff_users")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(
        admins,
        vec![("ada@acme.example".to_string(), "super_admin".to_string())]
    );
}

mod migrate_then_create_admin {
    use super::*;

    #[tokio::test]
    async fn sqlite() {
        let data = tempfile::tempdir().unwrap();
        super::migrate_then_create_admin(&sqlite_url(&data.path().join("tryout.db"))).await;
    }

    #[tokio::test]
    async fn postgres() {
        let database = PostgresDatabase::create().await;
        super::migrate_then_create_admin(&database.url).await;
    }
}
