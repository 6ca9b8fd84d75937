//! The loop that queues reminders before candidates' deadlines. The work itself, and the
//! claim that keeps several processes from sending one reminder twice, is in
//! `app::ssr::reminders`.

use std::time::Duration;

use app::ssr::clock::now_ms;
use app::ssr::reminders::send_due_reminders;
use app::ssr::state::AppState;

/// How often the worker looks for due reminders. A reminder goes out 48 hours before a
/// deadline, so five minutes late is of no consequence.
const INTERVAL: Duration = Duration::from_secs(300);

pub struct ReminderWorker {
    state: AppState,
}

impl ReminderWorker {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }

    /// Runs until the task is aborted at shutdown.
    pub async fn run(self) {
        loop {
            match send_due_reminders(&self.state, now_ms()).await {
                Ok(0) => {}
                Ok(queued) => tracing::info!(reminders = queued, "deadline reminders queued"),
                Err(error) => {
                    tracing::warn!(%error, "queueing deadline reminders failed; retrying later")
                }
            }
            tokio::time::sleep(INTERVAL).await;
        }
    }
}
