//! The consumer on `events/batch.json`: ten envelopes the five receivers produced from the
//! sample requests in `events/`, as Lambda delivers them from the FIFO queue.

use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};
use shared_core::envelope::Envelope;

use super::Consumer;

const BATCH: &str = include_str!("../events/batch.json");

fn batch() -> SqsEvent {
    serde_json::from_str(BATCH).expect("events/batch.json is an SQS event")
}

fn with_records(records: Vec<SqsMessage>) -> SqsEvent {
    let mut event = batch();
    event.records = records;
    event
}

/// A copy of `record` under another message id, with another body.
fn variant(record: &SqsMessage, message_id: &str, body: Option<String>) -> SqsMessage {
    let mut record = record.clone();
    record.message_id = Some(message_id.to_owned());
    record.body = body;
    record
}

fn failures(response: &aws_lambda_events::event::sqs::SqsBatchResponse) -> Vec<&str> {
    response
        .batch_item_failures
        .iter()
        .map(|failure| failure.item_identifier.as_str())
        .collect()
}

/// Runs a batch, returning the failed message ids and the event ids `process` was given.
fn run(consumer: &mut Consumer, batch: &SqsEvent, fail: &[&str]) -> (Vec<String>, Vec<String>) {
    let mut processed = Vec::new();
    let response = consumer.handle_batch(batch, |envelope: &Envelope| {
        if fail.contains(&envelope.event_id.as_str()) {
            return Err("downstream unavailable");
        }
        processed.push(envelope.event_id.clone());
        Ok(())
    });
    let failed = failures(&response).into_iter().map(str::to_owned).collect();
    (failed, processed)
}

#[test]
fn the_sample_batch_holds_valid_envelopes_of_every_channel() {
    let batch = batch();
    assert_eq!(batch.records.len(), 10, "one full batch (BatchSize 10)");
    let mut channels = Vec::new();
    for record in &batch.records {
        let body = record.body.as_deref().expect("a body");
        let value: serde_json::Value = serde_json::from_str(body).expect("JSON");
        shared_core::testing::assert_value_matches_schema(&value);
        let envelope = super::parse(Some(body)).expect("an envelope");
        assert_eq!(
            record.attributes.get("MessageDeduplicationId"),
            Some(&envelope.event_id)
        );
        assert_eq!(
            record.message_attributes["channel"].string_value.as_deref(),
            Some(envelope.channel.as_str())
        );
        if !channels.contains(&envelope.channel) {
            channels.push(envelope.channel);
        }
    }
    assert_eq!(channels, ["telegram", "viber", "facebook", "slack", "abc"]);
}

#[test]
fn a_good_batch_is_processed_in_order_with_no_failures() {
    let batch = batch();
    let mut consumer = Consumer::default();
    let (failed, processed) = run(&mut consumer, &batch, &[]);
    assert!(failed.is_empty(), "{failed:?}");
    assert_eq!(
        processed,
        [
            "telegram:demo:900100001",
            "telegram:demo:900100028",
            "viber:demo:4912661846655238145",
            "facebook:demo:m_AAA1",
            "facebook:demo:m_AAA2",
            "facebook:demo:m_AAA3",
            "slack:demo:Ev0PV52K21",
            "slack:demo:12466734323.1395872398.c8a5c2b9a2e4e1",
            "abc:demo:5d2f7c1e-8a4b-4c3d-9e0f-000000000001",
            "abc:demo:5d2f7c1e-8a4b-4c3d-9e0f-000000000005",
        ]
    );
}

#[test]
fn a_redelivered_event_id_is_not_processed_twice() {
    let batch = batch();
    let mut consumer = Consumer::default();
    run(&mut consumer, &batch, &[]);

    // The platform retried after SQS's 5-minute deduplication window: same event_id, new message.
    let again = with_records(
        batch
            .records
            .iter()
            .enumerate()
            .map(|(at, record)| variant(record, &format!("redelivered-{at}"), record.body.clone()))
            .collect(),
    );
    let (failed, processed) = run(&mut consumer, &again, &[]);
    assert!(failed.is_empty(), "{failed:?}");
    assert!(processed.is_empty(), "{processed:?}");
}

#[test]
fn unreadable_records_fail_alone_and_the_rest_is_processed() {
    let records = batch().records;
    let telegram = &records[0];
    let v2 = telegram
        .body
        .as_deref()
        .map(|body| body.replacen(r#""version":1"#, r#""version":2"#, 1));
    let batch = with_records(vec![
        variant(telegram, "not-json", Some("{not json".to_owned())),
        variant(telegram, "no-body", None),
        variant(telegram, "version-2", v2),
        variant(
            telegram,
            "not-an-envelope",
            Some(r#"{"version":1}"#.to_owned()),
        ),
        // Same message group as the unreadable ones: not held back by them.
        records[1].clone(),
        records[2].clone(),
    ]);
    let mut consumer = Consumer::default();
    let (failed, processed) = run(&mut consumer, &batch, &[]);
    assert_eq!(
        failed,
        ["not-json", "no-body", "version-2", "not-an-envelope"]
    );
    assert_eq!(
        processed,
        ["telegram:demo:900100028", "viber:demo:4912661846655238145"]
    );
}

#[test]
fn a_processing_failure_holds_back_the_rest_of_its_message_group_only() {
    let batch = batch();
    let ids: Vec<String> = batch
        .records
        .iter()
        .map(|record| record.message_id.clone().unwrap_or_default())
        .collect();
    let mut consumer = Consumer::default();
    // Facebook's first event fails: the second is the same chat (group), the third another chat.
    let (failed, processed) = run(&mut consumer, &batch, &["facebook:demo:m_AAA1"]);
    assert_eq!(failed, [ids[3].clone(), ids[4].clone()]);
    assert!(!processed.iter().any(|id| id == "facebook:demo:m_AAA2"));
    assert!(processed.iter().any(|id| id == "facebook:demo:m_AAA3"));
    assert_eq!(processed.len(), 8);

    // The two come back from the queue; the failed one was not marked handled.
    let retry = with_records(batch.records[3..5].to_vec());
    let (failed, processed) = run(&mut consumer, &retry, &[]);
    assert!(failed.is_empty(), "{failed:?}");
    assert_eq!(processed, ["facebook:demo:m_AAA1", "facebook:demo:m_AAA2"]);
}

#[test]
fn a_standard_queue_record_has_no_group_to_hold() {
    let mut records = batch().records;
    for record in &mut records {
        record.attributes.remove("MessageGroupId");
    }
    let batch = with_records(records);
    let mut consumer = Consumer::default();
    let (failed, processed) = run(&mut consumer, &batch, &["telegram:demo:900100001"]);
    assert_eq!(failed.len(), 1);
    assert_eq!(processed.len(), 9);
}

#[test]
fn the_answer_is_lambdas_partial_batch_response() {
    let batch = with_records(vec![variant(
        &batch().records[0],
        "3b7c5e2a-9d4f-4e6b-8a1c-0000000000ff",
        Some("{}".to_owned()),
    )]);
    let response = Consumer::default().handle_batch(&batch, |_| Ok::<(), &str>(()));
    assert_eq!(
        serde_json::to_value(&response).expect("serializes"),
        serde_json::json!({
            "batchItemFailures": [{ "itemIdentifier": "3b7c5e2a-9d4f-4e6b-8a1c-0000000000ff" }]
        })
    );
}
