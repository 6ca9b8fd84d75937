//! Emails to staff with a one-time link: an invitation to join, a sign-in link and a
//! password reset, as plain text and as HTML with every value escaped.

use super::html::escape_html;
use super::invitation::one_line;

/// `emails.kind` of an invitation to a colleague.
pub const STAFF_INVITATION_KIND: &str = "staff_invitation";
/// `emails.kind` of a one-time sign-in link.
pub const SIGN_IN_LINK_KIND: &str = "sign_in_link";
/// `emails.kind` of a password reset link.
pub const PASSWORD_RESET_KIND: &str = "password_reset";

/// A staff email to write, with the values it needs beyond the link.
pub enum StaffEmail<'a> {
    /// `inviter` is the name of the Admin who sent it; `role` the role's label.
    Invitation {
        inviter: &'a str,
        role: &'a str,
    },
    SignInLink,
    PasswordReset,
}

impl StaffEmail<'_> {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Invitation { .. } => STAFF_INVITATION_KIND,
            Self::SignInLink => SIGN_IN_LINK_KIND,
            Self::PasswordReset => PASSWORD_RESET_KIND,
        }
    }
}

/// Renders the email and returns `(subject, body_text, body_html)`.
pub fn staff_email(
    email: &StaffEmail<'_>,
    organization_name: &str,
    person_name: &str,
    link_url: &str,
) -> (String, String, String) {
    let (subject, lead, button, lifetime) = match email {
        StaffEmail::Invitation { inviter, role } => (
            format!("{inviter} invited you to {organization_name} on Tryout"),
            format!(
                "{inviter} invited you to join {organization_name} on Tryout as {role}. \
                 Open the link to choose your password."
            ),
            "Choose your password",
            "The link works once and expires in 7 days.",
        ),
        StaffEmail::SignInLink => (
            format!("Your sign-in link for {organization_name} on Tryout"),
            "Open the link to sign in to Tryout without your password.".to_owned(),
            "Sign in",
            "The link works once and expires in 15 minutes.",
        ),
        StaffEmail::PasswordReset => (
            format!("Reset your Tryout password for {organization_name}"),
            "Open the link to choose a new password for Tryout.".to_owned(),
            "Choose a new password",
            "The link works once and expires in 1 hour.",
        ),
    };
    let subject = one_line(&subject);
    let greeting = match person_name.trim() {
        "" => "Hello,".to_owned(),
        name => format!("Hello {name},"),
    };
    let ignore = match email {
        StaffEmail::Invitation { .. } => "If you did not expect this invitation, ignore this email.",
        _ => "If you did not ask for this, ignore this email: nothing changes until the link is used.",
    };

    let body_text = format!("{greeting}\n\n{lead}\n\n{link_url}\n\n{lifetime} {ignore}\n");
    let body_html = format!(
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
<p>{lead}</p>
<p><a href="{link}" style="display:inline-block;padding:12px 20px;background:#1f4fd1;color:#ffffff;border-radius:6px;font-weight:600;text-decoration:none;">{button}</a></p>
<p style="color:#535b6b;font-size:14px;">If the button does not work, copy this link into your browser:<br><a href="{link}" style="color:#1f4fd1;word-break:break-all;">{link}</a></p>
<p>{lifetime} {ignore}</p>
</div>
</body>
</html>
"#,
        subject = escape_html(&subject),
        greeting = escape_html(&greeting),
        lead = escape_html(&lead),
        link = escape_html(link_url),
    );
    (subject, body_text, body_html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitation_names_inviter_role_and_link() {
        let email = StaffEmail::Invitation {
            inviter: "Grace <Hopper>",
            role: "Admin",
        };

        let (subject, text, html) = staff_email(
            &email,
            "Northwind Labs",
            "Ada",
            "https://tryout.example.com/welcome/abc",
        );

        assert_eq!(
            subject,
            "Grace <Hopper> invited you to Northwind Labs on Tryout"
        );
        assert!(
            text.contains("\nhttps://tryout.example.com/welcome/abc\n"),
            "{text}"
        );
        assert!(text.contains("on Tryout as Admin."), "{text}");
        assert!(html.contains("Grace &lt;Hopper&gt;"), "{html}");
        assert!(!html.contains("<Hopper>"), "{html}");
    }
}
