//! The one error type of the media layer. Its `Display` is safe to show the person who made
//! the request. Internal causes are logged once, with the object key, where the error is made.

use std::fmt;

use super::key::MAX_KEY_PART_LEN;
use crate::domain::byte_size::ByteSize;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    /// A key part failed the checks of [`super::MediaKey::new`]; `part` names which one.
    #[error(
        "Invalid media key: the {part} must be 1 to {MAX_KEY_PART_LEN} ASCII letters, digits, '-', '_' or '.', \
         must not start with '.' and must not contain '..'."
    )]
    InvalidKey { part: &'static str },

    /// No object has this key.
    #[error("The file was not found.")]
    NotFound,

    /// The body was larger than the maximum size; nothing was stored.
    #[error("The file is larger than the maximum of {}.", ByteSize(*max_size))]
    TooLarge { max_size: u64 },

    /// The content type is empty, too long or not printable ASCII.
    #[error("The file type is invalid.")]
    InvalidContentType,

    /// The requested byte range starts at or after the end of the object.
    #[error("The requested byte range is outside the file.")]
    InvalidRange,

    /// The body stream failed before its end (the client went away, say); nothing was stored.
    #[error("The upload was interrupted before it finished. Please try again.")]
    UploadInterrupted,

    /// The object store failed; the cause was logged.
    #[error("File storage is unavailable. Please try again in a moment.")]
    Storage,
}

impl MediaError {
    /// Logs a failure of the object store and returns [`MediaError::Storage`].
    pub(super) fn storage(
        operation: &'static str,
        key: &dyn fmt::Display,
        cause: &object_store::Error,
    ) -> Self {
        tracing::error!(%key, operation, error = %cause, "media store operation failed");
        Self::Storage
    }

    /// Maps an object store error: a missing object is [`MediaError::NotFound`], anything
    /// else is logged and becomes [`MediaError::Storage`].
    pub(super) fn from_store(
        operation: &'static str,
        key: &dyn fmt::Display,
        cause: object_store::Error,
    ) -> Self {
        match cause {
            object_store::Error::NotFound { .. } => Self::NotFound,
            other => Self::storage(operation, key, &other),
        }
    }

    /// Logs why the body stream failed and returns [`MediaError::UploadInterrupted`].
    pub(super) fn upload_interrupted(key: &dyn fmt::Display, cause: &dyn fmt::Display) -> Self {
        tracing::warn!(%key, error = %cause, "media upload body failed; the upload was aborted");
        Self::UploadInterrupted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_large_names_the_maximum() {
        let error = MediaError::TooLarge {
            max_size: 200 << 20,
        };

        assert_eq!(
            error.to_string(),
            "The file is larger than the maximum of 200 MiB."
        );
    }
}
