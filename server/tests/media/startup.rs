//! Opening the media store at start: a store that cannot be used stops start-up with a
//! message naming TRYOUT_MEDIA_URL.

use server::config::MediaConfig;
use server::media::open_media_store;

use crate::backends::s3_config;
use crate::moto::MotoServer;

#[tokio::test]
async fn missing_bucket_fails_start() {
    let moto = MotoServer::start().await;

    let error = open_media_store(&MediaConfig::S3(s3_config(&moto, "no-such-bucket")))
        .await
        .unwrap_err();

    let message = error.to_string();
    assert!(message.contains("TRYOUT_MEDIA_URL"), "{message}");
    assert!(message.contains("s3://no-such-bucket/"), "{message}");
    assert!(!message.contains("tryout-test-secret"), "{message}");
}

#[tokio::test]
async fn missing_directory_fails_start() {
    let data = tempfile::tempdir().unwrap();
    let missing = data.path().join("removed");

    let error = open_media_store(&MediaConfig::LocalDirectory(missing.clone()))
        .await
        .unwrap_err();

    let message = error.to_string();
    assert!(message.contains("TRYOUT_MEDIA_URL"), "{message}");
    assert!(
        message.contains(&missing.display().to_string()),
        "{message}"
    );
}

#[tokio::test]
async fn probe_leaves_no_object() {
    let moto = MotoServer::start().await;
    moto.create_bucket("probe-bucket").await;

    open_media_store(&MediaConfig::S3(s3_config(&moto, "probe-bucket")))
        .await
        .unwrap();

    assert_eq!(moto.stored_keys("probe-bucket").await, Vec::<String>::new());
}
