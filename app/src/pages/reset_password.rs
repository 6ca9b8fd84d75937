//! `/reset-password/:token`: a staff member who forgot their password chooses a new one and
//! is signed in; their other sessions end. The form posts without JavaScript too.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::account::ResetPassword;
use crate::components::account_forms::{link_check, NewPasswordFields, UnusableLink};
use crate::components::{ErrorNotice, Loading};

const EXPIRED: &str =
    "This password reset link has expired or was already used. Ask for a new one.";

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let usable = link_check(token, "password_reset");
    let reset = ServerAction::<ResetPassword>::new();
    let error = move || {
        reset
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| error.to_string())
    };

    view! {
        <Title text="Reset your password"/>
        <main class="narrow sign-in">
            <p class="brand-large">"Tryout"</p>
            <h1>"Choose a new password"</h1>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match usable.await {
                        Ok(true) => view! {
                            <ActionForm action=reset>
                                <input type="hidden" name="token" value=token()/>
                                <NewPasswordFields/>
                                <Show when=move || error().is_some()>
                                    <p class="notice notice-error" role="alert">{error}</p>
                                </Show>
                                <button type="submit" class="button-primary" disabled=move || reset.pending().get()>
                                    "Set password and sign in"
                                </button>
                            </ActionForm>
                        }.into_any(),
                        Ok(false) => view! { <UnusableLink message=EXPIRED href="/forgot-password" link_text="Ask for a new reset link"/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
