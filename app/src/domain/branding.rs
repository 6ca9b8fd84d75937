//! An organization's branding (logo, accent colour and welcome text) as its settings page and
//! the candidate portal use it, and the contrast check every accent colour must pass.

use serde::{Deserialize, Serialize};

/// The lowest contrast ratio an accent colour must keep against white: WCAG 2.2's AA level
/// for normal text (success criterion 1.4.3), because the portal puts white text on accent
/// buttons and accent links on white.
pub const MIN_ACCENT_CONTRAST: f64 = 4.5;

/// The organization's branding as the Branding page edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandingSettings {
    pub organization_name: String,
    /// `#rrggbb`, or `None` for Tryout's own blue.
    pub accent_color: Option<String>,
    /// Markdown shown to every candidate above their steps.
    pub welcome_md: String,
    /// The address of the organization's logo, or `None` for none.
    pub logo_url: Option<String>,
}

/// The branding a candidate's portal shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalBranding {
    /// `#rrggbb`, checked for contrast when saved: the job's own accent, else the organization's.
    pub accent_color: Option<String>,
    /// The organization's welcome text, rendered from Markdown and sanitized.
    pub welcome_html: String,
    /// The address of the organization's logo, shown at the top of the portal.
    pub logo_url: Option<String>,
}

/// Returns the inline style that gives a portal page `accent` as its accent colour, or `None`
/// for Tryout's own. The stylesheet colours buttons and links with the `--accent` variable.
pub fn accent_style(accent: Option<&str>) -> Option<String> {
    accent.map(|color| format!("--accent: {color};"))
}

/// Maximum length of the welcome text, in characters.
pub const MAX_WELCOME_CHARS: usize = 10_000;

/// Checks an accent colour typed as `#rrggbb` (or `rrggbb`, any case) and returns it as
/// `#rrggbb` in lower case. Blank means "no accent". The error message names the problem.
pub fn check_accent(input: &str) -> Result<Option<String>, String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }

    let Some(rgb) = parse_hex_color(trimmed) else {
        return Err(format!(
            "Enter the colour as six hexadecimal digits, such as #1f4fd1 (got \"{trimmed}\")."
        ));
    };
    let ratio = contrast_ratio(rgb, (255, 255, 255));
    if ratio < MIN_ACCENT_CONTRAST {
        return Err(format!(
            "This colour has a contrast of {ratio:.1}:1 against white; buttons and links need at least \
             {MIN_ACCENT_CONTRAST}:1 to stay readable. Choose a darker shade."
        ));
    }
    Ok(Some(format!("#{:02x}{:02x}{:02x}", rgb.0, rgb.1, rgb.2)))
}

/// Parses `#rrggbb` or `rrggbb`.
fn parse_hex_color(text: &str) -> Option<(u8, u8, u8)> {
    let digits = text.strip_prefix('#').unwrap_or(text);
    if digits.len() != 6 || !digits.chars().all(|digit| digit.is_ascii_hexdigit()) {
        return None;
    }

    let channel = |index: usize| u8::from_str_radix(&digits[index..index + 2], 16).ok();
    Some((channel(0)?, channel(2)?, channel(4)?))
}

/// Returns the WCAG contrast ratio of two sRGB colours, from 1 (same) to 21 (black on white).
fn contrast_ratio(first: (u8, u8, u8), second: (u8, u8, u8)) -> f64 {
    let (lighter, darker) = {
        let a = relative_luminance(first);
        let b = relative_luminance(second);
        if a >= b {
            (a, b)
        } else {
            (b, a)
        }
    };
    (lighter + 0.05) / (darker + 0.05)
}

/// Returns an sRGB colour's relative luminance as WCAG 2.2 defines it.
fn relative_luminance((red, green, blue): (u8, u8, u8)) -> f64 {
    let linear = |channel: u8| {
        let value = f64::from(channel) / 255.0;
        if value <= 0.04045 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_known_pairs() {
        assert!((contrast_ratio((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 0.01);
        assert!((contrast_ratio((255, 255, 255), (255, 255, 255)) - 1.0).abs() < 0.001);
        // #767676 on white: 4.54:1, computed by hand from the WCAG formula.
        assert!((contrast_ratio((0x76, 0x76, 0x76), (255, 255, 255)) - 4.54).abs() < 0.01);
    }

    #[test]
    fn accent_is_normalized() {
        assert_eq!(check_accent(" 1F4FD1 "), Ok(Some("#1f4fd1".to_owned())));
        assert_eq!(check_accent("#0B3D2E"), Ok(Some("#0b3d2e".to_owned())));
        assert_eq!(check_accent("   "), Ok(None));
    }

    #[test]
    fn light_accent_is_rejected() {
        let message = check_accent("#ffcc00").unwrap_err();
        assert!(message.contains("1.5:1"), "{message}");
        assert!(message.contains("darker"), "{message}");
    }

    #[test]
    fn malformed_accent_is_rejected() {
        for input in ["#12345", "#12345g", "blue", "#1f4fd1ff"] {
            let message = check_accent(input).unwrap_err();
            assert!(
                message.contains("six hexadecimal digits"),
                "{input}: {message}"
            );
        }
    }
}
