//! The EMF objects and the Prometheus text of known reports, the reason of every failure, and
//! the `METRICS` switch.

use std::time::Duration;

use serde_json::{Value, json};

use super::emf::Emf;
use super::prometheus::Registry;
use super::*;
use crate::ports::QueueError;

fn accepted() -> Report {
    Report {
        bot: "demo".into(),
        enqueued: 3,
        echoes: 1,
        enqueue: Some(Duration::from_micros(1_250)),
        handler: Duration::from_micros(2_500),
        ..Report::new("facebook")
    }
}

fn refused(reason: Reason) -> Report {
    Report {
        rejected: Some(reason),
        handler: Duration::from_micros(100),
        ..Report::new("telegram")
    }
}

fn line(emf: &mut Emf, report: &Report) -> Value {
    let mut out = Vec::new();
    emf.write(report, 1_795_525_200_000, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.ends_with('\n') && text.matches('\n').count() == 1,
        "{text}"
    );
    serde_json::from_str(&text).unwrap()
}

#[test]
fn an_accepted_request_is_one_object_with_every_metric_under_channel_and_bot() {
    let mut emf = Emf::new();
    let object = line(&mut emf, &accepted());
    let names: Vec<&str> = [
        "Requests",
        "Enqueued",
        "Duplicates",
        "Echoes",
        "LedgerErrors",
        "Rejected",
        "Unavailable",
        "ColdStart",
        "HandlerMs",
        "EnqueueMs",
    ]
    .to_vec();
    let metrics: Vec<Value> = names
        .iter()
        .map(|name| {
            let unit = if name.ends_with("Ms") {
                "Milliseconds"
            } else {
                "Count"
            };
            json!({"Name": name, "Unit": unit})
        })
        .collect();
    assert_eq!(
        object,
        json!({
            "_aws": {"Timestamp": 1_795_525_200_000_u64, "CloudWatchMetrics": [{
                "Namespace": "MessengerReceivers",
                "Dimensions": [["channel"], ["channel", "bot"]],
                "Metrics": metrics,
            }]},
            "level": "INFO", "channel": "facebook", "bot": "demo",
            "Requests": 1, "Enqueued": 3, "Duplicates": 0, "Echoes": 1, "LedgerErrors": 0,
            "Rejected": 0,
            "Unavailable": 0, "ColdStart": 1, "HandlerMs": 2.5, "EnqueueMs": 1.25,
        })
    );
    let again = line(&mut emf, &accepted());
    assert_eq!(
        again["ColdStart"], 0,
        "a cold start is the first invocation only"
    );
}

#[test]
fn objects_carry_the_log_level_lambda_filters_on() {
    let object = line(
        &mut Emf::at_level(super::emf::lambda_level("warn")),
        &accepted(),
    );
    assert_eq!(object["level"], "WARN");
    assert_eq!(super::emf::lambda_level("nonsense"), "INFO");
    assert_eq!(super::emf::lambda_level(""), "INFO");
}

#[test]
fn a_refused_request_declares_rejected_by_reason_too() {
    let object = line(&mut Emf::new(), &refused(Reason::Signature));
    let directives = object["_aws"]["CloudWatchMetrics"].as_array().unwrap();
    assert_eq!(directives.len(), 2);
    assert_eq!(
        directives[1],
        json!({"Namespace": "MessengerReceivers",
               "Dimensions": [["channel", "reason"], ["channel", "bot", "reason"]],
               "Metrics": [{"Name": "Rejected", "Unit": "Count"}]})
    );
    assert_eq!(object["reason"], "signature");
    assert_eq!(object["bot"], "unknown");
    assert_eq!(object["Rejected"], 1);
    assert!(object.get("EnqueueMs").is_none(), "nothing was sent");
    let names: Vec<&str> = directives[0]["Metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["Name"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"EnqueueMs"));
    assert!(
        line(&mut Emf::new(), &accepted()).get("reason").is_none(),
        "no reason when none"
    );
}

#[test]
fn every_failure_counts_as_its_reason_or_as_an_outage() {
    let cases = [
        (
            Failure::MethodNotAllowed {
                allow: "POST".into(),
            },
            Some(Reason::Method),
        ),
        (Failure::TooLarge { limit: 1 }, Some(Reason::TooLarge)),
        (
            Failure::TooManyEvents {
                count: 1001,
                limit: 1000,
            },
            Some(Reason::TooLarge),
        ),
        (
            Failure::Rejected(Rejection::TooLarge),
            Some(Reason::TooLarge),
        ),
        (Failure::UnknownBot, Some(Reason::UnknownBot)),
        (
            Failure::Rejected(Rejection::NotThisBot("business")),
            Some(Reason::UnknownBot),
        ),
        (
            Failure::Rejected(Rejection::Unauthenticated("signature")),
            Some(Reason::Signature),
        ),
        (
            Failure::Rejected(Rejection::Forbidden("verify token")),
            Some(Reason::Signature),
        ),
        (
            Failure::Rejected(Rejection::malformed("json")),
            Some(Reason::Malformed),
        ),
        (Failure::SecretUnusable("field".into()), None),
        (Failure::Queue(QueueError::Unavailable("down".into())), None),
        (Failure::Deadline("queue"), None),
    ];
    for (failure, reason) in cases {
        assert_eq!(Reason::of(&failure), reason, "{failure}");
        assert_eq!(
            failure.is_client_error(),
            reason.is_some(),
            "a reason is a 4xx: {failure}"
        );
        let mut report = Report::new("telegram");
        report.failed(&failure);
        assert_eq!(report.unavailable, reason.is_none());
    }
}

#[test]
fn prometheus_counts_the_same_reports() {
    let registry = Registry::new();
    registry.record(&accepted());
    registry.record(&accepted());
    registry.record(&refused(Reason::Signature));
    registry.record(&Report {
        unavailable: true,
        bot: "demo".into(),
        ..Report::new("telegram")
    });
    let text = registry.render();
    for expected in [
        "# TYPE receivers_requests_total counter",
        r#"receivers_requests_total{channel="facebook",bot="demo"} 2"#,
        r#"receivers_enqueued_total{channel="facebook",bot="demo"} 6"#,
        r#"receivers_echoes_total{channel="facebook",bot="demo"} 2"#,
        r#"receivers_requests_total{channel="telegram",bot="unknown"} 1"#,
        r#"receivers_unavailable_total{channel="telegram",bot="demo"} 1"#,
        r#"receivers_rejected_total{channel="telegram",bot="unknown",reason="signature"} 1"#,
        "# TYPE receivers_handler_seconds histogram",
        r#"receivers_handler_seconds_bucket{channel="facebook",le="0.001"} 0"#,
        r#"receivers_handler_seconds_bucket{channel="facebook",le="0.0025"} 2"#,
        r#"receivers_handler_seconds_bucket{channel="facebook",le="+Inf"} 2"#,
        r#"receivers_handler_seconds_count{channel="facebook"} 2"#,
        r#"receivers_handler_seconds_sum{channel="facebook"} 0.005"#,
        r#"receivers_enqueue_seconds_count{channel="facebook"} 2"#,
    ] {
        assert!(
            text.lines().any(|line| line == expected),
            "{expected}\n{text}"
        );
    }
    assert!(!text.contains(r#"receivers_enqueue_seconds_count{channel="telegram"}"#));
}

#[test]
fn the_metrics_switch_is_on_unless_turned_off() {
    let with = |value: &'static str| enabled_from_lookup(move |_| Some(value.to_owned()));
    assert!(enabled_from_lookup(|_| None).unwrap());
    assert!(with("on").unwrap());
    assert!(!with("off").unwrap());
    assert!(!with("OFF").unwrap());
    assert!(!with("false").unwrap());
    assert!(!with("0").unwrap());
    assert!(with("maybe").is_err());
}
