//! Notes on an opportunity: the written result and score that Tryout posts
//! (Lever Data API docs, section "Notes").

use serde::{Deserialize, Deserializer, Serialize};

use super::lenient;

/// A note thread. Each comment in the thread is one entry of `fields`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub id: String,
    /// Lever's label for the thread, e.g. `Note`.
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub fields: Vec<NoteField>,
    /// Visible only to users with sensitive-information access to the
    /// candidate's postings, and to users @-mentioned in it.
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub secret: bool,
    /// Author's user id; `None` when the note was written without
    /// `perform_as`.
    #[serde(default, deserialize_with = "lenient::id_or_object")]
    pub user: Option<String>,
    /// Milliseconds since the Unix epoch.
    #[serde(default, deserialize_with = "lenient::timestamp")]
    pub created_at: Option<i64>,
}

impl Note {
    /// Joins the values of all comments in the thread, one per line, skipping
    /// empty ones.
    pub fn body(&self) -> String {
        let values: Vec<&str> = self
            .fields
            .iter()
            .filter_map(|field| field.value.as_deref())
            .filter(|value| !value.is_empty())
            .collect();

        values.join("\n")
    }
}

/// One comment of a note thread.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteField {
    /// `note` for a comment.
    #[serde(default)]
    pub r#type: Option<String>,
    /// Lever's label for the comment, e.g. `Comment`.
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub value: Option<String>,
    /// 1 Strong No, 2 No, 3 Yes, 4 Strong Yes.
    #[serde(default, deserialize_with = "lenient::score")]
    pub score: Option<u8>,
}

/// Body of `POST /opportunities/:id/notes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewNote {
    /// Note text. `@username` mentions notify those users.
    pub value: String,
    /// 1 Strong No, 2 No, 3 Yes, 4 Strong Yes. Lever accepts only 1 to 4.
    #[serde(default)]
    pub score: Option<u8>,
    #[serde(default)]
    pub secret: bool,
    /// Whether Lever notifies the opportunity's followers.
    #[serde(default)]
    pub notify_followers: bool,
}

/// Result of creating a note.
///
/// Lever documents `{"data": {"noteId": "..."}}`, while the sandbox returns
/// the whole note with both `id` and `noteId`. Both read into this type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedNote {
    pub note_id: String,
}

impl<'de> Deserialize<'de> for CreatedNote {
    fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
    {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Either {
            #[serde(default)]
            note_id: Option<String>,
            #[serde(default)]
            id: Option<String>,
        }

        let either = Either::deserialize(deserializer)?;
        let note_id = either
            .note_id
            .or(either.id)
            .ok_or_else(|| serde::de::Error::missing_field("noteId"))?;

        Ok(CreatedNote { note_id })
    }
}
