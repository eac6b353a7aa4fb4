//! The embedded queue's append: one envelope (a ~1 KB Telegram update as `raw`) per request, fsync'd before the answer, alone
//! and with concurrent requests sharing one fsync (group commit).

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use receivers_benches::channels::telegram;
use serde_json::value::RawValue;
use shared::ports::Queue as _;
use shared::spool::Spool;
use shared_core::testing::sample_envelope;

const CONCURRENT: usize = 32;

fn spool(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let spool = Spool::open(dir.path().join("spool.jsonl")).expect("the spool opens");
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let update = String::from_utf8(telegram::sized(1024)).expect("UTF-8 JSON");
    let raw = RawValue::from_string(update).expect("JSON");
    let mut next = 0_u64;
    let mut envelope = move || {
        next += 1;
        let event_id = format!("telegram:demo:{next}");
        let mut envelope = sample_envelope("telegram", "demo", "-1001234567890", &event_id);
        envelope.raw = raw.clone();
        envelope
    };
    let mut group = c.benchmark_group("spool");
    group.throughput(Throughput::Elements(1));
    group.bench_function("append_1", |b| {
        b.iter(|| {
            let batch = [envelope()];
            runtime.block_on(spool.send(&batch)).expect("appended");
        });
    });
    group.throughput(Throughput::Elements(CONCURRENT as u64));
    group.bench_function("append_32_concurrent", |b| {
        b.iter(|| {
            let sends: Vec<_> = (0..CONCURRENT)
                .map(|_| {
                    let spool = spool.clone();
                    let batch = [envelope()];
                    runtime.spawn(async move { spool.send(&batch).await })
                })
                .collect();
            runtime.block_on(async {
                for send in sends {
                    send.await.expect("joined").expect("appended");
                }
            });
        });
    });
    group.finish();
    spool.close();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = spool
}
criterion_main!(benches);
