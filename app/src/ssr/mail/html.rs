//! Escaping text for HTML email bodies, and preparing a stored HTML body for the mailbox.

/// Escapes `&`, `<`, `>`, `"` and `'`, so the result is safe as element text and as a
/// quoted attribute value.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// Header added to an HTML body shown in the mailbox's sandboxed iframe. Links open in a
/// new tab instead of inside the frame, and the policy stops the body from loading anything
/// (scripts, remote images, fonts) except its inline styles and `data:` images.
const FRAME_HEAD: &str = r#"<base target="_blank"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">"#;

/// Returns `body_html` with [`FRAME_HEAD`] inserted right after its `<head>` tag, or in
/// front when it has none. The result is meant for an iframe's `srcdoc` with a `sandbox`
/// that does not allow scripts.
pub fn html_for_frame(body_html: &str) -> String {
    let head_end = body_html
        .to_ascii_lowercase()
        .find("<head>")
        .map(|start| start + "<head>".len());

    match head_end {
        Some(position) => format!(
            "{}{FRAME_HEAD}{}",
            &body_html[..position],
            &body_html[position..]
        ),
        None => format!("{FRAME_HEAD}{body_html}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escape_html(r#"<a href="x" title='y'>Q&A</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Q&amp;A&lt;/a&gt;"
        );
    }

    #[test]
    fn frame_head_goes_inside_head() {
        let framed = html_for_frame(
            "<!DOCTYPE html><html><HEAD><title>x</title></HEAD><body>hi</body></html>",
        );

        assert!(
            framed.starts_with(&format!("<!DOCTYPE html><html><HEAD>{FRAME_HEAD}<title>")),
            "{framed}"
        );
    }

    #[test]
    fn frame_head_goes_first_without_head() {
        assert_eq!(
            html_for_frame("<p>hi</p>"),
            format!("{FRAME_HEAD}<p>hi</p>")
        );
    }

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(escape_html("Zoë Smith, 2026"), "Zoë Smith, 2026");
    }
}
