//! `GET /media/portal/{token}/steps/{step_id}/video`: a candidate watches the uploaded culture
//! video of a step in their portal. The personal link is the permission, as on the portal's
//! pages, and the step must be one of the version the candidate is on.

use app::error::AppError;
use app::ssr::portal::{link, steps};
use app::ssr::state::AppState;
use app::ssr::uploads::{find_upload, media_key, UploadKind};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::file_body::file_response;

pub async fn play(
    State(state): State<AppState>,
    Path((token, step_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match find_video(&state, &token, &step_id).await {
        Ok((key, video)) => file_response(&state.media, &key, &video, &headers).await,
        Err(error) => {
            tracing::info!(step.id = %step_id, status = %error.status(), "culture video not played");
            (error.status(), Json(error)).into_response()
        }
    }
}

async fn find_video(
    state: &AppState,
    token: &str,
    step_id: &str,
) -> Result<(app::ssr::media::MediaKey, app::domain::upload::UploadedFile), AppError> {
    let application = link::resolve_link(&state.db, token).await?;
    let step = steps::content_step(&state.db, &application, step_id).await?;
    let missing = || AppError::NotFound("This step has no uploaded video.".into());

    let upload_id = step.video_upload_id().ok_or_else(missing)?;
    let video = find_upload(
        &state.db,
        &application.organization_id,
        &application.role_id,
        &upload_id,
    )
    .await?
    .ok_or_else(missing)?;
    let key = media_key(
        &application.organization_id,
        UploadKind::CultureVideo,
        &video.id,
    )?;
    Ok((key, video))
}
