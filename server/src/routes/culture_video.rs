//! Culture videos of a job. `POST /media/jobs/{role_id}/culture-videos` streams a file from
//! the portal editor into the media store, for those who may edit the job.
//! `GET /media/jobs/{role_id}/culture-videos/{upload_id}` plays it back to staff who may see
//! the job, in the editor and the preview. Candidates watch it through [`super::portal_video`].

use std::time::Duration;

use app::error::AppError;
use app::ssr::authz::{staff_from_cookies, JobPermission, StaffContext};
use app::ssr::state::AppState;
use app::ssr::uploads::{find_upload, media_key, store_upload, NewUpload, UploadKind};
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_LENGTH;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use axum_extra::extract::CookieJar;
use futures::{stream, Stream, StreamExt};
use serde::Deserialize;

use super::file_body::file_response;

/// The path of the upload route; the request timeout leaves it out (see [`crate::timeout`]).
pub const UPLOAD_PATH: &str = "/media/jobs/{role_id}/culture-videos";

/// Maximum time an upload may go without a byte arriving before it is aborted. A whole upload
/// may take longer than the 60 seconds other requests get, as long as bytes keep arriving.
const IDLE_LIMIT: Duration = Duration::from_secs(60);

#[derive(Deserialize)]
pub struct UploadQuery {
    /// The file's name on the uploader's computer, for display.
    #[serde(default)]
    pub name: String,
}

/// Builds a response with `error` as JSON, the shape the editor reads server function errors in.
pub fn error_response(status: StatusCode, error: AppError) -> Response {
    (status, Json(error)).into_response()
}

/// Returns the signed-in staff member allowed `permission` on `role_id`, or the rejection.
async fn staff_on_job(
    state: &AppState,
    jar: &CookieJar,
    role_id: &str,
    permission: JobPermission,
) -> Result<StaffContext, Response> {
    let staff = match staff_from_cookies(&state.db, jar).await {
        Ok(Some(staff)) => staff,
        Ok(None) => {
            return Err(error_response(
                StatusCode::UNAUTHORIZED,
                AppError::Unauthenticated,
            ))
        }
        Err(error) => return Err(error_response(error.status(), error)),
    };
    match staff.require_job(&state.db, role_id, permission).await {
        Ok(_) => Ok(staff),
        Err(error) => Err(error_response(error.status(), error)),
    }
}

pub async fn upload(
    State(state): State<AppState>,
    Path(role_id): Path<String>,
    Query(query): Query<UploadQuery>,
    jar: CookieJar,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let staff = match staff_on_job(&state, &jar, &role_id, JobPermission::Edit).await {
        Ok(staff) => staff,
        Err(response) => return response,
    };

    // A declared length over the limit is rejected before a byte is read or stored.
    let max_size = state.culture_video_max_bytes;
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > max_size) {
        tracing::info!(role.id = %role_id, staff_user.id = %staff.staff_user_id, ?declared, "culture video upload rejected: too large");
        let error = app::ssr::media::MediaError::TooLarge { max_size };
        return error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            AppError::invalid("video_file", error.to_string()),
        );
    }

    let upload = NewUpload {
        kind: UploadKind::CultureVideo,
        staff: &staff,
        role_id: Some(&role_id),
        file_name: &query.name,
    };
    let body = Box::pin(with_idle_limit(body.into_data_stream(), IDLE_LIMIT));
    match store_upload(&state, upload, max_size, body).await {
        Ok(video) => (StatusCode::CREATED, Json(video)).into_response(),
        Err(error) => {
            let status = error.status();
            tracing::info!(role.id = %role_id, staff_user.id = %staff.staff_user_id, %status, "culture video upload rejected");
            error_response(status, error.into_app_error())
        }
    }
}

pub async fn play(
    State(state): State<AppState>,
    Path((role_id, upload_id)): Path<(String, String)>,
    jar: CookieJar,
    headers: HeaderMap,
) -> Response {
    let staff = match staff_on_job(&state, &jar, &role_id, JobPermission::View).await {
        Ok(staff) => staff,
        Err(response) => return response,
    };

    let found = find_upload(&state.db, &staff.organization_id, &role_id, &upload_id).await;
    let video = match found {
        Ok(Some(video)) => video,
        Ok(None) => {
            tracing::info!(role.id = %role_id, upload.id = %upload_id, "culture video not found on this job");
            return error_response(
                StatusCode::NOT_FOUND,
                AppError::NotFound("Video not found on this job.".into()),
            );
        }
        Err(error) => return error_response(error.status(), error),
    };
    let key = match media_key(&staff.organization_id, UploadKind::CultureVideo, &video.id) {
        Ok(key) => key,
        Err(error) => return error_response(error.status(), error),
    };
    file_response(&state.media, &key, &video, &headers).await
}

/// Ends `body` with an error when no chunk arrives for `limit`, so a stalled upload is
/// aborted and its parts removed instead of holding a connection open for ever.
fn with_idle_limit<S>(body: S, limit: Duration) -> impl Stream<Item = Result<Bytes, String>>
where
    S: Stream<Item = Result<Bytes, axum::Error>> + Unpin,
{
    stream::unfold(Some(body), move |body| async move {
        let mut body = body?;
        match tokio::time::timeout(limit, body.next()).await {
            Ok(Some(Ok(chunk))) => Some((Ok(chunk), Some(body))),
            Ok(Some(Err(error))) => Some((Err(error.to_string()), None)),
            Ok(None) => None,
            Err(_) => Some((
                Err(format!("no data for {} seconds", limit.as_secs())),
                None,
            )),
        }
    })
}
