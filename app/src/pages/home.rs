//! `/`: staff land on the Jobs page, which sends anyone signed out to sign in.

use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn HomePage() -> impl IntoView {
    view! { <Redirect path="/jobs"/> }
}
