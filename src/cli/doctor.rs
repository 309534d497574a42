//! `runway-assets doctor`: checks the setup in order and prints one line each, with what to do
//! when a check fails: config.toml, the token, the API at the base URL, the token accepted
//! (`GET /v2/account`), the linked Runway accounts, the history file, the cache, and the
//! download directory. Reads only: nothing is created, moved or compacted (the download
//! directory's write test removes its probe file). Exit 0 when every check passes, 1 otherwise.
//! Each network check is one request, without retries.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::api::{ApiClient, ApiError, ClientOptions};
use crate::config::{self, Settings};
use crate::present::api_error::describe;
use crate::present::format;

/// Where the token in force came from, as said to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    Env,
    ConfigFile,
    Demo,
}

/// What doctor is given: the settings as resolved, the client options (base URL, token and
/// timeouts as the flags set them), and where the token came from.
pub struct Setup<'a> {
    pub settings: &'a Settings,
    pub options: ClientOptions,
    pub token_source: Option<TokenSource>,
    pub cache_dir: Option<&'a Path>,
    pub colour: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Pass(String),
    /// Passes, with something worth a look.
    Warn(String),
    Fail(String),
    Skip(String),
}

struct Check {
    name: &'static str,
    outcome: Outcome,
}

/// The longest doctor waits for one request, whatever --timeout says.
const MAX_WAIT: Duration = Duration::from_secs(15);

pub async fn run(setup: Setup<'_>) -> ExitCode {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let colour = setup.colour;
    let mut failed = false;
    let mut report = |check: Check| {
        failed |= matches!(check.outcome, Outcome::Fail(_));
        let _ = writeln!(out, "{}", line(&check, colour));
        let _ = out.flush();
    };
    let settings = setup.settings;
    report(config_check(settings));
    let token_check = token_check(&setup);
    let token_ok = !matches!(token_check.outcome, Outcome::Fail(_));
    report(token_check);

    let mut options = setup.options.clone();
    options.retries = 0;
    options.total_timeout = options.total_timeout.min(MAX_WAIT);
    let base = options.base_url.clone();
    let client = if token_ok { Some(ApiClient::new(options)) } else { None };
    let mut accepted = false;
    match &client {
        None => {
            report(skip("API", "not tried without a usable token"));
            report(skip("token accepted", "not tried without a usable token"));
        }
        Some(Err(e)) => {
            report(fail("API", describe(e, &settings.config_file_display())));
            report(skip("token accepted", "not tried: the API was not reached"));
        }
        Some(Ok(client)) => {
            let started = Instant::now();
            let answer = client.useapi_account().await;
            let ms = started.elapsed().as_millis();
            match answer {
                Err(e @ (ApiError::Network { .. } | ApiError::BadBaseUrl(_))) => {
                    report(fail(
                        "API",
                        format!(
                            "{base}: {e} Check --base-url or USEAPI_BASE_URL (the API is at {}).",
                            config::DEFAULT_BASE_URL
                        ),
                    ));
                    report(skip("token accepted", "not tried: the API was not reached"));
                }
                answer => {
                    report(pass("API", format!("{base} answered in {ms} ms")));
                    let outcome = match answer {
                        Ok(account) => {
                            accepted = true;
                            Outcome::Pass(format!(
                                "useapi.net account {}, subscription marker {}",
                                account.email.as_deref().unwrap_or("(no email)"),
                                account.sub.as_deref().unwrap_or("(none)")
                            ))
                        }
                        Err(e @ (ApiError::Unauthorized | ApiError::PaymentRequired(_))) => {
                            Outcome::Fail(e.to_string())
                        }
                        Err(e) => Outcome::Fail(format!(
                            "{} Is {base} the useapi.net API? (It is at {}.)",
                            describe(&e, &settings.config_file_display()),
                            config::DEFAULT_BASE_URL
                        )),
                    };
                    report(Check { name: "token accepted", outcome });
                }
            }
        }
    }
    match &client {
        Some(Ok(client)) if accepted => report(accounts_check(client, settings).await),
        _ => report(skip("Runway accounts", "not tried: the token was not accepted")),
    }
    report(history_check(settings));
    report(cache_check(setup.cache_dir));
    report(download_check(settings));
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn pass(name: &'static str, text: impl Into<String>) -> Check {
    Check { name, outcome: Outcome::Pass(text.into()) }
}
fn fail(name: &'static str, text: impl Into<String>) -> Check {
    Check { name, outcome: Outcome::Fail(text.into()) }
}
fn skip(name: &'static str, text: impl Into<String>) -> Check {
    Check { name, outcome: Outcome::Skip(text.into()) }
}

/// `ok    token            from USEAPI_TOKEN, well-formed`, the mark coloured when asked.
fn line(check: &Check, colour: bool) -> String {
    let (mark, code, text) = match &check.outcome {
        Outcome::Pass(t) => ("ok", "32", t),
        Outcome::Warn(t) => ("warn", "33", t),
        Outcome::Fail(t) => ("FAIL", "1;31", t),
        Outcome::Skip(t) => ("skip", "2", t),
    };
    let mark = if colour { format!("\x1b[{code}m{mark:<4}\x1b[0m") } else { format!("{mark:<4}") };
    format!("{mark}  {:<17}{text}", check.name)
}

fn config_check(settings: &Settings) -> Check {
    let Some(dir) = settings.config_dir.as_deref() else {
        return fail("config", "no config directory could be found: set HOME (or XDG_CONFIG_HOME).");
    };
    match config::check_file(dir) {
        Ok(None) => pass(
            "config",
            format!("{} has no config.toml (optional: see runway-assets --help for its keys)", dir.display()),
        ),
        Ok(Some(note)) => pass("config", note),
        Err(problems) => fail("config", format!("{problems} Fix it or remove it.")),
    }
}

fn token_check(setup: &Setup) -> Check {
    let Some(token) = setup.options.token.as_ref() else {
        return fail(
            "token",
            format!(
                "no token: export USEAPI_TOKEN=<your useapi.net token>, or put token = \"…\" in {} (runway-assets --demo doctor shows a working setup).",
                setup.settings.config_file_display()
            ),
        );
    };
    let source = match setup.token_source {
        Some(TokenSource::Env) => "from USEAPI_TOKEN",
        Some(TokenSource::ConfigFile) => "from config.toml",
        Some(TokenSource::Demo) => "the demo's",
        None => "set",
    };
    let text = token.expose();
    if let Some(bad) = text.chars().find(|c| !c.is_ascii_graphic()) {
        let what = if bad.is_whitespace() { "a space or line break".to_string() } else { format!("{:?}", bad) };
        let what =
            if bad.is_ascii_control() || !bad.is_ascii() { "a character that cannot be sent".into() } else { what };
        return fail(
            "token",
            format!(
                "{source}, but it holds {what} ({} characters): copy it again from useapi.net.",
                text.chars().count()
            ),
        );
    }
    let shaped = text.strip_prefix("user:").and_then(|rest| rest.split_once('-')).is_some_and(|(digits, rest)| {
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty()
    });
    if shaped || setup.token_source == Some(TokenSource::Demo) {
        pass("token", format!("{source}, well-formed ({} characters)", text.len()))
    } else {
        Check {
            name: "token",
            outcome: Outcome::Warn(format!(
                "{source}, but it does not look like a useapi.net token (user:<digits>-…): check it was copied whole"
            )),
        }
    }
}

async fn accounts_check(client: &ApiClient, settings: &Settings) -> Check {
    match client.accounts().await {
        Err(e) => fail("Runway accounts", describe(&e, &settings.config_file_display())),
        Ok(accounts) if accounts.is_empty() => fail(
            "Runway accounts",
            "none linked to this token: add your Runway account at useapi.net (POST /v1/runwayml/accounts/EMAIL).",
        ),
        Ok(accounts) => {
            let broken: Vec<_> = accounts.iter().filter(|a| a.error.is_some()).collect();
            let names: Vec<_> = accounts
                .iter()
                .map(|a| match &a.error {
                    None => a.email.clone(),
                    Some(e) => format!("{} (error: {e})", a.email),
                })
                .collect();
            let text = format!("{} linked: {}", accounts.len(), names.join(", "));
            if broken.is_empty() {
                pass("Runway accounts", text)
            } else if broken.len() < accounts.len() {
                // The others work: choose one of them, and mend this one when convenient.
                let outcome = Outcome::Warn(format!("{text}: re-add the broken one at useapi.net."));
                Check { name: "Runway accounts", outcome }
            } else {
                fail("Runway accounts", format!("{text}: re-add the account at useapi.net."))
            }
        }
    }
}

fn history_check(settings: &Settings) -> Check {
    let Some(path) = settings.history_path() else {
        return fail("history", "off: no config directory could be found (set HOME).");
    };
    let meta = match std::fs::metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return pass("history", format!("{}: none yet (it starts with your first lookup)", path.display()));
        }
        Err(e) => return fail("history", format!("{}: {e}: check its owner and mode.", path.display())),
    };
    if !meta.is_file() {
        return fail("history", format!("{} is not a file: move it away.", path.display()));
    }
    let lines = match std::fs::read(&path) {
        Ok(bytes) => bytes.split(|b| *b == b'\n').filter(|l| l.iter().any(|b| !b.is_ascii_whitespace())).count(),
        Err(e) => {
            return fail("history", format!("{}: could not be read ({e}): check its owner and mode.", path.display()));
        }
    };
    // Compaction replaces the file, so its creation time is the last compaction (or its start).
    let rewritten = meta
        .created()
        .ok()
        .and_then(|t| jiff::Timestamp::try_from(t).ok())
        .map(|t| format!(", last compacted or created {}", format::age(t, jiff::Timestamp::now())))
        .unwrap_or_default();
    pass(
        "history",
        format!(
            "{}: {} entries, {}{rewritten}",
            path.display(),
            format::thousands(lines as u64),
            format::size(meta.len())
        ),
    )
}

fn cache_check(dir: Option<&Path>) -> Check {
    let Some(dir) = dir else {
        return pass("cache", "off: no cache directory could be found");
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return pass("cache", format!("{}: empty (nothing cached yet)", dir.display()));
        }
        Err(e) => return fail("cache", format!("{}: {e}: check its owner and mode.", dir.display())),
    };
    let (mut files, mut bytes) = (0u64, 0u64);
    for entry in entries.flatten() {
        if let Ok(meta) = entry.metadata()
            && meta.is_file()
        {
            files += 1;
            bytes += meta.len();
        }
    }
    pass("cache", format!("{}: {files} files, {}", dir.display(), format::size(bytes)))
}

fn download_check(settings: &Settings) -> Check {
    // -- download --
    let dir = match crate::download::target::choose_dir(settings.download_dir.as_deref(), None) {
        Ok(dir) => dir,
        Err(e) => return fail("download dir", format!("{e}.")),
    };
    let dir = dir.as_path();
    if dir.is_file() {
        return fail(
            "download dir",
            format!(
                "{} is a file, not a folder: choose another (--download-dir, or download_dir in config.toml).",
                dir.display()
            ),
        );
    }
    if !dir.is_dir() {
        return pass("download dir", format!("{}: not there yet (made by the first download)", dir.display()));
    }
    let probe = dir.join(format!(".runway-assets-doctor-{}", std::process::id()));
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            pass("download dir", format!("{}: exists, writable", dir.display()))
        }
        Err(e) => {
            fail("download dir", format!("{} is not writable ({e}): fix its mode or choose another.", dir.display()))
        }
    }
}
