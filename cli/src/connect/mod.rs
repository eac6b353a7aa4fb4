//! `receivers connect <channel>`: checks a bot's credentials with its platform, writes its
//! secret, registers its webhook where the platform has an API for it, and says what it did
//! (with `--dry-run`, what it would do).

mod abc;
mod answers;
mod facebook;
mod flags;
mod graph;
mod slack;
mod telegram;
mod viber;
mod whatsapp;

use std::time::Duration;

use anyhow::{Context as _, anyhow, bail};
use serde_json::{Map, Value};
use shared::config::Settings;

use self::answers::{text, unexpected};
use self::flags::parse_base_url;
pub use self::flags::{parse_bot_name, parse_secret};
use crate::platform_api::{Answer, Call, PlatformClient};
use crate::secret_admin::Written;
use crate::stores::StoreArgs;

/// How long a secret store call may take here (no platform is waiting on us).
const STORE_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  TELEGRAM_BOT_TOKEN=123456:ABC… receivers connect telegram --bot mybot --url https://api.example.com
  SECRETS_SOURCE=aws receivers connect slack --bot team --url https://api.example.com \\
      --bot-token xoxb-… --signing-secret …
  receivers connect viber --bot shop --url https://api.example.com --token … --dry-run")]
pub struct ConnectArgs {
    #[command(subcommand)]
    pub platform: PlatformArgs,
}

#[derive(Debug, clap::Subcommand)]
pub enum PlatformArgs {
    /// A Telegram bot: getMe, then setWebhook with a fresh secret_token.
    Telegram(telegram::Args),
    /// A Viber bot: get_account_info, then set_webhook.
    Viber(viber::Args),
    /// A Facebook page: the page token's /me, then the page's subscribed_apps.
    Facebook(facebook::Args),
    /// A Slack app: auth.test; prints the Request URLs to paste in the app's settings.
    Slack(slack::Args),
    /// Apple Messages for Business: prints the endpoint to register with Apple.
    Abc(abc::Args),
    /// A WhatsApp Business Account: its /{waba-id}, then its subscribed_apps.
    #[command(name = "whatsapp")]
    WhatsApp(whatsapp::Args),
}

/// What every platform's `connect` takes.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// The bot's name: it names the secret and the webhook path ([A-Za-z0-9_-], up to 64).
    #[arg(long, value_parser = parse_bot_name)]
    pub bot: String,
    /// The public base URL of the receivers: the API's URL, or a tunnel to `receivers serve`.
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    pub url: String,
    /// Print the calls (credentials redacted) and the secret's fields; call and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub stores: StoreArgs,
}

/// Who the credentials belong to, as the platform says, and fields it adds to the secret.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub describe: String,
    pub fields: Map<String, Value>,
}

/// One messenger's side of `connect`.
pub trait Platform {
    /// The channel, as in routes and secret names.
    fn channel(&self) -> &'static str;
    /// The platform's name, for people.
    fn title(&self) -> &'static str;
    /// Checks that need no call; the reason when the credentials cannot be right.
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }
    /// The credential check, with the platform's name for it.
    fn check(&self) -> Option<(&'static str, Call)>;
    /// Reads the check's answer: who the bot is, or the platform's refusal in its words.
    fn identify(&self, answer: &Answer) -> Result<Identity, String>;
    /// The secret's document (DESIGN §3 fields).
    fn secret(&self, identity: &Identity) -> Map<String, Value>;
    /// The webhook registration, where the platform has an API for it (none by default: the
    /// webhook is set in the platform's console, see `console`).
    fn register(&self, _webhook: &str) -> Option<(&'static str, Call)> {
        None
    }
    /// Reads the registration's answer.
    fn registered(&self, _answer: &Answer) -> Result<(), String> {
        Ok(())
    }
    /// What to paste in the platform's console, one step a line.
    fn console(&self, webhook: &str) -> Vec<String>;
}

pub async fn run(args: ConnectArgs) -> anyhow::Result<()> {
    let (platform, common): (Box<dyn Platform>, Common) = match args.platform {
        PlatformArgs::Telegram(args) => args.into_parts(),
        PlatformArgs::Viber(args) => args.into_parts(),
        PlatformArgs::Facebook(args) => args.into_parts(),
        PlatformArgs::Slack(args) => args.into_parts(),
        PlatformArgs::Abc(args) => args.into_parts(),
        PlatformArgs::WhatsApp(args) => args.into_parts(),
    };
    Connection::new(platform.as_ref(), &common)?
        .run(&common)
        .await
}

/// One `connect` in progress.
struct Connection<'a> {
    platform: &'a dyn Platform,
    webhook: String,
    name: String,
}

impl<'a> Connection<'a> {
    fn new(platform: &'a dyn Platform, common: &Common) -> anyhow::Result<Self> {
        let settings = Settings::from_env()?;
        let channel = platform.channel();
        platform
            .validate()
            .map_err(|reason| anyhow!("{reason}. Nothing was written."))?;
        Ok(Self {
            platform,
            webhook: format!("{}/{channel}/{}", common.url, common.bot),
            name: settings.secret_name(channel, &common.bot),
        })
    }

    async fn run(&self, common: &Common) -> anyhow::Result<()> {
        let secrets = common.stores.writable_secrets(STORE_TIMEOUT).await?;
        if common.dry_run {
            self.show_plan(&secrets.describe());
            return Ok(());
        }
        let title = self.platform.title();
        let client = PlatformClient::new()?;
        let identity = match self.platform.check() {
            Some((what, call)) => {
                println!("Checking the credentials with {title} ({what})…");
                let answer = client
                    .send(&call)
                    .await
                    .with_context(|| format!("{title} {what} failed. Nothing was written."))?;
                let identity = self.platform.identify(&answer).map_err(|reason| {
                    anyhow!("{title} refused the credentials: {reason}. Nothing was written.")
                })?;
                println!("  ok: {}", identity.describe);
                identity
            }
            None => {
                println!(
                    "{title} has no API to check these credentials; they are stored as given."
                );
                Identity::default()
            }
        };
        let document = Value::Object(self.platform.secret(&identity));
        let fields = field_names(&document);
        let written = secrets
            .write(&self.name, &document)
            .await
            .with_context(|| {
                format!(
                    "could not write the secret {} to {}. Nothing was written.",
                    self.name,
                    secrets.describe()
                )
            })?;
        let verb = match written {
            Written::Created => "Created",
            Written::Replaced => "Replaced",
        };
        println!(
            "{verb} the secret {} in {} (fields: {fields}).",
            self.name,
            secrets.describe()
        );
        if let Some((what, call)) = self.platform.register(&self.webhook) {
            println!("Registering the webhook {} ({what})…", self.webhook);
            let outcome = match client.send(&call).await {
                Ok(answer) => self.platform.registered(&answer),
                Err(err) => Err(format!("{err:#}")),
            };
            if let Err(reason) = outcome {
                bail!(self.left_behind(common, &secrets.describe(), written, &reason));
            }
            println!("  ok: {title} delivers to {}", self.webhook);
        }
        self.show_console_steps();
        println!(
            "Done: {}/{} is attached. Check it with `receivers bots show {}/{}`.",
            self.platform.channel(),
            common.bot,
            self.platform.channel(),
            common.bot
        );
        Ok(())
    }

    /// The message for a registration that failed after the secret was written.
    fn left_behind(&self, common: &Common, store: &str, written: Written, reason: &str) -> String {
        let title = self.platform.title();
        let (env, flags) = common.stores.same_store();
        let replaced = match written {
            Written::Created => "",
            Written::Replaced => ", replacing the one it had",
        };
        format!(
            "{title} did not register the webhook: {reason}\n\
             State left: the secret {name} is written in {store}{replaced}; the webhook {webhook} \
             is not registered with {title}.\n\
             To finish: fix the cause and run the same command again (it checks, writes and \
             registers anew).\n\
             To undo: {env}receivers bots remove {channel}/{bot}{flags}",
            name = self.name,
            webhook = self.webhook,
            channel = self.platform.channel(),
            bot = common.bot,
        )
    }

    fn show_plan(&self, store: &str) {
        let title = self.platform.title();
        println!("Dry run: nothing is called or written. The steps would be:");
        match self.platform.check() {
            Some((what, call)) => println!(
                "1. check the credentials with {title} ({what}):\n     {}",
                call.shown()
            ),
            None => println!("1. no check: {title} has no API for it"),
        }
        let document = Value::Object(self.platform.secret(&Identity::default()));
        println!(
            "2. write the secret {} to {store}, fields: {}",
            self.name,
            field_names(&document)
        );
        match self.platform.register(&self.webhook) {
            Some((what, call)) => println!(
                "3. register the webhook with {title} ({what}):\n     {}",
                call.shown()
            ),
            None => println!("3. no registration call: {title} is configured in its console"),
        }
        self.show_console_steps();
    }

    fn show_console_steps(&self) {
        let steps = self.platform.console(&self.webhook);
        if !steps.is_empty() {
            println!("In the {} console:", self.platform.title());
            for step in steps {
                println!("  - {step}");
            }
        }
    }
}

fn field_names(document: &Value) -> String {
    document
        .as_object()
        .map(|map| map.keys().cloned().collect::<Vec<_>>().join(", "))
        .unwrap_or_default()
}
