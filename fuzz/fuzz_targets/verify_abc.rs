//! Apple's JWT and business checks on any headers and clock; when signed, the token is the
//! input's own header and claims, correctly signed, so the claim checks run on them.
#![no_main]

use std::time::Duration;

use abc_receiver::Abc;
use libfuzzer_sys::fuzz_target;
use receivers_benches::channels::abc;
use receivers_fuzz::Input;
use receivers_fuzz::forged::forged_apple_jwt;
use shared_core::Channel;

fuzz_target!(|input: Input| {
    let mut case = input.case(&["authorization", "destination-id", "content-encoding"]);
    if input.sign {
        let token = forged_apple_jwt(&input.jwt_header, &input.jwt_claims, &abc::key());
        case.set_header("authorization", &format!("Bearer {token}"))
            .expect("a header value");
    }
    let max_age =
        (input.skew % 3 == 0).then(|| Duration::from_secs(u64::from(input.skew.unsigned_abs())));
    let channel = Abc {
        max_token_age: max_age,
    };
    let _ = channel.authenticate(&case.as_request(), &abc::secret(), input.now());
});
