//! One invocation's metrics written `N` times by each writer, into a buffer cleared each time
//! (what stdout would get): time per invocation and the bytes written.

use std::hint::black_box;
use std::time::{Duration, Instant};

use shared::metrics::Report;

pub const N: u32 = 200_000;

/// An accepted Facebook request: three envelopes enqueued, one echo left out.
pub fn report() -> Report {
    Report {
        bot: "demo".into(),
        enqueued: 3,
        echoes: 1,
        enqueue: Some(Duration::from_micros(1_250)),
        handler: Duration::from_micros(2_500),
        ..Report::new("facebook")
    }
}

/// Runs `emit` N times after N/10 discarded; prints the time per call and the bytes of one call
/// on stderr (and, with `--show`, what one call wrote on stdout).
pub fn measure(name: &str, mut emit: impl FnMut(&Report, &mut Vec<u8>)) {
    let report = report();
    let mut out = Vec::with_capacity(4096);
    for _ in 0..N / 10 {
        out.clear();
        emit(black_box(&report), &mut out);
    }
    let started = Instant::now();
    for _ in 0..N {
        out.clear();
        emit(black_box(&report), &mut out);
        black_box(&out);
    }
    let nanos = started.elapsed().as_nanos() as f64 / f64::from(N);
    eprintln!("{name}: {nanos:.0} ns per invocation, {} bytes", out.len());
    if std::env::args().any(|arg| arg == "--show") {
        print!("{}", String::from_utf8_lossy(&out));
    }
}
