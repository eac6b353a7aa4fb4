//! What the customer chose in an interactive message, read from `interactiveData.data`: the
//! list-picker items, the time slots, the quick reply, the Apple Pay or authentication result,
//! or, for anything else (forms, custom extensions), the title of the reply bubble.

use serde_json::Value;

/// The reply's selection as one string, the envelope's `payload`.
pub fn selection(data: &Value) -> Option<String> {
    list_picker(data)
        .or_else(|| time_picker(data))
        .or_else(|| quick_reply(data))
        .or_else(|| status_of(data, "payment"))
        .or_else(|| status_of(data, "authenticate"))
        .or_else(|| reply_title(data))
}

/// The title of the bubble that shows the customer's reply (`replyMessage.title`).
pub fn reply_title(data: &Value) -> Option<String> {
    text(data.pointer("/replyMessage/title"))
}

/// The identifiers of the chosen items, joined by ",". Apple's reply lists the chosen items;
/// where items carry `selected`, only those that are `true` count.
fn list_picker(data: &Value) -> Option<String> {
    let sections = data.pointer("/listPicker/sections")?.as_array()?;
    let items: Vec<&Value> = sections
        .iter()
        .filter_map(|section| section.get("items")?.as_array())
        .flatten()
        .collect();
    let marked = items.iter().any(|item| item.get("selected").is_some());
    let chosen: Vec<String> = items
        .into_iter()
        .filter(|item| !marked || item.get("selected").and_then(Value::as_bool) == Some(true))
        .filter_map(|item| text(item.get("identifier")))
        .collect();
    join(chosen)
}

/// The chosen time slots (`event.timeslots`, or the older `timePicker.event.timeslots`): their
/// identifiers, or their start times where they have none, joined by ",".
fn time_picker(data: &Value) -> Option<String> {
    let slots = data
        .pointer("/event/timeslots")
        .or_else(|| data.pointer("/timePicker/event/timeslots"))?
        .as_array()?;
    join(
        slots
            .iter()
            .filter_map(|slot| text(slot.get("identifier")).or_else(|| text(slot.get("startTime"))))
            .collect(),
    )
}

/// The chosen quick reply: `selectedIdentifier`, else the item at `selectedIndex`.
fn quick_reply(data: &Value) -> Option<String> {
    let reply = data.get("quick-reply")?;
    text(reply.get("selectedIdentifier")).or_else(|| {
        let index = usize::try_from(reply.get("selectedIndex")?.as_u64()?).ok()?;
        text(reply.get("items")?.get(index)?.get("identifier"))
    })
}

/// The `status` of an Apple Pay (`payment`) or authentication (`authenticate`) result.
fn status_of(data: &Value, key: &str) -> Option<String> {
    text(data.get(key)?.get("status"))
}

/// A string, or a number as its decimal text; empty strings count as nothing.
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn join(parts: Vec<String>) -> Option<String> {
    (!parts.is_empty()).then(|| parts.join(","))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn list_picker_items_join_in_order() {
        let data = json!({"listPicker": {"sections": [
            {"items": [{"identifier": "1", "title": "Apple"}, {"identifier": "2", "title": "Pear"}]},
            {"items": [{"identifier": 7, "title": "Seven"}]}
        ]}, "replyMessage": {"title": "Selected"}});
        assert_eq!(selection(&data).as_deref(), Some("1,2,7"));
    }

    #[test]
    fn list_picker_items_marked_selected_are_the_only_ones() {
        let data = json!({"listPicker": {"sections": [{"items": [
            {"identifier": "a", "selected": false}, {"identifier": "b", "selected": true}
        ]}]}});
        assert_eq!(selection(&data).as_deref(), Some("b"));
    }

    #[test]
    fn time_slots_by_identifier_or_start() {
        let data = json!({"event": {"timeslots": [{"identifier": "slot-1", "startTime": "2026-11-25T09:00+0000"}]}});
        assert_eq!(selection(&data).as_deref(), Some("slot-1"));
        let legacy = json!({"timePicker": {"event": {"timeslots": [{"startTime": "2026-11-25T09:00+0000", "duration": 3600}]}}});
        assert_eq!(selection(&legacy).as_deref(), Some("2026-11-25T09:00+0000"));
    }

    #[test]
    fn quick_reply_by_identifier_or_index() {
        let by_id =
            json!({"quick-reply": {"selectedIdentifier": "yes", "selectedIndex": 1, "items": []}});
        assert_eq!(selection(&by_id).as_deref(), Some("yes"));
        let by_index = json!({"quick-reply": {"selectedIndex": 1, "items": [{"identifier": "no"}, {"identifier": "yes"}]}});
        assert_eq!(selection(&by_index).as_deref(), Some("yes"));
        let out_of_range = json!({"quick-reply": {"selectedIndex": 9, "items": []}, "replyMessage": {"title": "Yes"}});
        assert_eq!(selection(&out_of_range).as_deref(), Some("Yes"));
    }

    #[test]
    fn results_and_fallbacks() {
        assert_eq!(
            selection(&json!({"payment": {"status": "success"}})).as_deref(),
            Some("success")
        );
        assert_eq!(
            selection(&json!({"authenticate": {"status": "authenticated"}})).as_deref(),
            Some("authenticated")
        );
        assert_eq!(
            selection(&json!({"dynamic": {}, "replyMessage": {"title": "Sent"}})).as_deref(),
            Some("Sent")
        );
        assert_eq!(selection(&json!({"listPicker": {"sections": []}})), None);
        assert_eq!(selection(&json!("not an object")), None);
        assert_eq!(selection(&json!({"replyMessage": {"title": ""}})), None);
    }
}
