//! Every messenger of the registry: the first byte picks one (in the order of their names, as
//! `fuzz/seed.sh` seeds them), the rest is a body that the
//! channel signs with its demo bot's secret (no signature to forge), then receives and
//! normalizes. A messenger added to the registry is fuzzed here with no change.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receivers_benches::{now, post};
use shared_core::Channel;
use shared_core::sample::SignError;
use shared_core::secret::SecretDocument;

/// Signs `body` for the messenger named `wanted` and runs its `receive`.
struct Receive<'a> {
    wanted: &'static str,
    body: &'a [u8],
}

impl messengers::Visitor for Receive<'_> {
    type Error = shared_core::setting::ConfigError;

    fn visit<C: Channel + Default>(&mut self, channel: C) -> Result<(), Self::Error> {
        if C::NAME != self.wanted {
            return Ok(());
        }
        let demo: serde_json::Value =
            serde_json::from_str(include_str!("../../bots.example.json")).expect("JSON");
        let document =
            SecretDocument::from_value(demo[format!("receivers/{}/demo", C::NAME)].clone())
                .expect("every messenger has a demo bot");
        let secret: C::Secret = document.fields().expect("the demo secret is usable");
        let mut request = post(self.body.to_vec(), "application/json");
        match channel.sign(&mut request, &secret, now()) {
            Ok(()) | Err(SignError::Request(_)) => {}
            Err(err) => panic!("{}: the demo secret cannot sign: {err}", C::NAME),
        }
        receivers_fuzz::normalize(&channel, &secret, &request);
        Ok(())
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let mut names: Vec<&'static str> = messengers::all().iter().map(|m| m.name).collect();
    names.sort_unstable();
    let mut receive = Receive {
        wanted: names[usize::from(selector) % names.len()],
        body,
    };
    let _ = messengers::visit_all(&mut receive, &|_| None);
});
