//! `/welcome/:token`: an invited colleague chooses their password and is signed in. The form
//! posts without JavaScript too.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::account::AcceptInvitation;
use crate::components::account_forms::{link_check, NewPasswordFields, UnusableLink};
use crate::components::{ErrorNotice, Loading};

const EXPIRED: &str =
    "This invitation link has expired or was already used. Ask an Admin of your team to send a new one.";

#[component]
pub fn WelcomePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let usable = link_check(token, "invitation");
    let accept = ServerAction::<AcceptInvitation>::new();
    let error = move || {
        accept
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| error.to_string())
    };

    view! {
        <Title text="Welcome"/>
        <main class="narrow sign-in">
            <p class="brand-large">"Tryout"</p>
            <h1>"Choose your password"</h1>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match usable.await {
                        Ok(true) => view! {
                            <ActionForm action=accept>
                                <input type="hidden" name="token" value=token()/>
                                <NewPasswordFields/>
                                <Show when=move || error().is_some()>
                                    <p class="notice notice-error" role="alert">{error}</p>
                                </Show>
                                <button type="submit" class="button-primary" disabled=move || accept.pending().get()>
                                    "Set password and sign in"
                                </button>
                            </ActionForm>
                        }.into_any(),
                        Ok(false) => view! { <UnusableLink message=EXPIRED href="/sign-in" link_text="Go to the sign-in page"/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
