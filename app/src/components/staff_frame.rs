//! The frame of every staff page: the organization, the signed-in person, links to the
//! staff pages their role may open, sign-out, and the banner shown while Lever is
//! disconnected. It sends anyone without a session to the sign-in page.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use super::disconnect_lever::LeverDisconnectAction;
use super::lever_banner::DisconnectedBanner;
use super::{ErrorNotice, Loading};
use crate::api::auth::{current_staff, SignOut};
use crate::api::integration::load_lever_banner;
use crate::domain::staff::StaffMe;

/// Renders `children` with the signed-in staff member in context.
#[component]
pub fn StaffFrame(children: ChildrenFn) -> impl IntoView {
    let staff = Resource::new(|| (), |_| current_staff());
    // A page that can disconnect Lever shares its action, so the banner reloads after it.
    let disconnects = use_context::<LeverDisconnectAction>().map(|action| action.0.version());
    let banner = Resource::new(
        move || disconnects.map(|version| version.get()),
        |_| load_lever_banner(),
    );
    let sign_out = ServerAction::<SignOut>::new();
    let children = StoredValue::new(children);

    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match staff.await {
                    Ok(Some(me)) => {
                        provide_context::<StaffMe>(me.clone());
                        view! {
                            <header class="staff-header">
                                <a class="brand" href="/jobs">"Tryout"</a>
                                <span class="org">{me.organization_name.clone()}</span>
                                <nav class="staff-nav" aria-label="Staff pages">
                                    <NavLink href="/jobs" label="Jobs"/>
                                    {me.can_manage_integration.then(|| view! { <NavLink href="/integration" label="Integration"/> })}
                                    {me.can_open_mailbox.then(|| view! { <NavLink href="/mailbox" label="Mailbox"/> })}
                                    {me.can_manage_staff.then(|| view! { <NavLink href="/staff" label="Staff"/> })}
                                    {me.can_view_audit_log.then(|| view! { <NavLink href="/audit" label="Audit log"/> })}
                                    {me.can_manage_branding.then(|| view! { <NavLink href="/branding" label="Branding"/> })}
                                </nav>
                                <a class="me" href="/account" aria-label=format!("Your account: {}, {}", me.name, me.role.label())>
                                    {format!("{} · {}", me.name, me.role.label())}
                                </a>
                                <ActionForm action=sign_out attr:class="sign-out">
                                    <button type="submit" class="button-quiet">"Sign out"</button>
                                </ActionForm>
                            </header>
                            <main class="staff-main">
                                <Suspense fallback=|| ()>
                                    {move || Suspend::new(async move {
                                        // The banner is extra: if it cannot load, the page still shows.
                                        banner.await.ok().map(|banner| view! { <DisconnectedBanner banner/> })
                                    })}
                                </Suspense>
                                {children.with_value(|children| children())}
                            </main>
                        }
                            .into_any()
                    }
                    Ok(None) => view! { <Redirect path="/sign-in"/> }.into_any(),
                    Err(error) => view! { <main class="staff-main"><ErrorNotice error/></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Renders a header link, marked as the current page while the path is `href` or below it.
#[component]
fn NavLink(href: &'static str, label: &'static str) -> impl IntoView {
    let location = use_location();
    let current = move || {
        let path = location.pathname.get();
        (path == href || path.starts_with(&format!("{href}/"))).then_some("page")
    };

    view! { <a class="nav-link" href=href aria-current=current>{label}</a> }
}
