//! The kinds of upload, each with its file type check, its folder in the media store and the
//! form field its errors belong to.

use super::sniff::{image_type, video_type};
use crate::ssr::media::MediaKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadKind {
    /// A video for a job's culture video step.
    CultureVideo,
    /// The organization's logo, shown at the top of every portal page.
    Logo,
}

impl UploadKind {
    /// Returns the kind as `media_uploads.kind` stores it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CultureVideo => "culture_video",
            Self::Logo => "logo",
        }
    }

    pub fn media_kind(self) -> MediaKind {
        match self {
            Self::CultureVideo => MediaKind::CultureVideo,
            Self::Logo => MediaKind::Logo,
        }
    }

    /// Returns the content type a file starting with `head` has, or `None` when this kind of
    /// upload does not accept it.
    pub fn content_type(self, head: &[u8]) -> Option<&'static str> {
        match self {
            Self::CultureVideo => video_type(head),
            Self::Logo => image_type(head),
        }
    }

    /// Returns the form field that shows this upload's errors.
    pub fn field(self) -> &'static str {
        match self {
            Self::CultureVideo => "video_file",
            Self::Logo => "logo_file",
        }
    }

    /// Returns the message for a file of a type this kind does not accept.
    pub fn wrong_type_message(self) -> &'static str {
        match self {
            Self::CultureVideo => {
                "This file is not a video. Upload an MP4, WebM, Ogg or QuickTime (.mov) file."
            }
            Self::Logo => "This file is not an image. Upload a PNG, JPEG, GIF or WebP file.",
        }
    }
}
