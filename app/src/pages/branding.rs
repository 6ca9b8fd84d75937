//! `/branding`: the logo, the accent colour and the welcome text shown to every candidate of
//! the organization. Admins and Super Admins change them; other roles get the server's
//! refusal in place of the page.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::branding::{load_branding, SaveBranding};
use crate::components::logo_field::LogoField;
use crate::components::outcome::Outcome;
use crate::components::staff_frame::StaffFrame;
use crate::components::{ErrorNotice, Loading};
use crate::domain::branding::{BrandingSettings, MAX_WELCOME_CHARS, MIN_ACCENT_CONTRAST};
use crate::error::AppError;

/// Renders the page. Its resource is created before `StaffFrame` suspends, as on the Jobs page,
/// and loads once: the form keeps what was typed after a save, so a rejected colour stays to fix.
#[component]
pub fn BrandingPage() -> impl IntoView {
    let save = ServerAction::<SaveBranding>::new();
    let branding = Resource::new(|| (), |_| load_branding());

    view! {
        <Title text="Branding"/>
        <StaffFrame>
            <h1>"Branding"</h1>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match branding.await {
                        Ok(settings) => view! { <BrandingForm settings save/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </StaffFrame>
    }
}

/// Returns the message of the last save's error when it names `field`.
fn field_error(save: ServerAction<SaveBranding>, field: &'static str) -> Option<String> {
    match save.value().get() {
        Some(Err(AppError::Invalid {
            field: Some(named),
            message,
        })) if named == field => Some(message),
        _ => None,
    }
}

#[component]
fn BrandingForm(settings: BrandingSettings, save: ServerAction<SaveBranding>) -> impl IntoView {
    let accent = settings.accent_color.clone().unwrap_or_default();
    let accent_error = move || field_error(save, "accent_color");
    let welcome_error = move || field_error(save, "welcome_md");
    let other_error = move || match save.value().get() {
        Some(Err(AppError::Invalid { field: Some(_), .. })) => None,
        Some(Err(error)) => Some(error),
        _ => None,
    };

    view! {
        <p class="muted">{format!(
            "Candidates of {} see these on their portal. A job's settings can set its own accent colour.",
            settings.organization_name
        )}</p>
        <LogoField initial=settings.logo_url.clone()/>
        <h2>"Colour and welcome text"</h2>
        // The save button is disabled while the save runs, which takes focus from it, so focus
        // moves to the outcome once the save ends.
        <Outcome finished=Signal::derive(move || save.version().get())>
            {move || other_error().map(|error| view! { <ErrorNotice error/> })}
            {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! {
                <p class="notice notice-ok" role="status">"Branding saved. Candidates see it the next time they open their portal."</p>
            })}
        </Outcome>
        <ActionForm action=save attr:class="settings-form">
            <label for="accent_color">"Accent colour (#rrggbb, empty for Tryout's blue)"</label>
            <input id="accent_color" name="accent_color" type="text" value=accent maxlength="7"
                autocomplete="off" spellcheck="false" placeholder="#1f4fd1"
                aria-invalid=move || accent_error().is_some().then_some("true")
                aria-describedby="accent-help accent-error"/>
            <p id="accent-help" class="muted">{format!(
                "Buttons show white text on this colour, so it needs a contrast of at least {MIN_ACCENT_CONTRAST}:1 against white."
            )}</p>
            <p id="accent-error" class="field-message" role="alert">{accent_error}</p>
            <label for="welcome_md">"Welcome text for every candidate (Markdown)"</label>
            <textarea id="welcome_md" name="welcome_md" rows="6" maxlength=MAX_WELCOME_CHARS.to_string()
                aria-invalid=move || welcome_error().is_some().then_some("true")
                aria-describedby="welcome-error">{settings.welcome_md.clone()}</textarea>
            <p id="welcome-error" class="field-message" role="alert">{welcome_error}</p>
            <button type="submit" class="button-primary" disabled=move || save.pending().get()>"Save branding"</button>
        </ActionForm>
    }
}
