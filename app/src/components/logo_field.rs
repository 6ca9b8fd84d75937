//! The logo part of the Branding page: the current logo, a file field that stores a new one
//! at once, and a button that removes it.

use leptos::prelude::*;

use super::upload_request::{chosen_file, encode_query, post_file, Upload, UploadEnd};
use crate::api::branding::RemoveLogo;
use crate::domain::byte_size::ByteSize;
use crate::domain::upload::{ACCEPTED_IMAGE_TYPES, MAX_LOGO_BYTES};
use crate::error::AppError;

const INPUT_ID: &str = "logo_file";

#[component]
pub fn LogoField(
    /// The address of the current logo, or `None` for none.
    initial: Option<String>,
) -> impl IntoView {
    let logo_url = RwSignal::new(initial);
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let in_flight = StoredValue::new_local(None::<Upload>);
    let remove = ServerAction::<RemoveLogo>::new();

    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => {
            logo_url.set(None);
            error.set(None);
            status.set(Some("Logo removed. Portals show none from now on.".into()));
            crate::pages::portal_editor::focus_soon(INPUT_ID.into());
        }
        Some(Err(failure)) => error.set(Some(failure.to_string())),
        None => {}
    });

    let on_change = move |event: leptos::ev::Event| {
        let Some((input, file)) = chosen_file(&event) else {
            return;
        };
        // Focus stays on the field, so it is not disabled while a file is on its way.
        if sending.get_untracked() {
            return;
        }
        error.set(None);
        status.set(None);

        let size = file.size() as u64;
        if size > MAX_LOGO_BYTES {
            error.set(Some(format!(
                "This image is {}; a logo may be at most {}.",
                ByteSize(size),
                ByteSize(MAX_LOGO_BYTES)
            )));
            input.set_value("");
            return;
        }

        sending.set(true);
        status.set(Some(format!("Uploading {}…", file.name())));
        let url = format!("/media/branding/logo?name={}", encode_query(&file.name()));
        let on_end = move |end: UploadEnd| {
            sending.set(false);
            match end {
                UploadEnd::Answered { status: 201, body } => {
                    let url = serde_json::from_str::<serde_json::Value>(&body)
                        .ok()
                        .and_then(|value| value["logo_url"].as_str().map(str::to_owned));
                    logo_url.set(url);
                    status.set(Some(
                        "Logo saved. Candidates see it the next time they open their portal."
                            .into(),
                    ));
                }
                UploadEnd::Answered { status: code, body } => {
                    status.set(None);
                    error.set(Some(match serde_json::from_str::<AppError>(&body) {
                        Ok(failure) => failure.to_string(),
                        Err(_) => format!("The upload failed (HTTP {code}). Please try again."),
                    }));
                }
                UploadEnd::Failed => {
                    status.set(None);
                    error.set(Some(
                        "The connection broke before the upload finished. Choose the file again."
                            .into(),
                    ));
                }
                UploadEnd::Cancelled => status.set(None),
            }
        };

        match post_file(&url, &file, |_, _| {}, on_end) {
            Ok(upload) => in_flight.set_value(Some(upload)),
            Err(_) => {
                sending.set(false);
                error.set(Some("This browser could not start the upload.".into()));
            }
        }
        input.set_value("");
    };

    view! {
        <section class="logo-field" aria-labelledby="logo-heading">
            <h2 id="logo-heading">"Logo"</h2>
            {move || match logo_url.get() {
                Some(src) => view! {
                    <img class="logo-preview" src=src alt="Your organization's current logo"/>
                    <button type="button" class="button-quiet" disabled=move || remove.pending().get()
                        on:click=move |_| { remove.dispatch(RemoveLogo {}); }>"Remove logo"</button>
                }.into_any(),
                None => view! { <p class="muted">"No logo yet. Portals show your organization's name."</p> }.into_any(),
            }}
            <label for=INPUT_ID>{format!(
                "Upload a logo (PNG, JPEG, GIF or WebP, up to {}); it replaces the current one at once",
                ByteSize(MAX_LOGO_BYTES)
            )}</label>
            <input id=INPUT_ID type="file" accept=ACCEPTED_IMAGE_TYPES on:change=on_change
                aria-describedby="logo_file-message logo-status"/>
            <p id="logo_file-message" class="field-message" role="alert">{move || error.get()}</p>
            <p id="logo-status" class="muted" role="status">{move || status.get()}</p>
        </section>
    }
}
