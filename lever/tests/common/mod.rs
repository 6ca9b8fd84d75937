//! Shared setup for the integration tests: a seeded simulator on
//! 127.0.0.1, a client pointed at it, and a scripted walk through the
//! authorize pages.

#![allow(dead_code)]

pub mod receiver;

use std::time::Duration;

use lever::simulator::{Seed, SimConfig, SimUser, Simulator, SpawnedSimulator};
use lever::{
    ArchiveReason, LeverClient, OAuthApp, Opportunity, Posting, PostingCategories, Stage, TokenSet,
    User,
};
use serde_json::Value;
use url::Url;

pub const ADMIN_ID: &str = "user-admin";
pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const MEMBER_ID: &str = "user-member";
pub const MEMBER_EMAIL: &str = "member@example.com";
pub const FORMER_ID: &str = "user-former";
pub const PASSWORD: &str = "correct horse";

pub const ASSESSMENT_STAGE: &str = "stage-assessment";
pub const SCREEN_STAGE: &str = "stage-screen";
pub const FAILED_REASON: &str = "reason-failed";
pub const INACTIVE_REASON: &str = "reason-old";
pub const POSTING_ID: &str = "posting-backend";

/// The callback the test app registers. Tests read the redirect's
/// Location header and never request this URL.
pub const REDIRECT_URI: &str = "https://tryout.example/lever/callback";

/// Base time of seeded opportunities, milliseconds since the Unix epoch.
pub const BASE_TIME: i64 = 1_750_000_000_000;

/// Polls `check` every 20 ms until it returns `Some`, for state that
/// background webhook deliveries update; fails the test after 15 seconds.
pub async fn eventually<T>(what: &str, check: impl Fn() -> Option<T>) -> T {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);

    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub struct Harness {
    pub sim: SpawnedSimulator,
    pub client: LeverClient,
    /// Browser stand-in that does not follow redirects.
    pub browser: reqwest::Client,
}

/// Builds an opportunity named `Candidate <index>` in `stage`, created
/// `index` minutes after [`BASE_TIME`].
pub fn opportunity(index: usize, stage: &str) -> Opportunity {
    let created_at = BASE_TIME + index as i64 * 60_000;

    Opportunity {
        id: format!("opp-{index:04}"),
        name: Some(format!("Candidate {index}")),
        contact: Some(format!("contact-{index:04}")),
        emails: vec![format!("candidate{index}@example.com")],
        stage: Some(stage.to_string()),
        archived: None,
        tags: Vec::new(),
        created_at: Some(created_at),
        updated_at: Some(created_at),
        last_advanced_at: Some(created_at),
        applications: vec![POSTING_ID.to_string()],
        urls: None,
    }
}

/// Builds stages, archive reasons, three users, one posting and `count`
/// opportunities, the even ones in the assessment stage.
pub fn seed(count: usize) -> Seed {
    let user = |id: &str, email: &str, role: &str, deactivated_at: Option<i64>| SimUser {
        user: User {
            id: id.to_string(),
            name: format!("Name of {id}"),
            email: Some(email.to_string()),
            access_role: Some(role.to_string()),
            deactivated_at,
        },
        password: PASSWORD.to_string(),
    };

    Seed {
        stages: vec![
            Stage {
                id: "lead-new".to_string(),
                text: "New lead".to_string(),
            },
            Stage {
                id: ASSESSMENT_STAGE.to_string(),
                text: "Assessment".to_string(),
            },
            Stage {
                id: SCREEN_STAGE.to_string(),
                text: "Phone screen".to_string(),
            },
        ],
        archive_reasons: vec![
            ArchiveReason {
                id: FAILED_REASON.to_string(),
                text: "Did not pass assessment".to_string(),
                status: Some("active".to_string()),
                r#type: Some("non-hired".to_string()),
            },
            ArchiveReason {
                id: "reason-hired".to_string(),
                text: "Hired".to_string(),
                status: Some("active".to_string()),
                r#type: Some("hired".to_string()),
            },
            ArchiveReason {
                id: INACTIVE_REASON.to_string(),
                text: "Old reason".to_string(),
                status: Some("inactive".to_string()),
                r#type: Some("non-hired".to_string()),
            },
        ],
        users: vec![
            user(ADMIN_ID, ADMIN_EMAIL, "super admin", None),
            user(MEMBER_ID, MEMBER_EMAIL, "team member", None),
            user(FORMER_ID, "former@example.com", "admin", Some(BASE_TIME)),
        ],
        postings: vec![Posting {
            id: POSTING_ID.to_string(),
            text: "Backend Engineer".to_string(),
            state: Some("published".to_string()),
            categories: Some(PostingCategories {
                team: Some("Platform".to_string()),
                department: Some("Engineering".to_string()),
                location: Some("Remote".to_string()),
                commitment: Some("Full-time".to_string()),
            }),
            content: None,
        }],
        opportunities: (0..count)
            .map(|index| {
                opportunity(
                    index,
                    if index % 2 == 0 {
                        ASSESSMENT_STAGE
                    } else {
                        "lead-new"
                    },
                )
            })
            .collect(),
    }
}

pub fn app(config: &SimConfig) -> OAuthApp {
    OAuthApp {
        client_id: config.client_id.clone(),
        client_secret: config.client_secret.clone(),
        redirect_uri: Url::parse(REDIRECT_URI).unwrap(),
    }
}

/// Starts a simulator with `config` and `seed`, and a client with a
/// 2-second request timeout.
pub async fn start_with(config: SimConfig, seed: Seed) -> Harness {
    let simulator = Simulator::new(config.clone());
    simulator.seed(seed);
    let sim = simulator
        .spawn()
        .await
        .expect("simulator starts on 127.0.0.1");

    let client = LeverClient::new(sim.hosts(), app(&config), Duration::from_secs(2)).unwrap();
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();

    Harness {
        sim,
        client,
        browser,
    }
}

pub async fn start() -> Harness {
    start_with(SimConfig::default(), seed(6)).await
}

/// Result of the consent step: the query of the redirect to the app.
#[derive(Debug)]
pub struct Callback {
    pub status: u16,
    pub pairs: Vec<(String, String)>,
}

impl Callback {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Extracts `(name, value)` of every hidden input of a page.
pub fn hidden_inputs(html: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();

    for tag in html.split("<input").skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        if !tag.contains("type=\"hidden\"") {
            continue;
        }
        let attribute = |name: &str| {
            let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
            let end = tag[start..].find('"')? + start;
            Some(unescape(&tag[start..end]))
        };
        if let (Some(name), Some(value)) = (attribute("name"), attribute("value")) {
            fields.push((name, value));
        }
    }

    fields
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

impl Harness {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.sim.base_url, path.trim_start_matches('/'))
    }

    /// Opens the authorize page and returns its status and HTML.
    pub async fn open_authorize(&self, url: &Url) -> (u16, String) {
        let response = self.browser.get(url.clone()).send().await.unwrap();
        let status = response.status().as_u16();

        (status, response.text().await.unwrap())
    }

    /// Posts a form to the page's `authorize` action.
    pub async fn post_authorize(&self, fields: &[(String, String)]) -> reqwest::Response {
        self.browser
            .post(self.url("authorize"))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// Signs in on the authorize page and returns the consent page HTML.
    pub async fn sign_in(&self, state: &str, email: &str, password: &str) -> (u16, String) {
        let (status, page) = self.open_authorize(&self.client.authorize_url(state)).await;
        assert_eq!(status, 200, "authorize page: {page}");

        let mut fields = hidden_inputs(&page);
        fields.push(("email".to_string(), email.to_string()));
        fields.push(("password".to_string(), password.to_string()));

        let response = self.post_authorize(&fields).await;
        let status = response.status().as_u16();

        (status, response.text().await.unwrap())
    }

    /// Clicks Accept or Deny on a consent page and returns the redirect.
    pub async fn decide(&self, consent_page: &str, decision: &str) -> Callback {
        let mut fields = hidden_inputs(consent_page);
        fields.push(("decision".to_string(), decision.to_string()));

        let response = self.post_authorize(&fields).await;
        let status = response.status().as_u16();
        let pairs = response
            .headers()
            .get("location")
            .and_then(|value| value.to_str().ok())
            .and_then(|location| Url::parse(location).ok())
            .map(|url| url.query_pairs().into_owned().collect())
            .unwrap_or_default();

        Callback { status, pairs }
    }

    /// Signs in as the Super Admin, accepts, and returns the code.
    pub async fn authorize_code(&self) -> String {
        let (status, consent) = self.sign_in("state-1", ADMIN_EMAIL, PASSWORD).await;
        assert_eq!(status, 200, "consent page: {consent}");

        let callback = self.decide(&consent, "accept").await;
        assert_eq!(callback.status, 302, "{callback:?}");
        assert_eq!(callback.get("state"), Some("state-1"));

        callback
            .get("code")
            .expect("code in the callback")
            .to_string()
    }

    /// Authorizes as the Super Admin with `scope` in place of the client's
    /// scopes, and returns the code.
    pub async fn authorize_code_with_scope(&self, scope: &str) -> String {
        let mut url = self.client.authorize_url("narrow");
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .into_owned()
            .map(|(key, value)| {
                if key == "scope" {
                    (key, scope.to_string())
                } else {
                    (key, value)
                }
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);

        let (status, page) = self.open_authorize(&url).await;
        assert_eq!(status, 200, "authorize page: {page}");
        let mut fields = hidden_inputs(&page);
        fields.push(("email".to_string(), ADMIN_EMAIL.to_string()));
        fields.push(("password".to_string(), PASSWORD.to_string()));
        let consent = self.post_authorize(&fields).await.text().await.unwrap();

        let callback = self.decide(&consent, "accept").await;
        callback
            .get("code")
            .expect("code in the callback")
            .to_string()
    }

    /// Runs the whole consent flow and exchanges the code.
    pub async fn connect(&self) -> TokenSet {
        let code = self.authorize_code().await;

        self.client
            .exchange_code(&code)
            .await
            .expect("code exchange succeeds")
    }

    /// Sets knobs through `POST /_sim/knobs` and returns the response.
    pub async fn knobs(&self, body: Value) -> Value {
        let response = self
            .browser
            .post(self.url("_sim/knobs"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "knobs {body}");

        response.json().await.unwrap()
    }

    /// `GET /_sim/state`.
    pub async fn state(&self) -> Value {
        self.browser
            .get(self.url("_sim/state"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}
