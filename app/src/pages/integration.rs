//! `/integration`: the Lever connection, and every write of the organization to Lever,
//! newest first, filterable by status and a page at a time. Admins retry or discard a
//! failed write here, and a Super Admin can disconnect Lever.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::integration::{
    list_lever_writes, load_integration, DiscardLeverWrite, DisconnectLever, RetryLeverWrite,
};
use crate::components::disconnect_lever::{provide_disconnect_action, DisconnectLeverButton};
use crate::components::outcome::{note_success, Outcome, SuccessNotice};
use crate::components::staff_frame::StaffFrame;
use crate::components::write_card::WriteCard;
use crate::components::{ErrorNotice, Loading};
use crate::domain::integration::{IntegrationOverview, WriteCounts, WriteFilter, WritePage};
use crate::domain::staff::ConnectionStatus;
use crate::error::AppError;

/// Resources and actions are created here, before `StaffFrame` suspends, as on the Jobs page.
#[component]
pub fn IntegrationPage() -> impl IntoView {
    let query = use_query_map();
    let filter =
        Memo::new(move |_| WriteFilter::parse(&query.read().get("status").unwrap_or_default()));
    let before = Memo::new(move |_| {
        query
            .read()
            .get("before")
            .filter(|cursor| !cursor.is_empty())
    });
    let retry = ServerAction::<RetryLeverWrite>::new();
    let discard = ServerAction::<DiscardLeverWrite>::new();
    let disconnect = provide_disconnect_action();

    let changes = move || {
        (
            retry.version().get(),
            discard.version().get(),
            disconnect.version().get(),
        )
    };
    let overview = Resource::new(changes, |_| load_integration());
    let writes = Resource::new(
        move || (filter.get(), before.get(), changes()),
        |(filter, before, _)| list_lever_writes(Some(filter), before),
    );

    view! {
        <Title text="Integration"/>
        <StaffFrame>
            <h1>"Integration"</h1>
            <IntegrationContent overview writes filter before retry discard disconnect/>
        </StaffFrame>
    }
}

#[component]
fn IntegrationContent(
    overview: Resource<Result<IntegrationOverview, AppError>>,
    writes: Resource<Result<WritePage, AppError>>,
    filter: Memo<WriteFilter>,
    before: Memo<Option<String>>,
    retry: ServerAction<RetryLeverWrite>,
    discard: ServerAction<DiscardLeverWrite>,
    disconnect: ServerAction<DisconnectLever>,
) -> impl IntoView {
    let action_error = move || {
        discard
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| retry.value().get().and_then(Result::err))
    };
    // The list is rebuilt after each action, so focus moves to the outcome instead of
    // falling to the top of the page.
    let notice = RwSignal::new(None);
    note_success(
        retry.version(),
        retry.value(),
        "The write is queued and Tryout sends it to Lever again now. Its card shows the result.",
        notice,
    );
    note_success(
        discard.version(),
        discard.value(),
        "The write is discarded and will not be sent to Lever.",
        notice,
    );
    note_success(
        disconnect.version(),
        disconnect.value(),
        "Lever is disconnected. Writes wait here until a Super Admin connects it again.",
        notice,
    );
    let finished = Signal::derive(move || {
        retry.version().get() + discard.version().get() + disconnect.version().get()
    });

    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! {
                        <ConnectionPanel overview=overview.clone() disconnect/>
                        <h2 id="writes-heading">"Writes to Lever"</h2>
                        <FilterNav counts=overview.counts filter/>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
        <Outcome finished>
            <SuccessNotice notice/>
            {move || action_error().map(|error| view! { <ErrorNotice error/> })}
        </Outcome>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match writes.await {
                    Ok(page) => view! { <WriteList page filter before retry discard/> }.into_any(),
                    // The connection panel above already shows a refusal, so it is not repeated.
                    Err(AppError::Forbidden(_) | AppError::Unauthenticated) => ().into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ConnectionPanel(
    overview: IntegrationOverview,
    disconnect: ServerAction<DisconnectLever>,
) -> impl IntoView {
    let who_can_reconnect = if overview.super_admins.is_empty() {
        "a Super Admin".to_string()
    } else {
        format!("a Super Admin ({})", overview.super_admins.join(", "))
    };

    let body = match overview.status {
        ConnectionStatus::Live => {
            let by = overview.connected_by.clone().map(|name| format!(" by {name}")).unwrap_or_default();
            let when = overview.connected_text.clone().map(|when| format!(" on {when}")).unwrap_or_default();
            view! {
                <p class="notice notice-ok">
                    <strong>"Lever is connected"</strong>{format!("{by}{when}.")}
                </p>
                {overview.last_error.clone().map(|error| view! { <p><strong>"Last problem: "</strong>{error}</p> })}
                {overview.can_manage_connection.then(|| view! { <DisconnectLeverButton action=disconnect/> })}
            }
            .into_any()
        }
        ConnectionStatus::Revoked => {
            let when = overview.revoked_text.clone().map(|when| format!(" since {when}")).unwrap_or_default();
            view! {
                <p class="notice notice-warn">
                    <strong>"Lever is disconnected"</strong>{format!("{when}.")}
                    {overview.last_error.clone().map(|reason| format!(" {reason}."))}
                    {format!(" Writes wait here until {who_can_reconnect} reconnects it.")}
                </p>
                {overview.can_manage_connection.then(|| view! {
                    <p><a href="/jobs#lever-connection">"Reconnect Lever on the Jobs page"</a></p>
                })}
            }
            .into_any()
        }
        ConnectionStatus::NotConnected => view! {
            <p class="notice">
                {format!("Lever is not connected yet. Writes wait here until {who_can_reconnect} connects it on the Jobs page.")}
            </p>
        }
        .into_any(),
    };

    view! { <section class="lever-status" aria-label="Lever connection">{body}</section> }
}

/// Links that filter the list by status. They work without JavaScript.
#[component]
fn FilterNav(counts: WriteCounts, filter: Memo<WriteFilter>) -> impl IntoView {
    let links = WriteFilter::EVERY
        .into_iter()
        .map(|option| {
            let href = format!("/integration?status={}", option.as_str());
            view! {
                <li>
                    <a
                        href=href
                        aria-current=move || (filter.get() == option).then_some("page")
                    >
                        {format!("{} ({})", option.label(), counts.of(option))}
                    </a>
                </li>
            }
        })
        .collect_view();

    view! { <nav aria-label="Filter writes by status"><ul class="filter-nav">{links}</ul></nav> }
}

#[component]
fn WriteList(
    page: WritePage,
    filter: Memo<WriteFilter>,
    before: Memo<Option<String>>,
    retry: ServerAction<RetryLeverWrite>,
    discard: ServerAction<DiscardLeverWrite>,
) -> impl IntoView {
    let status = filter.get_untracked().as_str();
    let newest = before
        .get_untracked()
        .is_some()
        .then(|| format!("/integration?status={status}"));
    let older = page
        .next_before
        .clone()
        .map(|cursor| format!("/integration?status={status}&before={cursor}"));

    if page.rows.is_empty() {
        return view! {
            <p>"No writes to Lever here."</p>
            {newest.map(|href| view! { <p><a href=href>"Back to the newest writes"</a></p> })}
        }
        .into_any();
    }

    view! {
        <ol class="write-list" aria-labelledby="writes-heading">
            {page.rows.into_iter().map(|write| view! { <WriteCard write retry discard/> }).collect_view()}
        </ol>
        <nav class="pager" aria-label="Pages of writes">
            {newest.map(|href| view! { <a href=href>"← Newest writes"</a> })}
            {older.map(|href| view! { <a href=href>"Older writes →"</a> })}
        </nav>
    }
    .into_any()
}
