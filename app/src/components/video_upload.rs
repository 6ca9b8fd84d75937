//! The culture video file field of the portal editor: pick a file, watch it upload with a
//! progress bar, cancel it, or remove the file the step shows. The step uses the file once
//! the author saves the step.

use leptos::prelude::*;

use super::editor_step::FieldMessage;
use super::upload_request::{chosen_file, encode_query, post_file, Upload, UploadEnd};
use crate::domain::byte_size::ByteSize;
use crate::domain::upload::{UploadedFile, ACCEPTED_VIDEO_TYPES};
use crate::error::AppError;

/// The state of the file field.
#[derive(Debug, Clone, PartialEq)]
enum Progress {
    Idle,
    /// Bytes sent of the total.
    Sending {
        name: String,
        sent: f64,
        total: f64,
    },
    Done {
        name: String,
    },
}

#[component]
pub fn VideoUpload(
    role_id: String,
    /// Prefix of the element ids, unique per step form.
    id_prefix: String,
    max_bytes: u64,
    /// The uploaded file the step will show once saved.
    video: RwSignal<Option<UploadedFile>>,
    /// True while a file is on its way, so the form waits before saving.
    uploading: RwSignal<bool>,
    /// The step form's error, which may be about the file (an upload gone from the job).
    form_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let progress = RwSignal::new(Progress::Idle);
    let error = RwSignal::new(None::<AppError>);
    let in_flight = StoredValue::new_local(None::<Upload>);
    let input_id = format!("{id_prefix}-video_file");
    let message_id = format!("{input_id}-message");
    let status_id = format!("{input_id}-status");
    let role_id = StoredValue::new(role_id);

    let reject = move |message: String| {
        uploading.set(false);
        progress.set(Progress::Idle);
        error.set(Some(AppError::invalid("video_file", message)));
    };

    let on_change = move |event: leptos::ev::Event| {
        let Some((input, file)) = chosen_file(&event) else {
            return;
        };
        // Focus stays on the field, so it is not disabled while a file is on its way.
        if uploading.get_untracked() {
            return;
        }
        error.set(None);

        let size = file.size() as u64;
        if size > max_bytes {
            return reject(format!(
                "This file is {}; the largest video you can upload is {}. Shorten or compress it, or embed it from YouTube or Vimeo.",
                ByteSize(size),
                ByteSize(max_bytes)
            ));
        }

        let name = file.name();
        let url = format!(
            "/media/jobs/{}/culture-videos?name={}",
            role_id.get_value(),
            encode_query(&name)
        );
        uploading.set(true);
        progress.set(Progress::Sending {
            name: name.clone(),
            sent: 0.0,
            total: size as f64,
        });

        let sending_name = name.clone();
        let on_progress = move |sent: f64, total: f64| {
            progress.set(Progress::Sending {
                name: sending_name.clone(),
                sent,
                total,
            });
        };
        let on_end = move |end: UploadEnd| {
            match end {
            UploadEnd::Answered { status: 201, body } => {
                match serde_json::from_str::<UploadedFile>(&body) {
                    Ok(uploaded) => {
                        uploading.set(false);
                        progress.set(Progress::Done {
                            name: uploaded.file_name.clone(),
                        });
                        video.set(Some(uploaded));
                    }
                    Err(_) => reject("The server's answer could not be read. Please try again.".into()),
                }
            }
            UploadEnd::Answered { status, body } => {
                let message = match serde_json::from_str::<AppError>(&body) {
                    Ok(error) => error.to_string(),
                    Err(_) => format!("The upload failed (HTTP {status}). Please try again."),
                };
                reject(message);
            }
            UploadEnd::Failed => reject(
                "The connection broke before the upload finished, and nothing was kept. Check your connection and choose the file again."
                    .into(),
            ),
            UploadEnd::Cancelled => {
                uploading.set(false);
                progress.set(Progress::Idle);
            }
        }
        };

        match post_file(&url, &file, on_progress, on_end) {
            Ok(upload) => in_flight.set_value(Some(upload)),
            Err(_) => reject("This browser could not start the upload.".into()),
        }
        // The same file can be chosen again after a failure.
        input.set_value("");
    };

    let cancel = move |_| {
        in_flight.with_value(|upload| {
            if let Some(upload) = upload {
                upload.cancel();
            }
        });
    };
    let remove = {
        let input_id = input_id.clone();
        move |_| {
            video.set(None);
            progress.set(Progress::Idle);
            crate::pages::portal_editor::focus_soon(input_id.clone());
        }
    };

    let status = move || match progress.get() {
        Progress::Idle => None,
        Progress::Sending { name, sent, total } => {
            let percent = if total > 0.0 {
                (sent / total * 100.0).floor()
            } else {
                0.0
            };
            Some(format!(
                "Uploading {name}: {percent}% ({} of {})",
                ByteSize(sent as u64),
                ByteSize(total as u64)
            ))
        }
        Progress::Done { name } => Some(format!(
            "Uploaded {name}. Save the step to show it to candidates."
        )),
    };
    let percent = move || match progress.get() {
        Progress::Sending { sent, total, .. } if total > 0.0 => (sent / total * 100.0).floor(),
        _ => 0.0,
    };
    let sending = move || matches!(progress.get(), Progress::Sending { .. });

    view! {
        <div class="video-upload">
            {move || video.get().map(|video| view! {
                <p>
                    "Video file: " <strong>{video.file_name.clone()}</strong>
                    {format!(" ({})", ByteSize(video.size_bytes.max(0) as u64))}
                    " "
                    <button type="button" class="button-quiet" on:click=remove.clone()
                        disabled=sending>"Remove file"</button>
                </p>
            })}
            <label for=input_id.clone()>{format!(
                "Upload a video file (MP4, WebM, Ogg or QuickTime, up to {})",
                ByteSize(max_bytes)
            )}</label>
            <input id=input_id.clone() type="file" accept=ACCEPTED_VIDEO_TYPES
                on:change=on_change aria-describedby=format!("{message_id} {status_id}")/>
            <FieldMessage error=Signal::derive(move || error.get().or_else(|| form_error.get()))
                field="video_file" id=message_id.clone()/>
            <div id=status_id role="status" aria-live="polite">
                {move || sending().then(|| view! {
                    <progress max="100" value=percent aria-label="Upload progress"></progress>
                })}
                {move || status().map(|text| view! { <p class="muted">{text}</p> })}
            </div>
            {move || sending().then(|| view! {
                <button type="button" class="button-quiet" on:click=cancel>"Cancel upload"</button>
            })}
        </div>
    }
}
