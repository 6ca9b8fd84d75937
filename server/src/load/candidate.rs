//! One candidate's walk through the demo role's portal, over the same server functions
//! the browser calls: read the guide, start the quiz, answer as an [`AnswerSheet`] specifies, submit.
//! Each call names the process it goes to, so a walk can cross processes.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use app::domain::portal::{PortalOverview, StepKind};
use app::domain::quiz::QuizSession;
use reqwest::Client;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use url::Url;

use super::answers::AnswerSheet;

/// Calls a JSON-encoded server function and decodes its response.
async fn call_json<T: DeserializeOwned>(
    http: &Client,
    base: &Url,
    name: &str,
    body: Value,
) -> anyhow::Result<T> {
    let response = http
        .post(base.join(&format!("api/{name}"))?)
        .json(&body)
        .send()
        .await?;
    decode(name, response).await
}

/// Calls a URL-encoded server function (the `load_*` reads) and decodes its response.
async fn call_form<T: DeserializeOwned>(
    http: &Client,
    base: &Url,
    name: &str,
    form: &[(&str, &str)],
) -> anyhow::Result<T> {
    let response = http
        .post(base.join(&format!("api/{name}"))?)
        .header(reqwest::header::ORIGIN, super::consent::origin(base))
        .form(form)
        .send()
        .await?;
    decode(name, response).await
}

async fn decode<T: DeserializeOwned>(name: &str, response: reqwest::Response) -> anyhow::Result<T> {
    let status = response.status();
    let text = response.text().await?;
    if !status.is_success() {
        bail!("{name} returned {status}: {text}");
    }
    serde_json::from_str(&text).with_context(|| format!("decoding the answer of {name}: {text}"))
}

pub async fn load_portal(http: &Client, base: &Url, token: &str) -> anyhow::Result<PortalOverview> {
    call_form(http, base, "load_portal", &[("token", token)]).await
}

pub async fn load_quiz(
    http: &Client,
    base: &Url,
    token: &str,
    step_id: &str,
) -> anyhow::Result<QuizSession> {
    call_form(
        http,
        base,
        "load_quiz",
        &[("token", token), ("step_id", step_id)],
    )
    .await
}

/// The ids of the portal's guide and quiz steps.
pub struct PortalSteps {
    pub guide: String,
    pub quiz: String,
}

pub async fn portal_steps(http: &Client, base: &Url, token: &str) -> anyhow::Result<PortalSteps> {
    let overview = load_portal(http, base, token).await?;
    let find = |kind: StepKind| {
        overview
            .steps
            .iter()
            .find(|step| step.kind == kind)
            .map(|step| step.id.clone())
    };
    Ok(PortalSteps {
        guide: find(StepKind::Content).context("the portal has no guide step")?,
        quiz: find(StepKind::Quiz).context("the portal has no quiz step")?,
    })
}

pub async fn complete_guide(
    http: &Client,
    base: &Url,
    token: &str,
    steps: &PortalSteps,
) -> anyhow::Result<()> {
    call_json(
        http,
        base,
        "complete_content_step",
        json!({"token": token, "step_id": steps.guide}),
    )
    .await
}

pub async fn start_quiz(
    http: &Client,
    base: &Url,
    token: &str,
    steps: &PortalSteps,
) -> anyhow::Result<QuizSession> {
    call_json(
        http,
        base,
        "start_quiz",
        json!({"token": token, "step_id": steps.quiz}),
    )
    .await
}

/// Saves the demo role's correct answer to every question of the session.
pub async fn answer_all(
    http: &Client,
    base: &Url,
    token: &str,
    session: &QuizSession,
) -> anyhow::Result<()> {
    for question in &session.questions {
        if AnswerSheet::AllCorrect.answer(&question.prompt).is_none() {
            bail!("no demo answer for {:?}", question.prompt);
        }
    }
    answer_sheet(http, base, token, session, AnswerSheet::AllCorrect).await
}

/// Saves the answers `sheet` gives; the questions it leaves blank get no call.
pub async fn answer_sheet(
    http: &Client,
    base: &Url,
    token: &str,
    session: &QuizSession,
    sheet: AnswerSheet,
) -> anyhow::Result<()> {
    for question in &session.questions {
        let Some(answer) = sheet.answer(&question.prompt) else {
            continue;
        };
        let body = json!({"token": token, "step_id": session.step_id, "question_id": question.id, "answer": answer});
        // The answer is the quiz's remaining time, which a candidate's walk does not need.
        let _remaining_ms: Option<i64> = call_json(http, base, "save_answer", body).await?;
    }
    Ok(())
}

pub async fn submit_quiz(
    http: &Client,
    base: &Url,
    token: &str,
    steps: &PortalSteps,
) -> anyhow::Result<()> {
    call_json(
        http,
        base,
        "submit_quiz",
        json!({"token": token, "step_id": steps.quiz}),
    )
    .await
}

/// Walks a candidate through the whole portal on one process, answering every question
/// right. Returns how long the submit call took, because that is the wait a candidate
/// notices at the end.
pub async fn take_quiz(http: &Client, base: &Url, token: &str) -> anyhow::Result<Duration> {
    take_quiz_with(http, base, token, AnswerSheet::AllCorrect).await
}

/// Walks a candidate through the whole portal on one process, giving the answers of
/// `sheet`. Returns how long the submit call took.
pub async fn take_quiz_with(
    http: &Client,
    base: &Url,
    token: &str,
    sheet: AnswerSheet,
) -> anyhow::Result<Duration> {
    let steps = portal_steps(http, base, token).await?;
    complete_guide(http, base, token, &steps).await?;
    let session = start_quiz(http, base, token, &steps).await?;
    answer_sheet(http, base, token, &session, sheet).await?;

    let started = Instant::now();
    submit_quiz(http, base, token, &steps).await?;
    Ok(started.elapsed())
}

/// Returns the token at the end of a candidate link.
pub fn token_of(link: &str) -> &str {
    link.rsplit('/').next().unwrap_or(link)
}
