//! Files staff upload into the media store (a job's culture videos, the organization's logo):
//! what the browser learns about a stored file, and the file types each upload accepts.

use serde::{Deserialize, Serialize};

/// The file types a culture video may have, as the upload's file picker lists them. The
/// server checks the file's first bytes as well, since a browser takes the type from the name.
pub const ACCEPTED_VIDEO_TYPES: &str = "video/mp4,video/webm,video/ogg,video/quicktime";

/// The file types a logo may have. SVG is left out because an SVG file can carry scripts.
pub const ACCEPTED_IMAGE_TYPES: &str = "image/png,image/jpeg,image/gif,image/webp";

/// Maximum size of a logo, in bytes (2 MiB).
pub const MAX_LOGO_BYTES: u64 = 2 << 20;

/// A file stored in the media store, as the editor and the Branding page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedFile {
    /// The upload's id; a video step names it to show the file.
    pub id: String,
    /// The name the file had on the uploader's computer, for display only.
    pub file_name: String,
    /// The type the server read from the file's first bytes, such as `video/mp4`.
    pub content_type: String,
    pub size_bytes: i64,
}

/// Returns the address that serves logo `upload_id` to anyone, candidates included.
pub fn logo_url(upload_id: &str) -> String {
    format!("/media/logos/{upload_id}")
}
