//! Ids as platforms send them: the same id may come as a JSON string or as a JSON integer.
//!
//! [`IdText`] (and [`text`], [`optional_text`]) reads an id documented as text: an integer
//! becomes its decimal text. [`number`] (and [`optional_number`], [`numbers`]) reads an id
//! documented as an integer: a string of decimal digits becomes that integer. Either way an id
//! gives the same text whatever form it came in. Integers are read as integers, never through a
//! float, so ids above 2^53 keep every digit. Floats, booleans, objects and arrays are never
//! ids: they fail to deserialize, like any malformed field.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// An id documented as text: a JSON string as it is, or a JSON integer as its decimal text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdText(String);

impl IdText {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for IdText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for IdText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<IdText> for String {
    fn from(id: IdText) -> Self {
        id.0
    }
}

impl Serialize for IdText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for IdText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl Visitor<'_> for TextVisitor {
    type Value = IdText;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an id (a string or an integer)")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<IdText, E> {
        Ok(IdText(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<IdText, E> {
        Ok(IdText(text))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<IdText, E> {
        Ok(IdText(number.to_string()))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<IdText, E> {
        Ok(IdText(number.to_string()))
    }
}

/// `deserialize_with` for a `String` id documented as text (see [`IdText`]).
pub fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    IdText::deserialize(deserializer).map(IdText::into_string)
}

/// `deserialize_with` for an `Option<String>` id documented as text; `null` is `None`. Pair it
/// with `#[serde(default)]` so that a missing field is `None` too.
pub fn optional_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Option::<IdText>::deserialize(deserializer).map(|id| id.map(IdText::into_string))
}

/// An integer type an id documented as a number is read into (`i64`, `u64`, ...).
pub trait Integer: Sized + FromStr + TryFrom<i64> + TryFrom<u64> {}

impl<T: FromStr + TryFrom<i64> + TryFrom<u64>> Integer for T {}

/// An id documented as an integer: a JSON integer, or a JSON string of its decimal digits (an
/// optional `-`, then digits only). Out of the type's range is an error, not a wrap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IdNumber<T>(pub T);

impl<'de, T: Integer> Deserialize<'de> for IdNumber<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(NumberVisitor(PhantomData))
            .map(IdNumber)
    }
}

struct NumberVisitor<T>(PhantomData<T>);

impl<T: Integer> Visitor<'_> for NumberVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer id (a number or a string of decimal digits)")
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<T, E> {
        T::try_from(number).map_err(|_| E::invalid_value(Unexpected::Signed(number), &self))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<T, E> {
        T::try_from(number).map_err(|_| E::invalid_value(Unexpected::Unsigned(number), &self))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        let digits = text.strip_prefix('-').unwrap_or(text);
        let decimal = !digits.is_empty() && digits.bytes().all(|byte| byte.is_ascii_digit());
        decimal
            .then(|| text.parse().ok())
            .flatten()
            .ok_or_else(|| E::invalid_value(Unexpected::Str(text), &self))
    }
}

/// `deserialize_with` for an integer id (see [`IdNumber`]).
pub fn number<'de, D: Deserializer<'de>, T: Integer>(deserializer: D) -> Result<T, D::Error> {
    IdNumber::deserialize(deserializer).map(|IdNumber(number)| number)
}

/// `deserialize_with` for an optional integer id; `null` is `None`. Pair it with
/// `#[serde(default)]` so that a missing field is `None` too.
pub fn optional_number<'de, D: Deserializer<'de>, T: Integer>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    Option::<IdNumber<T>>::deserialize(deserializer).map(|id| id.map(|IdNumber(number)| number))
}

/// `deserialize_with` for a list of integer ids.
pub fn numbers<'de, D: Deserializer<'de>, T: Integer>(deserializer: D) -> Result<Vec<T>, D::Error> {
    Vec::<IdNumber<T>>::deserialize(deserializer)
        .map(|ids| ids.into_iter().map(|IdNumber(number)| number).collect())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::{Value, json};

    use super::*;

    #[derive(Debug, Deserialize)]
    struct Ids {
        text: IdText,
        #[serde(default, deserialize_with = "optional_text")]
        maybe_text: Option<String>,
        #[serde(deserialize_with = "number")]
        signed: i64,
        #[serde(default, deserialize_with = "optional_number")]
        unsigned: Option<u64>,
        #[serde(default, deserialize_with = "numbers")]
        list: Vec<i64>,
    }

    fn ids(value: Value) -> Result<Ids, serde_json::Error> {
        // Both through the text parser and through a `Value`, as the channels read bodies.
        let from_text = serde_json::from_str::<Ids>(&value.to_string());
        let from_value = Ids::deserialize(&value);
        assert_eq!(from_text.is_ok(), from_value.is_ok(), "{value}");
        from_text
    }

    #[test]
    fn an_id_sent_as_a_number_or_as_text_reads_the_same() {
        let as_numbers = ids(json!({"text": 134_567_890_097_u64, "maybe_text": -42, "signed": -1_001_234, "unsigned": 4_912_661_846_655_238_145_u64, "list": [1, 2]})).unwrap();
        let as_text = ids(json!({"text": "134567890097", "maybe_text": "-42", "signed": "-1001234", "unsigned": "4912661846655238145", "list": ["1", 2]})).unwrap();
        for read in [&as_numbers, &as_text] {
            assert_eq!(read.text.as_str(), "134567890097");
            assert_eq!(read.maybe_text.as_deref(), Some("-42"));
            assert_eq!(read.signed, -1_001_234);
            assert_eq!(
                read.unsigned,
                Some(4_912_661_846_655_238_145),
                "above 2^53, every digit"
            );
            assert_eq!(read.list, [1, 2]);
        }
    }

    #[test]
    fn text_ids_stay_as_they_are_and_integer_ids_become_canonical() {
        let read = ids(json!({"text": "AgAD-4382bfdwdsb323b2d9", "signed": "007"})).unwrap();
        assert_eq!(read.text.to_string(), "AgAD-4382bfdwdsb323b2d9");
        assert_eq!(read.signed, 7);
        assert_eq!(
            (read.maybe_text, read.unsigned, read.list.len()),
            (None, None, 0)
        );
        let nulls =
            ids(json!({"text": "1", "signed": 1, "maybe_text": null, "unsigned": null})).unwrap();
        assert_eq!((nulls.maybe_text, nulls.unsigned), (None, None));
    }

    #[test]
    fn floats_booleans_objects_and_lists_are_no_ids() {
        for bad in [
            json!(1.5),
            json!(1.0),
            json!(1e3),
            json!(true),
            json!({"id": 1}),
            json!([1]),
            json!(null),
        ] {
            assert!(
                ids(json!({"text": bad, "signed": 1})).is_err(),
                "text {bad}"
            );
            assert!(
                ids(json!({"text": "1", "signed": bad})).is_err(),
                "number {bad}"
            );
        }
        assert!(ids(json!({"text": "1", "signed": 1, "maybe_text": 2.5})).is_err());
        assert!(ids(json!({"text": "1", "signed": 1, "list": [1.5]})).is_err());
    }

    #[test]
    fn integer_ids_in_text_are_decimal_digits_in_range() {
        for bad in [
            "",
            "-",
            "+1",
            " 1",
            "1 ",
            "1.0",
            "1e3",
            "0x10",
            "12a",
            "9223372036854775808",
        ] {
            assert!(ids(json!({"text": "1", "signed": bad})).is_err(), "{bad:?}");
        }
        for bad in [json!("-1"), json!(-1)] {
            assert!(
                ids(json!({"text": "1", "signed": 1, "unsigned": bad})).is_err(),
                "{bad}"
            );
        }
        assert!(
            ids(json!({"text": "1", "signed": u64::MAX})).is_err(),
            "out of i64"
        );
    }
}
