//! `/mailbox/:email_id`: one email of the mailbox. The text body is shown with its links
//! made clickable. The HTML body, when there is one, is shown in a sandboxed frame that
//! runs no scripts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::mail::read_email;
use crate::components::staff_frame::StaffFrame;
use crate::components::{ErrorNotice, Loading};
use crate::domain::mail::{link_segments, Delivery, EmailDetail, TextSegment};
use crate::domain::staff::StaffMe;

/// Renders one email. The resource is created before `StaffFrame` suspends, as on the Jobs page.
#[component]
pub fn MailboxEmailPage() -> impl IntoView {
    let params = use_params_map();
    let email = Resource::new(
        move || params.read().get("email_id").unwrap_or_default(),
        read_email,
    );

    view! {
        <Title text="Email"/>
        <StaffFrame>
            <MailboxBackLink/>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match email.await {
                        Ok(email) => view! { <EmailView email/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </StaffFrame>
    }
}

/// Links back to the mailbox for those who may open it; others would reach a refusal there.
#[component]
fn MailboxBackLink() -> impl IntoView {
    let can_open = use_context::<StaffMe>().is_some_and(|me| me.can_open_mailbox);
    can_open.then(|| view! { <p><a href="/mailbox">"← Mailbox"</a></p> })
}

#[component]
fn EmailView(email: EmailDetail) -> impl IntoView {
    let failed = matches!(email.delivery, Delivery::Failed { .. });
    // The mailbox takes every email on the first try, so the count is left out there.
    let tries = (email.delivery != Delivery::Mailbox).then_some(email.attempts);

    view! {
        <article class="email">
            <h1>{email.subject}</h1>
            <dl class="email-facts">
                <dt>"To"</dt>
                <dd>{email.to_address}</dd>
                <dt>"Status"</dt>
                <dd class:status-failed=failed>{email.delivery.label()}</dd>
                <dt>"Queued"</dt>
                <dd>{email.queued_text}</dd>
                <dt>"Delivered"</dt>
                <dd>{email.sent_text.unwrap_or_else(|| "Not yet".into())}</dd>
                {tries.map(|tries| view! {
                    <dt>"Tries"</dt>
                    <dd>{tries}</dd>
                })}
            </dl>
            <h2>"Text"</h2>
            <div class="email-text">
                {link_segments(&email.body_text).into_iter().map(segment_view).collect_view()}
            </div>
            {email.body_html.map(|html| view! {
                <details class="email-html">
                    <summary>"Show the HTML version"</summary>
                    // No allow-scripts and no allow-same-origin: the body runs nothing and
                    // reaches nothing of this page. Popups let its links open in a new tab.
                    <iframe
                        title="HTML version of the email"
                        sandbox="allow-popups allow-popups-to-escape-sandbox"
                        referrerpolicy="no-referrer"
                        srcdoc=html
                    ></iframe>
                </details>
            })}
        </article>
    }
}

fn segment_view(segment: TextSegment) -> AnyView {
    match segment {
        TextSegment::Text(text) => text.into_any(),
        TextSegment::Link(url) => {
            let href = url.clone();
            view! { <a href=href target="_blank" rel="noopener noreferrer">{url}</a> }.into_any()
        }
    }
}
