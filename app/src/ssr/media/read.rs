//! Streamed reads, whole or a byte range (for video seeking), returned as a stream of
//! chunks with the object's size and content type.

use std::fmt;
use std::ops::Range;

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::StreamExt;
use object_store::{GetOptions, GetRange};

use super::error::MediaError;
use super::key::MediaKey;
use super::store::{MediaMeta, MediaStore};

/// An object being read.
pub struct MediaRead {
    /// The whole object's metadata; `meta.size` is the total for a `Content-Range` header.
    pub meta: MediaMeta,
    /// The byte range `body` yields, end exclusive; `0..meta.size` for a whole read.
    pub range: Range<u64>,
    /// The bytes of `range`. A failure midway yields [`MediaError::Storage`] and ends the stream.
    pub body: BoxStream<'static, Result<Bytes, MediaError>>,
}

impl fmt::Debug for MediaRead {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("MediaRead")
            .field("meta", &self.meta)
            .field("range", &self.range)
            .finish_non_exhaustive()
    }
}

impl MediaStore {
    /// Reads a whole object as a stream.
    pub async fn get(&self, key: &MediaKey) -> Result<MediaRead, MediaError> {
        self.read(key, None).await
    }

    /// Reads a byte range of an object as a stream. As in HTTP, a range that ends past the
    /// end of the object is cut short at the end, and a suffix longer than the object reads
    /// all of it. A range that selects no byte (it starts at or after the end, it is empty,
    /// or the object is empty) is [`MediaError::InvalidRange`].
    pub async fn get_range(
        &self,
        key: &MediaKey,
        range: GetRange,
    ) -> Result<MediaRead, MediaError> {
        if range.is_valid().is_err() {
            return Err(MediaError::InvalidRange);
        }

        let read = self.read(key, Some(range)).await?;
        if read.range.is_empty() {
            return Err(MediaError::InvalidRange);
        }
        Ok(read)
    }

    async fn read(&self, key: &MediaKey, range: Option<GetRange>) -> Result<MediaRead, MediaError> {
        let options = GetOptions {
            range: range.clone(),
            ..GetOptions::default()
        };

        let result = match self.store.get_opts(key.path(), options).await {
            Ok(result) => result,
            Err(error @ object_store::Error::NotFound { .. }) => {
                return Err(MediaError::from_store("get", key, error))
            }
            Err(error) => {
                return Err(match range {
                    Some(range) => self.range_error(key, &range, &error).await,
                    None => MediaError::storage("get", key, &error),
                })
            }
        };

        let meta = MediaMeta::from_get_result(&result);
        let range = result.range.clone();
        let stream_key = key.clone();
        let body = result
            .into_stream()
            .map(move |chunk| {
                chunk.map_err(|error| MediaError::storage("read body", &stream_key, &error))
            })
            .boxed();

        Ok(MediaRead { meta, range, body })
    }

    /// Tells an unsatisfiable range from a store failure. Backends report the first
    /// differently (S3 with HTTP 416, a local directory with an error of its own), so this
    /// reads the object's size and checks the range against it.
    async fn range_error(
        &self,
        key: &MediaKey,
        range: &GetRange,
        error: &object_store::Error,
    ) -> MediaError {
        let size = match self.head(key).await {
            Ok(meta) => meta.size,
            Err(head_error) => return head_error,
        };

        match range.as_range(size) {
            Err(_) => MediaError::InvalidRange,
            Ok(selected) if selected.is_empty() => MediaError::InvalidRange,
            Ok(_) => MediaError::storage("get range", key, error),
        }
    }
}
