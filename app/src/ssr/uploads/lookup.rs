//! Finding a stored upload again: a culture video by its job, a logo by its id, and the key of
//! either in the media store.

use super::kind::UploadKind;
use crate::domain::upload::UploadedFile;
use crate::error::AppError;
use crate::ssr::db::Db;
use crate::ssr::media::MediaKey;

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
) -> Result<Option<UploadedFile>, AppError>
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

    Ok(row.map(UploadRow::into_file))
}

#[derive(sqlx::FromRow)]
struct LogoRow {
    organization_id: String,
    #[sqlx(flatten)]
    upload: UploadRow,
}

/// Loads logo `upload_id` with its organization's id, or `None`. Logos are public, like a
/// company's logo on its website, and the id is random, so no caller check applies.
pub async fn find_logo(
    db: &Db,
    upload_id: &str,
) -> Result<Option<(String, UploadedFile)>, AppError> {
    let row: Option<LogoRow> = sqlx::query_as(
        "SELECT organization_id, id, file_name, content_type, size_bytes FROM media_uploads
         WHERE id = $1 AND kind = 'logo'",
    )
    .bind(upload_id)
    .fetch_optional(db)
    .await?;

    Ok(row.map(|row| (row.organization_id, row.upload.into_file())))
}

impl UploadRow {
    fn into_file(self) -> UploadedFile {
        UploadedFile {
            id: self.id,
            file_name: self.file_name,
            content_type: self.content_type,
            size_bytes: self.size_bytes,
        }
    }
}

/// Returns the media store key of an upload of `kind`.
pub fn media_key(
    organization_id: &str,
    kind: UploadKind,
    upload_id: &str,
) -> Result<MediaKey, AppError> {
    MediaKey::new(organization_id, kind.media_kind(), upload_id)
        .map_err(|error| AppError::internal("upload key", error))
}
