//! Culture videos embedded from YouTube or Vimeo: a pasted address becomes the provider's
//! embed address, and every other host is rejected, so the portal frames only those two.

use url::Url;

use crate::error::AppError;

const FIELD: &str = "video_url";

/// Turns a YouTube or Vimeo address into its embed address. YouTube videos embed from
/// youtube-nocookie.com, which sets no cookies until the candidate plays the video.
pub fn embed_url(input: &str) -> Result<String, AppError> {
    let reject = || {
        AppError::invalid(
            FIELD,
            "Paste the address of a YouTube or Vimeo video, such as https://www.youtube.com/watch?v=… or https://vimeo.com/…. \
             Videos from other sites cannot be embedded; upload the file instead.",
        )
    };

    let url = Url::parse(input.trim()).map_err(|_| reject())?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return Err(reject());
    }
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let host = host.strip_prefix("m.").unwrap_or(host);
    let segments: Vec<&str> = url
        .path_segments()
        .map(|segments| segments.filter(|segment| !segment.is_empty()).collect())
        .unwrap_or_default();

    match host {
        "youtube.com" | "youtube-nocookie.com" => {
            let id = match segments.as_slice() {
                ["watch"] => url
                    .query_pairs()
                    .find(|(name, _)| name == "v")
                    .map(|(_, value)| value.into_owned()),
                ["embed", id] | ["shorts", id] | ["live", id] => Some((*id).to_owned()),
                _ => None,
            };
            youtube_embed(id.as_deref()).ok_or_else(reject)
        }
        "youtu.be" => match segments.as_slice() {
            [id] => youtube_embed(Some(id)).ok_or_else(reject),
            _ => Err(reject()),
        },
        "vimeo.com" => match segments.as_slice() {
            [id] => vimeo_embed(id).ok_or_else(reject),
            _ => Err(reject()),
        },
        "player.vimeo.com" => match segments.as_slice() {
            ["video", id] => vimeo_embed(id).ok_or_else(reject),
            _ => Err(reject()),
        },
        _ => Err(reject()),
    }
}

/// YouTube video ids are 11 characters of letters, digits, `-` and `_`.
fn youtube_embed(id: Option<&str>) -> Option<String> {
    let id = id?;
    let valid = id.len() == 11
        && id.chars().all(|character| {
            character.is_ascii_alphanumeric() || character == '-' || character == '_'
        });
    valid.then(|| format!("https://www.youtube-nocookie.com/embed/{id}"))
}

/// Vimeo video ids are decimal numbers.
fn vimeo_embed(id: &str) -> Option<String> {
    let valid =
        !id.is_empty() && id.len() <= 20 && id.chars().all(|character| character.is_ascii_digit());
    valid.then(|| format!("https://player.vimeo.com/video/{id}"))
}

/// Returns whether `url` is an embed address this module produced, for the portal's `<iframe>`.
pub fn is_embed_url(url: &str) -> bool {
    url.starts_with("https://www.youtube-nocookie.com/embed/")
        || url.starts_with("https://player.vimeo.com/video/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn youtube_addresses_become_embeds() {
        let expected = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ";
        for input in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "  https://youtu.be/dQw4w9WgXcQ  ",
        ] {
            assert_eq!(embed_url(input).unwrap(), expected, "{input}");
        }
    }

    #[test]
    fn vimeo_addresses_become_embeds() {
        let expected = "https://player.vimeo.com/video/76979871";
        assert_eq!(embed_url("https://vimeo.com/76979871").unwrap(), expected);
        assert_eq!(
            embed_url("https://player.vimeo.com/video/76979871").unwrap(),
            expected
        );
    }

    #[test]
    fn other_hosts_and_shapes_are_rejected() {
        for input in [
            "https://evil.example/watch?v=dQw4w9WgXcQ",
            "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
            "javascript:alert(1)",
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ\"><script>",
            "https://vimeo.com/channels/staffpicks",
            "https://dailymotion.com/video/x7tgad0",
            "ftp://youtube.com/watch?v=dQw4w9WgXcQ",
            "not a url",
        ] {
            let error = embed_url(input).unwrap_err();
            assert!(
                matches!(&error, AppError::Invalid { field: Some(field), .. } if field == FIELD),
                "{input}: {error:?}"
            );
        }
    }
}
