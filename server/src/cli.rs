//! The command line. Every option can also be set by the environment variable named in
//! its help.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "tryout",
    version,
    about = "Tryout: a self-hosted candidate portal for teams that hire with Lever"
)]
pub struct Cli {
    /// Write logs as JSON lines instead of text.
    #[arg(long, env = "TRYOUT_LOG_JSON", global = true)]
    pub log_json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal.
    Serve(Box<ServeArgs>),
    /// Serve a demo on a fresh SQLite database, with a seeded organization, a role and a
    /// Lever simulator in the same process. It prints the URL, the sign-ins and candidate links.
    Demo(DemoArgs),
    /// Apply database migrations and exit.
    Migrate(DatabaseArgs),
    /// Create a Super Admin in a new organization and print a generated password.
    CreateAdmin(CreateAdminArgs),
    /// Print a new random secret key for TRYOUT_SECRET_KEY.
    GenerateKey,
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Database URL: sqlite:PATH (default: tryout.db in the data directory) or
    /// postgres://USER:PASSWORD@HOST:PORT/DATABASE.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Most database connections this process opens (default: 8 on SQLite, 16 on PostgreSQL).
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS")]
    pub database_max_connections: Option<u32>,

    /// Directory for the SQLite database and other local files.
    #[arg(long, env = "TRYOUT_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,

    /// Address and port to listen on.
    #[arg(long, env = "TRYOUT_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// The URL people use to reach this server (default: http:// and the listen address).
    #[arg(long, env = "TRYOUT_PUBLIC_URL")]
    pub public_url: Option<url::Url>,

    /// Key that encrypts Lever tokens at rest: 32 random bytes, base64 (`tryout generate-key`).
    #[arg(long, env = "TRYOUT_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,

    /// Directory of the built browser assets (cargo-leptos writes target/site).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// How long a process may hold a claimed write to Lever before another process sends
    /// it instead, in seconds. Must exceed twice LEVER_REQUEST_TIMEOUT_SECS.
    #[arg(long, env = "TRYOUT_OUTBOX_LEASE_SECS", default_value_t = 120)]
    pub outbox_lease_secs: u64,

    /// Header a trusted reverse proxy appends the client's address to, such as
    /// X-Forwarded-For; its right-most entry is the client. Unset when clients connect directly.
    #[arg(long, env = "TRYOUT_TRUSTED_PROXY_HEADER")]
    pub trusted_proxy_header: Option<String>,

    #[command(flatten)]
    pub lever: LeverArgs,

    #[command(flatten)]
    pub media: MediaArgs,

    #[command(flatten)]
    pub mail: MailArgs,
}

#[derive(Debug, Clone, Args)]
pub struct LeverArgs {
    /// Lever instance to talk to: production, sandbox, or the base URL of a Lever simulator.
    #[arg(long, env = "LEVER_ENVIRONMENT", default_value = "production")]
    pub lever_environment: String,

    /// OAuth client id Lever issued for this Tryout deployment.
    #[arg(long, env = "LEVER_CLIENT_ID")]
    pub lever_client_id: Option<String>,

    /// OAuth client secret Lever issued with the client id.
    #[arg(long, env = "LEVER_CLIENT_SECRET", hide_env_values = true)]
    pub lever_client_secret: Option<String>,

    /// Timeout of one request to Lever, in seconds.
    #[arg(long, env = "LEVER_REQUEST_TIMEOUT_SECS", default_value_t = 20)]
    pub lever_request_timeout_secs: u64,

    /// Calls to Lever's API per second per organization, across all processes. Lever allows
    /// about 10 per API key; the default leaves room for the customer's other integrations.
    #[arg(long, env = "LEVER_REQUESTS_PER_SECOND", default_value_t = 8)]
    pub lever_requests_per_second: u32,

    /// Seconds between two polls of Lever per organization: the poll refreshes the cached
    /// lists and invites candidates whose webhook delivery never arrived.
    #[arg(long, env = "LEVER_POLL_SECS", default_value_t = 300)]
    pub lever_poll_secs: u64,
}

/// Where media (video answers, take-home files, culture videos) are stored. The S3 settings
/// use the AWS SDKs' standard variable names and are read only for an s3:// media URL.
#[derive(Debug, Clone, Default, Args)]
pub struct MediaArgs {
    /// Media store: file:///absolute/path, or s3://bucket/optional/prefix (default: the
    /// directory media/ in the data directory).
    #[arg(long, env = "TRYOUT_MEDIA_URL")]
    pub media_url: Option<String>,

    /// Endpoint of an S3-compatible server such as MinIO, e.g. http://127.0.0.1:9000
    /// (default: Amazon S3). Plain HTTP is used only when this URL starts with http://.
    #[arg(long, env = "AWS_ENDPOINT_URL")]
    pub aws_endpoint_url: Option<String>,

    /// S3 region of the bucket (default: us-east-1).
    #[arg(long, env = "AWS_REGION")]
    pub aws_region: Option<String>,

    /// S3 access key id; required with an s3:// media URL.
    #[arg(long, env = "AWS_ACCESS_KEY_ID")]
    pub aws_access_key_id: Option<String>,

    /// S3 secret access key; required with an s3:// media URL.
    #[arg(long, env = "AWS_SECRET_ACCESS_KEY", hide_env_values = true)]
    pub aws_secret_access_key: Option<String>,

    /// Largest culture video a role owner may upload, in MiB (1 to 51200).
    #[arg(long, env = "TRYOUT_MAX_CULTURE_VIDEO_MIB", default_value_t = crate::config::DEFAULT_CULTURE_VIDEO_MAX_MIB,
          value_parser = clap::value_parser!(u64).range(1..=51_200))]
    pub max_culture_video_mib: u64,
}

/// Outgoing email. Without an SMTP URL no email is delivered: each one stays in the
/// mailbox page, where Admins can read it.
#[derive(Debug, Clone, Default, Args)]
pub struct MailArgs {
    /// SMTP server: smtp://USER:PASSWORD@HOST:587 (STARTTLS), smtps://USER:PASSWORD@HOST:465
    /// (TLS), or smtp://HOST:PORT?tls=none (a relay without TLS). Percent-encode special
    /// characters in the user name and password.
    #[arg(long, env = "TRYOUT_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Sender of every email, such as "Acme Hiring <hiring@acme.example>"; required with
    /// TRYOUT_SMTP_URL.
    #[arg(long, env = "TRYOUT_MAIL_FROM")]
    pub mail_from: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Address and port to listen on.
    #[arg(long, env = "TRYOUT_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Directory for the demo's database; its previous demo database is replaced.
    #[arg(long, env = "TRYOUT_DATA_DIR", default_value = "data/demo")]
    pub data_dir: PathBuf,

    /// Run the demo on this empty PostgreSQL database instead of a SQLite file in the data
    /// directory (the browser tests use it to run on PostgreSQL too).
    #[arg(long)]
    pub database_url: Option<String>,

    /// Directory of the built browser assets (cargo-leptos writes target/site).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Also write the demo's URL, sign-ins and candidate links to this JSON file (for tests).
    #[arg(long)]
    pub write_credentials: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct CreateAdminArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,

    /// Name of the organization to create.
    #[arg(long)]
    pub organization: String,

    /// The Super Admin's email address.
    #[arg(long)]
    pub email: String,

    /// The Super Admin's full name.
    #[arg(long)]
    pub name: String,
}
