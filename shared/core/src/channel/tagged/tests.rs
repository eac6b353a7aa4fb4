//! The tagged reader against serde's own internally tagged enums, on the same texts.

use std::fmt;

use serde::Deserialize;
use serde::de::MapAccess;

use super::{Fields, Key, TagVisitor};

#[derive(Debug, PartialEq, Deserialize)]
struct Note {
    text: Option<String>,
    #[serde(default)]
    count: u32,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Point {
    x: i64,
    y: i64,
}

/// What serde makes of the texts: the reference.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Serde {
    Note(Note),
    Point(Point),
    Bare,
}

/// The same enum, read by [`super::deserialize`].
#[derive(Debug, PartialEq)]
enum Ours {
    Note(Note),
    Point(Point),
    Bare,
}

struct OursVisitor;

impl<'de> TagVisitor<'de> for OursVisitor {
    type Tag = String;
    type Value = Ours;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a note, a point or a bare kind")
    }

    fn visit<M: MapAccess<'de>>(
        self,
        tag: String,
        mut fields: Fields<'de, M>,
    ) -> Result<Ours, M::Error> {
        match tag.as_str() {
            "note" => fields.deserialize().map(Ours::Note),
            "point" => fields.deserialize().map(Ours::Point),
            "bare" => fields.skip().map(|()| Ours::Bare),
            other => Err(serde::de::Error::unknown_variant(
                other,
                &["note", "point", "bare"],
            )),
        }
    }
}

fn ours(text: &str) -> Result<Ours, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = super::deserialize(&mut deserializer, "kind", OursVisitor)?;
    deserializer.end()?;
    Ok(value)
}

fn same(serde: Serde, ours: Ours) -> bool {
    match (serde, ours) {
        (Serde::Note(a), Ours::Note(b)) => a == b,
        (Serde::Point(a), Ours::Point(b)) => a == b,
        (Serde::Bare, Ours::Bare) => true,
        _ => false,
    }
}

#[test]
fn reads_what_serde_reads_and_refuses_what_serde_refuses() {
    let texts = [
        r#"{"kind":"note","text":"a","count":2}"#,
        r#"{"text":"a","kind":"note","count":2}"#,
        r#"{"text":"a","count":2,"kind":"note"}"#,
        r#"{"count":2,"other":{"deep":[1,{"x":2}]},"kind":"note"}"#,
        r#"{"y":2,"kind":"point","x":-1}"#,
        r#"{"y":2,"kind":"point"}"#,
        r#"{"kind":"point","x":1,"y":2,"x":3}"#,
        r#"{"x":1,"kind":"point","y":2,"x":3}"#,
        r#"{"kind":"note","kind":"note"}"#,
        r#"{"text":"a","kind":"note","kind":"point"}"#,
        r#"{"text":"a"}"#,
        r#"{"kind":"bare","x":{"a":[1,2,3]},"y":"z"}"#,
        r#"{"x":{"a":[1,2,3]},"kind":"bare","kind":"bare"}"#,
        r#"{"kind":"unknown"}"#,
        r#"{"kind":5}"#,
        r#"{"t\u0065xt":"escaped key","kind":"note"}"#,
        r#"{"kind":"note","text":"a\nb \u00e9"}"#,
        r#"{"kind":"note","count":-1}"#,
        r#"{"kind":"note","count":"1"}"#,
        r#"{"kind":"note"} trailing"#,
        r#"{"kind":"note","#,
        r#"[]"#,
    ];
    for text in texts {
        let reference = serde_json::from_str::<Serde>(text);
        let read = ours(text);
        match (reference, read) {
            (Ok(reference), Ok(read)) => assert!(same(reference, read), "{text}"),
            (Err(_), Err(_)) => {}
            (reference, read) => panic!("{text}: serde {reference:?}, ours {read:?}"),
        }
    }
}

#[test]
fn keys_are_borrowed_unless_escaped() {
    let plain: Key<'_> = serde_json::from_str(r#""text""#).unwrap();
    assert!(matches!(plain.0, std::borrow::Cow::Borrowed("text")));
    let escaped: Key<'_> = serde_json::from_str(r#""t\u0065xt""#).unwrap();
    assert!(matches!(&escaped.0, std::borrow::Cow::Owned(key) if key == "text"));
}

/// A note whose `id` every kind would share: set aside, read beside the note.
struct WithId;

impl<'de> TagVisitor<'de> for WithId {
    type Tag = String;
    type Value = (Note, Option<String>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a note with an id")
    }

    fn visit<M: MapAccess<'de>>(
        self,
        _tag: String,
        mut fields: Fields<'de, M>,
    ) -> Result<Self::Value, M::Error> {
        fields.set_aside(&["id"]);
        let note = fields.deserialize()?;
        Ok((note, fields.aside("id").map(|raw| raw.get().to_owned())))
    }
}

fn with_id(text: &str) -> Result<(Note, Option<String>), serde_json::Error> {
    super::deserialize(
        &mut serde_json::Deserializer::from_str(text),
        "kind",
        WithId,
    )
}

#[test]
fn fields_set_aside_are_kept_from_the_kind_and_given_once() {
    for text in [
        r#"{"kind":"note","id":7,"text":"a"}"#,
        r#"{"id":7,"kind":"note","text":"a"}"#,
        r#"{"text":"a","kind":"note","id":7}"#,
    ] {
        let (note, id) = with_id(text).unwrap();
        assert_eq!(note.text.as_deref(), Some("a"), "{text}");
        assert_eq!(id.as_deref(), Some("7"), "{text}");
    }
    assert_eq!(with_id(r#"{"kind":"note"}"#).unwrap().1, None);
    assert!(with_id(r#"{"id":1,"kind":"note","id":2}"#).is_err());
    assert!(with_id(r#"{"kind":"note","id":1,"id":2}"#).is_err());
}
