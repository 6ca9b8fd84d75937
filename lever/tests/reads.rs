//! Read endpoints over real HTTP: stages, archive reasons, users,
//! postings, opportunities and their filters.

mod common;

use common::*;
use lever::simulator::{SimConfig, Simulator};
use lever::{LeverClient, LeverError, OpportunityFilter};
use serde_json::json;

#[tokio::test]
async fn lists_account_resources() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let stages = harness.client.list_stages(&token).await.unwrap();
    let reasons = harness.client.list_archive_reasons(&token).await.unwrap();
    let users = harness.client.list_users(&token).await.unwrap();
    let postings = harness.client.list_postings(&token).await.unwrap();

    assert_eq!(stages[0].id, "lead-new");
    assert_eq!(stages.len(), 3);
    assert_eq!(reasons.len(), 3);
    assert_eq!(reasons[2].status.as_deref(), Some("inactive"));
    let user_ids: Vec<&str> = users.iter().map(|user| user.id.as_str()).collect();
    assert_eq!(
        user_ids,
        vec![ADMIN_ID, MEMBER_ID],
        "deactivated users are left out"
    );
    assert_eq!(users[0].access_role.as_deref(), Some("super admin"));
    assert_eq!(postings.len(), 1);
    assert_eq!(
        postings[0]
            .categories
            .as_ref()
            .and_then(|categories| categories.team.as_deref()),
        Some("Platform")
    );
}

#[tokio::test]
async fn users_never_expose_passwords() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let body = harness
        .browser
        .get(harness.url("v1/users?includeDeactivated=true"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    assert!(!body.contains(PASSWORD), "{body}");
    assert!(body.contains(FORMER_ID), "{body}");
}

#[tokio::test]
async fn stages_follow_every_page() {
    let simulator_seed = {
        let mut seed = seed(0);
        seed.stages = (0..230)
            .map(|index| lever::Stage {
                id: format!("stage-{index:03}"),
                text: format!("Stage {index}"),
            })
            .collect();
        seed
    };
    let harness = start_with(SimConfig::default(), simulator_seed).await;
    let token = harness.connect().await.access_token;

    let stages = harness.client.list_stages(&token).await.unwrap();

    assert_eq!(stages.len(), 230);
    assert_eq!(stages[229].id, "stage-229");
    assert_eq!(
        harness
            .sim
            .simulator
            .snapshot()
            .request_count("GET /v1/stages"),
        3
    );
}

#[tokio::test]
async fn opportunity_filters_apply() {
    let harness = start_with(SimConfig::default(), seed(10)).await;
    let token = harness.connect().await.access_token;

    let by_stage = OpportunityFilter {
        stage_id: Some(ASSESSMENT_STAGE.to_string()),
        ..Default::default()
    };
    let by_email = OpportunityFilter {
        email: Some("Candidate3@Example.com".to_string()),
        ..Default::default()
    };
    let by_advance = OpportunityFilter {
        advanced_at_start: Some(BASE_TIME + 7 * 60_000),
        ..Default::default()
    };
    let by_posting = OpportunityFilter {
        posting_id: Some(POSTING_ID.to_string()),
        ..Default::default()
    };
    let by_other_posting = OpportunityFilter {
        posting_id: Some("posting-none".to_string()),
        ..Default::default()
    };

    let staged = harness
        .client
        .list_opportunities(&token, &by_stage)
        .await
        .unwrap();
    let emailed = harness
        .client
        .list_opportunities(&token, &by_email)
        .await
        .unwrap();
    let advanced = harness
        .client
        .list_opportunities(&token, &by_advance)
        .await
        .unwrap();
    let posted = harness
        .client
        .list_opportunities(&token, &by_posting)
        .await
        .unwrap();
    let unposted = harness
        .client
        .list_opportunities(&token, &by_other_posting)
        .await
        .unwrap();

    assert_eq!(staged.len(), 5);
    assert_eq!(emailed.len(), 1);
    assert_eq!(emailed[0].id, "opp-0003");
    let advanced_ids: Vec<&str> = advanced
        .iter()
        .map(|opportunity| opportunity.id.as_str())
        .collect();
    assert_eq!(advanced_ids, vec!["opp-0009", "opp-0008", "opp-0007"]);
    assert_eq!(posted.len(), 10);
    assert!(unposted.is_empty());
}

#[tokio::test]
async fn expanded_stage_parses() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let body: serde_json::Value = harness
        .browser
        .get(harness.url("v1/opportunities/opp-0000?expand=stage"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let opportunity: lever::Opportunity = serde_json::from_value(body["data"].clone()).unwrap();

    assert_eq!(
        body["data"]["stage"],
        json!({ "id": ASSESSMENT_STAGE, "text": "Assessment" })
    );
    assert_eq!(opportunity.stage.as_deref(), Some(ASSESSMENT_STAGE));
}

#[tokio::test]
async fn unknown_opportunity_not_found() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let result = harness.client.get_opportunity(&token, "opp-missing").await;

    match result {
        Err(LeverError::NotFound { code, message }) => {
            assert_eq!(code, "ResourceNotFound");
            assert!(message.contains("opp-missing"), "{message}");
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn id_with_slash_stays_one_segment() {
    let harness = start().await;
    let token = harness.connect().await.access_token;

    let result = harness
        .client
        .get_opportunity(&token, "opp-0000/notes")
        .await;

    assert!(
        matches!(result, Err(LeverError::NotFound { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn missing_scope_forbidden() {
    let harness = start().await;
    let full = harness.connect().await;
    let narrow_code = harness
        .authorize_code_with_scope("offline_access stages:read:admin")
        .await;
    let narrow = harness.client.exchange_code(&narrow_code).await.unwrap();

    let allowed = harness.client.list_postings(&full.access_token).await;
    let rejected = harness.client.list_postings(&narrow.access_token).await;

    assert!(allowed.is_ok(), "{allowed:?}");
    assert_eq!(
        narrow.scope.as_deref(),
        Some("offline_access stages:read:admin")
    );
    match rejected {
        Err(LeverError::Forbidden { code, message }) => {
            assert_eq!(code, "Forbidden");
            assert!(message.contains("postings:read:admin"), "{message}");
        }
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

#[tokio::test]
async fn simulator_serves_under_prefix() {
    let simulator = Simulator::new(SimConfig::default());
    simulator.seed(seed(3));
    let router = axum::Router::new().nest("/_lever", simulator.router());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let base = url::Url::parse(&format!("http://{address}/_lever")).unwrap();
    let client = LeverClient::new(
        lever::LeverHosts::simulator(&base),
        app(&SimConfig::default()),
        std::time::Duration::from_secs(2),
    )
    .unwrap();
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    let page = browser
        .get(client.authorize_url("p"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut fields = hidden_inputs(&page);
    fields.push(("email".to_string(), ADMIN_EMAIL.to_string()));
    fields.push(("password".to_string(), PASSWORD.to_string()));
    let form_action = format!("{base}/authorize");
    let consent = browser
        .post(&form_action)
        .form(&fields)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut fields = hidden_inputs(&consent);
    fields.push(("decision".to_string(), "accept".to_string()));
    let redirect = browser
        .post(&form_action)
        .form(&fields)
        .send()
        .await
        .unwrap();
    let location = url::Url::parse(redirect.headers()["location"].to_str().unwrap()).unwrap();
    let code = location
        .query_pairs()
        .find(|(key, _)| key == "code")
        .unwrap()
        .1
        .into_owned();
    let tokens = client.exchange_code(&code).await.unwrap();

    let in_assessment = client
        .list_opportunities(
            &tokens.access_token,
            &OpportunityFilter {
                stage_id: Some(ASSESSMENT_STAGE.to_string()),
                archived: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();

    assert!(page.contains("action=\"authorize\""), "{page}");
    assert_eq!(in_assessment.len(), 2);
    server.abort();
}

#[tokio::test]
async fn data_calls_run_in_spawned_tasks() {
    let harness = start().await;
    let token = harness.connect().await.access_token;
    let client = harness.client.clone();

    // tokio::spawn needs Send + 'static futures, as axum handlers do.
    let outcome = tokio::spawn(async move {
        let note = lever::NewNote {
            value: "Spawned".to_string(),
            score: None,
            secret: false,
            notify_followers: false,
        };
        client.list_stages(&token).await?;
        client.list_archive_reasons(&token).await?;
        client.list_users(&token).await?;
        client.list_postings(&token).await?;
        client
            .list_opportunities(&token, &OpportunityFilter::default())
            .await?;
        client
            .list_opportunities_page(&token, &OpportunityFilter::default(), None)
            .await?;
        client.get_opportunity(&token, "opp-0000").await?;
        client.create_note(&token, "opp-0000", &note, None).await?;
        client.list_notes(&token, "opp-0000").await?;
        client
            .change_stage(&token, "opp-0000", SCREEN_STAGE, None)
            .await?;
        client
            .archive(&token, "opp-0000", FAILED_REASON, None)
            .await?;
        client.unarchive(&token, "opp-0000", None).await
    })
    .await
    .unwrap();

    assert!(outcome.is_ok(), "{outcome:?}");
}
