//! CPU per request: decode + authenticate + normalize + envelope JSON, per messenger, on
//! realistic ~1 KB and ~16 KB bodies signed for a fixed "now".

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use receivers_benches::channels::{SIZES, abc, facebook, slack, telegram, viber, whatsapp};
use receivers_benches::{Outgoing, now, process};
use shared_core::channel::{envelope_from, verify};
use shared_core::sample::Fresh;
use shared_core::secret::SecretDocument;
use shared_core::{Channel, Outcome};

fn bench<C: Channel>(
    c: &mut Criterion,
    name: &str,
    channel: &C,
    secret: &C::Secret,
    cases: &[(&str, Outgoing)],
) {
    let mut group = c.benchmark_group(name);
    for (size, case) in cases {
        let request = case.as_request();
        let (events, json) =
            process(channel, secret, &request, now()).expect("the sample is accepted");
        assert!(events > 0, "{size}: the sample makes events");
        let body = case.body.len();
        eprintln!(
            "{name}/{size}: {body} byte body, {events} event(s), {json} bytes of envelope JSON"
        );
        group.throughput(Throughput::Elements(events as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), &request, |b, request| {
            b.iter(|| process(channel, secret, black_box(request), now()));
        });
    }
    group.finish();
}

fn cases(
    sign: fn(Vec<u8>) -> Outgoing,
    sized: fn(usize) -> Vec<u8>,
) -> Vec<(&'static str, Outgoing)> {
    SIZES
        .iter()
        .map(|&(name, target)| (name, sign(sized(target))))
        .collect()
}

fn per_event(c: &mut Criterion) {
    bench(
        c,
        "telegram",
        &telegram_receiver::Telegram,
        &telegram::secret(),
        &cases(telegram::sign, telegram::sized),
    );
    bench(
        c,
        "viber",
        &viber_receiver::Viber,
        &viber::secret(),
        &cases(viber::sign, viber::sized),
    );
    bench(
        c,
        "facebook",
        &facebook_receiver::Facebook,
        &facebook::secret(),
        &cases(facebook::sign, facebook::sized),
    );
    bench(
        c,
        "slack",
        &slack_receiver::Slack,
        &slack::secret(),
        &cases(slack::sign, slack::sized),
    );
    bench(
        c,
        "whatsapp",
        &whatsapp_receiver::WhatsApp,
        &whatsapp::secret(),
        &cases(whatsapp::sign, whatsapp::sized),
    );
    let abc_cases = cases(abc::sign, abc::sized);
    bench(
        c,
        "abc",
        &abc_receiver::Abc::default(),
        &abc::secret(),
        &abc_cases,
    );
    let gzipped: Vec<_> = abc_cases
        .into_iter()
        .map(|(size, case)| (size, abc::gzipped(case)))
        .collect();
    bench(
        c,
        "abc_gzip",
        &abc_receiver::Abc::default(),
        &abc::secret(),
        &gzipped,
    );
}

/// Where a 1 KB Telegram update's time goes: the secret check, `receive` alone, and the JSON of
/// its envelope alone.
fn telegram_phases(c: &mut Criterion) {
    let case = telegram::sign(telegram::sized(1024));
    let request = case.as_request();
    let (channel, secret) = (telegram_receiver::Telegram, telegram::secret());
    let mut group = c.benchmark_group("telegram_phases_1KB");
    group.bench_function("authenticate", |b| {
        b.iter(|| verify(&channel, black_box(request), &secret, now()));
    });
    let verified = verify(&channel, request, &secret, now()).expect("the sample is signed");
    group.bench_function("receive", |b| {
        b.iter(|| channel.receive(black_box(&verified), &secret, now()));
    });
    let Ok(Outcome::Events { mut events, .. }) = channel.receive(&verified, &secret, now()) else {
        panic!("the sample makes an event");
    };
    let envelope = envelope_from(
        "telegram",
        "demo",
        "2026-11-24T13:00:01.120Z",
        events.remove(0),
    );
    group.bench_function("serialize", |b| {
        b.iter(|| serde_json::to_vec(black_box(&envelope)));
    });
    group.finish();
}

/// Every sample event of every messenger of the registry, made fresh and signed through the
/// registry with the demo bot's secret: a messenger added later is measured with no change here.
struct Samples<'c>(&'c mut Criterion);

impl messengers::Visitor for Samples<'_> {
    type Error = shared_core::setting::ConfigError;

    fn visit<C: Channel + Default>(&mut self, channel: C) -> Result<(), Self::Error> {
        let demo: serde_json::Value = serde_json::from_str(include_str!("../../bots.example.json"))
            .expect("bots.example.json is JSON");
        let document =
            SecretDocument::from_value(demo[format!("receivers/{}/demo", C::NAME)].clone())
                .expect("every messenger has a demo bot");
        let secret: C::Secret = document.fields().expect("the demo secret is usable");
        let messenger = messengers::find(C::NAME).expect("registered");
        let mut group = self.0.benchmark_group(format!("samples/{}", C::NAME));
        for kind in messengers::samples::kinds(C::NAME) {
            let (_, mut request) = messengers::samples::find(C::NAME, kind).expect("a sample");
            messenger
                .prepare(&mut request, &document, &mut Fresh::new(now(), 1))
                .expect("the sample signs");
            let request = request.as_request();
            if process(&channel, &secret, &request, now()).map_or(true, |(events, _)| events == 0) {
                continue;
            }
            group.bench_with_input(BenchmarkId::from_parameter(kind), &request, |b, request| {
                b.iter(|| process(&channel, &secret, black_box(request), now()));
            });
        }
        group.finish();
        Ok(())
    }
}

fn samples(c: &mut Criterion) {
    let _ = messengers::visit_all(&mut Samples(c), &|_| None);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = per_event, telegram_phases, samples
}
criterion_main!(benches);
