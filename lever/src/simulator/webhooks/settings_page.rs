//! `GET` and `POST /settings/webhooks`: the simulated page of Settings >
//! Integrations and API > Webhooks, where a Super Admin switches event
//! groups on. Lever delivers an event, even to webhooks created through the
//! API, only while its group is on.
//!
//! The page stores its switches in the `webhook_events_enabled` knob. Like
//! the `/_sim` routes it needs no sign-in, so anyone who can reach the
//! simulator can use it.

use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use serde::Deserialize;
use tracing::info;

use crate::simulator::html::{escape, page};
use crate::simulator::query::QueryParams;
use crate::simulator::state::SimState;
use crate::simulator::Simulator;
use crate::types::{is_webhook_event, WEBHOOK_EVENTS};

/// The form of one event's switch. An unchecked checkbox sends no field,
/// so a missing `enabled` switches the event off.
#[derive(Deserialize)]
pub(crate) struct SwitchForm {
    event: String,
    #[serde(default)]
    enabled: Option<String>,
}

/// `GET /settings/webhooks`, with `?saved=<event>` after a change.
pub(crate) async fn show(State(simulator): State<Simulator>, RawQuery(raw): RawQuery) -> Response {
    let query = QueryParams::parse(raw.as_deref());
    let saved = query.first("saved").filter(|event| is_webhook_event(event));

    let html = render(&simulator.lock(), saved);

    Html(html).into_response()
}

/// `POST /settings/webhooks`: switches one event on or off, then shows the
/// page again.
pub(crate) async fn submit(
    State(simulator): State<Simulator>,
    Form(form): Form<SwitchForm>,
) -> Response {
    if !is_webhook_event(&form.event) {
        let html = page(
            "Webhooks",
            &format!(
                "<h1>Webhooks</h1><p class=\"error\" role=\"alert\">Unknown webhook event {}. \
                 Go back to the webhooks settings and try again.</p>",
                escape(&form.event)
            ),
        );
        return (StatusCode::BAD_REQUEST, Html(html)).into_response();
    }

    let enabled = form.enabled.is_some();
    {
        let mut state = simulator.lock();
        let events = &mut state.knobs.webhook_events_enabled;
        events.retain(|event| event != &form.event);
        if enabled {
            events.push(form.event.clone());
        }
    }
    info!(event = %form.event, enabled, "Lever simulator webhook event switched");

    // A relative Location resolves against this page's URL, so it works
    // under any prefix the router is nested at.
    let location = format!("webhooks?saved={}", form.event);
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// Renders the page: one form per event, with its switch and the webhooks
/// registered for it.
fn render(state: &SimState, saved: Option<&str>) -> String {
    let enabled = &state.knobs.webhook_events_enabled;

    let notice = saved
        .map(|event| {
            let status = if enabled.iter().any(|name| name == event) {
                "on"
            } else {
                "off"
            };
            format!(
                "<p class=\"notice\" role=\"status\">{} is {status}.</p>",
                escape(label(event))
            )
        })
        .unwrap_or_default();

    let forms: String = WEBHOOK_EVENTS
        .iter()
        .map(|event| {
            let urls: Vec<String> = state
                .webhooks
                .iter()
                .filter(|webhook| webhook.event == *event)
                .map(|webhook| escape(&webhook.url))
                .collect();
            let registered = match urls.len() {
                0 => "No webhook registered.".to_string(),
                1 => format!("1 webhook: {}", urls[0]),
                count => format!("{count} webhooks: {}", urls.join(", ")),
            };
            let checked = if enabled.iter().any(|name| name == event) {
                " checked"
            } else {
                ""
            };

            format!(
                "<form method=\"post\" action=\"webhooks\" class=\"event\">\
                 <input type=\"hidden\" name=\"event\" value=\"{event}\">\
                 <label><input type=\"checkbox\" name=\"enabled\" value=\"on\"{checked}> {label}</label>\
                 <p class=\"hint\"><code>{event}</code> · {registered}</p>\
                 <button class=\"secondary\" type=\"submit\" aria-label=\"Save {label}\">Save</button>\
                 </form>",
                event = escape(event),
                label = escape(label(event)),
            )
        })
        .collect();

    page(
        "Webhooks",
        &format!(
            "<h1>Webhooks</h1>{notice}\
             <p>Lever sends an event to its webhooks only while the event is switched on here, \
             also for webhooks created through the API.</p>{forms}"
        ),
    )
}

/// Returns the name Lever's settings page shows for an event.
fn label(event: &str) -> &str {
    match event {
        "applicationCreated" => "Application created",
        "candidateHired" => "Candidate hired",
        "candidateStageChange" => "Candidate stage change",
        "candidateArchiveChange" => "Candidate archive state change",
        "candidateDeleted" => "Candidate deleted",
        "interviewCreated" => "Interview created",
        "interviewUpdated" => "Interview updated",
        "interviewDeleted" => "Interview deleted",
        "contactCreated" => "Contact created",
        "contactUpdated" => "Contact updated",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulator::config::SimConfig;

    #[test]
    fn every_event_has_label() {
        for event in WEBHOOK_EVENTS {
            assert_ne!(label(event), *event, "{event}");
        }
    }

    #[test]
    fn checkbox_follows_knob() {
        let mut state = SimState::new(SimConfig::default());
        state.knobs.webhook_events_enabled = vec!["candidateStageChange".to_string()];

        let html = render(&state, None);

        assert!(html.contains("name=\"enabled\" value=\"on\" checked> Candidate stage change<"));
        assert!(html.contains("name=\"enabled\" value=\"on\"> Candidate deleted<"));
    }
}
