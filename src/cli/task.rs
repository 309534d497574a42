//! `runway-assets task`: the generation behind assets, without the TUI. Each ID is a task ID
//! (`…-task:<uuid>`), looked up directly, or an asset ID, looked up first for its `taskId`.
//! Prints a readable summary or, with `--json`, the task as received plus `reachedFrom` (the
//! asset ID) when reached through an asset; in the order given. Errors go to stderr, one
//! sentence per ID; the exit code says whether all succeeded (as `get`). Finished tasks
//! (SUCCEEDED or FAILED) do not change: they are remembered in the task cache and answered from
//! it next time without a request to the task endpoint (`--no-cache` asks anyway).

use std::io::{self, Write};
use std::process::ExitCode;

use futures_util::StreamExt;
use serde_json::Value;

use super::TaskArgs;
use super::get::{client, collect_ids};
use crate::api::{ApiClient, ApiError, ClientOptions, FetchedTask, as_task_id};
use crate::cache::TaskCache;
use crate::present::api_error::describe;
use crate::present::format;
use crate::present::task_fields::{heading, status_line};
use crate::sanitize;

/// How many artifacts a summary lists (the rest are counted; `--json` has them all).
const SUMMARY_ARTIFACTS: usize = 20;

/// A task found, and the asset it was reached through (if any).
struct Found {
    fetched: FetchedTask,
    reached_from: Option<String>,
}

/// Why an ID gave no task.
enum Failure {
    /// The asset lookup (of an asset ID) failed.
    Asset(ApiError),
    /// The task lookup failed; `via_asset` when it was an asset's task.
    Task { error: ApiError, via_asset: bool },
    /// The asset is an upload: no task made it.
    Upload,
    /// The asset names no task (and does not say it is an upload).
    NoTask,
}

/// `cache` is where finished tasks are remembered (`None`: nowhere).
pub async fn run(args: TaskArgs, options: ClientOptions, cache: Option<TaskCache>, config_file: &str) -> ExitCode {
    let cache = cache.filter(|_| !args.no_cache);
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
            let (client, cache) = (&client, cache.as_ref());
            async move {
                let result = lookup(client, cache, &id).await;
                (id, result)
            }
        })
        .buffered(usize::from(args.concurrency));

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    let mut first = true;
    while let Some((id, result)) = results.next().await {
        match result {
            Ok(found) => {
                let written =
                    if args.json { write_json(&mut out, &found) } else { write_summary(&mut out, &found, first) };
                first = false;
                if written.is_err() {
                    return ExitCode::from(1); // stdout closed (e.g. piped into head): stop quietly
                }
            }
            Err(failure) => {
                failed += 1;
                let _ = out.flush();
                eprintln!("runway-assets: {}: {}", sanitize::one_line(&id, 120), sentence(&failure, config_file));
            }
        }
    }
    let _ = out.flush();
    if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// A task ID is looked up directly; anything else is taken for an asset ID, whose task is then read.
async fn lookup(client: &ApiClient, cache: Option<&TaskCache>, id: &str) -> Result<Found, Failure> {
    if let Some(task_id) = as_task_id(id) {
        let fetched = task(client, cache, task_id).await.map_err(|error| Failure::Task { error, via_asset: false })?;
        return Ok(Found { fetched, reached_from: None });
    }
    let asset = client.get_asset(id).await.map_err(Failure::Asset)?.asset;
    let task_id = asset.task_id.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let Some(task_id) = task_id else {
        return Err(if asset.is_user_upload == Some(true) { Failure::Upload } else { Failure::NoTask });
    };
    let fetched = task(client, cache, task_id).await.map_err(|error| Failure::Task { error, via_asset: true })?;
    let reached_from = asset.asset_id.clone().unwrap_or_else(|| id.trim().to_owned());
    Ok(Found { fetched, reached_from: Some(reached_from) })
}

/// The task: remembered if finished before, else asked for (and remembered once finished).
/// The cache is only a shortcut: a damaged file or a failed write is ignored.
async fn task(client: &ApiClient, cache: Option<&TaskCache>, task_id: &str) -> Result<FetchedTask, ApiError> {
    let remembered = cache.and_then(|c| c.load(task_id).ok().flatten()).filter(|fetched| fetched.task.is_finished());
    if let Some(fetched) = remembered {
        return Ok(fetched);
    }
    let fetched = client.get_task(task_id).await?;
    if let Some(cache) = cache
        && fetched.task.is_finished()
    {
        let _ = cache.store(task_id, fetched.raw.as_str());
    }
    Ok(fetched)
}

fn sentence(failure: &Failure, config_file: &str) -> String {
    match failure {
        Failure::Asset(e) => describe(e, config_file),
        Failure::Upload => "this asset was uploaded, not generated: no task made it.".to_owned(),
        Failure::NoTask => "this asset names no task (no taskId), so what made it is not known.".to_owned(),
        Failure::Task { error: ApiError::NotFound, via_asset: true } => {
            "the task behind this asset is gone (404): it was deleted, though the asset lives on.".to_owned()
        }
        Failure::Task { error: ApiError::NotFound, via_asset: false } => {
            "No task with this ID (404): it may be mistyped, deleted, or belong to another account.".to_owned()
        }
        Failure::Task { error, via_asset: true } => {
            format!("its task could not be read: {}", describe(error, config_file))
        }
        Failure::Task { error, via_asset: false } => describe(error, config_file),
    }
}

fn write_json(out: &mut impl Write, found: &Found) -> io::Result<()> {
    let mut raw = found.fetched.raw.to_value();
    if let (Some(from), Value::Object(map)) = (&found.reached_from, &mut raw) {
        map.insert("reachedFrom".to_owned(), Value::String(from.clone()));
    }
    let text = serde_json::to_string(&raw).map_err(io::Error::other)?;
    writeln!(out, "{}", sanitize::escape_json(&text))
}

fn write_summary(out: &mut impl Write, found: &Found, first: bool) -> io::Result<()> {
    let task = &found.fetched.task;
    if !first {
        writeln!(out)?;
    }
    let now = jiff::Timestamp::now();
    let line = |label: &str, value: &str| format!("  {label:<13}{value}");
    writeln!(out, "{}", heading(task))?;
    writeln!(out, "{}", line("Task ID", task.task_id.as_deref().unwrap_or("—")))?;
    if let Some(from) = &found.reached_from {
        writeln!(out, "{}", line("Reached from", &sanitize::one_line(from, 1_100)))?;
    }
    writeln!(out, "{}", line("Status", &status_line(task)))?;
    let prompt = match task.prompt() {
        Some(prompt) => prompt.trim().to_owned(),
        None => "(none: this task has no text prompt)".to_owned(),
    };
    writeln!(out, "{}", line("Prompt", &prompt))?;
    writeln!(out, "{}", line("Seed", &task.seed().map_or_else(|| "—".to_owned(), |s| s.to_string())))?;
    let options: Vec<String> = task.option_pairs().into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    if !options.is_empty() {
        writeln!(out, "{}", line("Options", &options.join(" · ")))?;
    }
    if let Some(created) = &task.created_at {
        writeln!(out, "{}", line("Created", &format::date_with_age(created, now)))?;
    }
    if let Some(error) = &task.error {
        writeln!(out, "{}", line("Error", error))?;
    }
    let total = task.artifacts.len();
    let mut count = format::thousands(total as u64);
    if task.skipped_artifacts > 0 {
        count.push_str(&format!(" ({} unreadable, skipped)", format::thousands(task.skipped_artifacts as u64)));
    }
    writeln!(out, "{}", line("Artifacts", &count))?;
    for artifact in task.artifacts.iter().take(SUMMARY_ARTIFACTS) {
        let name = artifact.name.as_deref().map_or_else(|| "(no name)".to_owned(), |n| sanitize::one_line(n, 80));
        let mut text = format!("    - {name}");
        if let Some(size) = artifact.file_size {
            text.push_str(&format!("  {}", format::size_short(size)));
        }
        writeln!(out, "{text}")?;
        writeln!(
            out,
            "      {}",
            artifact.asset_id.as_deref().map_or("(no asset ID)".to_owned(), |id| sanitize::one_line(id, 1_100))
        )?;
    }
    if total > SUMMARY_ARTIFACTS {
        writeln!(
            out,
            "    … and {} more (--json lists them all)",
            format::thousands((total - SUMMARY_ARTIFACTS) as u64)
        )?;
    }
    Ok(())
}
