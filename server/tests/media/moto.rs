//! A moto S3 server for one test: a child process on a free 127.0.0.1 port, killed on drop.
//! moto comes from PyPI (`moto[server]`), installed by scripts/setup.

use std::io::Read;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::NamedTempFile;
use url::Url;

/// How long moto may take to respond after it starts; importing it takes about a second.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// Starts tried before giving up, because another process can take the free port between
/// the probe bind and moto's own bind.
const START_ATTEMPTS: usize = 3;

pub struct MotoServer {
    child: Child,
    pub endpoint: Url,
    /// moto's request log (stdout and stderr), shown when it fails to start.
    log_file: NamedTempFile,
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        // Kill exactly the child this test started, then reap it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl MotoServer {
    /// Starts `python3 -m moto.server` (what the `moto_server` command runs) and waits
    /// until it responds.
    pub async fn start() -> Self {
        let mut last_failure = String::new();

        for _ in 0..START_ATTEMPTS {
            let port = free_port();
            let log = NamedTempFile::new().expect("temporary file for moto's log");
            let child = Command::new("python3")
                .args([
                    "-m",
                    "moto.server",
                    "-H",
                    "127.0.0.1",
                    "-p",
                    &port.to_string(),
                ])
                .stdin(Stdio::null())
                .stdout(log.reopen().expect("moto log file"))
                .stderr(log.reopen().expect("moto log file"))
                .spawn()
                .unwrap_or_else(|error| {
                    panic!("could not run python3 for moto_server ({error}); run scripts/setup")
                });

            let endpoint = Url::parse(&format!("http://127.0.0.1:{port}")).expect("valid URL");
            let mut server = Self {
                child,
                endpoint,
                log_file: log,
            };
            match server.wait_until_ready().await {
                Ok(()) => return server,
                Err(output) if output.contains("No module named") => {
                    panic!("moto_server is not installed for python3; run scripts/setup")
                }
                Err(output) => last_failure = output,
            }
        }
        panic!("moto_server did not start after {START_ATTEMPTS} attempts; its last output:\n{last_failure}");
    }

    /// Polls until moto responds over HTTP. Returns its output if it exits or times out first.
    async fn wait_until_ready(&mut self) -> Result<(), String> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .expect("HTTP client");
        let started = Instant::now();

        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("moto_server exited with {status}:\n{}", self.log()));
            }
            if client
                .get(self.endpoint.clone())
                .send()
                .await
                .is_ok_and(|response| response.status().is_success())
            {
                return Ok(());
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(format!(
                    "moto_server did not answer within {START_TIMEOUT:?}:\n{}",
                    self.log()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn log(&self) -> String {
        let mut output = String::new();
        let _ = self
            .log_file
            .reopen()
            .and_then(|mut file| file.read_to_string(&mut output));
        output
    }

    /// Creates a bucket. moto checks no signature, so a plain PUT does.
    pub async fn create_bucket(&self, bucket: &str) {
        let response = reqwest::Client::new()
            .put(self.bucket_url(bucket))
            .send()
            .await
            .expect("moto answers");
        assert!(
            response.status().is_success(),
            "creating bucket {bucket} failed: {}",
            response.status()
        );
    }

    /// Keys of every object in the bucket, and of every multipart upload started but neither
    /// completed nor aborted.
    pub async fn stored_keys(&self, bucket: &str) -> Vec<String> {
        let client = reqwest::Client::new();
        let mut keys = Vec::new();

        for query in ["list-type=2", "uploads"] {
            let mut url = self.bucket_url(bucket);
            url.set_query(Some(query));
            let listing = client
                .get(url)
                .send()
                .await
                .expect("moto answers")
                .text()
                .await
                .expect("listing body");
            keys.extend(
                xml_elements(&listing, "Key")
                    .into_iter()
                    .map(|key| format!("{query}: {key}")),
            );
        }
        keys
    }

    fn bucket_url(&self, bucket: &str) -> Url {
        self.endpoint
            .join(bucket)
            .expect("bucket names join as a path")
    }
}

/// Finds a port that is free right now, by binding port 0 and closing it.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("bound address").port()
}

/// Extracts the text of every `<name>…</name>` element, enough for S3's flat listing XML.
fn xml_elements(xml: &str, name: &str) -> Vec<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    xml.split(open.as_str())
        .skip(1)
        .filter_map(|rest| rest.split(close.as_str()).next())
        .map(str::to_owned)
        .collect()
}
