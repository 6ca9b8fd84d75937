//! Object keys of media: `org/<organization id>/<kind>/<name>`, so every object sits under
//! its organization's prefix and a key built for one organization never reaches another's.

use std::fmt;

use object_store::path::Path;

use super::error::MediaError;

/// Maximum length of one key part, in bytes. A UUID is 36.
pub const MAX_KEY_PART_LEN: usize = 128;

/// Kind of stored object. Each kind gets its own folder under the organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// A candidate's recorded answer to a video question.
    VideoAnswer,
    /// A file a candidate handed in for a take-home assignment.
    TakeHome,
    /// A culture video a role owner uploaded for a content step.
    CultureVideo,
    /// An organization's logo.
    Logo,
}

impl MediaKind {
    /// Returns the folder name of this kind in object keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VideoAnswer => "video-answers",
            Self::TakeHome => "take-home",
            Self::CultureVideo => "culture-videos",
            Self::Logo => "logos",
        }
    }
}

/// The key of one stored object, scoped to an organization.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MediaKey {
    organization_id: String,
    kind: MediaKind,
    path: Path,
}

impl MediaKey {
    /// Builds `org/<organization_id>/<kind>/<name>`.
    ///
    /// Rejects a part that is empty, longer than [`MAX_KEY_PART_LEN`], starts with `.`,
    /// contains `..`, or contains anything but ASCII letters, digits, `-`, `_` and `.`.
    /// So no part can add a folder, climb out of the organization's prefix or need escaping.
    pub fn new(organization_id: &str, kind: MediaKind, name: &str) -> Result<Self, MediaError> {
        check_part("organization id", organization_id)?;
        check_part("object name", name)?;

        // Every part passed the check above, so `Path::from_iter` needs no escaping.
        let path = Path::from_iter(["org", organization_id, kind.as_str(), name]);
        Ok(Self {
            organization_id: organization_id.to_owned(),
            kind,
            path,
        })
    }

    pub fn organization_id(&self) -> &str {
        &self.organization_id
    }

    pub fn kind(&self) -> MediaKind {
        self.kind
    }

    /// Returns the object's location in the store.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }
}

/// Writes the key as stored, e.g. `org/0191.../video-answers/0192...`; it contains ids only.
impl fmt::Display for MediaKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.path.fmt(formatter)
    }
}

fn check_part(part: &'static str, value: &str) -> Result<(), MediaError> {
    let safe_characters = value
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'));
    let valid = !value.is_empty()
        && value.len() <= MAX_KEY_PART_LEN
        && safe_characters
        && !value.starts_with('.')
        && !value.contains("..");

    if valid {
        Ok(())
    } else {
        Err(MediaError::InvalidKey { part })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORGANIZATION: &str = "0191e5a2-7c3b-7d4e-8f60-1a2b3c4d5e6f";

    #[test]
    fn key_is_scoped_by_organization_and_kind() {
        let key = MediaKey::new(ORGANIZATION, MediaKind::VideoAnswer, "answer-1.webm").unwrap();

        assert_eq!(
            key.to_string(),
            format!("org/{ORGANIZATION}/video-answers/answer-1.webm")
        );
        assert_eq!(key.organization_id(), ORGANIZATION);
        assert_eq!(key.kind(), MediaKind::VideoAnswer);
    }

    #[test]
    fn each_kind_has_its_own_folder() {
        let folders: Vec<_> = [
            MediaKind::VideoAnswer,
            MediaKind::TakeHome,
            MediaKind::CultureVideo,
            MediaKind::Logo,
        ]
        .map(MediaKind::as_str)
        .into();

        assert_eq!(
            folders,
            ["video-answers", "take-home", "culture-videos", "logos"]
        );
    }

    #[test]
    fn unsafe_parts_are_rejected() {
        let too_long = "a".repeat(MAX_KEY_PART_LEN + 1);
        let bad_parts = [
            "",
            "a/b",
            "/a",
            "..",
            "a..b",
            ".hidden",
            ".",
            "a b",
            "a\\b",
            "a%2Fb",
            "a\nb",
            "é",
            "a*",
            too_long.as_str(),
        ];

        for bad in bad_parts {
            assert_eq!(
                MediaKey::new(bad, MediaKind::TakeHome, "name"),
                Err(MediaError::InvalidKey {
                    part: "organization id"
                }),
                "organization id {bad:?} was accepted"
            );
            assert_eq!(
                MediaKey::new(ORGANIZATION, MediaKind::TakeHome, bad),
                Err(MediaError::InvalidKey {
                    part: "object name"
                }),
                "object name {bad:?} was accepted"
            );
        }
    }

    #[test]
    fn longest_allowed_part_is_accepted() {
        let longest = "a".repeat(MAX_KEY_PART_LEN);

        assert!(MediaKey::new(ORGANIZATION, MediaKind::TakeHome, &longest).is_ok());
    }
}
