//! The published roles that invite candidates from a given Lever stage.

use app::ssr::db::Db;

/// A role as an invitation needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitingRole {
    pub id: String,
    pub title: String,
    pub invite_stage_id: String,
    /// When set, only opportunities that applied to this Lever posting are invited.
    pub lever_posting_id: Option<String>,
    /// Days the candidate has to finish, counted from the invitation.
    pub deadline_days: Option<i64>,
}

/// Lists the published roles of the organization whose invite stage is `stage_id`.
pub async fn roles_for_stage(
    db: &Db,
    organization_id: &str,
    stage_id: &str,
) -> Result<Vec<InvitingRole>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, title, invite_stage_id, lever_posting_id, deadline_days FROM roles
         WHERE organization_id = $1 AND invite_stage_id = $2 AND status = 'published'
         ORDER BY id",
    )
    .bind(organization_id)
    .bind(stage_id)
    .fetch_all(db)
    .await
}

/// Lists the published roles of the organization that invite from some stage.
pub async fn inviting_roles(
    db: &Db,
    organization_id: &str,
) -> Result<Vec<InvitingRole>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, title, invite_stage_id, lever_posting_id, deadline_days FROM roles
         WHERE organization_id = $1 AND invite_stage_id IS NOT NULL AND status = 'published'
         ORDER BY id",
    )
    .bind(organization_id)
    .fetch_all(db)
    .await
}
