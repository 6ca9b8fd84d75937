//! The database pool and the one place where SQLite and PostgreSQL differ.
//!
//! Queries are runtime-checked strings with `$1` placeholders, which both backends accept
//! (sqlx's SQLite driver maps `$N` to the N-th argument). Timestamps are BIGINT UTC
//! milliseconds and booleans are BIGINT 0/1, so rows decode the same on both backends.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub type Db = AnyPool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    pub fn from_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("DATABASE_URL must start with sqlite: or postgres:, got a URL starting with {0:?}")]
    UnsupportedScheme(String),
    #[error("PostgreSQL support is not built yet; use a sqlite: DATABASE_URL")]
    PostgresNotYetSupported,
    #[error("could not open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("could not apply migrations: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

/// Opens the pool and applies the embedded migrations.
pub async fn connect_and_migrate(url: &str, max_connections: u32) -> Result<Db, DbSetupError> {
    sqlx::any::install_default_drivers();

    let dialect = Dialect::from_url(url)
        .ok_or_else(|| DbSetupError::UnsupportedScheme(url.chars().take(12).collect()))?;
    if dialect == Dialect::Postgres {
        // TODO: add the PostgreSQL migrations and run the suite against both backends.
        return Err(DbSetupError::PostgresNotYetSupported);
    }

    let options = AnyConnectOptions::from_str(url).map_err(DbSetupError::Connect)?;

    let pool = AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(|connection, _meta| {
            Box::pin(async move {
                // WAL lets readers run beside the one writer. SQLite turns foreign keys off by
                // default. The busy timeout makes a second writer wait instead of failing.
                connection
                    .execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;")
                    .await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(DbSetupError::Connect)?;

    sqlx::migrate!("../migrations/sqlite")
        .run(&pool)
        .await
        .map_err(DbSetupError::Migrate)?;

    Ok(pool)
}

/// Converts a stored 0/1 flag.
pub fn flag(value: i64) -> bool {
    value != 0
}
