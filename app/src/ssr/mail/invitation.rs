//! The invitation a candidate receives with their personal portal link, as plain text and
//! as HTML with every value escaped.

use chrono::{DateTime, Utc};

use super::html::escape_html;

/// Formats a deadline the way the portal shows it: "Friday 11 December 2026, 18:30 UTC".
/// The candidate's time zone is unknown when the email is written, so it is stated in UTC.
pub fn format_deadline(deadline: DateTime<Utc>) -> String {
    deadline.format("%A %-d %B %Y, %H:%M UTC").to_string()
}

/// Renders the invitation and returns `(subject, body_text, body_html)`. `link_url` is the
/// candidate's personal portal link; `deadline`, when set, is when the assessment closes.
pub fn invitation_email(
    organization_name: &str,
    role_title: &str,
    candidate_name: &str,
    link_url: &str,
    deadline: Option<DateTime<Utc>>,
) -> (String, String, String) {
    // A subject is one header line: line breaks in a role title or name must not split it.
    let subject = one_line(&format!(
        "Your next step for the {role_title} role at {organization_name}"
    ));
    let greeting = match candidate_name.trim() {
        "" => "Hello,".to_owned(),
        name => format!("Hello {name},"),
    };
    let deadline_sentence =
        deadline.map(|deadline| format!("Please complete it by {}.", format_deadline(deadline)));

    let body_text = render_text(
        &greeting,
        organization_name,
        role_title,
        link_url,
        deadline_sentence.as_deref(),
    );
    let body_html = render_html(
        &subject,
        &greeting,
        organization_name,
        role_title,
        link_url,
        deadline_sentence.as_deref(),
    );
    (subject, body_text, body_html)
}

fn render_text(
    greeting: &str,
    organization_name: &str,
    role_title: &str,
    link_url: &str,
    deadline_sentence: Option<&str>,
) -> String {
    let mut text = format!(
        "{greeting}\n\n\
         Thanks for your interest in the {role_title} role at {organization_name}. \
         The next step is an assessment that you take in your browser, at a time that suits you. \
         You can stop at any point and carry on later, because your progress is saved.\n\n\
         Open your personal link to start:\n\
         {link_url}\n\n"
    );
    if let Some(sentence) = deadline_sentence {
        text.push_str(sentence);
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "This link is only for you, so please do not forward this email.\n\n\
         Best regards,\n\
         The {organization_name} hiring team\n"
    ));
    text
}

fn render_html(
    subject: &str,
    greeting: &str,
    organization_name: &str,
    role_title: &str,
    link_url: &str,
    deadline_sentence: Option<&str>,
) -> String {
    let subject = escape_html(subject);
    let greeting = escape_html(greeting);
    let organization = escape_html(organization_name);
    let role = escape_html(role_title);
    let link = escape_html(link_url);
    let deadline = deadline_sentence
        .map(|sentence| format!("<p><strong>{}</strong></p>\n", escape_html(sentence)))
        .unwrap_or_default();

    // Inline styles, because many email clients drop <style> elements.
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{subject}</title>
</head>
<body style="margin:0;padding:16px;background:#f4f6fa;color:#1b1f29;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.5;">
<div style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff;border:1px solid #d5d9e2;border-radius:8px;">
<p>{greeting}</p>
<p>Thanks for your interest in the <strong>{role}</strong> role at {organization}. The next step is an assessment that you take in your browser, at a time that suits you. You can stop at any point and carry on later, because your progress is saved.</p>
<p><a href="{link}" style="display:inline-block;padding:12px 20px;background:#1f4fd1;color:#ffffff;border-radius:6px;font-weight:600;text-decoration:none;">Start your assessment</a></p>
{deadline}<p style="color:#535b6b;font-size:14px;">If the button does not work, copy this link into your browser:<br><a href="{link}" style="color:#1f4fd1;word-break:break-all;">{link}</a></p>
<p>This link is only for you, so please do not forward this email.</p>
<p>Best regards,<br>The {organization} hiring team</p>
</div>
</body>
</html>
"#
    )
}

/// Replaces line breaks and other control characters with spaces, so a subject cannot
/// start a new header.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|character| {
            if character.is_control() {
                ' '
            } else {
                character
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    const LINK: &str = "https://tryout.example.com/c/abc123";

    #[test]
    fn text_names_role_organization_and_link() {
        let (subject, text, _) = invitation_email(
            "Northwind Labs",
            "Backend Engineer",
            "Ada Lovelace",
            LINK,
            None,
        );

        assert_eq!(
            subject,
            "Your next step for the Backend Engineer role at Northwind Labs"
        );
        assert!(text.starts_with("Hello Ada Lovelace,\n"), "{text}");
        assert!(text.contains(&format!("\n{LINK}\n")), "{text}");
        assert!(text.contains("The Northwind Labs hiring team"), "{text}");
        assert!(!text.contains("complete it by"), "{text}");
    }

    #[test]
    fn deadline_is_stated_in_utc() {
        let deadline = Utc.with_ymd_and_hms(2026, 12, 11, 18, 30, 0).unwrap();

        let (_, text, html) = invitation_email(
            "Northwind Labs",
            "Backend Engineer",
            "Ada",
            LINK,
            Some(deadline),
        );

        assert!(
            text.contains("Please complete it by Friday 11 December 2026, 18:30 UTC."),
            "{text}"
        );
        assert!(
            html.contains("Please complete it by Friday 11 December 2026, 18:30 UTC."),
            "{html}"
        );
    }

    #[test]
    fn html_escapes_every_value() {
        let (_, text, html) = invitation_email(
            "<b>Acme</b> & Sons",
            "Engineer <script>alert(1)</script>",
            "Bobby \"Tables\" O'Brien",
            "https://tryout.example.com/c/abc?x=1&y=\"2\"",
            None,
        );

        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>Acme</b>"), "{html}");
        assert!(
            html.contains("&lt;b&gt;Acme&lt;/b&gt; &amp; Sons"),
            "{html}"
        );
        assert!(
            html.contains("Engineer &lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("Hello Bobby &quot;Tables&quot; O&#39;Brien,"),
            "{html}"
        );
        assert!(
            html.contains(r#"href="https://tryout.example.com/c/abc?x=1&amp;y=&quot;2&quot;""#),
            "{html}"
        );
        assert!(
            text.contains("Engineer <script>alert(1)</script>"),
            "the text body shows values as written: {text}"
        );
    }

    #[test]
    fn subject_stays_on_one_line() {
        let (subject, _, html) = invitation_email(
            "Northwind\r\nBcc: x@example.com",
            "Engineer",
            "Ada",
            LINK,
            None,
        );

        assert!(!subject.contains('\n'), "{subject:?}");
        assert!(!subject.contains('\r'), "{subject:?}");
        assert!(html.contains("<title>Your next step"), "{html}");
    }

    #[test]
    fn missing_name_gets_plain_greeting() {
        let (_, text, html) = invitation_email("Northwind Labs", "Engineer", "  ", LINK, None);

        assert!(text.starts_with("Hello,\n"), "{text}");
        assert!(html.contains("<p>Hello,</p>"), "{html}");
    }
}
