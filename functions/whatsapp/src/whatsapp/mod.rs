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
use shared_core::channel::{Channel, Outcome, Rejection, Reply, Request, Verified, parse_json};
use shared_core::meta;
use shared_core::sample::{ALPHANUMERIC, Fresh, Outgoing, SignError, quoted, rewrite_field};
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
    const SIGNATURE_HEADERS: &'static [&'static str] = &[SIGNATURE_HEADER];
    /// The webhook field to subscribe in the app dashboard: messages and their statuses.
    const SUBSCRIBED_KINDS: &'static [&'static str] = &["messages"];
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

    fn sign(
        &self,
        request: &mut Outgoing,
        secret: &Secret,
        _now: SystemTime,
    ) -> Result<(), SignError> {
        meta::sign_request(request, &secret.app_secret, &secret.verify_token)
    }

    fn freshen(
        &self,
        request: &mut Outgoing,
        _secret: &Secret,
        fresh: &mut Fresh,
    ) -> Result<(), SignError> {
        if request.method == Method::GET {
            meta::freshen_handshake(request, fresh);
            return Ok(());
        }
        // Message ids (`wamid.…`) are new; a status names the bot's own message, new too.
        let body = rewrite_field(request.body_text()?, "id", |old| {
            old.starts_with("\"wamid.")
                .then(|| quoted(&format!("wamid.{}", fresh.token(48, ALPHANUMERIC))))
        });
        let seconds = fresh.seconds().to_string();
        let body = rewrite_field(&body, "timestamp", |_| Some(quoted(&seconds)));
        request.body = body.into_bytes();
        Ok(())
    }

    fn receive(
        &self,
        request: &Verified<'_>,
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
