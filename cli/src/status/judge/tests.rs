use super::*;

const KINDS: &[&str] = &["message", "callback_query", "message_reaction"];

fn rules() -> Rules {
    Rules {
        base_url: None,
        max_pending: 100,
        error_window: Duration::from_secs(3600),
        now: UNIX_EPOCH + Duration::from_secs(1_800_000_000),
    }
}

fn healthy_telegram() -> Value {
    json!({
        "url": "https://api.example.com/prod/telegram/demo",
        "pending_update_count": 3,
        "allowed_updates": ["message", "callback_query", "message_reaction"],
    })
}

#[test]
fn a_telegram_webhook_on_our_route_with_every_kind_is_healthy() {
    let judgement = telegram(&healthy_telegram(), "demo", KINDS, &rules());
    assert_eq!(judgement.problems, Vec::<String>::new());
    assert_eq!(
        judgement.webhook.as_deref(),
        Some("https://api.example.com/prod/telegram/demo")
    );
    assert_eq!(judgement.facts["pending_update_count"], 3);
}

#[test]
fn telegram_problems_are_each_named() {
    let mut info = healthy_telegram();
    info["url"] = json!("https://old.example.com/telegram/other");
    info["pending_update_count"] = json!(101);
    info["last_error_date"] = json!(1_800_000_000 - 600);
    info["last_error_message"] = json!("Wrong response from the webhook: 503");
    info["allowed_updates"] = json!(["message"]);
    let problems = telegram(&info, "demo", KINDS, &rules()).problems;
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(problems[0].contains("does not end with /telegram/demo"));
    assert!(problems[1].contains("101 updates pending"));
    assert!(problems[2].contains("10m ago") && problems[2].contains("503"));
    assert!(problems[3].ends_with("callback_query, message_reaction"));
}

#[test]
fn an_old_error_and_pending_at_the_limit_are_only_shown() {
    let mut info = healthy_telegram();
    info["pending_update_count"] = json!(100);
    info["last_error_date"] = json!(1_800_000_000 - 7200);
    info["last_error_message"] = json!("Connection timed out");
    let judgement = telegram(&info, "demo", KINDS, &rules());
    assert!(judgement.problems.is_empty(), "{:?}", judgement.problems);
    assert!(
        judgement.details[1].contains("2h ago"),
        "{:?}",
        judgement.details
    );
    assert_eq!(judgement.facts["last_error_time"], "2027-01-15T06:00:00Z");
}

#[test]
fn no_telegram_webhook_or_default_updates_are_problems() {
    let info = json!({"url": "", "pending_update_count": 0});
    let problems = telegram(&info, "demo", KINDS, &rules()).problems;
    assert_eq!(problems[0], "no webhook is registered");
    // Without allowed_updates Telegram leaves out the opt-in kinds.
    assert!(problems[1].ends_with(": message_reaction"), "{problems:?}");
}

#[test]
fn with_a_base_url_the_webhook_must_be_exactly_the_route() {
    let rules = Rules {
        base_url: Some("https://api.example.com/prod/".to_owned()),
        ..rules()
    };
    let judgement = telegram(&healthy_telegram(), "demo", KINDS, &rules);
    assert!(judgement.problems.is_empty(), "{:?}", judgement.problems);
    let mut info = healthy_telegram();
    info["url"] = json!("https://tunnel.example.net/telegram/demo");
    let problems = telegram(&info, "demo", KINDS, &rules).problems;
    assert_eq!(
        problems,
        [
            "wrong webhook URL: https://tunnel.example.net/telegram/demo, expected https://api.example.com/prod/telegram/demo"
        ]
    );
}

#[test]
fn viber_event_types_are_compared_with_the_kinds() {
    let info = json!({
        "status": 0, "name": "Shop", "webhook": "https://x.example.com/viber/shop",
        "event_types": ["delivered", "seen"],
    });
    let judgement = viber(&info, "shop", &["delivered", "seen", "failed"], &rules());
    assert_eq!(
        judgement.problems,
        ["event_types lacks kinds the receiver normalizes: failed"]
    );
    let judgement = viber(&info, "other", &["seen"], &rules());
    assert!(judgement.problems[0].contains("does not end with /viber/other"));
}

#[test]
fn graph_subscriptions_need_an_app_with_every_field() {
    let none = subscribed_apps(&json!({"data": []}), &["messages"]);
    assert_eq!(
        none.problems,
        ["no app is subscribed: nothing is delivered"]
    );
    let page = json!({"data": [{"id": "1", "name": "Bot", "subscribed_fields": ["messages"]}]});
    let judgement = subscribed_apps(&page, &["messages", "message_reads"]);
    assert_eq!(
        judgement.problems,
        ["subscribed fields lack kinds the receiver normalizes: message_reads"]
    );
    assert_eq!(judgement.details, ["subscribed: Bot"]);
    let waba = json!({"data": [{"whatsapp_business_api_data": {"id": "7", "name": "Shop app"}}]});
    let judgement = subscribed_apps(&waba, &[]);
    assert!(judgement.problems.is_empty());
    assert_eq!(judgement.facts["subscribed_apps"][0]["name"], "Shop app");
}

#[test]
fn durations_read_well() {
    assert_eq!(rounded(Duration::from_secs(42)), "42s");
    assert_eq!(rounded(Duration::from_secs(7_325)), "2h 2m");
}
