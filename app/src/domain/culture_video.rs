//! Culture videos uploaded into the media store: what the editor learns about a stored file,
//! and the file types the upload accepts.

use serde::{Deserialize, Serialize};

/// The file types a culture video may have, as the upload's file picker lists them. The
/// server checks the file's first bytes as well, since a browser takes the type from the name.
pub const ACCEPTED_VIDEO_TYPES: &str = "video/mp4,video/webm,video/ogg,video/quicktime";

/// A culture video stored in the media store, as the editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedVideo {
    /// The upload's id; a video step names it to show the file.
    pub id: String,
    /// The name the file had on the uploader's computer, for display only.
    pub file_name: String,
    /// The type the server read from the file's first bytes, such as `video/mp4`.
    pub content_type: String,
    pub size_bytes: i64,
}
