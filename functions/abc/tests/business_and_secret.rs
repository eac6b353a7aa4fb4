//! The business check after the token, and the secret that never shows its value.

mod common;

use abc_receiver::{Abc, AbcSecret};
use common::{
    API_SECRET, BUSINESS_ID, CSP_ID, check_headers, check_with, fixture_json, headers_for, refused,
    secret, secret_for_business, set,
};
use serde_json::json;
use shared_core::Rejection;
use shared_core::testing::fixed_now;

#[test]
fn the_business_is_checked_after_the_token() {
    let headers = headers_for(&fixture_json("text"));
    assert_eq!(
        check_headers(
            &Abc::default(),
            &secret_for_business(BUSINESS_ID),
            &headers,
            fixed_now()
        ),
        Ok(())
    );
    let other = secret_for_business("00000000-0000-4000-8000-000000000000");
    assert!(matches!(
        check_headers(&Abc::default(), &other, &headers, fixed_now()),
        Err(Rejection::NotThisBot(_))
    ));
    let mut without = headers.clone();
    without.remove("destination-id");
    assert!(matches!(
        check_headers(
            &Abc::default(),
            &secret_for_business(BUSINESS_ID),
            &without,
            fixed_now()
        ),
        Err(Rejection::NotThisBot(_))
    ));
    assert_eq!(
        check_headers(&Abc::default(), &secret(), &without, fixed_now()),
        Ok(()),
        "no business_id, no check"
    );
    assert_eq!(
        check_headers(
            &Abc::default(),
            &secret_for_business(" "),
            &without,
            fixed_now()
        ),
        Ok(()),
        "an empty business_id is no business_id"
    );
    let mut forged = headers;
    set(&mut forged, "authorization", "Bearer x.y.z");
    assert!(
        refused(check_headers(&Abc::default(), &other, &forged, fixed_now())),
        "401 comes before the business 404"
    );
}

#[test]
fn the_secret_never_shows_its_value() {
    let secret = secret_for_business(BUSINESS_ID);
    let printed = format!("{secret:?} {secret:#?}");
    assert!(!printed.contains(API_SECRET), "{printed}");
    assert!(!printed.contains("demo-apple"), "{printed}");
    assert!(
        printed.contains(CSP_ID),
        "the CSP id is no secret: {printed}"
    );
    let rejection = check_with(&Abc::default(), &secret, None).unwrap_err();
    assert!(!format!("{rejection:?} {rejection}").contains(API_SECRET));
}

#[test]
fn an_api_secret_that_is_not_base64_is_refused_when_read() {
    let err =
        serde_json::from_value::<AbcSecret>(json!({"api_secret": "not base64!", "csp_id": CSP_ID}))
            .unwrap_err();
    assert!(!err.to_string().contains("not base64!"), "{err}");
    assert!(
        serde_json::from_value::<AbcSecret>(json!({"api_secret": API_SECRET})).is_err(),
        "csp_id is required"
    );
    let unpadded = API_SECRET.trim_end_matches('=');
    assert!(AbcSecret::new(unpadded, CSP_ID, None).is_some());
    assert!(AbcSecret::new("", CSP_ID, None).is_none());
}
