//! The invocation's X-Ray trace id on every message the Lambda handler enqueues, as the
//! `AWSTraceHeader` system attribute of SendMessage and of each SendMessageBatch entry: read
//! back from moto, and seen on the wire by a proxy in front of it (moto 5.2 keeps the system
//! attributes of SendMessage only, not of batch entries).
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use aws_sdk_sqs::types::MessageSystemAttributeName;
use axum::body::Bytes;
use facebook_receiver::Facebook;
use http::{HeaderMap, StatusCode};
use integration_tests::{
    Aws, api_gateway_request, header_pairs, lambda_answer, post, sdk_for, settings, signed, unique,
};
use lambda_http::RequestExt as _;
use serde_json::{Value, json};
use shared::aws::secrets_manager::SecretsManager;
use shared::aws::sqs::SqsQueue;
use shared::config::Settings;
use shared::pipeline::Pipeline;
use shared::secrets::SecretCache;

const APP_SECRET: &str = "trace-app-secret";

/// The `X-Amz-Target` and body of every request passed to moto.
type Seen = Arc<Mutex<Vec<(String, Value)>>>;

/// An HTTP proxy to moto that keeps what it forwards; its endpoint.
async fn recording_proxy(seen: Seen) -> String {
    let target = integration_tests::moto_endpoint().to_owned();
    let client = reqwest::Client::new();
    let forward = move |headers: HeaderMap, body: Bytes| {
        let (seen, client, target) = (Arc::clone(&seen), client.clone(), target.clone());
        async move {
            let action = headers
                .get("x-amz-target")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
            seen.lock().unwrap().push((action, json));
            let mut request = client.post(format!("{target}/")).body(body);
            for (name, value) in &headers {
                if name != http::header::HOST && name != http::header::CONTENT_LENGTH {
                    request = request.header(name, value);
                }
            }
            let response = request.send().await.unwrap();
            let status = StatusCode::from_u16(response.status().as_u16()).unwrap();
            let content_type = response
                .headers()
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("application/x-amz-json-1.0")
                .to_owned();
            let body = response.bytes().await.unwrap();
            (status, [(http::header::CONTENT_TYPE, content_type)], body)
        }
    };
    let router = axum::Router::new().fallback(forward);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    endpoint
}

/// `count` Facebook text messages with fresh mids, signed; and their event ids.
fn messages(count: usize) -> (shared::sample::Outgoing, Vec<String>) {
    let base = unique("mid");
    let mids: Vec<String> = (0..count).map(|n| format!("m_{base}_{n}")).collect();
    let messaging: Vec<Value> = mids
        .iter()
        .map(|mid| json!({"sender": {"id": "7381234567890123"}, "recipient": {"id": "104729178325631"},
                          "timestamp": 1_795_525_200_000_u64, "message": {"mid": mid, "text": "hi"}}))
        .collect();
    let body = json!({"object": "page", "entry": [{"id": "104729178325631", "time": 1_795_525_200_500_u64, "messaging": messaging}]});
    let request = signed(
        &Facebook,
        &json!({"app_secret": APP_SECRET, "verify_token": "v"}),
        post(body.to_string().as_bytes(), "application/json"),
        SystemTime::now(),
    );
    let ids = mids
        .iter()
        .map(|mid| format!("facebook:demo:{mid}"))
        .collect();
    (request, ids)
}

/// The API Gateway request for `request`, in an invocation the runtime traced as `trace`.
fn invocation(request: &shared::sample::Outgoing, trace: Option<&str>) -> lambda_http::Request {
    let headers = header_pairs(request);
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let gateway = api_gateway_request("POST", "/facebook/demo", "demo", &headers, &request.body);
    let mut context = lambda_http::Context::default();
    context.request_id = unique("invocation");
    context.xray_trace_id = trace.map(str::to_owned);
    gateway.with_lambda_context(context)
}

/// The `AWSTraceHeader` of each message sent, by event id, from the requests on the wire.
fn sent_headers(seen: &Seen) -> Vec<(String, Option<String>)> {
    let mut sent = Vec::new();
    for (action, body) in seen.lock().unwrap().iter() {
        let entries = match action.as_str() {
            "AmazonSQS.SendMessage" => vec![body.clone()],
            "AmazonSQS.SendMessageBatch" => body["Entries"].as_array().unwrap().clone(),
            _ => continue,
        };
        for entry in entries {
            let envelope: Value =
                serde_json::from_str(entry["MessageBody"].as_str().unwrap()).unwrap();
            let header = &entry["MessageSystemAttributes"]["AWSTraceHeader"];
            if !header.is_null() {
                assert_eq!(header["DataType"], "String");
            }
            sent.push((
                envelope["event_id"].as_str().unwrap().to_owned(),
                header["StringValue"].as_str().map(str::to_owned),
            ));
        }
    }
    sent
}

#[tokio::test]
async fn the_trace_id_goes_to_sqs_as_aws_trace_header_on_single_and_batch_sends() {
    let aws = Aws::new().await;
    let queue_url = aws.fifo_queue().await;
    let settings = Settings {
        secrets_prefix: format!("{}/", unique("trace")),
        ..settings()
    };
    let secret =
        json!({"app_secret": APP_SECRET, "verify_token": "v", "page_access_token": "EAAB"});
    aws.put_secret(&settings.secret_name("facebook", "demo"), &secret)
        .await;
    let seen = Seen::default();
    let proxy = recording_proxy(Arc::clone(&seen)).await;
    let queue = SqsQueue::with_config(&sdk_for(&proxy).await, queue_url.clone());
    let store = SecretsManager::with_config(&aws.sdk);
    let cache = Arc::new(SecretCache::new(Arc::new(store), settings.secrets_ttl));
    let pipeline = Pipeline::new(Facebook, cache, Arc::new(queue), settings);

    let single = "Root=1-6744a1f0-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1";
    let batch = "Root=1-6744a1f1-fedcba9876543210fedcba98;Parent=1f2e3d4c5b6a7988;Sampled=0";
    let mut want = Vec::new();
    for (count, trace) in [(1, Some(single)), (3, Some(batch)), (1, None)] {
        let (request, ids) = messages(count);
        let response = shared::lambda::handle(&pipeline, invocation(&request, trace)).await;
        assert_eq!(lambda_answer(&response).0, 200);
        want.extend(ids.into_iter().map(|id| (id, trace.map(str::to_owned))));
    }
    assert_eq!(sent_headers(&seen), want, "on the wire");
    let actions: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|(a, _)| a.clone())
        .collect();
    assert!(actions.contains(&"AmazonSQS.SendMessageBatch".to_owned()));

    let mut received = Vec::new();
    while received.len() < want.len() {
        let output = aws
            .sqs
            .receive_message()
            .queue_url(&queue_url)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .message_system_attribute_names(MessageSystemAttributeName::AwsTraceHeader)
            .send()
            .await
            .unwrap();
        assert!(!output.messages().is_empty(), "only {received:?} arrived");
        for message in output.messages() {
            let envelope: Value = serde_json::from_str(message.body().unwrap()).unwrap();
            let header = message
                .attributes()
                .and_then(|a| a.get(&MessageSystemAttributeName::AwsTraceHeader))
                .cloned();
            received.push((envelope["event_id"].as_str().unwrap().to_owned(), header));
            aws.sqs
                .delete_message()
                .queue_url(&queue_url)
                .receipt_handle(message.receipt_handle().unwrap())
                .send()
                .await
                .unwrap();
        }
    }
    for ((id, header), (want_id, want_header)) in received.iter().zip(&want) {
        assert_eq!(id, want_id, "in order");
        // moto returns what SendMessage set; it drops what SendMessageBatch entries set.
        let batched = want_header.as_deref() == Some(batch);
        assert!(
            header == want_header || (batched && header.is_none()),
            "{id}: {header:?}"
        );
    }
    assert_eq!(received[0].1.as_deref(), Some(single), "read back from SQS");
}
