//! `/forgot-password`: ask for a password reset link by email. The answer is the same
//! whether or not an account uses the email. The form posts without JavaScript too.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::account::RequestPasswordReset;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let request = ServerAction::<RequestPasswordReset>::new();
    let outcome = move || request.value().get();

    view! {
        <Title text="Forgot your password"/>
        <main class="narrow sign-in">
            <p class="brand-large">"Tryout"</p>
            <h1>"Reset your password"</h1>
            <p>"Enter the email you sign in with. We send a link, valid for 1 hour, to choose a new password."</p>
            <ActionForm action=request>
                <label for="email">"Email"</label>
                <input id="email" type="email" name="email" autocomplete="username" required/>
                {move || outcome().map(|result| match result {
                    Ok(message) => view! { <p class="notice notice-ok" role="status">{message}</p> }.into_any(),
                    Err(error) => view! { <p class="notice notice-error" role="alert">{error.to_string()}</p> }.into_any(),
                })}
                <button type="submit" class="button-primary" disabled=move || request.pending().get()>
                    "Send reset link"
                </button>
            </ActionForm>
            <p><a href="/sign-in">"Back to sign in"</a></p>
        </main>
    }
}
