//! `/account`: the signed-in person's own name and password. Every staff role may open it.
//! Changing the password signs out every other session of the account.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::own_account::{ChangeOwnPassword, RenameSelf};
use crate::components::outcome::Outcome;
use crate::components::staff_frame::StaffFrame;
use crate::domain::staff::StaffMe;
use crate::domain::staff_accounts::MIN_PASSWORD_CHARS;
use crate::error::AppError;

#[component]
pub fn AccountPage() -> impl IntoView {
    let rename = ServerAction::<RenameSelf>::new();
    let change_password = ServerAction::<ChangeOwnPassword>::new();

    view! {
        <Title text="Your account"/>
        <StaffFrame>
            <h1>"Your account"</h1>
            <AccountForms rename change_password/>
        </StaffFrame>
    }
}

/// Returns the message of an action's error when it names `field`.
fn field_error(value: Option<Result<(), AppError>>, field: &'static str) -> Option<String> {
    match value {
        Some(Err(AppError::Invalid {
            field: Some(named),
            message,
        })) if named == field => Some(message),
        _ => None,
    }
}

/// Returns an action's error that names no field of its form.
fn form_error(value: Option<Result<(), AppError>>) -> Option<String> {
    match value {
        Some(Err(AppError::Invalid { field: Some(_), .. })) | Some(Ok(())) | None => None,
        Some(Err(error)) => Some(error.to_string()),
    }
}

#[component]
fn AccountForms(
    rename: ServerAction<RenameSelf>,
    change_password: ServerAction<ChangeOwnPassword>,
) -> impl IntoView {
    let me = use_context::<StaffMe>();
    let name = me.as_ref().map(|me| me.name.clone()).unwrap_or_default();
    let email = me.as_ref().map(|me| me.email.clone()).unwrap_or_default();
    let role = me.as_ref().map(|me| me.role.label()).unwrap_or_default();
    let name_error = move || field_error(rename.value().get(), "name");
    let password_fields = ["current_password", "password", "password_confirm"];
    let password_error =
        move |field: &'static str| field_error(change_password.value().get(), field);
    let password_inputs = password_fields.map(|_| NodeRef::<leptos::html::Input>::new());
    // A changed password empties the form, so the passwords do not stay on screen.
    Effect::new(move |_| {
        if matches!(change_password.value().get(), Some(Ok(()))) {
            for input in password_inputs.iter().filter_map(|input| input.get()) {
                input.set_value("");
            }
        }
    });

    view! {
        <p class="muted">{format!("You sign in as {email}, with the role {role}. An Admin changes roles and email addresses on the Staff page.")}</p>

        <section class="settings-form" aria-labelledby="name-heading">
            <h2 id="name-heading">"Name"</h2>
            <ActionForm action=rename>
                <label for="name">"Your name, as colleagues see it"</label>
                <input id="name" name="name" type="text" required maxlength="200" autocomplete="name" value=name
                    aria-invalid=move || name_error().is_some().then_some("true") aria-describedby="name-error"/>
                <p id="name-error" class="field-message" role="alert">{name_error}</p>
                <Outcome finished=Signal::derive(move || rename.version().get())>
                    <div role="status">
                        {move || matches!(rename.value().get(), Some(Ok(()))).then(|| view! {
                            <p class="notice notice-ok">"Name saved. The header shows it from the next page you open."</p>
                        })}
                        {move || form_error(rename.value().get()).map(|message| view! { <p class="notice notice-error">{message}</p> })}
                    </div>
                </Outcome>
                <button type="submit" class="button-secondary" disabled=move || rename.pending().get()>"Save name"</button>
            </ActionForm>
        </section>

        <section class="settings-form" aria-labelledby="password-heading">
            <h2 id="password-heading">"Password"</h2>
            <p class="muted">"Changing it signs you out everywhere else; this browser stays signed in."</p>
            <ActionForm action=change_password>
                <label for="current_password">"Current password"</label>
                <input id="current_password" name="current_password" type="password" required autocomplete="current-password"
                    node_ref=password_inputs[0]
                    aria-invalid=move || password_error("current_password").is_some().then_some("true")
                    aria-describedby="current_password-error"/>
                <p id="current_password-error" class="field-message" role="alert">{move || password_error("current_password")}</p>
                <label for="password">{format!("New password (at least {MIN_PASSWORD_CHARS} characters)")}</label>
                <input id="password" name="password" type="password" required minlength=MIN_PASSWORD_CHARS.to_string() autocomplete="new-password"
                    node_ref=password_inputs[1]
                    aria-invalid=move || password_error("password").is_some().then_some("true")
                    aria-describedby="password-error"/>
                <p id="password-error" class="field-message" role="alert">{move || password_error("password")}</p>
                <label for="password_confirm">"New password again"</label>
                <input id="password_confirm" name="password_confirm" type="password" required autocomplete="new-password"
                    node_ref=password_inputs[2]
                    aria-invalid=move || password_error("password_confirm").is_some().then_some("true")
                    aria-describedby="password_confirm-error"/>
                <p id="password_confirm-error" class="field-message" role="alert">{move || password_error("password_confirm")}</p>
                <Outcome finished=Signal::derive(move || change_password.version().get())>
                    <div role="status">
                        {move || matches!(change_password.value().get(), Some(Ok(()))).then(|| view! {
                            <p class="notice notice-ok">"Password changed. Every other session of your account has ended."</p>
                        })}
                        {move || form_error(change_password.value().get()).map(|message| view! { <p class="notice notice-error">{message}</p> })}
                    </div>
                </Outcome>
                <button type="submit" class="button-primary" disabled=move || change_password.pending().get()>"Change password"</button>
            </ActionForm>
        </section>
    }
}
