//! The Events API: the URL handshake, `event_callback` (messages, mentions, reactions,
//! membership, App Home, uninstalls, tokens) and app-level notices, one event each.
//! Messages themselves are normalized in `super::message`.

use serde_json::value::RawValue;
use serde_json::{Map, Value};
use shared_core::Rejection;
use shared_core::channel::{Event, Outcome, Reply, parse_json};
use shared_core::envelope::{EventKind, Message, User};
use shared_core::time::from_unix_seconds;

use super::inner::InnerEvent;
use super::message::{is_echo, message};
use super::payload::{
    AppHomeEvent, EventWrapper, MemberEvent, ReactionEvent, Whereabouts, WrapperKind,
};
use super::{Delivery, Secret, first_id, ts_time};

/// Answers the handshake, or normalizes the one event of an Events API body.
pub(super) fn receive(
    body: &[u8],
    secret: &Secret,
    delivery: &Delivery<'_>,
) -> Result<Outcome, Rejection> {
    let mut wrapper: EventWrapper = parse_json(body)?;
    match wrapper.kind {
        WrapperKind::UrlVerification => {
            let challenge = wrapper
                .challenge
                .ok_or_else(|| Rejection::malformed("url_verification without a challenge"))?;
            Ok(Outcome::Handshake(Reply::text(challenge)))
        }
        WrapperKind::EventCallback => {
            let raw = wrapper
                .event
                .take()
                .ok_or_else(|| Rejection::malformed("event_callback without an event"))?;
            let inner = InnerEvent::parse(raw.get()).map_err(|err| {
                Rejection::malformed(format_args!(
                    "the inner event is not what Slack sends: {err}"
                ))
            })?;
            if let InnerEvent::Message(message) | InnerEvent::AppMention(message) = &inner
                && is_echo(
                    message,
                    wrapper.api_app_id.as_deref(),
                    secret.bot_id.as_deref(),
                )
            {
                return Ok(Outcome::Events {
                    events: Vec::new(),
                    echoes: 1,
                });
            }
            let draft = draft(inner, &raw);
            finish(&wrapper, draft, raw, wrapper.event_time, delivery)
        }
        // App-level notices have no inner event: the whole body is the event.
        WrapperKind::AppRateLimited | WrapperKind::Unknown => {
            let raw: Box<RawValue> = parse_json(body)?;
            let seconds = wrapper.minute_rate_limited.or(wrapper.event_time);
            finish(
                &wrapper,
                Draft::new(EventKind::Other),
                raw,
                seconds,
                delivery,
            )
        }
    }
}

/// What an event says, before the wrapper's id, time and context are added.
pub(super) struct Draft {
    pub kind: EventKind,
    pub chat_id: Option<String>,
    pub message: Message,
    pub user: Option<User>,
    /// The event's own `ts`, for when the wrapper has no `event_time`.
    pub ts: Option<String>,
}

impl Draft {
    pub fn new(kind: EventKind) -> Self {
        Self {
            kind,
            chat_id: None,
            message: Message::default(),
            user: None,
            ts: None,
        }
    }
}

fn finish(
    wrapper: &EventWrapper,
    draft: Draft,
    raw: Box<RawValue>,
    seconds: Option<i64>,
    delivery: &Delivery<'_>,
) -> Result<Outcome, Rejection> {
    // App-level events (uninstall, tokens, rate limits) happen to the workspace: answer the team.
    let chat_id = draft
        .chat_id
        .or_else(|| first_id([wrapper.team_id.as_deref(), wrapper.enterprise_id.as_deref()]))
        .ok_or_else(|| Rejection::malformed("no channel, user or team to answer to"))?;
    let id = first_id([wrapper.event_id.as_deref()]).unwrap_or_else(|| delivery.body_hash());
    let mut event = Event::new(draft.kind, chat_id, id, raw);
    event.message = draft.message;
    event.user = draft.user;
    event.timestamp = seconds
        .and_then(from_unix_seconds)
        .or_else(|| draft.ts.as_deref().and_then(ts_time));
    event.context = delivery.context(wrapper.team_id.as_deref(), wrapper.api_app_id.as_deref());
    Ok(Outcome::events(vec![event]))
}

fn draft(inner: InnerEvent, raw: &RawValue) -> Draft {
    match inner {
        InnerEvent::Message(event) => {
            let subtype = event.subtype;
            message(event, subtype)
        }
        InnerEvent::AppMention(event) => message(event, None),
        InnerEvent::ReactionAdded(event) => reaction(&event, "added"),
        InnerEvent::ReactionRemoved(event) => reaction(&event, "removed"),
        InnerEvent::MemberJoinedChannel(event) => member(&event, EventKind::MemberJoined),
        InnerEvent::MemberLeftChannel(event) => member(&event, EventKind::MemberLeft),
        InnerEvent::AppHomeOpened(event) => app_home(&event),
        InnerEvent::AppUninstalled => Draft::new(EventKind::Unsubscribed),
        InnerEvent::TokensRevoked => Draft::new(EventKind::Other),
        InnerEvent::Other => elsewhere(raw),
    }
}

fn reaction(event: &ReactionEvent, action: &str) -> Draft {
    let item = event.item.as_ref();
    let data = object([
        ("reaction", event.reaction.as_deref()),
        ("action", Some(action)),
        ("item_user", event.item_user.as_deref()),
    ]);
    Draft {
        chat_id: first_id([
            item.and_then(|item| item.channel.as_deref()),
            event.user.as_deref(),
        ]),
        message: Message {
            id: item.and_then(|item| item.ts.clone()),
            data,
            ..Message::default()
        },
        user: event.user.as_deref().map(User::id),
        ts: event.event_ts.clone(),
        ..Draft::new(EventKind::Reaction)
    }
}

fn member(event: &MemberEvent, kind: EventKind) -> Draft {
    Draft {
        chat_id: first_id([event.channel.as_deref(), event.user.as_deref()]),
        message: Message {
            data: object([("inviter", event.inviter.as_deref())]),
            ..Message::default()
        },
        user: event.user.as_deref().map(User::id),
        ..Draft::new(kind)
    }
}

/// A user opened the bot's App Home: the place to greet them, as a conversation start.
fn app_home(event: &AppHomeEvent) -> Draft {
    Draft {
        chat_id: first_id([event.channel.as_deref(), event.user.as_deref()]),
        message: Message {
            data: object([("tab", event.tab.as_deref())]),
            ..Message::default()
        },
        user: event.user.as_deref().map(User::id),
        ts: event.event_ts.clone(),
        ..Draft::new(EventKind::ConversationStarted)
    }
}

/// An event of a type not known here: its channel (or user) where it names one.
fn elsewhere(raw: &RawValue) -> Draft {
    let place: Whereabouts = serde_json::from_str(raw.get()).unwrap_or_default();
    let channel = [&place.channel, &place.channel_id]
        .into_iter()
        .flatten()
        .find_map(id_of);
    let user = [&place.user, &place.user_id]
        .into_iter()
        .flatten()
        .find_map(id_of);
    Draft {
        chat_id: channel.or_else(|| user.clone()),
        user: user.map(User::id),
        ..Draft::new(EventKind::Other)
    }
}

/// An id given as text, or as an object's `id`.
fn id_of(value: &Value) -> Option<String> {
    let id = match value {
        Value::String(id) => Some(id.as_str()),
        Value::Object(fields) => fields.get("id").and_then(Value::as_str),
        _ => None,
    };
    first_id([id])
}

/// A JSON object of the fields that are set; `None` when none is.
fn object<const N: usize>(fields: [(&str, Option<&str>); N]) -> Option<Value> {
    let map: Map<String, Value> = fields
        .into_iter()
        .filter_map(|(name, value)| Some((name.to_owned(), Value::from(value?))))
        .collect();
    (!map.is_empty()).then_some(Value::Object(map))
}
