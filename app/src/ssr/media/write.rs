//! Streamed writes. A body arrives as a stream of chunks and goes to the store as a
//! multipart upload, one part at a time, so memory contains a few parts and never the
//! whole file. The object becomes visible only when the upload completes; on any failure, and
//! when the writing future is dropped, the upload is aborted.

use std::fmt;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use object_store::{
    Attribute, Attributes, MultipartUpload, PutMultipartOptions, PutPayload, PutPayloadMut,
};
use sha2::{Digest, Sha256};
use tokio::task::{JoinError, JoinSet};

use super::error::MediaError;
use super::key::MediaKey;
use super::store::MediaStore;

/// Size of one uploaded part, in bytes. S3 requires at least 5 MiB for every part but the
/// last, and allows 10,000 parts, so one object can hold up to about 48 GiB.
pub const PART_SIZE: usize = 5 << 20;

/// Parts uploaded at the same time. With the part being filled, one upload buffers at most
/// `(MAX_PARTS_IN_FLIGHT + 1) * PART_SIZE` bytes (15 MiB) in memory.
const MAX_PARTS_IN_FLIGHT: usize = 2;

/// Maximum length of a content type, in bytes.
const MAX_CONTENT_TYPE_LEN: usize = 255;

/// Size, hash and part count of an object that [`MediaStore::put_stream`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMedia {
    /// Bytes written.
    pub size: u64,
    /// SHA-256 of the bytes written, computed while they streamed through.
    pub sha256: [u8; 32],
    /// Parts of the multipart upload; 0 for an empty body.
    pub parts: usize,
}

impl StoredMedia {
    pub fn sha256_hex(&self) -> String {
        hex::encode(self.sha256)
    }
}

impl MediaStore {
    /// Streams `body` into the object at `key`, replacing any object there once the upload
    /// completes.
    ///
    /// Fails with [`MediaError::TooLarge`] as soon as the body passes `max_size` bytes, and
    /// with [`MediaError::UploadInterrupted`] when the body stream yields an error. In both
    /// cases the upload is aborted and no object appears at `key` (an object already there
    /// stays). `content_type` is stored where the backend keeps one (see [`super::Backend`]).
    pub async fn put_stream<S, E>(
        &self,
        key: &MediaKey,
        content_type: Option<&str>,
        max_size: u64,
        body: S,
    ) -> Result<StoredMedia, MediaError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: fmt::Display,
    {
        let options = self.multipart_options(content_type)?;
        let upload = self
            .store
            .put_multipart_opts(key.path(), options)
            .await
            .map_err(|error| MediaError::storage("start multipart upload", key, &error))?;
        let mut upload = PendingUpload {
            upload: Some(upload),
            key: key.clone(),
        };

        match upload.write_body(body, max_size).await {
            Ok(stored) => {
                upload.complete().await?;
                Ok(stored)
            }
            Err(error) => {
                upload.abort().await;
                Err(error)
            }
        }
    }

    fn multipart_options(
        &self,
        content_type: Option<&str>,
    ) -> Result<PutMultipartOptions, MediaError> {
        let mut attributes = Attributes::new();

        if let Some(content_type) = content_type {
            // Printable ASCII only, because the value becomes an HTTP header on S3.
            let printable = content_type
                .bytes()
                .all(|byte| byte == b' ' || byte.is_ascii_graphic());
            if content_type.is_empty() || content_type.len() > MAX_CONTENT_TYPE_LEN || !printable {
                return Err(MediaError::InvalidContentType);
            }
            if self.backend.stores_content_type() {
                attributes.insert(Attribute::ContentType, content_type.to_owned().into());
            }
        }

        Ok(PutMultipartOptions {
            attributes,
            ..PutMultipartOptions::default()
        })
    }
}

/// A multipart upload that is aborted unless it completes, also when the future writing it
/// is dropped (the request was cancelled), so no parts are left behind on S3.
struct PendingUpload {
    /// `Some` until `complete` or `abort` takes it.
    upload: Option<Box<dyn MultipartUpload>>,
    key: MediaKey,
}

type PartResult = Result<object_store::Result<()>, JoinError>;

impl PendingUpload {
    async fn write_body<S, E>(&mut self, body: S, max_size: u64) -> Result<StoredMedia, MediaError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: fmt::Display,
    {
        let mut body = std::pin::pin!(body);
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut part = PutPayloadMut::new();
        let mut parts = 0;
        let mut in_flight = JoinSet::new();

        while let Some(chunk) = body.next().await {
            let mut chunk =
                chunk.map_err(|cause| MediaError::upload_interrupted(&self.key, &cause))?;

            size += chunk.len() as u64;
            if size > max_size {
                return Err(MediaError::TooLarge { max_size });
            }
            hasher.update(&chunk);

            // A chunk can finish one part and start the next, so it is split at part boundaries.
            while !chunk.is_empty() {
                let room = PART_SIZE - part.content_length();
                part.push(chunk.split_to(room.min(chunk.len())));

                if part.content_length() == PART_SIZE {
                    self.start_part(&mut in_flight, std::mem::take(&mut part).freeze())
                        .await?;
                    parts += 1;
                }
            }
        }

        if !part.is_empty() {
            self.start_part(&mut in_flight, part.freeze()).await?;
            parts += 1;
        }
        while let Some(result) = in_flight.join_next().await {
            self.check_part(result)?;
        }

        Ok(StoredMedia {
            size,
            sha256: hasher.finalize().into(),
            parts,
        })
    }

    /// Starts uploading one part in the background, first waiting until fewer than
    /// `MAX_PARTS_IN_FLIGHT` are under way.
    async fn start_part(
        &mut self,
        in_flight: &mut JoinSet<object_store::Result<()>>,
        part: PutPayload,
    ) -> Result<(), MediaError> {
        while let Some(result) = in_flight.try_join_next() {
            self.check_part(result)?;
        }
        while in_flight.len() >= MAX_PARTS_IN_FLIGHT {
            if let Some(result) = in_flight.join_next().await {
                self.check_part(result)?;
            }
        }

        let upload = self
            .upload
            .as_mut()
            .expect("the upload is present until complete or abort consumes it");
        in_flight.spawn(upload.put_part(part));
        Ok(())
    }

    fn check_part(&self, result: PartResult) -> Result<(), MediaError> {
        match result {
            Ok(Ok(())) => Ok(()),
            Ok(Err(error)) => Err(MediaError::storage("upload part", &self.key, &error)),
            Err(join_error) => Err(MediaError::storage(
                "upload part",
                &self.key,
                &join_error.into(),
            )),
        }
    }

    /// Completes the upload, so the object becomes visible; aborts it if completing fails.
    async fn complete(mut self) -> Result<(), MediaError> {
        let Some(mut upload) = self.upload.take() else {
            return Ok(());
        };

        match upload.complete().await {
            Ok(_) => Ok(()),
            Err(error) => {
                let media_error =
                    MediaError::storage("complete multipart upload", &self.key, &error);
                abort_upload(upload, &self.key).await;
                Err(media_error)
            }
        }
    }

    async fn abort(mut self) {
        if let Some(upload) = self.upload.take() {
            abort_upload(upload, &self.key).await;
        }
    }
}

impl Drop for PendingUpload {
    fn drop(&mut self) {
        let Some(upload) = self.upload.take() else {
            return;
        };

        let key = self.key.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move { abort_upload(upload, &key).await });
            }
            Err(_) => {
                tracing::warn!(%key, "media upload dropped outside a Tokio runtime; it was not aborted")
            }
        }
    }
}

async fn abort_upload(mut upload: Box<dyn MultipartUpload>, key: &MediaKey) {
    if let Err(error) = upload.abort().await {
        // NOTE: On S3 the parts stay stored, though not visible as an object, until a
        // bucket lifecycle rule for incomplete multipart uploads removes them.
        tracing::warn!(%key, %error, "aborting a media upload failed");
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use object_store::memory::InMemory;

    use super::*;
    use crate::ssr::media::{Backend, MediaKind};

    /// Axum handlers need `Send` futures, so this fails to compile if `put_stream` stops being one.
    #[test]
    fn put_stream_future_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let store = MediaStore::new(Arc::new(InMemory::new()), Backend::LocalDirectory);
        let key = MediaKey::new("organization", MediaKind::TakeHome, "name").unwrap();
        let body = futures::stream::empty::<Result<Bytes, std::io::Error>>();

        let upload = store.put_stream(&key, None, 1, body);

        assert_send(&upload);
    }
}
