//! The inner event of an `event_callback`, by its `type`, read in one pass wherever in the
//! object the type is.

use std::fmt;

use serde::Deserialize;
use serde::de::MapAccess;
use shared_core::channel::tagged::{self, Fields, TagVisitor};

use super::payload::{AppHomeEvent, MemberEvent, MessageEvent, ReactionEvent};

/// The inner event of an `event_callback`, by its `type` (see [`InnerEvent::parse`]).
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InnerEvent {
    Message(MessageEvent),
    AppMention(MessageEvent),
    ReactionAdded(ReactionEvent),
    ReactionRemoved(ReactionEvent),
    MemberJoinedChannel(MemberEvent),
    MemberLeftChannel(MemberEvent),
    AppHomeOpened(AppHomeEvent),
    AppUninstalled,
    TokensRevoked,
    /// A type this module does not know yet.
    #[serde(other)]
    Other,
}

/// The `type` of an inner event: a string, one of the known names or any other.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum InnerKind {
    Message,
    AppMention,
    ReactionAdded,
    ReactionRemoved,
    MemberJoinedChannel,
    MemberLeftChannel,
    AppHomeOpened,
    AppUninstalled,
    TokensRevoked,
    #[serde(other)]
    Other,
}

impl InnerEvent {
    /// Reads an inner event from its JSON text. A JSON object is read in one pass, wherever its
    /// `type` is. What that pass refuses is read again as serde's internally tagged enum reads it
    /// (copied into a tree first): that takes a JSON array too (its first item the type), and
    /// words the error of a malformed event.
    pub fn parse(text: &str) -> Result<Self, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        tagged::deserialize(&mut deserializer, "type", InnerVisitor)
            .and_then(|event| deserializer.end().map(|()| event))
            .or_else(|_| serde_json::from_str(text))
    }
}

struct InnerVisitor;

impl<'de> TagVisitor<'de> for InnerVisitor {
    type Tag = InnerKind;
    type Value = InnerEvent;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Slack event")
    }

    fn visit<M: MapAccess<'de>>(
        self,
        kind: InnerKind,
        mut fields: Fields<'de, M>,
    ) -> Result<InnerEvent, M::Error> {
        Ok(match kind {
            InnerKind::Message => InnerEvent::Message(fields.deserialize()?),
            InnerKind::AppMention => InnerEvent::AppMention(fields.deserialize()?),
            InnerKind::ReactionAdded => InnerEvent::ReactionAdded(fields.deserialize()?),
            InnerKind::ReactionRemoved => InnerEvent::ReactionRemoved(fields.deserialize()?),
            InnerKind::MemberJoinedChannel => {
                InnerEvent::MemberJoinedChannel(fields.deserialize()?)
            }
            InnerKind::MemberLeftChannel => InnerEvent::MemberLeftChannel(fields.deserialize()?),
            InnerKind::AppHomeOpened => InnerEvent::AppHomeOpened(fields.deserialize()?),
            InnerKind::AppUninstalled => fields.skip().map(|()| InnerEvent::AppUninstalled)?,
            InnerKind::TokensRevoked => fields.skip().map(|()| InnerEvent::TokensRevoked)?,
            InnerKind::Other => fields.skip().map(|()| InnerEvent::Other)?,
        })
    }
}
