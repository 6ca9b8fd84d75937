//! Opens the configured media store at start and checks that it is reachable, so a wrong
//! TRYOUT_MEDIA_URL or bad credentials stop start-up instead of failing the first upload.

use std::sync::Arc;
use std::time::Duration;

use app::ssr::media::{Backend, MediaStore};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::prefix::PrefixStore;
use object_store::ObjectStore;
use secrecy::ExposeSecret;

use crate::config::{MediaConfig, S3Config};

/// How long the access check at start may take. A refused connection fails sooner, after
/// the S3 client's 10 retries (3.5 s in a run against a closed port). This limit is for a
/// server that accepts connections but never responds, which the client retries for 3 minutes.
const ACCESS_CHECK_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum OpenMediaError {
    #[error("the media store ({store}) from TRYOUT_MEDIA_URL could not be opened: {cause}. Check TRYOUT_MEDIA_URL.")]
    Open {
        store: String,
        cause: object_store::Error,
    },
    #[error(
        "the media store ({store}) from TRYOUT_MEDIA_URL is not usable: {cause}. Check TRYOUT_MEDIA_URL and, \
         for S3, that the bucket exists and AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID and \
         AWS_SECRET_ACCESS_KEY are right."
    )]
    Access {
        store: String,
        cause: object_store::Error,
    },
    #[error(
        "the media store ({store}) from TRYOUT_MEDIA_URL did not answer within {} s. Check TRYOUT_MEDIA_URL \
         and AWS_ENDPOINT_URL, and that the server is running.",
        ACCESS_CHECK_TIMEOUT.as_secs()
    )]
    TimedOut { store: String },
}

/// Builds the store `config` names and checks it by writing, reading back and deleting a
/// small probe object.
pub async fn open_media_store(config: &MediaConfig) -> Result<MediaStore, OpenMediaError> {
    let store = config.to_string();

    let media = build_media_store(config).map_err(|cause| OpenMediaError::Open {
        store: store.clone(),
        cause,
    })?;

    match tokio::time::timeout(ACCESS_CHECK_TIMEOUT, media.check_access()).await {
        Ok(Ok(())) => {
            tracing::info!(%store, "media store is reachable");
            Ok(media)
        }
        Ok(Err(cause)) => Err(OpenMediaError::Access { store, cause }),
        Err(_) => Err(OpenMediaError::TimedOut { store }),
    }
}

/// Builds the store without contacting it.
pub fn build_media_store(config: &MediaConfig) -> Result<MediaStore, object_store::Error> {
    match config {
        MediaConfig::LocalDirectory(directory) => {
            // Automatic cleanup removes folders that a delete left empty.
            let local = LocalFileSystem::new_with_prefix(directory)?.with_automatic_cleanup(true);
            Ok(MediaStore::new(Arc::new(local), Backend::LocalDirectory))
        }
        MediaConfig::S3(s3) => Ok(MediaStore::new(s3_store(s3)?, Backend::S3)),
    }
}

fn s3_store(config: &S3Config) -> Result<Arc<dyn ObjectStore>, object_store::Error> {
    // `new`, unlike `from_env`, reads no environment variable, so only the settings
    // documented for TRYOUT_MEDIA_URL apply.
    let mut builder = AmazonS3Builder::new()
        .with_bucket_name(&config.bucket)
        .with_region(&config.region)
        .with_access_key_id(&config.access_key_id)
        .with_secret_access_key(config.secret_access_key.expose_secret())
        .with_allow_http(config.allow_http());
    if let Some(endpoint) = &config.endpoint {
        // Path-style requests (`<endpoint>/<bucket>/<key>`), the default with an endpoint,
        // work with MinIO and moto without wildcard DNS.
        builder = builder.with_endpoint(endpoint.as_str().trim_end_matches('/'));
    }
    let s3 = builder.build()?;

    Ok(match &config.prefix {
        Some(prefix) => Arc::new(PrefixStore::new(s3, prefix.as_str())),
        None => Arc::new(s3),
    })
}
