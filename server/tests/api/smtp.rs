//! A real SMTP server for one test: `smtp_server.py` (aiosmtpd) as a child process on a
//! free 127.0.0.1 port, killed on drop. It stores what it receives in a temporary directory.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use server::cli::MailArgs;
use server::config::MailConfig;
use tempfile::{NamedTempFile, TempDir};

/// How long the server may take to print its port; importing aiosmtpd takes well under a second.
const START_TIMEOUT: Duration = Duration::from_secs(30);

pub struct SmtpServer {
    child: Child,
    pub port: u16,
    directory: TempDir,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        // Kill exactly the child this test started, then reap it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SmtpServer {
    pub async fn start() -> Self {
        let directory = tempfile::tempdir().expect("temporary directory for received mail");
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/api/smtp_server.py");
        let stderr = NamedTempFile::new().expect("temporary file for the server's errors");
        let mut child = Command::new("python3")
            .arg(&script)
            .arg(directory.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr.reopen().expect("stderr file"))
            .spawn()
            .unwrap_or_else(|error| {
                panic!("could not run python3 for the SMTP server ({error}); run scripts/setup")
            });

        // The script prints its port once it listens; a failed start closes stdout instead.
        let stdout = child.stdout.take().expect("piped stdout");
        let first_line = tokio::time::timeout(
            START_TIMEOUT,
            tokio::task::spawn_blocking(move || {
                let mut line = String::new();
                BufReader::new(stdout).read_line(&mut line).map(|_| line)
            }),
        )
        .await;
        let port = match first_line {
            Ok(Ok(Ok(line))) => line.trim().parse::<u16>().ok(),
            _ => None,
        };

        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            let mut errors = String::new();
            let _ = stderr
                .reopen()
                .and_then(|mut file| file.read_to_string(&mut errors));
            if errors.contains("No module named 'aiosmtpd'") {
                panic!("aiosmtpd is not installed for python3; run scripts/setup");
            }
            panic!("the SMTP server did not start within {START_TIMEOUT:?}; its errors:\n{errors}");
        };
        Self {
            child,
            port,
            directory,
        }
    }

    /// Returns the mail settings that point Tryout at this server, read the way
    /// TRYOUT_SMTP_URL and TRYOUT_MAIL_FROM are.
    pub fn mail_config(&self) -> MailConfig {
        MailConfig::from_args(&MailArgs {
            smtp_url: Some(format!("smtp://127.0.0.1:{}?tls=none", self.port)),
            mail_from: Some("Northwind Hiring <hiring@northwind.example>".into()),
        })
        .expect("valid mail settings")
    }

    /// Returns the messages received so far, oldest first, as the script decoded them.
    pub fn received(&self) -> Vec<Value> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(self.directory.path())
            .expect("received mail directory")
            .map(|entry| entry.expect("directory entry").path())
            .filter(|path| {
                path.extension()
                    .is_some_and(|extension| extension == "json")
            })
            .collect();
        paths.sort_by_key(|path| {
            path.file_stem()
                .and_then(|stem| stem.to_str())
                .and_then(|stem| stem.trim_start_matches("message-").parse::<u64>().ok())
        });

        paths
            .iter()
            .map(|path| {
                serde_json::from_slice(&std::fs::read(path).expect("message file"))
                    .expect("message JSON")
            })
            .collect()
    }

    /// Returns the recipients the server rejected, one entry per rejected RCPT command.
    pub fn rejections(&self) -> Vec<Value> {
        std::fs::read_to_string(self.directory.path().join("rejections.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).expect("rejection JSON"))
            .collect()
    }
}
