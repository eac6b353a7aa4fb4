//! Apple Messages for Business: parse and normalize any body under Apple's headers, signed by
//! `Abc::sign`, then serialize the envelopes.
#![no_main]

use abc_receiver::Abc;
use libfuzzer_sys::fuzz_target;
use receivers_benches::channels::abc;
use receivers_benches::{Outgoing, signed};

fuzz_target!(|body: &[u8]| {
    let mut case = Outgoing::post(body.to_vec());
    for (name, value) in [
        ("id", "5d2f7c1e-8a4b-4c3d-9e0f-000000000001"),
        ("source-id", abc::SOURCE_ID),
        ("destination-id", abc::BUSINESS_ID),
        ("capability-list", "AUTH,LIST,TIME,FORM,QUICK,AUTH2"),
        ("device-agent", "iPhone OS"),
        ("locale", "en_US"),
    ] {
        case.set_header(name, value).expect("a header value");
    }
    let case = signed(&Abc::default(), &abc::secret(), case);
    receivers_fuzz::normalize(&Abc::default(), &abc::secret(), &case);
});
