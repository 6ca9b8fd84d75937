//! One colleague on the Staff page: who they are, their role and status, and the changes the
//! viewer may make, each replaced by the reason when the viewer may not.

use leptos::prelude::*;

use crate::api::staff::{ChangeStaffRole, DeactivateStaff, ReactivateStaff, ResendStaffInvitation};
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

    view! {
        <li class="staff-card">
            <div class="write-head">
                <h2 id=heading_id.clone() class="staff-name">{format!("{}{you}", member.name)}</h2>
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

/// Renders the role select with its submit button, or the reason the role cannot be changed.
#[component]
fn RoleControl(member: StaffMember, heading_id: String, actions: StaffActions) -> impl IntoView {
    if let Some(reason) = member.actions.role_refusal.clone() {
        return view! { <p class="staff-reason muted">{reason}</p> }.into_any();
    }
    let select_id = format!("role-{}", member.id);
    let options = member
        .actions
        .assignable_roles
        .iter()
        .map(|role| view! { <option value=role.as_str() selected={*role == member.role}>{role.label()}</option> })
        .collect_view();

    view! {
        <ActionForm action=actions.change_role attr:class="staff-role-form">
            <input type="hidden" name="staff_user_id" value=member.id.clone()/>
            <label for=select_id.clone() class="staff-role-label">"Change role"</label>
            <div class="staff-role-row">
                <select id=select_id name="role" aria-describedby=heading_id>{options}</select>
                <button type="submit" class="button-secondary" disabled=move || actions.busy()>"Save role"</button>
            </div>
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
    // Leaving the confirm step puts focus back on Deactivate, not at the top of the page.
    Effect::new(move |was_confirming: Option<bool>| {
        let confirming_now = confirming.get();
        if was_confirming == Some(true) && !confirming_now {
            request_animation_frame(move || {
                if let Some(button) = deactivate_button.get_untracked() {
                    let _ = button.focus();
                }
            });
        }
        confirming_now
    });
    // Moves focus into the confirm step when it opens.
    Effect::new(move || {
        if let Some(button) = cancel_button.get() {
            let _ = button.focus();
        }
    });
    let id = StoredValue::new(member.id.clone());
    let heading_id = StoredValue::new(heading_id);
    let name = member.name.clone();
    let rules = member.actions.clone();
    let resend = (rules.can_resend_invitation && member.status == StaffStatus::Invited).then(|| view! {
        <ActionForm action=actions.resend>
            <input type="hidden" name="staff_user_id" value=id.get_value()/>
            <button type="submit" class="button-secondary" aria-describedby=heading_id.get_value() disabled=move || actions.busy()>
                "Resend invitation"
            </button>
        </ActionForm>
    });

    let main = if rules.can_reactivate {
        view! {
            <ActionForm action=actions.reactivate>
                <input type="hidden" name="staff_user_id" value=id.get_value()/>
                <button type="submit" class="button-secondary" aria-describedby=heading_id.get_value() disabled=move || actions.busy()>
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
                    on:keydown=move |event| if event.key() == "Escape" { confirming.set(false) }>
                    <p>
                        <strong>{format!("Deactivate {name}?")}</strong>
                        " They are signed out at once and cannot sign in until an Admin reactivates the account."
                    </p>
                    <ActionForm action=actions.deactivate attr:class="confirm-actions">
                        <input type="hidden" name="staff_user_id" value=id.get_value()/>
                        <button type="submit" class="button-danger" disabled=move || actions.busy()>"Deactivate account"</button>
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
