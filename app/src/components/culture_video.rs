//! A culture video as candidates (and staff in the preview) watch it: an uploaded file in the
//! browser's own player, or a YouTube or Vimeo embed.

use leptos::prelude::*;

#[component]
pub fn CultureVideo(
    /// The step's title, naming the player for screen readers.
    title: String,
    /// The address of the uploaded file, served with byte ranges so the viewer can seek.
    file_url: Option<String>,
    /// A YouTube or Vimeo embed address, checked on save.
    embed_url: Option<String>,
) -> impl IntoView {
    let label = format!("Video: {title}");

    match (file_url, embed_url) {
        (Some(src), _) => {
            let download = src.clone();
            Some(
                view! {
                    <div class="video-frame">
                        // `playsinline` keeps the video in the page on iPhones instead of going full screen.
                        <video src=src controls preload="metadata" playsinline aria-label=label>
                            <a href=download>"Download the video"</a>
                        </video>
                    </div>
                }
                .into_any(),
            )
        }
        (None, Some(src)) => Some(
            view! {
                <div class="video-frame">
                    <iframe src=src title=label
                        allow="encrypted-media; fullscreen; picture-in-picture"
                        referrerpolicy="strict-origin-when-cross-origin"
                        sandbox="allow-scripts allow-same-origin allow-presentation"></iframe>
                </div>
            }
            .into_any(),
        ),
        (None, None) => None,
    }
}
