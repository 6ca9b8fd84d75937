//! A webhook registered through `POST /v1/webhooks`, with the signature
//! token that signs its deliveries, and its JSON as Lever renders it
//! (Lever Data API docs, section "Webhooks via the API").

use rand::RngCore;
use serde_json::{json, Map, Value};

use crate::simulator::clock::now_ms;

/// One registered webhook.
#[derive(Clone, Debug)]
pub(crate) struct SimWebhook {
    pub id: String,
    pub url: String,
    pub event: String,
    /// The `configuration` given at creation, e.g. `conditions`, without
    /// the signature token.
    pub configuration: Map<String, Value>,
    /// Key of every delivery's HMAC-SHA256 signature.
    pub signature_token: String,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    pub updated_at: i64,
}

impl SimWebhook {
    /// Registers a webhook with a new id and a new signature token.
    pub fn new(url: String, event: String, configuration: Map<String, Value>) -> Self {
        let now = now_ms();

        Self {
            id: uuid::Uuid::new_v4().to_string(),
            url,
            event,
            configuration,
            signature_token: random_hex_48(),
            created_at: now,
            updated_at: now,
        }
    }

    /// Renders the webhook as `GET /webhooks` lists it, without the
    /// signature token.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "url": self.url,
            "event": self.event,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "configuration": self.configuration,
        })
    }

    /// Renders the webhook as `POST /webhooks` returns it: with
    /// `configuration.signatureToken`.
    pub fn to_created_json(&self) -> Value {
        let mut configuration = self.configuration.clone();
        configuration.insert("signatureToken".to_string(), json!(self.signature_token));

        json!({
            "id": self.id,
            "event": self.event,
            "url": self.url,
            "configuration": configuration,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        })
    }
}

/// Generates 48 random lowercase hex characters, the length of the
/// signature tokens and delivery tokens in Lever's docs.
pub(crate) fn random_hex_48() -> String {
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);

    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_only_in_created_json() {
        let webhook = SimWebhook::new(
            "https://example.com/hook".to_string(),
            "candidateStageChange".to_string(),
            Map::new(),
        );

        let listed = webhook.to_json();
        let created = webhook.to_created_json();

        assert_eq!(listed["configuration"], json!({}));
        assert_eq!(
            created["configuration"]["signatureToken"],
            json!(webhook.signature_token)
        );
        assert_eq!(webhook.signature_token.len(), 48);
    }
}
