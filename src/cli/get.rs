//! `runway-assets get`: look assets up without the TUI and print them, in the order given.
//! Errors go to stderr, one sentence per ID; the exit code says whether all succeeded.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use futures_util::StreamExt;

use super::GetArgs;
use crate::api::client::Fetched;
use crate::api::{ApiClient, ApiError, ClientOptions};
use crate::history::{HistoryEntry, HistoryStore};
use crate::present::api_error::describe;
use crate::present::asset_fields as summary;
use crate::sanitize;

/// `config_file` is where config.toml is, for the sentences that point there.
pub async fn run(args: GetArgs, options: ClientOptions, history: Option<HistoryStore>, config_file: &str) -> ExitCode {
    let ids = match collect_ids(&args.ids) {
        Ok(ids) => ids,
        Err(e) => {
            eprintln!("runway-assets: could not read IDs from standard input: {e}");
            return ExitCode::from(2);
        }
    };
    let client = match client(options, config_file) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut results = futures_util::stream::iter(ids)
        .map(|id| {
            let client = &client;
            async move {
                let result = client.get_asset(&id).await;
                (id, result)
            }
        })
        .buffered(args.concurrency as usize);

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    let mut recorded = Vec::new();
    let mut first = true;
    while let Some((id, result)) = results.next().await {
        match result {
            Ok(fetched) => {
                let written = if args.json {
                    write_json(&mut out, &fetched)
                } else {
                    write_summary(&mut out, &id, &fetched, first)
                };
                first = false;
                if written.is_err() {
                    return ExitCode::from(1); // stdout closed (e.g. piped into head): stop quietly
                }
                if !args.no_history {
                    recorded.push(HistoryEntry::from_lookup(&id, &fetched, jiff::Timestamp::now()));
                }
            }
            Err(e) => {
                failed += 1;
                let _ = out.flush();
                eprintln!("runway-assets: {}: {}", sanitize::one_line(&id, 120), describe(&e, config_file));
            }
        }
    }
    let _ = out.flush();
    // One locked append and one sync for the whole batch.
    if let Some(store) = history.filter(|_| !recorded.is_empty())
        && let Err(e) = store.append_all(&recorded)
    {
        eprintln!("runway-assets: not every lookup was saved to history: {e}");
    }
    if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// The client every subcommand uses; without a token, or with a bad base URL, the sentence is
/// printed and the exit code (2, a usage error) returned.
pub(crate) fn client(options: ClientOptions, config_file: &str) -> Result<ApiClient, ExitCode> {
    if options.token.is_none() {
        eprintln!("runway-assets: {}", describe(&ApiError::NoToken, config_file));
        return Err(ExitCode::from(2));
    }
    ApiClient::new(options).map_err(|e| {
        eprintln!("runway-assets: {}", describe(&e, config_file));
        ExitCode::from(2)
    })
}

/// The IDs to look up: the arguments, where `-` stands for the lines of standard input.
pub(crate) fn collect_ids(args: &[String]) -> io::Result<Vec<String>> {
    let mut ids = Vec::new();
    for arg in args {
        if arg == "-" {
            for line in io::stdin().lock().lines() {
                let line = line?;
                if !line.trim().is_empty() {
                    ids.push(line.trim().to_string());
                }
            }
        } else {
            ids.push(arg.clone());
        }
    }
    Ok(ids)
}

fn write_json(out: &mut impl Write, fetched: &Fetched) -> io::Result<()> {
    let text = serde_json::to_string(&fetched.raw).map_err(io::Error::other)?;
    writeln!(out, "{}", sanitize::escape_json(&text))
}

fn write_summary(out: &mut impl Write, id: &str, fetched: &Fetched, first: bool) -> io::Result<()> {
    if !first {
        writeln!(out)?;
    }
    let now = jiff::Timestamp::now();
    let fields = summary::fields(id, &fetched.asset, now);
    let heading = fetched.asset.name.clone().unwrap_or_else(|| "(no name)".to_string());
    writeln!(out, "{heading}")?;
    for f in fields.iter().filter(|f| f.label != "Name") {
        writeln!(out, "  {:<12}{}", f.label, f.value.as_deref().unwrap_or("—"))?;
    }
    Ok(())
}
