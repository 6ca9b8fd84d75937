//! Recognises a video or an image by its first bytes. The browser names a file's type from its
//! extension, and a renamed document would otherwise be served to candidates as a video.

/// How many bytes of a file the checks need.
pub const SNIFF_LEN: usize = 12;

/// Returns the type of the video whose file starts with `head`, or `None` when it is not a
/// video a browser plays. Sources: ISO/IEC 14496-12 (the `ftyp` box of MP4 and QuickTime),
/// the EBML header of WebM (RFC 8794), and the `OggS` capture pattern of Ogg (RFC 3533).
pub fn video_type(head: &[u8]) -> Option<&'static str> {
    if head.len() < SNIFF_LEN {
        return None;
    }

    let box_type = &head[4..8];
    if box_type == b"ftyp" {
        let brand = &head[8..12];
        return Some(if brand == b"qt  " {
            "video/quicktime"
        } else {
            "video/mp4"
        });
    }
    // QuickTime files from older cameras open with one of these boxes instead of `ftyp`.
    if matches!(box_type, b"moov" | b"mdat" | b"wide" | b"free") {
        return Some("video/quicktime");
    }
    if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return Some("video/webm");
    }
    if head.starts_with(b"OggS") {
        return Some("video/ogg");
    }
    None
}

/// Returns the type of the PNG, JPEG, GIF or WebP image whose file starts with `head`, or
/// `None`. Sources: the PNG signature (RFC 2083), JPEG's SOI marker, GIF's `GIF87a`/`GIF89a`
/// header, and WebP's RIFF header with the `WEBP` form type.
pub fn image_type(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("image/jpeg");
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Some("image/gif");
    }
    if head.len() >= SNIFF_LEN && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        return Some("image/webp");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{image_type, video_type};

    #[test]
    fn video_files_are_recognised() {
        let mp4 = b"\0\0\0\x20ftypisom\0\0\x02\0";
        let quicktime = b"\0\0\0\x14ftypqt  \0\0\0\0";
        let old_quicktime = b"\0\0\0\x08wide\0\0\0\0";
        let webm = b"\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\xF7\x81";
        let ogg = b"OggS\0\x02\0\0\0\0\0\0\0\0";

        assert_eq!(video_type(mp4), Some("video/mp4"));
        assert_eq!(video_type(quicktime), Some("video/quicktime"));
        assert_eq!(video_type(old_quicktime), Some("video/quicktime"));
        assert_eq!(video_type(webm), Some("video/webm"));
        assert_eq!(video_type(ogg), Some("video/ogg"));
    }

    #[test]
    fn other_files_are_not_videos() {
        let files: [&[u8]; 5] = [
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            b"<html><body>hello</body></html>",
            b"PK\x03\x04\x14\0\x06\0\x08\0\0\0",
            b"\0\0\0\x20ftyp",
        ];

        for file in files {
            assert_eq!(
                video_type(file),
                None,
                "{:?}",
                String::from_utf8_lossy(file)
            );
        }
    }

    #[test]
    fn image_files_are_recognised() {
        assert_eq!(
            image_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some("image/png")
        );
        assert_eq!(
            image_type(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01"),
            Some("image/jpeg")
        );
        assert_eq!(image_type(b"GIF89a\x01\0\x01\0\x80\0"), Some("image/gif"));
        assert_eq!(image_type(b"RIFF\x24\0\0\0WEBPVP8 "), Some("image/webp"));
    }

    #[test]
    fn other_files_are_not_images() {
        let files: [&[u8]; 4] = [
            b"<svg xmlns=\"http://www.w3.org/2000/svg\">",
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3",
            b"RIFF\x24\0\0\0WAVEfmt ",
            b"\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\xF7\x81",
        ];

        for file in files {
            assert_eq!(
                image_type(file),
                None,
                "{:?}",
                String::from_utf8_lossy(file)
            );
        }
    }
}
