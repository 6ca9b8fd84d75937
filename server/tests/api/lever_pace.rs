//! The pace of calls to Lever is one per organization for the whole database: callers on
//! two separate pools, as two processes would be, get distinct slots one interval apart.

use app::ssr::db::connect_and_migrate;
use app::ssr::lever_pace::LeverPace;
use tokio::task::JoinSet;

use crate::helpers::TestApp;

const CALLS_PER_POOL: usize = 20;

async fn two_pools_share_one_pace(app: TestApp) {
    let pace = LeverPace::per_second(20);
    let url = app.state.db.connect_options().database_url.to_string();
    let second_pool = connect_and_migrate(&url, Some(4)).await.unwrap();
    let organization_id: String =
        sqlx::query_scalar("SELECT organization_id FROM staff_users WHERE email = $1")
            .bind(&app.northwind.admin.email)
            .fetch_one(&app.state.db)
            .await
            .unwrap();

    let started = app::ssr::clock::now_ms();
    let mut calls = JoinSet::new();
    for pool in [app.state.db.clone(), second_pool] {
        for _ in 0..CALLS_PER_POOL {
            let (pool, organization_id) = (pool.clone(), organization_id.clone());
            calls.spawn(async move {
                pace.reserve(&pool, &organization_id)
                    .await
                    .map(|wait| wait.as_millis() as i64)
            });
        }
    }

    // All 40 reservations were requested within a few milliseconds. Shared slots are one
    // interval apart, so the last caller must wait about 39 intervals.
    let mut waits = Vec::new();
    while let Some(result) = calls.join_next().await {
        waits.push(result.unwrap().unwrap());
    }
    waits.sort_unstable();
    assert_eq!(waits.len(), 2 * CALLS_PER_POOL);
    let last = *waits.last().unwrap();
    let expected_last = (2 * CALLS_PER_POOL as i64 - 1) * pace.interval_ms();
    assert!(
        last >= expected_last - (app::ssr::clock::now_ms() - started),
        "40 calls fit in {last} ms; a shared pace of 20/s needs {expected_last} ms"
    );

    // Another organization has a pace of its own.
    let globex: String =
        sqlx::query_scalar("SELECT organization_id FROM staff_users WHERE email = $1")
            .bind(&app.globex.admin.email)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(
        pace.reserve(&app.state.db, &globex)
            .await
            .unwrap()
            .as_millis(),
        0
    );
}

on_both_backends!(two_pools_share_one_pace);
