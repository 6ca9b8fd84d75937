//! `/staff`: the organization's colleagues. Admins invite people, change roles, and
//! deactivate or reactivate accounts; a control the viewer cannot use is replaced by the
//! reason. Other roles get the server's refusal in place of the page.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::staff::{
    list_staff, ChangeStaffRole, DeactivateStaff, InviteStaff, ReactivateStaff,
    ResendStaffInvitation,
};
use crate::components::outcome::{note_success, SuccessNotice};
use crate::components::staff_card::{StaffActions, StaffCard};
use crate::components::staff_frame::StaffFrame;
use crate::components::{ErrorNotice, Loading};
use crate::domain::staff::StaffRole;
use crate::domain::staff_accounts::StaffDirectory;
use crate::error::AppError;

/// Resources and actions are created here, before `StaffFrame` suspends, as on the Jobs page.
#[component]
pub fn StaffPage() -> impl IntoView {
    let invite = ServerAction::<InviteStaff>::new();
    let actions = StaffActions {
        change_role: ServerAction::<ChangeStaffRole>::new(),
        deactivate: ServerAction::<DeactivateStaff>::new(),
        reactivate: ServerAction::<ReactivateStaff>::new(),
        resend: ServerAction::<ResendStaffInvitation>::new(),
        focus_after: RwSignal::new(None),
    };
    // The list reloads after a successful invitation only, so a rejected one keeps what was
    // typed in the form. The redrawn form then takes focus back (`refocus_invite`).
    let invited = RwSignal::new(0_usize);
    let refocus_invite = RwSignal::new(false);
    Effect::new(move |previous: Option<usize>| {
        let version = invite.version().get();
        if previous.is_some_and(|previous| previous != version)
            && matches!(invite.value().get_untracked(), Some(Ok(_)))
        {
            refocus_invite.set(true);
            invited.update(|count| *count += 1);
        }
        version
    });
    let changes = move || (invited.get(), actions.versions());
    let directory = Resource::new(changes, |_| list_staff());

    view! {
        <Title text="Staff"/>
        <StaffFrame>
            <h1>"Staff"</h1>
            <StaffContent directory invite actions refocus_invite/>
        </StaffFrame>
    }
}

#[component]
fn StaffContent(
    directory: Resource<Result<StaffDirectory, AppError>>,
    invite: ServerAction<InviteStaff>,
    actions: StaffActions,
    refocus_invite: RwSignal<bool>,
) -> impl IntoView {
    let notice = RwSignal::new(None);
    note_success(
        actions.change_role.version(),
        actions.change_role.value(),
        "Role saved. It applies from that person's next request.",
        notice,
    );
    note_success(
        actions.deactivate.version(),
        actions.deactivate.value(),
        "Account deactivated. Its sessions have ended.",
        notice,
    );
    note_success(
        actions.reactivate.version(),
        actions.reactivate.value(),
        "Account reactivated. They can sign in again.",
        notice,
    );
    note_success(actions.resend.version(), actions.resend.value(), "A new invitation is sent, and the earlier link no longer works. It is listed in the Mailbox too.", notice);

    view! {
        <SuccessNotice notice/>
        {move || actions.error().map(|error| view! { <ErrorNotice error/> })}
        // Transition keeps the list on screen while it reloads after an action.
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match directory.await {
                    Ok(directory) => view! {
                        <ul class="staff-list" aria-label="Colleagues">
                            {directory.members.clone().into_iter().map(|member| view! { <StaffCard member actions/> }).collect_view()}
                        </ul>
                        <InviteForm directory invite refocus=refocus_invite/>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Invites a colleague by email. The Super Admin option is offered only to Super Admins;
/// everyone else sees it disabled with the reason.
#[component]
fn InviteForm(
    directory: StaffDirectory,
    invite: ServerAction<InviteStaff>,
    refocus: RwSignal<bool>,
) -> impl IntoView {
    let outcome = move || invite.value().get();
    let email_input = NodeRef::<leptos::html::Input>::new();
    let name_input = NodeRef::<leptos::html::Input>::new();
    let outcome_region = NodeRef::<leptos::html::Div>::new();
    // The list reloads after an invitation and this form is drawn anew, so the new form puts
    // focus on the outcome instead of letting it fall to the top of the page.
    Effect::new(move || {
        if let Some(region) = outcome_region.get() {
            if refocus.get_untracked() {
                refocus.set(false);
                let _ = region.focus();
            }
        }
    });
    // A sent invitation empties the form, so a second click cannot send it again. Only an
    // invitation sent while this form is shown counts, so a redrawn form keeps what is typed.
    Effect::new(move |previous: Option<usize>| {
        let version = invite.version().get();
        if previous.is_some_and(|previous| previous != version)
            && matches!(invite.value().get_untracked(), Some(Ok(_)))
        {
            for input in [email_input.get_untracked(), name_input.get_untracked()]
                .into_iter()
                .flatten()
            {
                input.set_value("");
            }
        }
        version
    });
    let super_admin_refusal = directory.super_admin_refusal.clone();
    let options = directory
        .invitable_roles
        .iter()
        .map(|role| view! { <option value=role.as_str() selected={*role == StaffRole::TeamMember}>{role.label()}</option> })
        .collect_view();

    view! {
        <section class="invite" aria-labelledby="invite-heading">
            <h2 id="invite-heading">"Invite a colleague"</h2>
            <p class="muted">"They get an email with a link, valid for 7 days, to choose a password."</p>
            <ActionForm action=invite attr:class="invite-form">
                <label for="invite-email">"Email"</label>
                <input id="invite-email" type="email" name="email" autocomplete="off" required node_ref=email_input/>
                <label for="invite-name">"Name"</label>
                <input id="invite-name" type="text" name="name" autocomplete="off" required node_ref=name_input/>
                <label for="invite-role">"Role"</label>
                <select id="invite-role" name="role" aria-describedby="invite-role-note">
                    {options}
                    {super_admin_refusal.is_some().then(|| view! { <option value="super_admin" disabled=true>"Super Admin"</option> })}
                </select>
                <p id="invite-role-note" class="muted">{super_admin_refusal.clone()}</p>
                <div id="invite-outcome" class="outcome" tabindex="-1" node_ref=outcome_region>
                    {move || outcome().map(|result| match result {
                        Ok(_) => view! { <p class="notice notice-ok" role="status">"Invitation sent. It is listed in the Mailbox too."</p> }.into_any(),
                        Err(error) => view! { <p class="notice notice-error" role="alert">{error.to_string()}</p> }.into_any(),
                    })}
                </div>
                <button type="submit" class="button-primary" disabled=move || invite.pending().get()>"Send invitation"</button>
            </ActionForm>
        </section>
    }
}
