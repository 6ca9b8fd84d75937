//! Reading the audit log: an organization's events newest first, a page at a time,
//! optionally filtered by action and by actor.

use super::db::Db;
use crate::domain::audit::{AuditAction, AuditEntry, AuditPage};
use crate::error::AppError;

/// Entries per page of the audit log.
pub const PAGE_SIZE: usize = 50;

#[derive(sqlx::FromRow)]
struct EventRow {
    id: String,
    created_at: i64,
    actor_name: String,
    action: String,
    object_type: String,
    object_id: Option<String>,
    object_label: String,
    detail: String,
}

/// Lists the organization's events newest first, [`PAGE_SIZE`] at a time, starting below the
/// id `before` (the previous page's cursor). Ids are UUID v7, so id order is time order.
pub async fn list_events(
    db: &Db,
    organization_id: &str,
    action: Option<AuditAction>,
    actor: Option<&str>,
    before: Option<&str>,
) -> Result<AuditPage, AppError> {
    if let Some(cursor) = before {
        uuid::Uuid::parse_str(cursor).map_err(|_| {
            AppError::invalid(
                "before",
                "The page cursor is invalid. Open the audit log again from its first page.",
            )
        })?;
    }

    // Each filter adds a numbered placeholder after the two fixed ones, bound in the same order.
    let mut clauses = String::new();
    let mut values: Vec<String> = Vec::new();
    for (column, value) in [
        ("action", action.map(|action| action.as_str().to_owned())),
        ("actor_staff_user_id", actor.map(str::to_owned)),
        ("id", before.map(str::to_owned)),
    ] {
        if let Some(value) = value {
            let operator = if column == "id" { "<" } else { "=" };
            clauses.push_str(&format!(" AND {column} {operator} ${}", values.len() + 3));
            values.push(value);
        }
    }
    let sql = format!(
        "SELECT id, created_at, actor_name, action, object_type, object_id, object_label, detail
         FROM audit_events WHERE organization_id = $1{clauses}
         ORDER BY id DESC LIMIT $2"
    );

    // Fetching one row more than a page shows whether an older page exists.
    let mut query = sqlx::query_as::<_, EventRow>(&sql)
        .bind(organization_id)
        .bind(PAGE_SIZE as i64 + 1);
    for value in values {
        query = query.bind(value);
    }
    let mut rows = query.fetch_all(db).await?;
    let more = rows.len() > PAGE_SIZE;
    rows.truncate(PAGE_SIZE);

    let next_before = more
        .then(|| rows.last().map(|row| row.id.clone()))
        .flatten();
    Ok(AuditPage {
        entries: rows.into_iter().map(entry).collect(),
        next_before,
        actors: list_actors(db, organization_id).await?,
    })
}

/// Lists everyone who appears as an actor in the organization's log, by name, for the filter.
async fn list_actors(db: &Db, organization_id: &str) -> Result<Vec<(String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT actor_staff_user_id, MAX(actor_name) AS name FROM audit_events
         WHERE organization_id = $1 AND actor_staff_user_id IS NOT NULL
         GROUP BY actor_staff_user_id ORDER BY name",
    )
    .bind(organization_id)
    .fetch_all(db)
    .await?)
}

fn entry(row: EventRow) -> AuditEntry {
    let action_label = AuditAction::parse(&row.action)
        .map(AuditAction::label)
        .unwrap_or("Other action")
        .to_owned();
    AuditEntry {
        id: row.id,
        at_ms: row.created_at,
        actor_name: row.actor_name,
        action: row.action,
        action_label,
        object_type: row.object_type,
        object_id: row.object_id,
        object_label: row.object_label,
        detail: row.detail,
    }
}
