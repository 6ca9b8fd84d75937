//! The two media backends a test body runs against, opened through the same start-up code
//! as `tryout serve`, and helpers to make and read bodies.

use std::io;
use std::path::Path;

use app::ssr::media::{MediaKey, MediaKind, MediaRead, MediaStore};
use bytes::Bytes;
use futures::{Stream, StreamExt};
use secrecy::SecretString;
use server::config::{MediaConfig, S3Config};
use server::media::open_media_store;
use sha2::{Digest, Sha256};
use tempfile::TempDir;

use crate::moto::MotoServer;

const BUCKET: &str = "tryout-media-test";
/// Every key goes under this folder of the bucket, as with TRYOUT_MEDIA_URL=s3://bucket/prefix.
const PREFIX: &str = "deployment-a";

/// A media store and what it keeps its objects in.
pub struct TestStore {
    pub media: MediaStore,
    backend: TestBackend,
}

enum TestBackend {
    Local(TempDir),
    S3(MotoServer),
}

impl TestStore {
    pub async fn local() -> Self {
        let directory = tempfile::tempdir().expect("temporary directory");
        let media = open_media_store(&MediaConfig::LocalDirectory(directory.path().to_path_buf()))
            .await
            .expect("a temporary directory opens as a media store");

        Self {
            media,
            backend: TestBackend::Local(directory),
        }
    }

    pub async fn s3() -> Self {
        let moto = MotoServer::start().await;
        moto.create_bucket(BUCKET).await;
        let media = open_media_store(&MediaConfig::S3(s3_config(&moto, BUCKET)))
            .await
            .expect("moto's bucket opens as a media store");

        Self {
            media,
            backend: TestBackend::S3(moto),
        }
    }

    pub fn moto(&self) -> Option<&MotoServer> {
        match &self.backend {
            TestBackend::S3(moto) => Some(moto),
            TestBackend::Local(_) => None,
        }
    }

    /// Lists every object and every unfinished upload in the backend, sorted. An empty list
    /// means nothing was stored, not even a staging file or an open multipart upload.
    pub async fn stored(&self) -> Vec<String> {
        let mut stored = match &self.backend {
            TestBackend::Local(directory) => files_under(directory.path()),
            TestBackend::S3(moto) => moto.stored_keys(BUCKET).await,
        };
        stored.sort();
        stored
    }

    /// Parts of the multipart upload that wrote the object, as the backend itself reports
    /// them: S3's ETag of a multipart object ends in `-<parts>`. `None` for a local
    /// directory, which keeps no such record.
    pub async fn parts_recorded(&self, key: &MediaKey) -> Option<usize> {
        self.moto()?;
        let meta = self
            .media
            .head(key)
            .await
            .expect("head of the written object");
        let e_tag = meta.e_tag.expect("S3 returns an ETag");
        let parts = e_tag
            .trim_matches('"')
            .rsplit_once('-')
            .map(|(_, parts)| parts.to_owned());
        Some(
            parts
                .and_then(|parts| parts.parse().ok())
                .unwrap_or_else(|| panic!("ETag {e_tag} is not a multipart ETag")),
        )
    }
}

/// S3 settings for `bucket` on `moto`, with the key prefix every test uses.
pub fn s3_config(moto: &MotoServer, bucket: &str) -> S3Config {
    S3Config {
        bucket: bucket.to_owned(),
        prefix: Some(PREFIX.to_owned()),
        endpoint: Some(moto.endpoint.clone()),
        region: "us-east-1".to_owned(),
        // moto accepts any credentials; these only have to be present for signing.
        access_key_id: "tryout-test".to_owned(),
        secret_access_key: SecretString::from("tryout-test-secret"),
    }
}

fn files_under(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let mut directories = vec![root.to_path_buf()];

    while let Some(directory) = directories.pop() {
        for entry in std::fs::read_dir(&directory).expect("readable directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                directories.push(path);
            } else {
                files.push(
                    path.strip_prefix(root)
                        .expect("path under root")
                        .display()
                        .to_string(),
                );
            }
        }
    }
    files
}

/// Builds the key of a fresh object of `organization_id`.
pub fn new_key(organization_id: &str) -> MediaKey {
    MediaKey::new(
        organization_id,
        MediaKind::VideoAnswer,
        &uuid::Uuid::new_v4().to_string(),
    )
    .expect("valid key parts")
}

/// Pseudo-random bytes (xorshift), so that a part boundary off by one byte changes the hash.
pub fn test_body(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

/// Streams `body` in chunks whose sizes cycle through `chunk_sizes`.
pub fn chunked(
    body: &[u8],
    chunk_sizes: &[usize],
) -> impl Stream<Item = Result<Bytes, io::Error>> + Send + 'static {
    let mut chunks = Vec::new();
    let mut offset = 0;

    for size in chunk_sizes.iter().cycle() {
        if offset >= body.len() {
            break;
        }
        let end = (offset + size).min(body.len());
        chunks.push(Ok(Bytes::copy_from_slice(&body[offset..end])));
        offset = end;
    }
    futures::stream::iter(chunks)
}

/// Collects a read's body; panics if the stream fails.
pub async fn read_all(read: MediaRead) -> Vec<u8> {
    let chunks: Vec<Bytes> = read
        .body
        .map(|chunk| chunk.expect("body chunk"))
        .collect()
        .await;
    chunks.concat()
}

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}
