//! A quiz question with its own time limit. Its prompt stays on the server until the candidate
//! opens it, which starts its clock there. The countdown here only displays that clock, and the
//! server rejects answers saved after it runs out.

use std::time::Duration;

use leptos::prelude::*;

use super::countdown::Countdown;
use super::question::Question;
use crate::api::portal::open_question;
use crate::domain::quiz::{AnswerValue, QuestionView};
use crate::error::AppError;

/// Renders a question that has its own time limit: a button that opens it, then the question
/// with its countdown.
#[component]
pub fn TimedQuestion(
    token: String,
    step_id: String,
    question: QuestionView,
    /// Milliseconds left when the page loaded, or `None` when the question is not open yet.
    opened_remaining_ms: Option<i64>,
    number: usize,
    total: usize,
    initial: Option<AnswerValue>,
    on_save: Callback<(String, AnswerValue)>,
    error: Signal<Option<String>>,
    disabled: Signal<bool>,
) -> impl IntoView {
    let limit_secs = question.time_limit_secs.unwrap_or(0);
    let question_id = question.id.clone();
    let opened = RwSignal::new(opened_remaining_ms.map(|_| question.clone()));
    let remaining = RwSignal::new(opened_remaining_ms.unwrap_or(limit_secs * 1000));
    let opening = RwSignal::new(false);
    let open_error = RwSignal::new(None::<AppError>);
    let initial = StoredValue::new(initial);

    // The clock runs in the browser only once the question is open.
    Effect::new(move |_| {
        if opened.with(Option::is_none) {
            return;
        }
        let deadline = now_ms() + remaining.get_untracked() as f64;
        let tick = move || remaining.set((deadline - now_ms()).max(0.0) as i64);
        if let Ok(handle) = set_interval_with_handle(tick, Duration::from_millis(500)) {
            on_cleanup(move || handle.clear());
        }
    });

    let open = move |_| {
        opening.set(true);
        open_error.set(None);
        let (token, step_id, question_id) = (token.clone(), step_id.clone(), question_id.clone());
        leptos::task::spawn_local(async move {
            match open_question(token, step_id, question_id).await {
                Ok(result) => {
                    remaining.set(result.remaining_ms);
                    opened.set(Some(result.question));
                }
                Err(failure) => open_error.set(Some(failure)),
            }
            opening.set(false);
        });
    };
    let time_up = Signal::derive(move || opened.with(Option::is_some) && remaining.get() == 0);
    let locked = Signal::derive(move || disabled.get() || time_up.get());

    move || {
        match opened.get() {
        Some(question) => view! {
            <div class="timed-question">
                <Countdown remaining_ms=remaining/>
                <Question question number total initial=initial.get_value() on_save error disabled=locked/>
                <Show when=move || time_up.get()>
                    <p class="notice notice-warn" role="status">"Time is up for this question. An answer saved in time still counts."</p>
                </Show>
            </div>
        }
        .into_any(),
        None => view! {
            <section class="question timed-question" aria-label=format!("Question {number} of {total}, not opened yet")>
                <p class="question-meta muted">{format!("Question {number} of {total}")}</p>
                <p>{format!(
                    "This question has its own time limit of {}. The time starts when you open it and keeps running if you leave the page.",
                    describe_seconds(limit_secs)
                )}</p>
                {move || open_error.get().map(|error| view! { <p class="notice notice-error" role="alert">{error.to_string()}</p> })}
                <button type="button" class="button-secondary" disabled=move || opening.get() || disabled.get() on:click=open.clone()>
                    {format!("Open question {number}")}
                </button>
            </section>
        }
        .into_any(),
    }
    }
}

/// "45 seconds", "2 minutes" or "1 minute 30 seconds".
pub fn describe_seconds(seconds: i64) -> String {
    let (minutes, rest) = (seconds / 60, seconds % 60);
    let unit =
        |count: i64, name: &str| format!("{count} {name}{}", if count == 1 { "" } else { "s" });
    match (minutes, rest) {
        (0, _) => unit(rest, "second"),
        (_, 0) => unit(minutes, "minute"),
        _ => format!("{} {}", unit(minutes, "minute"), unit(rest, "second")),
    }
}

/// Milliseconds since the epoch by the browser's clock; only differences are used.
fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        web_sys::js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::describe_seconds;

    #[test]
    fn seconds_read_as_words() {
        assert_eq!(describe_seconds(45), "45 seconds");
        assert_eq!(describe_seconds(1), "1 second");
        assert_eq!(describe_seconds(120), "2 minutes");
        assert_eq!(describe_seconds(60), "1 minute");
        assert_eq!(describe_seconds(90), "1 minute 30 seconds");
    }
}
