//! `/sign-in/link`: ask for a one-time sign-in link by email, and `/sign-in/link/:token`: use
//! it with a button. Opening the link signs nobody in, because mail scanners open links in
//! emails; only the button's POST does. Both forms post without JavaScript too.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::account::{RequestSignInLink, UseSignInLink};
use crate::components::account_forms::{link_check, UnusableLink};
use crate::components::{ErrorNotice, Loading};

const EXPIRED: &str = "This sign-in link has expired or was already used. Ask for a new one.";

#[component]
pub fn SignInLinkRequestPage() -> impl IntoView {
    let request = ServerAction::<RequestSignInLink>::new();
    let outcome = move || request.value().get();

    view! {
        <Title text="Sign in with a link"/>
        <main class="narrow sign-in">
            <p class="brand-large">"Tryout"</p>
            <h1>"Sign in with a link"</h1>
            <p>"Enter the email you sign in with. We send a link that signs you in once, valid for 15 minutes."</p>
            <ActionForm action=request>
                <label for="email">"Email"</label>
                <input id="email" type="email" name="email" autocomplete="username" required/>
                {move || outcome().map(|result| match result {
                    Ok(message) => view! { <p class="notice notice-ok" role="status">{message}</p> }.into_any(),
                    Err(error) => view! { <p class="notice notice-error" role="alert">{error.to_string()}</p> }.into_any(),
                })}
                <button type="submit" class="button-primary" disabled=move || request.pending().get()>
                    "Send sign-in link"
                </button>
            </ActionForm>
            <p><a href="/sign-in">"Sign in with your password instead"</a></p>
        </main>
    }
}

#[component]
pub fn SignInLinkPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let usable = link_check(token, "sign_in");
    let use_link = ServerAction::<UseSignInLink>::new();
    let error = move || {
        use_link
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| error.to_string())
    };

    view! {
        <Title text="Sign in"/>
        <main class="narrow sign-in">
            <p class="brand-large">"Tryout"</p>
            <h1>"Sign in"</h1>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match usable.await {
                        Ok(true) => view! {
                            <p>"This link signs you in once, to the account it was sent to. Press the button to sign in."</p>
                            <ActionForm action=use_link>
                                <input type="hidden" name="token" value=token()/>
                                <Show when=move || error().is_some()>
                                    <p class="notice notice-error" role="alert">{error}</p>
                                </Show>
                                <button type="submit" class="button-primary" disabled=move || use_link.pending().get()>
                                    "Sign in"
                                </button>
                            </ActionForm>
                        }.into_any(),
                        Ok(false) => view! { <UnusableLink message=EXPIRED href="/sign-in/link" link_text="Ask for a new sign-in link"/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
