//! The media store itself: one `object_store` backend, plus the calls that neither stream a
//! body in nor out (head, delete, and the access check at start).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use object_store::path::Path;
use object_store::{Attribute, GetOptions, GetResult, ObjectStore, ObjectStoreExt};

use super::error::MediaError;
use super::key::MediaKey;

/// Kind of object store behind a [`MediaStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A directory on this machine (`object_store::local::LocalFileSystem`).
    LocalDirectory,
    /// Amazon S3 or a server that speaks its API (MinIO, moto).
    S3,
}

impl Backend {
    /// Returns whether objects keep a `Content-Type`. `LocalFileSystem` rejects attributes, so a
    /// local directory stores none and reads return `None`.
    pub fn stores_content_type(self) -> bool {
        match self {
            Self::LocalDirectory => false,
            Self::S3 => true,
        }
    }
}

/// Store of candidate video answers, take-home files and culture videos.
#[derive(Debug, Clone)]
pub struct MediaStore {
    pub(super) store: Arc<dyn ObjectStore>,
    pub(super) backend: Backend,
}

/// Metadata the store keeps about an object besides its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaMeta {
    /// Size of the whole object, in bytes.
    pub size: u64,
    /// Always `None` for a local directory. S3 servers return the type given at upload,
    /// or a default of their own (moto 5.2: `binary/octet-stream`) when none was given.
    pub content_type: Option<String>,
    pub last_modified: DateTime<Utc>,
    /// The store's entity tag, for HTTP caching.
    pub e_tag: Option<String>,
}

impl MediaMeta {
    pub(super) fn from_get_result(result: &GetResult) -> Self {
        Self {
            size: result.meta.size,
            content_type: result
                .attributes
                .get(&Attribute::ContentType)
                .map(|value| value.to_string()),
            last_modified: result.meta.last_modified,
            e_tag: result.meta.e_tag.clone(),
        }
    }
}

impl MediaStore {
    pub fn new(store: Arc<dyn ObjectStore>, backend: Backend) -> Self {
        Self { store, backend }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Reads an object's size, content type and entity tag without its body.
    pub async fn head(&self, key: &MediaKey) -> Result<MediaMeta, MediaError> {
        // A GET with `head` set returns the attributes (content type) that `ObjectStore::head` drops.
        let options = GetOptions {
            head: true,
            ..GetOptions::default()
        };
        let result = self
            .store
            .get_opts(key.path(), options)
            .await
            .map_err(|error| MediaError::from_store("head", key, error))?;

        Ok(MediaMeta::from_get_result(&result))
    }

    /// Deletes an object. Deleting a key with no object succeeds, as it does on S3.
    pub async fn delete(&self, key: &MediaKey) -> Result<(), MediaError> {
        match self.store.delete(key.path()).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(MediaError::storage("delete", key, &error)),
        }
    }

    /// Writes, reads back and deletes a small probe object outside every organization's
    /// prefix, so a store that is unreachable, missing or read-only fails at start. Returns
    /// the store's own error, which names the cause for the operator.
    pub async fn check_access(&self) -> Result<(), object_store::Error> {
        let probe = Path::from_iter(["probe", &uuid::Uuid::new_v4().to_string()]);
        let body = b"tryout media store probe";

        self.store.put(&probe, body.as_slice().into()).await?;
        let read = self.store.get(&probe).await?.bytes().await;
        self.store.delete(&probe).await?;

        if read?.as_ref() != body {
            return Err(object_store::Error::Generic {
                store: "media store probe",
                source: "the probe object read back differs from what was written".into(),
            });
        }
        Ok(())
    }
}
