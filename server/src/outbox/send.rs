//! Sending one outbox row to Lever. A row tried before may have reached Lever without a
//! response (the response was lost, or the process that claimed it died). So a retry
//! first reads Lever's state: it finds a note by the marker line the note carries, and it
//! does not repeat a stage move or archive already in place. Every call waits for its
//! turn at the organization's shared pace.

use app::ssr::clock::now_ms;
use app::ssr::outbox::LeverWrite;
use app::ssr::state::AppState;
use lever::client::LeverClient;
use lever::error::LeverError;
use lever::types::NewNote;

/// A claimed row, as the sender needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxJob {
    pub id: String,
    pub organization_id: String,
    pub opportunity_id: String,
    pub payload_json: String,
    pub marker: String,
    /// Tries so far, counting the one in progress.
    pub attempts: i64,
    /// Earlier tries that certainly did not reach Lever (see [`SendError::is_clean`]).
    pub clean_attempts: i64,
}

impl OutboxJob {
    /// Returns whether an earlier try may have reached Lever. A try that ended in a 429, a
    /// 401 or before its write call did not; a try whose process died might have.
    // NOTE: the check a retry makes first finds only what Lever has applied by then. If Lever
    // applies a timed-out request after that check (later than the retry delay, at least
    // 2 s), the write lands twice. The fault-injection test loses responses only after the
    // write is applied, so it does not cover that order.
    fn retried(&self) -> bool {
        self.attempts - 1 > self.clean_attempts
    }
}

/// The reason a send stopped before it finished.
#[derive(Debug)]
pub enum SendError {
    Lever(LeverError),
    /// The next call might outlast the claim's lease, after which another process may send
    /// the same write; the row is put back instead.
    LeaseEnding,
}

impl SendError {
    /// Returns whether the try certainly changed nothing in Lever: Lever turned the call away
    /// before handling it (429 rate limit, 401 token), or the send stopped before calling.
    pub fn is_clean(&self) -> bool {
        match self {
            Self::LeaseEnding => true,
            Self::Lever(error) => turned_away(error),
        }
    }
}

/// Returns whether Lever turned the call away before handling it: a 429 rate limit or a 401.
pub fn turned_away(error: &LeverError) -> bool {
    matches!(
        error,
        LeverError::RateLimited { .. } | LeverError::Unauthorized
    )
}

impl From<LeverError> for SendError {
    fn from(error: LeverError) -> Self {
        Self::Lever(error)
    }
}

/// Formats the line appended to a note so a retry can find it.
pub fn marker_line(marker: &str) -> String {
    format!("Tryout reference: {marker}")
}

/// Sends the write and returns Lever's id for what it created (the note id), if any.
// NOTE: writes go without `perform_as`, so Lever shows these notes with no author. Sending
// the connecting Super Admin's Lever user id would need the cached users matched by email.
/// `last_call_at` (UTC ms) is the latest moment a call may start and still end, by the
/// request timeout, within the claim's lease.
pub async fn send(
    state: &AppState,
    client: &LeverClient,
    access_token: &str,
    job: &OutboxJob,
    write: &LeverWrite,
    last_call_at: i64,
) -> Result<Option<String>, SendError> {
    let pace = || async {
        state
            .lever_pace
            .wait_turn(&state.db, &job.organization_id)
            .await;
        if now_ms() > last_call_at {
            return Err(SendError::LeaseEnding);
        }
        Ok(())
    };

    match write {
        LeverWrite::Note { value, score } => {
            if job.retried() {
                pace().await?;
                if let Some(existing) = find_marked_note(client, access_token, job).await? {
                    tracing::info!(outbox.id = %job.id, lever.note_id = %existing, "note already in Lever from an earlier try");
                    return Ok(Some(existing));
                }
            }

            let note = NewNote {
                value: format!("{value}\n\n{}", marker_line(&job.marker)),
                score: *score,
                secret: false,
                notify_followers: false,
            };
            pace().await?;
            let created = client
                .create_note(access_token, &job.opportunity_id, &note, None)
                .await?;
            Ok(Some(created.note_id))
        }
        LeverWrite::Stage { stage_id } => {
            if job.retried() {
                pace().await?;
                let opportunity = client
                    .get_opportunity(access_token, &job.opportunity_id)
                    .await?;
                if opportunity.stage.as_deref() == Some(stage_id.as_str()) {
                    tracing::info!(outbox.id = %job.id, "opportunity already in the stage from an earlier try");
                    return Ok(None);
                }
            }

            pace().await?;
            client
                .change_stage(access_token, &job.opportunity_id, stage_id, None)
                .await?;
            Ok(None)
        }
        LeverWrite::Archive { reason_id } => {
            if job.retried() {
                pace().await?;
                let opportunity = client
                    .get_opportunity(access_token, &job.opportunity_id)
                    .await?;
                if opportunity
                    .archived
                    .as_ref()
                    .and_then(|archived| archived.reason.as_deref())
                    == Some(reason_id.as_str())
                {
                    tracing::info!(outbox.id = %job.id, "opportunity already archived from an earlier try");
                    return Ok(None);
                }
            }

            pace().await?;
            client
                .archive(access_token, &job.opportunity_id, reason_id, None)
                .await?;
            Ok(None)
        }
    }
}

async fn find_marked_note(
    client: &LeverClient,
    access_token: &str,
    job: &OutboxJob,
) -> Result<Option<String>, LeverError> {
    let marker = marker_line(&job.marker);
    let notes = client.list_notes(access_token, &job.opportunity_id).await?;
    Ok(notes
        .into_iter()
        .find(|note| note.body().contains(&marker))
        .map(|note| note.id))
}
