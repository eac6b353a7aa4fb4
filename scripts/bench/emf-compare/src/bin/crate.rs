//! The same metrics through the `metrics` facade and metrics_cloudwatch_embedded (without its
//! Lambda feature). The crate writes one dimension set per object, so `[channel]` and
//! `[channel, bot]` are two label sets and two objects per invocation.

use metrics::{Label, Unit, counter, describe_counter, describe_histogram, histogram};
use shared::metrics::millis;

fn main() {
    let collector = metrics_cloudwatch_embedded::Builder::new()
        .cloudwatch_namespace("MessengerReceivers")
        .with_timestamp(1_795_525_200_000)
        .emit_zeros(true)
        .init()
        .unwrap();
    for name in [
        "Requests",
        "Enqueued",
        "Duplicates",
        "Echoes",
        "Rejected",
        "Unavailable",
        "ColdStart",
    ] {
        describe_counter!(name, Unit::Count, "");
    }
    for name in ["HandlerMs", "EnqueueMs"] {
        describe_histogram!(name, Unit::Milliseconds, "");
    }
    emf_compare::measure("crate", |report, out| {
        let channel = Label::new("channel", report.channel);
        let bot = Label::new("bot", report.bot.clone());
        for labels in [vec![channel.clone()], vec![channel, bot]] {
            counter!("Requests", labels.clone()).increment(1);
            counter!("Enqueued", labels.clone()).increment(report.enqueued as u64);
            counter!("Duplicates", labels.clone()).increment(report.duplicates as u64);
            counter!("Echoes", labels.clone()).increment(report.echoes as u64);
            counter!("Rejected", labels.clone()).increment(0);
            counter!("Unavailable", labels.clone()).increment(0);
            counter!("ColdStart", labels.clone()).increment(0);
            histogram!("HandlerMs", labels.clone()).record(millis(report.handler));
            if let Some(enqueue) = report.enqueue {
                histogram!("EnqueueMs", labels).record(millis(enqueue));
            }
        }
        collector.flush(&mut *out).unwrap();
    });
}
