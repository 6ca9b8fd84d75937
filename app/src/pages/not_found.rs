//! The page for unknown addresses, served with status 404.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }

    view! {
        <Title text="Page not found"/>
        <main class="narrow">
            <h1>"Page not found"</h1>
            <p>"Nothing lives at this address. If you followed a link from an email, open it again and check that the whole link was copied."</p>
        </main>
    }
}
