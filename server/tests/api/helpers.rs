//! A running Tryout for one test: two seeded organizations, a Lever simulator, and typed
//! helpers for what a browser or Lever would send.

use std::time::{Duration, Instant};

use app::ssr::state::AppState;
use lever::client::OAuthApp;
use lever::simulator::{SimConfig, SimSnapshot, Simulator, SpawnedSimulator};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use server::config::{callback_url, public_url, sqlite_url, Config, LeverConfig, MediaConfig};
use server::demo::seed::{seed, DemoCredentials};
use server::startup::Application;
use tempfile::TempDir;
use tokio::net::TcpListener;
use url::Url;

pub const CLIENT_SECRET: &str = "integration-test-secret";

pub struct TestApp {
    pub base: Url,
    pub state: AppState,
    pub simulator: SpawnedSimulator,
    /// The organization connected to the simulator's Lever account in most tests.
    pub northwind: DemoCredentials,
    /// A second organization on the same deployment.
    pub globex: DemoCredentials,
    server: tokio::task::JoinHandle<()>,
    _data: TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl TestApp {
    pub async fn spawn() -> Self {
        if std::env::var_os("TEST_LOG").is_some() {
            server::telemetry::init(false);
        }

        let simulator = Simulator::new(SimConfig {
            client_id: server::demo::lever_account::CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            ..SimConfig::default()
        });
        simulator.seed(server::demo::lever_account::seed());
        let simulator = simulator
            .spawn()
            .await
            .expect("simulator binds 127.0.0.1:0");

        let data = tempfile::tempdir().expect("temporary directory");
        std::fs::create_dir_all(data.path().join("site/pkg")).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = public_url(None, listener.local_addr().unwrap()).unwrap();

        let config = Config {
            listen: listener.local_addr().unwrap(),
            public_url: base.clone(),
            database_url: sqlite_url(&data.path().join("tryout.db")),
            site_root: data.path().join("site"),
            secret_key: app::ssr::crypto::SecretBox::generate_base64_key(),
            lever: Some(LeverConfig {
                hosts: simulator.hosts(),
                app: OAuthApp {
                    client_id: server::demo::lever_account::CLIENT_ID.into(),
                    client_secret: CLIENT_SECRET.into(),
                    redirect_uri: callback_url(&base),
                },
                request_timeout: Duration::from_secs(5),
            }),
            media: MediaConfig::default_directory(data.path())
                .expect("media directory in the temporary directory"),
        };

        let application = Application::build(&config, listener, None)
            .await
            .expect("application builds");
        let state = application.state.clone();
        let northwind = seed(&state, &base, &simulator.base_url, "northwind")
            .await
            .unwrap();
        let globex = seed(&state, &base, &simulator.base_url, "globex")
            .await
            .unwrap();
        let server = tokio::spawn(async move {
            application.run_until_stopped().await.expect("server runs");
        });

        Self {
            base,
            state,
            simulator,
            northwind,
            globex,
            server,
            _data: data,
        }
    }

    /// Builds a browser-like client that keeps cookies and does not follow redirects.
    pub fn browser() -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> Url {
        self.base.join(path.trim_start_matches('/')).unwrap()
    }

    /// Signs a staff member in through the sign-in server function.
    pub async fn sign_in(&self, browser: &Client, email: &str, password: &str) {
        let response = browser
            .post(self.url("/api/sign_in"))
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success() || response.status().is_redirection(),
            "sign-in failed with {}",
            response.status()
        );
    }

    /// Calls a JSON-encoded server function; returns the status and the decoded body.
    pub async fn call(&self, name: &str, body: Value) -> (StatusCode, Value) {
        let response = reqwest::Client::new()
            .post(self.url(&format!("/api/{name}")))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// Calls a URL-encoded server function.
    pub async fn call_form(&self, name: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let response = reqwest::Client::new()
            .post(self.url(&format!("/api/{name}")))
            .form(form)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// Reads the simulator's Lever account state over HTTP.
    pub async fn lever_state(&self) -> SimSnapshot {
        let url = self.simulator.base_url.join("_sim/state").unwrap();
        reqwest::get(url).await.unwrap().json().await.unwrap()
    }

    /// Polls the simulator until `condition` holds; panics with the last state after 20 s.
    pub async fn wait_for_lever(
        &self,
        what: &str,
        condition: impl Fn(&SimSnapshot) -> bool,
    ) -> SimSnapshot {
        let started = Instant::now();
        loop {
            let snapshot = self.lever_state().await;
            if condition(&snapshot) {
                return snapshot;
            }
            if started.elapsed() > Duration::from_secs(20) {
                panic!("timed out waiting for Lever to show {what}; last state: {snapshot:#?}");
            }
            self.state.outbox_wakeup.notify_one();
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn set_knobs(&self, knobs: Value) {
        let url = self.simulator.base_url.join("_sim/knobs").unwrap();
        let response = reqwest::Client::new()
            .post(url)
            .json(&knobs)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "knobs rejected: {}",
            response.text().await.unwrap()
        );
    }

    /// Connects northwind's Lever as its Super Admin, through the simulator's pages.
    pub async fn connect_lever(&self) -> Client {
        let browser = Self::browser();
        self.sign_in(
            &browser,
            &self.northwind.admin.email,
            &self.northwind.admin.password,
        )
        .await;
        let callback = self.consent(&browser, "accept").await;
        let landing = browser.get(callback).send().await.unwrap();
        assert_eq!(location(&landing), "/jobs?lever=connected");
        browser
    }

    /// Starts the OAuth flow, signs in to the simulator and clicks `decision`; returns the
    /// callback URL Lever redirected to.
    pub async fn consent(&self, browser: &Client, decision: &str) -> String {
        let authorize = browser
            .post(self.url("/integrations/lever/authorize"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            authorize.status(),
            StatusCode::SEE_OTHER,
            "authorize did not redirect"
        );
        let lever_url = Url::parse(&location(&authorize)).unwrap();
        let form_url = lever_url.join("authorize").unwrap();

        let sign_in_page = browser
            .get(lever_url.clone())
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let mut fields = hidden_fields(&sign_in_page);
        fields.push((
            "email".into(),
            self.northwind.lever.super_admin.email.clone(),
        ));
        fields.push((
            "password".into(),
            self.northwind.lever.super_admin.password.clone(),
        ));
        let consent_page = browser
            .post(form_url.clone())
            .form(&fields)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();

        let mut fields = hidden_fields(&consent_page);
        fields.push(("decision".into(), decision.into()));
        let redirect = browser.post(form_url).form(&fields).send().await.unwrap();
        assert!(
            redirect.status().is_redirection(),
            "consent did not redirect: {}",
            redirect.status()
        );
        location(&redirect)
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.state.db)
            .await
            .unwrap()
    }
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .unwrap_or_else(|| panic!("no Location header on a {} response", response.status()))
        .to_str()
        .unwrap()
        .to_string()
}

/// Extracts the `<input type="hidden">` fields of a page, unescaped.
pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for tag in html.split("<input").skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        if !tag.contains("type=\"hidden\"") {
            continue;
        }
        let attribute = |name: &str| {
            let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
            let end = start + tag[start..].find('"')?;
            Some(unescape(&tag[start..end]))
        };
        if let (Some(name), Some(value)) = (attribute("name"), attribute("value")) {
            fields.push((name, value));
        }
    }
    fields
}

fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Returns the token at the end of a candidate link.
pub fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_string()
}

/// Ids of a role's steps and questions, read from the database.
pub struct QuizIds {
    pub content_step: String,
    pub quiz_step: String,
    /// (question id, prompt, kind, options_json)
    pub questions: Vec<(String, String, String, String)>,
}

pub async fn quiz_ids(app: &TestApp, admin_email: &str) -> QuizIds {
    let organization_id: String =
        sqlx::query_scalar("SELECT organization_id FROM staff_users WHERE email = $1")
            .bind(admin_email)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let steps: Vec<(String, String)> =
        sqlx::query_as("SELECT id, kind FROM steps WHERE organization_id = $1 ORDER BY position")
            .bind(&organization_id)
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    let quiz_step = steps
        .iter()
        .find(|(_, kind)| kind == "quiz")
        .unwrap()
        .0
        .clone();
    let questions = sqlx::query_as("SELECT id, prompt, kind, options_json FROM quiz_questions WHERE step_id = $1 ORDER BY position")
        .bind(&quiz_step)
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    QuizIds {
        content_step: steps
            .iter()
            .find(|(_, kind)| kind == "content")
            .unwrap()
            .0
            .clone(),
        quiz_step,
        questions,
    }
}

impl QuizIds {
    pub fn question(&self, prompt_start: &str) -> &str {
        &self
            .questions
            .iter()
            .find(|(_, prompt, _, _)| prompt.starts_with(prompt_start))
            .unwrap()
            .0
    }
}

/// Correct answers to the demo quiz, keyed by the start of each prompt.
pub fn correct_answers() -> Vec<(&'static str, Value)> {
    vec![
        ("Which HTTP status", json!({"type": "choice", "value": "c"})),
        (
            "Which of these are ACID",
            json!({"type": "choices", "value": ["a", "b", "d", "e"]}),
        ),
        (
            "How many milliseconds",
            json!({"type": "number", "value": 60000.0}),
        ),
        (
            "Which SQL keyword",
            json!({"type": "text", "value": "distinct"}),
        ),
        ("Are you legally", json!({"type": "choice", "value": "a"})),
        ("Which Rust type", json!({"type": "choice", "value": "b"})),
        (
            "Which of these HTTP methods",
            json!({"type": "choices", "value": ["a", "b", "d"]}),
        ),
        (
            "What is 2 to the power",
            json!({"type": "number", "value": 1024.0}),
        ),
        (
            "Describe a production incident",
            json!({"type": "text", "value": "A queue backed up; we added backpressure."}),
        ),
    ]
}
