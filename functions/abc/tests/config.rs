//! `ABC_MAX_TOKEN_AGE_SECONDS`: unset means no limit; a bad value fails at start.

use std::collections::HashMap;
use std::time::Duration;

use abc_receiver::Abc;
use abc_receiver::abc::MAX_TOKEN_AGE_VAR;
use shared_core::setting::ConfigError;

fn from(value: Option<&str>) -> Result<Abc, ConfigError> {
    let env: HashMap<&str, String> = value
        .map(|value| (MAX_TOKEN_AGE_VAR, value.to_owned()))
        .into_iter()
        .collect();
    Abc::from_lookup(|name| env.get(name).cloned())
}

#[test]
fn unset_or_empty_means_no_maximum_age() {
    assert_eq!(from(None), Ok(Abc::default()));
    assert_eq!(
        from(Some("")),
        Ok(Abc {
            max_token_age: None
        })
    );
    assert_eq!(Abc::default().max_token_age, None);
}

#[test]
fn a_number_of_seconds_sets_the_maximum_age() {
    assert_eq!(
        from(Some("300")).unwrap().max_token_age,
        Some(Duration::from_secs(300))
    );
    assert_eq!(
        from(Some(" 3600 ")).unwrap().max_token_age,
        Some(Duration::from_secs(3600))
    );
    assert_eq!(
        from(Some("86400")).unwrap().max_token_age,
        Some(Duration::from_secs(86_400))
    );
}

#[test]
fn bad_values_fail_with_their_name() {
    for bad in ["0", "-5", "soon", "1.5", "86401", "99999999999999999999"] {
        let err = from(Some(bad)).unwrap_err();
        assert!(
            err.to_string().starts_with("ABC_MAX_TOKEN_AGE_SECONDS="),
            "{bad}: {err}"
        );
    }
}
