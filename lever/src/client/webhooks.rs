//! Webhooks managed through the Data API: create, list and delete (Lever
//! Data API docs, section "Webhooks via the API").
//!
//! A created webhook delivers nothing until a Super Admin switches its
//! event group on in Lever's settings (Settings > Integrations and API >
//! Webhooks), so creating one is not enough to receive events.

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::transport::{redact_quoted, segment, ApiRequest};
use super::LeverClient;
use crate::error::LeverError;
use crate::types::{CreatedWebhook, Webhook};

/// A created webhook as Lever returns it, before the token is checked.
#[derive(Deserialize)]
struct RawCreatedWebhook {
    id: String,
    url: String,
    event: String,
    #[serde(default)]
    configuration: Option<RawConfiguration>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawConfiguration {
    #[serde(default)]
    signature_token: Option<String>,
}

impl LeverClient {
    /// Creates a webhook that posts `event` to `url` (`POST /webhooks`) and
    /// returns it with its signature token, which Lever returns only here.
    ///
    /// Fails with [`LeverError::Decode`] when the response carries no
    /// signature token. The webhook then exists in Lever without a known
    /// key; the error names its id so the caller can delete it.
    pub async fn create_webhook(
        &self,
        access_token: &str,
        url: &str,
        event: &str,
    ) -> Result<CreatedWebhook, LeverError> {
        let request = ApiRequest::new(Method::POST, "/webhooks", "/webhooks".to_string())
            .json(json!({ "url": url, "event": event }));

        let template = request.template;
        let body = self.send(access_token, request).await?;

        decode_created_webhook(template, &body)
    }

    /// Lists every webhook of the account (`GET /webhooks`), without their
    /// signature tokens.
    pub async fn list_webhooks(&self, access_token: &str) -> Result<Vec<Webhook>, LeverError> {
        self.fetch_all(access_token, || {
            ApiRequest::new(Method::GET, "/webhooks", "/webhooks".to_string())
        })
        .await
    }

    /// Deletes a webhook (`DELETE /webhooks/:id`). A 404 also counts as
    /// success, because the webhook is gone either way, so a retried delete
    /// succeeds.
    pub async fn delete_webhook(
        &self,
        access_token: &str,
        webhook_id: &str,
    ) -> Result<(), LeverError> {
        let path = format!("/webhooks/{}", segment(webhook_id));
        let request = ApiRequest::new(Method::DELETE, "/webhooks/{id}", path);

        match self.send(access_token, request).await {
            Ok(_) | Err(LeverError::NotFound { .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }
}

/// Parses the response to `POST /webhooks`. Lever's docs show the webhook
/// wrapped twice, `{"data": {"data": {...}}}`, while public integrations
/// read `{"data": {...}}`, so up to two `data` envelopes are removed.
fn decode_created_webhook(template: &str, body: &[u8]) -> Result<CreatedWebhook, LeverError> {
    let mut value: Value = serde_json::from_slice(body).map_err(|error| {
        LeverError::Decode(format!("{template}: the body is not JSON ({error})"))
    })?;

    for _ in 0..2 {
        match value {
            Value::Object(mut object) if object.get("data").is_some_and(Value::is_object) => {
                value = object.remove("data").unwrap_or_default();
            }
            other => {
                value = other;
                break;
            }
        }
    }

    let raw: RawCreatedWebhook = serde_json::from_value(value).map_err(|error| {
        LeverError::Decode(format!("{template}: {}", redact_quoted(&error.to_string())))
    })?;

    let signature_token = raw
        .configuration
        .and_then(|configuration| configuration.signature_token)
        .filter(|token| !token.is_empty())
        .ok_or_else(|| {
            LeverError::Decode(format!(
                "{template}: webhook {} was created without a signatureToken; delete it and create it again",
                raw.id
            ))
        })?;

    Ok(CreatedWebhook {
        id: raw.id,
        url: raw.url,
        event: raw.event,
        signature_token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEBHOOK: &str = r#"{
        "id": "e2befaae-b830-4c21-a002-2d5019486d1a",
        "event": "candidateStageChange",
        "url": "https://lever.co/webhookHandler",
        "configuration": {"signatureToken": "73311ged32110cc40e00c672c2e03e1a42fa28a4fabde089"},
        "createdAt": 1407357447018,
        "updatedAt": 1407357447200
    }"#;

    fn check(created: &CreatedWebhook) {
        assert_eq!(created.id, "e2befaae-b830-4c21-a002-2d5019486d1a");
        assert_eq!(created.event, "candidateStageChange");
        assert_eq!(created.url, "https://lever.co/webhookHandler");
        assert_eq!(
            created.signature_token,
            "73311ged32110cc40e00c672c2e03e1a42fa28a4fabde089"
        );
    }

    #[test]
    fn single_envelope_parsed() {
        let body = format!(r#"{{"data": {WEBHOOK}}}"#);

        check(&decode_created_webhook("/webhooks", body.as_bytes()).unwrap());
    }

    #[test]
    fn documented_double_envelope_parsed() {
        let body = format!(r#"{{"data": {{"data": {WEBHOOK}}}}}"#);

        check(&decode_created_webhook("/webhooks", body.as_bytes()).unwrap());
    }

    #[test]
    fn bare_webhook_parsed() {
        check(&decode_created_webhook("/webhooks", WEBHOOK.as_bytes()).unwrap());
    }

    #[test]
    fn missing_token_names_webhook() {
        let body = r#"{"data": {"id": "w-1", "event": "candidateDeleted", "url": "https://x/y", "configuration": {}}}"#;

        match decode_created_webhook("/webhooks", body.as_bytes()) {
            Err(LeverError::Decode(message)) => assert!(message.contains("w-1"), "{message}"),
            other => panic!("expected Decode, got {other:?}"),
        }
    }

    #[test]
    fn debug_redacts_token() {
        let body = format!(r#"{{"data": {WEBHOOK}}}"#);
        let created = decode_created_webhook("/webhooks", body.as_bytes()).unwrap();

        let printed = format!("{created:?}");

        assert!(!printed.contains("73311ged"), "{printed}");
    }
}
