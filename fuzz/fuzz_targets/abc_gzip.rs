//! Apple's gzip bodies: `decode_body` on any bytes declared gzip, then `receive` on what inflates.
#![no_main]

use abc_receiver::Abc;
use libfuzzer_sys::fuzz_target;
use receivers_benches::channels::abc;
use receivers_benches::{BODY_LIMIT, Outgoing, signed};
use shared_core::Channel;

fuzz_target!(|body: &[u8]| {
    let mut case = Outgoing::post(body.to_vec());
    for (name, value) in [
        ("content-encoding", "gzip"),
        ("id", "5d2f7c1e-8a4b-4c3d-9e0f-000000000001"),
        ("source-id", abc::SOURCE_ID),
    ] {
        case.set_header(name, value).expect("a header value");
    }
    if let Ok(Some(inflated)) = Abc::default().decode_body(&case.as_request(), BODY_LIMIT) {
        assert!(inflated.len() <= BODY_LIMIT, "inflated past the limit");
        let case = Outgoing {
            body: inflated,
            ..case
        };
        let case = signed(&Abc::default(), &abc::secret(), case);
        receivers_fuzz::normalize(&Abc::default(), &abc::secret(), &case);
    }
});
