//! Facebook Messenger: the page token's `/me` checks the token (with `appsecret_proof`, so the
//! app secret is checked too); `/me/subscribed_apps` subscribes the app to the page's fields the
//! receiver handles. The callback URL itself is set in the app's dashboard.

use serde_json::{Map, Value, json};
use shared::{Channel, SecretString};

use super::graph::{self, GraphApp};
use super::{Common, Identity, Platform, parse_secret};
use crate::platform_api::{Answer, Body, Call, api_base};

#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  FACEBOOK_PAGE_ACCESS_TOKEN=EAAB… FACEBOOK_APP_SECRET=… FACEBOOK_VERIFY_TOKEN=… \\
      receivers connect facebook --bot shop --url https://api.example.com
Environment: GRAPH_API_URL (default https://graph.facebook.com/v21.0).")]
pub struct Args {
    /// The page access token.
    #[arg(long, env = "FACEBOOK_PAGE_ACCESS_TOKEN", hide_env_values = true, value_parser = parse_secret)]
    page_access_token: SecretString,
    /// The app secret (App settings → Basic).
    #[arg(long, env = "FACEBOOK_APP_SECRET", hide_env_values = true, value_parser = parse_secret)]
    app_secret: SecretString,
    /// A verify token of your choosing; paste the same in the app's webhook settings.
    #[arg(long, env = "FACEBOOK_VERIFY_TOKEN", hide_env_values = true, value_parser = parse_secret)]
    verify_token: SecretString,
    #[command(flatten)]
    common: Common,
}

impl Args {
    pub fn into_parts(self) -> (Box<dyn Platform>, Common) {
        let facebook = Facebook {
            api: api_base("GRAPH_API_URL", "https://graph.facebook.com/v21.0"),
            page_access_token: self.page_access_token,
            app_secret: self.app_secret,
            verify_token: self.verify_token,
        };
        (Box::new(facebook), self.common)
    }
}

struct Facebook {
    api: String,
    page_access_token: SecretString,
    app_secret: SecretString,
    verify_token: SecretString,
}

impl Facebook {
    fn graph(&self) -> GraphApp<'_> {
        GraphApp {
            api: &self.api,
            access_token: &self.page_access_token,
            app_secret: &self.app_secret,
            verify_token: self.verify_token.expose(),
        }
    }
}

impl Platform for Facebook {
    fn channel(&self) -> &'static str {
        "facebook"
    }

    fn title(&self) -> &'static str {
        "Facebook"
    }

    fn check(&self) -> Option<(&'static str, Call)> {
        Some(("/me", self.graph().check("me")))
    }

    fn identify(&self, answer: &Answer) -> Result<Identity, String> {
        graph::identify(answer, "page")
    }

    fn secret(&self, _: &Identity) -> Map<String, Value> {
        let mut document = Map::new();
        document.insert("app_secret".into(), json!(self.app_secret.expose()));
        document.insert("verify_token".into(), json!(self.verify_token.expose()));
        document.insert(
            "page_access_token".into(),
            json!(self.page_access_token.expose()),
        );
        document
    }

    fn register(&self, _: &str) -> Option<(&'static str, Call)> {
        let mut form = vec![(
            "subscribed_fields".to_owned(),
            <facebook_receiver::Facebook as Channel>::SUBSCRIBED_KINDS.join(","),
        )];
        form.extend(self.graph().credentials());
        Some((
            "/me/subscribed_apps",
            self.graph()
                .call(http::Method::POST, "me/subscribed_apps")
                .body(Body::Form(form)),
        ))
    }

    fn registered(&self, answer: &Answer) -> Result<(), String> {
        if answer.status.is_success() && answer.body["success"] == Value::Bool(true) {
            Ok(())
        } else {
            Err(graph::refusal(answer))
        }
    }

    fn console(&self, webhook: &str) -> Vec<String> {
        vec![
            format!("App dashboard → Webhooks → Page: callback URL {webhook}"),
            "verify token: the value you passed as --verify-token".to_owned(),
            format!(
                "subscribe the fields {}",
                <facebook_receiver::Facebook as Channel>::SUBSCRIBED_KINDS.join(", ")
            ),
        ]
    }
}
