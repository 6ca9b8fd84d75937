//! Data for the Integration page and the disconnected-Lever banner: the connection, the
//! organization's writes to Lever, and their counts by status.

use serde::{Deserialize, Serialize};

use super::staff::ConnectionStatus;

/// Status of one write to Lever, as stored in `outbox.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteStatus {
    Pending,
    /// Claimed by a worker that is sending it now.
    Sending,
    Sent,
    /// Lever rejected it in a way that retrying cannot fix, so it waits for an Admin.
    Failed,
    /// An Admin decided it will never be sent. The row is kept.
    Discarded,
}

impl WriteStatus {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "pending" => Some(Self::Pending),
            "sending" => Some(Self::Sending),
            "sent" => Some(Self::Sent),
            "failed" => Some(Self::Failed),
            "discarded" => Some(Self::Discarded),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Sending => "Sending",
            Self::Sent => "Sent",
            Self::Failed => "Failed",
            Self::Discarded => "Discarded",
        }
    }
}

/// The change a write makes in Lever, as stored in `outbox.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteKind {
    Note,
    Stage,
    Archive,
}

impl WriteKind {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "note" => Some(Self::Note),
            "stage" => Some(Self::Stage),
            "archive" => Some(Self::Archive),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Note => "Note",
            Self::Stage => "Stage move",
            Self::Archive => "Archive",
        }
    }
}

/// The status filter of the Integration page. `Pending` includes writes being sent now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteFilter {
    #[default]
    All,
    Pending,
    Failed,
    Sent,
    Discarded,
}

impl WriteFilter {
    /// Every filter, in the order the page offers them.
    pub const EVERY: [Self; 5] = [
        Self::All,
        Self::Pending,
        Self::Failed,
        Self::Sent,
        Self::Discarded,
    ];

    /// Returns the filter's value in the page's query string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Pending => "pending",
            Self::Failed => "failed",
            Self::Sent => "sent",
            Self::Discarded => "discarded",
        }
    }

    /// Reads a query-string value. Anything unknown shows every write.
    pub fn parse(value: &str) -> Self {
        Self::EVERY
            .into_iter()
            .find(|filter| filter.as_str() == value)
            .unwrap_or_default()
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::All => "All",
            Self::Pending => "Pending",
            Self::Failed => "Failed",
            Self::Sent => "Sent",
            Self::Discarded => "Discarded",
        }
    }

    /// Returns the stored statuses this filter shows, or `None` for every status.
    pub fn statuses(self) -> Option<&'static [&'static str]> {
        match self {
            Self::All => None,
            Self::Pending => Some(&["pending", "sending"]),
            Self::Failed => Some(&["failed"]),
            Self::Sent => Some(&["sent"]),
            Self::Discarded => Some(&["discarded"]),
        }
    }
}

/// One write to Lever on the Integration page. Times are formatted in UTC on the server,
/// so the server's render and the browser's agree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeverWriteRow {
    pub id: String,
    pub kind: WriteKind,
    pub status: WriteStatus,
    pub opportunity_id: String,
    /// The candidate and role of the application the write belongs to, if any.
    pub candidate_name: Option<String>,
    pub role_title: Option<String>,
    /// Tries so far.
    pub attempts: i64,
    pub created_text: String,
    /// When the worker tries it next, set only for a pending write.
    pub next_attempt_text: Option<String>,
    pub sent_text: Option<String>,
    /// Lever's reason for a failure, or the reason the last try was put back.
    pub last_error: Option<String>,
    pub discarded_by: Option<String>,
    pub discarded_text: Option<String>,
    /// Whether this write waits for a failed write of the same opportunity, created earlier.
    /// Writes of one opportunity are sent in order.
    pub held_by_failed: bool,
}

/// One page of writes, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WritePage {
    pub rows: Vec<LeverWriteRow>,
    /// The `before` cursor of the next (older) page, or `None` on the last page.
    pub next_before: Option<String>,
}

/// Numbers of the organization's writes by status. `pending` includes writes being sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteCounts {
    pub pending: i64,
    pub failed: i64,
    pub sent: i64,
    pub discarded: i64,
}

impl WriteCounts {
    /// Returns how many writes `filter` shows.
    pub fn of(&self, filter: WriteFilter) -> i64 {
        match filter {
            WriteFilter::All => self.pending + self.failed + self.sent + self.discarded,
            WriteFilter::Pending => self.pending,
            WriteFilter::Failed => self.failed,
            WriteFilter::Sent => self.sent,
            WriteFilter::Discarded => self.discarded,
        }
    }
}

/// The top of the Integration page: the Lever connection and the counts of writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationOverview {
    pub status: ConnectionStatus,
    /// Name of the person who connected Lever last.
    pub connected_by: Option<String>,
    pub connected_text: Option<String>,
    /// When the connection was revoked, set only while it is revoked.
    pub revoked_text: Option<String>,
    /// Reason the connection was revoked, or the last problem with a live one.
    pub last_error: Option<String>,
    pub counts: WriteCounts,
    /// Whether the signed-in person may disconnect and reconnect Lever.
    pub can_manage_connection: bool,
    /// Names of the organization's active Super Admins, who can reconnect Lever.
    pub super_admins: Vec<String>,
}

/// The state of a disconnected Lever that the banner on every staff page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeverBanner {
    /// Whether the connection is revoked (disconnected in Tryout or revoked in Lever).
    pub disconnected: bool,
    /// Names of the organization's active Super Admins, who can reconnect Lever.
    pub super_admins: Vec<String>,
    /// Writes kept for Lever until it is reconnected.
    pub waiting_writes: i64,
    /// Whether the signed-in person may reconnect Lever.
    pub can_reconnect: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_round_trips_through_query_value() {
        for filter in WriteFilter::EVERY {
            assert_eq!(WriteFilter::parse(filter.as_str()), filter);
        }
        assert_eq!(WriteFilter::parse("bogus"), WriteFilter::All);
    }

    #[test]
    fn pending_filter_includes_sending() {
        assert_eq!(
            WriteFilter::Pending.statuses(),
            Some(&["pending", "sending"][..])
        );
        assert_eq!(WriteFilter::All.statuses(), None);
    }

    #[test]
    fn counts_add_up_for_all() {
        let counts = WriteCounts {
            pending: 1,
            failed: 2,
            sent: 3,
            discarded: 4,
        };
        assert_eq!(counts.of(WriteFilter::All), 10);
        assert_eq!(counts.of(WriteFilter::Failed), 2);
    }
}
