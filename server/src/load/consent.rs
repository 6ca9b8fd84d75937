//! Connecting Lever as a Super Admin would: sign in to Tryout, start the OAuth flow,
//! sign in to Lever's (simulated) authorization page and submit its consent form.

use anyhow::{bail, Context};
use reqwest::header::ORIGIN;
use reqwest::{Client, Response, StatusCode};
use url::Url;

use crate::demo::seed::SignIn;

/// The `Origin` a browser sends with Tryout's own forms; the CSRF check requires it on every
/// state-changing request without a JSON body.
pub fn origin(base: &Url) -> String {
    base.origin().ascii_serialization()
}

/// Builds a browser-like client that keeps cookies and does not follow redirects.
pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client with default TLS settings builds")
}

/// Signs a staff member in through the sign-in server function.
pub async fn sign_in(browser: &Client, base: &Url, staff: &SignIn) -> anyhow::Result<()> {
    let response = browser
        .post(base.join("api/sign_in")?)
        .header(ORIGIN, origin(base))
        .form(&[
            ("email", staff.email.as_str()),
            ("password", staff.password.as_str()),
        ])
        .send()
        .await?;
    if !(response.status().is_success() || response.status().is_redirection()) {
        bail!("sign-in failed with {}", response.status());
    }
    Ok(())
}

/// Starts the OAuth flow in a signed-in `browser` and signs in to Lever as `lever_admin`.
/// Then clicks `decision` ("accept" or "deny") and returns the callback URL Lever redirected to.
pub async fn consent(
    browser: &Client,
    base: &Url,
    lever_admin: &SignIn,
    decision: &str,
) -> anyhow::Result<String> {
    let authorize = browser
        .post(base.join("integrations/lever/authorize")?)
        .header(ORIGIN, origin(base))
        .send()
        .await?;
    if authorize.status() != StatusCode::SEE_OTHER {
        bail!(
            "starting the OAuth flow returned {} instead of a redirect",
            authorize.status()
        );
    }
    let lever_url = Url::parse(&location(&authorize)?)?;
    let form_url = lever_url.join("authorize")?;

    let sign_in_page = browser.get(lever_url.clone()).send().await?.text().await?;
    let mut fields = hidden_fields(&sign_in_page);
    fields.push(("email".into(), lever_admin.email.clone()));
    fields.push(("password".into(), lever_admin.password.clone()));
    let consent_page = browser
        .post(form_url.clone())
        .form(&fields)
        .send()
        .await?
        .text()
        .await?;

    let mut fields = hidden_fields(&consent_page);
    fields.push(("decision".into(), decision.into()));
    let redirect = browser.post(form_url).form(&fields).send().await?;
    if !redirect.status().is_redirection() {
        bail!(
            "the consent form returned {} instead of a redirect",
            redirect.status()
        );
    }
    location(&redirect)
}

/// Connects Lever end to end: consent, then the callback; fails unless Tryout reports success.
pub async fn connect_lever(base: &Url, admin: &SignIn, lever_admin: &SignIn) -> anyhow::Result<()> {
    let browser = browser();
    sign_in(&browser, base, admin).await?;
    let callback = consent(&browser, base, lever_admin, "accept").await?;

    let landing = browser.get(callback).send().await?;
    let landed_on = location(&landing)?;
    if landed_on != "/jobs?lever=connected" {
        bail!("the OAuth callback went to {landed_on} instead of the connected Jobs page");
    }
    Ok(())
}

/// Returns the `Location` header of a redirect.
pub fn location(response: &Response) -> anyhow::Result<String> {
    let value = response
        .headers()
        .get(reqwest::header::LOCATION)
        .with_context(|| format!("no Location header on a {} response", response.status()))?;
    Ok(value.to_str()?.to_string())
}

/// Extracts the `<input type="hidden">` fields of a page, unescaped.
pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for tag in html.split("<input").skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        if !tag.contains("type=\"hidden\"") {
            continue;
        }
        let attribute = |name: &str| {
            let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
            let end = start + tag[start..].find('"')?;
            Some(unescape(&tag[start..end]))
        };
        if let (Some(name), Some(value)) = (attribute("name"), attribute("value")) {
            fields.push((name, value));
        }
    }
    fields
}

fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
