//! HTML of the simulated Lever sign-in, consent and error pages, and the
//! frame of the settings pages: plain,
//! self-contained (inline CSS, no scripts), usable on a phone, and with
//! labelled controls so browser tests can find them by name.

use crate::types::scope_description;

const STYLE: &str = "\
*{box-sizing:border-box}\
body{margin:0;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;\
background:#f3f5f7;color:#1f2933;line-height:1.45}\
main{max-width:440px;margin:0 auto;padding:32px 16px}\
.brand{font-size:28px;font-weight:700;letter-spacing:-0.5px;margin:0 0 20px;color:#111}\
.card{background:#fff;border:1px solid #dde2e7;border-radius:8px;padding:24px}\
h1{font-size:20px;margin:0 0 12px}\
label{display:block;font-weight:600;margin:16px 0 6px}\
input[type=email],input[type=password]{width:100%;padding:10px 12px;font-size:16px;border:1px solid #b9c2cc;border-radius:6px}\
input:focus,button:focus{outline:3px solid #7fb2ff;outline-offset:1px}\
button{font-size:16px;padding:10px 18px;border-radius:6px;border:1px solid #1f2933;cursor:pointer;margin-top:20px}\
.primary{background:#1f2933;color:#fff}\
.secondary{background:#fff;color:#1f2933}\
.actions{display:flex;gap:12px;flex-wrap:wrap}\
.error{background:#fdecea;border:1px solid #f5c2bd;color:#8a1c12;padding:10px 12px;border-radius:6px}\
.notice{background:#fff8e1;border:1px solid #f3d98b;padding:10px 12px;border-radius:6px}\
ul{padding-left:20px}li{margin:8px 0}code{font-size:13px;color:#52606d}\
.event{border-top:1px solid #dde2e7;padding:14px 0}\
.event label{display:flex;gap:10px;align-items:center;margin:0}\
input[type=checkbox]{width:20px;height:20px}\
.event button{margin-top:10px}\
.hint{font-size:13px;color:#52606d;margin:6px 0 0;overflow-wrap:anywhere}\
footer{margin-top:16px;font-size:13px;color:#52606d;text-align:center}";

/// Escapes text for an HTML element or a double-quoted attribute.
pub(crate) fn escape(text: &str) -> String {
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

/// Wraps `content` in the page frame.
pub(crate) fn page(title: &str, content: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Lever</title><style>{STYLE}</style></head>\
         <body><main><p class=\"brand\">Lever</p><div class=\"card\">{content}</div>\
         <footer>Lever simulator for testing. This is not Lever.</footer></main></body></html>",
        title = escape(title),
    )
}

/// Hidden inputs for `fields`, so every form carries the authorize request.
pub(crate) fn hidden_fields(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(name, value)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(name),
                escape(value)
            )
        })
        .collect()
}

/// Renders the sign-in form. `hidden` carries the authorize request.
pub(crate) fn sign_in_page(hidden: &str, error: Option<&str>, email: &str) -> String {
    let error = error
        .map(|message| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(message)))
        .unwrap_or_default();

    page(
        "Sign in",
        &format!(
            "<h1>Sign in to Lever</h1>{error}\
             <form method=\"post\" action=\"authorize\">{hidden}\
             <input type=\"hidden\" name=\"step\" value=\"sign_in\">\
             <label for=\"email\">Email</label>\
             <input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required value=\"{email}\">\
             <label for=\"password\">Password</label>\
             <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
             <button class=\"primary\" type=\"submit\">Sign in</button></form>",
            email = escape(email),
        ),
    )
}

/// Facts the consent page shows about the signed-in user and the app.
pub(crate) struct ConsentView<'a> {
    pub app_name: &'a str,
    pub user_name: &'a str,
    pub user_email: &'a str,
    pub scopes: &'a [String],
    /// Only Super Admins get the Accept button.
    pub may_accept: bool,
}

/// Renders the consent page. `hidden` carries the authorize request and
/// the sign-in ticket.
pub(crate) fn consent_page(view: &ConsentView<'_>, hidden: &str) -> String {
    let scope_items: String = view
        .scopes
        .iter()
        .map(|scope| match scope_description(scope) {
            Some(description) => format!(
                "<li>{} <code>{}</code></li>",
                escape(description),
                escape(scope)
            ),
            None => format!("<li><code>{}</code></li>", escape(scope)),
        })
        .collect();

    let accept = if view.may_accept {
        "<button class=\"primary\" type=\"submit\" name=\"decision\" value=\"accept\">Accept</button>"
    } else {
        ""
    };
    let notice = if view.may_accept {
        String::new()
    } else {
        "<p class=\"notice\" role=\"alert\">Only Super Admins can authorize apps. \
         Ask a Super Admin of your Lever account to connect this app.</p>"
            .to_string()
    };

    page(
        "Authorize app",
        &format!(
            "<h1>Authorize {app}</h1>\
             <p>Signed in as {name} ({email}).</p>{notice}\
             <p>{app} is requesting access to your organization's Lever account to:</p>\
             <ul>{scope_items}</ul>\
             <form method=\"post\" action=\"authorize\">{hidden}\
             <input type=\"hidden\" name=\"step\" value=\"consent\">\
             <div class=\"actions\">{accept}\
             <button class=\"secondary\" type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\
             </div></form>",
            app = escape(view.app_name),
            name = escape(view.user_name),
            email = escape(view.user_email),
        ),
    )
}

/// Renders the page for an authorize request that cannot continue. Like a real
/// authorization server, the simulator shows it instead of redirecting to
/// an unverified `redirect_uri`.
pub(crate) fn error_page(message: &str) -> String {
    page(
        "Authorization error",
        &format!(
            "<h1>Authorization error</h1><p class=\"error\" role=\"alert\">{}</p>\
             <p>Go back to the app and start connecting Lever again.</p>",
            escape(message)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn consent_without_accept_for_member() {
        let scopes = vec!["offline_access".to_string()];
        let view = ConsentView {
            app_name: "Tryout",
            user_name: "Terry",
            user_email: "t@example.com",
            scopes: &scopes,
            may_accept: false,
        };

        let html = consent_page(&view, "");

        assert!(!html.contains(">Accept<"));
        assert!(html.contains(">Deny<"));
        assert!(html.contains("Only Super Admins can authorize apps"));
    }
}
