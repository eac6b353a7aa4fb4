//! Apple Messages for Business: no API checks the credentials or takes the endpoint, so the
//! secret is checked for form and the endpoint to register with Apple is printed.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use serde_json::{Map, Value, json};
use shared::SecretString;

use super::{Common, Identity, Platform, parse_secret};
use crate::platform_api::{Answer, Call};

#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  ABC_API_SECRET=ZGVtby1… ABC_CSP_ID=7a1b2c3d-… receivers connect abc --bot support \\
      --url https://api.example.com --business-id 6c3e1a7b-…")]
pub struct Args {
    /// The API secret Apple issued to the messaging service provider (base64).
    #[arg(long, env = "ABC_API_SECRET", hide_env_values = true, value_parser = parse_secret)]
    api_secret: SecretString,
    /// The messaging service provider id: the audience of Apple's tokens.
    #[arg(long, env = "ABC_CSP_ID")]
    csp_id: String,
    /// The business id: requests for another business are refused (404).
    #[arg(long, env = "ABC_BUSINESS_ID")]
    business_id: Option<String>,
    #[command(flatten)]
    common: Common,
}

impl Args {
    pub fn into_parts(self) -> (Box<dyn Platform>, Common) {
        let abc = Abc {
            api_secret: self.api_secret,
            csp_id: self.csp_id.trim().to_owned(),
            business_id: self.business_id.map(|id| id.trim().to_owned()),
        };
        (Box::new(abc), self.common)
    }
}

struct Abc {
    api_secret: SecretString,
    csp_id: String,
    business_id: Option<String>,
}

impl Platform for Abc {
    fn channel(&self) -> &'static str {
        "abc"
    }

    fn title(&self) -> &'static str {
        "Apple Messages for Business"
    }

    fn validate(&self) -> Result<(), String> {
        let decoded = [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
            .iter()
            .find_map(|engine| engine.decode(self.api_secret.expose()).ok())
            .ok_or_else(|| "--api-secret is not base64, as Apple issues it".to_owned())?;
        if decoded.is_empty() {
            return Err("--api-secret decodes to nothing".to_owned());
        }
        if self.csp_id.is_empty() {
            return Err("--csp-id must not be empty".to_owned());
        }
        Ok(())
    }

    fn check(&self) -> Option<(&'static str, Call)> {
        None
    }

    fn identify(&self, _: &Answer) -> Result<Identity, String> {
        Ok(Identity::default())
    }

    fn secret(&self, _: &Identity) -> Map<String, Value> {
        let mut document = Map::new();
        document.insert("api_secret".into(), json!(self.api_secret.expose()));
        document.insert("csp_id".into(), json!(self.csp_id));
        if let Some(business_id) = self.business_id.as_ref().filter(|id| !id.is_empty()) {
            document.insert("business_id".into(), json!(business_id));
        }
        document
    }

    fn console(&self, webhook: &str) -> Vec<String> {
        vec![format!(
            "Apple Business Register → your messaging service provider's endpoint: {webhook} \
             (Apple appends /message; both routes answer)"
        )]
    }
}
