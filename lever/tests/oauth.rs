//! The OAuth flow against the simulator over real HTTP: consent pages,
//! code exchange, refresh rotation and revocation.

mod common;

use std::time::Duration;

use common::*;
use lever::simulator::{RefreshRotation, SimConfig};
use lever::{LeverError, SCOPES};
use serde_json::json;

#[tokio::test]
async fn authorize_page_renders_sign_in_form() {
    let harness = start().await;

    let (status, page) = harness
        .open_authorize(&harness.client.authorize_url("s1"))
        .await;

    assert_eq!(status, 200);
    assert!(
        page.contains("<label for=\"email\">Email</label>"),
        "{page}"
    );
    assert!(
        page.contains("<label for=\"password\">Password</label>"),
        "{page}"
    );
    assert!(page.contains(">Sign in</button>"), "{page}");
    assert!(page.contains("name=\"viewport\""), "{page}");
}

#[tokio::test]
async fn authorize_page_rejects_unknown_client() {
    let harness = start().await;
    let mut url = harness.client.authorize_url("s1");
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .into_owned()
        .map(|(key, value)| {
            if key == "client_id" {
                (key, "someone-else".to_string())
            } else {
                (key, value)
            }
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);

    let (status, page) = harness.open_authorize(&url).await;

    assert_eq!(status, 400);
    assert!(page.contains("Unknown client_id"), "{page}");
}

#[tokio::test]
async fn authorize_rejects_incomplete_requests() {
    let harness = start().await;

    for (drop_name, expected) in [("audience", "missing audience"), ("scope", "missing scope")] {
        let mut url = harness.client.authorize_url("s1");
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .into_owned()
            .filter(|(key, _)| key != drop_name)
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);

        let (status, page) = harness.open_authorize(&url).await;

        assert_eq!(status, 400, "without {drop_name}");
        assert!(page.contains(expected), "without {drop_name}: {page}");
    }

    let mut url = harness.client.authorize_url("s1");
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .into_owned()
        .map(|(key, value)| {
            if key == "scope" {
                (key, "stages:read:admin".to_string())
            } else {
                (key, value)
            }
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);

    let (status, page) = harness.open_authorize(&url).await;

    assert_eq!(status, 400);
    assert!(page.contains("offline_access"), "{page}");
}

#[tokio::test]
async fn wrong_password_shows_sign_in_again() {
    let harness = start().await;

    let (status, page) = harness.sign_in("s1", ADMIN_EMAIL, "wrong").await;

    assert_eq!(status, 401);
    assert!(page.contains("Incorrect email or password."), "{page}");
    assert!(!page.contains(">Accept<"), "{page}");
}

#[tokio::test]
async fn consent_page_lists_every_scope() {
    let harness = start().await;

    let (status, page) = harness.sign_in("s1", ADMIN_EMAIL, PASSWORD).await;

    assert_eq!(status, 200);
    assert!(page.contains(">Accept</button>"), "{page}");
    assert!(page.contains(">Deny</button>"), "{page}");
    for (scope, _) in SCOPES {
        assert!(
            page.contains(&format!("<code>{scope}</code>")),
            "{scope} missing: {page}"
        );
    }
}

#[tokio::test]
async fn accept_returns_code_and_state() {
    let harness = start().await;

    let code = harness.authorize_code().await;

    assert!(!code.is_empty());
}

#[tokio::test]
async fn code_exchange_returns_tokens() {
    let harness = start().await;
    let code = harness.authorize_code().await;

    let tokens = harness.client.exchange_code(&code).await.unwrap();

    assert!(!tokens.access_token.is_empty());
    assert!(tokens.refresh_token.is_some());
    assert_eq!(tokens.expires_in, Some(Duration::from_secs(3600)));
    let scope = tokens.scope.unwrap();
    for (name, _) in SCOPES {
        assert!(
            scope.split(' ').any(|granted| granted == *name),
            "{name} not granted: {scope}"
        );
    }

    let stages = harness
        .client
        .list_stages(&tokens.access_token)
        .await
        .unwrap();
    assert_eq!(stages.len(), 3);
}

#[tokio::test]
async fn reused_code_is_invalid_grant() {
    let harness = start().await;
    let code = harness.authorize_code().await;
    harness.client.exchange_code(&code).await.unwrap();

    let reused = harness.client.exchange_code(&code).await;

    assert!(
        matches!(reused, Err(LeverError::InvalidGrant(_))),
        "{reused:?}"
    );
}

#[tokio::test]
async fn unknown_code_is_invalid_grant() {
    let harness = start().await;

    let result = harness.client.exchange_code("made-up-code").await;

    assert!(
        matches!(result, Err(LeverError::InvalidGrant(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn wrong_client_secret_is_oauth_error() {
    let harness = start().await;
    let code = harness.authorize_code().await;
    let mut app = app(&SimConfig::default());
    app.client_secret = "wrong-secret".to_string();
    let client = lever::LeverClient::new(harness.sim.hosts(), app, Duration::from_secs(2)).unwrap();

    let result = client.exchange_code(&code).await;

    match result {
        Err(LeverError::OAuth(message)) => {
            assert!(message.contains("invalid_client"), "{message}");
            assert!(!message.contains("wrong-secret"), "{message}");
        }
        other => panic!("expected OAuth error, got {other:?}"),
    }
}

#[tokio::test]
async fn refresh_rotates_refresh_token() {
    let harness = start().await;
    let first = harness.connect().await;
    let old_refresh = first.refresh_token.clone().unwrap();

    let second = harness.client.refresh(&old_refresh).await.unwrap();

    let new_refresh = second.refresh_token.clone().unwrap();
    assert_ne!(new_refresh, old_refresh);
    assert_ne!(second.access_token, first.access_token);
    harness
        .client
        .list_stages(&second.access_token)
        .await
        .unwrap();

    let third = harness.client.refresh(&new_refresh).await.unwrap();
    assert_ne!(third.refresh_token.unwrap(), new_refresh);
}

#[tokio::test]
async fn old_refresh_token_rejected_when_invalidated() {
    let config = SimConfig {
        refresh_rotation: RefreshRotation::InvalidateOld,
        ..SimConfig::default()
    };
    let harness = start_with(config, seed(2)).await;
    let old_refresh = harness.connect().await.refresh_token.unwrap();
    harness.client.refresh(&old_refresh).await.unwrap();

    let reused = harness.client.refresh(&old_refresh).await;

    assert!(
        matches!(reused, Err(LeverError::InvalidGrant(_))),
        "{reused:?}"
    );
}

#[tokio::test]
async fn old_refresh_token_accepted_once_with_overlap() {
    let config = SimConfig {
        refresh_rotation: RefreshRotation::OverlapOld,
        ..SimConfig::default()
    };
    let harness = start_with(config, seed(2)).await;
    let old_refresh = harness.connect().await.refresh_token.unwrap();
    harness.client.refresh(&old_refresh).await.unwrap();

    let second_use = harness.client.refresh(&old_refresh).await;
    let third_use = harness.client.refresh(&old_refresh).await;

    assert!(second_use.is_ok(), "{second_use:?}");
    assert!(
        matches!(third_use, Err(LeverError::InvalidGrant(_))),
        "{third_use:?}"
    );
}

#[tokio::test]
async fn invalid_grant_with_status_400() {
    let config = SimConfig {
        refresh_error_status: 400,
        ..SimConfig::default()
    };
    let harness = start_with(config, seed(2)).await;

    let result = harness.client.refresh("never-issued").await;

    assert!(
        matches!(result, Err(LeverError::InvalidGrant(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn invalid_grant_with_status_403() {
    let config = SimConfig {
        refresh_error_status: 403,
        ..SimConfig::default()
    };
    let harness = start_with(config, seed(2)).await;

    let result = harness.client.refresh("never-issued").await;

    assert!(
        matches!(result, Err(LeverError::InvalidGrant(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn refresh_error_status_knob_switches_status() {
    let harness = start().await;
    let view = harness.knobs(json!({ "refresh_error_status": 400 })).await;
    assert_eq!(view["refresh_error_status"], 400);

    let response = harness
        .browser
        .post(harness.url("oauth/token"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "never-issued"),
            ("client_id", "tryout-demo"),
            ("client_secret", "demo-secret"),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn token_endpoint_accepts_basic_credentials() {
    let harness = start().await;
    let code = harness.authorize_code().await;

    let response = harness
        .browser
        .post(harness.url("oauth/token"))
        .basic_auth("tryout-demo", Some("demo-secret"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT_URI),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(body["refresh_token"].is_string(), "{body}");
}

#[tokio::test]
async fn code_requires_same_redirect_uri() {
    let harness = start().await;
    let code = harness.authorize_code().await;

    let response = harness
        .browser
        .post(harness.url("oauth/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", "https://elsewhere.example/callback"),
            ("client_id", "tryout-demo"),
            ("client_secret", "demo-secret"),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 403);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn revoke_blocks_refresh_and_api() {
    let harness = start().await;
    let tokens = harness.connect().await;

    let response = harness
        .browser
        .post(harness.url("_sim/revoke"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);

    let refreshed = harness
        .client
        .refresh(tokens.refresh_token.as_deref().unwrap())
        .await;
    let listed = harness.client.list_stages(&tokens.access_token).await;

    assert!(
        matches!(refreshed, Err(LeverError::InvalidGrant(_))),
        "{refreshed:?}"
    );
    assert!(
        matches!(listed, Err(LeverError::Unauthorized)),
        "{listed:?}"
    );
    assert_eq!(harness.state().await["revoked"], true);
}

#[tokio::test]
async fn revoke_can_keep_access_tokens() {
    let harness = start().await;
    let tokens = harness.connect().await;
    harness
        .knobs(json!({ "revoke_keeps_access_tokens": true }))
        .await;

    let response = harness
        .browser
        .post(harness.url("_sim/revoke"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);

    let listed = harness.client.list_stages(&tokens.access_token).await;
    let refreshed = harness
        .client
        .refresh(tokens.refresh_token.as_deref().unwrap())
        .await;

    assert!(listed.is_ok(), "{listed:?}");
    assert!(
        matches!(refreshed, Err(LeverError::InvalidGrant(_))),
        "{refreshed:?}"
    );
    let state = harness.state().await;
    assert_eq!(state["revoked"], true);
    assert_eq!(state["liveAccessTokens"], 1);
}

#[tokio::test]
async fn revoke_kills_every_access_token() {
    let harness = start().await;
    let first = harness.connect().await;
    let second = harness.connect().await;

    harness.sim.simulator.revoke_all();

    for token in [&first.access_token, &second.access_token] {
        let listed = harness.client.list_stages(token).await;
        assert!(
            matches!(listed, Err(LeverError::Unauthorized)),
            "{listed:?}"
        );
    }
    assert_eq!(harness.sim.simulator.snapshot().live_access_tokens, 0);
}

#[tokio::test]
async fn reconnect_after_revoke_works() {
    let harness = start().await;
    harness.connect().await;
    harness.sim.simulator.revoke_all();

    let tokens = harness.connect().await;

    harness
        .client
        .list_stages(&tokens.access_token)
        .await
        .unwrap();
    assert!(!harness.sim.simulator.snapshot().revoked);
}

#[tokio::test]
async fn member_cannot_accept() {
    let harness = start().await;

    let (status, consent) = harness.sign_in("s1", MEMBER_EMAIL, PASSWORD).await;

    assert_eq!(status, 200);
    assert!(
        consent.contains("Only Super Admins can authorize apps"),
        "{consent}"
    );
    assert!(!consent.contains(">Accept<"), "{consent}");

    // Posting Accept anyway, as a crafted form would, is rejected.
    let callback = harness.decide(&consent, "accept").await;
    assert_eq!(callback.status, 403);
    assert_eq!(callback.get("code"), None);
    assert_eq!(harness.sim.simulator.snapshot().codes_issued, 0);
}

#[tokio::test]
async fn deactivated_user_cannot_sign_in() {
    let harness = start().await;

    let (status, page) = harness.sign_in("s1", "former@example.com", PASSWORD).await;

    assert_eq!(status, 401);
    assert!(page.contains("Incorrect email or password."), "{page}");
}

#[tokio::test]
async fn deny_redirects_with_access_denied() {
    let harness = start().await;
    let (_, consent) = harness.sign_in("state-deny", ADMIN_EMAIL, PASSWORD).await;

    let callback = harness.decide(&consent, "deny").await;

    assert_eq!(callback.status, 302);
    assert_eq!(callback.get("error"), Some("access_denied"));
    assert_eq!(
        callback.get("error_description"),
        Some("user_did_not_authorize_the_request")
    );
    assert_eq!(callback.get("state"), Some("state-deny"));
    assert_eq!(callback.get("code"), None);
}

#[tokio::test]
async fn forged_consent_ticket_rejected() {
    let harness = start().await;
    let (_, consent) = harness.sign_in("s1", MEMBER_EMAIL, PASSWORD).await;
    let fields: Vec<(String, String)> = hidden_inputs(&consent)
        .into_iter()
        .map(|(name, value)| {
            if name == "user_id" {
                (name, ADMIN_ID.to_string())
            } else {
                (name, value)
            }
        })
        .chain([("decision".to_string(), "accept".to_string())])
        .collect();

    let response = harness.post_authorize(&fields).await;

    assert_eq!(response.status().as_u16(), 400);
    assert!(response.headers().get("location").is_none());
}

#[tokio::test]
async fn expired_access_token_unauthorized() {
    let harness = start().await;
    harness.knobs(json!({ "access_token_ttl_secs": 0 })).await;
    let tokens = harness.connect().await;

    let result = harness.client.list_stages(&tokens.access_token).await;

    assert!(
        matches!(result, Err(LeverError::Unauthorized)),
        "{result:?}"
    );
}

#[tokio::test]
async fn unknown_access_token_unauthorized() {
    let harness = start().await;

    let result = harness.client.list_stages("not-a-token").await;

    assert!(
        matches!(result, Err(LeverError::Unauthorized)),
        "{result:?}"
    );
}

#[tokio::test]
async fn token_calls_run_in_spawned_tasks() {
    let harness = start().await;
    let code = harness.authorize_code().await;

    // tokio::spawn needs Send + 'static futures, as axum handlers do.
    let client = harness.client.clone();
    let tokens = tokio::spawn(async move { client.exchange_code(&code).await })
        .await
        .unwrap()
        .unwrap();
    let client = harness.client.clone();
    let refresh_token = tokens.refresh_token.unwrap();
    let refreshed = tokio::spawn(async move { client.refresh(&refresh_token).await })
        .await
        .unwrap();

    assert!(refreshed.is_ok(), "{refreshed:?}");
}
