//! One role on the Jobs page, with its Lever mapping and its settings menu.

use leptos::prelude::*;

use crate::domain::staff::{JobRow, StaffMe, StaffRole};

#[component]
pub fn JobCard(job: JobRow) -> impl IntoView {
    let menu_open = RwSignal::new(false);
    let menu_button = NodeRef::<leptos::html::Button>::new();
    let menu_id = format!("menu-{}", job.id);
    let candidates_href = format!("/jobs/{}/candidates", job.id);
    let settings_href = format!("/jobs/{}/settings", job.id);
    let settings_link = settings_href.clone();
    let portal_href = format!("/jobs/{}/portal", job.id);
    let portal_link = portal_href.clone();
    let portal_label = if job.can_edit {
        "Edit portal"
    } else {
        "View portal"
    };
    // Everyone who can view the job may open its settings. Those who cannot edit read them.
    let settings_label = if job.can_edit {
        "Edit settings"
    } else {
        "View settings"
    };
    let limited =
        use_context::<StaffMe>().is_some_and(|me| me.role == StaffRole::LimitedTeamMember);
    let read_only_reason = if limited {
        " (read-only: Limited Team Members review candidates and change nothing else)"
    } else {
        " (read-only: only this job's owners and Admins can edit it)"
    };
    let mapping_id = format!("lever-mapping-{}", job.id);
    let mapping_href = format!("#{mapping_id}");
    let mapping =
        |value: &Option<String>| value.clone().unwrap_or_else(|| "Not mapped".to_string());

    view! {
        <li class="job-card">
            <div class="job-head">
                <h2><a href=candidates_href.clone()>{job.title.clone()}</a></h2>
                // A disclosure of plain links rather than an ARIA menu: Tab moves through
                // the links, and Escape closes the list and puts focus back on its button.
                <div class="menu" on:keydown=move |event| {
                    if event.key() == "Escape" && menu_open.get_untracked() {
                        menu_open.set(false);
                        if let Some(button) = menu_button.get_untracked() {
                            let _ = button.focus();
                        }
                    }
                }>
                    <button
                        type="button"
                        class="button-quiet menu-button"
                        node_ref=menu_button
                        aria-controls=menu_id.clone()
                        aria-expanded=move || menu_open.get().to_string()
                        aria-label=format!("Settings for {}", job.title)
                        on:click=move |_| menu_open.update(|open| *open = !*open)
                    >
                        "⋯"
                    </button>
                    <Show when=move || menu_open.get()>
                        <ul class="menu-list" id=menu_id.clone() on:click=move |_| menu_open.set(false)>
                            <li><a href=candidates_href.clone()>"Candidates and results"</a></li>
                            <li><a href=portal_href.clone()>{portal_label}</a></li>
                            <li><a href=settings_href.clone()>{settings_label}</a></li>
                            <li><a href=mapping_href.clone()>"Lever mapping"</a></li>
                        </ul>
                    </Show>
                </div>
            </div>
            <p class="job-meta">
                {[job.team.clone(), job.location.clone(), Some(capitalize(&job.status))]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · ")}
            </p>
            <p class="job-counts">
                {format!(
                    "{} · {} · {} finished",
                    counted(job.step_count, "step"),
                    counted(job.candidate_count, "candidate"),
                    job.completed_count
                )}
            </p>
            <p class="job-links">
                <a href=portal_link aria-label=format!("{portal_label} of {}", job.title)>{portal_label}</a>
                " · "
                <a href=settings_link aria-label=format!("{settings_label} of {}", job.title)>{settings_label}</a>
                {(!job.can_edit).then_some(read_only_reason)}
            </p>
            <dl class="mapping" id=mapping_id>
                <dt>"Invite stage"</dt><dd>{mapping(&job.invite_stage)}</dd>
                <dt>"Passing candidates move to"</dt><dd>{mapping(&job.pass_stage)}</dd>
                <dt>"Failing candidates archived as"</dt><dd>{mapping(&job.fail_archive_reason)}</dd>
                <dt>"Decisions"</dt><dd>{if job.auto_decide { "Automatic" } else { "Wait for a reviewer" }}</dd>
            </dl>
        </li>
    }
}

/// "1 step", "2 steps": a count with its noun in the right number.
pub fn counted(count: i64, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn capitalize(value: &str) -> String {
    let mut characters = value.chars();
    characters
        .next()
        .map(|first| first.to_uppercase().chain(characters).collect())
        .unwrap_or_default()
}
