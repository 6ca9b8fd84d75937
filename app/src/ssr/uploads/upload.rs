//! Storing an upload. The body streams into the media store as it arrives, and its first bytes
//! must be those of a file its kind accepts. Its row is written only once every byte is stored,
//! so a rejected or broken upload leaves nothing behind.

use std::fmt;

use axum::http::StatusCode;
use bytes::Bytes;
use futures::{stream, Stream, StreamExt};

use super::kind::UploadKind;
use super::lookup::media_key;
use super::sniff::SNIFF_LEN;
use crate::domain::upload::UploadedFile;
use crate::error::AppError;
use crate::ssr::authz::StaffContext;
use crate::ssr::clock::{new_id, now_ms};
use crate::ssr::media::MediaError;
use crate::ssr::state::AppState;

/// Maximum length of a kept file name, in characters. The name is for display only.
const MAX_FILE_NAME_CHARS: usize = 200;

/// An upload about to be stored: what it is, who sends it, for which job, under which name.
pub struct NewUpload<'a> {
    pub kind: UploadKind,
    pub staff: &'a StaffContext,
    /// `None` for an upload of the whole organization, such as its logo.
    pub role_id: Option<&'a str>,
    pub file_name: &'a str,
}

/// The reason an upload was not stored. Each variant has a message safe to show the uploader.
#[derive(Debug)]
pub enum UploadError {
    /// The file's first bytes are not those of a file this kind of upload accepts.
    WrongType(UploadKind),
    /// The media store rejected or lost the body: too large, cut off, or unavailable.
    Media(UploadKind, MediaError),
    /// Anything else, such as the database.
    App(AppError),
}

impl UploadError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::WrongType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Media(_, MediaError::TooLarge { .. }) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Media(_, MediaError::UploadInterrupted) => StatusCode::BAD_REQUEST,
            Self::Media(..) => StatusCode::SERVICE_UNAVAILABLE,
            Self::App(error) => error.status(),
        }
    }

    /// Returns the error the page shows next to the file field.
    pub fn into_app_error(self) -> AppError {
        match self {
            Self::WrongType(kind) => AppError::invalid(kind.field(), kind.wrong_type_message()),
            Self::Media(kind, error) => AppError::invalid(kind.field(), error.to_string()),
            Self::App(error) => error,
        }
    }
}

impl From<AppError> for UploadError {
    fn from(error: AppError) -> Self {
        Self::App(error)
    }
}

/// Streams `body` into the media store as the upload describes, then records it. Rejects a body
/// over `max_size` bytes, or one whose first bytes the kind does not accept. In every failure
/// the partial object is removed and no row is written.
pub async fn store_upload<S, E>(
    state: &AppState,
    upload: NewUpload<'_>,
    max_size: u64,
    mut body: S,
) -> Result<UploadedFile, UploadError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin + Send,
    E: fmt::Display + Send,
{
    let kind = upload.kind;
    let head = read_head(&mut body)
        .await
        .map_err(|error| UploadError::Media(kind, error))?;
    let content_type = kind
        .content_type(&head)
        .ok_or(UploadError::WrongType(kind))?;

    let organization_id = &upload.staff.organization_id;
    let upload_id = new_id();
    let key = media_key(organization_id, kind, &upload_id)?;
    let whole = stream::iter([Ok(Bytes::from(head))]).chain(body);
    let stored = state
        .media
        .put_stream(&key, Some(content_type), max_size, whole)
        .await
        .map_err(|error| UploadError::Media(kind, error))?;

    let file = UploadedFile {
        id: upload_id,
        file_name: display_name(upload.file_name),
        content_type: content_type.to_owned(),
        size_bytes: i64::try_from(stored.size).unwrap_or(i64::MAX),
    };
    let recorded = sqlx::query(
        "INSERT INTO media_uploads (id, organization_id, role_id, kind, file_name, content_type,
                                    size_bytes, sha256, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&file.id)
    .bind(organization_id)
    .bind(upload.role_id)
    .bind(kind.as_str())
    .bind(&file.file_name)
    .bind(&file.content_type)
    .bind(file.size_bytes)
    .bind(stored.sha256_hex())
    .bind(&upload.staff.staff_user_id)
    .bind(now_ms())
    .execute(&state.db)
    .await;

    if let Err(error) = recorded {
        // The object has no row to find it by, so it goes too.
        if let Err(delete_error) = state.media.delete(&key).await {
            tracing::error!(%key, error = %delete_error, "could not remove an upload whose row failed");
        }
        return Err(AppError::from(error).into());
    }
    tracing::info!(upload.id = %file.id, role.id = ?upload.role_id, kind = kind.as_str(), size = stored.size, "upload stored");
    Ok(file)
}

/// Reads the first [`SNIFF_LEN`] bytes of `body`, or all of it when it is shorter. A body
/// that fails before then is an interrupted upload.
async fn read_head<S, E>(body: &mut S) -> Result<Vec<u8>, MediaError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: fmt::Display,
{
    let mut head = Vec::with_capacity(SNIFF_LEN);

    while head.len() < SNIFF_LEN {
        match body.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(error)) => {
                tracing::warn!(%error, "upload failed before its first bytes");
                return Err(MediaError::UploadInterrupted);
            }
            None => break,
        }
    }
    Ok(head)
}

/// Keeps a file name printable and short; an empty one becomes "file".
fn display_name(name: &str) -> String {
    let printable: String = name
        .chars()
        .filter(|character| !character.is_control())
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    let trimmed = printable.trim();

    if trimmed.is_empty() {
        "file".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::display_name;

    #[test]
    fn file_names_are_kept_printable_and_short() {
        assert_eq!(display_name("  Meet the team.mp4 "), "Meet the team.mp4");
        assert_eq!(display_name("a\u{0}b\nc.webm"), "abc.webm");
        assert_eq!(display_name(""), "file");
        assert_eq!(display_name(&"x".repeat(500)).chars().count(), 200);
    }
}
