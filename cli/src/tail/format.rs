//! One readable line per envelope: when, which bot, what happened, in which chat, and the text
//! (or the kind of content).

use serde_json::Value;

/// How much of a text a line shows.
const TEXT_CHARS: usize = 80;
/// How much of a chat id a line shows (Apple's are ~170 characters).
const CHAT_CHARS: usize = 24;

/// `2026-11-24T13:00:01.120Z  telegram/demo  message  chat 42  Ann: "hi"`
pub fn readable(envelope: &Value) -> String {
    let field = |pointer: &str| {
        envelope
            .pointer(pointer)
            .and_then(Value::as_str)
            .filter(|text| !text.is_empty())
    };
    let time = field("/received_at").unwrap_or("-");
    let channel = field("/channel").unwrap_or("?");
    let bot = field("/bot").unwrap_or("?");
    let event = field("/event").unwrap_or("?");
    let chat = field("/chat_id").map_or_else(|| "-".to_owned(), |chat| one_line(chat, CHAT_CHARS));
    let source = format!("{channel}/{bot}");
    let from = field("/user/name")
        .or_else(|| field("/user/username"))
        .map(|name| format!("{}: ", one_line(name, 40)))
        .unwrap_or_default();
    let content = if let Some(text) = field("/message/text") {
        format!("{from}{:?}", one_line(text, TEXT_CHARS))
    } else if let Some(payload) = field("/message/payload") {
        format!("{from}payload {:?}", one_line(payload, TEXT_CHARS))
    } else {
        match field("/message/type") {
            Some(kind) if kind != "none" => format!("{from}[{kind}]"),
            _ => from.trim_end_matches(": ").to_owned(),
        }
    };
    format!("{time}  {source:<14}  {event:<12}  chat {chat}  {content}")
        .trim_end()
        .to_owned()
}

/// The text on one line, cut to `limit` characters.
fn one_line(text: &str, limit: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() > limit {
        format!("{}…", flat.chars().take(limit).collect::<String>())
    } else {
        flat
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn shows_text_payload_or_type() {
        let mut envelope = json!({
            "channel": "telegram", "bot": "demo", "event": "message", "chat_id": "42",
            "received_at": "2026-11-24T13:00:01.120Z",
            "user": {"id": "42", "name": "Ann"},
            "message": {"id": "1", "type": "text", "text": "hi\nthere", "attachments": []}
        });
        assert_eq!(
            readable(&envelope),
            "2026-11-24T13:00:01.120Z  telegram/demo   message       chat 42  Ann: \"hi there\""
        );
        envelope["message"] = json!({"type": "image", "attachments": []});
        assert!(readable(&envelope).ends_with("chat 42  Ann: [image]"));
        envelope["message"] = json!({"type": "button", "payload": "choice:1"});
        assert!(readable(&envelope).ends_with("Ann: payload \"choice:1\""));
        envelope["user"] = json!(null);
        envelope["message"] = json!({"type": "none"});
        assert!(readable(&envelope).ends_with("chat 42"));
    }
}
