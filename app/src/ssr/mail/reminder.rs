//! The reminder a candidate receives before their deadline, as plain text and as HTML with
//! every value escaped. A candidate who has not opened their portal gets a fresh link in it.
//! One who has started is pointed to the link they already use, which keeps working.

use chrono::{DateTime, Utc};

use super::html::escape_html;
use super::invitation::{format_deadline, one_line};

/// Renders the reminder and returns `(subject, body_text, body_html)`. `link_url` is a new
/// personal link, or `None` when the candidate keeps the one from their invitation.
pub fn reminder_email(
    organization_name: &str,
    role_title: &str,
    candidate_name: &str,
    link_url: Option<&str>,
    deadline: DateTime<Utc>,
) -> (String, String, String) {
    let subject = one_line(&format!(
        "Reminder: your assessment for the {role_title} role closes soon"
    ));
    let greeting = match candidate_name.trim() {
        "" => "Hello,".to_owned(),
        name => format!("Hello {name},"),
    };
    let closes = format!(
        "Your assessment for the {role_title} role at {organization_name} closes on {}.",
        format_deadline(deadline)
    );
    let next_step = match link_url {
        Some(_) => "Open your personal link to start. It replaces the link in your first email:",
        None => "Carry on where you stopped with the personal link from your invitation email.",
    };

    let mut body_text = format!("{greeting}\n\n{closes}\n\n{next_step}\n");
    if let Some(link) = link_url {
        body_text.push_str(link);
        body_text.push('\n');
    }
    body_text.push_str(&format!(
        "\nBest regards,\nThe {organization_name} hiring team\n"
    ));

    let link_html = link_url
        .map(|link| {
            let link = escape_html(link);
            format!(
                "<p><a href=\"{link}\" style=\"color:#1f4fd1;word-break:break-all;\">{link}</a></p>\n"
            )
        })
        .unwrap_or_default();
    let body_html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{}</title></head>\n\
         <body style=\"font-family:system-ui,sans-serif;font-size:16px;line-height:1.5;color:#1b1f29;\">\n\
         <p>{}</p>\n<p><strong>{}</strong></p>\n<p>{}</p>\n{link_html}<p>Best regards,<br>The {} hiring team</p>\n\
         </body>\n</html>\n",
        escape_html(&subject),
        escape_html(&greeting),
        escape_html(&closes),
        escape_html(next_step),
        escape_html(organization_name),
    );
    (subject, body_text, body_html)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn reminder_with_new_link() {
        let deadline = Utc.with_ymd_and_hms(2026, 12, 11, 18, 30, 0).unwrap();
        let (subject, text, html) = reminder_email(
            "Northwind <Labs>",
            "Backend Engineer",
            "Ada",
            Some("https://tryout.example.com/c/abc"),
            deadline,
        );

        assert_eq!(
            subject,
            "Reminder: your assessment for the Backend Engineer role closes soon"
        );
        assert!(
            text.contains("closes on Friday 11 December 2026, 18:30 UTC"),
            "{text}"
        );
        assert!(text.contains("https://tryout.example.com/c/abc"), "{text}");
        assert!(html.contains("Northwind &lt;Labs&gt;"), "{html}");
        assert!(!html.contains("<Labs>"), "{html}");
    }

    #[test]
    fn reminder_without_link() {
        let deadline = Utc.with_ymd_and_hms(2026, 12, 11, 18, 30, 0).unwrap();
        let (_, text, html) = reminder_email("Northwind", "Backend Engineer", "", None, deadline);

        assert!(text.starts_with("Hello,"), "{text}");
        assert!(text.contains("from your invitation email"), "{text}");
        assert!(!text.contains("/c/"), "{text}");
        assert!(!html.contains("<a href"), "{html}");
    }
}
