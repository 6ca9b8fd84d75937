//! `/sign-in`: staff sign in with email and password. The form posts without JavaScript too.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::SignIn;

#[component]
pub fn SignInPage() -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
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
