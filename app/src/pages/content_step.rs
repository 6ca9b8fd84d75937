//! `/c/:token/content/:step_id`: a recruitment guide to read, or a culture video to watch.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::portal::{load_content_step, CompleteContentStep};
use crate::components::culture_video::CultureVideo;
use crate::components::{ErrorNotice, Loading};
use crate::domain::branding::accent_style;

#[component]
pub fn ContentStepPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let step_id = move || params.read().get("step_id").unwrap_or_default();
    let complete = ServerAction::<CompleteContentStep>::new();
    let step = Resource::new(
        move || (token(), step_id(), complete.version().get()),
        |(token, step_id, _)| load_content_step(token, step_id),
    );
    let back = move || format!("/c/{}", token());

    view! {
        <main class="portal">
            <p><a href=back>"Back to your steps"</a></p>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match step.await {
                        Ok(step) => {
                            let step_id = step.step_id.clone();
                            let accent = accent_style(step.accent_color.as_deref());
                            let is_video = step.video_file_url.is_some() || step.video_embed_url.is_some();
                            let (mark, marked) = if is_video {
                                ("Mark as watched", "Marked as watched.")
                            } else {
                                ("Mark as read", "Marked as read.")
                            };
                            view! {
                                <div class="portal-brand" style=accent>
                                <Title text=step.title.clone()/>
                                <article>
                                    <h1>{step.title.clone()}</h1>
                                    <CultureVideo title=step.title.clone()
                                        file_url=step.video_file_url.clone() embed_url=step.video_embed_url.clone()/>
                                    <div class="prose" inner_html=step.body_html.clone()></div>
                                </article>
                                {move || complete.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
                                {if step.done {
                                    view! {
                                        <p class="notice notice-ok" role="status">{marked}</p>
                                        <p><a class="button-primary" href=back>"Continue"</a></p>
                                    }.into_any()
                                } else {
                                    view! {
                                        <button
                                            type="button"
                                            class="button-primary"
                                            disabled=move || complete.pending().get()
                                            on:click=move |_| { complete.dispatch(CompleteContentStep { token: token(), step_id: step_id.clone() }); }
                                        >
                                            {mark}
                                        </button>
                                    }.into_any()
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
