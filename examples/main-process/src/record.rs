//! One SQS record's body, read as an envelope of a version this consumer knows.

use serde::Deserialize;
use shared_core::envelope::{Envelope, VERSION};

/// Why a record cannot be read. Each is permanent: retrying the same body cannot help, so the
/// record goes to the dead-letter queue after the queue's `maxReceiveCount`.
#[derive(Debug)]
pub enum Unreadable {
    /// The record carries no body.
    NoBody,
    /// The body is not an envelope (not JSON, or a field is missing or of the wrong type).
    Malformed(serde_json::Error),
    /// The envelope's `version` is not the one this consumer reads.
    UnknownVersion(u32),
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoBody => f.write_str("the record has no body"),
            Self::Malformed(err) => write!(f, "the body is not an envelope: {err}"),
            Self::UnknownVersion(version) => {
                write!(
                    f,
                    "envelope version {version} is unknown (this consumer reads {VERSION})"
                )
            }
        }
    }
}

impl std::error::Error for Unreadable {}

/// Just the version, read before the rest so a newer envelope is told apart from a broken one.
#[derive(Deserialize)]
struct Versioned {
    version: u32,
}

/// Reads a record body as an envelope, refusing a version other than [`VERSION`].
pub fn parse(body: Option<&str>) -> Result<Envelope, Unreadable> {
    let body = body.ok_or(Unreadable::NoBody)?;
    let Versioned { version } = serde_json::from_str(body).map_err(Unreadable::Malformed)?;
    if version != VERSION {
        return Err(Unreadable::UnknownVersion(version));
    }
    serde_json::from_str(body).map_err(Unreadable::Malformed)
}

#[cfg(test)]
mod tests {
    use super::{Unreadable, parse};

    const BODY: &str = r#"{"version":1,"channel":"telegram","bot":"demo","chat_id":"42","event":"message","message":{"type":"text","text":"hi","attachments":[]},"event_id":"telegram:demo:1","received_at":"2026-11-24T13:00:01.120Z","raw":{"update_id":1}}"#;

    #[test]
    fn reads_a_version_1_envelope() {
        let envelope = parse(Some(BODY)).expect("a valid envelope");
        assert_eq!(envelope.event_id, "telegram:demo:1");
        assert_eq!(envelope.chat_id, "42");
        assert_eq!(envelope.raw.get(), r#"{"update_id":1}"#);
    }

    #[test]
    fn refuses_what_is_not_an_envelope() {
        assert!(matches!(parse(None), Err(Unreadable::NoBody)));
        assert!(matches!(
            parse(Some("hello")),
            Err(Unreadable::Malformed(_))
        ));
        assert!(matches!(parse(Some("{}")), Err(Unreadable::Malformed(_))));
        let no_chat = BODY.replace(r#""chat_id":"42","#, "");
        assert!(matches!(
            parse(Some(&no_chat)),
            Err(Unreadable::Malformed(_))
        ));
        let event_not_text = BODY.replace(r#""event":"message""#, r#""event":7"#);
        assert!(matches!(
            parse(Some(&event_not_text)),
            Err(Unreadable::Malformed(_))
        ));
    }

    #[test]
    fn refuses_a_version_it_does_not_know() {
        let v2 = BODY.replace(r#""version":1"#, r#""version":2"#);
        assert!(matches!(
            parse(Some(&v2)),
            Err(Unreadable::UnknownVersion(2))
        ));
        let v2_other_shape = r#"{"version":2,"events":[]}"#;
        assert!(matches!(
            parse(Some(v2_other_shape)),
            Err(Unreadable::UnknownVersion(2))
        ));
    }
}
