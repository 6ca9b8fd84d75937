//! Lever accepts each refresh token once, so two processes that find the access token
//! expired at the same moment must refresh it once between them. Two pools and two
//! `LeverAuth` instances stand in for two processes on one PostgreSQL database.

use app::ssr::db::connect_and_migrate;
use app::ssr::state::AppState;
use server::lever_auth::LeverAuth;

use crate::helpers::{Backend, TestApp};

#[tokio::test]
async fn postgres_refresh_is_single_flight_across_processes() {
    let app = TestApp::spawn(Backend::Postgres).await;
    app.connect_lever().await;
    let organization_id: String =
        sqlx::query_scalar("SELECT organization_id FROM lever_connections")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let refreshes_before = app.lever_state().await.refresh_tokens_issued;

    // The stored expiry puts the access token past its refresh margin for both "processes".
    sqlx::query("UPDATE lever_connections SET access_expires_at = 1")
        .execute(&app.state.db)
        .await
        .unwrap();
    let url = app.state.db.connect_options().database_url.to_string();
    let second = AppState {
        db: connect_and_migrate(&url, Some(2)).await.unwrap(),
        ..app.state.clone()
    };
    let (first_auth, second_auth) = (LeverAuth::default(), LeverAuth::default());

    let (first_token, second_token) = tokio::join!(
        first_auth.access_token(&app.state, &organization_id, None),
        second_auth.access_token(&second, &organization_id, None),
    );

    let first_token = first_token.expect("the first process gets a token");
    let second_token = second_token.expect("the second process gets a token");
    assert_eq!(
        first_token, second_token,
        "both use the one refreshed token"
    );
    let lever = app.lever_state().await;
    assert_eq!(
        lever.refresh_tokens_issued,
        refreshes_before + 1,
        "Lever saw one refresh"
    );
    assert!(!lever.revoked);
    let status: String = sqlx::query_scalar("SELECT status FROM lever_connections")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(status, "live");
}
