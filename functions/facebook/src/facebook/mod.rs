//! Facebook Messenger (and Instagram messaging) webhooks: Meta's GET handshake, `X-Hub-Signature-256`,
//! and every `entry[].messaging[]` / `standby[]` item as its own event.

mod content;
pub mod item;
mod normalize;
pub mod payload;
mod verify;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::time::SystemTime;

use http::Method;
use shared_core::channel::{
    Channel, Event, Outcome, Rejection, Reply, Request, Verified, parse_json,
};
use shared_core::meta;
use shared_core::sample::{ALPHANUMERIC, Fresh, Outgoing, SignError, quoted, rewrite_field};

use normalize::{Normalized, Origin};
use payload::{Notification, millis};
pub use verify::{SIGNATURE_HEADER, Secret};

/// The answer Meta expects to a delivered batch.
pub use shared_core::meta::EVENT_RECEIVED;

/// The Facebook Messenger channel (`/facebook/{bot}`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Facebook;

impl Channel for Facebook {
    const NAME: &'static str = "facebook";
    const SECRET_FIELDS: &'static [&'static str] = &["app_secret", "verify_token"];
    const SIGNATURE_HEADERS: &'static [&'static str] = &[meta::SIGNATURE_HEADER];
    /// The page webhook fields the receiver normalizes.
    const SUBSCRIBED_KINDS: &'static [&'static str] = &[
        "messages",
        "messaging_postbacks",
        "messaging_optins",
        "messaging_referrals",
        "message_deliveries",
        "message_reads",
        "message_reactions",
        "message_edits",
        "messaging_handovers",
        "standby",
    ];
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
        verify::authenticate(request, secret)
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
        // Every distinct mid gets one new mid, so an item that names another keeps naming it.
        let mut mids: HashMap<String, String> = HashMap::new();
        let body = rewrite_field(request.body_text()?, "mid", |old| {
            let new = mids
                .entry(old.to_owned())
                .or_insert_with(|| quoted(&format!("m_sim{}", fresh.token(40, ALPHANUMERIC))));
            Some(new.clone())
        });
        let millis = fresh.millis();
        let mut offset = 0;
        let body = rewrite_field(&body, "timestamp", |_| {
            offset += 1;
            Some((millis + offset).to_string())
        });
        let body = rewrite_field(&body, "watermark", |_| Some(millis.to_string()));
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

/// Every item of every entry, in order, echoes left out and counted.
fn events(notification: Notification) -> Outcome {
    let object = notification.object.as_deref();
    let mut events = Vec::new();
    let mut echoes = 0;
    let mut ids = BatchIds::default();
    for entry in notification.entry {
        let page_id = entry.id.into_string();
        let entry_time = millis(entry.time.as_ref());
        let origin = |source| Origin {
            page_id: &page_id,
            object,
            source,
            entry_time,
        };
        let messaging = entry
            .messaging
            .into_iter()
            .map(|raw| (raw, origin("messaging")));
        let standby = entry
            .standby
            .into_iter()
            .map(|raw| (raw, origin("standby")));
        for (raw, origin) in messaging.chain(standby) {
            match normalize::item(raw, &origin) {
                Normalized::Event(event) => ids.push(&mut events, *event),
                Normalized::Echo => echoes += 1,
            }
        }
        for raw in entry.changes {
            ids.push(&mut events, normalize::change(raw, &origin("changes")));
        }
    }
    Outcome::Events { events, echoes }
}

/// Keeps two different events of one request from sharing an id: a repeated id gets a digest of
/// the item (stable across Meta's retries); an identical item keeps the id, so it deduplicates.
#[derive(Debug, Default)]
struct BatchIds {
    /// Each id given so far, and the event (its index in the batch) that last took it.
    taken: HashMap<String, usize>,
}

impl BatchIds {
    /// Appends `event` to `events`, its id made unique if another item took it.
    fn push(&mut self, events: &mut Vec<Event>, mut event: Event) {
        let raw = event.raw.get();
        match self.taken.get(&event.id).and_then(|&at| events.get(at)) {
            Some(same) if same.raw.get() == raw => {}
            Some(_) => {
                event.id = format!("{}:{}", event.id, content::digest(raw));
                self.taken.insert(event.id.clone(), events.len());
            }
            None => {
                self.taken.insert(event.id.clone(), events.len());
            }
        }
        events.push(event);
    }
}
