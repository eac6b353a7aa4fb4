//! What the ledger adds to a request: the look-up before the enqueue and the record after it,
//! timed through `Guard` against the DynamoDB endpoint of `AWS_ENDPOINT_URL` (scripts/bench/ledger.py
//! starts moto and dynalite and creates the table).
//!
//! `cargo run --release -p receivers --example ledger_latency -- TABLE REQUESTS BATCH`

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use shared::aws::dynamodb::DynamoLedger;
use shared::envelope::Envelope;
use shared::ledger::{DEFAULT_HORIZON, Guard};
use shared::testing::sample_envelope;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let table = args
        .next()
        .expect("usage: ledger_latency TABLE REQUESTS BATCH");
    let requests: usize = args.next().map_or(1000, |n| n.parse().expect("REQUESTS"));
    let batch: usize = args.next().map_or(1, |n| n.parse().expect("BATCH"));

    let sdk = shared::aws::sdk_config(Duration::from_secs(2)).await;
    let ledger = DynamoLedger::with_config(&sdk, &table);
    ledger.warm_up().await.expect("the table answers");
    let guard = Guard::new(Arc::new(ledger), DEFAULT_HORIZON);

    let run = std::process::id();
    let (mut screens, mut records, mut both) = (Vec::new(), Vec::new(), Vec::new());
    for request in 0..requests + requests / 10 {
        let envelopes: Vec<Envelope> = (0..batch)
            .map(|item| {
                let id = format!("telegram:demo:{run}-{request}-{item}");
                sample_envelope("telegram", "demo", "42", &id)
            })
            .collect();
        let by = tokio::time::Instant::now() + Duration::from_secs(2);
        let started = Instant::now();
        let screened = guard.screen(envelopes, SystemTime::now(), by).await;
        let looked_up = Instant::now();
        assert!(
            !screened.missed && screened.fresh.len() == batch,
            "every id is new"
        );
        assert!(
            guard.record(&screened.fresh, SystemTime::now(), by).await,
            "recorded"
        );
        let recorded = Instant::now();
        // The first tenth warms connections and the emulator up; it is not counted.
        if request >= requests / 10 {
            screens.push(looked_up - started);
            records.push(recorded - looked_up);
            both.push(recorded - started);
        }
    }
    for (name, times) in [("look-up", screens), ("record", records), ("both", both)] {
        println!("{name:8} {}", summary(times));
    }
}

fn summary(mut times: Vec<Duration>) -> String {
    times.sort_unstable();
    let at = |q: f64| {
        let index = ((times.len() as f64 - 1.0) * q).round() as usize;
        times[index].as_secs_f64() * 1000.0
    };
    format!(
        "p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms  (n={})",
        at(0.5),
        at(0.99),
        at(1.0),
        times.len()
    )
}
