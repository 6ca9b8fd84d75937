//! One colleague on the Staff page: who they are, their role and status, and the changes the
//! viewer may make, each replaced by the reason when the viewer may not.

use leptos::prelude::*;

use crate::api::staff::{ChangeStaffRole, DeactivateStaff, ReactivateStaff, ResendStaffInvitation};
use crate::components::confirm_step::{close_on_escape, confirm_focus};
use crate::domain::staff::StaffRole;
use crate::domain::staff_accounts::{StaffMember, StaffStatus};
use crate::error::AppError;

/// The row actions of the Staff page, shared by every card so the list reloads after any of them.
#[derive(Clone, Copy)]
pub struct StaffActions {
    pub change_role: ServerAction<ChangeStaffRole>,
    pub deactivate: ServerAction<DeactivateStaff>,
    pub reactivate: ServerAction<ReactivateStaff>,
    pub resend: ServerAction<ResendStaffInvitation>,
    /// The control to focus once the list is rebuilt after an action, so a keyboard user
    /// stays where they were instead of at the top of the page.
    pub focus_after: RwSignal<Option<FocusTarget>>,
}

/// A control on one card that takes focus back after the list reloads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FocusTarget {
    SaveRole(String),
    Heading(String),
}

impl StaffActions {
    /// Returns a value that changes whenever one of the actions completes.
    pub fn versions(&self) -> (usize, usize, usize, usize) {
        (
            self.change_role.version().get(),
            self.deactivate.version().get(),
            self.reactivate.version().get(),
            self.resend.version().get(),
        )
    }

    /// Returns the error of the last failed action, if any.
    pub fn error(&self) -> Option<AppError> {
        let failed = |value: Option<Result<(), AppError>>| value.and_then(Result::err);
        failed(self.change_role.value().get())
            .or_else(|| failed(self.deactivate.value().get()))
            .or_else(|| failed(self.reactivate.value().get()))
            .or_else(|| failed(self.resend.value().get()))
    }

    fn busy(&self) -> bool {
        self.change_role.pending().get()
            || self.deactivate.pending().get()
            || self.reactivate.pending().get()
            || self.resend.pending().get()
    }
}

#[component]
pub fn StaffCard(member: StaffMember, actions: StaffActions) -> impl IntoView {
    let heading_id = format!("staff-{}", member.id);
    let you = if member.is_viewer { " (you)" } else { "" };
    let status_class = format!("badge badge-staff-{}", member.status.label().to_lowercase());
    let last_sign_in = member
        .last_sign_in_text
        .clone()
        .unwrap_or_else(|| "Never".to_owned());

    let heading = NodeRef::<leptos::html::H2>::new();
    take_focus(
        actions,
        FocusTarget::Heading(member.id.clone()),
        move || heading.get(),
    );

    view! {
        <li class="staff-card">
            <div class="write-head">
                <h2 id=heading_id.clone() class="staff-name" tabindex="-1" node_ref=heading>{format!("{}{you}", member.name)}</h2>
                <span class=status_class>{member.status.label()}</span>
            </div>
            <p class="staff-email">{member.email.clone()}</p>
            <dl class="write-facts">
                <dt>"Role"</dt>
                <dd>{member.role.label()}</dd>
                <dt>"Last sign-in"</dt>
                <dd>{last_sign_in}</dd>
            </dl>
            <RoleControl member=member.clone() heading_id=heading_id.clone() actions/>
            <AccountControl member heading_id actions/>
        </li>
    }
}

/// Focuses the element `element` returns once it is rendered, when `target` is the control
/// the last action asked to come back to. `element` reads a `NodeRef`, so this runs again
/// when the element mounts.
fn take_focus<T>(
    actions: StaffActions,
    target: FocusTarget,
    element: impl Fn() -> Option<T> + 'static,
) where
    T: AsRef<web_sys::HtmlElement>,
{
    Effect::new(move || {
        let Some(element) = element() else { return };
        if actions.focus_after.get_untracked().as_ref() == Some(&target) {
            actions.focus_after.set(None);
            let _ = element.as_ref().focus();
        }
    });
}

/// Renders the role select with its submit button, or the reason the role cannot be changed.
/// Lowering one's own role goes through a confirm step, because it can end access at once.
#[component]
fn RoleControl(member: StaffMember, heading_id: String, actions: StaffActions) -> impl IntoView {
    if let Some(reason) = member.actions.role_refusal.clone() {
        return view! { <p class="staff-reason muted">{reason}</p> }.into_any();
    }
    let select_id = format!("role-{}", member.id);
    let current = member.role;
    let chosen = RwSignal::new(current);
    let is_viewer = member.is_viewer;
    let lowers_own_role = move || is_viewer && chosen.get() < current;
    let confirming = RwSignal::new(false);
    let save_button = NodeRef::<leptos::html::Button>::new();
    let open_confirm_button = NodeRef::<leptos::html::Button>::new();
    let cancel_button = NodeRef::<leptos::html::Button>::new();
    take_focus(
        actions,
        FocusTarget::SaveRole(member.id.clone()),
        move || save_button.get(),
    );
    confirm_focus(confirming, open_confirm_button, cancel_button);
    // Once your own role is lower, this page and the header's links are out of date (the
    // Staff page may now refuse you), so the browser loads the Jobs page afresh.
    let lowered_own_role = RwSignal::new(false);
    Effect::new(move |previous: Option<usize>| {
        let version = actions.change_role.version().get();
        if previous.is_some_and(|previous| previous != version) && lowered_own_role.get_untracked()
        {
            if matches!(actions.change_role.value().get_untracked(), Some(Ok(()))) {
                let _ = window().location().assign("/jobs");
            } else {
                lowered_own_role.set(false);
            }
        }
        version
    });
    let remember_focus = {
        let id = member.id.clone();
        move |_| {
            actions
                .focus_after
                .set(Some(FocusTarget::SaveRole(id.clone())))
        }
    };
    let remember_heading = {
        let id = member.id.clone();
        move |_| {
            actions
                .focus_after
                .set(Some(FocusTarget::Heading(id.clone())))
        }
    };
    let options = member
        .actions
        .assignable_roles
        .iter()
        .map(|role| view! { <option value=role.as_str() selected={*role == current}>{role.label()}</option> })
        .collect_view();
    let warning = move || {
        let restorer = if current == StaffRole::SuperAdmin {
            "Super Admin"
        } else {
            "Admin"
        };
        // What the current role has that the chosen one lacks, as the header links show it.
        let lost = match (current, chosen.get()) {
            (StaffRole::SuperAdmin, StaffRole::Admin) => {
                "connecting Lever and managing Super Admins"
            }
            (StaffRole::SuperAdmin | StaffRole::Admin, StaffRole::TeamMember) => {
                "the Staff, Integration, Mailbox, Audit log and Branding pages, and editing jobs you do not own"
            }
            _ => "the Staff, Integration, Mailbox, Audit log and Branding pages, and every job you are not assigned to",
        };
        format!(
            "Lower your own role to {}? It takes effect at once: you lose {lost}. Only another \
             {restorer} can give the role back.",
            chosen.get().label(),
        )
    };

    view! {
        <ActionForm action=actions.change_role attr:class="staff-role-form">
            <input type="hidden" name="staff_user_id" value=member.id.clone()/>
            <label for=select_id.clone() class="staff-role-label">"Change role"</label>
            <div class="staff-role-row">
                <select id=select_id name="role" aria-describedby=heading_id
                    on:change=move |event| {
                        confirming.set(false);
                        if let Some(role) = StaffRole::parse(&event_target_value(&event)) {
                            chosen.set(role);
                        }
                    }>
                    {options}
                </select>
                <Show
                    when=move || lowers_own_role()
                    fallback=move || view! {
                        <button type="submit" class="button-secondary" node_ref=save_button
                            disabled=move || actions.busy() on:click=remember_focus.clone()>
                            "Save role"
                        </button>
                    }
                >
                    <button type="button" class="button-secondary" node_ref=open_confirm_button
                        on:click=move |_| confirming.set(true)>"Save role"</button>
                </Show>
            </div>
            <Show when=move || confirming.get() && lowers_own_role()>
                <div class="confirm" role="group" aria-label="Confirm lowering your own role"
                    on:keydown=close_on_escape(confirming)>
                    <p><strong>{warning}</strong></p>
                    <input type="hidden" name="confirm_own_demotion" value="yes"/>
                    <div class="confirm-actions">
                        <button type="submit" class="button-danger" disabled=move || actions.busy()
                            on:click={
                                let remember_heading = remember_heading.clone();
                                move |event| {
                                    lowered_own_role.set(true);
                                    remember_heading(event);
                                }
                            }>
                            "Lower my role"
                        </button>
                        <button type="button" class="button-secondary" node_ref=cancel_button
                            on:click=move |_| confirming.set(false)>"Cancel"</button>
                    </div>
                </div>
            </Show>
            {(!member.actions.assignable_roles.contains(&StaffRole::SuperAdmin)).then(|| view! {
                <p class="staff-reason muted">"Only a Super Admin can make someone a Super Admin."</p>
            })}
        </ActionForm>
    }
    .into_any()
}

/// Renders Deactivate (with a confirm step), Reactivate and Resend invitation, or the reason
/// a control is missing.
#[component]
fn AccountControl(member: StaffMember, heading_id: String, actions: StaffActions) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let cancel_button = NodeRef::<leptos::html::Button>::new();
    let deactivate_button = NodeRef::<leptos::html::Button>::new();
    confirm_focus(confirming, deactivate_button, cancel_button);
    let id = StoredValue::new(member.id.clone());
    let heading_id = StoredValue::new(heading_id);
    // The card is rebuilt after each of these actions; its heading takes focus back.
    let remember_heading = move |_| {
        actions
            .focus_after
            .set(Some(FocusTarget::Heading(id.get_value())))
    };
    let name = member.name.clone();
    let rules = member.actions.clone();
    let resend = (rules.can_resend_invitation && member.status == StaffStatus::Invited).then(|| view! {
        <ActionForm action=actions.resend>
            <input type="hidden" name="staff_user_id" value=id.get_value()/>
            <button type="submit" class="button-secondary" aria-describedby=heading_id.get_value() disabled=move || actions.busy() on:click=remember_heading>
                "Resend invitation"
            </button>
        </ActionForm>
    });

    let main = if rules.can_reactivate {
        view! {
            <ActionForm action=actions.reactivate>
                <input type="hidden" name="staff_user_id" value=id.get_value()/>
                <button type="submit" class="button-secondary" aria-describedby=heading_id.get_value() disabled=move || actions.busy() on:click=remember_heading>
                    "Reactivate"
                </button>
            </ActionForm>
        }
        .into_any()
    } else if rules.can_deactivate {
        view! {
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button type="button" class="button-secondary button-danger-outline" node_ref=deactivate_button aria-describedby=heading_id.get_value() on:click=move |_| confirming.set(true)>
                        "Deactivate"
                    </button>
                }
            >
                <div class="confirm" role="group" aria-label="Confirm deactivating this account"
                    on:keydown=close_on_escape(confirming)>
                    <p>
                        <strong>{format!("Deactivate {name}?")}</strong>
                        " They are signed out at once and cannot sign in until an Admin reactivates the account."
                    </p>
                    <ActionForm action=actions.deactivate attr:class="confirm-actions">
                        <input type="hidden" name="staff_user_id" value=id.get_value()/>
                        <button type="submit" class="button-danger" disabled=move || actions.busy() on:click=remember_heading>"Deactivate account"</button>
                        <button type="button" class="button-secondary" node_ref=cancel_button on:click=move |_| confirming.set(false)>
                            "Cancel"
                        </button>
                    </ActionForm>
                </div>
            </Show>
        }
        .into_any()
    } else {
        // The role control may already show the same reason; it is not repeated.
        let reason = rules
            .deactivate_refusal
            .clone()
            .or(rules.reactivate_refusal.clone())
            .filter(|reason| Some(reason) != rules.role_refusal.as_ref());
        view! { {reason.map(|reason| view! { <p class="staff-reason muted">{reason}</p> })} }
            .into_any()
    };

    view! { <div class="write-actions">{main}{resend}</div> }
}
