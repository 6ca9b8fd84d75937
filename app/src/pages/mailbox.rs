//! `/mailbox`: the organization's emails, newest first, with how each one went. Without
//! SMTP this is where every email Tryout writes ends up, so the demo shows the whole flow.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::mail::list_mailbox;
use crate::components::staff_frame::StaffFrame;
use crate::components::{ErrorNotice, Loading};
use crate::domain::mail::{Mailbox, MailboxEmail};
use crate::error::AppError;

/// Renders the mailbox. The resource is created before `StaffFrame` suspends, as on the Jobs page.
#[component]
pub fn MailboxPage() -> impl IntoView {
    let mailbox = Resource::new(|| (), |_| list_mailbox());

    view! {
        <Title text="Mailbox"/>
        <StaffFrame>
            <MailboxContent mailbox/>
        </StaffFrame>
    }
}

#[component]
fn MailboxContent(mailbox: Resource<Result<Mailbox, AppError>>) -> impl IntoView {
    view! {
        <h1>"Mailbox"</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match mailbox.await {
                    Ok(mailbox) => view! { <MailboxList mailbox/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MailboxList(mailbox: Mailbox) -> impl IntoView {
    let delivery_notice = if mailbox.smtp_configured {
        "Emails go out over SMTP. Each one Tryout sends is also listed here."
    } else {
        "No SMTP server is configured, so emails are not delivered: each one Tryout writes stays here. \
         Set TRYOUT_SMTP_URL and TRYOUT_MAIL_FROM to send them."
    };
    let empty = mailbox.emails.is_empty();

    view! {
        <p class="notice" role="status">{delivery_notice}</p>
        <Show when=move || empty>
            <p>"No emails yet. Invitations appear here when candidates are invited."</p>
        </Show>
        <ul class="mail-list" aria-label="Emails, newest first">
            {mailbox.emails.into_iter().map(|email| view! { <MailboxItem email/> }).collect_view()}
        </ul>
        <Show when=move || mailbox.truncated>
            <p class="muted">{format!("Showing the newest {} emails.", Mailbox::LIMIT)}</p>
        </Show>
    }
}

/// Renders one email as a card. The subject is the link, and CSS stretches it over the whole card, so a
/// tap anywhere opens the email while a screen reader hears only the subject as the link.
#[component]
fn MailboxItem(email: MailboxEmail) -> impl IntoView {
    view! {
        <li class="mail-item" data-state=email.delivery.css_state()>
            <a class="mail-subject" href=format!("/mailbox/{}", email.id)>{email.subject}</a>
            <span class="mail-to">{format!("To: {}", email.to_address)}</span>
            <span class="mail-meta">
                <span>{email.when_text}</span>
                <span class="mail-status">{email.delivery.label()}</span>
            </span>
        </li>
    }
}
