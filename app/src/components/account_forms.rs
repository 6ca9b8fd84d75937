//! Pieces of the pages a staff member reaches by email or from the sign-in page: the two
//! new-password fields, and the notice for a link that no longer works.

use leptos::prelude::*;

use crate::api::account::check_staff_link;
use crate::error::AppError;

/// Renders the new password and its confirmation, named as the server functions expect.
#[component]
pub fn NewPasswordFields() -> impl IntoView {
    let minimum = crate::domain::staff_accounts::MIN_PASSWORD_CHARS;
    let minimum_text = minimum.to_string();

    view! {
        <label for="password">"New password"</label>
        <input id="password" type="password" name="password" autocomplete="new-password" minlength=minimum_text.clone() required aria-describedby="password-hint"/>
        <p id="password-hint" class="muted">{format!("At least {minimum} characters.")}</p>
        <label for="password_confirm">"Type it again"</label>
        <input id="password_confirm" type="password" name="password_confirm" autocomplete="new-password" minlength=minimum_text required/>
    }
}

/// Says that a link expired or was used, with where to get a new one.
#[component]
pub fn UnusableLink(
    message: &'static str,
    href: &'static str,
    link_text: &'static str,
) -> impl IntoView {
    view! {
        <p class="notice notice-warn" role="alert">{message}</p>
        <p><a href=href>{link_text}</a></p>
    }
}

/// Loads whether the link in the page's URL still works, before the form is shown.
pub fn link_check(
    token: impl Fn() -> String + Send + Sync + 'static,
    purpose: &'static str,
) -> Resource<Result<bool, AppError>> {
    Resource::new(token, move |token| {
        check_staff_link(token, purpose.to_owned())
    })
}
