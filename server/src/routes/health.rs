//! `GET /healthz`: 200 when the server can reach its database, for load balancers and tests.

use app::ssr::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::router::plain;

pub async fn health(State(state): State<AppState>) -> Response {
    match sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&state.db)
        .await
    {
        Ok(_) => plain(StatusCode::OK, "ok"),
        Err(error) => {
            tracing::error!(%error, "health check could not reach the database");
            plain(StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
