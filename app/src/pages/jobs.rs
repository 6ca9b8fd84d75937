//! `/jobs`: the roles of the organization, each with its settings menu, and the Lever
//! connection with "Connect your ATS" and, for a Super Admin, "Disconnect Lever".

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::integration::DisconnectLever;
use crate::api::jobs::{list_jobs, load_lever_status, CreateJob};
use crate::api::postings::{list_importable_postings, ImportLeverPosting};
use crate::components::confirm_step::close_details_on_escape;
use crate::components::connect_dialog::ConnectDialog;
use crate::components::disconnect_lever::{provide_disconnect_action, DisconnectLeverButton};
use crate::components::job_card::JobCard;
use crate::components::outcome::Outcome;
use crate::components::staff_frame::StaffFrame;
use crate::components::{ErrorNotice, Loading};
use crate::domain::postings::ImportablePosting;
use crate::domain::staff::{ConnectionStatus, JobRow, LeverStatus, StaffMe, StaffRole};
use crate::error::AppError;

/// Resources are created here, before `StaffFrame` suspends, so the server and the browser
/// create them in the same order and hydration finds the data it expects.
#[component]
pub fn JobsPage() -> impl IntoView {
    let jobs = Resource::new(|| (), |_| list_jobs());
    let disconnect = provide_disconnect_action();
    let status = Resource::new(move || disconnect.version().get(), |_| load_lever_status());

    view! {
        <Title text="Jobs"/>
        <StaffFrame>
            <JobsContent jobs status disconnect/>
        </StaffFrame>
    }
}

#[component]
fn JobsContent(
    jobs: Resource<Result<Vec<JobRow>, AppError>>,
    status: Resource<Result<LeverStatus, AppError>>,
    disconnect: ServerAction<DisconnectLever>,
) -> impl IntoView {
    let dialog_open = RwSignal::new(false);
    let connect_button = NodeRef::<leptos::html::Button>::new();
    let can_connect = use_context::<StaffMe>().is_some_and(|me| me.can_manage_lever_connection);
    // Closing the dialog returns focus to the button that opened it.
    let close_dialog = Callback::new(move |_: ()| {
        dialog_open.set(false);
        if let Some(button) = connect_button.get_untracked() {
            let _ = button.focus();
        }
    });

    view! {
        <div class="page-head">
            <h1>"Jobs"</h1>
            // Only a Super Admin can finish connecting. For everyone else the dialog only shows
            // what Tryout would request, so it is not the page's main action.
            <button type="button" class=if can_connect { "button-primary" } else { "button-secondary" }
                aria-haspopup="dialog" node_ref=connect_button
                aria-describedby=(!can_connect).then_some("connect-note") on:click=move |_| dialog_open.set(true)>
                "Connect your ATS"
            </button>
        </div>
        {(!can_connect).then(|| view! {
            <p class="muted" id="connect-note">"Only a Super Admin can connect an ATS. You can open this to see what Tryout would ask Lever for."</p>
        })}
        <CallbackNotice/>
        // The Lever status below is redrawn after a disconnect, so focus moves to its outcome.
        <Outcome finished=Signal::derive(move || disconnect.version().get())>
            {move || matches!(disconnect.value().get(), Some(Ok(()))).then(|| view! {
                <p class="notice notice-ok" role="status">"Lever is disconnected. Results wait in Tryout until a Super Admin connects it again."</p>
            })}
        </Outcome>
        <NewJobForm/>
        <ImportPostings/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(status) => view! {
                        <LeverStatusPanel status=status.clone() disconnect/>
                        <Show when=move || dialog_open.get()>
                            <ConnectDialog status=status.clone() on_close=close_dialog/>
                        </Show>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match jobs.await {
                    Ok(rows) if rows.is_empty() => view! { <NoJobs/> }.into_any(),
                    Ok(rows) => view! {
                        <ul class="job-list" aria-label="Jobs">
                            {rows.into_iter().map(|job| view! { <JobCard job/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Says why the list is empty and what to do, which depends on the viewer's role.
#[component]
fn NoJobs() -> impl IntoView {
    let me = use_context::<StaffMe>();
    let message = if me
        .as_ref()
        .is_some_and(|me| me.role == StaffRole::LimitedTeamMember)
    {
        "You are not assigned to any job yet. An Admin can add you as a reviewer in the job's settings."
    } else if me.as_ref().is_some_and(|me| me.can_create_jobs) {
        "No jobs yet. Create one with New job, or import one of Lever's postings."
    } else {
        "No jobs yet. An Admin or a Team Member can create one."
    };

    view! { <p>{message}</p> }
}

/// Renders the form that creates a job by hand, for those whose role may; the new job opens in
/// the portal editor.
#[component]
fn NewJobForm() -> impl IntoView {
    let can_create = use_context::<StaffMe>().is_some_and(|me| me.can_create_jobs);
    let create = ServerAction::<CreateJob>::new();
    let error = move || create.value().get().and_then(Result::err);

    can_create.then(|| view! {
        <details class="new-job" on:keydown=close_details_on_escape>
            <summary>"New job"</summary>
            <ActionForm action=create attr:class="settings-form">
                {move || error().map(|error| view! { <ErrorNotice error/> })}
                <label for="new-job-title">"Title"</label>
                <input id="new-job-title" name="title" type="text" required maxlength="200"/>
                <label for="new-job-team">"Team (optional)"</label>
                <input id="new-job-team" name="team" type="text" maxlength="200"/>
                <label for="new-job-location">"Location (optional)"</label>
                <input id="new-job-location" name="location" type="text" maxlength="200"/>
                <button type="submit" class="button-primary" disabled=move || create.pending().get()>"Create job and build its portal"</button>
            </ActionForm>
        </details>
    })
}

/// Lists the Lever postings no job uses yet, each with an Import button, for those whose role
/// may create jobs. The imported job opens in the portal editor.
#[component]
fn ImportPostings() -> impl IntoView {
    let can_create = use_context::<StaffMe>().is_some_and(|me| me.can_create_jobs);

    can_create.then(|| {
        let postings = Resource::new(|| (), |_| list_importable_postings());
        let import = ServerAction::<ImportLeverPosting>::new();
        let error = move || import.value().get().and_then(Result::err);
        view! {
            <details class="new-job" on:keydown=close_details_on_escape>
                <summary>"Import from Lever"</summary>
                {move || error().map(|error| view! { <ErrorNotice error/> })}
                <Suspense fallback=|| view! { <Loading/> }>
                    {move || Suspend::new(async move {
                        match postings.await {
                            Ok(list) if !list.lists_loaded => view! {
                                <p class="muted">"Lever's postings appear here once a Super Admin connects Lever."</p>
                            }.into_any(),
                            Ok(list) if list.postings.is_empty() => view! {
                                <p class="muted">"Every Lever posting already has a job here."</p>
                            }.into_any(),
                            Ok(list) => view! {
                                <p class="muted">"An imported job keeps its posting's title, team and location in step with Lever, and starts with the posting's description as its introduction."</p>
                                <ul class="posting-list" aria-label="Lever postings without a job">
                                    {list.postings.into_iter().map(|posting| view! { <PostingRow posting import/> }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        }
                    })}
                </Suspense>
            </details>
        }
    })
}

#[component]
fn PostingRow(
    posting: ImportablePosting,
    import: ServerAction<ImportLeverPosting>,
) -> impl IntoView {
    let heading_id = format!("posting-{}", posting.id);
    let facts = [
        posting.team.clone(),
        posting.location.clone(),
        posting.state.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");

    view! {
        <li class="posting-row">
            <div>
                <strong id=heading_id.clone()>{posting.title.clone()}</strong>
                <p class="muted">{facts}</p>
            </div>
            <ActionForm action=import>
                <input type="hidden" name="posting_id" value=posting.id.clone()/>
                <button type="submit" class="button-secondary" aria-describedby=heading_id disabled=move || import.pending().get()>
                    "Import"
                </button>
            </ActionForm>
        </li>
    }
}

/// Shows the outcome of Lever's authorize page, read from the query string that the
/// OAuth callback redirects with.
#[component]
fn CallbackNotice() -> impl IntoView {
    let query = use_query_map();
    let message = move || {
        let query = query.read();
        match query.get("lever_error").as_deref() {
            Some("denied") => Some("Lever was not connected: access was denied on Lever's consent page. Nothing was changed."),
            Some("state") => Some("Lever was not connected: the sign-in attempt expired or did not start here. Click Connect your ATS and try again."),
            Some("exchange") => Some("Lever was not connected: Lever did not accept the authorization. Try again; if it keeps failing, check the Lever OAuth client settings."),
            Some("forbidden") => Some("Only a Super Admin can connect Lever."),
            Some("unconfigured") => Some("Lever OAuth is not configured on this server. Set LEVER_CLIENT_ID and LEVER_CLIENT_SECRET."),
            Some(_) => Some("Lever was not connected. Try again."),
            None => None,
        }
    };

    view! {
        <Show when=move || message().is_some()>
            <p class="notice notice-error" role="alert">{message}</p>
        </Show>
    }
}

#[component]
fn LeverStatusPanel(
    status: LeverStatus,
    disconnect: ServerAction<DisconnectLever>,
) -> impl IntoView {
    let me = use_context::<StaffMe>();
    let can_manage_integration = me.as_ref().is_some_and(|me| me.can_manage_integration);
    let can_disconnect = me.as_ref().is_some_and(|me| me.can_manage_lever_connection);

    let body = match status.status {
        ConnectionStatus::Live => {
            let by = status.connected_by.clone().map(|name| format!(" by {name}")).unwrap_or_default();
            view! {
                <p role="status" class="notice notice-ok">
                    <strong>"Lever is connected"</strong>
                    {format!(
                        "{by}. {} stages and {} archive reasons loaded. {} writes waiting to be sent.",
                        status.stage_count,
                        status.archive_reason_count,
                        status.pending_writes,
                    )}
                    <FailedWrites count=status.failed_writes linked=can_manage_integration/>
                </p>
                <WebhookChecklist registered=status.webhook_registered/>
                {can_disconnect.then(|| view! { <DisconnectLeverButton action=disconnect/> })}
            }
            .into_any()
        }
        ConnectionStatus::Revoked => view! {
            <p role="status" class="notice notice-warn">
                <strong>"Lever is disconnected."</strong>
                {format!(
                    " Tryout has no access to Lever: it was disconnected in Tryout or revoked in Lever{}. {} results are waiting and will be sent once {} reconnects.",
                    if can_manage_integration { " (the Integration page says which)" } else { "" },
                    status.pending_writes,
                    who_can_connect(&status),
                )}
                <FailedWrites count=status.failed_writes linked=can_manage_integration/>
            </p>
        }
        .into_any(),
        ConnectionStatus::NotConnected => view! {
            <p role="status" class="notice">
                {format!(
                    "Lever is not connected yet. Results are kept and {} waiting writes will be sent once {} connects it.",
                    status.pending_writes,
                    who_can_connect(&status),
                )}
                <FailedWrites count=status.failed_writes linked=can_manage_integration/>
            </p>
        }
        .into_any(),
    };
    view! { <section class="lever-status" id="lever-connection" aria-label="Lever connection">{body}</section> }
}

/// Renders " N writes failed." after the status. For roles that may open the Integration
/// page, the text links to its failed writes.
#[component]
fn FailedWrites(count: i64, linked: bool) -> impl IntoView {
    if count == 0 {
        return ().into_any();
    }
    let text = if count == 1 {
        "1 write failed".to_string()
    } else {
        format!("{count} writes failed")
    };
    if linked {
        view! { " " <a href="/integration?status=failed">{text}</a> "." }.into_any()
    } else {
        format!(" {text}.").into_any()
    }
}

/// "a Super Admin (Ada, Grace)" for messages.
pub fn who_can_connect(status: &LeverStatus) -> String {
    if status.super_admins.is_empty() {
        "a Super Admin".to_string()
    } else {
        format!("a Super Admin ({})", status.super_admins.join(", "))
    }
}

/// Shows the one step left in Lever after connecting. Lever delivers webhook events only after
/// a Super Admin switches the event group on, even for webhooks made through the API.
#[component]
fn WebhookChecklist(registered: bool) -> impl IntoView {
    if registered {
        view! {
            <div class="notice checklist">
                <p><strong>"One step left in Lever"</strong></p>
                <p>
                    "So candidates get their invitation the moment they enter a role's invite stage, a Lever \
                     Super Admin opens Settings › Integrations and API › Webhooks in Lever and switches on \
                     "<strong>"Candidate Stage Change"</strong>". Tryout has already registered its webhook \
                     there. Until then, Tryout finds new candidates by checking Lever on a schedule instead."
                </p>
            </div>
        }
        .into_any()
    } else {
        view! {
            <p class="notice">
                "Tryout could not register its webhook in Lever, so it finds new candidates by \
                 checking Lever on a schedule. Reconnecting Lever tries again."
            </p>
        }
        .into_any()
    }
}
