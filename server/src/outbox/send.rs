//! Sending one outbox row to Lever. A note carries the row's marker, and a note that was
//! tried before is first looked up by that marker, so a lost response never becomes a
//! second note. Stage moves and archives are idempotent in Lever: repeating one is harmless.

use app::ssr::outbox::LeverWrite;
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
    pub attempts: i64,
}

/// Formats the line appended to a note so a retry can find it.
pub fn marker_line(marker: &str) -> String {
    format!("Tryout reference: {marker}")
}

/// Sends the write and returns Lever's id for what it created (the note id), if any.
// NOTE: writes go without `perform_as`, so Lever shows these notes with no author. Sending
// the connecting Super Admin's Lever user id would need the cached users matched by email.
pub async fn send(
    client: &LeverClient,
    access_token: &str,
    job: &OutboxJob,
    write: &LeverWrite,
) -> Result<Option<String>, LeverError> {
    match write {
        LeverWrite::Note { value, score } => {
            // `attempts` already counts this try; more than one means an earlier try may
            // have reached Lever without us hearing back.
            if job.attempts > 1 {
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
            let created = client
                .create_note(access_token, &job.opportunity_id, &note, None)
                .await?;
            Ok(Some(created.note_id))
        }
        LeverWrite::Stage { stage_id } => {
            client
                .change_stage(access_token, &job.opportunity_id, stage_id, None)
                .await?;
            Ok(None)
        }
        LeverWrite::Archive { reason_id } => {
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
