//! A webhook receiver on 127.0.0.1 for the delivery tests: it checks each
//! delivery's signature with `lever::webhook::verify`, can fail or stall
//! the next requests on demand, and hands every request it got to the
//! test.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use lever::WebhookDelivery;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Maximum wait for one delivery before a test fails.
const WAIT: Duration = Duration::from_secs(15);

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub user_agent: Option<String>,
    pub content_type: Option<String>,
    pub delivery: WebhookDelivery,
    /// Whether the signature matched one of the trusted signature tokens.
    pub verified: bool,
    /// Status of the receiver's response.
    pub status: u16,
}

#[derive(Clone, Default)]
struct Shared {
    /// Signature tokens of the webhooks the test created.
    trusted: Arc<Mutex<Vec<String>>>,
    /// Requests that will still get 500.
    fail_next: Arc<AtomicU32>,
    /// Requests that will still get their response only after
    /// [`Receiver::stall_next`]'s delay.
    stall_next: Arc<AtomicU32>,
    stall_ms: Arc<AtomicU32>,
    sender: Option<mpsc::UnboundedSender<Received>>,
}

pub struct Receiver {
    /// URL to register as the webhook URL.
    pub url: String,
    shared: Shared,
    received: mpsc::UnboundedReceiver<Received>,
    handle: JoinHandle<()>,
}

impl Receiver {
    /// Starts a receiver on a free port of 127.0.0.1, at path `/hook`.
    pub async fn start() -> Self {
        let (sender, received) = mpsc::unbounded_channel();
        let shared = Shared {
            sender: Some(sender),
            ..Shared::default()
        };

        let listener = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .await
            .expect("receiver binds 127.0.0.1");
        let address = listener.local_addr().unwrap();
        let router = Router::new()
            .route("/hook", post(receive))
            .with_state(shared.clone());
        let handle = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });

        Self {
            url: format!("http://{address}/hook"),
            shared,
            received,
            handle,
        }
    }

    /// Accepts deliveries signed with `signature_token`.
    pub fn trust(&self, signature_token: &str) {
        self.shared
            .trusted
            .lock()
            .unwrap()
            .push(signature_token.to_string());
    }

    /// Responds to the next `count` requests with 500.
    pub fn fail_next(&self, count: u32) {
        self.shared.fail_next.store(count, Ordering::SeqCst);
    }

    /// Responds to the next `count` requests only after `delay`.
    pub fn stall_next(&self, count: u32, delay: Duration) {
        self.shared
            .stall_ms
            .store(delay.as_millis() as u32, Ordering::SeqCst);
        self.shared.stall_next.store(count, Ordering::SeqCst);
    }

    /// Waits for the next request; fails the test after 15 seconds.
    pub async fn next(&mut self) -> Received {
        tokio::time::timeout(WAIT, self.received.recv())
            .await
            .expect("a webhook delivery arrives within 15 seconds")
            .expect("the receiver is running")
    }

    /// Returns a request that already arrived, if any.
    pub fn try_next(&mut self) -> Option<Received> {
        self.received.try_recv().ok()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

async fn receive(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let header_text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string)
    };

    let delivery: WebhookDelivery =
        serde_json::from_slice(&body).expect("the delivery body parses as WebhookDelivery");
    let verified = delivery.signature.as_deref().is_some_and(|signature| {
        shared.trusted.lock().unwrap().iter().any(|token| {
            lever::webhook::verify(token, &delivery.token, delivery.triggered_at, signature)
        })
    });

    let stalled = take_one(&shared.stall_next);
    if stalled {
        let delay = shared.stall_ms.load(Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(delay.into())).await;
    }

    let status = if take_one(&shared.fail_next) {
        StatusCode::INTERNAL_SERVER_ERROR
    } else if verified {
        StatusCode::OK
    } else {
        StatusCode::UNAUTHORIZED
    };

    if let Some(sender) = &shared.sender {
        let _ = sender.send(Received {
            user_agent: header_text(header::USER_AGENT),
            content_type: header_text(header::CONTENT_TYPE),
            delivery,
            verified,
            status: status.as_u16(),
        });
    }

    status
}

/// Takes one from `counter` if it is above zero.
fn take_one(counter: &AtomicU32) -> bool {
    counter
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |count| {
            count.checked_sub(1)
        })
        .is_ok()
}
