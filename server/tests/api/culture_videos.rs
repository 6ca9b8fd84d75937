//! Culture videos uploaded in the portal editor: an upload streams into the media store, a
//! step shows it, and a candidate plays it with byte ranges. An upload that is too large, is
//! not a video, or breaks off half way is refused with a message and leaves nothing behind.

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{CONTENT_RANGE, CONTENT_TYPE, RANGE};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    files_under, sample_video, token_of, upload_culture_video, Backend, TestApp, TestOptions,
};

/// The upload limit of the refusal tests, in bytes (1 MiB).
const SMALL_LIMIT: u64 = 1 << 20;

async fn signed_in_admin(app: &TestApp) -> Client {
    let browser = TestApp::browser();
    app.sign_in(
        &browser,
        &app.northwind.admin.email,
        &app.northwind.admin.password,
    )
    .await;
    browser
}

async fn upload_rows(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM media_uploads").await
}

async fn uploaded_video_plays_for_candidates(app: TestApp) {
    let admin = signed_in_admin(&app).await;
    let job = app.northwind.role_id.as_str();
    // Larger than axum's default body limit of 2 MB, which an upload must not meet.
    let video = sample_video(3_000_000);

    let (status, uploaded) =
        upload_culture_video(&app, &admin, job, "video/webm", video.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{uploaded}");
    assert_eq!(uploaded["content_type"], "video/webm");
    assert_eq!(uploaded["size_bytes"], video.len());
    assert_eq!(uploaded["file_name"], "Meet the team.webm");
    let upload_id = uploaded["id"].as_str().unwrap().to_owned();
    assert_eq!(files_under(&app.media_dir()).len(), 1);

    // The editor adds a video step that shows the file, and publishes.
    let (status, editor) = app
        .call_as(
            &admin,
            "add_portal_step",
            json!({"role_id": job, "kind": "video"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{editor}");
    let step = editor["steps"].as_array().unwrap().last().unwrap().clone();
    let (status, editor) = app
        .call_as(
            &admin,
            "save_portal_step",
            json!({"role_id": job, "step": {
                "step_id": step["id"], "title": "Meet the team", "body_md": "", "required": true,
                "time_limit_secs": null, "pass_percent": null, "shuffle_questions": false,
                "shuffle_options": false, "video_url": null, "video_upload_id": upload_id,
            }}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{editor}");
    let saved = editor["steps"].as_array().unwrap().last().unwrap();
    assert_eq!(saved["video_file"]["id"], upload_id.as_str());
    let (status, body) = app
        .post_form(&admin, "publish_job", &[("role_id", job)])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Staff play it from the preview.
    let staff_url = format!("/media/jobs/{job}/culture-videos/{upload_id}");
    let response = admin.get(app.url(&staff_url)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.bytes().await.unwrap().as_ref(), video.as_slice());

    // A candidate who has not started gets the new version and plays the file.
    let token = token_of(&app.northwind.candidates[1].link);
    let (status, overview) = app.call_form("load_portal", &[("token", &token)]).await;
    assert_eq!(status, StatusCode::OK, "{overview}");
    let video_step = overview["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|step| step["kind"] == "video")
        .expect("the published version has the video step")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, content) = app
        .call_form(
            "load_content_step",
            &[("token", &token), ("step_id", &video_step)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{content}");
    let file_url = content["video_file_url"].as_str().unwrap().to_owned();
    assert_eq!(
        file_url,
        format!("/media/portal/{token}/steps/{video_step}/video")
    );

    let candidate = Client::new();
    let whole = candidate.get(app.url(&file_url)).send().await.unwrap();
    assert_eq!(whole.status(), StatusCode::OK);
    assert_eq!(whole.headers()[CONTENT_TYPE], "video/webm");
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    assert_eq!(whole.bytes().await.unwrap().as_ref(), video.as_slice());

    let part = candidate
        .get(app.url(&file_url))
        .header(RANGE, "bytes=1000-1999")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        part.headers()[CONTENT_RANGE],
        format!("bytes 1000-1999/{}", video.len()).as_str()
    );
    assert_eq!(part.bytes().await.unwrap().as_ref(), &video[1000..2000]);

    let past_end = candidate
        .get(app.url(&file_url))
        .header(RANGE, format!("bytes={}-", video.len()))
        .send()
        .await
        .unwrap();
    assert_eq!(past_end.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        past_end.headers()[CONTENT_RANGE],
        format!("bytes */{}", video.len()).as_str()
    );

    // Another job's path does not reach this job's file, and a made-up link plays nothing.
    let other_job = format!(
        "/media/jobs/{}/culture-videos/{upload_id}",
        app.northwind.draft_role_id
    );
    let response = admin.get(app.url(&other_job)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let made_up = file_url.replace(&token, &app::ssr::crypto::random_token());
    let response = candidate.get(app.url(&made_up)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

async fn only_editors_upload(app: TestApp) {
    let job = app.northwind.role_id.as_str();

    let nobody = TestApp::browser();
    let (status, body) =
        upload_culture_video(&app, &nobody, job, "video/webm", sample_video(2000)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    // The seeded Team Member owns only the draft job.
    let team_member = TestApp::browser();
    app.sign_in(
        &team_member,
        &app.northwind.team_member.email,
        &app.northwind.team_member.password,
    )
    .await;
    let (status, body) =
        upload_culture_video(&app, &team_member, job, "video/webm", sample_video(2000)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = upload_culture_video(
        &app,
        &team_member,
        &app.northwind.draft_role_id,
        "video/webm",
        sample_video(2000),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Another organization's Admin learns nothing of the job.
    let globex = TestApp::browser();
    app.sign_in(&globex, &app.globex.admin.email, &app.globex.admin.password)
        .await;
    let (status, body) =
        upload_culture_video(&app, &globex, job, "video/webm", sample_video(2000)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    assert_eq!(upload_rows(&app).await, 1);
    assert_eq!(files_under(&app.media_dir()).len(), 1);
}

/// Asserts that no upload row and no file remain, waiting up to 10 seconds for the server to
/// finish aborting.
async fn assert_nothing_left(app: &TestApp, case: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let files = files_under(&app.media_dir());
        let rows = upload_rows(app).await;
        if files.is_empty() && rows == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{case}: left behind {files:?} and {rows} rows"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn message(body: &Value) -> String {
    body.to_string()
}

async fn rejected_uploads_leave_nothing(backend: Backend) {
    let app = TestApp::spawn_configured(backend, TestOptions::default(), |config| {
        config.culture_video_max_bytes = SMALL_LIMIT;
    })
    .await;
    let admin = signed_in_admin(&app).await;
    let job = app.northwind.role_id.clone();

    // Too large, with a declared length: refused before a byte is stored.
    let (status, body) = upload_culture_video(
        &app,
        &admin,
        &job,
        "video/webm",
        sample_video(SMALL_LIMIT as usize + 1),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(
        message(&body).contains("larger than the maximum of 1 MiB"),
        "{body}"
    );
    assert_nothing_left(&app, "declared too large").await;

    // Too large, streamed without a length: refused once the limit passes.
    let video = sample_video(SMALL_LIMIT as usize + 64 * 1024);
    let chunks: Vec<Result<Bytes, std::io::Error>> = video
        .chunks(64 * 1024)
        .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
        .collect();
    let response = admin
        .post(app.url(&format!("/media/jobs/{job}/culture-videos?name=big.webm")))
        .header(reqwest::header::ORIGIN, app.origin())
        .header(CONTENT_TYPE, "video/webm")
        .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
        .send()
        .await;
    match response {
        Ok(response) => {
            assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
            let body = response.text().await.unwrap();
            assert!(body.contains("larger than the maximum of 1 MiB"), "{body}");
        }
        // The server may respond and close before the client has sent every chunk.
        Err(error) => assert!(error.is_request() || error.is_body(), "{error}"),
    }
    assert_nothing_left(&app, "streamed too large").await;

    // Not a video, whatever content type the browser sends.
    let mut document = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    document.extend(std::iter::repeat_n(b'x', 50_000));
    let (status, body) = upload_culture_video(&app, &admin, &job, "video/mp4", document).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    assert_eq!(body["Invalid"]["field"], "video_file", "{body}");
    assert!(
        message(&body).contains("This file is not a video"),
        "{body}"
    );
    assert_nothing_left(&app, "not a video").await;

    // Cut off half way: the first half arrives, then the connection breaks.
    let (break_now, broken) = tokio::sync::oneshot::channel::<()>();
    let first_half = Bytes::from(sample_video(400_000));
    let body = futures::stream::unfold(
        (Some(first_half), Some(broken)),
        |(first, broken)| async move {
            if let Some(first) = first {
                return Some((Ok(first), (None, broken)));
            }
            let broken = broken?;
            let _ = broken.await;
            Some((
                Err(std::io::Error::other("the connection broke")),
                (None, None),
            ))
        },
    );
    let sending = tokio::spawn({
        let admin = admin.clone();
        let url = app.url(&format!("/media/jobs/{job}/culture-videos?name=cut.webm"));
        let origin = app.origin();
        async move {
            admin
                .post(url)
                .header(reqwest::header::ORIGIN, origin)
                .header(CONTENT_TYPE, "video/webm")
                .body(reqwest::Body::wrap_stream(body))
                .send()
                .await
        }
    });

    // The upload has started once its staging file is in the media store.
    let deadline = Instant::now() + Duration::from_secs(10);
    while files_under(&app.media_dir()).is_empty() {
        assert!(
            Instant::now() < deadline,
            "the upload never reached the media store"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    break_now.send(()).unwrap();
    let result = sending.await.unwrap();
    assert!(
        result.is_err(),
        "a broken body cannot be answered with success: {result:?}"
    );
    assert_nothing_left(&app, "cut off half way").await;
}

on_both_backends!(uploaded_video_plays_for_candidates, only_editors_upload);
on_both_backends!(backend: rejected_uploads_leave_nothing);
