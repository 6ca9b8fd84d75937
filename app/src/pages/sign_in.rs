//! `/sign-in`: staff sign in with email and password. The form posts without JavaScript too.
//! Someone already signed in is shown who they are and a way back to the Jobs page.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::{current_staff, SignIn};

#[component]
pub fn SignInPage() -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
    // Someone who is already signed in gets a note saying so, not just the form again.
    let signed_in = Resource::new(|| (), |_| current_staff());
    let error = move || {
        sign_in
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
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    signed_in.await.ok().flatten().map(|me| view! {
                        <p class="notice" role="note">
                            {format!("You are signed in as {} ({}). ", me.name, me.email)}
                            <a href="/jobs">"Go to Jobs"</a>
                            ", or sign in below as someone else."
                        </p>
                    })
                })}
            </Suspense>
            <ActionForm action=sign_in>
                <label for="email">"Email"</label>
                <input id="email" type="email" name="email" autocomplete="username" required/>
                <label for="password">"Password"</label>
                <input id="password" type="password" name="password" autocomplete="current-password" required/>
                <Show when=move || error().is_some()>
                    <p class="notice notice-error" role="alert">{error}</p>
                </Show>
                <button type="submit" class="button-primary" disabled=move || sign_in.pending().get()>
                    "Sign in"
                </button>
            </ActionForm>
            <ul class="sign-in-options">
                <li><a href="/sign-in/link">"Email me a sign-in link"</a></li>
                <li><a href="/forgot-password">"Forgot your password?"</a></li>
            </ul>
        </main>
    }
}
