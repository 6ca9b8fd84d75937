//! Finding a stored culture video again: its row, scoped to the organization and the job, and
//! its key in the media store.

use crate::domain::culture_video::UploadedVideo;
use crate::error::AppError;
use crate::ssr::media::{MediaKey, MediaKind};

#[derive(sqlx::FromRow)]
struct UploadRow {
    id: String,
    file_name: String,
    content_type: String,
    size_bytes: i64,
}

/// Loads upload `upload_id` of job `role_id`, or `None` when the organization has no such
/// upload for that job. A job never shows another job's file, so a copied id leads nowhere.
pub async fn find_upload<'e, E>(
    executor: E,
    organization_id: &str,
    role_id: &str,
    upload_id: &str,
) -> Result<Option<UploadedVideo>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let row: Option<UploadRow> = sqlx::query_as(
        "SELECT id, file_name, content_type, size_bytes FROM media_uploads
         WHERE id = $1 AND organization_id = $2 AND role_id = $3 AND kind = 'culture_video'",
    )
    .bind(upload_id)
    .bind(organization_id)
    .bind(role_id)
    .fetch_optional(executor)
    .await?;

    Ok(row.map(|row| UploadedVideo {
        id: row.id,
        file_name: row.file_name,
        content_type: row.content_type,
        size_bytes: row.size_bytes,
    }))
}

/// Returns the media store key of a culture video.
pub fn media_key(organization_id: &str, upload_id: &str) -> Result<MediaKey, AppError> {
    MediaKey::new(organization_id, MediaKind::CultureVideo, upload_id)
        .map_err(|error| AppError::internal("culture video key", error))
}
