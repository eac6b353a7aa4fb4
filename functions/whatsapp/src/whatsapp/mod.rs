//! WhatsApp Business Cloud API webhooks: Meta's GET handshake and `X-Hub-Signature-256`
//! (`shared_core::meta`), and every `messages[]` and `statuses[]` item of every change as its own event.

mod content;
mod normalize;
pub mod payload;

#[cfg(test)]
mod tests;

use std::time::SystemTime;

use http::Method;
use serde::Deserialize;
use shared_core::channel::{Channel, Outcome, Rejection, Reply, Request, parse_json};
use shared_core::meta;
use shared_core::secret::SecretString;

use normalize::Origin;
use payload::Notification;

pub use normalize::OBJECT;
pub use shared_core::meta::{EVENT_RECEIVED, SIGNATURE_HEADER};

/// A WhatsApp bot's secret (`receivers/whatsapp/{bot}`): one per Meta app, whatever its numbers.
#[derive(Debug, Clone, Deserialize)]
pub struct Secret {
    /// The Meta app's secret: the HMAC key of `X-Hub-Signature-256`.
    pub app_secret: SecretString,
    /// The token chosen when the webhook was registered, echoed by the GET handshake.
    pub verify_token: SecretString,
    /// For the Main process, which answers and downloads media with it; the receiver does not.
    #[serde(default)]
    pub access_token: Option<SecretString>,
}

/// The WhatsApp Business Cloud API channel (`/whatsapp/{bot}`).
#[derive(Debug, Clone, Copy, Default)]
pub struct WhatsApp;

impl Channel for WhatsApp {
    const NAME: &'static str = "whatsapp";
    const SECRET_FIELDS: &'static [&'static str] = &["app_secret", "verify_token"];
    type Secret = Secret;

    fn methods(&self) -> &'static [Method] {
        &[Method::GET, Method::POST]
    }

    fn authenticate(
        &self,
        request: &Request<'_>,
        secret: &Secret,
        _now: SystemTime,
    ) -> Result<(), Rejection> {
        meta::authenticate(request, &secret.app_secret, &secret.verify_token)
    }

    fn receive(
        &self,
        request: &Request<'_>,
        _secret: &Secret,
        _now: SystemTime,
    ) -> Result<Outcome, Rejection> {
        if meta::is_handshake(request) {
            return meta::answer_handshake(request);
        }
        let notification: Notification = parse_json(request.body)?;
        Ok(events(notification))
    }

    fn accepted(&self) -> Reply {
        Reply::text(EVENT_RECEIVED)
    }
}

/// Every event of every change of every entry, in order.
fn events(notification: Notification) -> Outcome {
    let object = notification.object.as_deref();
    let mut events = Vec::new();
    for entry in notification.entry {
        let origin = Origin {
            waba_id: entry.id.as_deref(),
            object,
        };
        for change in entry.changes {
            events.extend(normalize::change(change, &origin));
        }
    }
    Outcome::events(events)
}
