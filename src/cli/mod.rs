//! The command line: flags, the `get`, `list`, `accounts` and `task` subcommands, and the help text
//! (environment variables included). Parsing only; `main` decides what to run.

pub mod accounts;
pub mod completions;
pub mod doctor;
pub mod download;
pub mod get;
pub mod list;
pub mod preview;
pub mod task;

use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::api::{ClientOptions, MAX_LIMIT, MAX_OFFSET, MediaFilter};
use crate::config::ColorChoice;

const AFTER_HELP: &str = "\
Environment:
  USEAPI_TOKEN      your useapi.net API token (else `token = \"…\"` in config.toml in the config directory)
  USEAPI_BASE_URL   the API's base URL (same as --base-url; default https://api.useapi.net)
  USEAPI_ACCOUNT    the Runway account (email) to list when several are linked (same as --account;
                    else `account = \"…\"` in config.toml)
  NO_COLOR          set to anything non-empty: no colour (--color and `color` in config.toml win)
  RUNWAY_ASSETS_LOG a file to append a log to (same as --log)
  XDG_CONFIG_HOME   where the config directory is on Linux (default ~/.config): runway-assets/ holds
                    config.toml and history.jsonl

config.toml (in the config directory; unknown keys and malformed lines are reported):
  token = \"user:…\"          the API token (USEAPI_TOKEN wins); keep the file chmod 600
  base_url = \"https://…\"    the API's base URL (--base-url / USEAPI_BASE_URL win)
  account = \"EMAIL\"         the Runway account to list (--account / USEAPI_ACCOUNT win)
  color = \"auto\"            auto, always or never (--color wins; overrides NO_COLOR)
  download_dir = \"…\"        accepted now, for downloads to come
  preview = \"auto\"          auto, kitty, sixel, iterm2, halfblocks or off (--preview wins)
  download_dir = \"…\"        where d and `download` save files (--download-dir / -o win;
                            default: the system's download folder, else ~/Downloads)
  preview = …               accepted now, for previews to come

Examples:
  runway-assets --demo                           try it with sample assets, no token needed
  runway-assets                                  open the inspector (needs USEAPI_TOKEN)
  runway-assets get 'user:1-runwayml:me@example.com-asset:…'
  runway-assets get --json ID1 ID2 | jq .name
  cat ids.txt | runway-assets get -              one ID per line on standard input
  runway-assets list --type video --limit 200    the 200 newest videos (the API reaches 1,050 at most)
  runway-assets accounts                         the Runway accounts linked to the token
  runway-assets task ASSET_OR_TASK_ID            the prompt, model, seed and settings behind an asset
  runway-assets list --json | jq -r .assetId | runway-assets task - --json > prompts.jsonl
  runway-assets preview ID                       the asset's picture, drawn in the terminal
  runway-assets preview ID -o poster.jpg         the picture file as fetched
  runway-assets download ID -o ~/Videos          save an asset's file (NAME.part until complete)
  runway-assets list --type video --json | jq -r .assetId | runway-assets download - --skip-existing
                                                 save every video of the account; run again to resume
  runway-assets doctor                           check the token and the setup";

#[derive(Debug, Parser)]
#[command(
    name = "runway-assets",
    version,
    about = "Inspect Runway assets through useapi.net's RunwayML API: look one up by ID, read its metadata, and reopen it later from a persisted history.",
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// Run against an embedded local server with sample assets (no token, no network; uses a throwaway history).
    #[arg(long)]
    pub demo: bool,

    /// The API's base URL.
    #[arg(long, env = "USEAPI_BASE_URL", value_name = "URL", global = true, hide_env_values = true)]
    pub base_url: Option<String>,

    /// The Runway account (email) to list when several are linked to the token (else
    /// USEAPI_ACCOUNT, else `account` in config.toml).
    #[arg(long, value_name = "EMAIL", global = true)]
    pub account: Option<String>,

    /// When to use colour: auto (on a terminal, unless NO_COLOR is set), always, or never
    /// (else `color` in config.toml). Without colour, focus, selection and errors still show.
    #[arg(long, value_name = "WHEN", global = true)]
    pub color: Option<ColorChoice>,

    /// Append a plain-text log of what the app does (requests, retries, cache hits, errors;
    /// never the token) to FILE, for bug reports.
    #[arg(long, value_name = "FILE", env = "RUNWAY_ASSETS_LOG", global = true)]
    pub log: Option<std::path::PathBuf>,

    #[command(flatten)]
    pub net: NetArgs,

    // -- preview --
    #[command(flatten)]
    pub previews: preview::PreviewFlags,
    /// Where downloads go (else `download_dir` in config.toml, else the system's download
    /// folder, else ~/Downloads); created when missing.
    #[arg(long, value_name = "DIR", global = true)]
    pub download_dir: Option<std::path::PathBuf>,

    /// Keep at most this many history entries (older ones are dropped when the file is tidied).
    #[arg(long, value_name = "N", default_value_t = crate::history::DEFAULT_MAX_ENTRIES, global = true)]
    pub max_history: usize,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct NetArgs {
    /// Give up connecting after this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = ClientOptions::DEFAULT_CONNECT_TIMEOUT.as_secs_f64(), global = true)]
    pub connect_timeout: f64,
    /// Give up when the server sends nothing for this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = ClientOptions::DEFAULT_READ_TIMEOUT.as_secs_f64(), global = true)]
    pub read_timeout: f64,
    /// Give up on a request after this many seconds in all.
    #[arg(long, value_name = "SECS", default_value_t = ClientOptions::DEFAULT_TOTAL_TIMEOUT.as_secs_f64(), global = true)]
    pub timeout: f64,
    /// Retries for 429 and 502/503/504 answers (with backoff, honouring Retry-After).
    #[arg(long, value_name = "N", default_value_t = ClientOptions::DEFAULT_RETRIES, global = true)]
    pub retries: u32,
    /// Refuse answers larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = ClientOptions::DEFAULT_MAX_BODY_BYTES, global = true)]
    pub max_response: u64,
}

impl NetArgs {
    pub fn apply(&self, options: &mut ClientOptions) {
        let secs = |s: f64, default: Duration| Duration::try_from_secs_f64(s.max(0.001)).unwrap_or(default);
        options.connect_timeout = secs(self.connect_timeout, ClientOptions::DEFAULT_CONNECT_TIMEOUT);
        options.read_timeout = secs(self.read_timeout, ClientOptions::DEFAULT_READ_TIMEOUT);
        options.total_timeout = secs(self.timeout, ClientOptions::DEFAULT_TOTAL_TIMEOUT);
        options.retries = self.retries;
        options.max_body_bytes = self.max_response;
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Look up assets by ID and print them (a readable summary, or JSON with --json).
    Get(GetArgs),
    /// List the account's assets, newest first (a table, or JSON lines with --json). The API
    /// reaches the 1,050 newest at most: --offset + --limit may not pass 1050.
    List(ListArgs),
    /// List the Runway accounts linked to the token, and whether each is in an error state.
    Accounts(AccountsArgs),
    /// Show the generation behind assets: the task's model, status, prompt, seed, options and
    /// artifacts. Takes task IDs (…-task:…) or asset IDs (their task is looked up).
    Task(TaskArgs),
    /// Check the setup, one line each: config.toml, the token, the API, the token accepted, the
    /// linked Runway accounts, the history, the cache and the download directory. Exit 0 when
    /// all pass, 1 otherwise. `runway-assets --demo doctor` shows a working setup.
    Doctor,
    // -- preview --
    /// Print an asset's picture in the terminal (as wide as it), or write the picture file as
    /// fetched with -o FILE. Exit 0 when shown, 1 when there is none or it failed.
    Preview(preview::PreviewArgs),
    /// Download assets' files: each saved under the asset's name made safe, never over an
    /// existing file (`name (1).ext`…), written to NAME.part and renamed when complete; the
    /// saved paths are printed one a line as they finish. Exit 0 when all were saved (or
    /// skipped), 1 when any failed, 2 for usage errors.
    Download(DownloadArgs),
    /// Print a completion script for a shell (bash, zsh, fish, elvish or powershell).
    Completions {
        /// The shell to complete for.
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `runway-assets man | man -l -`.
    Man,
    /// Run only the demo's embedded API server and print its base URL (for benchmarks and
    /// scripts); it stops when standard input closes.
    #[command(hide = true)]
    ServeDemo,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    /// Asset IDs to look up; `-` reads one ID per line from standard input.
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
    /// Print each asset as received, one JSON object per line.
    #[arg(long)]
    pub json: bool,
    /// Do not record the lookups in the history.
    #[arg(long)]
    pub no_history: bool,
    /// How many lookups run at once.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 6, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
}

#[derive(Debug, Args)]
pub struct DownloadArgs {
    /// Asset IDs; `-` reads one ID per line from standard input.
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
    /// The folder to save into (instead of --download-dir, download_dir, or Downloads).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output_dir: Option<std::path::PathBuf>,
    /// How many downloads run at once.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=32))]
    pub concurrency: u16,
    /// Skip (and say so) an asset whose file is already there with the same name and size, so
    /// an interrupted download can simply be run again.
    #[arg(long)]
    pub skip_existing: bool,
    /// Print one JSON object per line: {"assetId", "status" (saved, skipped, failed), "path",
    /// "bytes", "error"}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TaskArgs {
    /// Task IDs or asset IDs; `-` reads one ID per line from standard input.
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
    /// Print each task as received, one JSON object per line, with "reachedFrom": the asset ID
    /// when it was reached through an asset.
    #[arg(long)]
    pub json: bool,
    /// Ask the server even for tasks remembered as finished, and remember nothing.
    #[arg(long)]
    pub no_cache: bool,
    /// How many lookups run at once.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 6, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
}

/// The deepest the list endpoint reaches: offset ≤ 1000 plus one page of ≤ 50.
pub const LIST_CEILING: u32 = MAX_OFFSET + MAX_LIMIT;

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this kind of media: video, image, audio (or all).
    #[arg(long = "type", value_name = "TYPE", default_value = "all", value_parser = parse_media)]
    pub media: MediaFilter,
    /// How many assets to list (fetched 50 a page).
    #[arg(long, value_name = "N", default_value_t = MAX_LIMIT)]
    pub limit: u32,
    /// Skip this many of the newest assets first.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: u32,
    /// Print each asset as received, one JSON object per line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AccountsArgs {
    /// Print one JSON object per line: {"email": …, "error": …}.
    #[arg(long)]
    pub json: bool,
}

fn parse_media(text: &str) -> Result<MediaFilter, String> {
    MediaFilter::parse(text).ok_or_else(|| "expected video, image, audio or all".to_string())
}
