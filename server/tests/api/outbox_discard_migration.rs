//! The migration that allows discarded writes keeps the outbox's rows, its CHECK on status
//! and its indexes. On SQLite it rebuilds the table, so this is where data could get lost.

use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, Connection};

use crate::helpers::PostgresDatabase;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// Version of the migration under test.
const DISCARD_VERSION: i64 = 20261206000003;

/// id, status, attempts, last_error, sent_at of an outbox row.
type OutboxFacts = (String, String, i64, Option<String>, Option<i64>);

/// Applies every migration before the one under test, stores two writes, applies it, and
/// then checks the rows and the table's constraints.
async fn migration_keeps_outbox(url: &str, migrator: &Migrator) {
    sqlx::any::install_default_drivers();
    let mut connection = AnyConnection::connect(url).await.unwrap();
    for migration in migrator.iter().filter(|m| m.version < DISCARD_VERSION) {
        sqlx::raw_sql(&migration.sql)
            .execute(&mut connection)
            .await
            .unwrap_or_else(|error| panic!("migration {}: {error}", migration.version));
    }
    sqlx::raw_sql(
        "INSERT INTO organizations (id, name, created_at) VALUES ('org-1', 'Northwind Labs', 1);
         INSERT INTO outbox (id, organization_id, opportunity_id, kind, payload_json, marker, status, attempts,
                             next_attempt_at, last_error, created_at, sent_at)
         VALUES ('write-1', 'org-1', 'opp-1', 'note', '{}', 'marker-1', 'failed', 3, 10, 'HTTP 400', 5, NULL),
                ('write-2', 'org-1', 'opp-1', 'stage', '{}', 'marker-2', 'sent', 1, 20, NULL, 6, 30);",
    )
    .execute(&mut connection)
    .await
    .unwrap();

    let discard = migrator
        .iter()
        .find(|m| m.version == DISCARD_VERSION)
        .expect("the discard migration exists");
    sqlx::raw_sql(&discard.sql)
        .execute(&mut connection)
        .await
        .unwrap();

    let rows: Vec<OutboxFacts> =
        sqlx::query_as("SELECT id, status, attempts, last_error, sent_at FROM outbox ORDER BY id")
            .fetch_all(&mut connection)
            .await
            .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                "write-1".into(),
                "failed".into(),
                3,
                Some("HTTP 400".into()),
                None
            ),
            ("write-2".into(), "sent".into(), 1, None, Some(30)),
        ]
    );

    let discarded = sqlx::query(
        "UPDATE outbox SET status = 'discarded', discarded_at = 40 WHERE id = 'write-1'",
    )
    .execute(&mut connection)
    .await;
    assert!(
        discarded.is_ok(),
        "status discarded is allowed: {discarded:?}"
    );
    let unknown = sqlx::query("UPDATE outbox SET status = 'lost' WHERE id = 'write-2'")
        .execute(&mut connection)
        .await;
    assert!(unknown.is_err(), "the CHECK on status still holds");
    let duplicate_marker = sqlx::query(
        "INSERT INTO outbox (id, organization_id, opportunity_id, kind, payload_json, marker, next_attempt_at, created_at)
         VALUES ('write-3', 'org-1', 'opp-1', 'note', '{}', 'marker-1', 1, 1)",
    )
    .execute(&mut connection)
    .await;
    assert!(duplicate_marker.is_err(), "markers stay unique");
}

/// Returns the index names `sql` selects, sorted.
async fn outbox_index_names(connection: &mut AnyConnection, sql: &str) -> Vec<String> {
    let mut names: Vec<String> = sqlx::query_scalar(sql).fetch_all(connection).await.unwrap();
    names.sort();
    names
}

const EXPECTED_INDEXES: [&str; 5] = [
    "outbox_due",
    "outbox_opportunity",
    "outbox_organization",
    "outbox_organization_status",
    "outbox_pending",
];

#[tokio::test]
async fn sqlite_rebuild_keeps_rows_and_indexes() {
    let directory = tempfile::tempdir().unwrap();
    let url = server::config::sqlite_url(&directory.path().join("migrate.db"));

    migration_keeps_outbox(&url, &SQLITE_MIGRATIONS).await;

    let mut connection = AnyConnection::connect(&url).await.unwrap();
    let indexes = outbox_index_names(
        &mut connection,
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND sql IS NOT NULL",
    )
    .await;
    assert_eq!(indexes, EXPECTED_INDEXES);
}

#[tokio::test]
async fn postgres_migration_keeps_rows_and_indexes() {
    let database = PostgresDatabase::create().await;

    migration_keeps_outbox(&database.url, &POSTGRES_MIGRATIONS).await;

    let mut connection = AnyConnection::connect(&database.url).await.unwrap();
    let indexes = outbox_index_names(
        &mut connection,
        "SELECT CAST(indexname AS TEXT) FROM pg_indexes
         WHERE tablename = 'outbox' AND indexname NOT IN ('outbox_pkey', 'outbox_marker_key')",
    )
    .await;
    assert_eq!(indexes, EXPECTED_INDEXES);
}
