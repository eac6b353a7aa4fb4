//! Apple Messages for Business: parse and normalize any body under Apple's headers
//! (authentication bypassed), then serialize the envelopes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receivers_benches::Case;
use receivers_benches::channels::abc;

fuzz_target!(|body: &[u8]| {
    let case = Case::post(body.to_vec())
        .header("id", "5d2f7c1e-8a4b-4c3d-9e0f-000000000001")
        .header("source-id", abc::SOURCE_ID)
        .header("destination-id", abc::BUSINESS_ID)
        .header("capability-list", "AUTH,LIST,TIME,FORM,QUICK,AUTH2")
        .header("device-agent", "iPhone OS")
        .header("locale", "en_US");
    receivers_fuzz::normalize(&abc_receiver::Abc::default(), &abc::secret(), &case);
});
