//! The spool's duplicate index at its fullest: appends N envelopes (one per request, in
//! batches of 1,000 for speed) and prints the process's resident memory before and after;
//! `open` re-opens that spool and prints how long reading the index back took and the memory.
//!
//! `cargo run --release -p receivers --example spool_index -- write|open PATH N`

use std::time::Instant;

use shared::ports::Queue as _;
use shared::spool::Spool;
use shared::testing::sample_envelope;

const BATCH: usize = 1000;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: spool_index write|open PATH N";
    let (phase, path) = (args.next().expect(usage), args.next().expect(usage));
    let count: usize = args.next().map_or(1_000_000, |n| n.parse().expect(usage));
    println!("before: {}", memory());
    let started = Instant::now();
    let spool = Spool::open(&path).expect("the spool opens");
    println!(
        "opened in {:.2} s, {} ids remembered: {}",
        started.elapsed().as_secs_f64(),
        spool.remembered(),
        memory()
    );
    if phase == "write" {
        let started = Instant::now();
        let received_at = shared::time::rfc3339_millis(std::time::SystemTime::now());
        for first in (0..count).step_by(BATCH) {
            let batch: Vec<_> = (first..(first + BATCH).min(count))
                .map(|n| {
                    let id = format!("telegram:demo:{n}");
                    let mut envelope = sample_envelope("telegram", "demo", "42", &id);
                    envelope.received_at.clone_from(&received_at);
                    envelope
                })
                .collect();
            spool.send(&batch).await.expect("appended");
        }
        println!(
            "appended {count} in {:.1} s, {} ids remembered: {}",
            started.elapsed().as_secs_f64(),
            spool.remembered(),
            memory()
        );
    }
    spool.close();
}

/// VmRSS and VmHWM of this process, from /proc/self/status.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .filter(|line| line.starts_with("VmRSS") || line.starts_with("VmHWM"))
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(", ")
}
