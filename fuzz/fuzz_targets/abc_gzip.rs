//! Apple's gzip bodies: `decode_body` on any bytes declared gzip, then `receive` on what inflates.
#![no_main]

use abc_receiver::Abc;
use libfuzzer_sys::fuzz_target;
use receivers_benches::channels::abc;
use receivers_benches::{BODY_LIMIT, Case};
use shared_core::Channel;

fuzz_target!(|body: &[u8]| {
    let case = Case::post(body.to_vec())
        .header("content-encoding", "gzip")
        .header("id", "5d2f7c1e-8a4b-4c3d-9e0f-000000000001")
        .header("source-id", abc::SOURCE_ID);
    if let Ok(Some(inflated)) = Abc::default().decode_body(&case.request(), BODY_LIMIT) {
        assert!(inflated.len() <= BODY_LIMIT, "inflated past the limit");
        let case = Case {
            body: inflated,
            ..case
        };
        receivers_fuzz::normalize(&Abc::default(), &abc::secret(), &case);
    }
});
