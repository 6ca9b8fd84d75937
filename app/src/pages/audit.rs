//! `/audit`: who did what and when in the organization, newest first, filterable by action
//! and by person. The filters are a GET form, so the page works without JavaScript and each
//! filtered view has its own URL.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::audit::list_audit_events;
use crate::components::staff_frame::StaffFrame;
use crate::components::{ErrorNotice, Loading};
use crate::domain::audit::{AuditAction, AuditEntry, AuditPage};
use crate::error::AppError;

/// The filters of the current URL: action name, actor id and page cursor, blank when unset.
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    action: String,
    actor: String,
    before: String,
}

impl Filters {
    /// The URL of the next, older page with the same filters. The values are action names,
    /// UUIDs and the cursor, which need no escaping in a query string.
    fn older_href(&self, cursor: &str) -> String {
        format!(
            "/audit?action={}&actor={}&before={cursor}",
            self.action, self.actor
        )
    }
}

/// The resource is created before `StaffFrame` suspends, as on the Jobs page.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let query = query.read();
        Filters {
            action: query.get("action").unwrap_or_default(),
            actor: query.get("actor").unwrap_or_default(),
            before: query.get("before").unwrap_or_default(),
        }
    });
    let events = Resource::new(
        move || filters.get(),
        |filters| {
            list_audit_events(
                Some(filters.action),
                Some(filters.actor),
                Some(filters.before),
            )
        },
    );

    view! {
        <Title text="Audit log"/>
        <StaffFrame>
            <h1>"Audit log"</h1>
            <p class="muted">"Who connected or disconnected Lever, changed staff and job members, published portals, and moved or archived candidates. Times are UTC."</p>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    let result: Result<AuditPage, AppError> = events.await;
                    match result {
                        Ok(page) => view! { <AuditContent page filters=filters.get_untracked()/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </StaffFrame>
    }
}

#[component]
fn AuditContent(page: AuditPage, filters: Filters) -> impl IntoView {
    let older = page
        .next_before
        .as_deref()
        .map(|cursor| filters.older_href(cursor));
    let newest = (!filters.before.is_empty())
        .then(|| format!("/audit?action={}&actor={}", filters.action, filters.actor));

    view! {
        <form method="get" action="/audit" class="filter-form" aria-label="Filter the audit log">
            <label for="audit-action">"Action"</label>
            <select id="audit-action" name="action">
                <option value="" selected=filters.action.is_empty()>"Every action"</option>
                {AuditAction::ALL.into_iter().map(|action| view! {
                    <option value=action.as_str() selected=filters.action == action.as_str()>{action.label()}</option>
                }).collect_view()}
            </select>
            <label for="audit-actor">"Who"</label>
            <select id="audit-actor" name="actor">
                <option value="" selected=filters.actor.is_empty()>"Everyone"</option>
                {page.actors.iter().cloned().map(|(id, name)| {
                    let selected = filters.actor == id;
                    view! { <option value=id selected=selected>{name}</option> }
                }).collect_view()}
            </select>
            <button type="submit" class="button-secondary">"Filter"</button>
        </form>
        {if page.entries.is_empty() {
            view! { <p>"No entries match."</p> }.into_any()
        } else {
            view! { <AuditTable entries=page.entries/> }.into_any()
        }}
        <nav class="pager" aria-label="Pages of the audit log">
            {newest.map(|href| view! { <a href=href>"← Newest entries"</a> })}
            {older.map(|href| view! { <a href=href>"Older entries →"</a> })}
        </nav>
    }
}

#[component]
fn AuditTable(entries: Vec<AuditEntry>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="audit-log">
                <caption class="visually-hidden">"Audit log entries, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Time (UTC)"</th>
                        <th scope="col">"Who"</th>
                        <th scope="col">"What"</th>
                        <th scope="col">"Object"</th>
                        <th scope="col">"Detail"</th>
                    </tr>
                </thead>
                <tbody>
                    {entries.into_iter().map(|entry| view! {
                        <tr>
                            <td><time datetime=iso_utc(entry.at_ms)>{readable_utc(entry.at_ms)}</time></td>
                            <td>{entry.actor_name}</td>
                            <td>{entry.action_label}</td>
                            <td>{entry.object_label}</td>
                            <td>{entry.detail}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Splits Unix milliseconds into a UTC civil date and time: (year, month, day, hour, minute,
/// second). The date conversion is Howard Hinnant's `civil_from_days`, valid for every `i64`
/// day count in range; chrono is server-only, and this runs in the browser too.
fn utc_parts(unix_ms: i64) -> (i64, i64, i64, i64, i64, i64) {
    let seconds = unix_ms.div_euclid(1000);
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));

    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);

    (
        year,
        month,
        day,
        second_of_day / 3600,
        second_of_day % 3600 / 60,
        second_of_day % 60,
    )
}

/// "2026-12-07 09:22 UTC".
fn readable_utc(unix_ms: i64) -> String {
    let (year, month, day, hour, minute, _) = utc_parts(unix_ms);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02} UTC")
}

/// "2026-12-07T09:22:05Z", for the `datetime` attribute.
fn iso_utc(unix_ms: i64) -> String {
    let (year, month, day, hour, minute, second) = utc_parts(unix_ms);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_text_of_known_instants() {
        assert_eq!(readable_utc(0), "1970-01-01 00:00 UTC");
        // 2024-02-29T23:59:59Z, a leap day.
        assert_eq!(iso_utc(1_709_251_199_000), "2024-02-29T23:59:59Z");
        // 2026-12-07T09:22:05Z.
        assert_eq!(iso_utc(1_796_635_325_000), "2026-12-07T09:22:05Z");
    }
}
