//! `/c/:token`: the candidate's portal: the role's intro, the steps and where they stand.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::portal::load_portal;
use crate::components::{ErrorNotice, Loading};
use crate::domain::branding::accent_style;
use crate::domain::portal::{PortalOverview, StepKind, StepState, StepSummary};

#[component]
pub fn PortalPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let overview = Resource::new(token, load_portal);

    view! {
        <main class="portal">
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => {
                            let token = token();
                            let step_href = Callback::new(move |step: StepSummary| candidate_step_href(&token, &step));
                            view! { <Overview overview step_href/> }.into_any()
                        }
                        Err(error) => view! { <Title text="Your application"/><ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// Returns the address of a step's page in the candidate's portal.
fn candidate_step_href(token: &str, step: &StepSummary) -> String {
    match step.kind {
        StepKind::Content | StepKind::Video => format!("/c/{token}/content/{}", step.id),
        StepKind::Quiz => format!("/c/{token}/quiz/{}", step.id),
    }
}

/// Renders the role, its introduction and the steps with their state. `step_href` gives each
/// step's "Open" link, so the staff preview can point them within its own page.
#[component]
pub fn Overview(
    overview: PortalOverview,
    step_href: Callback<StepSummary, String>,
) -> impl IntoView {
    let done = overview
        .steps
        .iter()
        .filter(|step| step.state == StepState::Done)
        .count();
    let total = overview.steps.len();
    let greeting = if overview.candidate_first_name.is_empty() {
        "Welcome".to_string()
    } else {
        format!("Welcome, {}", overview.candidate_first_name)
    };
    let meta = [overview.role_team.clone(), overview.role_location.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");

    let welcome_html = overview.branding.welcome_html.clone();

    // The accent colour is a CSS variable, so every button and link inside takes it.
    view! {
        <div class="portal-brand" style=accent_style(overview.branding.accent_color.as_deref())>
        <Title text=overview.role_title.clone()/>
        {overview.branding.logo_url.clone().map(|src| view! {
            <img class="portal-logo" src=src alt=format!("{} logo", overview.organization_name)/>
        })}
        <p class="org-name">{overview.organization_name.clone()}</p>
        <h1>{overview.role_title.clone()}</h1>
        <p class="muted">{meta}</p>
        <p class="greeting">{greeting}</p>
        {(!welcome_html.is_empty()).then(|| view! { <div class="prose welcome" inner_html=welcome_html></div> })}
        <div class="prose" inner_html=overview.intro_html.clone()></div>
        <section aria-labelledby="steps-title">
            <h2 id="steps-title">"Your steps"</h2>
            <p class="progress-text">{format!("{done} of {total} steps done")}</p>
            {overview.deadline_text.clone().filter(|_| !overview.completed).map(|deadline| view! {
                <p class="deadline">"Please finish by " <strong>{deadline}</strong>"."</p>
            })}
            <progress max=total.to_string() value=done.to_string() aria-label="Steps done"></progress>
            {overview.completed.then(|| view! {
                <p class="notice notice-ok" role="status">
                    "You have finished every step. The recruiting team will be in touch."
                </p>
            })}
            <ol class="step-list" aria-label="Steps">
                {overview.steps.into_iter().map(|step| {
                    let href = step_href.run(step.clone());
                    view! { <StepItem step href/> }
                }).collect_view()}
            </ol>
        </section>
        </div>
    }
}

#[component]
fn StepItem(step: StepSummary, href: String) -> impl IntoView {
    let state = match step.state {
        StepState::NotStarted => "Not started",
        StepState::InProgress => "In progress",
        StepState::Done => "Done",
    };
    let mut details = vec![step.kind.label().to_string()];
    if let Some(count) = step.question_count {
        details.push(format!("{count} questions"));
    }
    if let Some(seconds) = step.time_limit_secs {
        details.push(format!("{} minutes", (seconds + 59) / 60));
    }
    if !step.required {
        details.push("optional".into());
    }

    view! {
        <li class="step" data-state=state>
            <div>
                <h3>{step.title.clone()}</h3>
                <p class="muted">{details.join(" · ")}</p>
            </div>
            <span class="badge">{state}</span>
            <a class="button-secondary" href=href aria-label=format!("Open {}", step.title)>"Open"</a>
        </li>
    }
}
