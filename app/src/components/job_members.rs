//! A job's owners and reviewers on its settings page, with the controls to add and remove
//! them for Admins, and the reason everyone else cannot.

use leptos::prelude::*;

use crate::api::job_settings::SetJobMember;
use crate::components::ErrorNotice;
use crate::domain::job_settings::{JobMember, JobSettings};
use crate::domain::staff::{JobMembership, StaffRole};

#[component]
pub fn JobMembers(settings: JobSettings, action: ServerAction<SetJobMember>) -> impl IntoView {
    let can_manage = settings.members_refusal.is_none();
    let role_id = StoredValue::new(settings.role_id.clone());
    // A Limited Team Member can only review, so choosing one rules out "Owner" before the click.
    let limited_ids: Vec<String> = settings
        .staff
        .iter()
        .filter(|person| person.role == StaffRole::LimitedTeamMember)
        .map(|person| person.staff_user_id.clone())
        .collect();
    let first_is_limited = settings
        .staff
        .first()
        .is_some_and(|person| person.role == StaffRole::LimitedTeamMember);
    let chose_limited = RwSignal::new(first_is_limited);
    let error = move || action.value().get().and_then(Result::err);

    let rows = settings
        .members
        .into_iter()
        .map(|member| view! { <MemberRow member role_id=role_id.get_value() action can_manage/> })
        .collect_view();

    view! {
        <section class="job-members" aria-labelledby="members-heading">
            <h2 id="members-heading">"Owners and reviewers"</h2>
            <p class="muted">"Owners edit this job and decide on its candidates. Reviewers see its candidates and their results."</p>
            {settings.members_refusal.clone().map(|reason| view! { <p class="notice" role="note">{reason}</p> })}
            <ul class="member-list">{rows}</ul>
            {can_manage.then(|| view! {
                <ActionForm action attr:class="member-form">
                    <input type="hidden" name="role_id" value=role_id.get_value()/>
                    <label for="member-staff">"Person"</label>
                    <select id="member-staff" name="staff_user_id" required
                        on:change=move |event| chose_limited.set(limited_ids.contains(&event_target_value(&event)))>
                        {settings.staff.into_iter().map(|person| view! {
                            <option value=person.staff_user_id>{format!("{} ({})", person.name, person.role.label())}</option>
                        }).collect_view()}
                    </select>
                    <label for="member-membership">"As"</label>
                    <select id="member-membership" name="membership" aria-describedby="member-owner-note">
                        <option value="owner" disabled=chose_limited selected=move || !chose_limited.get()>"Owner"</option>
                        <option value="reviewer" selected=chose_limited>"Reviewer"</option>
                    </select>
                    <p class="muted" id="member-owner-note" hidden=move || !chose_limited.get()>
                        "A Limited Team Member can review a job but not own it."
                    </p>
                    {move || error().map(|error| view! { <ErrorNotice error/> })}
                    <button type="submit" class="button-secondary">"Add to this job"</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn MemberRow(
    member: JobMember,
    role_id: String,
    action: ServerAction<SetJobMember>,
    can_manage: bool,
) -> impl IntoView {
    let membership = match member.membership {
        JobMembership::Owner => "Owner",
        JobMembership::Reviewer => "Reviewer",
    };

    view! {
        <li>
            {format!("{} · {} · {}", member.name, member.role.label(), membership)}
            {can_manage.then(|| view! {
                <ActionForm action attr:class="inline-form">
                    <input type="hidden" name="role_id" value=role_id/>
                    <input type="hidden" name="staff_user_id" value=member.staff_user_id.clone()/>
                    <button type="submit" class="button-quiet" aria-label=format!("Remove {} from this job", member.name)>"Remove"</button>
                </ActionForm>
            })}
        </li>
    }
}
