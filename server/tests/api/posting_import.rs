//! Jobs imported from Lever postings. The list offers only postings no job uses. An import
//! makes one draft job with the posting's text and its importer as owner, and a second import
//! of the same posting is rejected. A posting changed in Lever changes its job at the next
//! refresh of Lever's lists, and a settings save cannot undo that.

use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use server::config::Config;
use server::demo::lever_account::{POSTING_ID, UNIMPORTED_POSTING_ID};

use crate::helpers::{Backend, TestApp, TestOptions};

/// Spawns a test app whose poll, which refreshes Lever's lists, runs every second.
async fn polling_app(backend: Backend) -> TestApp {
    TestApp::spawn_configured(backend, TestOptions::default(), |config: &mut Config| {
        if let Some(lever) = config.lever.as_mut() {
            lever.poll_interval = Duration::from_secs(1);
        }
    })
    .await
}

async fn team_member(app: &TestApp) -> Client {
    let browser = TestApp::browser();
    app.sign_in(
        &browser,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;
    browser
}

/// Reads the imported job's (title, team, location, intro_md, status).
async fn imported_job(app: &TestApp) -> (String, Option<String>, Option<String>, String, String) {
    sqlx::query_as(
        "SELECT title, team, location, intro_md, status FROM roles WHERE lever_posting_id = $1",
    )
    .bind(UNIMPORTED_POSTING_ID)
    .fetch_one(&app.state.db)
    .await
    .unwrap()
}

/// Changes the posting in the simulator, as a recruiter editing it in Lever would.
async fn edit_posting_in_lever(app: &TestApp, posting: Value) {
    let url = app
        .simulator
        .base_url
        .join(&format!("_sim/postings/{UNIMPORTED_POSTING_ID}"))
        .unwrap();
    let response = Client::new().put(url).json(&posting).send().await.unwrap();
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );
}

async fn imported_job_follows_its_posting(backend: Backend) {
    let app = polling_app(backend).await;
    app.connect_lever().await;
    let member = team_member(&app).await;

    let (listed, listing) = app
        .post_form(&member, "list_importable_postings", &[])
        .await;
    let listing: Value = serde_json::from_str(&listing).unwrap();
    let offered: Vec<&str> = listing["postings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|posting| posting["id"].as_str().unwrap())
        .collect();
    let (imported, role_id) = app
        .post_form(
            &member,
            "import_lever_posting",
            &[("posting_id", UNIMPORTED_POSTING_ID)],
        )
        .await;
    let (again, again_body) = app
        .post_form(
            &member,
            "import_lever_posting",
            &[("posting_id", UNIMPORTED_POSTING_ID)],
        )
        .await;
    let (linked, _) = app
        .post_form(
            &member,
            "import_lever_posting",
            &[("posting_id", POSTING_ID)],
        )
        .await;

    assert_eq!(listed, StatusCode::OK);
    assert_eq!(listing["lists_loaded"], true);
    assert_eq!(
        offered,
        vec![UNIMPORTED_POSTING_ID],
        "the linked posting is not offered"
    );
    assert!(
        imported.is_success() || imported.is_redirection(),
        "{imported} {role_id}"
    );
    let (title, team, location, intro, status) = imported_job(&app).await;
    assert_eq!(title, "Product Designer");
    assert_eq!(team.as_deref(), Some("Design"));
    assert_eq!(location.as_deref(), Some("Berlin"));
    assert!(intro.starts_with("Design the tools"), "{intro}");
    assert_eq!(status, "draft");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM role_members m JOIN roles r ON r.id = m.role_id
             WHERE r.lever_posting_id = '{UNIMPORTED_POSTING_ID}' AND m.staff_user_id = '{}' AND m.membership = 'owner'",
            app.northwind.team_member_id
        ))
        .await,
        1,
        "the Team Member owns the job they imported"
    );
    assert_eq!(again, StatusCode::CONFLICT);
    assert!(again_body.contains("already the job"), "{again_body}");
    assert_eq!(linked, StatusCode::CONFLICT);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM roles WHERE lever_posting_id = '{UNIMPORTED_POSTING_ID}'"
        ))
        .await,
        1
    );

    edit_posting_in_lever(
        &app,
        json!({
            "id": UNIMPORTED_POSTING_ID,
            "text": "Senior Product Designer",
            "state": "published",
            "categories": {"team": "Design", "location": "Hamburg"},
        }),
    )
    .await;
    let started = Instant::now();
    while imported_job(&app).await.0 != "Senior Product Designer" {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the poll did not copy the posting's new title: {:?}",
            imported_job(&app).await
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let role_id: String = sqlx::query_scalar("SELECT id FROM roles WHERE lever_posting_id = $1")
        .bind(UNIMPORTED_POSTING_ID)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let (saved, body) = app
        .post_form(
            &member,
            "save_job_settings",
            &[
                ("role_id", role_id.as_str()),
                ("title", "A title typed in Tryout"),
                ("location", "Paris"),
                ("intro_md", "Our own introduction."),
            ],
        )
        .await;

    assert_eq!(saved, StatusCode::OK, "{body}");
    let (title, _, location, intro, _) = imported_job(&app).await;
    assert_eq!(title, "Senior Product Designer", "Lever's title stays");
    assert_eq!(location.as_deref(), Some("Hamburg"));
    assert_eq!(
        intro, "Our own introduction.",
        "the introduction is Tryout's to edit"
    );
}

on_both_backends!(backend: imported_job_follows_its_posting);
