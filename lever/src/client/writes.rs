//! Write endpoints of the Data API: notes, stage changes and the archived
//! state.
//!
//! Lever has no idempotency keys, so a note retried after a lost response
//! can be created twice. The two `PUT`s set a target value and are safe to
//! repeat.

use reqwest::Method;
use serde_json::json;

use super::transport::{decode_data, segment, ApiRequest};
use super::LeverClient;
use crate::error::LeverError;
use crate::types::{CreatedNote, NewNote};

impl LeverClient {
    /// Adds a note to an opportunity (`POST /opportunities/:id/notes`).
    /// Without `perform_as` Lever records no author.
    ///
    /// Fails with [`LeverError::Config`] before sending when the score is
    /// outside Lever's 1 to 4.
    pub async fn create_note(
        &self,
        access_token: &str,
        opportunity_id: &str,
        note: &NewNote,
        perform_as: Option<&str>,
    ) -> Result<CreatedNote, LeverError> {
        if let Some(score) = note.score {
            if !(1..=4).contains(&score) {
                return Err(LeverError::Config(format!(
                    "note score {score} is outside Lever's range 1 to 4"
                )));
            }
        }

        let path = format!("/opportunities/{}/notes", segment(opportunity_id));
        let body = serde_json::to_value(note)
            .map_err(|error| LeverError::Config(format!("could not encode the note: {error}")))?;
        let request = ApiRequest::new(Method::POST, "/opportunities/{id}/notes", path)
            .perform_as(perform_as)
            .json(body);

        let template = request.template;
        let response = self.send(access_token, request).await?;

        decode_data(template, &response)
    }

    /// Moves an opportunity to a stage (`PUT /opportunities/:id/stage`).
    ///
    /// Lever does not document the response body. `{"data": ...}`, `{}` and
    /// an empty body are all accepted, and none is read.
    pub async fn change_stage(
        &self,
        access_token: &str,
        opportunity_id: &str,
        stage_id: &str,
        perform_as: Option<&str>,
    ) -> Result<(), LeverError> {
        let path = format!("/opportunities/{}/stage", segment(opportunity_id));
        let request = ApiRequest::new(Method::PUT, "/opportunities/{id}/stage", path)
            .perform_as(perform_as)
            .json(json!({ "stage": stage_id }));

        self.send(access_token, request).await?;

        Ok(())
    }

    /// Archives an opportunity with a reason, or changes the reason of an
    /// archived one (`PUT /opportunities/:id/archived`).
    pub async fn archive(
        &self,
        access_token: &str,
        opportunity_id: &str,
        reason_id: &str,
        perform_as: Option<&str>,
    ) -> Result<(), LeverError> {
        self.put_archived(
            access_token,
            opportunity_id,
            json!({ "reason": reason_id }),
            perform_as,
        )
        .await
    }

    /// Unarchives an opportunity. Lever has no separate endpoint: the same
    /// `PUT /opportunities/:id/archived` takes `{"reason": null}`.
    pub async fn unarchive(
        &self,
        access_token: &str,
        opportunity_id: &str,
        perform_as: Option<&str>,
    ) -> Result<(), LeverError> {
        self.put_archived(
            access_token,
            opportunity_id,
            json!({ "reason": null }),
            perform_as,
        )
        .await
    }

    async fn put_archived(
        &self,
        access_token: &str,
        opportunity_id: &str,
        body: serde_json::Value,
        perform_as: Option<&str>,
    ) -> Result<(), LeverError> {
        let path = format!("/opportunities/{}/archived", segment(opportunity_id));
        let request = ApiRequest::new(Method::PUT, "/opportunities/{id}/archived", path)
            .perform_as(perform_as)
            .json(body);

        // The response shape is undocumented, as for `change_stage`.
        self.send(access_token, request).await?;

        Ok(())
    }
}
