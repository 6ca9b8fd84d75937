//! The organization's logo. `POST /media/branding/logo` stores an image from the Branding page
//! as the caller's organization's logo, for Admins and Super Admins.
//! `GET /media/logos/{upload_id}` serves a logo to anyone, because candidates see it on their
//! portal without signing in, and a logo is public like the one on a company's website.

use app::domain::upload::{logo_url, MAX_LOGO_BYTES};
use app::error::AppError;
use app::ssr::authz::{staff_from_cookies, Permission};
use app::ssr::branding::set_logo;
use app::ssr::state::AppState;
use app::ssr::uploads::{find_logo, media_key, store_upload, NewUpload, UploadKind};
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use axum_extra::extract::CookieJar;
use futures::StreamExt;

use super::culture_video::{error_response, UploadQuery};
use super::file_body::file_response;

pub async fn upload(
    State(state): State<AppState>,
    Query(query): Query<UploadQuery>,
    jar: CookieJar,
    body: Body,
) -> Response {
    let staff = match staff_from_cookies(&state.db, &jar).await {
        Ok(Some(staff)) => staff,
        Ok(None) => return error_response(StatusCode::UNAUTHORIZED, AppError::Unauthenticated),
        Err(error) => return error_response(error.status(), error),
    };
    if let Err(error) = staff.require(Permission::ManageBranding) {
        return error_response(error.status(), error);
    }

    let upload = NewUpload {
        kind: UploadKind::Logo,
        staff: &staff,
        role_id: None,
        file_name: &query.name,
    };
    let body = body.into_data_stream().boxed();
    let file = match store_upload(&state, upload, MAX_LOGO_BYTES, body).await {
        Ok(file) => file,
        Err(error) => {
            let status = error.status();
            tracing::info!(organization.id = %staff.organization_id, staff_user.id = %staff.staff_user_id, %status, "logo upload rejected");
            return error_response(status, error.into_app_error());
        }
    };

    if let Err(error) = set_logo(&state.db, &staff, Some(&file.id)).await {
        return error_response(error.status(), error);
    }
    let url = logo_url(&file.id);
    (
        StatusCode::CREATED,
        Json(serde_json::json!({ "logo_url": url })),
    )
        .into_response()
}

pub async fn show(
    State(state): State<AppState>,
    Path(upload_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let (organization_id, file) = match find_logo(&state.db, &upload_id).await {
        Ok(Some(found)) => found,
        Ok(None) => {
            let error = AppError::NotFound("Logo not found.".into());
            return error_response(StatusCode::NOT_FOUND, error);
        }
        Err(error) => return error_response(error.status(), error),
    };

    match media_key(&organization_id, UploadKind::Logo, &file.id) {
        Ok(key) => file_response(&state.media, &key, &file, &headers).await,
        Err(error) => error_response(error.status(), error),
    }
}
