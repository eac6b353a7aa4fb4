//! Objects whose shape depends on one of their fields (a `type` or `event` tag), read in one
//! pass over the JSON text, wherever in the object the tag is.
//!
//! Serde's internally tagged enums first copy the whole object into a tree, then read the variant
//! from that tree. Here the fields before the tag are kept as raw JSON text (usually none: the
//! platforms put the tag first) and read once the tag is known; every field after it is read
//! straight from the text. The variant's own `Deserialize` sees every field but the tag, as
//! serde's internally tagged enums show them, and a second tag is an error, as there.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

/// An object's key, borrowed from the JSON text unless it had escapes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key<'de>(pub Cow<'de, str>);

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Hands `key` to a field identifier (a derived `Deserialize`'s field visitor, say).
fn identify<'de, K: DeserializeSeed<'de>, E: de::Error>(
    key: Key<'de>,
    seed: K,
) -> Result<K::Value, E> {
    match key.0 {
        Cow::Borrowed(key) => seed.deserialize(BorrowedStrDeserializer::new(key)),
        Cow::Owned(key) => seed.deserialize(StringDeserializer::new(key)),
    }
}

/// What to make of a tagged object once its tag is read.
pub trait TagVisitor<'de>: Sized {
    /// The tag's value.
    type Tag: Deserialize<'de>;
    /// What the object becomes.
    type Value;

    /// What the object was expected to be, for errors.
    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result;

    /// Reads the object's other fields, `fields`, as the kind `tag` names.
    fn visit<M: MapAccess<'de>>(
        self,
        tag: Self::Tag,
        fields: Fields<'de, M>,
    ) -> Result<Self::Value, M::Error>;
}

/// Reads the JSON object that `deserializer` (a `serde_json` one) holds by its field `tag`.
pub fn deserialize<'de, D, V>(
    deserializer: D,
    tag: &'static str,
    visitor: V,
) -> Result<V::Value, D::Error>
where
    D: Deserializer<'de>,
    V: TagVisitor<'de>,
{
    deserializer.deserialize_map(Tagged { tag, visitor })
}

struct Tagged<V> {
    tag: &'static str,
    visitor: V,
}

impl<'de, V: TagVisitor<'de>> Visitor<'de> for Tagged<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<V::Value, M::Error> {
        let mut before = Vec::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if key.as_str() == self.tag {
                let tag = map.next_value()?;
                let fields = Fields {
                    before: before.into_iter(),
                    pending: None,
                    after: map,
                    tag: self.tag,
                    set_aside: &[],
                    aside: Vec::new(),
                };
                return self.visitor.visit(tag, fields);
            }
            before.push((key, map.next_value::<&'de RawValue>()?));
        }
        Err(de::Error::missing_field(self.tag))
    }
}

/// The fields of a tagged object but the tag, in order: those before the tag from their raw
/// text, then the others straight from the JSON text.
#[derive(Debug)]
pub struct Fields<'de, M> {
    before: std::vec::IntoIter<(Key<'de>, &'de RawValue)>,
    pending: Option<&'de RawValue>,
    after: M,
    tag: &'static str,
    set_aside: &'static [&'static str],
    aside: Vec<(&'static str, &'de RawValue)>,
}

impl<'de, M: MapAccess<'de>> Fields<'de, M> {
    /// Keeps the fields named `names` (those every kind shares) from the kind's type, as raw
    /// text for [`Fields::aside`]; one given twice is an error, as in a derived `Deserialize`.
    pub fn set_aside(&mut self, names: &'static [&'static str]) {
        self.set_aside = names;
    }

    /// The raw text of a field set aside, once the fields are read; `None` when there was none.
    pub fn aside(&self, name: &str) -> Option<&'de RawValue> {
        self.aside
            .iter()
            .find_map(|(taken, raw)| (*taken == name).then_some(*raw))
    }

    /// The fields as a `T` (a struct deriving `Deserialize`).
    pub fn deserialize<T: Deserialize<'de>>(&mut self) -> Result<T, M::Error> {
        T::deserialize(MapAccessDeserializer::new(self))
    }

    /// Reads the fields to the end, for a kind that carries nothing the receiver reads.
    pub fn skip(&mut self) -> Result<(), M::Error> {
        while self.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

impl<'de, M: MapAccess<'de>> MapAccess<'de> for Fields<'de, M> {
    type Error = M::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, M::Error> {
        loop {
            let (key, raw) = match self.before.next() {
                Some((key, raw)) => (key, Some(raw)),
                None => match self.after.next_key::<Key<'de>>()? {
                    Some(key) if key.as_str() == self.tag => {
                        return Err(de::Error::duplicate_field(self.tag));
                    }
                    Some(key) => (key, None),
                    None => return Ok(None),
                },
            };
            let Some(name) = self.set_aside.iter().find(|name| **name == key.as_str()) else {
                self.pending = raw;
                return identify(key, seed).map(Some);
            };
            if self.aside(name).is_some() {
                return Err(de::Error::duplicate_field(name));
            }
            let raw = match raw {
                Some(raw) => raw,
                None => self.after.next_value::<&'de RawValue>()?,
            };
            self.aside.push((name, raw));
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, M::Error> {
        match self.pending.take() {
            Some(raw) => seed
                .deserialize(&mut serde_json::Deserializer::from_str(raw.get()))
                .map_err(de::Error::custom),
            None => self.after.next_value_seed(seed),
        }
    }
}

#[cfg(test)]
mod tests;
