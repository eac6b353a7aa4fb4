//! What a messenger module implements: authenticate, answer handshakes, normalize events.
//!
//! A channel is pure: it sees the request and the bot's secret, and returns either a handshake
//! reply or the normalized events. The pipeline (`crate::pipeline`) does all I/O around it.

pub mod tagged;

use std::time::SystemTime;

use http::{HeaderMap, Method};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::envelope::{Envelope, EventKind, Message, User, VERSION};
use crate::sample::{Fresh, Outgoing, SignError};

/// A messenger's webhook logic.
pub trait Channel: Send + Sync + 'static {
    /// The channel's name: the first segment of its route, the envelope's `channel`.
    const NAME: &'static str;

    /// The fields of the bot's secret the receiver authenticates with (DESIGN.md §3). The
    /// pipeline refuses a secret where any of them is missing, empty or blank (503) before it
    /// reads [`Channel::Secret`], so no channel ever checks a request against an empty key.
    const SECRET_FIELDS: &'static [&'static str];

    /// The bot's secret, deserialized from the secret's JSON document.
    type Secret: DeserializeOwned + Send + Sync;

    /// The HTTP methods the route takes; others are answered 405.
    fn methods(&self) -> &'static [Method] {
        &[Method::POST]
    }

    /// Paths the platform appends to the registered webhook (Apple adds `/message`); each is
    /// routed to this channel as well as `/{channel}/{bot}` itself.
    fn path_suffixes(&self) -> &'static [&'static str] {
        &[]
    }

    /// Turns the transfer encoding of the body into the bytes the platform meant (Apple gzips);
    /// `None` keeps the body as it is. `limit` bounds the decoded size.
    fn decode_body(
        &self,
        _request: &Request<'_>,
        _limit: usize,
    ) -> Result<Option<Vec<u8>>, Rejection> {
        Ok(None)
    }

    /// Checks the request's credentials (signature, token, JWT, handshake token) against the
    /// bot's secret: `Unauthenticated`, `Forbidden` or `NotThisBot` when they do not hold.
    /// Looks at headers and the raw body only; must not panic on any input.
    fn authenticate(
        &self,
        request: &Request<'_>,
        secret: &Self::Secret,
        now: SystemTime,
    ) -> Result<(), Rejection>;

    /// For an authenticated request (only [`verify`] makes the proof): answers the handshake,
    /// or normalizes every event in the body (`Malformed` when it is not what the platform
    /// sends). Must not panic on any input.
    fn receive(
        &self,
        request: &Verified<'_>,
        secret: &Self::Secret,
        now: SystemTime,
    ) -> Result<Outcome, Rejection>;

    /// The event kinds the receiver asks the platform for when its webhook is registered
    /// (Telegram's `allowed_updates`, Viber's `event_types`, Meta's subscribed fields); empty
    /// where the platform's console chooses.
    const SUBSCRIBED_KINDS: &'static [&'static str] = &[];

    /// The headers the platform authenticates its requests with: what [`Channel::sign`] sets.
    const SIGNATURE_HEADERS: &'static [&'static str];

    /// The inverse of [`Channel::authenticate`]: signs `request` as the platform does for the
    /// bot with this secret, as of `now` (a handshake GET gets the bot's verify token).
    fn sign(
        &self,
        request: &mut Outgoing,
        secret: &Self::Secret,
        now: SystemTime,
    ) -> Result<(), SignError>;

    /// Makes a sample request new, before it is signed: new event ids (so a receiver does not
    /// take it for a retry) and current times, the rest of the body kept byte for byte.
    fn freshen(
        &self,
        _request: &mut Outgoing,
        _secret: &Self::Secret,
        _fresh: &mut Fresh,
    ) -> Result<(), SignError> {
        Ok(())
    }

    /// The body of the 200 answer once the events are queued.
    fn accepted(&self) -> Reply {
        Reply::text("ok")
    }
}

/// The parts of an HTTP request that a channel looks at, whatever server received it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub method: &'a Method,
    pub headers: &'a HeaderMap,
    /// The raw query string, without `?`.
    pub query: Option<&'a str>,
    /// The path after `/{channel}/{bot}` (Apple appends `/message`), empty when none.
    pub path_suffix: &'a str,
    pub body: &'a [u8],
}

impl Request<'_> {
    /// A header's value as text; `None` when missing or not visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The query parameter `name`, percent-decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        let query = self.query?;
        serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .ok()?
            .into_iter()
            .find_map(|(key, value)| (key == name).then_some(value))
    }
}

/// A request whose credentials the channel has checked. Only [`verify`] makes one, so a
/// channel's `receive` can only ever see an authenticated request: outside this module there
/// is no other way to build one.
///
/// ```compile_fail
/// # use shared_core::channel::{Request, Verified};
/// fn forge<'r>(request: Request<'r>) -> Verified<'r> {
///     Verified { request }
/// }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Verified<'r> {
    request: Request<'r>,
}

impl<'r> std::ops::Deref for Verified<'r> {
    type Target = Request<'r>;

    fn deref(&self) -> &Request<'r> {
        &self.request
    }
}

/// Authenticates `request` against the bot's secret: the proof [`Channel::receive`] requires.
pub fn verify<'r, C: Channel>(
    channel: &C,
    request: Request<'r>,
    secret: &C::Secret,
    now: SystemTime,
) -> Result<Verified<'r>, Rejection> {
    channel.authenticate(&request, secret, now)?;
    Ok(Verified { request })
}

/// What a channel makes of an authenticated request.
#[derive(Debug)]
pub enum Outcome {
    /// A platform handshake: answered 200 with this body, nothing enqueued.
    Handshake(Reply),
    /// The events to enqueue, in order, and how many of the bot's own echoes were left out.
    Events { events: Vec<Event>, echoes: usize },
}

impl Outcome {
    /// Events and no echoes.
    pub fn events(events: Vec<Event>) -> Self {
        Self::Events { events, echoes: 0 }
    }
}

/// A 200 answer's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub content_type: &'static str,
    pub body: String,
}

impl Reply {
    pub fn text(body: impl Into<String>) -> Self {
        Self {
            content_type: "text/plain; charset=utf-8",
            body: body.into(),
        }
    }

    pub fn json(body: &Value) -> Self {
        Self {
            content_type: "application/json",
            body: body.to_string(),
        }
    }
}

/// The `chat_id` of an event that names no chat, user or conversation at all (the pipeline
/// also puts it in place of an empty one).
pub const UNKNOWN_CHAT: &str = "unknown";

/// One normalized event, before the pipeline stamps channel, bot and receipt time on it.
#[derive(Debug, Clone)]
pub struct Event {
    pub chat_id: String,
    pub kind: EventKind,
    pub message: Message,
    pub user: Option<User>,
    /// The platform's id for the event, unique per bot; `event_id` is `{channel}:{bot}:{id}`.
    pub id: String,
    /// RFC 3339, when the platform says when.
    pub timestamp: Option<String>,
    pub referral: Option<String>,
    pub context: Map<String, Value>,
    pub raw: Box<RawValue>,
}

impl Event {
    /// An event with no message, user, time, referral or context yet.
    pub fn new(
        kind: EventKind,
        chat_id: impl Into<String>,
        id: impl Into<String>,
        raw: Box<RawValue>,
    ) -> Self {
        Self {
            chat_id: chat_id.into(),
            kind,
            message: Message::default(),
            user: None,
            id: id.into(),
            timestamp: None,
            referral: None,
            context: Map::new(),
            raw,
        }
    }
}

/// Why a request is refused: each maps to one status (DESIGN.md §6).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// The body is not what the platform sends: 400.
    #[error("malformed request: {0}")]
    Malformed(String),
    /// Missing or wrong signature, secret token or JWT, or a stale timestamp: 401.
    #[error("not authenticated: {0}")]
    Unauthenticated(&'static str),
    /// A handshake with the wrong verify token: 403.
    #[error("handshake refused: {0}")]
    Forbidden(&'static str),
    /// Addressed to another business or page than the bot's: 404.
    #[error("not this bot's: {0}")]
    NotThisBot(&'static str),
    /// The body (or its decompressed form) is over the limit: 413.
    #[error("body over the limit")]
    TooLarge,
}

impl Rejection {
    /// A 400 with what was wrong.
    pub fn malformed(detail: impl std::fmt::Display) -> Self {
        Self::Malformed(detail.to_string())
    }

    /// Whether a fresher secret could turn this into a success (the secret may have rotated).
    pub fn is_credential_failure(&self) -> bool {
        matches!(self, Self::Unauthenticated(_) | Self::Forbidden(_))
    }
}

/// Parses a JSON body, answering 400 with serde's reason when it is not. A UTF-8 body is
/// checked as such once and parsed as text (faster than checking each string of it).
pub fn parse_json<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, Rejection> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    }
    .map_err(|err| Rejection::malformed(format_args!("body is not the expected JSON: {err}")))
}

/// Keeps a JSON fragment as raw text (for `raw`); the input is known to be JSON.
pub fn raw_json(value: &Value) -> Box<RawValue> {
    RawValue::from_string(value.to_string()).unwrap_or_else(|_| null_raw())
}

/// The JSON `null`, as a raw value.
pub fn null_raw() -> Box<RawValue> {
    RawValue::from_string("null".to_owned()).unwrap_or_else(|_| unreachable!("null is JSON"))
}

/// Stamps channel, bot and receipt time on a normalized event.
pub fn envelope_from(channel: &str, bot: &str, received_at: &str, event: Event) -> Envelope {
    Envelope {
        version: VERSION,
        channel: channel.to_owned(),
        bot: bot.to_owned(),
        event_id: format!("{channel}:{bot}:{}", event.id),
        // The id to answer to is never empty; a platform event that names none gets this.
        chat_id: if event.chat_id.is_empty() {
            UNKNOWN_CHAT.to_owned()
        } else {
            event.chat_id
        },
        event: event.kind,
        message: event.message,
        user: event.user,
        timestamp: event.timestamp,
        received_at: received_at.to_owned(),
        referral: event.referral,
        context: event.context,
        raw: crate::envelope::raw_on_one_line(event.raw),
    }
}
