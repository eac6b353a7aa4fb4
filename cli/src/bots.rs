//! `receivers bots list | show NAME | remove NAME`: the bots whose secrets the configured store
//! holds. Only field names are ever printed, never their values.

use std::time::Duration;

use anyhow::{anyhow, bail};
use shared::config::Settings;
use shared::secret::{SecretDocument, UnusableField};

use crate::stores::{SecretSource, StoreArgs};

/// How long a secret store call may take here.
const STORE_TIMEOUT: Duration = Duration::from_secs(15);

/// Every channel of the registry, with the secret fields its receiver authenticates with.
fn channels() -> Vec<(&'static str, &'static [&'static str])> {
    messengers::all()
        .iter()
        .map(|messenger| (messenger.name, messenger.secret_fields))
        .collect()
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  receivers bots list --secrets-file bots.example.json
  receivers bots show telegram/demo --secrets-file bots.example.json
  SECRETS_SOURCE=aws receivers bots remove slack/team")]
pub struct BotsArgs {
    #[command(subcommand)]
    pub action: BotsAction,
}

#[derive(Debug, clap::Subcommand)]
pub enum BotsAction {
    /// Every attached bot: channel, name, the fields set, whether the receiver can use it.
    #[command(after_help = "Example:\n  receivers bots list --secrets-file bots.example.json")]
    List {
        #[command(flatten)]
        stores: StoreArgs,
    },
    /// One bot: its secret's name, route and fields (names only).
    #[command(
        after_help = "Example:\n  receivers bots show telegram/demo --secrets-file bots.example.json"
    )]
    Show {
        /// `CHANNEL/BOT`, or `BOT` when only one channel has that name.
        name: String,
        #[command(flatten)]
        stores: StoreArgs,
    },
    /// Removes a bot's secret: its webhook answers 404 from then on.
    #[command(
        after_help = "Example:\n  SECRETS_SOURCE=aws receivers bots remove slack/team --without-recovery"
    )]
    Remove {
        /// `CHANNEL/BOT`, or `BOT` when only one channel has that name.
        name: String,
        /// Secrets Manager: delete at once instead of after the recovery window.
        #[arg(long)]
        without_recovery: bool,
        #[command(flatten)]
        stores: StoreArgs,
    },
}

/// A bot: its channel and name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bot {
    channel: String,
    name: String,
}

pub async fn run(args: BotsArgs) -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    match args.action {
        BotsAction::List { stores } => {
            let secrets = stores.secrets(STORE_TIMEOUT).await?;
            list(&secrets, &settings).await
        }
        BotsAction::Show { name, stores } => {
            let secrets = stores.secrets(STORE_TIMEOUT).await?;
            let bot = resolve(&secrets, &settings, &name).await?;
            show(&secrets, &settings, &bot).await
        }
        BotsAction::Remove {
            name,
            without_recovery,
            stores,
        } => {
            let secrets = stores.secrets(STORE_TIMEOUT).await?;
            let bot = resolve(&secrets, &settings, &name).await?;
            let secret = settings.secret_name(&bot.channel, &bot.name);
            if !secrets.remove(&secret, without_recovery).await? {
                bail!("no secret {secret} in {}", secrets.describe());
            }
            println!("Removed the secret {secret} from {}.", secrets.describe());
            if matches!(secrets, SecretSource::Aws(_)) && !without_recovery {
                println!(
                    "Secrets Manager keeps it for its recovery window; `receivers connect` \
                     restores it, --without-recovery deletes at once."
                );
            }
            println!(
                "Deliveries to /{}/{} now answer 404 (a running receiver may use its cached \
                 copy for up to SECRETS_TTL_SECONDS); unregister the webhook with {} to stop them.",
                bot.channel, bot.name, bot.channel
            );
            Ok(())
        }
    }
}

async fn list(secrets: &SecretSource, settings: &Settings) -> anyhow::Result<()> {
    let bots = bots(secrets, settings).await?;
    if bots.is_empty() {
        println!(
            "No bots in {}. Attach one with `receivers connect`.",
            secrets.describe()
        );
        return Ok(());
    }
    let mut rows = vec![[
        "CHANNEL".to_owned(),
        "BOT".to_owned(),
        "FIELDS".to_owned(),
        "STATUS".to_owned(),
    ]];
    for bot in &bots {
        let document = secrets
            .document(&settings.secret_name(&bot.channel, &bot.name))
            .await?;
        let (fields, status) = describe(&bot.channel, document.as_ref());
        rows.push([bot.channel.clone(), bot.name.clone(), fields, status]);
    }
    let width = |column: usize| rows.iter().map(|row| row[column].len()).max().unwrap_or(0);
    let widths = [width(0), width(1), width(2)];
    for [channel, name, fields, status] in &rows {
        println!(
            "{channel:<w0$}  {name:<w1$}  {fields:<w2$}  {status}",
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
    }
    Ok(())
}

async fn show(secrets: &SecretSource, settings: &Settings, bot: &Bot) -> anyhow::Result<()> {
    let secret = settings.secret_name(&bot.channel, &bot.name);
    let document = secrets
        .document(&secret)
        .await?
        .ok_or_else(|| anyhow!("no secret {secret} in {}", secrets.describe()))?;
    let (fields, status) = describe(&bot.channel, Some(&document));
    println!("{}/{}", bot.channel, bot.name);
    println!("  secret:  {secret} in {}", secrets.describe());
    println!("  route:   /{}/{}", bot.channel, bot.name);
    println!("  fields:  {fields}");
    println!("  status:  {status}");
    Ok(())
}

/// The field names, and `ready` or which authenticating fields are missing, empty or not text
/// (the receiver answers 503 to every request until they are set).
fn describe(channel: &str, document: Option<&SecretDocument>) -> (String, String) {
    let Some(document) = document else {
        return ("-".to_owned(), "not a JSON object".to_owned());
    };
    let mut names = document.field_names();
    names.sort_unstable();
    let required = channels()
        .into_iter()
        .find(|(name, _)| *name == channel)
        .map_or(&[][..], |(_, fields)| fields);
    let (mut missing, mut empty, mut not_text) = (Vec::new(), Vec::new(), Vec::new());
    for field in required {
        match document.check_field(field) {
            Ok(()) => {}
            Err(UnusableField::Missing(name)) => missing.push(name),
            Err(UnusableField::Empty(name)) => empty.push(name),
            Err(UnusableField::NotText(name)) => not_text.push(name),
        }
    }
    let problems: Vec<String> = [
        ("missing", missing),
        ("empty", empty),
        ("not text", not_text),
    ]
    .into_iter()
    .filter(|(_, fields)| !fields.is_empty())
    .map(|(problem, fields)| format!("{problem} {}", fields.join(", ")))
    .collect();
    let status = if problems.is_empty() {
        "ready".to_owned()
    } else {
        problems.join("; ")
    };
    (names.join(", "), status)
}

/// Every bot in the store, by channel then name.
async fn bots(secrets: &SecretSource, settings: &Settings) -> anyhow::Result<Vec<Bot>> {
    let prefix = &settings.secrets_prefix;
    let names = secrets.names(prefix).await?;
    let mut bots: Vec<Bot> = names
        .iter()
        .filter_map(|name| name.strip_prefix(prefix.as_str())?.split_once('/'))
        .filter(|(channel, name)| {
            channels().iter().any(|(known, _)| known == channel) && !name.contains('/')
        })
        .map(|(channel, name)| Bot {
            channel: channel.to_owned(),
            name: name.to_owned(),
        })
        .collect();
    bots.sort_by(|a, b| (&a.channel, &a.name).cmp(&(&b.channel, &b.name)));
    Ok(bots)
}

/// `CHANNEL/BOT`, or a `BOT` that only one channel has.
async fn resolve(secrets: &SecretSource, settings: &Settings, given: &str) -> anyhow::Result<Bot> {
    if let Some((channel, name)) = given.split_once('/') {
        if !channels().iter().any(|(known, _)| *known == channel) {
            bail!("unknown channel {channel:?}: expected telegram, viber, facebook, slack or abc");
        }
        return Ok(Bot {
            channel: channel.to_owned(),
            name: name.to_owned(),
        });
    }
    let matching: Vec<Bot> = bots(secrets, settings)
        .await?
        .into_iter()
        .filter(|bot| bot.name == given)
        .collect();
    match matching.as_slice() {
        [] => bail!("no bot named {given} in {}", secrets.describe()),
        [bot] => Ok(bot.clone()),
        several => bail!(
            "{given} is attached on several channels ({}): name one as CHANNEL/BOT",
            several
                .iter()
                .map(|bot| format!("{}/{}", bot.channel, bot.name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(channel: &str, secret: &str) -> String {
        describe(channel, SecretDocument::parse(secret).as_ref()).1
    }

    #[test]
    fn a_missing_empty_or_blank_authenticating_field_is_not_ready() {
        let names: Vec<&str> = channels().iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names,
            ["telegram", "viber", "facebook", "slack", "abc", "whatsapp"]
        );
        assert_eq!(
            status("telegram", r#"{"secret_token":"t","token":"1:A"}"#),
            "ready"
        );
        assert_eq!(
            status("telegram", r#"{"secret_token":"","token":"1:A"}"#),
            "empty secret_token"
        );
        assert_eq!(
            status("facebook", r#"{"app_secret":"  "}"#),
            "missing verify_token; empty app_secret"
        );
        assert_eq!(
            status("abc", r#"{"api_secret":"a2V5","csp_id":7}"#),
            "not text csp_id"
        );
        assert_eq!(
            describe("slack", None),
            ("-".to_owned(), "not a JSON object".to_owned())
        );
    }
}
