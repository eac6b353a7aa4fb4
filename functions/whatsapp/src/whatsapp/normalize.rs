//! One `changes[]` item → its events: every `messages[]` and `statuses[]` item of a `messages`
//! change in order, or one `other` event for the whole change.

use serde_json::value::RawValue;
use serde_json::{Map, Value};
use shared_core::channel::{Event, UNKNOWN_CHAT};
use shared_core::envelope::{EventKind, Message, MessageType, User};

use super::content;
use super::payload::{self, ChangeValue, Contact, Status, seconds};

/// The `object` of a WhatsApp Business Account notification.
pub const OBJECT: &str = "whatsapp_business_account";

/// The change field that carries messages and statuses.
const MESSAGES_FIELD: &str = "messages";

/// Where a change came from: its entry and the request around it.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// The entry's id: the WhatsApp Business Account.
    pub waba_id: Option<&'a str>,
    /// The request's `object`.
    pub object: Option<&'a str>,
}

impl Origin<'_> {
    fn context(&self) -> Map<String, Value> {
        let mut context = Map::new();
        if let Some(waba_id) = self.waba_id {
            context.insert("waba_id".to_owned(), Value::from(waba_id));
        }
        // Any other object than a WhatsApp Business Account says so.
        if let Some(object) = self.object.filter(|object| *object != OBJECT) {
            context.insert("object".to_owned(), Value::from(object));
        }
        context
    }

    /// The chat of an event about the account rather than a customer.
    fn account_chat(&self) -> &str {
        self.waba_id
            .filter(|id| !id.is_empty())
            .unwrap_or(UNKNOWN_CHAT)
    }
}

/// The part of a change shared by its messages and statuses: the phone number and the contacts.
struct Scope<'a> {
    origin: &'a Origin<'a>,
    contacts: &'a [Contact],
    context: Map<String, Value>,
}

/// Normalizes one `changes[]` item into its events, in order.
pub fn change(raw: &RawValue, origin: &Origin<'_>) -> Vec<Event> {
    let Ok(change) = serde_json::from_str::<payload::Change>(raw.get()) else {
        return vec![other_change(raw, origin, "unknown", None)];
    };
    let field = change.field.unwrap_or_else(|| "unknown".to_owned());
    if field != MESSAGES_FIELD {
        return vec![other_change(raw, origin, &field, None)];
    }
    let value = match change.value.map(|value| serde_json::from_str(value.get())) {
        Some(Ok(value)) => value,
        None => ChangeValue::default(),
        Some(Err(_)) => return vec![other_change(raw, origin, &field, None)],
    };
    if value.messages.is_empty() && value.statuses.is_empty() {
        let errors = (!value.errors.is_empty()).then(|| content::errors(&value.errors));
        return vec![other_change(raw, origin, &field, errors)];
    }
    // Errors beside messages or statuses are about the account, not one item: their own event
    // (with the whole change as `raw`), so nothing the platform sent is dropped.
    let account_errors = (!value.errors.is_empty()).then(|| {
        let errors = content::errors(&value.errors);
        other_change(raw, origin, &field, Some(errors))
    });
    let mut context = origin.context();
    if let Some(metadata) = &value.metadata {
        for (key, given) in [
            ("phone_number_id", &metadata.phone_number_id),
            ("display_phone_number", &metadata.display_phone_number),
        ] {
            if let Some(given) = given {
                context.insert(key.to_owned(), Value::from(given.as_str()));
            }
        }
    }
    let scope = Scope {
        origin,
        contacts: &value.contacts,
        context,
    };
    let messages = value.messages.into_iter().map(|raw| message(raw, &scope));
    let statuses = value.statuses.into_iter().map(|raw| status(raw, &scope));
    messages.chain(statuses).chain(account_errors).collect()
}

/// One `messages[]` item: what a customer sent or did.
fn message(raw: Box<RawValue>, scope: &Scope<'_>) -> Event {
    let Some(item) = payload::Message::read(raw.get()) else {
        return unparsed(raw, scope, "message");
    };
    let person = [&item.from, &item.from_user_id, &item.user_id]
        .into_iter()
        .find_map(|id| id.as_deref().filter(|id| !id.is_empty()));
    let id = match item.id.as_deref().filter(|id| !id.is_empty()) {
        Some(id) => id.to_owned(),
        None => stand_in_id(
            item.kind.as_deref().unwrap_or("message"),
            &scope.context,
            &raw,
        ),
    };
    let chat_id = person.unwrap_or(UNKNOWN_CHAT).to_owned();
    let user = person.map(|person| user(person, &[&item.from_user_id, &item.user_id], scope));
    let timestamp = when(item.timestamp.as_deref());
    let normalized = content::message(item);
    let mut event = Event::new(normalized.kind, chat_id, id, raw);
    event.message = normalized.message;
    event.user = user;
    event.timestamp = timestamp;
    event.referral = normalized.referral;
    event.context = scope.context.clone();
    event
}

/// One `statuses[]` item: what became of a message the business sent.
fn status(raw: Box<RawValue>, scope: &Scope<'_>) -> Event {
    let Ok(item) = serde_json::from_str::<Status>(raw.get()) else {
        return unparsed(raw, scope, "status");
    };
    let name = item.status.as_deref().unwrap_or("status");
    let kind = match name {
        "delivered" => EventKind::Delivered,
        "read" => EventKind::Seen,
        "failed" => EventKind::Failed,
        _ => EventKind::Other,
    };
    // A status carries the id of the business's own message: the status tells them apart.
    let id = match item.id.as_deref().filter(|id| !id.is_empty()) {
        Some(id) => format!("{name}:{id}"),
        None => stand_in_id(name, &scope.context, &raw),
    };
    let person = [&item.recipient_id, &item.recipient_user_id]
        .into_iter()
        .find_map(|id| id.as_deref().filter(|id| !id.is_empty()));
    let mut data = Map::new();
    data.insert("status".to_owned(), Value::from(name));
    if !item.errors.is_empty() {
        data.insert("errors".to_owned(), content::errors(&item.errors));
    }
    let mut event = Event::new(kind, person.unwrap_or(UNKNOWN_CHAT), id, raw);
    event.message = Message {
        id: item.id.clone(),
        data: Some(Value::Object(data)),
        ..Message::of(MessageType::None)
    };
    event.user = person.map(|person| user(person, &[&item.recipient_user_id], scope));
    event.timestamp = when(item.timestamp.as_deref());
    event.context = scope.context.clone();
    event
}

/// The customer, named from the `contacts[]` entry with the same `wa_id` or `user_id`.
fn user(person: &str, other_ids: &[&Option<String>], scope: &Scope<'_>) -> User {
    let ids: Vec<&str> = std::iter::once(person)
        .chain(other_ids.iter().filter_map(|id| id.as_deref()))
        .collect();
    let matches = |id: &Option<String>| id.as_deref().is_some_and(|id| ids.contains(&id));
    let profile = scope
        .contacts
        .iter()
        .find(|contact| matches(&contact.wa_id) || matches(&contact.user_id))
        .and_then(|contact| contact.profile.as_ref());
    User {
        name: profile.and_then(|profile| profile.name.clone()),
        username: profile.and_then(|profile| profile.username.clone()),
        ..User::id(person)
    }
}

/// An item that is not a JSON object of the documented shape: `other`, kept whole.
fn unparsed(raw: Box<RawValue>, scope: &Scope<'_>, name: &str) -> Event {
    let id = stand_in_id(name, &scope.context, &raw);
    let mut event = Event::new(EventKind::Other, scope.origin.account_chat(), id, raw);
    event.context = scope.context.clone();
    event
}

/// A change other than messages and statuses (templates, account, quality, ...), or one with
/// neither: `other`, for the account, with the whole change as `raw`.
fn other_change(raw: &RawValue, origin: &Origin<'_>, field: &str, errors: Option<Value>) -> Event {
    let id = stand_in_id(field, &origin.context(), raw);
    let mut data = Map::new();
    data.insert("field".to_owned(), Value::from(field));
    if let Some(errors) = errors {
        data.insert("errors".to_owned(), errors);
    }
    let mut event = Event::new(EventKind::Other, origin.account_chat(), id, raw.to_owned());
    event.message = Message {
        data: Some(Value::Object(data)),
        ..Message::of(MessageType::None)
    };
    event.context = origin.context();
    event
}

/// `{name}:{hash}` for what has no id of its own: the hash of the item and of where it was sent
/// (account and phone number, from the event's `context`), so Meta's retries of it share the id
/// and the same item sent for another number does not.
fn stand_in_id(name: &str, context: &Map<String, Value>, raw: &RawValue) -> String {
    let mut hashed = String::new();
    for key in ["waba_id", "phone_number_id"] {
        hashed.push_str(context.get(key).and_then(Value::as_str).unwrap_or(""));
        hashed.push('\n');
    }
    hashed.push_str(raw.get());
    let mut digest = shared_core::verify::sha256_hex(hashed.as_bytes());
    digest.truncate(32);
    format!("{name}:{digest}")
}

/// Unix seconds as text → RFC 3339.
fn when(timestamp: Option<&str>) -> Option<String> {
    seconds(timestamp).and_then(shared_core::time::from_unix_seconds)
}
