//! The HTTP router: health check, Lever OAuth and webhook routes, server functions, the Leptos pages
//! and static assets. One function builds it for `main` and for the integration tests.

use app::error::AppError;
use app::ssr::state::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::csrf;
use crate::routes::{culture_video, health, lever_oauth, logo, portal_video};
use crate::timeout;
use crate::webhooks::receive;

/// Every route the router serves besides the Leptos pages and server functions, as
/// (method, path template). `docs/permissions.md` gives each one a row, and the permission
/// matrix test walks them; [`build_router`] refuses to mount a path missing here.
pub const HTTP_ROUTES: [(&str, &str); 9] = [
    ("GET", "/healthz"),
    ("POST", "/integrations/lever/authorize"),
    ("GET", "/integrations/lever/callback"),
    ("POST", "/webhooks/lever/{organization_id}"),
    ("POST", culture_video::UPLOAD_PATH),
    ("GET", "/media/jobs/{role_id}/culture-videos/{upload_id}"),
    ("GET", "/media/portal/{token}/steps/{step_id}/video"),
    ("POST", "/media/branding/logo"),
    ("GET", "/media/logos/{upload_id}"),
];

/// Mounts `handler` at `path`, which must be listed in [`HTTP_ROUTES`].
fn route(
    router: Router<AppState>,
    path: &'static str,
    handler: MethodRouter<AppState>,
) -> Router<AppState> {
    assert!(
        HTTP_ROUTES.iter().any(|(_, listed)| *listed == path),
        "{path} is not in HTTP_ROUTES: add it there and to docs/permissions.md"
    );
    router.route(path, handler)
}

pub fn build_router(state: AppState, simulator: Option<Router>) -> Router {
    let routes = generate_route_list(App);
    let page_state = state.clone();
    let fallback_state = state.clone();
    let options = state.leptos_options.clone();

    let mut router = Router::new();
    router = route(router, "/healthz", get(health::health));
    router = route(
        router,
        "/integrations/lever/authorize",
        post(lever_oauth::authorize),
    );
    router = route(
        router,
        "/integrations/lever/callback",
        get(lever_oauth::callback),
    );
    router = route(
        router,
        "/webhooks/lever/{organization_id}",
        post(receive::receive).layer(DefaultBodyLimit::max(receive::MAX_BODY_BYTES)),
    );
    router = route(
        router,
        culture_video::UPLOAD_PATH,
        post(culture_video::upload),
    );
    router = route(
        router,
        "/media/jobs/{role_id}/culture-videos/{upload_id}",
        get(culture_video::play),
    );
    router = route(
        router,
        "/media/portal/{token}/steps/{step_id}/video",
        get(portal_video::play),
    );
    router = route(router, "/media/branding/logo", post(logo::upload));
    router = route(router, "/media/logos/{upload_id}", get(logo::show));
    router = router
        .route(
            "/api/{*fn_name}",
            get(server_fn_handler).post(server_fn_handler),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(page_state.clone()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            move || provide_context(fallback_state.clone()), shell
        ));

    if let Some(simulator) = simulator {
        router = router.nest_service("/_lever", simulator);
    }

    router
        .layer(axum::middleware::map_response(correct_server_fn_status))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::check_origin,
        ))
        // Videos are compressed already, and a compressed body would break byte ranges.
        .layer(
            CompressionLayer::new()
                .compress_when(DefaultPredicate::new().and(NotForContentType::const_new("video/"))),
        )
        .layer(axum::middleware::from_fn(timeout::limit_request_time))
        .layer(
            // Spans carry the method and the route template, never the raw path: candidate
            // links carry their token in the path, and the OAuth callback its code.
            TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
                let route = request
                    .extensions()
                    .get::<MatchedPath>()
                    .map_or("(unmatched)", MatchedPath::as_str);
                tracing::info_span!("request", method = %request.method(), route = %route)
            }),
        )
        .with_state(state)
}

/// Handles `/api/` paths that name no registered server function: `leptos_routes_with_context`
/// registers each function's own path, so only unknown names reach this, and Leptos responds with 400.
async fn server_fn_handler(State(state): State<AppState>, request: Request<Body>) -> Response {
    handle_server_fns_with_context(move || provide_context(state.clone()), request)
        .await
        .into_response()
}

/// Maximum size of an error body inspected when correcting a server function's status, in bytes.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Leptos responds with 500 when a server function's arguments cannot be decoded, before any of
/// our code runs. Such a request is the client's error, so its status becomes 422. Leptos
/// marks server-function errors with the `serverfnerror` header, which scopes this check.
async fn correct_server_fn_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }

    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, ERROR_BODY_LIMIT)
        .await
        .unwrap_or_default();
    if let Ok(AppError::Invalid { .. }) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Builds a plain-text response for non-Leptos routes.
pub fn plain(status: StatusCode, message: &'static str) -> Response {
    (status, message).into_response()
}

#[cfg(test)]
mod tests {
    /// The permission matrix test finds plain HTTP routes through `HTTP_ROUTES`, which `route()`
    /// enforces. A route mounted another way would escape that test, so this one counts the
    /// router's mounts: the helper's own call, the server functions and the demo simulator.
    #[test]
    fn routes_go_through_the_helper() {
        let source = include_str!("router.rs");
        let router_code = source.split("#[cfg(test)]").next().unwrap();

        assert_eq!(
            router_code.matches(".route(").count(),
            2,
            "mount new routes with route()"
        );
        assert_eq!(
            router_code.matches("nest_service(").count(),
            1,
            "only the simulator is nested"
        );
        assert_eq!(router_code.matches(".nest(").count(), 0);
        assert_eq!(router_code.matches(".merge(").count(), 0);
        assert_eq!(router_code.matches("route_service(").count(), 0);
    }
}
