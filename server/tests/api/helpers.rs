//! A running Tryout for one test: two seeded organizations, a Lever simulator, and typed
//! helpers for what a browser or Lever would send. Each test runs once per backend: on a
//! fresh SQLite file, and on a fresh PostgreSQL database created for it and dropped after.

use std::time::{Duration, Instant};

use app::ssr::state::AppState;
use lever::client::OAuthApp;
use lever::simulator::{SimConfig, SimSnapshot, Simulator, SpawnedSimulator};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use server::config::{
    callback_url, public_url, sqlite_url, Config, LeverConfig, MailConfig, MediaConfig,
    DEFAULT_OUTBOX_LEASE,
};
use server::demo::seed::{seed, DemoCredentials};
use server::startup::Application;
use sqlx::{Connection, Executor, PgConnection};
use tempfile::TempDir;
use tokio::net::TcpListener;
use url::Url;

pub const CLIENT_SECRET: &str = "integration-test-secret";

/// Names the PostgreSQL server the tests create their databases on, as a URL to a database
/// the user may connect to (the tests create and drop their own beside it).
pub const POSTGRES_URL_VARIABLE: &str = "TRYOUT_TEST_POSTGRES_URL";

/// Runs each named test function (`async fn name(app: TestApp)`) once per backend, as
/// `name::sqlite` and `name::postgres`. After `backend:`, each function instead takes the
/// [`Backend`] and spawns its own `TestApp`, for tests that start a peer the app's
/// configuration must name.
macro_rules! on_both_backends {
    (backend: $($name:ident),* $(,)?) => {$(
        mod $name {
            use $crate::helpers::Backend;

            #[tokio::test]
            async fn sqlite() {
                super::$name(Backend::Sqlite).await;
            }

            #[tokio::test]
            async fn postgres() {
                super::$name(Backend::Postgres).await;
            }
        }
    )*};
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use $crate::helpers::{Backend, TestApp};

            #[tokio::test]
            async fn sqlite() {
                super::$name(TestApp::spawn(Backend::Sqlite).await).await;
            }

            #[tokio::test]
            async fn postgres() {
                super::$name(TestApp::spawn(Backend::Postgres).await).await;
            }
        }
    )*};
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A PostgreSQL database created for one test; dropped (with its connections) on drop.
pub struct PostgresDatabase {
    pub url: String,
    admin_url: String,
    name: String,
}

impl PostgresDatabase {
    /// Creates a database with a random name on the server `TRYOUT_TEST_POSTGRES_URL` names.
    pub async fn create() -> Self {
        let admin_url = std::env::var(POSTGRES_URL_VARIABLE).unwrap_or_else(|_| {
            panic!(
                "{POSTGRES_URL_VARIABLE} is not set, so this PostgreSQL test cannot run. Set it to a server's URL, \
                 e.g. postgres://postgres@127.0.0.1:5432/postgres, or run scripts/test, which finds a local server."
            )
        });
        let name = format!("tryout_test_{}", uuid::Uuid::new_v4().simple());

        let mut admin = PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|error| {
                panic!("cannot reach PostgreSQL at {POSTGRES_URL_VARIABLE}: {error}")
            });
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("CREATE DATABASE");
        admin.close().await.ok();

        let mut url = Url::parse(&admin_url).expect("a valid PostgreSQL URL");
        url.set_path(&name);
        Self {
            url: url.to_string(),
            admin_url,
            name,
        }
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        // Drop runs inside the test's runtime, which cannot block on async work. So a thread
        // with a runtime of its own drops the database, and this waits for that thread.
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async move {
                let mut admin = PgConnection::connect(&admin_url).await?;
                admin
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await?;
                Ok::<_, sqlx::Error>(())
            })
        })
        .join();
        if let Ok(Err(error)) = dropped {
            eprintln!("could not drop the test database {}: {error}", self.name);
        }
    }
}

pub struct TestApp {
    pub base: Url,
    pub state: AppState,
    pub simulator: SpawnedSimulator,
    /// The organization connected to the simulator's Lever account in most tests.
    pub northwind: DemoCredentials,
    /// A second organization on the same deployment.
    pub globex: DemoCredentials,
    server: tokio::task::JoinHandle<()>,
    // Dropped after the server task is stopped (fields drop in order). SQLite's file goes
    // with the data directory.
    _postgres: Option<PostgresDatabase>,
    _data: TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Settings of the Tryout under test that a test may change.
#[derive(Debug, Clone, Copy)]
pub struct TestOptions {
    pub lever_request_timeout: Duration,
    pub lever_requests_per_second: u32,
    pub outbox_lease: Duration,
}

impl Default for TestOptions {
    fn default() -> Self {
        Self {
            lever_request_timeout: Duration::from_secs(5),
            // Tests send in bursts; the pace itself is covered by its own test.
            lever_requests_per_second: 100,
            outbox_lease: DEFAULT_OUTBOX_LEASE,
        }
    }
}

impl TestApp {
    /// Spawns the app with no SMTP server, so emails go to the mailbox page.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, TestOptions::default()).await
    }

    /// Spawns the app sending its emails through `mail`.
    pub async fn spawn_with_mail(backend: Backend, mail: MailConfig) -> Self {
        Self::spawn_configured(backend, TestOptions::default(), move |config| {
            config.mail = mail
        })
        .await
    }

    /// Spawns the app with the given Lever and outbox settings.
    pub async fn spawn_with(backend: Backend, options: TestOptions) -> Self {
        Self::spawn_configured(backend, options, |_| {}).await
    }

    /// Like [`TestApp::spawn_with`], with the configuration changed by `configure` last.
    pub async fn spawn_configured(
        backend: Backend,
        options: TestOptions,
        configure: impl FnOnce(&mut Config),
    ) -> Self {
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
        let postgres = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(PostgresDatabase::create().await),
        };
        let database_url = match &postgres {
            Some(database) => database.url.clone(),
            None => sqlite_url(&data.path().join("tryout.db")),
        };
        std::fs::create_dir_all(data.path().join("site/pkg")).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = public_url(None, listener.local_addr().unwrap()).unwrap();

        let mut config = Config {
            listen: listener.local_addr().unwrap(),
            public_url: base.clone(),
            database_url,
            database_max_connections: None,
            site_root: data.path().join("site"),
            outbox_lease: options.outbox_lease,
            secret_key: app::ssr::crypto::SecretBox::generate_base64_key(),
            lever: Some(LeverConfig {
                hosts: simulator.hosts(),
                app: OAuthApp {
                    client_id: server::demo::lever_account::CLIENT_ID.into(),
                    client_secret: CLIENT_SECRET.into(),
                    redirect_uri: callback_url(&base),
                },
                request_timeout: options.lever_request_timeout,
                requests_per_second: options.lever_requests_per_second,
                // Long enough that no poll runs unless a test sets a shorter interval, because a
                // poll's calls would take faults a test injects for the outbox.
                poll_interval: Duration::from_secs(3600),
            }),
            media: MediaConfig::default_directory(data.path())
                .expect("media directory in the temporary directory"),
            culture_video_max_bytes: server::config::DEFAULT_CULTURE_VIDEO_MAX_MIB << 20,
            mail: MailConfig::Mailbox,
            trusted_proxy_header: None,
        };

        configure(&mut config);
        let application = Application::build(&config, listener, None)
            .await
            .expect("application builds");
        let state = application.state.clone();
        let northwind = seed(&state.db, &base, &simulator.base_url, "northwind")
            .await
            .unwrap();
        let globex = seed(&state.db, &base, &simulator.base_url, "globex")
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
            _postgres: postgres,
            _data: data,
        }
    }

    /// Builds a browser-like client that keeps cookies and does not follow redirects.
    pub fn browser() -> Client {
        server::load::consent::browser()
    }

    /// The `Origin` a browser sends with Tryout's own forms, which the CSRF check requires on
    /// every state-changing request without a JSON body.
    pub fn origin(&self) -> String {
        self.base.origin().ascii_serialization()
    }

    /// Returns the media store's directory (the default local store in the data directory).
    pub fn media_dir(&self) -> std::path::PathBuf {
        self._data.path().join("media")
    }

    pub fn url(&self, path: &str) -> Url {
        self.base.join(path.trim_start_matches('/')).unwrap()
    }

    /// Posts a URL-encoded form to the server function `name` as a browser on this app's
    /// pages would, `Origin` included; returns the status and the body.
    pub async fn post_form(
        &self,
        browser: &Client,
        name: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let response = browser
            .post(self.url(&format!("/api/{name}")))
            .header(reqwest::header::ORIGIN, self.origin())
            .form(form)
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.text().await.unwrap())
    }

    /// Signs a staff member in through the sign-in server function.
    pub async fn sign_in(&self, browser: &Client, email: &str, password: &str) {
        let response = browser
            .post(self.url("/api/sign_in"))
            .header(reqwest::header::ORIGIN, self.origin())
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
        self.call_as(&reqwest::Client::new(), name, body).await
    }

    /// Calls a JSON-encoded server function as `browser`, with its session if it has one.
    pub async fn call_as(&self, browser: &Client, name: &str, body: Value) -> (StatusCode, Value) {
        let response = browser
            .post(self.url(&format!("/api/{name}")))
            .json(&body)
            .send()
            .await
            .unwrap();
        decoded(response).await
    }

    /// Calls a URL-encoded server function.
    pub async fn call_form(&self, name: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let response = reqwest::Client::new()
            .post(self.url(&format!("/api/{name}")))
            .header(reqwest::header::ORIGIN, self.origin())
            .form(form)
            .send()
            .await
            .unwrap();
        decoded(response).await
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
        server::load::consent::consent(
            browser,
            &self.base,
            &self.northwind.lever.super_admin,
            decision,
        )
        .await
        .unwrap()
    }

    /// Returns the first line of an email body that is a link into this app.
    pub fn link_in(&self, body: &str) -> String {
        body.lines()
            .find(|line| line.starts_with(self.base.as_str()))
            .unwrap_or_else(|| panic!("no link in {body}"))
            .to_string()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.state.db)
            .await
            .unwrap()
    }
}

pub fn location(response: &reqwest::Response) -> String {
    server::load::consent::location(response).unwrap()
}

/// Returns the token at the end of a candidate link.
pub fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_string()
}

/// Ids of the published demo job's steps and questions, read from the database.
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
    let steps: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.id, s.kind FROM steps s JOIN portal_versions v ON v.id = s.version_id
             WHERE s.organization_id = $1 AND v.status = 'published' ORDER BY s.position",
    )
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

/// Returns `len` bytes that start like a WebM video (the EBML magic number) and go on in a
/// pattern, so a byte range read back can be compared with the bytes sent.
pub fn sample_video(len: usize) -> Vec<u8> {
    let mut bytes = vec![0x1A, 0x45, 0xDF, 0xA3];
    bytes.extend((0..len.saturating_sub(4)).map(|index| (index % 251) as u8));
    bytes.truncate(len);
    bytes
}

/// Returns `len` bytes that start like a PNG image (its signature) and go on in a pattern.
pub fn sample_png(len: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..len.saturating_sub(8)).map(|index| (index % 241) as u8));
    bytes.truncate(len);
    bytes
}

/// Uploads `bytes` as the organization's logo as `browser`, the way the Branding page does;
/// returns the status and the decoded body.
pub async fn upload_logo(app: &TestApp, browser: &Client, bytes: Vec<u8>) -> (StatusCode, Value) {
    let response = browser
        .post(app.url("/media/branding/logo?name=logo.png"))
        .header(reqwest::header::ORIGIN, app.origin())
        .header(reqwest::header::CONTENT_TYPE, "image/png")
        .body(bytes)
        .send()
        .await
        .unwrap();
    decoded(response).await
}

/// Uploads `bytes` as a culture video of job `role_id` as `browser`, the way the portal
/// editor does; returns the status and the decoded body.
pub async fn upload_culture_video(
    app: &TestApp,
    browser: &Client,
    role_id: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let response = browser
        .post(app.url(&format!(
            "/media/jobs/{role_id}/culture-videos?name=Meet%20the%20team.webm"
        )))
        .header(reqwest::header::ORIGIN, app.origin())
        .header(reqwest::header::CONTENT_TYPE, content_type)
        .body(bytes)
        .send()
        .await
        .unwrap();
    decoded(response).await
}

/// Lists the files under `directory`, at any depth.
pub fn files_under(directory: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![directory.to_path_buf()];
    while let Some(next) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// Returns a response's status and its body, decoded as JSON when it is JSON, else as text.
pub async fn decoded(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}
