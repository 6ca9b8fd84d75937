//! Markdown written by role owners, rendered to HTML that is safe to put in a candidate's page.

use pulldown_cmark::{html, Options, Parser};

/// Renders Markdown and removes anything a browser could execute (scripts, event handlers,
/// `javascript:` links); links open with `rel="noopener noreferrer"`.
pub fn render_markdown(source: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut unsafe_html = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(source, options));

    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_headings_and_lists() {
        let html = render_markdown("# Welcome\n\n- one\n- two");
        assert!(html.contains("<h1>Welcome</h1>"));
        assert!(html.contains("<li>one</li>"));
    }

    #[test]
    fn scripts_and_handlers_are_removed() {
        let html = render_markdown(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))",
        );

        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(html.contains("<img src=\"x\">"), "{html}");
        assert!(!html.contains("href=\"javascript:"), "{html}");
        assert!(html.contains(">x</a>"), "{html}");
    }

    #[test]
    fn raw_frames_and_styles_are_removed() {
        let html = render_markdown(
            "<iframe src=\"https://evil.example\"></iframe>\n\n<a href=\"#\" onclick=\"steal()\">Click</a>\n\n\
             <object data=\"x.swf\"></object><style>body{display:none}</style>\n\n\
             [y](JaVaScRiPt:alert(1)) <a href=\"data:text/html,<script>alert(1)</script>\">z</a>",
        );

        assert!(!html.contains("<iframe"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("<object"), "{html}");
        assert!(!html.contains("<style"), "{html}");
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:text/html"), "{html}");
        assert!(html.contains(">Click</a>"), "{html}");
    }
}
