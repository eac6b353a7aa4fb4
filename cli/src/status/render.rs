//! The report as people read it: one row per bot, the problems below, then the queue.

use std::fmt::Write as _;

use super::Report;
use super::platforms::State;
use super::queue::{QueueStatus, describe};

/// The whole report as text, ending in a newline.
pub fn table(report: &Report, store: &str) -> String {
    let mut out = String::new();
    if report.bots.is_empty() {
        let _ = writeln!(
            out,
            "No bots in {store}. Attach one with `receivers connect`."
        );
    } else {
        let mut rows = vec![[
            "CHANNEL".to_owned(),
            "BOT".to_owned(),
            "STATE".to_owned(),
            "WEBHOOK".to_owned(),
            "DETAILS".to_owned(),
        ]];
        for bot in &report.bots {
            let state = match bot.state {
                State::Ok => "ok",
                State::Unhealthy => "UNHEALTHY",
                State::Unchecked => "unchecked",
            };
            rows.push([
                bot.channel.clone(),
                bot.bot.clone(),
                state.to_owned(),
                bot.webhook.clone().unwrap_or_else(|| "-".to_owned()),
                bot.details.join("; "),
            ]);
        }
        let width = |column: usize| rows.iter().map(|row| row[column].len()).max().unwrap_or(0);
        let widths = [width(0), width(1), width(2), width(3)];
        for [channel, bot, state, webhook, details] in &rows {
            let line = format!(
                "{channel:<w0$}  {bot:<w1$}  {state:<w2$}  {webhook:<w3$}  {details}",
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2],
                w3 = widths[3]
            );
            let _ = writeln!(out, "{}", line.trim_end());
        }
        let problems: Vec<String> = report
            .bots
            .iter()
            .flat_map(|bot| {
                bot.problems
                    .iter()
                    .map(move |problem| format!("  {}/{}: {problem}", bot.channel, bot.bot))
            })
            .collect();
        if !problems.is_empty() {
            let _ = writeln!(out, "\nProblems:");
            for problem in problems {
                let _ = writeln!(out, "{problem}");
            }
        }
    }
    out.push('\n');
    match &report.queue {
        QueueStatus::Sqs { queue, dead_letter } => {
            let url = queue.url.as_deref().unwrap_or("-");
            let _ = writeln!(out, "Queue        {url}: {}", describe(queue));
            match dead_letter {
                Some(dlq) => {
                    let url = dlq.url.as_deref().unwrap_or("-");
                    let _ = writeln!(out, "Dead letters {url}: {}", describe(dlq));
                    if dlq.depth.is_some_and(|depth| depth.total() > 0) {
                        let _ = writeln!(
                            out,
                            "  Events the Main process failed wait there: fix it, then `receivers redrive`."
                        );
                    }
                }
                None => {
                    let _ = writeln!(
                        out,
                        "Dead letters none: the queue has no RedrivePolicy (or pass --dlq-url)"
                    );
                }
            }
        }
        QueueStatus::Spool {
            path,
            envelopes,
            bytes,
            error,
        } => match error {
            Some(error) => {
                let _ = writeln!(out, "Spool {path}: {error}");
            }
            None => {
                let _ = writeln!(
                    out,
                    "Spool {path}: {envelopes} envelopes, {} (no dead-letter queue locally)",
                    size(*bytes)
                );
            }
        },
    }
    out
}

/// Bytes for people: `512 B`, `48.2 KiB`, `3.1 MiB`.
fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(1023), "1023 B");
        assert_eq!(size(49_357), "48.2 KiB");
        assert_eq!(size(3 * 1024 * 1024 + 200_000), "3.2 MiB");
    }
}
