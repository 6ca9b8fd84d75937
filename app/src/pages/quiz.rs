//! `/c/:token/quiz/:step_id`: the screening quiz. Answers save as the candidate goes, one
//! request at a time and in order, so a reload or a second device resumes where they were.

use std::collections::VecDeque;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::portal::{load_quiz, save_answer, start_quiz, submit_quiz};
use crate::components::countdown::Countdown;
use crate::components::question::Question;
use crate::components::timed_question::TimedQuestion;
use crate::components::{ErrorNotice, Loading};
use crate::domain::branding::accent_style;
use crate::domain::quiz::{AnswerValue, AttemptStatus, QuizSession};
use crate::error::AppError;

#[component]
pub fn QuizPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let step_id = move || params.read().get("step_id").unwrap_or_default();
    let reload = RwSignal::new(0u32);
    let session = Resource::new(
        move || (token(), step_id(), reload.get()),
        |(token, step_id, _)| load_quiz(token, step_id),
    );
    let refresh = Callback::new(move |_| reload.update(|count| *count += 1));

    view! {
        <main class="portal">
            <p><a href=move || format!("/c/{}", token())>"Back to your steps"</a></p>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match session.await {
                        Ok(session) => {
                            let accent = accent_style(session.accent_color.as_deref());
                            view! {
                            <div class="portal-brand" style=accent>
                            <Title text=session.title.clone()/>
                            <h1>{session.title.clone()}</h1>
                            <p class="muted">{session.role_title.clone()}</p>
                            {match session.status {
                                AttemptStatus::NotStarted => view! { <QuizIntro session token=token() refresh/> }.into_any(),
                                AttemptStatus::InProgress => view! { <QuizForm session token=token() refresh/> }.into_any(),
                                AttemptStatus::Submitted => view! { <QuizDone session token=token()/> }.into_any(),
                            }}
                            </div>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn QuizIntro(session: QuizSession, token: String, refresh: Callback<()>) -> impl IntoView {
    let starting = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let step_id = session.step_id.clone();
    let limit = session
        .time_limit_secs
        .map(|seconds| format!("You have {} minutes. ", (seconds + 59) / 60))
        .unwrap_or_default();

    let start = move |_| {
        starting.set(true);
        let (token, step_id) = (token.clone(), step_id.clone());
        spawn_local(async move {
            match start_quiz(token, step_id).await {
                Ok(_) => refresh.run(()),
                Err(failure) => {
                    error.set(Some(failure));
                    starting.set(false);
                }
            }
        });
    };

    view! {
        <div class="prose" inner_html=session.instructions_html.clone()></div>
        <p>
            {format!("{} questions. ", session.question_count)}
            {limit}
            "The clock starts when you click Start quiz and keeps running if you close the page. "
            "Your answers save automatically, so you can reload or switch devices."
        </p>
        {move || error.get().map(|error| view! { <ErrorNotice error/> })}
        <button type="button" class="button-primary" disabled=move || starting.get() on:click=start>"Start quiz"</button>
    }
}

#[component]
fn QuizDone(session: QuizSession, token: String) -> impl IntoView {
    view! {
        <p class="notice notice-ok" role="status">
            "Your answers have been submitted. "
            {session.timed_out.then_some("Time ran out before you submitted, so the answers saved in time were sent. ")}
            "Thank you! The recruiting team will review them."
        </p>
        <p><a class="button-primary" href=format!("/c/{token}")>"See your progress"</a></p>
    }
}

/// Saves waiting to be sent, newest answer per question, sent one at a time in order.
#[derive(Default)]
struct SaveQueue {
    waiting: VecDeque<(String, AnswerValue)>,
    sending: bool,
}

#[component]
fn QuizForm(session: QuizSession, token: String, refresh: Callback<()>) -> impl IntoView {
    let step_id = session.step_id.clone();
    let total = session.questions.len();
    let timed = session.remaining_ms.is_some();
    let remaining = RwSignal::new(session.remaining_ms.unwrap_or(0));
    let deadline = StoredValue::new(now_ms() + session.remaining_ms.unwrap_or(0) as f64);

    let queue = StoredValue::new(SaveQueue::default());
    let unsaved = RwSignal::new(0usize);
    let saved_any = RwSignal::new(!session.answers.is_empty());
    let save_failure = RwSignal::new(None::<String>);
    let question_errors = RwSignal::new(Vec::<(String, String)>::new());
    let submitting = RwSignal::new(false);
    let submit_failure = RwSignal::new(None::<AppError>);
    let time_up = RwSignal::new(false);

    // Sends queued saves one by one; started by the first save and ends when the queue is empty.
    let drain = {
        let (token, step_id) = (token.clone(), step_id.clone());
        move || {
            let (token, step_id) = (token.clone(), step_id.clone());
            spawn_local(async move {
                loop {
                    let next = queue
                        .try_update_value(|queue| {
                            let next = queue.waiting.pop_front();
                            queue.sending = next.is_some();
                            next
                        })
                        .flatten();
                    let Some((question_id, answer)) = next else {
                        break;
                    };

                    let result =
                        save_answer(token.clone(), step_id.clone(), question_id.clone(), answer)
                            .await;
                    unsaved.update(|count| *count = count.saturating_sub(1));
                    question_errors.update(|errors| errors.retain(|(id, _)| id != &question_id));
                    match result {
                        Ok(left) => {
                            saved_any.set(true);
                            save_failure.set(None);
                            if let Some(left) = left {
                                deadline.set_value(now_ms() + left as f64);
                                remaining.set(left);
                            }
                        }
                        Err(AppError::Invalid {
                            field: Some(_),
                            message,
                        }) => {
                            question_errors.update(|errors| errors.push((question_id, message)));
                        }
                        Err(failure) => save_failure.set(Some(failure.to_string())),
                    }
                }
            });
        }
    };

    let on_save = Callback::new(move |(question_id, answer): (String, AnswerValue)| {
        let start = queue
            .try_update_value(|queue| {
                if let Some(position) = queue.waiting.iter().position(|(id, _)| id == &question_id)
                {
                    queue.waiting[position].1 = answer;
                } else {
                    queue.waiting.push_back((question_id, answer));
                    unsaved.update(|count| *count += 1);
                }
                !queue.sending
            })
            .unwrap_or(false);
        if start {
            queue.update_value(|queue| queue.sending = true);
            drain();
        }
    });

    let submit = {
        let (token, step_id) = (token.clone(), step_id.clone());
        Callback::new(move |_: ()| {
            if submitting.get_untracked() {
                return;
            }
            submitting.set(true);
            submit_failure.set(None);
            let (token, step_id) = (token.clone(), step_id.clone());
            spawn_local(async move {
                // Answers still on their way must be stored before the quiz closes.
                while unsaved.get_untracked() > 0 {
                    pause(Duration::from_millis(50)).await;
                }
                match submit_quiz(token, step_id).await {
                    Ok(()) | Err(AppError::Conflict(_)) => refresh.run(()),
                    Err(failure) => {
                        submit_failure.set(Some(failure));
                        submitting.set(false);
                    }
                }
            });
        })
    };

    // The countdown only runs in the browser. When it reaches zero, the saved answers are submitted.
    Effect::new(move |_| {
        if !timed {
            return;
        }
        let tick = move || {
            let left = (deadline.get_value() - now_ms()).max(0.0) as i64;
            remaining.set(left);
            if left == 0 && !time_up.get_untracked() {
                time_up.set(true);
                submit.run(());
            }
        };
        if let Ok(handle) = set_interval_with_handle(tick, Duration::from_millis(500)) {
            on_cleanup(move || handle.clear());
        }
    });

    let status_text = move || {
        if let Some(failure) = save_failure.get() {
            format!("Not saved: {failure}")
        } else if unsaved.get() > 0 {
            "Saving…".to_string()
        } else if !question_errors.get().is_empty() {
            "Some answers need a fix; see the messages below them.".to_string()
        } else if saved_any.get() {
            "All answers saved".to_string()
        } else {
            "Answers save automatically".to_string()
        }
    };
    let locked = Signal::derive(move || submitting.get() || time_up.get());
    let answers = session.answers.clone();
    let timers = session.question_timers.clone();

    view! {
        <div class="quiz-bar">
            {timed.then(|| view! { <Countdown remaining_ms=remaining/> })}
            <p class="save-status" role="status" aria-live="polite">{status_text}</p>
        </div>
        <Show when=move || time_up.get()>
            <p class="notice notice-warn" role="alert">"Time is up. Your saved answers are being submitted."</p>
        </Show>
        <form class="quiz" on:submit=move |event| { event.prevent_default(); submit.run(()); }>
            {session
                .questions
                .into_iter()
                .enumerate()
                .map(|(index, question)| {
                    let initial = answers.iter().find(|(id, _)| id == &question.id).map(|(_, value)| value.clone());
                    let question_id = question.id.clone();
                    let error = Signal::derive(move || {
                        question_errors.get().into_iter().find(|(id, _)| id == &question_id).map(|(_, message)| message)
                    });
                    if question.time_limit_secs.is_some() {
                        let opened_remaining_ms = timers.iter().find(|(id, _)| id == &question.id).map(|(_, left)| *left);
                        return view! {
                            <TimedQuestion token=token.clone() step_id=step_id.clone() question opened_remaining_ms
                                number=index + 1 total initial on_save error disabled=locked/>
                        }
                        .into_any();
                    }
                    view! {
                        <Question question number=index + 1 total initial on_save error disabled=locked/>
                    }
                    .into_any()
                })
                .collect_view()}
            {move || submit_failure.get().map(|error| view! { <ErrorNotice error/> })}
            <button type="submit" class="button-primary" disabled=move || submitting.get()>
                {move || if submitting.get() { "Submitting…" } else { "Submit answers" }}
            </button>
        </form>
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

/// Waits in the browser without blocking it.
async fn pause(duration: Duration) {
    #[cfg(feature = "hydrate")]
    gloo_timers::future::sleep(duration).await;
    #[cfg(not(feature = "hydrate"))]
    let _ = duration;
}
