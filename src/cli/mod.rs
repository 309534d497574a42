//! The command line: flags, the `get` subcommand, and the help text (environment variables
//! included). Parsing only; `main` decides what to run.

pub mod get;

use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::api::ClientOptions;

const AFTER_HELP: &str = "\
Environment:
  USEAPI_TOKEN      your useapi.net API token (else `token = \"…\"` in config.toml in the config directory)
  USEAPI_BASE_URL   the API's base URL (same as --base-url; default https://api.useapi.net)
  XDG_CONFIG_HOME   where the config directory is on Linux (default ~/.config): runway-assets/ holds
                    config.toml and history.jsonl

Examples:
  runway-assets --demo                           try it with sample assets, no token needed
  runway-assets                                  open the inspector (needs USEAPI_TOKEN)
  runway-assets get 'user:1-runwayml:me@example.com-asset:…'
  runway-assets get --json ID1 ID2 | jq .name
  cat ids.txt | runway-assets get -              one ID per line on standard input";

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

    #[command(flatten)]
    pub net: NetArgs,

    /// Keep at most this many history entries (older ones are dropped when the file is tidied).
    #[arg(long, value_name = "N", default_value_t = crate::history::DEFAULT_MAX_ENTRIES, global = true)]
    pub max_history: usize,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct NetArgs {
    /// Give up connecting after this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 10.0, global = true)]
    pub connect_timeout: f64,
    /// Give up when the server sends nothing for this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30.0, global = true)]
    pub read_timeout: f64,
    /// Give up on a request after this many seconds in all.
    #[arg(long, value_name = "SECS", default_value_t = 60.0, global = true)]
    pub timeout: f64,
    /// Retries for 429 and 502/503/504 answers (with backoff, honouring Retry-After).
    #[arg(long, value_name = "N", default_value_t = 3, global = true)]
    pub retries: u32,
    /// Refuse answers larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 4 * 1024 * 1024, global = true)]
    pub max_response: u64,
}

impl NetArgs {
    pub fn apply(&self, options: &mut ClientOptions) {
        let secs = |s: f64| Duration::try_from_secs_f64(s.max(0.001)).unwrap_or(Duration::from_secs(60));
        options.connect_timeout = secs(self.connect_timeout);
        options.read_timeout = secs(self.read_timeout);
        options.total_timeout = secs(self.timeout);
        options.retries = self.retries;
        options.max_body_bytes = self.max_response;
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Look up assets by ID and print them (a readable summary, or JSON with --json).
    Get(GetArgs),
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
