//! The one list of messengers. Every generic place — the local server's routes, `receivers bots`
//! and `simulate`, the benches, the tests that compare the list with the schema, the template and
//! the demo secrets — reads it from here; adding a messenger is one line in [`visit_all`].

pub mod samples;

use http::Method;
use shared_core::Channel;
use shared_core::sample::{Fresh, Outgoing, SignError};
use shared_core::secret::SecretDocument;
use shared_core::setting::ConfigError;

/// Code that works on each messenger's channel type: mounting it, describing it.
pub trait Visitor {
    type Error: From<ConfigError>;

    fn visit<C: Channel + Default>(&mut self, channel: C) -> Result<(), Self::Error>;
}

/// Visits every messenger, configured from `setting` (the process environment, say).
pub fn visit_all<V: Visitor>(
    visitor: &mut V,
    setting: &dyn Fn(&str) -> Option<String>,
) -> Result<(), V::Error> {
    visitor.visit(telegram_receiver::Telegram)?;
    visitor.visit(viber_receiver::Viber)?;
    visitor.visit(facebook_receiver::Facebook)?;
    visitor.visit(slack_receiver::Slack)?;
    visitor.visit(abc_receiver::Abc::from_lookup(setting)?)?;
    visitor.visit(whatsapp_receiver::WhatsApp)?;
    Ok(())
}

/// What generic code needs of one messenger, without its types.
#[derive(Debug, Clone, Copy)]
pub struct Messenger {
    /// The channel's name: its route's first segment, the envelope's `channel`.
    pub name: &'static str,
    /// The secret fields the receiver authenticates with.
    pub secret_fields: &'static [&'static str],
    /// The headers a signed request carries.
    pub signature_headers: &'static [&'static str],
    /// The kinds asked of the platform when the webhook is registered.
    pub subscribed_kinds: &'static [&'static str],
    /// The HTTP methods its route takes.
    pub methods: &'static [Method],
    /// Paths the platform appends to the webhook.
    pub path_suffixes: &'static [&'static str],
    prepare: fn(&mut Outgoing, &SecretDocument, &mut Fresh) -> Result<(), SignError>,
}

impl Messenger {
    /// The Lambda binary that serves it.
    pub fn lambda_binary(&self) -> String {
        format!("{}-receiver", self.name)
    }

    /// Makes a sample request new and signs it with the bot's secret, as the platform would
    /// send it now.
    pub fn prepare(
        &self,
        request: &mut Outgoing,
        secret: &SecretDocument,
        fresh: &mut Fresh,
    ) -> Result<(), SignError> {
        (self.prepare)(request, secret, fresh)
    }
}

fn prepare<C: Channel + Default>(
    request: &mut Outgoing,
    document: &SecretDocument,
    fresh: &mut Fresh,
) -> Result<(), SignError> {
    let secret: C::Secret = document.fields().map_err(SignError::Secret)?;
    let channel = C::default();
    channel.freshen(request, &secret, fresh)?;
    channel.sign(request, &secret, fresh.now())
}

struct Describe(Vec<Messenger>);

impl Visitor for Describe {
    type Error = ConfigError;

    fn visit<C: Channel + Default>(&mut self, channel: C) -> Result<(), ConfigError> {
        self.0.push(Messenger {
            name: C::NAME,
            secret_fields: C::SECRET_FIELDS,
            signature_headers: C::SIGNATURE_HEADERS,
            subscribed_kinds: C::SUBSCRIBED_KINDS,
            methods: channel.methods(),
            path_suffixes: channel.path_suffixes(),
            prepare: prepare::<C>,
        });
        Ok(())
    }
}

/// Every messenger, in order.
pub fn all() -> Vec<Messenger> {
    let mut describe = Describe(Vec::new());
    // With no settings no channel's configuration can be wrong.
    let _ = visit_all(&mut describe, &|_| None);
    describe.0
}

/// The messenger of that name.
pub fn find(name: &str) -> Option<Messenger> {
    all().into_iter().find(|messenger| messenger.name == name)
}

#[cfg(test)]
mod tests;
