//! The database pool and the one place where SQLite and PostgreSQL differ.
//!
//! Queries are runtime-checked strings with `$1` placeholders, which both backends accept
//! (sqlx's SQLite driver maps `$N` to the N-th argument). Timestamps are BIGINT UTC
//! milliseconds and booleans are BIGINT 0/1, so rows decode the same on both backends.
//! What cannot be written once for both is a method of [`Dialect`]. A query that needs
//! such a clause gets it from the dialect instead of testing the backend itself.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

pub type Db = AnyPool;

/// Migrations per backend, embedded in the binary. Both directories hold the same versions.
static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

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

    /// Returns the dialect of an open pool, read from the URL it was opened with.
    pub fn of(db: &Db) -> Self {
        Self::from_url(db.connect_options().database_url.as_str()).unwrap_or(Self::Sqlite)
    }

    /// Returns the clause appended to a `SELECT` that picks rows to claim, so other
    /// processes skip the rows this transaction locked instead of waiting for them. SQLite has one writer at a time, so
    /// the claiming `UPDATE` is already exclusive there.
    pub fn skip_locked(self) -> &'static str {
        match self {
            Self::Sqlite => "",
            Self::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    /// Returns the clause appended to a `SELECT` that locks the rows it reads until the
    /// transaction ends, or `None` on SQLite, whose one writer already makes each
    /// conditional `UPDATE` exclusive (and where a read before a write in one transaction
    /// can fail with SQLITE_BUSY when another writer commits in between).
    pub fn row_lock(self) -> Option<&'static str> {
        match self {
            Self::Sqlite => None,
            Self::Postgres => Some(" FOR UPDATE"),
        }
    }

    /// Returns a statement that takes the lock named by `$1` until its transaction ends,
    /// held against every process on the database. SQLite deployments run one process,
    /// whose in-process locks already serialize the work, so SQLite has none.
    fn named_lock(self) -> Option<&'static str> {
        match self {
            Self::Sqlite => None,
            // The outer SELECT gives the row a type the `Any` driver reads (the lock
            // function returns `void`). hashtext maps the name to the lock's integer key.
            Self::Postgres => {
                Some("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext($1))) AS held")
            }
        }
    }

    fn migrator(self) -> &'static Migrator {
        match self {
            Self::Sqlite => &SQLITE_MIGRATIONS,
            Self::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// Connections opened when the configuration names no number. SQLite has one writer,
    /// so a few connections serve its readers; PostgreSQL serves many at once.
    pub fn default_max_connections(self) -> u32 {
        match self {
            Self::Sqlite => 8,
            Self::Postgres => 16,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    // Only the scheme is shown: the rest of the URL may contain a password.
    #[error("DATABASE_URL must start with sqlite: or postgres:, got the scheme {0:?}")]
    UnsupportedScheme(String),
    #[error("could not open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("could not apply migrations: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

/// Opens the pool and applies the embedded migrations of the URL's backend. Several
/// processes may start at once: sqlx holds an advisory lock on PostgreSQL while migrating.
pub async fn connect_and_migrate(
    url: &str,
    max_connections: Option<u32>,
) -> Result<Db, DbSetupError> {
    sqlx::any::install_default_drivers();

    let dialect = Dialect::from_url(url).ok_or_else(|| {
        DbSetupError::UnsupportedScheme(url.split(':').next().unwrap_or_default().to_owned())
    })?;
    let options = AnyConnectOptions::from_str(url).map_err(DbSetupError::Connect)?;

    let pool = AnyPoolOptions::new()
        .max_connections(max_connections.unwrap_or_else(|| dialect.default_max_connections()))
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |connection, _meta| {
            Box::pin(async move {
                if dialect == Dialect::Sqlite {
                    // WAL lets readers run beside the one writer. SQLite turns foreign keys
                    // off by default. The busy timeout makes a second writer wait instead of failing.
                    connection
                        .execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;")
                        .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(DbSetupError::Connect)?;

    dialect
        .migrator()
        .run(&pool)
        .await
        .map_err(DbSetupError::Migrate)?;

    Ok(pool)
}

/// Holds a lock named `name` against other processes until the returned guard is dropped
/// (which rolls its transaction back and releases the lock). On SQLite the guard is empty.
/// The lock lives on its own connection, so the holder keeps using the pool as usual.
pub async fn hold_named_lock(
    db: &Db,
    name: &str,
) -> Result<Option<sqlx::Transaction<'static, sqlx::Any>>, sqlx::Error> {
    let Some(sql) = Dialect::of(db).named_lock() else {
        return Ok(None);
    };

    let mut transaction = db.begin().await?;
    sqlx::query(sql)
        .bind(name)
        .execute(&mut *transaction)
        .await?;
    Ok(Some(transaction))
}

/// Converts a stored 0/1 flag.
pub fn flag(value: i64) -> bool {
    value != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions(migrator: &Migrator) -> Vec<(i64, String)> {
        migrator
            .iter()
            .map(|migration| (migration.version, migration.description.to_string()))
            .collect()
    }

    #[test]
    fn both_backends_have_the_same_migrations() {
        let sqlite = versions(&SQLITE_MIGRATIONS);
        assert!(!sqlite.is_empty());
        assert_eq!(
            sqlite,
            versions(&POSTGRES_MIGRATIONS),
            "add each migration to migrations/sqlite and migrations/postgres"
        );
    }

    #[test]
    fn dialect_follows_the_url_scheme() {
        assert_eq!(
            Dialect::from_url("sqlite://data/tryout.db?mode=rwc"),
            Some(Dialect::Sqlite)
        );
        assert_eq!(
            Dialect::from_url("postgres://tryout@db/tryout"),
            Some(Dialect::Postgres)
        );
        assert_eq!(
            Dialect::from_url("postgresql://tryout@db/tryout"),
            Some(Dialect::Postgres)
        );
        assert_eq!(Dialect::from_url("mysql://root@db/tryout"), None);
    }
}
